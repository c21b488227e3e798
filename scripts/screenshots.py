"""Take screenshots of Maillage's main pages from a running server (./run), for a human to look at.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--lang fr|en] [--out var/screenshots]

Signs in as each demo persona and saves one full-page PNG per page.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "demo-maillage-2026"
PAGES = {
    "camille.gagnon@demo.maillage.org": [
        "/programmes/",
        "/programmes/{pk}/",
        "/programmes/{pk}/parametres/",
        "/programmes/{pk}/formulaires/",
        "/programmes/{pk}/mentors-potentiels/",
        "/programmes/{pk}/personnes/",
        "/programmes/{pk}/candidatures/",
        "/programmes/{pk}/criteres/",
        "/programmes/{pk}/importer/",
        "/programmes/{pk}/jumelage/",
        "/programmes/{pk}/groupes/",
        "/programmes/{pk}/suivi/",
        "/programmes/{pk}/sante/",
        "/programmes/{pk}/evaluation/",
        "/programmes/{pk}/rapport/",
        "/programmes/{pk}/indicateurs/",
    ],
    "marc.tremblay@demo.maillage.org": ["/programmes/{pk}/"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--only", default="", help="regex on the path")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        for email, paths in PAGES.items():
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "django_language", "value": args.lang, "url": args.base}])
            page = context.new_page()
            page.goto(args.base + "/comptes/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", PASSWORD)
            page.click("main form button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(args.base + "/programmes/")
            link = page.locator("a[href^='/programmes/']").filter(has_text=re.compile(".")).nth(0)
            pk = re.search(r"/programmes/(\d+)/", link.get_attribute("href") or "")
            pk = pk.group(1) if pk else "1"
            for path in paths:
                url = path.format(pk=pk)
                if args.only and not re.search(args.only, url):
                    continue
                response = page.goto(args.base + url)
                name = f"{args.lang}-{email.split('.')[0]}-{url.strip('/').replace('/', '_') or 'home'}"
                page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                print(response.status if response else "?", url, "→", out / f"{name}.png")
            context.close()
        # The public form, anonymous.
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(args.base + "/")
        page.screenshot(path=str(out / f"{args.lang}-anon-home.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()

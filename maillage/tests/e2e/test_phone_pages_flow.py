"""On a phone (390 × 844), in French, with the demo: every page the demo mentee, mentor and
evaluator reach from their home by links (three clicks deep), and the public pages, fit the
screen (no horizontal scroll of the page) and pass axe-core; the header folds under « Menu »
with touch targets of 44 px at least."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urldefrag, urlparse

from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.network import build_demo_network
from maillage.demo.pilot import build_past_edition
from maillage.evaluation.models import Invitation, Round

from .conftest import axe_violations, page_widths, shoot

DEPTH = 3
PARTICIPANTS = (
    "sophie.lavoie@demo.maillage.org",  # mentee
    "marc.tremblay@demo.maillage.org",  # mentor
    "laurence.pelletier@demo.maillage.org",  # evaluator
)
# Not pages to read: signing out, downloads (files, calendars, PDF), the admin, the language
# switch, and the same pages in English.
SKIP = re.compile(
    r"logout|deconnexion|/admin/|/i18n/|/static/|/media/|export\.|/pdf/|/telecharger/|"
    r"\.(csv|xlsx|pdf|ics|json|zip)$|[?&]lang=",
    re.I,
)


def same_site_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    host = urlparse(page.base).netloc
    out = []
    for href in hrefs:
        url = urldefrag(href)[0]
        parts = urlparse(url)
        if parts.netloc == host and not SKIP.search(parts.path + "?" + parts.query):
            out.append(url)
    return out


def problems_on(page, url: str, *, axe: bool = True) -> list[str]:
    """What is wrong with the page now shown: a scrolling page, axe-core's violations."""
    found = []
    width, client = page_widths(page)
    if width > client:
        found.append(f"{url}: {width} px wide for a {client} px screen")
    if axe:
        found += [f"{url}: axe {v['id']} {v['nodes']}" for v in axe_violations(page)]
    return found


def shape(path: str) -> str:
    """/programmes/2/groupes/1/rencontres/5/ → /programmes/#/groupes/#/rencontres/#/"""
    return re.sub(r"/(\d+|[0-9a-f]{64})(?=/)", "/#", path)


def crawl(page, start: str) -> tuple[list[str], list[str]]:
    """Every same-site page reachable from `start` in DEPTH clicks, checked once each for its
    width; axe-core reads one page of each kind (the fifth meeting is the first one's template),
    which keeps the test under two minutes."""
    depth = {start: 0}
    queue, problems, read = [start], [], set()
    while queue:
        url = queue.pop(0)
        path = url.removeprefix(page.base)
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):  # a file behind an ordinary link
                continue
            raise
        if response is None or response.status >= 400:
            problems.append(f"{path}: status {response.status if response else None}")
            continue
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        problems += problems_on(page, path, axe=shape(path) not in read)
        read.add(shape(path))
        if depth[url] < DEPTH:
            for link in same_site_links(page):
                if link not in depth:
                    depth[link] = depth[url] + 1
                    queue.append(link)
    return problems, list(depth)


def sign_in_on_phone(page, email: str) -> None:
    page.goto(page.base + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    page.wait_for_load_state("load")


def check_menu(page) -> None:
    """The header folds under « Menu »; opened, each link and button is 44 px tall at least."""
    signed_out = page.get_by_role("button", name="Se déconnecter")
    expect(signed_out).to_be_hidden()
    page.locator("header.site summary").click()
    expect(signed_out).to_be_visible()
    heights = page.eval_on_selector_all(
        "header.site .menu-body a, header.site .menu-body button",
        "els => els.map(e => [e.textContent.trim(), e.getBoundingClientRect().height])",
    )
    assert heights and [h for h in heights if h[1] < 44] == []


def test_participants_and_public_pages_fit_a_phone(phone, demo):
    past = build_past_edition()
    build_demo_network(demo)
    page = phone
    problems, seen = [], []

    for email in PARTICIPANTS:
        sign_in_on_phone(page, email)
        check_menu(page)
        shoot(page, "fr-phone-home-" + email.split(".")[0])
        found, reached = crawl(page, page.url)
        problems += found
        seen += reached
        page.context.clear_cookies()

    # Anonymous: the sign-in and password pages, the public interest form, a questionnaire
    # opened from its e-mail link, a page that does not exist.
    # (a questionnaire of the demo's finished edition, open again for the test).
    answer = Invitation.objects.filter(
        person__email=PARTICIPANTS[0], round__program=past, submitted_at__isnull=True
    ).first()
    Round.objects.filter(pk=answer.round_id).update(
        closes_on=timezone.localdate() + timedelta(days=14)
    )
    public = [
        "/comptes/login/",
        "/comptes/password/reset/",
        f"/formulaire/{demo.forms.first().token}/",
        f"/evaluation/r/{answer.token}/",
    ]
    for path in public:
        response = page.goto(page.base + path)
        assert response.status == 200, path
        problems += problems_on(page, path)
    assert page.goto(page.base + "/nulle-part/").status == 404
    problems += problems_on(page, "/nulle-part/")

    assert len(seen) > 100  # the crawl really went through the participants' pages
    # A group's thread, with the demo's messages in it.
    assert any(re.search(r"/groupes/\d+/messages/$", url) for url in seen)
    assert problems == []

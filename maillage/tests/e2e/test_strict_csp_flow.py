"""Under the strict Content Security Policy (no 'unsafe-inline', no eval), pages of each kind
load and work without one violation in Chromium (issue 12, finding 7): the public form and a
questionnaire that saves itself (htmx), a coordinator's pages with the form builder's htmx
moves, a participant's group pages with the hours chart, a network's page with its chart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urldefrag, urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.network import build_demo_network
from maillage.demo.pilot import build_past_edition
from maillage.evaluation.models import Invitation, Round

from .conftest import shoot, sign_in

# Listens before any script of the page runs (an init script is not subject to the policy).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
SKIP = re.compile(r"logout|/admin/|/i18n/|export\.|/pdf/|telecharger|\.(csv|xlsx|pdf|ics|json)$")


@pytest.fixture
def watched(browser, live_server) -> Iterator:
    context = browser.new_context(locale="fr-CA", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    page.problems = []
    page.on(
        "console",
        lambda m: (
            page.problems.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Refused to" in m.text
            else None
        ),
    )
    yield page
    context.close()


def violations(page) -> list[str]:
    found = page.evaluate("window.__csp || []")
    return [f"{page.url}: {v}" for v in found] + page.problems


def visit(page, path: str) -> None:
    response = page.goto(path if path.startswith("http") else page.base + path)
    assert response is not None and response.status < 400, path
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert violations(page) == [], path


def links_of(page, limit: int) -> list[str]:
    host = urlparse(page.base).netloc
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    seen = []
    for href in hrefs:
        url = urldefrag(href)[0]
        if urlparse(url).netloc == host and not SKIP.search(url) and url not in seen:
            seen.append(url)
    return seen[:limit]


def walk(page, start: str, limit: int = 25) -> int:
    """The start page and the pages it links to."""
    visit(page, start)
    targets = links_of(page, limit)
    for url in targets:
        visit(page, url)
    return len(targets)


def test_pages_of_every_kind_raise_no_csp_violation(watched, demo):
    page = watched
    past = build_past_edition()
    network = build_demo_network(demo)

    # Anonymous: the public form, sent with a mistake (the error summary), and a questionnaire
    # that saves each answer as it changes (htmx).
    form = demo.forms.first()
    visit(page, f"/formulaire/{form.token}/")
    # The watch works: an inline style, as htmx's injected one was, is reported.
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.__csp.length > 0")
    assert "style-src" in violations(page)[0]
    page.evaluate("window.__csp = []")
    page.wait_for_timeout(100)
    page.problems.clear()
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert violations(page) == []
    shoot(page, "csp-public-form-error")
    invitation = Invitation.objects.filter(
        person__email="sophie.lavoie@demo.maillage.org",
        round__program=past,
        submitted_at__isnull=True,
    ).first()
    Round.objects.filter(pk=invitation.round_id).update(
        closes_on=timezone.localdate() + timedelta(days=14)
    )
    visit(page, f"/evaluation/r/{invitation.token}/")
    autosaved = page.locator(".question[hx-post]").first
    with page.expect_response(lambda r: "/enregistrer/" in r.url):
        field = autosaved.locator("input, textarea, select").first
        if field.get_attribute("type") in ("radio", "checkbox"):
            field.check()
        else:
            field.fill("Une réponse")
            field.dispatch_event("change")
    assert violations(page) == []
    visit(page, "/robots.txt")

    # A coordinator: her pages, and the form builder's htmx move of a question.
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    seen = walk(page, f"/programmes/{demo.pk}/")
    seen += walk(page, f"/programmes/{past.pk}/", limit=15)
    visit(page, f"/programmes/{demo.pk}/formulaires/{form.pk}/")
    first = page.locator("#questions tbody th").first.inner_text().splitlines()[0]
    with page.expect_response(lambda r: "/deplacer/" in r.url):
        page.locator("button[id$='-down']").first.click()
    expect(page.locator("#questions tbody th").nth(1)).to_contain_text(first)
    assert violations(page) == []
    shoot(page, "csp-form-builder-after-htmx-move")
    page.context.clear_cookies()

    # A participant: her groups, with the hours bank's chart.
    sign_in(page, "sophie.lavoie@demo.maillage.org", DEMO_PASSWORD)
    seen += walk(page, "/mes-groupes/")
    page.context.clear_cookies()

    # The network's staff: the shared measurement with its charts.
    sign_in(page, "julie.bergeron@demo.maillage.org", DEMO_PASSWORD)
    seen += walk(page, f"/reseaux/{network.pk}/", limit=10)
    shoot(page, "csp-network")

    assert seen > 30  # the walk really went through many pages

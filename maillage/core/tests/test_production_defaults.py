"""What every page carries in production (issue 12, finding 7): a Content Security Policy
without 'unsafe-inline' (and templates that need none), `noindex` and a robots.txt that
disallows all, `no-store` for a signed-in person and for pages with personal data, and a
session that ends after a spell without activity unless « Se souvenir de moi » was ticked."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from maillage.conftest import PASSWORD
from maillage.core.middleware import SEEN_KEY

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_strict_csp_and_noindex(client, program_a):
    form = program_a.forms.get()
    for url in ("/", reverse("account_login"), reverse("intake:public_form", args=[form.token])):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_robots_txt_disallows_everything(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().splitlines() == ["User-agent: *", "Disallow: /"]


def test_a_signed_in_person_s_pages_are_never_stored(as_coordinator, program_a):
    for url in (reverse("programs:dashboard"), reverse("programs:detail", args=[program_a.pk])):
        response = as_coordinator.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_the_public_form_with_what_was_typed_is_not_stored(client, program_a):
    form = program_a.forms.get()
    response = client.post(reverse("intake:public_form", args=[form.token]), {"q_email": "x"})
    assert "no-store" in response["Cache-Control"]


def test_htmx_injects_no_style_and_evaluates_nothing(client):
    html = client.get(reverse("account_login")).content.decode()
    assert '"includeIndicatorStyles": false' in html and '"allowEval": false' in html
    css = (ROOT / "static" / "maillage" / "maillage.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']""", re.I)
# A JSON data block (`type="application/json"`, allauth's WebAuthn options) is never executed
# and is not subject to script-src.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)


def test_no_template_has_inline_style_script_or_handler():
    """The strict CSP would block them (the PDF report, never served as a page, is apart)."""
    offenders = []
    for path in ROOT.rglob("templates/**/*.html"):
        if path.name == "report_pdf.html":
            continue
        text = path.read_text()
        for pattern in (INLINE_STYLE, INLINE_SCRIPT, HANDLER):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
        if "<style" in text:
            offenders.append(f"{path.relative_to(ROOT)}: <style>")
    assert offenders == []


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_an_idle_session_ends_and_says_why(as_coordinator, settings):
    settings.MAILLAGE_IDLE_MINUTES = 30
    dashboard = reverse("programs:dashboard")
    assert as_coordinator.get(dashboard).status_code == 200
    idle_for(as_coordinator, 29)
    assert as_coordinator.get(dashboard).status_code == 200
    idle_for(as_coordinator, 31)
    response = as_coordinator.get(dashboard)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert (
        response["Location"] == f"{reverse('account_login')}?next={dashboard.replace('/', '%2F')}"
    )
    page = as_coordinator.get(response["Location"])
    assert "après 30 minutes sans activité" in page.content.decode()
    assert as_coordinator.get(dashboard).status_code == 302  # signed out for good


def test_an_idle_htmx_request_is_sent_to_the_sign_in_page(as_coordinator):
    as_coordinator.get(reverse("programs:dashboard"))
    idle_for(as_coordinator, 120)
    response = as_coordinator.get(reverse("programs:dashboard"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("account_login"))


def test_remember_me_keeps_the_session_past_the_idle_time(client, coordinator):
    response = client.post(
        reverse("account_login"),
        {"login": coordinator.email, "password": PASSWORD, "remember": "on"},
    )
    assert response.status_code == 302
    idle_for(client, 600)
    assert client.get(reverse("programs:dashboard")).status_code == 200


def test_without_remember_me_the_idle_time_applies_after_a_real_sign_in(client, coordinator):
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})
    assert client.get(reverse("programs:dashboard")).status_code == 200
    idle_for(client, 31)
    assert client.get(reverse("programs:dashboard")).status_code == 302


def test_pages_without_cache_control_get_django_s_no_store_header_exactly(client, program_a):
    """The middleware writes the header it computed once (issue 14): the same value
    `patch_cache_control` gives, on an anonymous page and a signed-in one alike, and no
    `Expires`."""
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control

    expected = HttpResponse()
    patch_cache_control(expected, no_store=True, no_cache=True, max_age=0, private=True)
    form = program_a.forms.get()
    response = client.get(reverse("intake:public_form", args=[form.token]))
    assert response["Cache-Control"] == expected["Cache-Control"]
    assert not response.has_header("Expires")


def test_a_page_with_its_own_cache_control_keeps_it_unless_signed_in(as_coordinator):
    """robots.txt may be cached by anyone; for a signed-in person it is never stored."""
    from django.test import Client

    assert Client().get("/robots.txt")["Cache-Control"] == "public, max-age=86400"
    mine = as_coordinator.get("/robots.txt")["Cache-Control"]
    assert "no-store" in mine and "private" in mine

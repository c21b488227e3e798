"""A coordinator signs in and is asked for a second factor (MAILLAGE_MFA_REQUIRED): she sets up
an authenticator app (reads the key from the page, as her phone would from the QR code), enters
its code, keeps her recovery codes, signs out and back in with a code. Under the strict policy
(no bypass): no violation on any page; at 1280 and 390 px wide, no horizontal scroll."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD

from .conftest import PHONE, axe_violations, shoot, sign_in
from .test_strict_csp_flow import LISTEN, violations

EMAIL = "camille.gagnon@demo.maillage.org"


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


def code(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def both_widths(page, name: str) -> None:
    """Screens at 1280 and 390 px; on the phone, nothing wider than the screen."""
    shoot(page, f"mfa-{name}")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: {width} px wide on a phone"
    shoot(page, f"mfa-{name}-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert violations(page) == [], name


def test_coordinator_sets_up_totp_and_signs_in_with_a_code(watched, demo, settings):
    settings.MAILLAGE_MFA_REQUIRED = True
    page = watched

    sign_in(page, EMAIL, DEMO_PASSWORD)
    assert page.url == page.base + "/comptes/2fa/"
    expect(page.locator("#mfa-required")).to_contain_text("obligatoire")
    both_widths(page, "required")
    page.goto(page.base + "/programmes/")
    assert page.url == page.base + "/comptes/2fa/"  # nowhere else until done

    page.get_by_role("link", name="Configurer une application").click()
    if "/reauthenticate/" in page.url:  # adding a factor asks for the password again
        both_widths(page, "reauthenticate")
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Configurer une application d’authentification"
    )
    expect(page.get_by_role("img", name="Code QR")).to_be_visible()
    both_widths(page, "activate")
    secret = page.locator("#totp-secret").inner_text().strip()

    page.get_by_label("Code de l’application").fill("000000")
    page.get_by_role("button", name="Activer").click()
    expect(page.locator(".errorlist")).to_be_visible()
    both_widths(page, "activate-error")
    page.get_by_label("Code de l’application").fill(code(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", name="Codes de récupération")).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    both_widths(page, "recovery-codes")
    page.get_by_role("link", name="J’ai gardé mes codes — continuer").click()
    expect(page.get_by_text("Active", exact=True)).to_be_visible()
    both_widths(page, "enrolled")
    page.goto(page.base + "/programmes/")
    assert page.url == page.base + "/programmes/"
    page.goto(page.base + "/mon-compte/")
    expect(page.get_by_role("heading", name="Sécurité du compte")).to_be_visible()
    both_widths(page, "account")

    # A security key too: allauth's WebAuthn scripts are static files and run under the policy;
    # Chromium's virtual authenticator plays the key.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.goto(page.base + "/comptes/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
    both_widths(page, "webauthn-add")
    page.locator("main input[name=name]").fill("Clé du bureau")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(page.base + "/comptes/2fa/")
    expect(page.get_by_text("1 clé de sécurité est enregistrée.")).to_be_visible()
    page.goto(page.base + "/comptes/2fa/webauthn/")
    expect(page.get_by_text("Clé du bureau")).to_be_visible()
    both_widths(page, "webauthn-list")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, EMAIL, DEMO_PASSWORD)
    assert "/comptes/2fa/authenticate/" in page.url
    both_widths(page, "authenticate")
    page.locator("input[name=code]").fill(code(secret, 1))  # a fresh code: each serves once
    page.locator("main button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == page.base + "/programmes/"
    assert violations(page) == []


def test_security_pages_pass_axe_on_a_phone(phone, demo, settings):
    """axe-core is injected inline: in the `phone` context, which bypasses the policy."""
    settings.MAILLAGE_MFA_REQUIRED = True
    sign_in(phone, EMAIL, DEMO_PASSWORD)
    assert phone.url == phone.base + "/comptes/2fa/"
    assert axe_violations(phone) == []
    phone.get_by_role("link", name="Configurer une application").click()
    if "/reauthenticate/" in phone.url:
        assert axe_violations(phone) == []
        phone.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        phone.locator("main button[type=submit]").click()
    expect(phone.locator("#totp-secret")).to_be_visible()
    assert axe_violations(phone) == []

"""In French: the privacy officer signs in, finds the audit trail from their menu, filters it
down to who read an application, and downloads it; anyone reaches the privacy page from the
footer. On a desk and on a phone, without sideways scroll, axe passing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.programs.services import create_program
from maillage.selection.tests.conftest import make_application

from .conftest import axe_violations, fits_the_screen, shoot, sign_in

PASSWORD = "mot-de-passe-du-test-e2e"


def person(first: str, last: str) -> Person:
    email = f"{first.lower()}.{last.lower()}@exemple.org"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    return Person.objects.create(user=user, first_name=first, last_name=last, email=email)


def test_the_officer_reads_who_opened_an_application(page, reference_data):
    coordinator = person("Camille", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")
    application = make_application(program)
    officer = person("Julie", "Gagnon")
    officer.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))

    sign_in(page, coordinator.email, PASSWORD)
    page.goto(f"{page.base}/programmes/{program.pk}/candidatures/{application.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The coordinator has no trail in the menu.
    expect(page.get_by_role("link", name="Journal d’audit")).to_have_count(0)
    page.context.clear_cookies()

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        sign_in(page, officer.email, PASSWORD)
        if width < 600:
            page.get_by_text("Menu").click()
        page.get_by_role("link", name="Journal d’audit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Journal d’audit")
        page.get_by_label("Personne (nom ou courriel)").fill("Coord")
        page.get_by_label("Action").select_option(label="consultation")
        page.get_by_role("button", name="Filtrer").click()
        expect(page.get_by_text("1 entrée", exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name="Camille Coord")).to_be_visible()
        assert fits_the_screen(page)
        assert axe_violations(page) == []
        shoot(page, f"privacy-trail-{width}")
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        assert download.value.suggested_filename.endswith(".csv")

        page.get_by_role(
            "link", name="Confidentialité et protection des renseignements personnels"
        ).click()
        expect(page.get_by_role("heading", name="Personne responsable")).to_be_visible()
        expect(
            page.get_by_role("heading", name="Vos droits et comment les exercer")
        ).to_be_visible()
        assert fits_the_screen(page)
        assert axe_violations(page) == []
        shoot(page, f"privacy-page-{width}")
        page.context.clear_cookies()

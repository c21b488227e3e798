"""In French: the privacy officer starts from their home page, opens « Conservation et
destruction », reads the retention rules and what the next daily run would destroy (a count,
nothing run by hand); a participant downloads their data as CSV from their home, on a phone.
On a desk and on a phone, without sideways scroll, axe passing."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from maillage.core.models import Person
from maillage.intake.models import Application
from maillage.privacy.models import DestructionLog
from maillage.programs.models import Role
from maillage.programs.services import assign_role, create_program
from maillage.selection.tests.conftest import make_application

from .conftest import axe_violations, fits_the_screen, shoot, sign_in
from .test_privacy_officer_flow import PASSWORD, person


def test_the_officer_reads_the_rules_and_the_next_run_from_home(page, reference_data):
    coordinator = person("Camille", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")
    forgotten = make_application(program, received=timezone.now() - timedelta(days=45))
    DestructionLog.objects.create(rule="audit_entries", action="erase", count=120)
    officer = person("Julie", "Gagnon")
    officer.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))

    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        sign_in(page, officer.email, PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes programmes")
        page.get_by_role("region", name="Protection des renseignements personnels").get_by_role(
            "link", name="Conservation et destruction"
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Conservation et destruction")
        expect(page.get_by_role("heading", name="Durées de conservation")).to_be_visible()
        rule = page.get_by_role("row").filter(has_text="jamais confirmées ni traitées")
        expect(rule).to_contain_text("30 jours")
        expect(rule).to_contain_text("1 élément à traiter")
        people = page.get_by_role("row").filter(has_text="tous les programmes sont terminés")
        expect(people).to_contain_text("3 ans")
        expect(people).to_contain_text("Anonymisation")
        expect(page.get_by_role("cell", name="Tâche quotidienne de conservation")).to_be_visible()
        # Nothing here runs the job: no button, and the forgotten answer is still there.
        expect(page.get_by_role("main").get_by_role("button", name="Filtrer")).to_have_count(1)
        assert Application.objects.filter(pk=forgotten.pk).exists()
        assert fits_the_screen(page)
        assert axe_violations(page) == []
        shoot(page, f"retention-{width}")
        page.get_by_label("Type de renseignements").select_option(
            label="Entrées du journal d’audit"
        )
        page.get_by_role("button", name="Filtrer").click()
        expect(page.get_by_text("1 entrée", exact=True)).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        assert download.value.suggested_filename.endswith(".csv")
        page.get_by_role(
            "link", name="Confidentialité et protection des renseignements personnels"
        ).click()
        expect(page.get_by_role("heading", name="Durées de conservation")).to_be_visible()
        assert fits_the_screen(page)
        shoot(page, f"retention-policy-{width}")
        page.context.clear_cookies()
    assert DestructionLog.objects.count() == 1


def test_a_participant_downloads_their_data_as_csv_on_a_phone(phone, reference_data):
    coordinator = person("Camille", "Coord")
    program = create_program(by=coordinator, title="Maillage 2027", theme="Réemploi alimentaire")
    mentee = person("Elise", "Mentoree")
    Person.objects.filter(pk=mentee.pk).update(first_name="Élise", last_name="Mentorée")
    assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE)
    page = phone
    sign_in(page, mentee.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes programmes")
    page.get_by_text("Menu").click()
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes données")
    button = page.get_by_role("link", name="Télécharger mes données (CSV pour tableur)")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    assert fits_the_screen(page)
    assert axe_violations(page) == []
    shoot(page, "my-data-csv-390")
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith("-csv.zip")
    with zipfile.ZipFile(download.value.path()) as archive:
        raw = archive.read("01-fiche.csv")
        roles = archive.read("02-roles.csv").decode("utf-8-sig")
    assert raw.startswith(b"\xef\xbb\xbf")
    header, row = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert dict(zip(header, row, strict=True))["prénom"] == "Élise"
    assert "Maillage 2027" in roles

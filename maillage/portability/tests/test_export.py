from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillage.conftest import login, make_person
from maillage.core.models import AuditEntry, Territory
from maillage.intake.models import Application
from maillage.portability.services import import_applications, import_people, parse_upload
from maillage.programs.models import Role
from maillage.programs.services import assign_role

from .conftest import upload

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.test","clic")'


@pytest.fixture
def filled(program_a, mentee, mentor, org_a):
    """Élise with accents and a formula for a position; an application with a formula answer."""
    mentee.organization = org_a
    mentee.position = FORMULA
    mentee.phone = "+1 418 555-0100"
    mentee.save()
    app = Application.objects.create(
        program=program_a,
        organization_name="Café Équitable de Lévis",
        contact_name="Hélène Côté",
        email="helene@cafe.test",
        region=Territory.objects.get(code="QC-12"),
        consent_given=True,
        consent_version=1,
        consent_language="fr",
        answers={"concept": "@SUM(1+1)", "barriers": "Entreposage réfrigéré", "region": "QC-12"},
    )
    return app


def get(client, what, fmt, pk):
    return client.get(reverse("portability:export", args=[pk, what, fmt]))


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel opens accents right
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_people_csv_round_trip_keeps_accents(as_coordinator, program_a, filled):
    response = get(as_coordinator, "people", "csv", program_a.pk)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["Prénom", "Nom", "Courriel"]
    elise = next(row for row in rows if row[0] == "Élise")
    assert elise[1] == "Mentorée"
    assert elise[4] == "Vivre Ensemble (fictif)"
    assert elise[5] == "Capitale-Nationale"
    assert elise[6] == "Communautaire"  # the sector column, read back by the import
    assert elise[13] == "Personne mentorée"
    assert len(rows) == 1 + program_a.roles.count()


def test_people_xlsx_round_trip_keeps_accents(as_coordinator, program_a, filled):
    response = get(as_coordinator, "people", "xlsx", program_a.pk)

    rows = read_xlsx(response)
    assert rows[0][:2] == ["Prénom", "Nom"]
    assert any(row[0] == "Élise" and row[1] == "Mentorée" for row in rows[1:])


def test_applications_csv_has_one_column_per_question(as_coordinator, program_a, filled):
    rows = read_csv(get(as_coordinator, "applications", "csv", program_a.pk))

    header, line = rows[0], rows[1]
    assert header[:4] == ["Numéro", "Reçue le", "Langue", "Organisation"]
    assert {"concept", "barriers", "operations"} <= set(header)
    assert line[0] == str(filled.pk)
    assert line[3] == "Café Équitable de Lévis"
    assert line[header.index("barriers")] == "Entreposage réfrigéré"
    assert line[header.index("region")] == "Chaudière-Appalaches"
    assert line[header.index("Consentement donné")] == "oui"


def test_applications_xlsx_round_trip(as_coordinator, program_a, filled):
    rows = read_xlsx(get(as_coordinator, "applications", "xlsx", program_a.pk))

    assert rows[1][0] == filled.pk
    assert rows[1][4] == "Hélène Côté"


def test_formula_cells_are_neutralised_in_csv(as_coordinator, program_a, filled):
    people = read_csv(get(as_coordinator, "people", "csv", program_a.pk))
    elise = next(row for row in people if row[0] == "Élise")
    assert elise[7] == "'" + FORMULA
    assert elise[3] == "'+1 418 555-0100"
    apps = read_csv(get(as_coordinator, "applications", "csv", program_a.pk))
    assert apps[1][apps[0].index("concept")] == "'@SUM(1+1)"


def test_formula_cells_are_neutralised_in_xlsx(as_coordinator, program_a, filled):
    response = get(as_coordinator, "people", "xlsx", program_a.pk)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[7] for row in sheet.iter_rows(min_row=2) if row[0].value == "Élise"]
    assert cells[0].value == "'" + FORMULA
    assert cells[0].data_type == "s"  # text, never a formula
    apps = read_xlsx(get(as_coordinator, "applications", "xlsx", program_a.pk))
    assert apps[1][apps[0].index("concept")] == "'@SUM(1+1)"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_file_is_an_attachment_named_after_program_and_date(as_coordinator, program_a, fmt):
    from datetime import date

    response = get(as_coordinator, "people", fmt, program_a.pk)

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"programme-a-personnes-{date.today():%Y-%m-%d}.{fmt}" in disposition


def test_each_export_is_recorded_in_the_audit_trail(as_coordinator, program_a, coordinator):
    get(as_coordinator, "people", "csv", program_a.pk)
    get(as_coordinator, "applications", "xlsx", program_a.pk)

    entries = AuditEntry.objects.filter(action="export", program_id=program_a.pk).order_by("id")
    assert [(e.changes["kind"], e.changes["format"]) for e in entries] == [
        ("people", "csv"),
        ("applications", "xlsx"),
    ]
    assert all(entry.actor == coordinator.user for entry in entries)


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee", "committee_member"])
@pytest.mark.parametrize("what", ["people", "applications"])
def test_anyone_but_the_coordinator_gets_404(client, program_a, request, who, what):
    login(client, request.getfixturevalue(who))

    assert get(client, what, "csv", program_a.pk).status_code == 404
    assert get(client, what, "xlsx", program_a.pk).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_unknown_kind_or_format_is_404(as_coordinator, program_a):
    assert get(as_coordinator, "roles", "csv", program_a.pk).status_code == 404
    assert get(as_coordinator, "people", "pdf", program_a.pk).status_code == 404


def test_an_exported_people_file_imports_back_as_updates_only(
    as_coordinator, program_a, coordinator, filled
):
    extra = make_person("Noémie", "Dufour")
    assign_role(program=program_a, person=extra, kind=Role.Kind.OBSERVER)
    response = get(as_coordinator, "people", "xlsx", program_a.pk)

    sheet = parse_upload(upload("export.xlsx", response.content))
    report = import_people(program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user)

    assert not report.bad_rows, [(r.line, r.errors) for r in report.bad_rows]
    assert (report.created, report.updated) == (0, program_a.roles.count())
    filled_mentee = program_a.roles.get(kind=Role.Kind.MENTEE).person
    assert filled_mentee.position == FORMULA  # the apostrophe we added is taken off again


def test_an_exported_applications_file_imports_back_as_updates_only(
    as_coordinator, program_a, coordinator, filled
):
    response = get(as_coordinator, "applications", "csv", program_a.pk)

    sheet = parse_upload(upload("export.csv", response.content))
    report = import_applications(
        program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user
    )

    assert not report.bad_rows, [(r.line, r.errors) for r in report.bad_rows]
    assert (report.created, report.updated) == (0, 1)
    filled.refresh_from_db()
    assert filled.answers["concept"] == "@SUM(1+1)"
    assert filled.region.code == "QC-12"

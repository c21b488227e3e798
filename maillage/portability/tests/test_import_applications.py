from __future__ import annotations

import pytest

from maillage.core.models import AuditEntry
from maillage.intake.models import Application
from maillage.portability.services import import_applications, parse_upload

from .conftest import csv_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

HEADERS = [
    "Organisation",
    "Personne contact",
    "Courriel",
    "Région",
    "Reçue le",
    "Statut",
    "concept",
    "barriers",
]


@pytest.fixture
def rows():
    return [
        HEADERS,
        [
            "Épicerie Solidaire",
            "Anaïs Pépin",
            "anais@epicerie.test",
            "Estrie",
            "2026-03-01",
            "reçue",
            "Un frigo partagé",
            "Le transport réfrigéré",
        ],
        [
            "Banque alimentaire du Nord",
            "Rémi Lévesque",
            "remi@banque.test",
            "08",
            "02/03/2026",
            "en évaluation",
            "Récupération",
            "L'entreposage",
        ],
    ]


def test_semicolon_latin1_csv_creates_applications(program_a, coordinator, rows):
    sheet = parse_upload(upload("candidatures.csv", csv_bytes(rows, sep=";", encoding="latin-1")))
    report = import_applications(
        program=program_a, rows=sheet, skip_bad_rows=False, by=coordinator.user
    )

    assert report.saved and report.created == 2, [r.errors for r in report.rows]
    anais = Application.objects.get(email="anais@epicerie.test")
    assert anais.program == program_a
    assert anais.contact_name == "Anaïs Pépin"
    assert anais.region.code == "QC-05"
    assert anais.answers["concept"] == "Un frigo partagé"
    assert anais.answers["organization"] == "Épicerie Solidaire"  # mapped question filled
    assert anais.answers["region"] == "QC-05"
    assert anais.submitted_at.date().isoformat() == "2026-03-01"
    remi = Application.objects.get(email="remi@banque.test")
    assert remi.status == Application.Status.IN_REVIEW
    assert remi.submitted_at.date().isoformat() == "2026-03-02"  # day first, as in Québec


def test_xlsx_creates_applications(program_a, coordinator, rows):
    report = import_applications(
        program=program_a,
        rows=parse_upload(upload("c.xlsx", xlsx_bytes(rows))),
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert report.created == 2
    assert Application.objects.filter(program=program_a).count() == 2


def test_english_headers_are_accepted(program_a, coordinator):
    rows = [
        {
            "Organization": "Food Hub",
            "Contact": "Sam Lee",
            "Email": "sam@hub.test",
            "Region": "Montreal",
            "Status": "selected",
            "Consent given": "yes",
        }
    ]
    report = import_applications(
        program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user
    )

    assert report.saved, report.rows[0].errors
    app = Application.objects.get(email="sam@hub.test")
    assert app.status == "selected" and app.consent_given and app.region.code == "QC-06"


def test_bad_rows_are_reported_and_nothing_saved(program_a, coordinator, rows):
    rows[1][2] = "pas-un-courriel"
    rows.append(["Org", "X", "x@org.test", "Narnia", "", "", "", ""])  # line 4
    rows.append(["Org 2", "Y", "y@org.test", "", "hier", "", "", ""])  # line 5
    report = import_applications(
        program=program_a,
        rows=parse_upload(upload("c.csv", csv_bytes(rows))),
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert [row.line for row in report.bad_rows] == [2, 4, 5]
    assert "pas-un-courriel" in report.bad_rows[0].errors[0]
    assert "Narnia" in report.bad_rows[1].errors[0]
    assert "hier" in report.bad_rows[2].errors[0]
    assert not Application.objects.exists()


def test_same_application_twice_in_the_file_is_an_error(program_a, coordinator, rows):
    rows.append(list(rows[1]))
    report = import_applications(
        program=program_a,
        rows=parse_upload(upload("c.csv", csv_bytes(rows))),
        skip_bad_rows=True,
        by=coordinator.user,
    )

    assert [row.line for row in report.bad_rows] == [4]
    assert "ligne 2" in report.bad_rows[0].errors[0]
    assert report.created == 2


def test_a_new_application_of_a_known_organization_is_flagged(program_a, coordinator):
    first = Application.objects.create(
        program=program_a, organization_name="Épicerie Solidaire", email="a@epicerie.test"
    )
    rows = [
        {
            "Organisation": "Epicerie solidaire inc.",
            "Personne contact": "B",
            "Courriel": "b@autre.test",
        }
    ]
    report = import_applications(
        program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user
    )

    assert report.created == 1
    new = Application.objects.exclude(pk=first.pk).get()
    assert new.duplicate_of == first
    assert "doublon" in report.rows[0].notes[0]


def test_an_unknown_application_number_is_an_error(program_a, coordinator, outsider):
    other = Application.objects.create(
        program=outsider.roles.get().program, organization_name="B", email="b@b.test"
    )
    rows = [
        {
            "Numéro": str(other.pk),
            "Organisation": "X",
            "Personne contact": "Y",
            "Courriel": "x@y.test",
        }
    ]
    report = import_applications(
        program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user
    )

    assert "Aucune candidature n°" in report.bad_rows[0].errors[0]
    other.refresh_from_db()
    assert other.organization_name == "B"  # another program's application is never touched


def test_missing_required_column_is_reported(program_a, coordinator):
    report = import_applications(
        program=program_a,
        rows=[{"Organisation": "X", "Courriel": "x@y.test"}],
        skip_bad_rows=False,
        by=coordinator.user,
    )

    assert report.file_errors and "« Personne contact »" in report.file_errors[0]


def test_import_is_recorded_in_the_audit_trail(program_a, coordinator, rows):
    import_applications(
        program=program_a,
        rows=parse_upload(upload("c.csv", csv_bytes(rows))),
        skip_bad_rows=False,
        by=coordinator.user,
        filename="c.csv",
    )

    entry = AuditEntry.objects.get(action="import")
    assert entry.changes == {
        "kind": "applications",
        "file": "c.csv",
        "created": 2,
        "updated": 0,
        "skipped": 0,
    }
    assert entry.actor == coordinator.user


def test_an_imported_address_is_found_by_the_next_public_answer(program_a, coordinator):
    """The import writes in bulk (no save()): it keeps the duplicate check's stored keys too."""
    from maillage.intake.models import DuplicateReason
    from maillage.intake.services import find_duplicate_pk

    rows = [{"Organisation": "Cuisine X", "Personne contact": "B", "Courriel": " B@Cuisine.test "}]
    report = import_applications(
        program=program_a, rows=rows, skip_bad_rows=False, by=coordinator.user
    )
    assert report.created == 1
    imported = Application.objects.get()
    assert (imported.email_key, imported.email_domain) == ("b@cuisine.test", "cuisine.test")
    assert find_duplicate_pk(
        program=program_a, organization_name="Autre", email="b@cuisine.test"
    ) == (imported.pk, DuplicateReason.SAME_EMAIL)

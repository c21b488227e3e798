"""Answers to a « Secteur d’activité » question travel as sector names and are stored as codes."""

from __future__ import annotations

import pytest

from maillage.intake.models import Application, Question
from maillage.intake.services import add_question
from maillage.portability.selectors import applications_table
from maillage.portability.services import import_applications, parse_upload

from .conftest import csv_bytes, upload

pytestmark = pytest.mark.django_db

HEADERS = ["Organisation", "Personne contact", "Courriel", "Région", "secteur"]


@pytest.fixture
def sector_question(program_a) -> Question:
    return add_question(form=program_a.forms.get(), kind=Question.Kind.SECTOR, label_fr="Secteur")


def run_import(program, coordinator, sector: str):
    rows = [HEADERS, ["Épicerie Solidaire", "Anaïs Pépin", "anais@epicerie.test", "Estrie", sector]]
    sheet = parse_upload(upload("candidatures.csv", csv_bytes(rows)))
    return import_applications(
        program=program, rows=sheet, skip_bad_rows=False, by=coordinator.user
    )


def test_a_sector_name_imports_as_its_code_and_exports_as_its_name(
    program_a, coordinator, sector_question
):
    report = run_import(program_a, coordinator, "Économie sociale")
    assert report.saved, [r.errors for r in report.rows]
    assert Application.objects.get().answers["secteur"] == "econ_sociale"

    header, rows = applications_table(program_a)
    assert rows[0][header.index("secteur")] == "Économie sociale"


def test_an_unknown_sector_is_refused_by_name(program_a, coordinator, sector_question):
    report = run_import(program_a, coordinator, "Pétrochimie")
    assert not report.saved
    assert "Secteur « Pétrochimie » inconnu" in " ".join(map(str, report.rows[0].errors))

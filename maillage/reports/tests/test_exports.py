"""The report's figures as CSV and XLSX: the same values, formula-like cells neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillage.reports import services
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)"]


@pytest.fixture
def report(program_a, coordinator):
    report = services.get_or_create_draft(program=program_a, language="fr")
    return services.update_recommendations(
        report=report, text="\n".join(FORMULAS), by=coordinator.user
    )


def test_csv_neutralises_formulas_and_has_the_figures(as_coordinator, program_a, report):
    response = as_coordinator.get(reverse("reports:export", args=[program_a.pk, "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    for formula in FORMULAS:
        assert "'" + formula in cells
        assert formula not in cells
    assert ["Chiffres clés", "Rencontres tenues (total)", "0", "", ""] in rows


def test_xlsx_neutralises_formulas(as_coordinator, program_a, report):
    response = as_coordinator.get(reverse("reports:export", args=[program_a.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    for formula in FORMULAS:
        assert "'" + formula in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_unknown_format_is_404(as_coordinator, program_a):
    response = as_coordinator.get(f"/programmes/{program_a.pk}/rapport/export.html")
    assert response.status_code == 404
    assert not Report.objects.exists()

from __future__ import annotations

import csv
import io

import pytest
from django.http import Http404
from openpyxl import load_workbook

from maillage.core.models import AuditEntry
from maillage.core.tables import table_download

pytestmark = pytest.mark.django_db

ROWS = [["=1+1", "Éloïse", 3], ["@cmd", "-2", None]]


def _download(program, user, fmt):
    return table_download(
        fmt=fmt,
        headers=["Formule", "Nom", "Nombre"],
        rows=ROWS,
        name="rencontres",
        instance=program,
        by=user,
    )


def test_csv_keeps_accents_and_neutralises_formulas(program_a, coordinator):
    response = _download(program_a, coordinator.user, "csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Formule", "Nom", "Nombre"]
    assert rows[1] == ["'=1+1", "Éloïse", "3"]
    assert rows[2] == ["'@cmd", "'-2", ""]
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    assert "rencontres" in response["Content-Disposition"]


def test_xlsx_holds_text_not_formulas(program_a, coordinator):
    response = _download(program_a, coordinator.user, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["C2"].value == 3
    assert sheet.title == "rencontres"


def test_export_is_in_the_audit_trail(program_a, coordinator):
    _download(program_a, coordinator.user, "csv")
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == coordinator.user
    assert entry.changes["rows"] == 2
    assert entry.changes["kind"] == "rencontres"
    assert entry.program_id == program_a.pk


def test_unknown_format_is_404(program_a, coordinator):
    with pytest.raises(Http404):
        _download(program_a, coordinator.user, "pdf")
    assert not AuditEntry.objects.filter(action="export").exists()

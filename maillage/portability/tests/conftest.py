"""Files as coordinators make them: Excel (Windows-1252, `;`), LibreOffice (UTF-8), XLSX."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from maillage.programs.services import add_track

PEOPLE_HEADERS_FR = ["Prénom", "Nom", "Courriel", "Organisation", "Région", "Rôle", "Volet"]


def csv_bytes(rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8") -> bytes:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = str(cell)
            if sep in text or '"' in text or "\n" in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(sep.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def logistique(program_a):
    return add_track(program=program_a, name="Logistique")


@pytest.fixture
def people_rows() -> list[list[str]]:
    """A header and three good rows, with accents."""
    return [
        PEOPLE_HEADERS_FR,
        [
            "Hélène",
            "Bérubé",
            "helene.berube@exemple.org",
            "Cuisine Collective Lévis",
            "12",
            "mentoré·e",
            "Logistique",
        ],
        [
            "François",
            "Côté",
            "francois.cote@exemple.org",
            "Frigo Partagé",
            "Capitale-Nationale",
            "mentor",
            "",
        ],
        ["Zoé", "Gagné", "zoe.gagne@exemple.org", "Le Réseau Épicerie", "QC-06", "comité", ""],
    ]

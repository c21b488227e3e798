from __future__ import annotations

import pytest

from maillage.portability.errors import PortabilityError
from maillage.portability.reading import MAX_BYTES, parse_upload

from .conftest import csv_bytes, upload, xlsx_bytes

ROWS = [["Prénom", "Nom", "Courriel"], ["Hélène", "Bérubé", "h@b.test"]]


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(ROWS),
        b"\xef\xbb\xbf" + csv_bytes(ROWS),
        csv_bytes(ROWS, encoding="cp1252"),
        csv_bytes(ROWS, encoding="latin-1"),
        csv_bytes(ROWS, sep=";", encoding="cp1252"),
        csv_bytes(ROWS, sep="\t"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "latin1", "semicolon-cp1252", "tab"],
)
def test_csv_encodings_and_separators(content):
    sheet = parse_upload(upload("f.csv", content))

    assert sheet.headers == ["Prénom", "Nom", "Courriel"]
    assert sheet.rows[0].values == {"Prénom": "Hélène", "Nom": "Bérubé", "Courriel": "h@b.test"}
    assert sheet.rows[0].line == 2


def test_line_numbers_are_the_spreadsheet_rows_even_after_blank_lines():
    content = csv_bytes([ROWS[0], ROWS[1], ["", "", ""], ["A", "B", "a@b.test"]])

    sheet = parse_upload(upload("f.csv", content))

    assert [row.line for row in sheet.rows] == [2, 4]


def test_xlsx_numbers_and_dates_read_as_text():
    from datetime import datetime

    sheet = parse_upload(
        upload("f.xlsx", xlsx_bytes([["Numéro", "Reçue le"], [12, datetime(2026, 3, 1)]]))
    )

    assert sheet.rows[0].values == {"Numéro": "12", "Reçue le": "2026-03-01"}


def test_oversize_file_is_refused():
    with pytest.raises(PortabilityError, match="5 Mo"):
        parse_upload(upload("big.csv", b"a,b\n" + b"x" * MAX_BYTES))


@pytest.mark.parametrize("name", ["photo.png", "liste.pdf", "vieux.xls", "sans-extension"])
def test_other_types_are_refused(name):
    with pytest.raises(PortabilityError, match="CSV"):
        parse_upload(upload(name, b"whatever"))


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("f.csv", b"", "vide"),
        ("f.csv", b"  \r\n", "vide"),
        ("f.csv", b"Prenom,Nom\r\n", "aucune ligne"),
        ("f.xlsx", b"PK\x03\x04 not really a zip", "pas pu être lu"),
        ("f.xlsx", b"Prenom,Nom\nA,B\n", "pas pu être lu"),
        ("f.csv", "Prénom,Nom\n".encode("utf-16"), "pas pu être lu"),
    ],
)
def test_empty_or_unreadable_files_say_so(name, content, fragment):
    with pytest.raises(PortabilityError, match=fragment):
        parse_upload(upload(name, content))

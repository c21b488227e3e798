"""Hostile spreadsheets are refused with a clear French message before they cost memory or
time (issue 12, finding 4): control characters named by row and column; an XLSX that declares
a huge sheet or unpacks huge is refused before a row is read, or before openpyxl opens it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from maillage.portability import reading
from maillage.portability.errors import PortabilityError
from maillage.portability.reading import MAX_UNPACKED, parse_upload

from .conftest import csv_bytes, upload, xlsx_bytes

ROWS = [["Prénom", "Nom", "Courriel"], ["Hélène", "Bérubé", "h@b.test"], ["Ana", "Roy", "a@r.test"]]


SHEET = "xl/worksheets/sheet1.xml"


def rewrite(xlsx: bytes, members: dict[str, bytes]) -> bytes:
    """The same workbook with some members replaced."""
    replaced = dict(members)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replaced.pop(info.filename, None) or source.read(info))
        for name, content in replaced.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return archive.read(SHEET).decode()


@pytest.fixture
def no_rows_read(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a row was read")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", refuse)


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened the file")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_control_character_in_a_csv_cell_is_refused_with_row_and_column(char):
    rows = [row[:] for row in ROWS]
    rows[2][2] = f"a{char}@r.test"
    with pytest.raises(PortabilityError) as caught:
        parse_upload(upload("f.csv", csv_bytes(rows)))
    message = caught.value.message
    assert "ligne 3, colonne C (« Courriel »)" in message
    assert f"U+{ord(char):04X}" in message


def test_a_nul_in_a_header_is_named_too():
    rows = [["Prénom", "N\x00om", "Courriel"], *ROWS[1:]]
    with pytest.raises(PortabilityError, match="ligne 1, colonne B"):
        parse_upload(upload("f.csv", csv_bytes(rows)))


def test_tabs_and_line_breaks_in_a_cell_are_kept():
    rows = [row[:] for row in ROWS]
    rows[1][0] = "Hélène\tMarie\nseconde ligne"
    sheet = parse_upload(upload("f.csv", csv_bytes(rows)))
    assert sheet.rows[0].values["Prénom"] == "Hélène\tMarie\nseconde ligne"


def test_a_control_character_in_an_xlsx_cell_is_refused_with_row_and_column():
    xlsx = xlsx_bytes(ROWS)
    # openpyxl refuses to write one; Excel writes it escaped: _x0001_.
    xml = sheet_xml(xlsx).replace("a@r.test", "a_x0001_@r.test")
    with pytest.raises(PortabilityError) as caught:
        parse_upload(upload("f.xlsx", rewrite(xlsx, {SHEET: xml.encode()})))
    assert "ligne 3, colonne C (« Courriel »)" in caught.value.message


def test_a_tiny_xlsx_declaring_a_huge_sheet_is_refused_before_a_row_is_read(no_rows_read):
    xlsx = xlsx_bytes(ROWS)
    xml = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD20002"', sheet_xml(xlsx))
    hostile = rewrite(xlsx, {SHEET: xml.encode()})
    assert len(hostile) < 8 * 1024
    with pytest.raises(PortabilityError, match="plus de 200 colonnes"):
        parse_upload(upload("f.xlsx", hostile))


def test_a_declared_dimension_that_lies_still_bounds_the_row_width():
    """A small declared dimension, but one cell far to the right (column XFD): refused while
    streaming, and no row held wider than the cap."""
    xlsx = xlsx_bytes(ROWS)
    xml = sheet_xml(xlsx).replace(
        "</row></sheetData>", '</row><row r="4"><c r="XFD4" t="n"><v>1</v></c></row></sheetData>'
    )
    widths = []
    real = ReadOnlyWorksheet._get_row

    def spy(self, row, min_col=1, max_col=None, values_only=False):
        result = real(self, row, min_col, max_col, values_only)
        widths.append(len(result))
        return result

    ReadOnlyWorksheet._get_row = spy
    try:
        with pytest.raises(PortabilityError, match="colonnes"):
            parse_upload(upload("f.xlsx", rewrite(xlsx, {SHEET: xml.encode()})))
    finally:
        ReadOnlyWorksheet._get_row = real
    # The one wide row is the one refused: none is kept, none follows.
    assert widths[-1] == 16384 and all(width <= 3 for width in widths[:-1])


def test_rows_past_the_cap_are_refused_without_reading_them_all(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    rows = [ROWS[0]] + [[f"P{n}", "N", f"p{n}@x.test"] for n in range(50)]
    with pytest.raises(PortabilityError, match="plus de 5 lignes"):
        parse_upload(upload("f.xlsx", xlsx_bytes(rows)))
    with pytest.raises(PortabilityError, match="plus de 5 lignes"):
        parse_upload(upload("f.csv", csv_bytes(rows)))


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELLS", 20)
    rows = [ROWS[0]] + [[f"P{n}", "N", f"p{n}@x.test"] for n in range(10)]
    for name, content in (("f.xlsx", xlsx_bytes(rows)), ("f.csv", csv_bytes(rows))):
        with pytest.raises(PortabilityError, match="cellules"):
            parse_upload(upload(name, content))


def test_shared_strings_that_unpack_huge_are_refused_before_openpyxl_opens_the_file(
    openpyxl_never_opens,
):
    xlsx = xlsx_bytes(ROWS)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info.filename, source.read(info))
        # A real bomb, small once packed: 60 MB of one repeated string, in 1 MB writes.
        with target.open("xl/sharedStrings.xml", "w") as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
            for _ in range((MAX_UNPACKED + 10 * 1024 * 1024) // (len(chunk) * 1000)):
                member.write(chunk * 1000)
            member.write(b"</sst>")
    hostile = out.getvalue()
    assert len(hostile) < reading.MAX_BYTES
    with pytest.raises(PortabilityError, match="une fois décompressé"):
        parse_upload(upload("f.xlsx", hostile))


def test_a_normal_xlsx_still_reads():
    sheet = parse_upload(upload("f.xlsx", xlsx_bytes(ROWS)))
    assert [row.values["Courriel"] for row in sheet.rows] == ["h@b.test", "a@r.test"]


@pytest.mark.django_db
def test_the_import_page_names_the_cell_and_stores_nothing(as_coordinator, program_a, people_rows):
    from django.urls import reverse

    from maillage.core.models import Person

    rows = [row[:] for row in people_rows]
    rows[2][0] = "Ma\x00rie"
    before = Person.objects.count()
    response = as_coordinator.post(
        reverse("portability:import", args=[program_a.pk]),
        {"kind": "people", "file": upload("personnes.csv", csv_bytes(rows))},
        follow=True,  # to the import's page, once the worker has read the file
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ligne 3, colonne A" in html and "U+0000" in html
    assert "Confirmer l’importation" not in html
    assert Person.objects.count() == before

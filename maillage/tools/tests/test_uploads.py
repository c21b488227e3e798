from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.tools.errors import ToolError
from maillage.tools.uploads import check_upload, clean_filename

from .conftest import EXE_BYTES, PDF_BYTES, docx_bytes, odt_bytes

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("guide.pdf", PDF_BYTES, "application/pdf"),
        (
            "Plan.DOCX",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("gouvernance.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("compilation.csv", b"organisme;kg\nVivre Ensemble;120\n", "text/csv"),
        ("compilation-excel.csv", "Québec;été\n".encode("cp1252"), "text/csv"),
        ("notes.txt", "Guide de tri — étapes".encode(), "text/plain"),
        ("amenagement.png", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
    ],
)
def test_allowed_types_pass_and_get_a_content_type_from_the_extension(name, content, content_type):
    checked = check_upload(SimpleUploadedFile(name, content, content_type="application/x-whatever"))
    assert checked.content_type == content_type
    assert checked.size == len(content)


@pytest.mark.parametrize(
    "name", ["outil.exe", "page.html", "logo.svg", "script.js", "macro.sh", "archive.zip", "sans"]
)
def test_other_extensions_are_refused_with_the_allowed_list(name):
    with pytest.raises(ToolError) as caught:
        check_upload(SimpleUploadedFile(name, b"hello", content_type="text/plain"))
    assert caught.value.field == "file"
    assert "PDF, DOCX" in caught.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("calculateur.pdf", EXE_BYTES),  # an executable renamed .pdf
        ("calculateur.docx", EXE_BYTES),
        ("image.png", PDF_BYTES),
        ("plan.docx", odt_bytes()),  # a zip, but not a Word document
        ("plan.ods", odt_bytes()),  # OpenDocument text renamed spreadsheet
        ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>"),
        ("notes.txt", b"#!/bin/sh\nrm -rf ~\n"),
        ("donnees.csv", b"a,b\n\x00\x01\x02"),
        ("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, content):
    with pytest.raises(ToolError) as caught:
        check_upload(SimpleUploadedFile(name, content))
    assert "ne correspond pas" in caught.value.message


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/vbaProject.bin", b"macros")
    with pytest.raises(ToolError):
        check_upload(SimpleUploadedFile("calcul.xlsx", buffer.getvalue()))


def test_the_size_limit_comes_from_the_setting(settings):
    settings.MAILLAGE_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    with pytest.raises(ToolError) as caught:
        check_upload(big)
    assert "la limite est de 1 Mo" in caught.value.message
    settings.MAILLAGE_UPLOAD_MAX_MB = 2
    assert check_upload(big).size > 1024 * 1024


def test_an_empty_file_is_refused():
    with pytest.raises(ToolError):
        check_upload(SimpleUploadedFile("vide.pdf", b""))


def test_file_names_lose_folders_and_control_characters():
    assert clean_filename("../../etc/passwd.txt") == "passwd.txt"
    assert clean_filename("C:\\Users\\marc\\Guide de tri.pdf") == "Guide de tri.pdf"
    assert clean_filename('a"b\r\nc.pdf') == "a_bc.pdf"
    assert clean_filename("") == "fichier"
    long = clean_filename("x" * 400 + ".pdf")
    assert len(long) == 150 and long.endswith(".pdf")

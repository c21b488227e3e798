"""Checks on an uploaded file (a shared tool, a training document) before it is stored: size, extension, and what the bytes really are.

The extension alone proves nothing (an .exe renamed .pdf keeps its executable header), so the
content is sniffed and must match the extension. Office files are zip archives: only their list
of entries (and the small `mimetype` entry of OpenDocument files) is read, never the whole
archive, so a zip bomb costs nothing here.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DomainError

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV, TXT, PNG, JPEG"
# The folder an Office Open XML archive must contain for each extension.
OOXML_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
# Markers of content a browser could run or render as a page; refused even in a .txt or .csv.
ACTIVE_MARKERS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"#!")
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa")
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    extension: str
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "MAILLAGE_UPLOAD_MAX_MB", 20)) * 1024 * 1024


def clean_filename(name: str) -> str:
    """The name shown and offered at download: no folders, no control characters, not too long.

    It never reaches the disk (the stored name is random), but it goes into a header."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[\\/:*?"<>|]+', "_", base).strip(" .")
    if len(base) > 150:
        stem, suffix = PurePosixPath(base).stem, PurePosixPath(base).suffix
        base = stem[: 150 - len(suffix)] + suffix
    return base or "fichier"


def check_upload(
    upload: IO[bytes] | object, *, error: type[DomainError] = DomainError
) -> CheckedUpload:
    """Raise `error` (the caller's app error, field "file") unless the upload is of an allowed
    type and size."""
    name = clean_filename(getattr(upload, "name", "") or "")
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size > limit:
        raise error(
            _(
                "Le fichier « %(name)s » pèse %(size)s Mo ; la limite est de %(limit)s Mo. "
                "Réduisez-le ou partagez plutôt un lien."
            )
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": limit // 1024 // 1024},
            field="file",
        )
    if size == 0:
        raise error(_("Le fichier « %(name)s » est vide.") % {"name": name}, field="file")
    extension = PurePosixPath(name).suffix.lower()
    if extension not in CONTENT_TYPES:
        raise error(
            _(
                "Les fichiers « %(ext)s » ne sont pas acceptés. Types acceptés : %(allowed)s. "
                "Pour un autre format, partagez un lien."
            )
            % {"ext": extension or _("sans extension"), "allowed": ALLOWED_LABEL},
            field="file",
        )
    if not _content_matches(upload, extension):
        raise error(
            _(
                "Le contenu de « %(name)s » ne correspond pas à un fichier %(ext)s : il a été "
                "refusé par prudence. Enregistrez-le de nouveau au bon format."
            )
            % {"name": name, "ext": extension.lstrip(".").upper()},
            field="file",
        )
    return CheckedUpload(
        original_name=name, extension=extension, content_type=CONTENT_TYPES[extension], size=size
    )


def _content_matches(upload: object, extension: str) -> bool:
    stream = upload.file if hasattr(upload, "file") else upload  # type: ignore[attr-defined]
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    try:
        if head.startswith(EXECUTABLE_MAGIC):
            return False
        if extension == ".pdf":
            # Some producers put a few bytes before the header; readers look in the first 1 KiB.
            return b"%PDF-" in head[:1024]
        if extension == ".png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if extension in (".jpg", ".jpeg"):
            return head.startswith(b"\xff\xd8\xff")
        if extension in (".csv", ".txt"):
            return _is_plain_text(head)
        if extension in OOXML_PARTS:
            names = _zip_names(stream)
            return (
                names is not None
                and "[Content_Types].xml" in names
                and any(n.startswith(OOXML_PARTS[extension]) for n in names)
                # A macro-enabled file (.docm, .xlsm) renamed .docx/.xlsx carries its macros here.
                and not any(n.lower().endswith("vbaproject.bin") for n in names)
            )
        return _opendocument_type(stream) == CONTENT_TYPES[extension]
    finally:
        stream.seek(0)


def _is_plain_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(ACTIVE_MARKERS) or any(m in lowered for m in ACTIVE_MARKERS[:6]):
        return False
    # Spreadsheets exported in Québec are often Windows-1252 rather than UTF-8: accept both.
    # The last few bytes may cut a UTF-8 character in two; ignore that cut.
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start >= len(head) - 3:
                return True
    return False


def _zip_names(stream: IO[bytes]) -> set[str] | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _opendocument_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return None
            return archive.read(info).decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None

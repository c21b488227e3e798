"""Read an uploaded spreadsheet (CSV or XLSX) into rows that remember their line number.

Spreadsheets come from everywhere: Excel on Windows writes Windows-1252 and, in a French
Québec locale, `;` between columns; LibreOffice writes UTF-8; Google Sheets writes UTF-8 with
commas. We accept all of them and refuse anything else with a message a person can act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from typing import IO, Any

from django.utils.translation import gettext as _

from .errors import PortabilityError

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB XLSX can unpack to far more cells than a person can review; this bounds the work.
MAX_ROWS = 20_000
EXTENSIONS = (".csv", ".xlsx")


@dataclass
class Row:
    """One data row; `line` is the line number the person sees in the spreadsheet (header = 1)."""

    line: int
    values: dict[str, str]


@dataclass
class Sheet:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)


def parse_upload(file: Any) -> Sheet:
    """Read an uploaded file (a Django UploadedFile or anything with `.name` and `.read()`)."""
    name = (getattr(file, "name", "") or "").lower()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_BYTES:
        raise PortabilityError(_too_big())
    if not name.endswith(EXTENSIONS):
        if name.endswith(".xls") or name.endswith(".ods"):
            raise PortabilityError(
                _("Ce format n’est pas lu. Enregistrez le fichier en Excel (.xlsx) ou en CSV.")
            )
        raise PortabilityError(
            _("Ce type de fichier n’est pas accepté : choisissez un fichier CSV ou Excel (.xlsx).")
        )
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PortabilityError(_too_big())
    if not data.strip():
        raise PortabilityError(_("Le fichier est vide."))
    table = read_xlsx(data) if name.endswith(".xlsx") else read_csv(data)
    return to_sheet(table)


def _too_big() -> str:
    return _("Le fichier dépasse 5 Mo. Divisez-le en plusieurs fichiers plus petits.")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: `;`, `,` or a tab, whichever it has most of."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        # UTF-16 or a binary file renamed .csv: neither is a spreadsheet we can read.
        raise PortabilityError(_unreadable())
    text = decode(data)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        return list(islice(reader, MAX_ROWS + 2))
    except csv.Error as error:
        raise PortabilityError(_unreadable()) from error


def read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise PortabilityError(_unreadable()) from error
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise PortabilityError(_unreadable()) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for cells in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2):
            table.append([cell_text(value) for value in cells])
        return table
    except Exception as error:
        raise PortabilityError(_unreadable()) from error
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """An Excel cell as the text a person would read in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.isoformat(sep=" ", timespec="minutes")
            if value.time() != time()
            else (value.date().isoformat())
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unreadable() -> str:
    return _(
        "Le fichier n’a pas pu être lu. Vérifiez qu’il s’agit bien d’un fichier CSV ou Excel "
        "(.xlsx) et qu’il n’est pas protégé par un mot de passe."
    )


def to_sheet(table: list[list[str]]) -> Sheet:
    """First non-empty line = headers; fully empty lines are skipped but keep their number."""
    lines = list(enumerate(table, start=1))
    while lines and not any(str(cell).strip() for cell in lines[0][1]):
        lines.pop(0)
    if not lines:
        raise PortabilityError(_("Le fichier est vide."))
    headers = []
    for cell in lines[0][1]:
        header = str(cell).strip()
        # Two columns with one title would overwrite each other: number the second.
        if header and header in headers:
            header = f"{header} ({headers.count(header) + 1})"
        headers.append(header)
    rows = []
    for line, cells in lines[1:]:
        if not any(str(cell).strip() for cell in cells):
            continue
        values = {}
        for index, header in enumerate(headers):
            if header:
                values[header] = str(cells[index]).strip() if index < len(cells) else ""
        rows.append(Row(line=line, values=values))
    if len(rows) > MAX_ROWS:
        raise PortabilityError(
            _("Le fichier compte plus de %(max)s lignes. Divisez-le en plusieurs fichiers.")
            % {"max": MAX_ROWS}
        )
    if not rows:
        raise PortabilityError(_("Le fichier ne contient aucune ligne de données sous l’en-tête."))
    return Sheet(headers=headers, rows=rows)


def as_rows(rows: Sheet | list[Row] | list[dict[str, str]] | IO[bytes]) -> list[Row]:
    """Accept a Sheet, Rows, or plain dicts (line numbers then follow the header as line 1)."""
    if isinstance(rows, Sheet):
        return rows.rows
    result = []
    for index, row in enumerate(rows, start=2):
        if isinstance(row, Row):
            result.append(row)
        else:
            result.append(Row(line=index, values={k: str(v or "").strip() for k, v in row.items()}))
    return result

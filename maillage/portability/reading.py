"""Read an uploaded spreadsheet (CSV or XLSX) into rows that remember their line number.

Spreadsheets come from everywhere: Excel on Windows writes Windows-1252 and, in a French
Québec locale, `;` between columns; LibreOffice writes UTF-8; Google Sheets writes UTF-8 with
commas. We accept all of them and refuse anything else with a message a person can act on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import islice
from typing import IO, Any

from django.utils.translation import gettext as _

from .errors import PortabilityError

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB file can unpack to far more cells than a person can review, and an XLSX is a zip that
# can declare anything: these bound the work and the memory, and each is checked before the
# work it bounds (issue 12, finding 4: a 1.5 KB XLSX declaring A1:XFD20002 took 43 s and
# 2.65 GB; shared strings unpacking to 1.6 GB took 3.2 GB).
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000
MAX_UNPACKED = 50 * 1024 * 1024  # all the members of an XLSX, unpacked
MAX_MEMBERS = 500
EXTENSIONS = (".csv", ".xlsx")
# Control characters have no place in a cell, and PostgreSQL refuses NUL outright (a server
# error). Tab and line breaks are kept (a cell can hold several lines).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > len(head) // 8:
        # UTF-16 or a binary file renamed .csv: neither is a spreadsheet we can read. A stray
        # NUL in a cell goes on, to be named with its row and column (check_cell).
        raise PortabilityError(_unreadable())
    text = decode(data)
    table: list[list[str]] = []
    cells = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        for row in islice(reader, MAX_ROWS + 2):
            cells += len(row)
            if len(row) > MAX_COLUMNS or cells > MAX_CELLS:
                raise PortabilityError(_too_wide(len(row), cells))
            table.append(row)
    except csv.Error as error:
        raise PortabilityError(_unreadable()) from error
    return table


def check_zip(data: bytes) -> None:
    """Refuse an XLSX whose members would unpack beyond MAX_UNPACKED, before anything is
    unpacked: the sizes come from the zip's directory, and a member cannot unpack to more
    than its declared size (zipfile stops there, and the CRC check then fails)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise PortabilityError(_unreadable()) from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED:
        raise PortabilityError(
            _(
                "Ce fichier Excel prendrait %(size)s Mo une fois décompressé (au plus %(max)s "
                "Mo) : il contient sans doute autre chose qu’une liste. Copiez la liste dans un "
                "nouveau classeur, ou enregistrez-la en CSV."
            )
            % {"size": unpacked // (1024 * 1024), "max": MAX_UNPACKED // (1024 * 1024)}
        )


def read_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet, in openpyxl's read-only streaming mode, within the caps."""
    check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise PortabilityError(_unreadable()) from error
    try:
        sheet = workbook.worksheets[0]
        check_declared_size(sheet.max_row or 0, sheet.max_column or 0)
        # The declared size is a claim: forget it, or openpyxl pads every row to it. A row is
        # then as wide as its last cell; the cells count includes that padding, so a sheet of
        # far-right cells is refused after MAX_CELLS of them, never held.
        sheet.reset_dimensions()
        table = []
        cells = 0
        for values in islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2):
            cells += len(values)
            if cells > MAX_CELLS:
                raise PortabilityError(_too_wide(0, cells))
            row = [cell_text(_unescape(value)) for value in values[:MAX_COLUMNS]]
            if len(values) > MAX_COLUMNS and values[MAX_COLUMNS:].count(None) < len(
                values[MAX_COLUMNS:]
            ):
                raise PortabilityError(_too_wide(len(values), cells))
            while row and row[-1] == "":
                row.pop()
            table.append(row)
        return table
    except PortabilityError:
        raise
    except Exception as error:
        raise PortabilityError(_unreadable()) from error
    finally:
        workbook.close()


def _unescape(value: Any) -> Any:
    """Excel writes the characters XML cannot hold as _xHHHH_ (_x000D_ for a carriage return);
    openpyxl leaves them as typed. Read them as the characters they stand for, so that a
    control character is named like a CSV's (check_cell)."""
    if isinstance(value, str) and "_x" in value:
        from openpyxl.utils.escape import unescape

        return unescape(value)
    return value


def check_declared_size(rows: int, columns: int) -> None:
    """The sheet's declared dimension (its <dimension ref="A1:XFD20002">), before any row is
    read."""
    if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise PortabilityError(_too_wide(columns, rows * columns))
    if rows > MAX_ROWS + 1:
        raise PortabilityError(_too_many_rows())


def _too_many_rows() -> str:
    return _("Le fichier compte plus de %(max)s lignes. Divisez-le en plusieurs fichiers.") % {
        "max": MAX_ROWS
    }


def _too_wide(columns: int, cells: int) -> str:
    if columns > MAX_COLUMNS:
        return _(
            "La feuille s’étend sur plus de %(max)s colonnes. Gardez seulement les colonnes de "
            "la liste (supprimez les colonnes vides ou de calcul à droite), ou enregistrez-la "
            "en CSV."
        ) % {"max": MAX_COLUMNS}
    return _("La feuille compte plus de %(max)s cellules. Divisez-la en plusieurs fichiers.") % {
        "max": f"{MAX_CELLS:,}".replace(",", "\u202f")
    }


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
    for line, cells in lines:
        for index, cell in enumerate(cells):
            check_cell(str(cell), line=line, column=index, header=_header_at(lines[0][1], index))
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
        raise PortabilityError(_too_many_rows())
    if not rows:
        raise PortabilityError(_("Le fichier ne contient aucune ligne de données sous l’en-tête."))
    return Sheet(headers=headers, rows=rows)


def _header_at(cells: list[Any], index: int) -> str:
    return str(cells[index]).strip() if index < len(cells) else ""


def check_cell(text: str, *, line: int, column: int, header: str = "") -> None:
    """Refuse a control character (NUL and the like; not tab nor line breaks), naming the row
    and the column as the spreadsheet shows them."""
    found = CONTROL.search(text)
    if found is None:
        return
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(column + 1)
    where = (
        _("ligne %(line)s, colonne %(letter)s (« %(header)s »)")
        if header
        else _("ligne %(line)s, colonne %(letter)s")
    ) % {"line": line, "letter": letter, "header": header}
    raise PortabilityError(
        _(
            "Un caractère de contrôle invisible (code U+%(code)s) se trouve %(where)s : il "
            "n’est pas accepté. Retirez-le de la cellule (retapez son contenu), puis importez "
            "le fichier de nouveau."
        )
        % {"code": f"{ord(found.group()):04X}", "where": where}
    )


def as_rows(rows: Sheet | list[Row] | list[dict[str, str]] | IO[bytes]) -> list[Row]:
    """Accept a Sheet, Rows, or plain dicts (line numbers then follow the header as line 1)."""
    if isinstance(rows, Sheet):
        return rows.rows
    result = []
    for index, row in enumerate(rows, start=2):
        if isinstance(row, Row):
            result.append(row)
        else:
            for column, (key, value) in enumerate(row.items()):
                check_cell(str(value or ""), line=index, column=column, header=str(key))
            result.append(Row(line=index, values={k: str(v or "").strip() for k, v in row.items()}))
    return result

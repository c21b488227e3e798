"""Any table of the platform as a CSV or XLSX download: the one way a page offers its rows.

A page that shows a table builds its rows once (a selector returning headers and rows) and offers
them through `table_download`: unknown formats are 404, formula-like cells are neutralised by
`writing`, the file is never cached by a shared cache, and the export enters the audit trail with
who, what and how many rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import models
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .audit import acting_as, record
from .writing import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx

FORMATS = ("csv", "xlsx")

# A table as a page builds it: headers, then rows of cells.
Table = tuple[list[str], list[list[Any]]]


def table_download(
    *,
    fmt: str,
    headers: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    name: str,
    instance: models.Model,
    by: Any,
    title: str = "",
    kind: str = "",
) -> HttpResponse:
    """`rows` under `headers` as a file named after `instance` (a program, a group…) and `name`.

    `name` is the table's translated name (« rencontres »); it titles the sheet and the file.
    `kind` names the table in the audit trail whatever the language (default: `name`'s slug)."""
    if fmt not in FORMATS:
        raise Http404
    headers = [str(h) for h in headers]
    rows = [list(row) for row in rows]
    stem = "-".join(
        part for part in ("maillage", slugify(str(instance))[:50], slugify(str(name))[:40]) if part
    )
    filename = f"{stem}-{date.today():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        content, content_type = to_csv(headers, rows), CSV_TYPE
    else:
        content, content_type = to_xlsx(headers, rows, title=str(title or name)), XLSX_TYPE
    with acting_as(by):
        record(
            action="export",
            instance=instance,
            # A program's own export belongs to its trail like those of its groups.
            program_id=instance.pk if instance._meta.label == "programs.Program" else None,
            changes={
                "kind": kind or slugify(str(name)),
                "format": fmt,
                "rows": len(rows),
                "file": filename,
            },
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


# Cells as the selectors of every table write them: numbers stay numbers (a spreadsheet sums
# them), dates are ISO (a spreadsheet sorts them), whatever the page's language shows.


def number(value: Any, places: int = 2) -> int | float | None:
    """A figure rounded as pages show it; a whole one as an int (« 20 », not « 20.0 »)."""
    if value is None:
        return None
    value = round(float(value), places)
    return int(value) if value.is_integer() else value


def day(moment: Any) -> str:
    """The local date of a date or datetime, ISO; empty when there is none."""
    if not moment:
        return ""
    if hasattr(moment, "tzinfo"):
        return timezone.localdate(moment).isoformat()
    return moment.isoformat()


def yes_no(value: bool) -> str:
    return _("oui") if value else _("non")


def local(moment: Any) -> str:
    if not moment:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

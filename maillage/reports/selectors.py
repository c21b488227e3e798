"""Reads for the report pages: the report's data (live for a draft, frozen once published)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from maillage.core.tables import Table
from maillage.programs.models import Program, Track

from . import charts
from .content import build_report, num, share_row
from .indicators import program_indicators
from .models import Report
from .suppression import MARK, small_cell_k, suppress


def report_data(report: Report) -> dict[str, Any]:
    if report.is_published and report.snapshot:
        return report.snapshot
    return build_report(
        report.program, language=report.language, recommendations=report.recommendation_list()
    )


def report_charts(data: dict[str, Any]) -> list[dict[str, str]]:
    """The report's charts as SVG data URIs, with a text alternative each."""
    timeline = data["timeline"]
    months = timeline["months"]
    if not months:
        return []
    with translation.override(data["language"]):
        collective, individual = _("Collectives"), _("Individuelles")
        meetings_title = _("Rencontres tenues par mois")
        meetings_desc = "; ".join(
            f"{r['month']} : {r['collective']} {collective.lower()}, "
            f"{r['individual']} {individual.lower()}"
            for r in timeline["rows"]
        )
        cumulative, running = [], 0.0
        for value in timeline["hours_used"]:
            running += value or 0
            cumulative.append(round(running, 2))
        # A running total gives a hidden month away (the difference of two points): with a
        # month hidden, the hours chart goes and the table says « x ».
        hours_hidden = None in timeline["hours_used"] or timeline["hours_bank"] is None
        hours_title = _("Heures de mentorat utilisées, cumul")
        used, planned = _("Heures utilisées (cumul)"), _("Heures prévues")
        hours_desc = (
            "; ".join(f"{m} : {num(v)}" for m, v in zip(months, cumulative, strict=True))
            + f" ({planned} : {num(timeline['hours_bank'])})"
        )
        meetings_svg = charts.bar_chart(
            months,
            [
                (collective, timeline["meetings_collective"]),
                (individual, timeline["meetings_individual"]),
            ],
            title=meetings_title,
            desc=meetings_desc,
        )
        shown = []
        if any(
            value is not None
            for value in timeline["meetings_collective"] + timeline["meetings_individual"]
        ):
            shown.append(
                {
                    "title": meetings_title,
                    "alt": meetings_desc,
                    "src": charts.data_uri(meetings_svg),
                }
            )
        if not hours_hidden:
            hours_svg = charts.line_chart(
                months,
                [(used, cumulative), (planned, [timeline["hours_bank"]] * len(months))],
                title=hours_title,
                desc=hours_desc,
            )
            shown.append(
                {"title": hours_title, "alt": hours_desc, "src": charts.data_uri(hours_svg)}
            )
    return shown


def track_table(program: Program, k: int | None = None) -> dict[str, Any]:
    """People and applications per track, with primary and complementary suppression: the
    program's totals stay published, so a hidden track figure must not be their difference."""
    k = small_cell_k(k)
    tracks = list(Track.objects.filter(program=program).order_by("order", "pk"))
    columns = [
        ("applications_received", _("Candidatures reçues")),
        ("applications_selected", _("Retenues")),
        ("mentors", _("Mentor·es")),
        ("mentees", _("Personnes mentorées")),
    ]
    per_track = [program_indicators(program, track=t) for t in tracks]
    matrix = [[ind[key] for key, _label in columns] for ind in per_track]
    if not matrix:
        return {"columns": [], "rows": [], "totals": []}
    table = suppress(matrix, k=k, row_totals=False, col_totals=True)
    return {
        "columns": [label for _key, label in columns],
        "rows": [
            {"track": t.name, "cells": [c.shown for c in row]}
            for t, row in zip(tracks, table.rows, strict=True)
        ],
        "totals": [c.shown for c in table.col_totals],
        "suppressed": table.any_suppressed,
    }


def indicator_rows(ind: dict[str, Any], k: int) -> dict[str, Any]:
    """The indicators page's figures: people counts with the small-cell rule."""
    from .content import figure_rows, satisfaction_rows

    return {
        "figures": figure_rows(ind, k),
        "satisfaction": satisfaction_rows(ind, k),
        "rounds": [
            {"date": r["send_on"], **share_row(r["count"], r["total"], k)}
            for r in ind["response_rates"]
        ],
        "mark": MARK,
    }


def indicator_charts(ind: dict[str, Any], language: str) -> list[dict[str, str]]:
    """The indicators page's monthly charts (same drawing as the report's)."""
    over = ind["over_time"]
    with translation.override(language):
        from .content import month_label

        data = {
            "language": language,
            "timeline": {
                "months": [month_label(m) for m in over["months"]],
                "meetings_collective": over["meetings_collective"],
                "meetings_individual": over["meetings_individual"],
                "hours_used": over["hours_used"],
                "hours_bank": ind["hours"]["bank"],
                "rows": month_rows(ind),
            },
        }
    return report_charts(data), data["timeline"]["rows"]


def month_rows(ind: dict[str, Any]) -> list[dict[str, str]]:
    """Meetings and hours per month, in the active language (the charts' table)."""
    from .content import month_label

    over = ind["over_time"]
    return [
        {"month": month_label(m), "collective": num(c), "individual": num(i), "hours": num(h)}
        for m, c, i, h in zip(
            over["months"],
            over["meetings_collective"],
            over["meetings_individual"],
            over["hours_used"],
            strict=True,
        )
    ]


# --- The indicators page as files: the page's cells, suppression marks included -------------


def plain(shown: Any) -> Any:
    """A figure as the page shows it (« 1 234,5 », « 50 % ») as a number for a spreadsheet.
    The suppression mark and anything that is not a figure stay as shown: the file never
    holds more than the page."""
    text = str(shown).removesuffix("%").strip()
    if text in ("", "—", MARK):
        return "" if text == "—" else text
    for separator in {str(get_format("THOUSAND_SEPARATOR")), "\xa0", "\u202f", " "}:
        text = text.replace(separator, "")
    text = text.replace(str(get_format("DECIMAL_SEPARATOR")), ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return shown
    return int(number) if number == number.to_integral_value() else float(number)


def indicator_table(rows: dict[str, Any], months: list[dict[str, str]]) -> Table:
    """The indicators page (`indicator_rows` and `month_rows`) as one table: section,
    indicator, value, of, percent."""
    key_figures, evaluation = _("Chiffres clés"), _("Évaluation")
    out: list[list[Any]] = [
        [key_figures, r["label"], plain(r["value"]), "", ""] for r in rows["figures"]
    ]
    out += [
        [evaluation, r["label"], plain(r["count"]), plain(r["total"]), plain(r["percent"])]
        for r in rows["satisfaction"]
    ]
    for label, key in (
        (_("Rencontres collectives"), "collective"),
        (_("Rencontres individuelles"), "individual"),
        (_("Heures utilisées"), "hours"),
    ):
        out += [[label, m["month"], plain(m[key]), "", ""] for m in months]
    return [_("Section"), _("Indicateur"), _("Valeur"), _("Sur"), "%"], out


def track_rows(by_track: dict[str, Any]) -> Table:
    """`track_table` (already suppressed) with its total line, as the page shows it."""
    rows: list[list[Any]] = [
        [r["track"], *(plain(c) for c in r["cells"])] for r in by_track["rows"]
    ]
    if rows:
        rows.append([_("Total"), *(plain(c) for c in by_track["totals"])])
    return [_("Volet"), *by_track["columns"]], rows

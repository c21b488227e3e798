"""Reads of the shared measurement: actual values across member programs, against baseline and
plan, with the small-cell rule applied before anything reaches a template or an export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format

from maillage.core.tables import number
from maillage.mentoring.models import GroupMember, Meeting, TimeEntry
from maillage.reports import suppression
from maillage.reports.indicators import program_indicators
from maillage.reports.suppression import MARK

from .models import Indicator, Measurement, MemberProgram, Network, NetworkMember, ProgramFigures

# Keys an indicator may name that `program_indicators` does not have: counted here (stored with
# the figures, so they cost nothing on the page either).
FALLBACK_KEYS = ("applications", "groups", "participants", "meetings_held", "hours_used")


def _fallback_value(program: Any, key: str, until: date | None) -> float | None:
    """A few program figures counted here, for the keys `program_indicators` lacks."""
    end = timezone.make_aware(datetime.combine(until, time.max)) if until else None
    if key == "applications":
        qs = program.applications.all()
        return (qs.filter(submitted_at__lte=end) if end else qs).count()
    if key == "groups":
        qs = program.groups.all()
        return (qs.filter(approved_at__lte=end) if end else qs).count()
    if key == "participants":
        qs = GroupMember.objects.filter(group__program=program)
        if end:
            qs = qs.filter(group__approved_at__lte=end)
        return qs.values("role__person").distinct().count()
    if key == "meetings_held":
        qs = Meeting.objects.filter(group__program=program, status=Meeting.Status.HELD)
        return (qs.filter(starts_at__lte=end) if end else qs).count()
    if key == "hours_used":
        qs = TimeEntry.objects.filter(group__program=program)
        if until:
            qs = qs.filter(date__lte=until)
        return round((qs.aggregate(m=Sum("minutes"))["m"] or 0) / 60, 1)
    return None


def program_figures(
    program: Any, *, until: date | None = None, fallback: Iterable[str] = FALLBACK_KEYS
) -> dict[str, Any]:
    """Everything a network may read of a program as of `until`: the dict of
    `reports.indicators.program_indicators` (13 queries), plus the fallback keys it lacks (one
    query each; the stored figures have them all, a computation for known indicators only
    those they name). What the daily refresh stores and what `close_period` freezes."""
    figures = program_indicators(program, until=until)
    for key in fallback:
        if key in FALLBACK_KEYS and key not in figures:
            figures[key] = _fallback_value(program, key, until)
    return figures


def _lookup(data: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def figure(figures: dict[str, Any] | None, key: str) -> float | None:
    """One number out of a program's figures, by key (dots go down: `hours.used`)."""
    value = _lookup(figures, key)
    if isinstance(value, (int, float, Decimal)):
        return float(value)
    return None


@dataclass
class Figures:
    """The live column of a page: each program's figures, the date they stand at, and when the
    oldest of them was computed (what the page tells about their freshness)."""

    by_program: dict[int, dict[str, Any]]
    on: date
    computed_at: datetime | None = None


def live_figures(
    programs: list[Any], *, today: date | None = None, keys: Iterable[str] = FALLBACK_KEYS
) -> Figures:
    """Compute every program now (the page before stored figures; kept for comparison), with
    the fallback `keys` the page's indicators name."""
    today = today or timezone.localdate()
    keys = set(keys)
    return Figures(
        {p.pk: program_figures(p, until=today, fallback=keys) for p in programs}, on=today
    )


def stored_figures(programs: list[Any]) -> Figures:
    """The stored figures of these programs, in one query. A program without any (just shared)
    is computed here but not stored: the page stores it first (`services.ensure_figures`)."""
    rows = list(
        ProgramFigures.objects.filter(program__in=[p.pk for p in programs]).values_list(
            "program_id", "figures", "computed_at"
        )
    )
    by_program = {pk: data for pk, data, _at in rows}
    oldest = min((at for _pk, _data, at in rows), default=None)
    missing = [p for p in programs if p.pk not in by_program]
    if missing:
        live = live_figures(missing)
        by_program.update(live.by_program)
        oldest = oldest or timezone.now()
    on = timezone.localdate(oldest) if oldest else timezone.localdate()
    return Figures(by_program, on=on, computed_at=oldest)


@dataclass
class Point:
    on: date
    actual: float | None
    suppressed: bool = False
    plan: float | None = None


@dataclass
class IndicatorView:
    indicator: Indicator
    baseline: float | None
    points: list[Point]
    baseline_suppressed: bool = False
    member_rows: list[tuple[str, list[str]]] = field(default_factory=list)
    member_totals: list[str] = field(default_factory=list)
    # The same cells for a file: the number behind each shown figure, MARK where the page
    # shows x, None where it shows nothing (kept here so that the export never parses text).
    member_values: list[list[Any]] = field(default_factory=list)
    member_total_values: list[Any] = field(default_factory=list)
    columns: list[date] = field(default_factory=list)
    any_suppressed: bool = False
    chart: dict[str, Any] = field(default_factory=dict)


def _aggregate(values: list[float], how: str) -> float | None:
    if not values:
        return None
    if how == Indicator.Aggregation.SUM:
        return round(sum(values), 2)
    return round(sum(values) / len(values), 2)


def _entered_values(
    indicator: Indicator, members: list[NetworkMember]
) -> tuple[list[date], dict[int, list[float | None]]]:
    """Columns (period ends) and, per member, what it entered for each period (summed)."""
    by_end: dict[tuple[int, date], float] = defaultdict(float)
    ends: set[date] = set()
    for member_id, end, value, program_id in indicator.measurements.values_list(
        "member_id", "period_end", "value", "program_id"
    ):
        ends.add(end)
        if program_id is None:
            by_end[(member_id, end)] += float(value)
    columns = sorted(ends)
    table: dict[int, list[float | None]] = {m.pk: [None] * len(columns) for m in members}
    for (member_id, end), value in by_end.items():
        if member_id in table:
            table[member_id][columns.index(end)] = value
    return columns, table


def _computed_values(
    indicator: Indicator,
    members: list[NetworkMember],
    links: list[MemberProgram],
    figures: Figures,
) -> tuple[list[date], dict[int, list[float | None]]]:
    """Columns and, per member, its programs summed: closed periods from their snapshots (what
    the network had then: a program shared later has none, and a program withdrawn since keeps
    what it gave), the live column from the stored figures of the programs shared now. A past
    target date without a snapshot shows the plan alone."""
    by_member: dict[tuple[int, date], float] = defaultdict(float)
    snapped: set[tuple[int, date]] = set()
    for member_id, program_id, end, value in indicator.measurements.filter(
        is_snapshot=True
    ).values_list("member_id", "program_id", "period_end", "value"):
        by_member[(member_id, end)] += float(value)
        snapped.add((program_id, end))
    columns = sorted({end for _member, end in by_member} | {figures.on})
    table: dict[int, list[float | None]] = {m.pk: [None] * len(columns) for m in members}
    for (member_id, end), value in by_member.items():
        if member_id in table:
            table[member_id][columns.index(end)] = value
    live = columns.index(figures.on)
    for link in links:
        if link.member_id not in table or (link.program_id, figures.on) in snapped:
            continue
        value = figure(figures.by_program.get(link.program_id), indicator.source_key)
        if value is None:
            continue
        current = table[link.member_id][live]
        table[link.member_id][live] = (current or 0) + value
    return columns, table


def indicator_view(
    indicator: Indicator,
    *,
    with_members: bool,
    figures: Figures | None = None,
    members: list[NetworkMember] | None = None,
    links: list[MemberProgram] | None = None,
) -> IndicatorView:
    """One indicator's points (network value against plan) and, for staff, its member table.

    `members`, `links` and `figures` are read once per page by `network_views`; alone, the view
    reads them itself (stored figures, or computed for programs that have none yet)."""
    k = suppression.small_cell_k()
    if members is None:
        members = list(indicator.network.members.select_related("organization"))
    if indicator.kind == Indicator.Kind.ENTERED:
        columns, table = _entered_values(indicator, members)
    else:
        if links is None:
            links = list(_links(indicator.network))
        if figures is None:
            figures = stored_figures([link.program for link in links])
        columns, table = _computed_values(indicator, members, links, figures)

    # Network value per column: what each period adds (entered) or stands at (computed).
    per_column: list[float | None] = []
    for j in range(len(columns)):
        values = [row[j] for row in table.values() if row[j] is not None]
        per_column.append(_aggregate(values, indicator.aggregation))
    actual: list[float | None] = []
    running = 0.0
    for value in per_column:
        if indicator.kind == Indicator.Kind.ENTERED and indicator.aggregation == "sum":
            running += value or 0
            actual.append(round(running, 2))
        else:
            actual.append(value)

    targets = {t.date: float(t.value) for t in indicator.targets.all()}
    points: list[Point] = []
    for on, value in zip(columns, actual, strict=True):
        hidden = False
        if indicator.counts_people and value is not None:
            cell = suppression.small_count(int(round(value)), k)
            hidden, value = cell.suppressed, cell.value
        points.append(Point(on=on, actual=value, suppressed=hidden, plan=targets.get(on)))
    for on, target in targets.items():
        if on not in columns:
            points.append(Point(on=on, actual=None, plan=target))
    points.sort(key=lambda p: p.on)
    baseline = getattr(indicator, "baseline", None)
    base_value = float(baseline.value) if baseline else None
    base_hidden = False
    if indicator.counts_people and base_value is not None:
        # A baseline counted from people is a cell like the others: 1 to k-1 is never shown.
        cell = suppression.small_count(int(round(base_value)), k)
        base_hidden, base_value = cell.suppressed, cell.value
    view = IndicatorView(
        indicator=indicator,
        baseline=base_value,
        baseline_suppressed=base_hidden,
        points=points,
        columns=columns,
        any_suppressed=base_hidden or any(p.suppressed for p in points),
    )
    if with_members and members and columns:
        _member_table(view, indicator, members, table, k)
    view.chart = chart(view)
    return view


def _fmt(value: float | None) -> str:
    """A figure as the page's other figures read: « 1,2 » in French, grouped thousands."""
    if value is None:
        return ""
    value = round(float(value), 2)
    decimals = 0 if value.is_integer() else (1 if round(value, 1) == value else 2)
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _cell_value(cell: Any) -> Any:
    """A suppressed table's cell for a file: MARK where the page shows x."""
    return MARK if cell.suppressed else cell.value


def _member_table(
    view: IndicatorView,
    indicator: Indicator,
    members: list[NetworkMember],
    table: dict[int, list[float | None]],
    k: int,
) -> None:
    """Rows by member for backbone staff, through the small-cell rule when people are counted."""
    names = [str(m.organization) for m in members]
    grid = [table[m.pk] for m in members]
    if indicator.counts_people:
        result = suppression.suppress(
            [[None if v is None else int(round(v)) for v in row] for row in grid],
            k=k,
            # Computed values stand at a date (cumulative): a row total would mean nothing.
            row_totals=False,
            col_totals=True,
        )
        view.member_rows = [
            (name, [c.shown for c in row]) for name, row in zip(names, result.rows, strict=True)
        ]
        view.member_totals = [c.shown for c in (result.col_totals or [])]
        view.member_values = [[_cell_value(c) for c in row] for row in result.rows]
        view.member_total_values = [_cell_value(c) for c in (result.col_totals or [])]
        view.any_suppressed = view.any_suppressed or result.any_suppressed
    else:
        view.member_rows = [
            (name, [_fmt(v) for v in row]) for name, row in zip(names, grid, strict=True)
        ]
        totals = [
            _aggregate([r[j] for r in grid if r[j] is not None], indicator.aggregation)
            for j in range(len(view.columns))
        ]
        view.member_totals = [_fmt(v) for v in totals]
        view.member_values = [[number(v) for v in row] for row in grid]
        view.member_total_values = [number(v) for v in totals]


WIDTH, HEIGHT, PAD = 640, 260, 48


def chart(view: IndicatorView) -> dict[str, Any]:
    """Coordinates of an SVG line chart (actual, plan, baseline), computed here, drawn by the
    template; never localized (a decimal comma would break the SVG)."""
    dates = [p.on for p in view.points]
    values = [v for p in view.points for v in (p.actual, p.plan) if v is not None]
    if view.baseline is not None:
        values.append(view.baseline)
    if not dates or not values:
        return {}
    low, high = min(dates), max(dates)
    span = max((high - low).days, 1)
    top = max(values) or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD

    def xy(on: date, value: float) -> str:
        x = PAD + inner_w * ((on - low).days / span if len(dates) > 1 else 0.5)
        y = HEIGHT - PAD - inner_h * (value / top)
        return f"{x:.1f},{y:.1f}"

    actual = [xy(p.on, p.actual) for p in view.points if p.actual is not None]
    plan = [xy(p.on, p.plan) for p in view.points if p.plan is not None]
    base_y = None
    if view.baseline is not None:
        base_y = f"{HEIGHT - PAD - inner_h * (view.baseline / top):.1f}"
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "pad": PAD,
        "right": WIDTH - PAD,
        "bottom": HEIGHT - PAD,
        "actual": " ".join(actual),
        "actual_points": [a.split(",") for a in actual],
        "plan": " ".join(plan),
        "plan_points": [a.split(",") for a in plan],
        "baseline_y": base_y,
        "top": _fmt(top),
        "first": low,
        "last": high,
    }


def _links(network: Network) -> Any:
    return MemberProgram.objects.filter(member__network=network).select_related("program")


@dataclass
class NetworkPage:
    views: list[IndicatorView]
    figures: Figures | None  # None when the network has no computed indicator


def network_page(network: Network, *, with_members: bool, live: bool = False) -> NetworkPage:
    """Every indicator of the network, in a number of queries that does not grow with its
    programs: the live column comes from the stored figures (`live=True` computes every program
    instead, as the page did before; the bench compares both)."""
    indicators = list(network.indicators.select_related("baseline").prefetch_related("targets"))
    members = list(network.members.select_related("organization"))
    figures = links = None
    if any(i.kind == Indicator.Kind.COMPUTED for i in indicators):
        links = list(_links(network))
        programs = [link.program for link in links]
        keys = {i.source_key for i in indicators if i.kind == Indicator.Kind.COMPUTED}
        figures = live_figures(programs, keys=keys) if live else stored_figures(programs)
    views = [
        indicator_view(i, with_members=with_members, figures=figures, members=members, links=links)
        for i in indicators
    ]
    return NetworkPage(views=views, figures=figures)


def network_views(
    network: Network, *, with_members: bool, live: bool = False
) -> list[IndicatorView]:
    return network_page(network, with_members=with_members, live=live).views


def export_rows(views: list[IndicatorView]) -> list[list[Any]]:
    """The aggregated table only: never a member's figures (funders download it too)."""
    rows: list[list[Any]] = []
    for view in views:
        for point in view.points:
            rows.append(
                [
                    view.indicator.code,
                    view.indicator.label,
                    view.indicator.unit,
                    point.on.isoformat(),
                    MARK
                    if point.suppressed
                    else (point.actual if point.actual is not None else ""),
                    "" if point.plan is None else point.plan,
                    MARK
                    if view.baseline_suppressed
                    else ("" if view.baseline is None else view.baseline),
                ]
            )
    return rows


def measurements_of(member: NetworkMember) -> Any:
    return Measurement.objects.filter(member=member, program=None).select_related("indicator")

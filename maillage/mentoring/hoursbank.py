"""The hours bank of a group: used, remaining, share outside meetings, a burn-down chart and
the date the bank runs out at the current pace.

The chart is an inline SVG drawn here (no JavaScript build); the page shows the same figures
as a table for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .models import Group, TimeEntry


@dataclass
class Projection:
    empty_on: date | None  # the bank runs out on this day at the current pace
    left_at_end: Decimal | None  # …or this much is left at the end of the period
    pace_per_week: Decimal


@dataclass
class Bank:
    group: Group
    total: Decimal
    used: Decimal
    remaining: Decimal
    in_meetings: Decimal
    outside_meetings: Decimal
    outside_share: int | None  # percent of the used hours spent between meetings
    start: date
    end: date
    by_kind: list[tuple[str, Decimal]]
    by_person: list[tuple[str, Decimal]]
    series: list[tuple[date, Decimal]]  # remaining after each day with entries
    projection: Projection | None
    today: date
    chart: dict = field(default_factory=dict)

    @property
    def percent_used(self) -> int:
        return int(self.used * 100 / self.total) if self.total else 0


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def period(group: Group) -> tuple[date, date]:
    """The program's period; without one, from the group's acceptance for six months."""
    program = group.program
    start = program.start_date or timezone.localdate(group.approved_at)
    end = program.end_date or start + timedelta(days=182)
    return start, end


def project(
    *, used: Decimal, remaining: Decimal, start: date, end: date, today: date
) -> Projection | None:
    """At the pace since the start of the period, when the bank is empty; past the end (or
    at the end), how much will be left."""
    elapsed = (min(today, end) - start).days
    if elapsed <= 0 or used <= 0:
        return None
    per_day = used / Decimal(elapsed)
    pace_week = (per_day * 7).quantize(Decimal("0.1"))
    if remaining <= 0:
        return Projection(empty_on=today, left_at_end=None, pace_per_week=pace_week)
    if today >= end:
        return Projection(empty_on=None, left_at_end=remaining, pace_per_week=pace_week)
    days = int((remaining / per_day).to_integral_value())
    empty_on = today + timedelta(days=days)
    if empty_on > end:
        left = remaining - per_day * Decimal((end - today).days)
        return Projection(
            empty_on=None, left_at_end=left.quantize(Decimal("0.1")), pace_per_week=pace_week
        )
    return Projection(empty_on=empty_on, left_at_end=None, pace_per_week=pace_week)


def bank(group: Group, today: date | None = None) -> Bank:
    today = today or timezone.localdate()
    total = Decimal(group.hours_bank or 0)
    entries = list(group.bank_entries().select_related("person").order_by("date", "id"))
    used = _hours(sum(e.minutes for e in entries))
    in_meetings = _hours(sum(e.minutes for e in entries if e.kind == TimeEntry.Kind.MEETING))
    outside = used - in_meetings
    start, end = period(group)
    kinds: dict[str, int] = {}
    people: dict[str, int] = {}
    daily: dict[date, int] = {}
    for e in entries:
        kinds[e.get_kind_display()] = kinds.get(e.get_kind_display(), 0) + e.minutes
        people[e.person.full_name] = people.get(e.person.full_name, 0) + e.minutes
        daily[e.date] = daily.get(e.date, 0) + e.minutes
    series = []
    running = 0
    for day in sorted(daily):
        running += daily[day]
        series.append((day, total - _hours(running)))
    remaining = total - used
    result = Bank(
        group=group,
        total=total,
        used=used,
        remaining=remaining,
        in_meetings=in_meetings,
        outside_meetings=outside,
        outside_share=int(outside * 100 / used) if used else None,
        start=start,
        end=end,
        by_kind=[(k, _hours(v)) for k, v in kinds.items()],
        by_person=[(k, _hours(v)) for k, v in people.items()],
        series=series,
        projection=project(used=used, remaining=remaining, start=start, end=end, today=today),
        today=today,
    )
    result.chart = chart(result)
    return result


# --- The chart -------------------------------------------------------------------------------

W, H = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def n(value: float) -> str:
    return f"{value:.1f}"


def chart(b: Bank) -> dict:
    """Coordinates for the SVG template: the ideal line from the full bank at the start to zero
    at the end, the real remaining hours as steps, and the projection from today."""
    first = min([b.start, *[d for d, _r in b.series]])
    last = max([b.end, *[d for d, _r in b.series]])
    span = max((last - first).days, 1)
    top = max(b.total, *(r for _d, r in b.series)) if b.series else b.total
    top = max(top, Decimal(1))
    bottom = min([Decimal(0), *(r for _d, r in b.series)])

    def x(day: date) -> float:
        return round(LEFT + (W - LEFT - RIGHT) * (day - first).days / span, 1)

    def y(hours: Decimal) -> float:
        return round(TOP + (H - TOP - BOTTOM) * float((top - hours) / (top - bottom)), 1)

    actual = [(x(b.start), y(b.total))]
    previous = b.total
    for day, remaining in b.series:
        actual.append((x(day), y(previous)))
        actual.append((x(day), y(remaining)))
        previous = remaining
    today = min(max(b.today, first), last)
    actual.append((x(today), y(previous)))
    projection = None
    p = b.projection
    if p is not None and b.today < b.end:
        if p.empty_on is not None:
            projection = [(x(today), y(previous)), (x(min(p.empty_on, last)), y(Decimal(0)))]
        elif p.left_at_end is not None:
            projection = [(x(today), y(previous)), (x(b.end), y(p.left_at_end))]
    ticks = []
    step = max(1, int(top) // 4)
    value = 0
    while value <= top:
        ticks.append({"y": n(y(Decimal(value))), "label": value})
        value += step
    months = []
    day = first.replace(day=1)
    while day <= last:
        if day >= first:
            months.append({"x": n(x(day)), "label": day})
        day = (day + timedelta(days=32)).replace(day=1)
    # Every coordinate leaves as a string: the French locale would print 220,5 in a template,
    # which SVG reads as two numbers.
    return {
        "width": str(W),
        "height": str(H),
        "left": str(LEFT),
        "label_x": str(LEFT - 6),
        "right": str(W - RIGHT),
        "top": str(TOP),
        "base": str(H - BOTTOM),
        "month_y": str(H - BOTTOM + 16),
        "zero": n(y(Decimal(0))),
        "ideal": f"{x(b.start)},{y(b.total)} {x(b.end)},{y(Decimal(0))}",
        "actual": " ".join(f"{px},{py}" for px, py in actual),
        "projection": " ".join(f"{px},{py}" for px, py in projection) if projection else "",
        "today_x": n(x(today)),
        "ticks": ticks,
        "months": months,
    }

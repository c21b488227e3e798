"""Hours bank: meetings (from attendance) plus work between meetings; remaining; the share
outside meetings; the projection; the chart."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string

from maillage.mentoring import hoursbank, services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import TimeEntry

TZ = ZoneInfo("America/Toronto")


def held(group, mentor, present, day, minutes=120):
    meeting = services.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=datetime(day.year, day.month, day.day, 10, tzinfo=TZ),
        duration_minutes=minutes,
    )
    return services.record_meeting(meeting=meeting, by=mentor, present=present)


def test_the_bank_defaults_to_the_programs_and_may_be_overridden(group, program_a):
    assert group.hours_bank == program_a.hours_bank == Decimal("20")
    services.update_group_settings(group=group, hours_bank=Decimal("25"), observer_allowed=False)
    group.refresh_from_db()
    assert group.hours_remaining() == Decimal("25")


def test_meetings_and_work_between_meetings_draw_on_the_bank(group, mentor, mentee):
    held(group, mentor, [mentor, mentee], date(2026, 7, 10))
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 7, 12),
        minutes=90,
        kind=TimeEntry.Kind.PREPARATION,
    )
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 7, 13),
        minutes=30,
        kind=TimeEntry.Kind.COMMUNICATION,
    )
    # The mentee's own time is recorded but the bank is the mentor side's offer.
    services.log_time(
        group=group,
        person=mentee,
        on=date(2026, 7, 13),
        minutes=60,
        kind=TimeEntry.Kind.ACTION_PLAN,
    )
    assert group.hours_used() == Decimal("4.00")
    assert group.hours_remaining() == Decimal("16.00")
    b = hoursbank.bank(group, today=date(2026, 7, 20))
    assert (b.in_meetings, b.outside_meetings, b.outside_share) == (
        Decimal("2.00"),
        Decimal("2.00"),
        50,
    )
    assert [r for _d, r in b.series] == [Decimal("18.00"), Decimal("16.50"), Decimal("16.00")]


def test_time_entries_are_checked(group, mentor, other_member):
    with pytest.raises(MentoringError):
        services.log_time(
            group=group, person=mentor, on=date(2026, 7, 1), minutes=0, kind=TimeEntry.Kind.OTHER
        )
    with pytest.raises(MentoringError):
        services.log_time(
            group=group,
            person=other_member,
            on=date(2026, 7, 1),
            minutes=30,
            kind=TimeEntry.Kind.OTHER,
        )


def test_pilot_synergies_13_hours_used_by_the_end_leaves_7(group, mentor, mentee):
    # Two collective and two individual meetings of 2 h and 5 h between them (seed 000).
    for day in (date(2026, 8, 10), date(2026, 9, 21), date(2026, 10, 19), date(2026, 11, 16)):
        held(group, mentor, [mentor, mentee], day)
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 9, 1),
        minutes=300,
        kind=TimeEntry.Kind.PREPARATION,
    )
    b = hoursbank.bank(group, today=date(2026, 12, 15))
    assert b.used == Decimal("13.00") and b.remaining == Decimal("7.00")
    assert b.projection.empty_on is None and b.projection.left_at_end == Decimal("7.00")


def test_projection_at_the_current_pace(group, mentor):
    # 10 h in the first 50 days of a 167-day period: empty around day 100, before the end.
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 7, 20),
        minutes=600,
        kind=TimeEntry.Kind.PREPARATION,
    )
    p = hoursbank.project(
        used=Decimal(10),
        remaining=Decimal(10),
        start=date(2026, 7, 1),
        end=date(2026, 12, 15),
        today=date(2026, 8, 20),
    )
    assert p.empty_on == date(2026, 8, 20) + timedelta(days=50)
    slow = hoursbank.project(
        used=Decimal(2),
        remaining=Decimal(18),
        start=date(2026, 7, 1),
        end=date(2026, 12, 15),
        today=date(2026, 8, 20),
    )
    assert slow.empty_on is None
    # 2 h per 50 days; 117 days left use 4.68 h more: 13.3 h left at the end.
    assert slow.left_at_end == Decimal("13.3")
    assert (
        hoursbank.project(
            used=Decimal(0),
            remaining=Decimal(20),
            start=date(2026, 7, 1),
            end=date(2026, 12, 15),
            today=date(2026, 8, 20),
        )
        is None
    )


def test_the_chart_renders_with_its_text_alternative(group, mentor):
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 8, 3),
        minutes=120,
        kind=TimeEntry.Kind.PREPARATION,
    )
    b = hoursbank.bank(group, today=date(2026, 9, 1))
    html = render_to_string("mentoring/includes/burndown.html", {"bank": b})
    assert "<svg" in html and 'role="img"' in html and "<title" in html and "<desc" in html
    assert b.chart["ideal"] in html and b.chart["actual"] in html
    assert "18,0" in html or "18.0" in html  # the table lists the remaining hours
    # The ideal line goes from the full bank at the start to zero at the end.
    (x0, y0), (x1, y1) = [tuple(map(float, p.split(","))) for p in b.chart["ideal"].split()]
    assert x0 < x1 and y0 < y1 and y1 == float(b.chart["zero"])
    assert not re.search(r'(?:x|y)="\d+,\d', html)  # no French decimal comma in coordinates


def test_a_used_up_bank_says_so_instead_of_a_day_it_will_run_out(group, mentor):
    services.log_time(
        group=group,
        person=mentor,
        on=date(2026, 8, 3),
        minutes=20 * 60,
        kind=TimeEntry.Kind.PREPARATION,
    )
    b = hoursbank.bank(group, today=date(2026, 9, 1))
    assert b.remaining == 0
    html = render_to_string("mentoring/includes/bank_summary.html", {"bank": b})
    assert "entièrement utilisée" in html
    assert "sera vide vers" not in html

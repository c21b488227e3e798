"""The published report never shows a figure that describes a single group or fewer than k
people: monthly meetings and hours, the activity totals, tools per track (issue 12, finding 11).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.mentoring.models import Group, Meeting, TimeEntry
from maillage.mentoring.services import create_group
from maillage.programs.models import Role
from maillage.programs.services import assign_role
from maillage.reports.content import build_report
from maillage.reports.selectors import report_charts
from maillage.reports.suppression import MARK
from maillage.tools.models import Tool

K = 5


def _group(program, coordinator, name: str, mentees: int) -> Group:
    mentor = make_person(f"Mentor{name}", "Test")
    people = [make_person(f"Menté{name}{n}", "Test") for n in range(mentees)]
    return create_group(
        program=program,
        mentor_roles=[assign_role(program=program, person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[
            assign_role(program=program, person=p, kind=Role.Kind.MENTEE) for p in people
        ],
        approved_by=coordinator.user,
        name=name,
    )


def _held(group: Group, month: int, count: int, kind=Meeting.Kind.COLLECTIVE) -> None:
    mentor = group.members.filter(side="mentor").first().role.person
    for n in range(count):
        at = timezone.make_aware(datetime(2026, month, 3 + n, 14))
        meeting = Meeting.objects.create(
            group=group, kind=kind, starts_at=at, status=Meeting.Status.HELD, duration_minutes=90
        )
        TimeEntry.objects.create(
            group=group,
            person=mentor,
            date=at.date(),
            minutes=90,
            kind=TimeEntry.Kind.MEETING,
            meeting=meeting,
        )


def _tool(group: Group, type_: str) -> None:
    mentor = group.members.filter(side="mentor").first().role.person
    Tool.objects.create(
        group=group,
        shared_by=mentor,
        direction=Tool.Direction.MENTOR_TO_MENTEE,
        title="Outil",
        type=type_,
        url="https://example.org/outil",
    )


@pytest.fixture
def three_groups(program_a, coordinator):
    groups = [_group(program_a, coordinator, name, 3) for name in ("A", "B", "C")]
    # March and April: every group met; May: only group A did.
    for month in (3, 4):
        for group in groups:
            _held(group, month, 2)
    _held(groups[0], 5, 4)
    return groups


def _rows(data):
    return {row["month"]: row for row in data["timeline"]["rows"]}


def test_a_month_when_one_group_met_is_hidden_and_cannot_be_worked_out(program_a, three_groups):
    data = build_report(program_a, language="fr", k=K)
    rows = _rows(data)
    may = next(row for month, row in rows.items() if month.lower().startswith("mai"))
    assert may["collective"] == MARK and may["hours"] == MARK
    # The totals stay published, so another month goes too (no figure is their difference).
    others = [row for month, row in rows.items() if not month.startswith("mai")]
    assert any(row["collective"] == MARK for row in others)
    assert any(row["hours"] == MARK for row in others)
    assert data["accomplishments"]["meetings_collective"] == "16"
    # The running total of hours would give the hidden month away: no hours chart.
    titles = [chart["title"] for chart in report_charts(data)]
    assert titles == ["Rencontres tenues par mois"]
    # The hidden values are not in the data a published report freezes either.
    assert None in data["timeline"]["meetings_collective"]
    assert 4 not in data["timeline"]["meetings_collective"]


def test_months_when_several_groups_met_are_published(program_a, three_groups):
    Meeting.objects.filter(starts_at__month=5).delete()
    TimeEntry.objects.filter(date__month=5).delete()
    data = build_report(program_a, language="fr", k=K)
    assert all(MARK not in (row["collective"], row["hours"]) for row in data["timeline"]["rows"])
    assert len(report_charts(data)) == 2


def test_a_program_with_one_group_publishes_no_activity_figure(program_a, coordinator):
    group = _group(program_a, coordinator, "Seul", 6)
    _held(group, 3, 2)
    _held(group, 4, 1, kind=Meeting.Kind.INDIVIDUAL)
    _tool(group, Tool.Type.GUIDE)
    data = build_report(program_a, language="fr", k=K)
    accomplishments = data["accomplishments"]
    assert {accomplishments[key] for key in accomplishments} == {MARK}
    figures = {row["key"]: row["value"] for row in data["figures"]}
    for key in ("meetings_total", "hours_used", "hours_bank", "objectives_set", "tools_total"):
        assert figures[key] == MARK, key
    assert figures["groups"] == "1"
    assert all(
        row["collective"] in (MARK, "0") and row["hours"] == MARK
        for row in data["timeline"]["rows"]
    )
    track = data["tools_by_track"][0]
    assert track["total"] == MARK and track["types"] == [["Guide", MARK]]


def test_tools_of_a_single_group_in_a_track_are_hidden(program_a, coordinator, three_groups):
    first, second = program_a.tracks.create(name="Volet 1"), program_a.tracks.create(name="Volet 2")
    a, b, c = three_groups
    Group.objects.filter(pk=a.pk).update(track=first)
    Group.objects.filter(pk__in=[b.pk, c.pk]).update(track=second)
    _tool(a, Tool.Type.GUIDE)
    for group in (b, c):
        _tool(group, Tool.Type.GUIDE)
        _tool(group, Tool.Type.TEMPLATE)
    data = build_report(program_a, language="fr", k=K)
    rows = {row["track"]: row for row in data["tools_by_track"]}
    assert rows["Volet 1"]["total"] == MARK
    assert rows["Volet 1"]["types"] == [["Guide", MARK]]
    # The program's total would give Volet 1 away as the difference with Volet 2: it goes.
    figures = {row["key"]: row["value"] for row in data["figures"]}
    assert figures["tools_total"] == MARK
    # Volet 2's tools come from two groups (eight people): published.
    assert rows["Volet 2"]["total"] == "4"
    assert rows["Volet 2"]["types"] == [["Guide", "2"], ["Gabarit ou modèle", "2"]]

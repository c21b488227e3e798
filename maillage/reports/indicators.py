"""The figures of a program (or one of its tracks), computed from the data, as plain values.

One function, ``program_indicators``, returns a JSON-ready dict: the indicators page shows it,
the impact report freezes it at publication, shared measurement sums it across programs.
Counts here are raw: whoever publishes them applies the small-cell rule
(``maillage.reports.suppression``) to every count of people or organizations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from maillage.evaluation.models import Answer, Invitation, Round
from maillage.evaluation.selectors import indicators as share_indicators
from maillage.evaluation.selectors import response_rate
from maillage.intake.models import Application
from maillage.mentoring.models import Group, GroupMember, Meeting, Objective, TimeEntry
from maillage.programs.models import Program, Track
from maillage.tools.models import Tool

# Kickoff meetings gather the whole group: they count as collective.
COLLECTIVE_KINDS = (Meeting.Kind.COLLECTIVE, Meeting.Kind.KICKOFF)


def _hours(minutes: int | Decimal | None) -> float:
    return float((Decimal(minutes or 0) / Decimal(60)).quantize(Decimal("0.01")))


def _share(share: Any) -> dict[str, Any]:
    return {
        "count": share.count,
        "total": share.total,
        "percent": share.percent,
    }


def _month(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    end = (int(last[:4]), int(last[5:]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return months


def bank_entries(groups: Any) -> Any:
    """Time entries drawing on the hours bank (the mentor side's), for many groups at once.

    Same rule as ``Group.bank_entries`` (an entry by a person who sits on the mentor side of
    that very group), written as one query so a network of programs stays cheap.
    """
    mentor_people = GroupMember.objects.filter(
        group__in=groups, side=GroupMember.Side.MENTOR
    ).values_list("group_id", "role__person_id")
    pairs = set(mentor_people)
    if not pairs:
        return TimeEntry.objects.none()
    condition = Q()
    for group_id, person_id in pairs:
        condition |= Q(group_id=group_id, person_id=person_id)
    return TimeEntry.objects.filter(group__in=groups).filter(condition)


def _track_id(track: Track | int | None) -> int | None:
    if track is None:
        return None
    return track if isinstance(track, int) else track.pk


def program_indicators(
    program: Program, *, track: Track | int | None = None, until: date | None = None
) -> dict[str, Any]:
    """Every figure of the program (or of one track), as of ``until`` (inclusive) if given."""
    track_id = _track_id(track)

    applications = Application.objects.filter(program=program, duplicate_of__isnull=True)
    if track_id is not None:
        applications = applications.filter(track_id=track_id)
    if until is not None:
        applications = applications.filter(submitted_at__date__lte=until)
    chosen = Q(status=Application.Status.SELECTED) | Q(decision__outcome="selected")

    groups = Group.objects.filter(program=program)
    if track_id is not None:
        groups = groups.filter(track_id=track_id)
    if until is not None:
        groups = groups.filter(approved_at__date__lte=until)
    # Each query below reads what several figures need (the rows, or conditional counts):
    # a network sums this over hundreds of programs, so queries are what it costs.
    banks = dict(groups.values_list("pk", "hours_bank"))
    group_ids = list(banks)
    bank = sum((b for b in banks.values() if b is not None), Decimal(0))

    # Who sits in which group: the people counts, and how many people stand behind a figure
    # (the report hides a figure that describes a single group or fewer than k people).
    members = list(
        GroupMember.objects.filter(group_id__in=group_ids).values_list(
            "group_id", "role__person_id", "side"
        )
    )
    people = {
        "mentors": len({p for _g, p, side in members if side == GroupMember.Side.MENTOR}),
        "mentees": len({p for _g, p, side in members if side == GroupMember.Side.MENTEE}),
    }
    people_of: dict[int, set[int]] = defaultdict(set)
    for group_id, person_id, _side in members:
        people_of[group_id].add(person_id)

    def behind(groups_: set[int]) -> list[int]:
        """[groups, people] behind a figure."""
        return [len(groups_), len(set().union(*(people_of[g] for g in groups_)))]

    meetings = Meeting.objects.filter(group_id__in=group_ids, status=Meeting.Status.HELD)
    if until is not None:
        meetings = meetings.filter(starts_at__date__lte=until)
    held = list(meetings.values_list("kind", "starts_at", "group_id"))
    collective = sum(1 for kind, _at, _g in held if kind in COLLECTIVE_KINDS)
    individual = sum(1 for kind, _at, _g in held if kind == Meeting.Kind.INDIVIDUAL)

    entries = bank_entries(group_ids)
    if until is not None:
        entries = entries.filter(date__lte=until)
    bank_time = list(entries.values_list("date", "minutes", "group_id"))
    hours_used = _hours(sum(minutes for _day, minutes, _g in bank_time))

    objectives = Objective.objects.filter(plan__group_id__in=group_ids)
    if until is not None:
        objectives = objectives.filter(created_at__date__lte=until)
    reached = Q(status=Objective.Status.REACHED)
    if until is not None:
        reached &= Q(reached_at__isnull=True) | Q(reached_at__date__lte=until)
    goals = objectives.aggregate(set=Count("pk"), reached=Count("pk", filter=reached))

    tools = Tool.objects.filter(group_id__in=group_ids, planned=False)
    if until is not None and hasattr(Tool, "created_at"):
        tools = tools.filter(created_at__date__lte=until)
    by_type: dict[str, int] = defaultdict(int)
    by_direction: dict[str, int] = defaultdict(int)
    for tool_type, direction in tools.values_list("type", "direction"):
        by_type[tool_type] += 1
        by_direction[direction] += 1

    invitations = Invitation.objects.filter(round__program=program, round__cancelled=False)
    answers = Answer.objects.filter(invitation__round__program=program)
    if track_id is not None:
        invitations = invitations.filter(group__track_id=track_id)
        answers = answers.filter(invitation__group__track_id=track_id)
    if until is not None:
        invitations = invitations.filter(round__send_on__lte=until)
        answers = answers.filter(invitation__submitted_at__date__lte=until)
    rounds = []
    for round_ in Round.objects.filter(program=program, cancelled=False).order_by("send_on", "pk"):
        if until is not None and round_.send_on > until:
            continue
        share = response_rate(invitations.filter(round=round_))
        rounds.append(
            {"send_on": round_.send_on.isoformat(), "audience": round_.audience, **_share(share)}
        )

    # Per month: meetings held and hours used (aggregates only, never a group's own line).
    meetings_by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    groups_by_month: dict[str, list[set[int]]] = defaultdict(lambda: [set(), set(), set()])
    for kind, starts_at, group_id in held:
        column = 0 if kind in COLLECTIVE_KINDS else 1
        meetings_by_month[_month(starts_at.date())][column] += 1
        groups_by_month[_month(starts_at.date())][column].add(group_id)
    minutes_by_month: dict[str, int] = defaultdict(int)
    for day, minutes, group_id in bank_time:
        minutes_by_month[_month(day)] += minutes
        groups_by_month[_month(day)][2].add(group_id)
    seen = sorted(set(meetings_by_month) | set(minutes_by_month))
    months = _months_between(seen[0], seen[-1]) if seen else []

    return {
        "program": program.pk,
        "track": track_id,
        "until": until.isoformat() if until else None,
        **applications.aggregate(
            applications_received=Count("pk", distinct=True),
            applications_selected=Count("pk", filter=chosen, distinct=True),
        ),
        "groups": len(group_ids),
        "people_in_groups": len(set().union(*people_of.values())),
        "mentors": people["mentors"],
        "mentees": people["mentees"],
        "meetings_held": {
            "collective": collective,
            "individual": individual,
            "total": collective + individual,
        },
        "hours": {
            "bank": float(bank),
            "used": hours_used,
            "remaining": round(float(bank) - hours_used, 2),
        },
        "objectives": {"set": goals["set"], "reached": goals["reached"]},
        "tools": {
            "total": sum(by_type.values()),
            "by_type": dict(by_type),
            "by_direction": dict(by_direction),
        },
        "response_rate": _share(response_rate(invitations)),
        "response_rates": rounds,
        **{share.indicator: _share(share) for share in share_indicators(answers)},
        "over_time": {
            "months": months,
            "meetings_collective": [meetings_by_month[m][0] for m in months],
            "meetings_individual": [meetings_by_month[m][1] for m in months],
            "hours_used": [_hours(minutes_by_month[m]) for m in months],
            # [groups, people] behind each month's figure, in the same order.
            "behind": {
                "meetings_collective": [behind(groups_by_month[m][0]) for m in months],
                "meetings_individual": [behind(groups_by_month[m][1]) for m in months],
                "hours_used": [behind(groups_by_month[m][2]) for m in months],
            },
        },
    }

"""The conditions behind each alert, computed for one program on one day.

Each function reads the state and returns `Finding`s; `services.compute_alerts` turns them into
alerts (once per cause), resolves the alerts whose condition cleared, and queues the e-mails.
`today` is always passed in, so that a replay or a test can stand on any day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from jumelage import fit as textfit
from maillage.core.models import Person
from maillage.core.textfit import encoder_kind, get_encoder, outside_threshold
from maillage.matching import instance
from maillage.mentoring.models import Group, GroupMember, Meeting, Need, TimeEntry, UpdateMessage
from maillage.programs.models import Consent, Program, Role

from . import kinds as k
from .models import Kind, Severity

log = logging.getLogger(__name__)


@dataclass
class Finding:
    kind: str
    group: Group | None
    cause_key: str
    severity: str
    evidence: dict[str, Any]
    recipients: list[Person] = field(default_factory=list)


def local_day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    return timezone.localdate(value)


def coordinators(program: Program) -> list[Person]:
    return [
        r.person for r in program.roles.filter(kind=Role.Kind.COORDINATOR).select_related("person")
    ]


def _members(group: Group, side: str) -> list[GroupMember]:
    return [m for m in group.members.all() if m.side == side]


def mentor_people(group: Group) -> list[Person]:
    return [m.role.person for m in _members(group, GroupMember.Side.MENTOR)]


def mentee_people(group: Group) -> list[Person]:
    return [m.role.person for m in _members(group, GroupMember.Side.MENTEE)]


def _unique(people: Iterable[Person]) -> list[Person]:
    return list({p.pk: p for p in people}.values())


def held_meetings(group: Group, today: date):
    return group.meetings.filter(status=Meeting.Status.HELD, starts_at__date__lte=today)


def next_meeting(group: Group, today: date) -> Meeting | None:
    return (
        group.meetings.filter(status=Meeting.Status.PLANNED, starts_at__date__gte=today)
        .order_by("starts_at")
        .first()
    )


def last_held_day(group: Group, today: date) -> date | None:
    last = held_meetings(group, today).aggregate(m=Max("starts_at"))["m"]
    return local_day(last)


def hours_used(group: Group, today: date) -> Decimal:
    """The bank drawn by `today` (the same entries as `Group.hours_used`, up to that day)."""
    minutes = sum(group.bank_entries().filter(date__lte=today).values_list("minutes", flat=True))
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- Each kind ---------------------------------------------------------------------------------


def no_designated(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    approved = local_day(group.approved_at)
    if approved and approved > today:
        return []
    out = []
    for member in _members(group, GroupMember.Side.MENTEE):
        if member.is_designated:
            continue
        person = member.role.person
        org = person.organization
        out.append(
            Finding(
                kind=Kind.NO_DESIGNATED,
                group=group,
                cause_key=f"group:{group.pk}:member:{member.pk}:not-designated",
                severity=Severity.PROBLEM,
                evidence={
                    "organization": org.name if org else "",
                    "person": person.full_name,
                    "approved_on": _iso(approved),
                    "note": member.designation_note,
                    "member_id": member.pk,
                },
                recipients=_unique([*coord, person]),
            )
        )
    return out


def slow_start(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    approved = local_day(group.approved_at)
    if approved is None or held_meetings(group, today).exists():
        return []
    days = (today - approved).days
    if days <= k.START_WITHIN_DAYS:
        return []
    upcoming = next_meeting(group, today)
    return [
        Finding(
            kind=Kind.SLOW_START,
            group=group,
            cause_key=f"group:{group.pk}:slow-start",
            severity=Severity.WARNING,
            evidence={
                "approved_on": _iso(approved),
                "days": days,
                "limit_days": k.START_WITHIN_DAYS,
                "next_meeting": _iso(local_day(upcoming.starts_at) if upcoming else None),
            },
            recipients=_unique([*coord, *mentor_people(group)]),
        )
    ]


def _period_over(program: Program, today: date) -> bool:
    return bool(program.end_date and today > program.end_date)


def meeting_gap(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    program = group.program
    last = last_held_day(group, today)
    if last is None or _period_over(program, today):
        return []
    limit = program.meeting_every_max_weeks * 7 + k.MEETING_GAP_GRACE_DAYS
    days = (today - last).days
    if days <= limit:
        return []
    upcoming = next_meeting(group, today)
    return [
        Finding(
            kind=Kind.MEETING_GAP,
            group=group,
            cause_key=f"group:{group.pk}:no-meeting-since:{last.isoformat()}",
            severity=Severity.WARNING,
            evidence={
                "last_meeting": last.isoformat(),
                "days": days,
                "max_weeks": program.meeting_every_max_weeks,
                "grace_days": k.MEETING_GAP_GRACE_DAYS,
                "next_meeting": _iso(local_day(upcoming.starts_at) if upcoming else None),
            },
            recipients=_unique([*mentor_people(group), *mentee_people(group)]),
        )
    ]


def period_of(group: Group) -> tuple[date, date] | None:
    """The period the bank is meant for: the program's, starting no earlier than the group."""
    program = group.program
    if not program.end_date:
        return None
    start = program.start_date or local_day(group.approved_at)
    if start is None or program.end_date <= start:
        return None
    return start, program.end_date


def hours_pace(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    period = period_of(group)
    bank = Decimal(group.hours_bank or 0)
    if period is None or bank <= 0:
        return []
    start, end = period
    total = (end - start).days
    elapsed_days = max(0, min(total, (today - start).days))
    elapsed = elapsed_days / total
    used = hours_used(group, today)
    remaining = bank - used
    evidence = {
        "bank": float(bank),
        "used": float(used),
        "remaining": float(remaining),
        "elapsed_share": round(elapsed, 3),
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
    }
    recipients = _unique([*coord, *mentor_people(group)])
    if elapsed >= 1 - k.SLOW_LAST_SHARE_OF_PERIOD and remaining / bank > Decimal(
        str(k.SLOW_REMAINING_SHARE_OF_BANK)
    ):
        return [
            Finding(
                kind=Kind.HOURS_PACE,
                group=group,
                cause_key=f"group:{group.pk}:hours-slow",
                severity=Severity.WARNING,
                evidence={**evidence, "direction": "slow"},
                recipients=recipients,
            )
        ]
    if elapsed < k.FAST_BEFORE_SHARE_OF_PERIOD and used > 0:
        if remaining <= 0:
            empty_on = today
        elif elapsed >= k.FAST_MIN_ELAPSED_SHARE and elapsed_days > 0:
            per_day = float(used) / elapsed_days
            empty_on = start + timedelta(days=float(bank) / per_day)
        else:
            return []
        if empty_on < start + timedelta(days=total * k.FAST_BEFORE_SHARE_OF_PERIOD):
            return [
                Finding(
                    kind=Kind.HOURS_PACE,
                    group=group,
                    cause_key=f"group:{group.pk}:hours-fast",
                    severity=Severity.WARNING,
                    evidence={
                        **evidence,
                        "direction": "fast",
                        "projected_empty_on": empty_on.isoformat(),
                    },
                    recipients=recipients,
                )
            ]
    return []


def _mentee_updates(group: Group, today: date):
    return group.updates.filter(
        kind=UpdateMessage.Kind.MENTEE_UPDATE, created_at__date__lte=today
    ).order_by("-created_at")


def update_overdue(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    program = group.program
    if _period_over(program, today):
        return []
    # The cadence is agreed at the start (kickoff): it runs from the first meeting held.
    started = local_day(
        held_meetings(group, today)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if started is None:
        return []
    out = []
    for member in _members(group, GroupMember.Side.MENTEE):
        if not member.is_designated:
            continue  # nobody to write: the no-designated alert covers it
        person = member.role.person
        last = _mentee_updates(group, today).filter(author=person).first()
        since = local_day(last.created_at) if last else started
        days = (today - since).days
        if days <= program.update_every_max_days:
            continue
        out.append(
            Finding(
                kind=Kind.UPDATE_OVERDUE,
                group=group,
                cause_key=f"group:{group.pk}:person:{person.pk}:update-since:{since.isoformat()}",
                severity=Severity.INFO,
                evidence={
                    "person": person.full_name,
                    "since": since.isoformat(),
                    "days": days,
                    "limit_days": program.update_every_max_days,
                },
                recipients=[person],
            )
        )
    return out


def last_activity_day(group: Group, today: date) -> date | None:
    days = [
        last_held_day(group, today),
        local_day(
            TimeEntry.objects.filter(group=group, date__lte=today).aggregate(m=Max("date"))["m"]
        ),
        local_day(
            group.updates.filter(created_at__date__lte=today).aggregate(m=Max("created_at"))["m"]
        ),
        local_day(group.approved_at),
    ]
    days = [d for d in days if d is not None]
    return max(days) if days else None


def inactive(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    since = last_activity_day(group, today)
    if since is None:
        return []
    days = (today - since).days
    if days >= k.INACTIVE_CLOSE_DAYS:
        stage, limit, severity = "close", k.INACTIVE_CLOSE_DAYS, Severity.PROBLEM
        recipients = coord
    elif days >= k.INACTIVE_WARN_DAYS:
        stage, limit, severity = "warn", k.INACTIVE_WARN_DAYS, Severity.WARNING
        recipients = _unique([*mentor_people(group), *mentee_people(group)])
    else:
        return []
    return [
        Finding(
            kind=Kind.INACTIVE,
            group=group,
            cause_key=f"group:{group.pk}:inactive-{stage}:since:{since.isoformat()}",
            severity=severity,
            evidence={
                "since": since.isoformat(),
                "days": days,
                "limit_days": limit,
                "stage": stage,
            },
            recipients=list(recipients),
        )
    ]


# --- Needs drift -------------------------------------------------------------------------------


def latest_needs(group: Group, today: date) -> list[dict[str, Any]]:
    """The needs that stand now: open action-plan needs written in the window, and the latest
    mentee updates (where their needs stand, in their own words)."""
    window = today - timedelta(days=k.DRIFT_WINDOW_DAYS)
    items: list[dict[str, Any]] = []
    needs = Need.objects.filter(
        plan__group=group,
        status=Need.Status.OPEN,
        created_at__date__gte=window,
        created_at__date__lte=today,
    ).order_by("priority", "id")
    for need in needs:
        items.append({"key": f"N{need.pk}", "text": need.text, "marked": need.inside_expertise})
    for update in _mentee_updates(group, today).filter(created_at__date__gte=window)[
        : k.DRIFT_LATEST_UPDATES
    ]:
        items.append({"key": f"U{update.pk}", "text": update.text, "marked": None})
    return [i for i in items if i["text"].strip()]


def need_fits(group: Group, items: list[dict[str, Any]]) -> tuple[list[float | None], str]:
    """Calibrated fit of each item with the group's mentor side, through the matching app's
    cached vectors (each text is encoded once)."""
    return fits_by_group(group.program, [(group, items)])[group.pk]


def fits_by_group(
    program: Any, asked: list[tuple[Group, list[dict[str, Any]]]]
) -> dict[int, tuple[list[float | None], str]]:
    """`need_fits` for several groups of one program at once: the mentor sides and the
    vectors are read in a fixed number of queries, whatever the number of groups."""
    if not asked:
        return {}
    every_side = instance.mentor_sides(program)
    side_of: dict[int, list[Any]] = {}
    for group, _items in asked:
        mentor_role_ids = {m.role_id for m in _members(group, GroupMember.Side.MENTOR)}
        side_of[group.pk] = [s for s in every_side if mentor_role_ids & {r.pk for r in s.roles}]
    out: dict[int, tuple[list[float | None], str]] = {}
    scored = [(g, items) for g, items in asked if any(s.text for s in side_of[g.pk])]
    for group, items in asked:
        out[group.pk] = ([None] * len(items), "")
    if not scored:
        return out
    encoder = get_encoder()
    used_sides = list({s.key: s for g, _i in scored for s in side_of[g.pk]}.values())
    expertise = dict(
        zip(
            (s.key for s in used_sides),
            instance.cached_vectors(program, used_sides, "expertise", encoder),
            strict=True,
        )
    )
    need_sides = [
        instance.Side(key=i["key"], kind="mentee", label="", roles=[], track=None, text=i["text"])
        for _g, items in scored
        for i in items
    ]
    vectors = iter(instance.cached_vectors(program, need_sides, "needs", encoder))
    kind = encoder_kind(encoder)
    for group, items in scored:
        needs = [next(vectors) for _i in items]
        mine = [expertise[s.key] for s in side_of[group.pk] if expertise[s.key]]
        if not mine or not any(n is not None for n in needs):
            out[group.pk] = ([None] * len(items), kind if mine else "")
            continue
        a = textfit.vectors_from_bytes([n for n in needs if n is not None])
        b = textfit.vectors_from_bytes(mine)
        scores = textfit.calibrate(textfit.score_vectors(a, b), encoder)
        values: list[float | None] = []
        row = 0
        for n in needs:
            if n is None:
                values.append(None)
                continue
            # A team side or two mentors: the best of them is what the group can count on.
            values.append(round(float(scores[row].max()), 3))
            row += 1
        out[group.pk] = (values, kind)
    return out


def needs_drift(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    items = latest_needs(group, today)
    if len(items) < k.DRIFT_MIN_OUTSIDE:
        return []
    try:
        fits, encoder_name = need_fits(group, items)
    except Exception:  # the text model is optional: a missing one must not stop the others
        log.exception("needs drift: fit unavailable for group %s", group.pk)
        fits, encoder_name = [None] * len(items), ""
    threshold = outside_threshold(encoder_name)
    outside = []
    for item, fit in zip(items, fits, strict=True):
        marked = item["marked"]
        if marked is False or (marked is None and fit is not None and fit < threshold):
            outside.append({"text": item["text"][:300], "fit": fit, "marked": marked})
    if len(outside) < k.DRIFT_MIN_OUTSIDE or len(outside) / len(items) < k.DRIFT_OUTSIDE_SHARE:
        return []
    return [
        Finding(
            kind=Kind.NEEDS_DRIFT,
            group=group,
            cause_key=f"group:{group.pk}:needs-drift",
            severity=Severity.WARNING,
            evidence={
                "total": len(items),
                "threshold": threshold,
                "encoder": encoder_name,
                "outside": outside,
            },
            recipients=_unique([*coord, *mentor_people(group)]),
        )
    ]


def consent_missing(group: Group, today: date, coord: list[Person]) -> list[Finding]:
    """A member of an active group without a valid consent for the program (they withdrew it):
    the platform stops processing them but never dissolves a group by itself, so the
    coordination is told, and only the coordination (a withdrawal is the person's business, not
    the group's). Clears when the person consents again, leaves the group, or the group ends."""
    members = [
        m for m in group.members.all() if m.role.kind in (Role.Kind.MENTOR, Role.Kind.MENTEE)
    ]
    if not members:
        return []
    consents: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(
        program_id=group.program_id, person__in=[m.role.person_id for m in members]
    ):
        consents.setdefault(consent.person_id, []).append(consent)
    out = []
    for member in members:
        given = consents.get(member.role.person_id, [])
        if any(c.withdrawn_at is None for c in given):
            continue
        withdrawn = max((c.withdrawn_at for c in given if c.withdrawn_at), default=None)
        out.append(
            Finding(
                kind=Kind.CONSENT_MISSING,
                group=group,
                cause_key=f"group:{group.pk}:member:{member.pk}:consent-missing",
                severity=Severity.PROBLEM,
                evidence={
                    "person": member.role.person.full_name,
                    "side": member.side,
                    "withdrawn_on": _iso(local_day(withdrawn)),
                    "member_id": member.pk,
                },
                recipients=coord,
            )
        )
    return out


CHECKS = (
    no_designated,
    slow_start,
    meeting_gap,
    hours_pace,
    update_overdue,
    needs_drift,
    inactive,
    consent_missing,
)


def findings_for(program: Program, today: date, group: Group | None = None) -> list[Finding]:
    """The program's findings, or only those of `group` (a change in one group)."""
    coord = coordinators(program)
    out: list[Finding] = []
    groups = (
        Group.objects.filter(program=program, status=Group.Status.ACTIVE)
        .select_related("program")
        .prefetch_related("members__role__person__organization")
    )
    if group is not None:
        groups = groups.filter(pk=group.pk)
    for each in groups:
        for check in CHECKS:
            out.extend(check(each, today, coord))
    return out

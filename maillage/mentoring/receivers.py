"""Mentoring's answers to matching's signals (maillage.matching.signals): the groups matching
proposes are formed and kept here; and to « Mes programmes » (maillage.programs.signals): the
unread messages, the next meeting and the agreement to accept."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.inclusion.signals import stage_people
from maillage.matching.signals import (
    StandingGroup,
    proposal_accepted,
    roles_in_groups,
    standing_groups,
)
from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo

from .access import person_of
from .models import Group, GroupMember, Meeting
from .selectors import agreements_missing, unread_counts
from .services import create_group


@receiver(standing_groups, sender=Program, dispatch_uid="mentoring.standing_groups")
def active_groups(*, program: Program, **_: Any) -> list[StandingGroup]:
    out = []
    for group in (
        Group.objects.active()
        .filter(program=program)
        .select_related("track")
        .prefetch_related("members__role__person")
    ):
        members = list(group.members.all())
        mentors = [m.role for m in members if m.side == GroupMember.Side.MENTOR]
        mentees = [m.role for m in members if m.side == GroupMember.Side.MENTEE]
        out.append(
            StandingGroup(
                name=group.name,
                track=str(group.track or ""),
                mentor_roles=mentors,
                mentee_roles=mentees,
                approved_at=group.approved_at,
                approved_by=group.approved_by_name,
                mentors=[r.person.full_name for r in mentors],
                mentees=[r.person.full_name for r in mentees],
            )
        )
    return out


@receiver(roles_in_groups, sender=Program, dispatch_uid="mentoring.roles_in_groups")
def grouped_roles(*, roles: list[Role], **_: Any) -> set[int]:
    return set(
        GroupMember.objects.filter(role__in=roles, group__status=Group.Status.ACTIVE).values_list(
            "role_id", flat=True
        )
    )


@receiver(proposal_accepted, sender=Program, dispatch_uid="mentoring.form_group")
def form_group(
    *,
    program: Program,
    proposal: Any,
    mentor_roles: list,
    mentee_roles: list,
    mentor_team: Any,
    by: Any,
    at: Any,
    **_: Any,
) -> Group:
    return create_group(
        program=program,
        mentor_roles=mentor_roles,
        mentee_roles=mentee_roles,
        approved_by=by,
        approved_at=at,
        track=proposal.track,
        mentor_team=mentor_team,
        name=proposal.mentor_label,
        created_from=proposal,
    )


def _next_meetings(memberships: list[GroupMember]) -> dict[int, Meeting]:
    """Each group's next planned meeting the member is invited to (an individual meeting
    invites the mentor side and its one mentee), in one query."""
    invited = Q(group_id__in=[m.group_id for m in memberships]) & (
        ~Q(kind=Meeting.Kind.INDIVIDUAL)
        | Q(group_id__in=[m.group_id for m in memberships if m.side == GroupMember.Side.MENTOR])
        | Q(individual_with_id__in=[m.pk for m in memberships])
    )
    first = Window(RowNumber(), partition_by=F("group_id"), order_by=[F("starts_at"), F("pk")])
    meetings = (
        Meeting.objects.planned()
        .filter(invited, starts_at__gte=timezone.now())
        .annotate(rank=first)
        .filter(rank=1)
    )
    return {meeting.group_id: meeting for meeting in meetings}


@receiver(dashboard_todo, sender=Program, dispatch_uid="mentoring.next_steps")
def next_steps(
    *,
    user: Any,
    programs: list[Program],
    roles: dict[int, list[Role]],
    person: Any = None,
    **_kwargs: Any,
) -> dict[int, list[dict[str, str]]]:
    """For each group the user belongs to in a running program: the unread messages, the
    agreement to accept, then the next meeting they are invited to (or, without one, planning
    it). Five queries whatever the number of groups, none for who is in no group's role."""
    sides = (Role.Kind.MENTOR, Role.Kind.MENTEE)
    running = [
        p.pk
        for p in programs
        if p.status != Program.Status.CLOSED and any(r.kind in sides for r in roles.get(p.pk, []))
    ]
    if not running:
        return {}
    memberships = list(
        GroupMember.objects.filter(
            role__person__user=user,
            group__program__in=running,
            group__status=Group.Status.ACTIVE,
        )
        .select_related("group")
        .prefetch_related(Prefetch("group__members", GroupMember.objects.select_related("role")))
        .order_by("group__name", "pk")
    )
    if not memberships:
        return {}
    groups = list({m.group_id: m.group for m in memberships}.values())
    unread = unread_counts(person or person_of(user), [g.pk for g in groups])
    missing = agreements_missing(groups)
    upcoming = _next_meetings(memberships)
    todo: dict[int, list[dict[str, str]]] = {}
    for member in memberships:
        group = member.group
        items = todo.setdefault(group.program_id, [])
        args = [group.program_id, group.pk]
        if unread.get(group.pk):
            n = unread[group.pk]
            items.append(
                {
                    "label": ngettext(
                        "Lire %(n)d nouveau message dans « %(group)s »",
                        "Lire %(n)d nouveaux messages dans « %(group)s »",
                        n,
                    )
                    % {"n": n, "group": group},
                    "url": reverse("mentoring:messages", args=args) + "#nouveaux",
                }
            )
        # No agreement yet: every side has one to accept (`Group.agreement_missing_sides`).
        waiting = missing[group.pk]
        if waiting is None or any(m.pk == member.pk for m in waiting):
            items.append(
                {
                    "label": _("Accepter l’entente du groupe « %(group)s »") % {"group": group},
                    "url": reverse("mentoring:agreement", args=args),
                }
            )
        meeting = upcoming.get(group.pk)
        if meeting is not None:
            when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
            items.append(
                {
                    "label": _("Prochaine rencontre : %(when)s (%(kind)s)")
                    % {"when": when, "kind": meeting.get_kind_display().lower()},
                    "url": reverse("mentoring:meeting", args=[*args, meeting.pk]),
                }
            )
        else:
            items.append(
                {
                    "label": _(
                        "Aucune rencontre prévue avec « %(group)s » : planifier la prochaine"
                    )
                    % {"group": group},
                    "url": reverse("mentoring:meeting_add", args=args),
                }
            )
    return todo


@receiver(stage_people, sender=Program, dispatch_uid="mentoring.inclusion_stage_people")
def matched_people(*, program: Program, **_kwargs: Any) -> dict[str, set[int]]:
    """Inclusion's « jumelées » stages: the people of the program's groups (active or ended),
    mentees and mentor side apart."""
    out: dict[str, set[int]] = {"matched": set(), "mentors": set()}
    for person_id, side in GroupMember.objects.filter(group__program=program).values_list(
        "role__person_id", "side"
    ):
        out["mentors" if side == GroupMember.Side.MENTOR else "matched"].add(person_id)
    return out

"""Mentoring's answers to matching's signals (maillage.matching.signals): the groups matching
proposes are formed and kept here."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from maillage.matching.signals import StandingGroup, proposal_accepted, standing_groups
from maillage.programs.models import Program

from .models import Group, GroupMember
from .services import create_group


@receiver(standing_groups, sender=Program, dispatch_uid="mentoring.standing_groups")
def active_groups(*, program: Program, **_: Any) -> list[StandingGroup]:
    out = []
    for group in (
        Group.objects.active()
        .filter(program=program)
        .select_related("track", "approved_by__person")
        .prefetch_related("members__role__person")
    ):
        members = list(group.members.all())
        mentors = [m.role for m in members if m.side == GroupMember.Side.MENTOR]
        mentees = [m.role for m in members if m.side == GroupMember.Side.MENTEE]
        by = group.approved_by
        out.append(
            StandingGroup(
                name=group.name,
                track=str(group.track or ""),
                mentor_roles=mentors,
                mentee_roles=mentees,
                approved_at=group.approved_at,
                approved_by=(
                    (getattr(getattr(by, "person", None), "full_name", "") or by.email)
                    if by
                    else ""
                ),
                mentors=[r.person.full_name for r in mentors],
                mentees=[r.person.full_name for r in mentees],
            )
        )
    return out


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

"""Writes for mentoring groups."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Team
from maillage.programs.models import Program, Role, Track

from .errors import MentoringError
from .models import Group, GroupMember


@transaction.atomic
def create_group(
    *,
    program: Program,
    mentor_roles: list[Role],
    mentee_roles: list[Role],
    approved_by: Any,
    track: Track | None = None,
    mentor_team: Team | None = None,
    name: str = "",
    created_from: Any = None,
    approved_at: datetime | None = None,
) -> Group:
    """Form a group from roles of `program`: one mentor side (a person or a team's members)
    and its mentees. Nobody may be in two active groups of the program."""
    roles = [*mentor_roles, *mentee_roles]
    if not mentor_roles or not mentee_roles:
        raise MentoringError(
            _("Un groupe réunit un côté mentor et au moins une personne mentorée.")
        )
    if any(r.program_id != program.pk for r in roles):
        raise MentoringError(_("Ces personnes ne font pas toutes partie de ce programme."))
    if any(r.kind != Role.Kind.MENTOR for r in mentor_roles) or any(
        r.kind != Role.Kind.MENTEE for r in mentee_roles
    ):
        raise MentoringError(_("Le côté mentor et les personnes mentorées ont le mauvais rôle."))
    taken = GroupMember.objects.filter(
        group__program=program, group__status=Group.Status.ACTIVE, role__in=mentee_roles
    ).select_related("role__person")
    if taken:
        names = ", ".join(m.role.person.full_name for m in taken)
        raise MentoringError(
            _("Déjà dans un groupe actif de ce programme : %(names)s.") % {"names": names}
        )
    group = Group(
        program=program,
        track=track,
        name=name[:300],
        mentor_team=mentor_team,
        approved_by=approved_by,
        approved_at=approved_at or timezone.now(),
        created_from=created_from,
    )
    group.full_clean()
    group.save()
    for role in mentor_roles:
        GroupMember.objects.create(group=group, role=role, side=GroupMember.Side.MENTOR)
    for role in mentee_roles:
        GroupMember.objects.create(group=group, role=role, side=GroupMember.Side.MENTEE)
    return group

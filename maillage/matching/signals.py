"""What matching asks of the floor that keeps mentoring groups (maillage.mentoring).

Matching proposes groups and records who approved them; the groups themselves live above it.
It never imports that floor: it sends these signals, and mentoring answers from its
`receivers` module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.dispatch import Signal

from maillage.programs.models import Program, Role

# The program's active groups: `program`. A receiver returns a list of StandingGroup.
standing_groups = Signal()

# Which of these roles are in an active group: `roles` (a list of Role). A receiver returns the
# set of their ids that are; one query for all of them (« Mes programmes » asks it for the
# mentees who may still choose a mentor side, where `standing_groups` would load every group).
roles_in_groups = Signal()

# A person approved a proposal: `program`, `proposal`, `mentor_roles`, `mentee_roles`,
# `mentor_team`, `by` (a user or None) and `at`. The receiver that keeps groups forms the group
# and returns it; it raises a DomainError when the group cannot be formed.
proposal_accepted = Signal()


@dataclass
class StandingGroup:
    """An active group, as matching needs it: who is in it (they stay together in later runs)
    and what the coordinator's page shows of it."""

    name: str
    track: str
    mentor_roles: list[Role]
    mentee_roles: list[Role]
    approved_at: datetime | None = None
    approved_by: str = ""
    mentors: list[str] = field(default_factory=list)
    mentees: list[str] = field(default_factory=list)


def standing_groups_of(program: Program) -> list[StandingGroup]:
    return [
        group
        for _receiver, groups in standing_groups.send(sender=Program, program=program)
        for group in groups or []
    ]


def grouped_role_ids(roles: list[Role]) -> set[int]:
    """The ids of those of `roles` that are in an active group (see `roles_in_groups`)."""
    if not roles:
        return set()
    return {
        pk
        for _receiver, ids in roles_in_groups.send(sender=Program, roles=roles)
        for pk in ids or ()
    }


def form_group(**facts: Any) -> Any:
    """Ask the floor that keeps groups to form one (see `proposal_accepted`); None when no app
    keeps groups."""
    answers = [group for _receiver, group in proposal_accepted.send(sender=Program, **facts)]
    return next((group for group in answers if group is not None), None)

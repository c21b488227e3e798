"""Who sees what of a group. Every mentoring view goes through `get_group`.

- the coordinator of the program sees every group of it;
- mentors and mentees see their own groups only (another group of the same program is a 404);
- an observer sees a group's outline (members, meetings' dates, hours), and its confidential
  parts (notes, action plans, updates) only if the group agreed to have an observer;
- anyone else (another program, the committee, funders) gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from maillage.core.models import Person
from maillage.programs.access import get_program
from maillage.programs.models import Program, Role

from .models import Group, GroupMember

Kind = Role.Kind
GROUP_KINDS = (Kind.COORDINATOR, Kind.MENTOR, Kind.MENTEE, Kind.OBSERVER)


def person_of(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    # Through the account's own accessor, which keeps the person on `request.user`: the page
    # header asks for `user.person` again and then costs no query.
    try:
        return user.person
    except Person.DoesNotExist:
        return None


@dataclass
class Viewer:
    program: Program
    group: Group
    person: Person | None
    member: GroupMember | None
    roles: set[str]

    @property
    def is_coordinator(self) -> bool:
        return Kind.COORDINATOR in self.roles

    @property
    def is_member(self) -> bool:
        return self.member is not None

    @property
    def is_mentor_side(self) -> bool:
        return self.member is not None and self.member.side == GroupMember.Side.MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.member is not None and self.member.side == GroupMember.Side.MENTEE

    @property
    def is_observer_only(self) -> bool:
        return not self.is_coordinator and not self.is_member

    @property
    def sees_confidential(self) -> bool:
        """Notes, action plans and updates: the group, the coordinator, and an observer the
        group agreed to."""
        return self.is_coordinator or self.is_member or self.group.observer_allowed

    @property
    def writes(self) -> bool:
        """Whether the group's pages offer their forms: a closed program is read-only."""
        return not self.program.is_closed()

    @property
    def reads_messages(self) -> bool:
        """The group's thread: its members and the coordination, never an observer."""
        return self.is_coordinator or self.is_member

    @property
    def writes_messages(self) -> bool:
        """An ended group's or a closed program's thread is read, not written."""
        return self.reads_messages and self.writes and self.group.status == Group.Status.ACTIVE

    @property
    def manages_meetings(self) -> bool:
        return self.is_coordinator or self.is_member

    def edits_plan(self, mentee: GroupMember) -> bool:
        return self.is_mentor_side or (self.member is not None and self.member.pk == mentee.pk)


def get_group(request: HttpRequest, pk: int, group_pk: int) -> Viewer:
    program = get_program(request, pk, GROUP_KINDS)
    group = get_object_or_404(
        Group.objects.select_related("program", "track"), pk=group_pk, program=program
    )
    roles = set(getattr(request, "program_roles", set()))
    person = person_of(request.user)
    member = (
        group.members.select_related("role__person").filter(role__person=person).first()
        if person
        else None
    )
    if not (Kind.COORDINATOR in roles or member is not None or Kind.OBSERVER in roles):
        raise Http404
    return Viewer(program=program, group=group, person=person, member=member, roles=roles)


def require(condition: bool) -> None:
    """Inside a group page, a part the viewer may not use does not exist for them."""
    if not condition:
        raise Http404


def visible_groups(program: Program, user: Any, roles: set[str]) -> Any:
    groups = Group.objects.filter(program=program)
    if Kind.COORDINATOR in roles or Kind.OBSERVER in roles:
        return groups
    return groups.filter(pk__in=Group.objects.of_user(user).values("pk"))

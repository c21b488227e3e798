from __future__ import annotations

from maillage.conftest import make_person
from maillage.programs.models import Role
from maillage.programs.services import assign_role
from maillage.tools.models import Tool
from maillage.tools.services import add_tool, confirm_public


def _tools(group, mentor):
    link = {"type": "guide", "url": "https://exemple.org"}
    return {
        reuse: add_tool(group=group, shared_by=mentor, title=reuse, reuse=reuse, **link)
        for reuse in Tool.Reuse.values
    }


def titles(user, program):
    return set(Tool.objects.visible_to(user, program).values_list("title", flat=True))


def test_members_see_their_groups_tools(program_a, group, mentor, mentee, second_mentee):
    _tools(group, mentor)
    for person in (mentor, mentee, second_mentee):
        assert titles(person.user, program_a) == {"group", "program", "public"}


def test_other_groups_see_only_what_was_opened_to_the_program(
    program_a, group, other_group, mentor, other_mentee
):
    _tools(group, mentor)
    assert titles(other_mentee.user, program_a) == {"program", "public"}


def test_the_coordinator_sees_everything(program_a, group, mentor, coordinator):
    _tools(group, mentor)
    assert titles(coordinator.user, program_a) == {"group", "program", "public"}


def test_an_outsider_and_anonymous_see_nothing(program_a, group, mentor, outsider):
    from django.contrib.auth.models import AnonymousUser

    _tools(group, mentor)
    assert titles(outsider.user, program_a) == set()
    assert titles(AnonymousUser(), program_a) == set()


def test_an_observer_sees_private_tools_only_of_groups_that_agreed(program_a, group, mentor):
    _tools(group, mentor)
    observer = make_person("Odile", "Observe")
    assign_role(program=program_a, person=observer, kind=Role.Kind.OBSERVER)
    assert titles(observer.user, program_a) == {"program", "public"}
    if hasattr(group, "observer_allowed"):
        group.observer_allowed = True
        group.save()
        assert titles(observer.user, program_a) == {"group", "program", "public"}


def test_public_needs_the_coordinators_confirmation(group, mentor, coordinator):
    tool = _tools(group, mentor)["public"]
    assert not Tool.objects.public().exists() and tool.awaits_public_confirmation
    confirm_public(tool=tool, by=coordinator.user)
    assert list(Tool.objects.public()) == [tool]
    assert tool.public_confirmed_by == coordinator.user

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import Group
from maillage.mentoring.services import create_group
from maillage.programs.models import Role
from maillage.programs.services import assign_role


@pytest.fixture
def roles(program_a, mentor, mentee):
    return {
        "mentor": program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR),
        "mentee": program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE),
    }


def test_a_group_gathers_a_mentor_side_and_its_mentees(program_a, roles, coordinator):
    group = create_group(
        program=program_a,
        mentor_roles=[roles["mentor"]],
        mentee_roles=[roles["mentee"]],
        approved_by=coordinator.user,
        name="Groupe de Marc",
    )
    assert group.status == Group.Status.ACTIVE and group.approved_at is not None
    assert group.mentor_roles() == [roles["mentor"]]
    assert group.mentee_roles() == [roles["mentee"]]
    assert list(Group.objects.of_user(roles["mentee"].person.user)) == [group]


def test_a_mentee_is_in_one_active_group_only(program_a, roles, coordinator):
    kwargs = {
        "program": program_a,
        "mentee_roles": [roles["mentee"]],
        "approved_by": coordinator.user,
    }
    create_group(mentor_roles=[roles["mentor"]], **kwargs)
    other = assign_role(program=program_a, person=make_person("Nora", "Autre"), kind="mentor")
    with pytest.raises(MentoringError) as caught:
        create_group(mentor_roles=[other], **kwargs)
    assert "Élise Mentorée" in caught.value.message
    assert Group.objects.count() == 1


def test_roles_must_fit_their_side_and_the_program(program_a, roles, outsider, coordinator):
    with pytest.raises(MentoringError):
        create_group(
            program=program_a,
            mentor_roles=[roles["mentee"]],
            mentee_roles=[roles["mentor"]],
            approved_by=coordinator.user,
        )
    foreign = outsider.roles.first()
    with pytest.raises(MentoringError):
        create_group(
            program=program_a,
            mentor_roles=[foreign],
            mentee_roles=[roles["mentee"]],
            approved_by=coordinator.user,
        )
    assert not Group.objects.exists()


def test_an_outsider_has_no_group(program_a, roles, outsider, coordinator):
    create_group(
        program=program_a,
        mentor_roles=[roles["mentor"]],
        mentee_roles=[roles["mentee"]],
        approved_by=coordinator.user,
    )
    assert not Group.objects.of_user(outsider.user).exists()


def test_a_group_is_never_formed_without_a_person_approving_it(program_a, roles, mentor):
    """Nobody, or someone who does not coordinate the program, cannot make a group active."""
    for approver in (None, mentor.user):
        with pytest.raises(MentoringError) as caught:
            create_group(
                program=program_a,
                mentor_roles=[roles["mentor"]],
                mentee_roles=[roles["mentee"]],
                approved_by=approver,
            )
        assert "coordination" in caught.value.message
    assert not Group.objects.exists()


def test_the_approver_name_stays_when_their_account_is_deleted(program_a, roles, coordinator):
    group = create_group(
        program=program_a,
        mentor_roles=[roles["mentor"]],
        mentee_roles=[roles["mentee"]],
        approved_by=coordinator.user,
    )
    coordinator.user.delete()
    group.refresh_from_db()
    assert group.approved_by is None
    assert group.approved_by_name == coordinator.full_name
    assert group.status == Group.Status.ACTIVE


def test_a_member_without_consent_is_refused_and_named(program_a, roles, coordinator):
    """Law 25 (issue 12, finding 10): no group processes a person who has not consented."""
    from maillage.conftest import no_consent

    no_consent(roles["mentee"].person)
    with pytest.raises(MentoringError, match="Élise Mentorée n’a pas donné son consentement"):
        create_group(
            program=program_a,
            mentor_roles=[roles["mentor"]],
            mentee_roles=[roles["mentee"]],
            approved_by=coordinator.user,
        )
    assert not Group.objects.exists()


def test_a_mentor_who_withdrew_is_refused(program_a, roles, coordinator):
    from maillage.programs.services import withdraw_consent

    withdraw_consent(person=roles["mentor"].person, program=program_a, by=coordinator.user)
    with pytest.raises(MentoringError, match="Marc Mentor"):
        create_group(
            program=program_a,
            mentor_roles=[roles["mentor"]],
            mentee_roles=[roles["mentee"]],
            approved_by=coordinator.user,
        )
    assert not Group.objects.exists()

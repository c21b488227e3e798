from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.evaluation import services
from maillage.evaluation.models import Invitation, Round
from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Role
from maillage.programs.services import assign_role


@pytest.fixture
def english_mentee(db, program_a):
    """Jordan answers in English."""
    person = make_person("Jordan", "Mentee", language="en")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def observer(db, program_a):
    person = make_person("Odile", "Observation")
    assign_role(program=program_a, person=person, kind=Role.Kind.OBSERVER)
    return person


@pytest.fixture
def group(db, program_a, mentor, mentee):
    group = Group.objects.create(
        program=program_a, name="Groupe 1", approved_at=timezone.now(), approved_by_name="Camille"
    )
    for person, side in ((mentor, "mentor"), (mentee, "mentee")):
        role = program_a.roles.get(person=person, kind=side)
        GroupMember.objects.create(group=group, role=role, side=side)
    return group


@pytest.fixture
def monthly(db, program_a):
    questionnaire = services.create_questionnaire_from_template(program=program_a, kind="monthly")
    objectives = questionnaire.questions.get(kind="objective_progress")
    objectives.objectives_fallback = "Structurer la collecte\nTrouver un camion"
    objectives.save()
    return questionnaire


@pytest.fixture
def final(db, program_a):
    return services.create_questionnaire_from_template(program=program_a, kind="final")


@pytest.fixture
def open_round(db, program_a, monthly, mentor, mentee, group):
    """A monthly round sent today and open for two weeks, invitations sent."""
    today = timezone.localdate()
    round = Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today,
        closes_on=today + timezone.timedelta(days=14),
    )
    services.invite_round(round=round)
    # No commit in a test transaction: mark as sent the way the task would.
    round.invitations.update(sent_at=timezone.now())
    return round


@pytest.fixture
def mentee_invitation(open_round, mentee) -> Invitation:
    return open_round.invitations.get(person=mentee)


@pytest.fixture
def mentor_invitation(open_round, mentor) -> Invitation:
    return open_round.invitations.get(person=mentor)


@pytest.fixture
def program_dates():
    return date(2026, 7, 1), date(2026, 12, 15)

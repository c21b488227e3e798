from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.evaluation import services
from maillage.mentoring.models import ActionPlan, GroupMember, Objective
from maillage.programs.services import assign_role


@pytest.fixture
def plans(program_a, group, mentee):
    """Élise's plan, and a second mentee's plan in the same group."""
    second = make_person("Sami", "Second")
    role = assign_role(program=program_a, person=second, kind="mentee")
    member = GroupMember.objects.create(group=group, role=role, side="mentee")
    elise = ActionPlan.objects.create(group=group, mentee=group.members.get(role__person=mentee))
    sami = ActionPlan.objects.create(group=group, mentee=member)
    Objective.objects.create(plan=elise, text="Structurer la collecte")
    Objective.objects.create(plan=elise, text="Ancien objectif", status="dropped")
    Objective.objects.create(plan=sami, text="Mutualiser un camion")
    return elise, sami


def test_a_mentee_reports_on_their_own_objectives(monthly, group, mentee, plans):
    question = monthly.questions.get(kind="objective_progress")
    assert services.objectives_for(mentee, group, question) == ["Structurer la collecte"]


def test_a_mentor_reports_on_every_mentees_objectives(monthly, group, mentor, plans):
    question = monthly.questions.get(kind="objective_progress")
    assert services.objectives_for(mentor, group, question) == [
        "Structurer la collecte",
        "Mutualiser un camion",
    ]


def test_without_a_plan_the_coordinators_list_is_used(monthly, group, mentee):
    question = monthly.questions.get(kind="objective_progress")
    assert services.objectives_for(mentee, group, question) == [
        "Structurer la collecte",
        "Trouver un camion",
    ]
    assert services.objectives_for(mentee, None, question) == question.fallback_objectives()

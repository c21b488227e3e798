from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.programs.models import Role
from maillage.programs.services import assign_role
from maillage.training import selectors, services
from maillage.training.errors import TrainingError
from maillage.training.models import Module

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def test_a_role_assignment_reaches_people_who_join_later(program_a, module, mentee, coordinator):
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    later = make_person("Léa", "Tardive")
    assign_role(program=program_a, person=later, kind=Role.Kind.MENTEE)
    assert Module.objects.assigned_to(later, program_a).filter(pk=module.pk).exists()


def test_named_assignment_reaches_only_the_named(program_a, module, mentee, coordinator):
    other = make_person("Noé", "Autre")
    assign_role(program=program_a, person=other, kind=Role.Kind.MENTEE)
    services.assign_module(module=module, by=coordinator.user, kind="mentee", people=[mentee])
    assert Module.objects.assigned_to(mentee, program_a).exists()
    assert not Module.objects.assigned_to(other, program_a).exists()


def test_a_named_person_must_have_the_role(module, mentor, coordinator):
    with pytest.raises(TrainingError) as caught:
        services.assign_module(module=module, by=coordinator.user, kind="mentee", people=[mentor])
    assert caught.value.field == "people"


def test_a_past_due_date_is_refused(module, coordinator):
    with pytest.raises(TrainingError):
        services.assign_module(
            module=module,
            by=coordinator.user,
            kind="mentor",
            due_on=timezone.localdate() - timedelta(days=1),
        )


def test_the_earliest_due_date_wins(program_a, module, mentee, coordinator):
    today = timezone.localdate()
    services.assign_module(
        module=module, by=coordinator.user, kind="mentee", due_on=today + timedelta(days=20)
    )
    services.assign_module(
        module=module,
        by=coordinator.user,
        kind="mentee",
        people=[mentee],
        due_on=today + timedelta(days=5),
    )
    (due,) = selectors.assigned(program_a, person=mentee)
    assert due.due_on == today + timedelta(days=5)


def test_completion_summary_counts_per_role_and_module(
    program_a, module, mentor, mentee, coordinator
):
    second = make_person("Zoé", "Mentorée")
    assign_role(program=program_a, person=second, kind=Role.Kind.MENTEE)
    services.assign_module(module=module, by=coordinator.user, kind="mentee")
    services.assign_module(module=module, by=coordinator.user, kind="mentor")
    services.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    services.complete_module(module=module, person=mentee)
    summary = selectors.completion_summary(program_a)
    assert summary["by_role"]["mentee"]["modules"][module.pk] == {
        "assigned": 2,
        "completed": 1,
        "passed": 1,
        "rate": 0.5,
    }
    assert summary["by_role"]["mentor"]["completed"] == 0
    assert "coordinator" not in summary["by_role"]
    assert summary["total"] == {"assigned": 3, "completed": 1, "passed": 1, "rate": 0.333}
    assert summary["modules"] == [
        {"id": module.pk, "title": module.title, "has_quiz": True, "archived": False}
    ]


def test_completion_summary_of_a_program_without_training(program_a):
    assert selectors.completion_summary(program_a) == {
        "modules": [],
        "by_role": {},
        "total": {"assigned": 0, "completed": 0, "passed": 0, "rate": None},
    }


def test_a_new_edition_carries_the_library_with_its_quizzes(program_a, module, coordinator):
    from maillage.programs.services import duplicate_program

    services.archive_module(
        module=services.copy_starter(program=program_a, key="role-du-mentor", by=coordinator.user)
    )
    services.assign_module(module=module, by=coordinator.user, kind="mentor")
    copy, carried = duplicate_program(
        source=program_a, by=coordinator.user, token=uuid.uuid4(), title="Programme A, 2027"
    )
    (new,) = copy.modules.all()
    assert new.title == module.title and new.questions.count() == module.questions.count()
    assert not new.assignments.exists()
    assert "1 module de formation" in carried

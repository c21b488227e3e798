from __future__ import annotations

import pytest

from maillage.core.models import AuditEntry
from maillage.training import services
from maillage.training.errors import TrainingError

from .conftest import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def test_failing_then_passing_keeps_the_best_and_dates_the_pass(module, mentee):
    failed = services.submit_quiz(module=module, person=mentee, answers=wrong_answers(module))
    assert not failed.passed and failed.score == 0
    completion = failed.completion
    completion.refresh_from_db()
    assert completion.attempts == 1 and completion.passed_at is None
    passed = services.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    assert passed.passed and passed.score == 100
    completion.refresh_from_db()
    assert completion.attempts == 2 and completion.best_score == 100 and completion.passed_at
    assert AuditEntry.objects.filter(action="training.quiz_passed").count() == 1


def test_several_right_choices_must_all_be_chosen(module, mentee):
    answers = right_answers(module)
    several = next(pk for pk, ids in answers.items() if len(ids) > 1)
    answers[several] = {sorted(answers[several])[0]}
    attempt = services.submit_quiz(module=module, person=mentee, answers=answers)
    assert attempt.score == 67 and not attempt.passed  # 2 of 3 under the 80 % mark


def test_every_question_needs_an_answer(module, mentee):
    answers = right_answers(module)
    answers.pop(next(iter(answers)))
    with pytest.raises(TrainingError):
        services.submit_quiz(module=module, person=mentee, answers=answers)


def test_done_needs_the_quiz_passed(module, mentee):
    with pytest.raises(TrainingError):
        services.complete_module(module=module, person=mentee)
    services.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    completion = services.complete_module(module=module, person=mentee)
    assert completion.completed_at is not None
    again = services.complete_module(module=module, person=mentee)
    assert again.completed_at == completion.completed_at
    assert AuditEntry.objects.filter(action="training.completed").count() == 1


def test_a_module_without_quiz_is_done_in_one_click(program_a, coordinator, mentee):
    module = services.create_module(
        program=program_a, by=coordinator.user, title="Lire", summary="R", kind="text", body="Texte"
    )
    assert services.complete_module(module=module, person=mentee).completed_at

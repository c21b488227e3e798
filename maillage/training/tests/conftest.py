from __future__ import annotations

import pytest

from maillage.training import services
from maillage.training.models import Module


@pytest.fixture
def module(program_a, coordinator) -> Module:
    """« Biais inconscients en mentorat », copied from the starter set: three questions."""
    return services.copy_starter(program=program_a, key="biais-inconscients", by=coordinator.user)


def right_answers(module: Module) -> dict[int, set[int]]:
    return {q.pk: q.right_ids() for q in module.questions.prefetch_related("choices")}


def wrong_answers(module: Module) -> dict[int, set[int]]:
    answers = {}
    for q in module.questions.prefetch_related("choices"):
        wrong = [c.pk for c in q.choices.all() if not c.correct]
        answers[q.pk] = {wrong[0]}
    return answers

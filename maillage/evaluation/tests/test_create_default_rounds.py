from __future__ import annotations

from datetime import date

import pytest

from maillage.evaluation import services
from maillage.evaluation.errors import EvaluationError


def test_monthly_rounds_over_the_period_then_the_final(program_a):
    rounds = services.create_default_rounds(program=program_a)
    monthly = [r.send_on for r in rounds if r.questionnaire.kind == "monthly"]
    assert monthly == [date(2026, m, 1) for m in (8, 9, 10, 11, 12)]
    final = [r for r in rounds if r.questionnaire.kind == "final"]
    assert [r.send_on for r in final] == [date(2026, 12, 15)]
    assert all(r.closes_on > r.send_on for r in rounds)


def test_running_it_again_adds_nothing(program_a):
    services.create_default_rounds(program=program_a)
    assert services.create_default_rounds(program=program_a) == []
    assert program_a.evaluation_rounds.count() == 6
    assert program_a.questionnaires.count() == 2


def test_month_ends_are_kept_in_short_months():
    assert services.monthly_dates(date(2026, 1, 31), date(2026, 4, 30)) == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]


def test_a_program_without_dates_is_refused_with_a_message(program_a):
    program_a.start_date = None
    program_a.save()
    with pytest.raises(EvaluationError):
        services.create_default_rounds(program=program_a)

from __future__ import annotations

import pytest

from maillage.intake.models import Application
from maillage.selection.errors import SelectionError
from maillage.selection.models import Review, Score
from maillage.selection.services import save_review

from .conftest import score_all


def values_of(review: Review) -> list[int]:
    return list(review.scores.order_by("criterion__order").values_list("value", flat=True))


def test_second_reviewer_does_not_overwrite_the_first(
    application, three_criteria, coordinator, committee_member
):
    first = score_all(application, coordinator, [4, 5, 1], comment="Très pertinent.")
    second = score_all(application, committee_member, [2, 3, 5], comment="Peu d’ouverture.")
    first.refresh_from_db()
    assert first.pk != second.pk
    assert values_of(first) == [4, 5, 1]
    assert first.comment == "Très pertinent."
    assert values_of(second) == [2, 3, 5]
    assert Review.objects.filter(application=application).count() == 2


def test_saving_again_updates_my_review(application, three_criteria, coordinator):
    first = score_all(application, coordinator, [4, 5, 1])
    again = score_all(application, coordinator, [0, 0, 3], comment="Revu après l’appel.")
    assert again.pk == first.pk
    assert values_of(again) == [0, 0, 3]
    assert Score.objects.filter(review=first).count() == 3


def test_first_review_moves_application_to_in_review(application, three_criteria, coordinator):
    assert application.status == Application.Status.RECEIVED
    score_all(application, coordinator, [3, 3, 3])
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW


def test_a_review_does_not_reopen_a_decided_application(application, three_criteria, coordinator):
    application.status = Application.Status.DECLINED
    application.save()
    score_all(application, coordinator, [3, 3, 3])
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED


def test_score_out_of_range_is_refused(application, three_criteria, coordinator):
    scores = {three_criteria[0].pk: 6, three_criteria[1].pk: 3, three_criteria[2].pk: 3}
    with pytest.raises(SelectionError, match="de 0 à 5"):
        save_review(application=application, reviewer=coordinator, scores=scores)
    assert not Review.objects.exists()


def test_every_criterion_needs_a_score(application, three_criteria, coordinator):
    with pytest.raises(SelectionError, match="Partenariat"):
        save_review(
            application=application,
            reviewer=coordinator,
            scores={three_criteria[0].pk: 3, three_criteria[1].pk: 3},
        )


def test_criterion_of_another_program_is_refused(
    application, three_criteria, coordinator, outsider
):
    foreign = outsider.roles.get().program.criteria.first()
    scores = {c.pk: 3 for c in three_criteria} | {foreign.pk: 5}
    with pytest.raises(SelectionError):
        save_review(application=application, reviewer=coordinator, scores=scores)

from __future__ import annotations

from decimal import Decimal

from maillage.selection.selectors import ranked_applications, weighted_score

from .conftest import score_all


def test_weighted_score_is_weighted_mean_on_the_0_to_5_scale():
    # (3·4 + 2·5 + 1·1) / (3 + 2 + 1) = 23 / 6
    assert weighted_score([(Decimal(3), 4), (Decimal(2), 5), (Decimal(1), 1)]) == Decimal(23) / 6


def test_weighted_score_without_weight_is_none():
    assert weighted_score([(Decimal(0), 4)]) is None
    assert weighted_score([]) is None


def test_application_score_is_mean_of_two_reviewers_weighted_scores(
    application, three_criteria, coordinator, committee_member
):
    score_all(application, coordinator, [4, 5, 1])  # 23/6 ≈ 3.833
    score_all(application, committee_member, [2, 3, 5])  # (6 + 6 + 5)/6 = 17/6 ≈ 2.833
    [row] = ranked_applications(program=application.program)
    assert row.review_count == 2
    assert sorted(row.review_scores) == [Decimal(17) / 6, Decimal(23) / 6]
    # (23/6 + 17/6) / 2 = 40/12 = 10/3
    assert round(row.score, 6) == round(Decimal(10) / 3, 6)
    assert not row.disagree  # 1 point apart


def test_reviewers_two_points_apart_are_flagged(
    application, three_criteria, coordinator, committee_member
):
    score_all(application, coordinator, [5, 5, 5])
    score_all(application, committee_member, [3, 3, 3])
    [row] = ranked_applications(program=application.program)
    assert row.disagree
    assert (row.low, row.high) == (Decimal(3), Decimal(5))


def test_archived_criterion_no_longer_counts(application, three_criteria, coordinator):
    from maillage.selection.services import remove_criterion

    score_all(application, coordinator, [5, 5, 0])
    remove_criterion(criterion=three_criteria[2])
    [row] = ranked_applications(program=application.program)
    assert row.score == Decimal(5)

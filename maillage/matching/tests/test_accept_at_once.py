"""Two approvals of one proposed group at once form one group; the second is refused (issue 12,
finding 5: state changes run under a row lock with the state checked)."""

from __future__ import annotations

import pytest

from maillage.core.tests.at_once import at_once
from maillage.matching.errors import MatchingError
from maillage.matching.models import Approval
from maillage.matching.services import accept_proposal, run_matching
from maillage.mentoring.models import Group


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_form_one_group(cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    key = f"T{cast['team'].pk}"
    # Each request has its own copy of the proposal, read before the other one's approval.
    one, two = (run.proposals.get(mentor_key=key) for _ in range(2))
    proposal = one
    answers = at_once(
        lambda: accept_proposal(proposal=one, by=coordinator.user),
        lambda: accept_proposal(proposal=two, by=coordinator.user),
    )
    refused = [a for a in answers if isinstance(a, Exception)]
    assert len(refused) == 1, answers
    assert isinstance(refused[0], MatchingError)
    assert "déjà accepté" in refused[0].message
    assert Group.objects.filter(created_from=proposal).count() == 1
    assert Approval.objects.filter(proposal=proposal).count() == 1

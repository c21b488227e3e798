"""A disagreement follows defined steps: dialogue → facilitation → an instance's decision →
appeal, each dated with its outcome."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from maillage.core.models import AuditEntry
from maillage.governance import services
from maillage.governance.errors import GovernanceError
from maillage.governance.models import Disagreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def disagreement(network, members, member_coordinator):
    return services.raise_disagreement(
        network=network,
        by=member_coordinator,
        subject="Partage du camion",
        description="Le camion n’est jamais disponible le mardi.",
        with_member=members[1],
    )


def test_it_opens_at_the_dialogue_step(disagreement):
    (step,) = disagreement.steps.all()
    assert step.kind == "dialogue" and step.started_on == date.today() and step.ended_on is None
    assert AuditEntry.objects.filter(action="governance.disagreement_raised").exists()


def test_without_agreement_it_goes_through_every_step_then_closes(disagreement, model_1):
    on = date.today()
    board = model_1.instances.first()
    for n in range(4):
        services.close_step(
            disagreement=disagreement,
            outcome=f"Résultat {n}",
            resolved=False,
            on=on,
            instance=board,
        )
    steps = list(disagreement.steps.all())
    assert [s.kind for s in steps] == ["dialogue", "facilitation", "decision", "appeal"]
    assert all(s.ended_on == on and s.outcome for s in steps)
    assert steps[2].instance == board and steps[0].instance is None
    disagreement.refresh_from_db()
    assert disagreement.status == Disagreement.Status.UNRESOLVED
    with pytest.raises(GovernanceError):
        services.close_step(disagreement=disagreement, outcome="encore", resolved=True)


def test_an_agreement_settles_it_at_the_step_reached(disagreement):
    services.close_step(disagreement=disagreement, outcome="Pas d’entente", resolved=False)
    services.close_step(disagreement=disagreement, outcome="Entente : lundi", resolved=True)
    disagreement.refresh_from_db()
    assert disagreement.status == Disagreement.Status.RESOLVED
    assert [s.kind for s in disagreement.steps.all()] == ["dialogue", "facilitation"]
    assert disagreement.current_step() is None


def test_a_step_needs_an_outcome_and_cannot_end_before_it_began(disagreement):
    with pytest.raises(GovernanceError) as error:
        services.close_step(disagreement=disagreement, outcome="  ", resolved=True)
    assert error.value.field == "outcome"
    with pytest.raises(GovernanceError) as error:
        services.close_step(
            disagreement=disagreement,
            outcome="x",
            resolved=True,
            on=date.today() - timedelta(days=3),
        )
    assert error.value.field == "on"

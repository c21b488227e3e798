"""Members propose ideas and join them; staff turn an idea with enough people into an action
team of the model in force."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.governance import services
from maillage.governance.errors import GovernanceError
from maillage.governance.models import Idea, Instance

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(network, member_coordinator):
    return services.propose_idea(
        network=network,
        by=member_coordinator,
        title="Camion réfrigéré partagé",
        description="Un camion pour les cinq antennes.",
    )


def test_the_author_is_in_the_idea_and_others_join_once(idea, second_member, member_coordinator):
    services.join_idea(idea=idea, person=second_member)
    services.join_idea(idea=idea, person=second_member)
    assert set(idea.members.all()) == {member_coordinator, second_member}


def test_an_idea_alone_cannot_become_a_team(idea, model_1):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    with pytest.raises(GovernanceError):
        services.form_action_team(idea=idea)


def test_a_team_needs_an_adopted_model(idea, second_member, model_1):
    services.join_idea(idea=idea, person=second_member)
    with pytest.raises(GovernanceError):
        services.form_action_team(idea=idea)


def test_the_team_is_an_instance_of_the_model_in_force_with_its_people(
    idea, second_member, model_1, member_coordinator
):
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    services.join_idea(idea=idea, person=second_member)
    coco = model_1.instances.get(name="Comité de coordination")
    team = services.form_action_team(idea=idea, reports_to=coco)
    assert team.version == model_1 and team.kind == Instance.Kind.ACTION_TEAM
    assert team.name == "Camion réfrigéré partagé"
    assert team.mandate == "Un camion pour les cinq antennes."
    seat = team.seats.get()
    assert seat.count == 2
    assert {h.name for h in seat.holders.all()} == {
        member_coordinator.full_name,
        second_member.full_name,
    }
    assert team.links_out.get().target == coco
    idea.refresh_from_db()
    assert idea.status == Idea.Status.FORMED and idea.team == team
    with pytest.raises(GovernanceError):
        services.form_action_team(idea=idea)
    with pytest.raises(GovernanceError):
        services.join_idea(idea=idea, person=second_member)


def test_the_author_cannot_leave_but_others_can(idea, second_member, member_coordinator):
    services.join_idea(idea=idea, person=second_member)
    services.leave_idea(idea=idea, person=second_member)
    assert list(idea.members.all()) == [member_coordinator]
    with pytest.raises(GovernanceError):
        services.leave_idea(idea=idea, person=member_coordinator)

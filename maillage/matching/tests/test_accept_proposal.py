from __future__ import annotations

import pytest

from maillage.matching.errors import MatchingError
from maillage.matching.models import Approval, Proposal
from maillage.matching.services import accept_proposal, accept_run, lock_pair, run_matching
from maillage.mentoring.models import Group, GroupMember


def test_accepting_creates_the_group_its_members_and_the_approval_record(cast, coordinator):
    program = cast["program"]
    run = run_matching(program=program, by=coordinator.user)
    proposal = run.proposals.get(mentor_key=f"T{cast['team'].pk}")
    group = accept_proposal(proposal=proposal, by=coordinator.user)
    assert group.program == program and group.status == Group.Status.ACTIVE
    assert group.track == cast["synergies"] and group.mentor_team == cast["team"]
    assert group.approved_by == coordinator.user and group.approved_at is not None
    assert group.created_from == proposal
    members = {(m.role_id, m.side) for m in group.members.all()}
    assert members == {
        (cast["team_roles"][0].pk, "mentor"),
        (cast["team_roles"][1].pk, "mentor"),
        (cast["chantal"].pk, "mentee"),
        (cast["denis"].pk, "mentee"),
    }
    approval = Approval.objects.get(proposal=proposal)
    assert approval.approved_by == coordinator.user
    assert approval.approved_at == group.approved_at
    assert approval.engine_version == run.engine_version
    assert approval.run == run
    assert approval.factors["explanation"] == proposal.explanation
    assert approval.factors["certificate"] == run.certificate
    assert {p["id"] for p in approval.inputs["mentees"]} == set(proposal.mentee_keys)
    assert approval.inputs["policy"] == run.instance["policy"]
    # Only this group's people are in the approval record.
    assert f"R{cast['elise'].pk}" not in {p["id"] for p in approval.inputs["mentees"]}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED


def test_an_accepted_groups_people_are_locked_in_later_runs(cast, coordinator):
    program = cast["program"]
    run = run_matching(program=program, by=coordinator.user)
    accept_proposal(
        proposal=run.proposals.get(mentor_key=f"T{cast['team'].pk}"), by=coordinator.user
    )
    later = run_matching(program=program, by=coordinator.user)
    team = f"T{cast['team'].pk}"
    assert {"mentor": team, "mentee": f"R{cast['chantal'].pk}"} in later.instance["locks"]
    assert set(later.proposals.get(mentor_key=team).mentee_keys) == {
        f"R{cast['chantal'].pk}",
        f"R{cast['denis'].pk}",
    }


def test_an_accepted_mentee_cannot_be_locked_elsewhere(cast, coordinator):
    program = cast["program"]
    run = run_matching(program=program, by=coordinator.user)
    accept_proposal(
        proposal=run.proposals.get(mentor_key=f"T{cast['team'].pk}"), by=coordinator.user
    )
    with pytest.raises(MatchingError) as caught:
        lock_pair(
            program=program,
            mentor_key=f"R{cast['marc'].pk}",
            mentee_key=f"R{cast['chantal'].pk}",
            by=coordinator.user,
        )
    assert "Chantal Centre" in caught.value.message


def test_a_proposal_of_an_older_run_cannot_be_accepted(cast, coordinator):
    program = cast["program"]
    old = run_matching(program=program, by=coordinator.user)
    run_matching(program=program, by=coordinator.user)
    with pytest.raises(MatchingError):
        accept_proposal(proposal=old.proposals.first(), by=coordinator.user)
    assert not Group.objects.exists()


def test_accepting_twice_is_refused(cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    proposal = run.proposals.first()
    accept_proposal(proposal=proposal, by=coordinator.user)
    proposal.refresh_from_db()
    with pytest.raises(MatchingError):
        accept_proposal(proposal=proposal, by=coordinator.user)
    assert Group.objects.count() == 1


def test_accept_all_forms_every_group(cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    groups = accept_run(run=run, by=coordinator.user)
    assert len(groups) == 2
    assert GroupMember.objects.filter(side="mentee").count() == 4
    assert Approval.objects.count() == 2

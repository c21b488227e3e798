from __future__ import annotations

import pytest

from maillage.core.models import Territory
from maillage.matching.errors import MatchingError
from maillage.matching.models import MatchRun
from maillage.matching.services import forbid_pair, lock_pair, run_matching


def _groups(run: MatchRun) -> dict[str, set[str]]:
    return {p.mentor_key: set(p.mentee_keys) for p in run.proposals.all()}


def keys(cast, *names):
    return {f"R{cast[n].pk}" for n in names}


def test_run_stores_inputs_result_certificate_and_proposals(cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    assert run.status == MatchRun.Status.DONE
    assert run.created_by == coordinator.user
    assert run.engine_version and run.fit_encoder.startswith("lexical")
    assert {p["id"] for p in run.instance["mentees"]} == keys(
        cast, "elise", "bruno", "chantal", "denis"
    )
    assert run.result["groups"] and run.result["certificate"] == run.certificate
    assert run.certificate["status"] == "optimal"
    assert _groups(run) == {
        f"R{cast['marc'].pk}": keys(cast, "elise", "bruno"),
        f"T{cast['team'].pk}": keys(cast, "chantal", "denis"),
    }
    proposal = run.proposals.get(mentor_key=f"T{cast['team'].pk}")
    assert proposal.track == cast["synergies"]
    assert proposal.mentor_label == "Équipe Alliance"
    assert {p["mentee"] for p in proposal.explanation["pairs"]} == keys(cast, "chantal", "denis")
    assert set(proposal.explanation["pairs"][0]["criteria"]) >= {"fit", "themes", "style"}


def test_same_input_and_seed_give_the_same_groups(cast, coordinator):
    first = run_matching(program=cast["program"], by=coordinator.user, seed=3)
    second = run_matching(program=cast["program"], by=coordinator.user, seed=3)
    assert _groups(first) == _groups(second)
    assert first.instance == second.instance


def test_a_locked_pair_is_kept_on_every_rerun(cast, coordinator):
    program = cast["program"]
    lock_pair(
        program=program,
        mentor_key=f"T{cast['team'].pk}",
        mentee_key=f"R{cast['elise'].pk}",
        by=coordinator.user,
    )
    for _ in range(2):
        run = run_matching(program=program, by=coordinator.user)
        assert f"R{cast['elise'].pk}" in _groups(run)[f"T{cast['team'].pk}"]
        team = run.proposals.get(mentor_key=f"T{cast['team'].pk}")
        assert f"R{cast['elise'].pk}" in team.explanation["locked"]


def test_a_forbidden_pair_is_never_proposed(cast, coordinator):
    program = cast["program"]
    forbid_pair(
        program=program,
        mentor_key=f"R{cast['marc'].pk}",
        mentee_key=f"R{cast['elise'].pk}",
        by=coordinator.user,
    )
    run = run_matching(program=program, by=coordinator.user)
    assert f"R{cast['elise'].pk}" not in _groups(run).get(f"R{cast['marc'].pk}", set())


def test_forbidding_a_locked_pair_lifts_the_lock(cast, coordinator):
    program, pair = (
        cast["program"],
        {"mentor_key": f"R{cast['marc'].pk}", "mentee_key": f"R{cast['elise'].pk}"},
    )
    lock_pair(program=program, by=coordinator.user, **pair)
    constraint = forbid_pair(program=program, by=coordinator.user, **pair)
    assert constraint.kind == "forbid"
    assert program.pair_constraints.count() == 1


def test_an_infeasible_lock_is_a_french_message_naming_both_people_and_the_rule(cast, coordinator):
    program = cast["program"]
    bruno = cast["bruno"].person.organization
    bruno.territory = Territory.objects.get(code="QC-16")  # Marc's region
    bruno.save()
    lock_pair(
        program=program,
        mentor_key=f"R{cast['marc'].pk}",
        mentee_key=f"R{cast['bruno'].pk}",
        by=coordinator.user,
    )
    with pytest.raises(MatchingError) as caught:
        run_matching(program=program, by=coordinator.user)
    messages = [p["message"] for p in caught.value.problems]
    assert len(messages) == 1
    assert "Bruno Beauce" in messages[0] and "Marc Mentor" in messages[0]
    assert "régions différentes" in messages[0]
    run = program.match_runs.first()
    assert run.status == MatchRun.Status.FAILED and run.problems == caught.value.problems
    assert not run.proposals.exists()


def test_a_program_without_mentors_is_a_clear_message(program_a, mentee, coordinator):
    with pytest.raises(MatchingError) as caught:
        run_matching(program=program_a, by=coordinator.user)
    assert "côté mentor" in caught.value.message


def test_unmatched_people_come_with_reasons(cast, coordinator):
    program = cast["program"]
    program.mentees_per_group = 1
    program.save()
    run = run_matching(program=program, by=coordinator.user)
    unmatched = [u for u in run.result["unmatched"] if u["side"] == "mentee"]
    assert len(unmatched) == 2
    assert all(u["reasons"][0]["message"] for u in unmatched)


def test_a_big_program_is_solved_by_the_background_task(
    cast, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_SYNC_MAX = 3
    with django_capture_on_commit_callbacks(execute=True):
        run = run_matching(program=cast["program"], by=coordinator.user)
        assert run.status == MatchRun.Status.QUEUED
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert run.proposals.count() == 2

from __future__ import annotations

from maillage.matching.models import PairConstraint
from maillage.matching.services import move_mentee, run_matching


def test_moving_a_mentee_locks_the_new_pair_forbids_the_old_and_reruns(cast, coordinator):
    program = cast["program"]
    elise, marc, team = f"R{cast['elise'].pk}", f"R{cast['marc'].pk}", f"T{cast['team'].pk}"
    first = run_matching(program=program, by=coordinator.user)
    assert elise in first.proposals.get(mentor_key=marc).mentee_keys
    second = move_mentee(program=program, mentee_key=elise, to_mentor_key=team, by=coordinator.user)
    assert second.pk != first.pk and second.is_done
    assert elise in second.proposals.get(mentor_key=team).mentee_keys
    kinds = {(c.kind, c.source) for c in PairConstraint.objects.filter(program=program)}
    assert kinds == {("lock", "move"), ("forbid", "move")}
    assert {"mentor": team, "mentee": elise} in second.instance["locks"]
    assert {"mentor": marc, "mentee": elise} in second.instance["forbidden"]


def test_moving_replaces_an_earlier_lock_of_the_same_mentee(cast, coordinator):
    program = cast["program"]
    elise, marc, team = f"R{cast['elise'].pk}", f"R{cast['marc'].pk}", f"T{cast['team'].pk}"
    run_matching(program=program, by=coordinator.user)
    move_mentee(program=program, mentee_key=elise, to_mentor_key=team, by=coordinator.user)
    third = move_mentee(program=program, mentee_key=elise, to_mentor_key=marc, by=coordinator.user)
    assert elise in third.proposals.get(mentor_key=marc).mentee_keys
    locks = PairConstraint.objects.filter(program=program, kind="lock")
    assert [(c.mentor_id, c.mentee_id) for c in locks] == [(cast["marc"].pk, cast["elise"].pk)]

from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jumelage import load_instance, solve, solve_exact
from jumelage.check import check
from jumelage.tests.factories import brute_force, random_instance_data, with_valid_locks


def _matched(result) -> int:
    return sum(len(g.mentees) for g in result.groups)


@pytest.mark.parametrize("seed", range(40))
def test_linear_objective_matches_brute_force(seed):
    rng = random.Random(seed)
    data = random_instance_data(
        rng, n_mentors=rng.randint(1, 3), n_mentees=rng.randint(1, 5), bonus=0.0
    )
    inst = load_instance(data)
    result = solve(inst)
    count, best = brute_force(inst)
    assert _matched(result) == count
    assert result.certificate.objective == pytest.approx(best, abs=1e-5)
    assert result.certificate.status == "optimal"
    assert result.certificate.solver == "ortools-min-cost-flow"


@pytest.mark.parametrize("seed", range(40))
def test_objective_with_shared_theme_bonus_matches_brute_force(seed):
    rng = random.Random(1000 + seed)
    data = random_instance_data(
        rng,
        n_mentors=rng.randint(1, 3),
        n_mentees=rng.randint(2, 6),
        group_size=rng.choice([2, 3]),
        bonus=0.8,
    )
    inst = load_instance(data)
    result = solve(inst)
    count, best = brute_force(inst)
    assert _matched(result) == count
    assert result.certificate.objective == pytest.approx(best, abs=1e-5)
    assert result.certificate.status == "optimal"
    assert result.certificate.gap == 0.0


@pytest.mark.parametrize("seed", range(25))
def test_it_keeps_locked_pairs_and_stays_optimal(seed):
    rng = random.Random(2000 + seed)
    data = random_instance_data(
        rng, n_mentors=3, n_mentees=5, group_size=rng.choice([2, 3]), bonus=0.8
    )
    inst = load_instance(with_valid_locks(data, rng))
    result = solve(inst)
    placed = {e: g.mentor for g in result.groups for e in g.mentees}
    for lock in inst.locks:
        assert placed[lock.mentee] == lock.mentor
    assert check(inst, result) == []
    count, best = brute_force(inst)
    assert _matched(result) == count
    assert result.certificate.objective == pytest.approx(best, abs=1e-5)


@pytest.mark.parametrize("seed", range(20))
def test_it_respects_a_class_limit_above_one(seed):
    rng = random.Random(3000 + seed)
    data = random_instance_data(
        rng, n_mentors=2, n_mentees=6, group_size=3, class_limit={"attribute": "genre", "max": 2}
    )
    inst = load_instance(data)
    result = solve(inst)
    assert check(inst, result) == []
    count, best = brute_force(inst)
    assert _matched(result) == count
    assert result.certificate.objective == pytest.approx(best, abs=1e-5)


@settings(
    max_examples=int(os.environ.get("JUMELAGE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 10**6), bonus=st.sampled_from([0.0, 0.5]), size=st.integers(1, 4))
def test_no_hard_rule_is_ever_broken(seed, bonus, size):
    rng = random.Random(seed)
    data = random_instance_data(
        rng, n_mentors=rng.randint(1, 6), n_mentees=rng.randint(0, 12), group_size=size, bonus=bonus
    )
    if rng.random() < 0.5:
        data = with_valid_locks(data, rng)
    inst = load_instance(data)
    result = solve(inst)
    assert check(inst, result) == []
    forbidden = {(p.mentor, p.mentee) for p in inst.forbidden}
    assert not any((g.mentor, e) in forbidden for g in result.groups for e in g.mentees)


def test_same_input_and_seed_give_identical_json():
    data = random_instance_data(
        random.Random(7), n_mentors=8, n_mentees=14, group_size=2, bonus=0.6
    )

    def run() -> str:
        out = solve(load_instance(json.loads(json.dumps(data))), seed=3).to_dict()
        out["certificate"].pop("seconds")  # wall time is the one thing that varies
        return json.dumps(out, sort_keys=True)

    assert run() == run()


def test_above_the_size_limit_it_returns_the_flow_optimum_with_a_valid_bound(monkeypatch):
    rng = random.Random(11)
    inst = load_instance(
        random_instance_data(rng, n_mentors=3, n_mentees=6, group_size=3, bonus=0.8)
    )
    monkeypatch.setattr(solve_exact, "CP_SAT_MAX_PEOPLE", 0)
    result = solve(inst)
    cert = result.certificate
    _, best = brute_force(inst)
    assert cert.solver == "ortools-min-cost-flow"
    assert cert.objective <= best + 1e-6 <= cert.bound + 2e-6
    assert check(inst, result) == []


def test_an_empty_program_gives_an_empty_optimal_result():
    result = solve(load_instance({"mentors": [], "mentees": []}))
    assert result.groups == [] and result.unmatched == []
    assert result.certificate.status == "optimal"


def test_a_mentor_with_capacity_zero_is_reported_not_refused():
    data = {
        "mentors": [{"id": "M1", "capacity": 0}, {"id": "M2"}],
        "mentees": [{"id": "E1"}],
    }
    result = solve(load_instance(data))
    assert [(g.mentor, g.mentees) for g in result.groups] == [("M2", ["E1"])]
    m1 = next(u for u in result.unmatched if u.id == "M1")
    assert m1.side == "mentor" and m1.reasons[0]["code"] == "mentor_capacity_zero"


@pytest.mark.parametrize("seed", range(20))
def test_solving_components_apart_gives_the_same_optimum(seed, monkeypatch):
    rng = random.Random(5000 + seed)
    data = random_instance_data(
        rng, n_mentors=rng.randint(2, 5), n_mentees=rng.randint(2, 6), bonus=0.0
    )
    data["policy"]["sector_rule"] = "same_sector"  # sectors split the graph into components
    inst = load_instance(with_valid_locks(data, rng, count=1))
    monkeypatch.setattr(solve_exact, "FLOW_BATCH_EDGES", 1)
    result = solve(inst)
    count, best = brute_force(inst)
    assert _matched(result) == count
    assert result.certificate.objective == pytest.approx(best, abs=1e-5)
    assert check(inst, result) == []


def test_tiny_programs_are_enumerated_with_the_same_optimum_as_cp_sat(monkeypatch):
    """Below ENUMERATION_MAX assignments every one is tried (no CP-SAT to load for the pilot);
    CP-SAT, forced on the same instances, proves the same optimum."""
    import json
    import random
    from pathlib import Path

    from jumelage import load_instance, solve, solve_exact
    from jumelage.check import check

    pilot = json.loads(
        (Path(__file__).resolve().parents[1] / "examples" / "pilot.json").read_text("utf-8")
    )
    pilot["fit"] = {"backend": "lexical"}
    cases = [pilot]
    for seed in range(6):
        rng = random.Random(seed)
        themes = ["a", "b", "c", "d"]
        cases.append(
            {
                "policy": {
                    "group_size": 3,
                    "region_rule": "any",
                    "sector_rule": "any",
                    "mentee_region_rule": "different_region" if seed % 2 else "any",
                    "require_common_language": False,
                    "require_availability_overlap": False,
                },
                "weights": {"fit": 1.0, "themes": 0.5, "shared_themes": 0.5},
                "mentors": [
                    {
                        "id": f"M{j}",
                        "region": rng.choice("xy"),
                        "capacity": rng.randint(1, 3),
                        "themes": rng.sample(themes, 2),
                        "vector": [rng.random(), rng.random()],
                    }
                    for j in range(2)
                ],
                "mentees": [
                    {
                        "id": f"E{i}",
                        "region": rng.choice("xyz"),
                        "themes": rng.sample(themes, rng.randint(1, 3)),
                        "vector": [rng.random(), rng.random()],
                    }
                    for i in range(5)
                ],
            }
        )
    for data in cases:
        inst = load_instance(data)
        enumerated = solve(inst, mode="exact", time_limit=20)
        assert enumerated.certificate.solver == "enumeration"
        assert enumerated.certificate.status == "optimal"
        assert check(inst, enumerated) == []
        monkeypatch.setattr(solve_exact, "ENUMERATION_MAX", 0)
        proved = solve(inst, mode="exact", time_limit=20)
        monkeypatch.setattr(solve_exact, "ENUMERATION_MAX", 2_000)
        assert proved.certificate.solver == "cp-sat"
        assert proved.certificate.status == "optimal"
        assert enumerated.certificate.matched == proved.certificate.matched
        assert enumerated.certificate.objective == pytest.approx(proved.certificate.objective)

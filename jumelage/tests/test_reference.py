"""Exact and large modes against an independent reference (two LPs by HiGHS): the same number
of mentees matched, the same best score among such matchings (large: within its certified gap)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from jumelage import solve
from jumelage.check import check
from jumelage.model import load_instance
from jumelage.tests.reference import lexicographic_optimum


def scored_instance(seed: int, n_mentees: int, n_mentors: int, *, listed: bool = False) -> dict:
    """Explicit pair scores on part of the pairs, the other pairs not allowed; regions with the
    one-mentee-per-region rule; capacities 0-3. Scores are skewed so that the best-score
    matching often places fewer mentees than possible.

    ``listed`` False: the scores as ``pair_fit`` and one ``forbidden`` entry per other pair (all
    an instance could say before ``pair_scores``). True: ``pair_scores`` with
    ``only_scored_pairs``, mixed with the themes criterion, and a few forbidden pairs."""
    rng = random.Random(seed)
    regions = ["01", "02", "03", "04"]
    mentors = [
        {"id": f"M{j}", "region": rng.choice(regions), "capacity": rng.randint(0, 3)}
        for j in range(n_mentors)
    ]
    mentees = [{"id": f"E{i}", "region": rng.choice(regions)} for i in range(n_mentees)]
    scored, forbidden = [], []
    for m in mentors:
        for e in mentees:
            if rng.random() < 0.25:
                score = rng.choice([0.0, rng.random() ** 3, 1.0])
                scored.append({"mentor": m["id"], "mentee": e["id"], "score": round(score, 4)})
            else:
                forbidden.append({"mentor": m["id"], "mentee": e["id"]})
    policy = {
        "group_size": 3,
        "region_rule": "any",
        "sector_rule": "any",
        "mentee_region_rule": "different_region",
    }
    weights = {"fit": 1.0, "themes": 0, "style": 0, "ranking": 0, "preference": 0}
    data = {"policy": policy, "mentors": mentors, "mentees": mentees}
    if not listed:
        return data | {
            "weights": weights | {"shared_themes": 0},
            "pair_fit": scored,
            "forbidden": forbidden,
        }
    for person in mentors + mentees:
        person["themes"] = rng.sample(["a", "b", "c", "d"], rng.randint(0, 2))
    policy["only_scored_pairs"] = True
    return data | {
        "weights": weights | {"fit": 0, "themes": 0.5, "pair_score": 2.0, "shared_themes": 0},
        "pair_scores": scored,
        "forbidden": forbidden[:5]
        + [{"mentor": x["mentor"], "mentee": x["mentee"]} for x in scored[:3]],
    }


CASES = [(seed, 40, 15) for seed in range(6)] + [(seed, 120, 40) for seed in range(6, 9)]


@pytest.mark.parametrize("listed", [False, True], ids=["forbidden", "pair_scores"])
@pytest.mark.parametrize(("seed", "n_mentees", "n_mentors"), CASES)
@pytest.mark.parametrize("mode", ["exact", "large"])
def test_same_matched_count_and_score_as_reference(mode, seed, n_mentees, n_mentors, listed):
    inst = load_instance(scored_instance(seed, n_mentees, n_mentors, listed=listed))
    count, best = lexicographic_optimum(inst)
    res = solve(inst, mode=mode, time_limit=20, seed=0)
    matched = sum(len(g.mentees) for g in res.groups)
    assert matched == count
    assert res.certificate.matched == count
    cert = res.certificate
    assert cert.objective <= best + 1e-4
    assert cert.bound >= best - 1e-4  # the bound holds for the lexicographic objective
    if cert.status == "optimal":
        assert cert.objective == pytest.approx(best, abs=1e-4)
    assert check(inst, res) == []


@pytest.mark.parametrize("seed", range(1, 6))
def test_check_fails_a_result_that_leaves_a_match_on_the_table(seed):
    """The best-score matching (what large mode returned before) places fewer mentees than
    possible on these instances: `check` recomputes the most matches and says so."""
    from jumelage import solve_large as L
    from jumelage.check import max_matched
    from jumelage.explain import build_result

    inst = load_instance(scored_instance(seed, 40, 15))
    count, _ = lexicographic_optimum(inst)
    assert max_matched(inst) == count
    P = L.build_problem(inst)
    ei, mj = L.all_feasible_edges(P)
    s = L.score_pairs(P, ei, mj)
    used = L.solve_flow(P, ei, mj, s, lexicographic=False)
    assign = np.full(P.n_e, -1)
    assign[ei[used]] = mj[used]
    assert (assign >= 0).sum() < count
    res = build_result(
        inst,
        assign,
        mode="large",
        status="optimal",
        bound=float(s[used].sum()),
        solver="score only",
        seconds=0.0,
        seed=0,
        note=None,
    )
    codes = [p.code for p in check(inst, res)]
    assert codes == ["matches_left"]


def test_pair_scores_are_a_criterion_and_only_listed_pairs_are_allowed():
    data = scored_instance(3, 40, 15, listed=True)
    inst = load_instance(data)
    given = {(x["mentor"], x["mentee"]): x["score"] for x in data["pair_scores"]}
    for mode in ("exact", "large", "stable"):
        res = solve(inst, mode=mode, time_limit=20, seed=0)
        assert check(inst, res) == []
        for g in res.groups:
            for pair in g.explanation["pairs"]:
                key = (g.mentor, pair["mentee"])
                assert key in given
                assert pair["raw"]["pair_score"] == pytest.approx(given[key], abs=1e-6)
                assert pair["criteria"]["pair_score"] == pytest.approx(2.0 * given[key], abs=1e-6)
                assert pair["total"] == pytest.approx(
                    pair["criteria"]["pair_score"] + pair["criteria"]["themes"], abs=1e-5
                )
    # a mentee with no listed pair is unmatched, and the reason names the rule
    data["pair_scores"] = [x for x in data["pair_scores"] if x["mentee"] != "E0"]
    res = solve(load_instance(data), mode="exact", time_limit=20, seed=0)
    e0 = next(u for u in res.unmatched if u.id == "E0")
    assert e0.reasons[0]["params"]["excluded_by"]["not_scored"] > 0
    assert "pair_scores" in e0.reasons[0]["message"]


def test_pair_scores_outside_0_1_or_unknown_ids_are_refused():
    from jumelage.model import InstanceError

    data = scored_instance(3, 10, 5, listed=True)
    data["pair_scores"][0]["score"] = 1.5
    data["pair_scores"][1]["mentor"] = "nobody"
    with pytest.raises(InstanceError) as err:
        load_instance(data)
    assert [p.code for p in err.value.problems] == ["invalid_value"]
    data["pair_scores"][0]["score"] = 0.5
    with pytest.raises(InstanceError) as err:
        load_instance(data)
    assert [p.code for p in err.value.problems] == ["unknown_id"]

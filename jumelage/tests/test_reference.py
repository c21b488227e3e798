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


def scored_instance(seed: int, n_mentees: int, n_mentors: int) -> dict:
    """Explicit pair scores on part of the pairs, the other pairs forbidden; regions with the
    one-mentee-per-region rule; capacities 0-3. Scores are skewed so that the best-score
    matching often places fewer mentees than possible."""
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
    return {
        "policy": {
            "group_size": 3,
            "region_rule": "any",
            "sector_rule": "any",
            "mentee_region_rule": "different_region",
        },
        "weights": {
            "fit": 1.0,
            "themes": 0,
            "style": 0,
            "ranking": 0,
            "preference": 0,
            "shared_themes": 0,
        },
        "mentors": mentors,
        "mentees": mentees,
        "pair_fit": scored,
        "forbidden": forbidden,
    }


CASES = [(seed, 40, 15) for seed in range(6)] + [(seed, 120, 40) for seed in range(6, 9)]


@pytest.mark.parametrize(("seed", "n_mentees", "n_mentors"), CASES)
@pytest.mark.parametrize("mode", ["exact", "large"])
def test_same_matched_count_and_score_as_reference(mode, seed, n_mentees, n_mentors):
    inst = load_instance(scored_instance(seed, n_mentees, n_mentors))
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

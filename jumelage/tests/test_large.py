"""Large mode: blocked candidates, min-cost flow, certified bound, local search."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from jumelage import solve_large as L
from jumelage.check import check
from jumelage.model import load_instance
from jumelage.rules import feasible_mask
from jumelage.scoring import objective, pair_scores

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


def _instance(ne, nm, *, seed=0, rule="different_region", w=0.0, **kw):
    data = generate(ne, nm, seed=seed, mentee_region_rule=rule, shared_themes_weight=w, **kw)
    return data, load_instance(data)


def _lsa_optimum(inst) -> float:
    """Max total pair score by scipy on the expanded matrix (mentor seats as columns): an
    optimum computed independently of the flow code (no class limit)."""
    nm, ne = len(inst.mentors), len(inst.mentees)
    seats = np.array([inst.capacity(m) for m in inst.mentors])
    owner = np.repeat(np.arange(nm), seats)
    ok = feasible_mask(inst, owner[None, :], np.arange(ne)[:, None])
    S = np.where(ok, pair_scores(inst, owner[None, :], np.arange(ne)[:, None]), 0.0)
    r, c = linear_sum_assignment(S, maximize=True)
    return float(S[r, c].sum())


def _groups(res, inst):
    return [
        (inst.mentor_index[g.mentor], [inst.mentee_index[e] for e in g.mentees]) for g in res.groups
    ]


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("size", [(60, 30), (300, 150)])
def test_objective_within_certified_gap_of_independent_optimum(seed, size):
    _, inst = _instance(*size, seed=seed, rule="any")
    res = L.solve(inst, time_limit=30, seed=0)
    opt = _lsa_optimum(inst)
    cert = res.certificate
    assert cert.bound >= opt - 1e-6  # the bound bounds the true optimum
    assert cert.objective <= opt + 1e-6
    assert (opt - cert.objective) <= cert.gap * cert.bound + 1e-6
    assert cert.gap <= 0.01
    assert check(inst, res) == []


@pytest.mark.parametrize("seed", [3, 4])
def test_bound_holds_with_class_limit_and_rules_are_kept(seed):
    _, inst = _instance(300, 150, seed=seed)
    res = L.solve(inst, time_limit=30, seed=0)
    P = L.build_problem(inst)
    ei, mj = L.all_feasible_edges(P)
    s = L.score_pairs(P, ei, mj)
    opt = float(s[L.solve_flow(P, ei, mj, s)].sum())  # exact optimum, full graph
    assert res.certificate.bound >= opt - 1e-6
    assert res.certificate.objective >= opt * (1 - res.certificate.gap) - 1e-6
    assert check(inst, res) == []


@pytest.mark.parametrize("seed", [5, 12, 13])
def test_bound_holds_with_shared_theme_bonus_against_exact_mode(seed):
    from jumelage.solve_exact import solve as solve_exact

    _, inst = _instance(30, 15, seed=seed, w=0.3)
    exact = solve_exact(inst, time_limit=20, seed=0)
    large = L.solve(inst, time_limit=20, seed=0)
    assert large.certificate.bound >= exact.certificate.objective - 1e-6
    assert check(inst, large) == []


def test_local_search_adds_shared_theme_bonus_without_breaking_rules():
    _, inst = _instance(400, 200, seed=6, w=0.3)
    P = L.build_problem(inst)
    out = L.solve_problem(P, time_limit=30, seed=0)
    ci, cj = L.candidate_edges(P)
    s = L.score_pairs(P, ci, cj)
    used = L.solve_flow(P, ci, cj, s)
    flow_only = np.full(P.n_e, -1)
    flow_only[ci[used]] = cj[used]
    before = sum(L.objective(P, flow_only))
    assert out.linear + out.bonus >= before - 1e-9
    assert out.bonus > 0
    assert out.upper_bound >= out.linear + out.bonus


def test_same_seed_same_result():
    _, inst = _instance(300, 150, seed=7, w=0.3)
    a = L.solve(inst, time_limit=30, seed=11).to_dict()
    _, inst2 = _instance(300, 150, seed=7, w=0.3)
    b = L.solve(inst2, time_limit=30, seed=11).to_dict()
    for d in (a, b):
        d["certificate"].pop("seconds")
    assert a == b


def test_block_scores_equal_the_core_scores():
    data, _ = _instance(200, 100, seed=8, w=0.3, rankings=5)
    data["weights"].update({"ranking": 0.3, "preference": 0.2})
    data["mentees"][0]["preferences"] = {"sector": data["mentors"][0]["sector"]}
    data["pair_fit"] = [{"mentor": "M000001", "mentee": "E000002", "score": 0.9}]
    inst = load_instance(data)
    P = L.build_problem(inst)
    E, J = np.arange(200), np.arange(100)
    got = L.score_block(P, E, J)
    want = pair_scores(inst, J[None, :], E[:, None])
    assert np.abs(got - want).max() < 1e-5


def test_blocks_cover_exactly_the_feasible_pairs_even_with_missing_values():
    data, _ = _instance(150, 80, seed=9)
    for n, p in enumerate(data["mentees"][:20]):
        p.pop(["region", "languages", "sector", "availability"][n % 4])
    for n, p in enumerate(data["mentors"][:10]):
        p.pop(["region", "languages", "sector", "availability"][n % 4])
    data["exclusions"] = [{"mentor": "M000003", "mentee": "E000004"}]
    data["forbidden"] = [{"mentor": "M000005", "mentee": "E000006"}]
    inst = load_instance(data)
    P = L.build_problem(inst)
    ei, mj = L.all_feasible_edges(P)
    got = np.zeros((150, 80), bool)
    got[ei, mj] = True
    want = feasible_mask(inst, np.arange(80)[None, :], np.arange(150)[:, None])
    assert (got == want).all()


def test_union_with_mentor_top_k_recovers_matches_mentee_top_k_loses():
    """Everyone's best mentor is one of two stars; the other mentors are everyone's last
    choice. Top-1 per mentee sends everybody to the stars (2 seats); each mentor's own top-2
    gives the others candidates too."""

    def vec(*pairs):
        v = [0.0] * 16
        for d, x in pairs:
            v[d] = x
        return v

    common = {"sector": "s", "languages": ["fr"], "availability": ["lun-jour"]}
    # mentee i: mostly the stars' direction, a little of its own dimension 2 + i
    mentees = [
        {"id": f"E{i}", "region": "x", "vector": vec((0, 1.0), (2 + i, 0.3))} | common
        for i in range(6)
    ]
    # stars M0, M1; M2..M4 each lean towards two mentees' own dimensions (a weak fit)
    mentors = [
        {"id": f"M{j}", "region": f"r{j}", "vector": vec((0, 1.0)), "capacity": 1} | common
        for j in range(2)
    ] + [
        {
            "id": f"M{j}",
            "region": f"r{j}",
            "vector": vec((1, 1.0), (2 + 2 * (j - 2), 0.5), (3 + 2 * (j - 2), 0.5)),
            "capacity": 2,
        }
        | common
        for j in range(2, 5)
    ]
    data = {
        "policy": {"group_size": 2, "mentee_region_rule": "any"},
        "weights": {"fit": 1, "themes": 0, "style": 0, "ranking": 0, "preference": 0},
        "mentors": mentors,
        "mentees": mentees,
    }
    P = L.build_problem(load_instance(data))
    only = L.solve_problem(P, k=1, K=2, mentor_side=False, pricing_rounds=0)
    union = L.solve_problem(P, k=1, K=2, mentor_side=True, pricing_rounds=0)
    # the mentee-only candidates place 2 at the stars; the cut over the full graph finds the
    # feasible edges that place the other 4, and they join the candidates
    assert only.stats["crossing"][0] > 0
    assert (only.assign >= 0).sum() == 6 and only.matched_certified
    assert (union.assign >= 0).sum() == 6  # 2 at the stars, 4 with the others
    assert union.stats["crossing"][0] == 0  # the union already had them


def test_locks_are_kept_and_forbidden_pairs_never_used():
    data, inst = _instance(120, 60, seed=10)
    res = L.solve(inst, time_limit=20, seed=0)
    g = res.groups[0]
    other = next(x for x in res.groups if x.mentor != g.mentor and x.mentees)
    data["forbidden"] = [{"mentor": g.mentor, "mentee": g.mentees[0]}]
    data["locks"] = [{"mentor": other.mentor, "mentee": other.mentees[0]}]
    inst2 = load_instance(data)
    res2 = L.solve(inst2, time_limit=20, seed=0)
    pairs = {(x.mentor, e) for x in res2.groups for e in x.mentees}
    assert (g.mentor, g.mentees[0]) not in pairs
    assert (other.mentor, other.mentees[0]) in pairs
    assert check(inst2, res2) == []
    assert abs(objective(inst2, _groups(res2, inst2)) - res2.certificate.objective) < 1e-3


def test_dense_inverse_is_np_unique_with_inverse():
    """The flow's node maps by counting give np.unique's values and inverse exactly."""
    from jumelage.solve_large import _dense_inverse

    rng = np.random.default_rng(3)
    for n, k in ((1, 0), (1, 4), (50, 10), (50, 400), (3000, 20000)):
        a = rng.integers(0, n, size=k)
        used, inv = _dense_inverse(a, n)
        ref_u, ref_inv = np.unique(a, return_inverse=True)
        assert (used == ref_u).all() and (inv == ref_inv).all()
        assert (used[inv] == a).all()

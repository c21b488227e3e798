"""Large mode's cardinality cut: the reach over the full graph (``full_reach``, feasibility only,
grown layer by layer) against the former reach of a residual graph holding EVERY feasible pair
(``residual_reach`` on ``all_feasible_edges``), and the matched count it proves against the
maximum flow on the full graph."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from jumelage import solve_large as L
from jumelage.model import load_instance

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


def _problem(ne, nm, seed, rule, capacity=2):
    data = generate(
        ne, nm, seed=seed, mentee_region_rule=rule, shared_themes_weight=0.0, capacity=capacity
    )
    return L.build_problem(load_instance(data))


def _candidate_flow(P, k):
    """A maximum flow on poor candidates (each mentee's top-k only): augmenting paths remain."""
    ci, cj = L.candidate_edges(P, k=k, K=1, mentor_side=False)
    s = L.score_pairs(P, ci, cj)
    return ci, cj, L.solve_flow(P, ci, cj, s)


def _reference(P, ci, cj, used):
    """The former reach on a residual graph that holds every feasible pair."""
    ae, am = L.all_feasible_edges(P)
    keys = ae * P.n_m + am
    used_keys = ci[used] * P.n_m + cj[used]
    a_used = np.isin(keys, used_keys)
    assert a_used.sum() == used.sum()  # the flow's edges are feasible pairs
    locked = np.zeros(P.n_e, bool)
    return L.residual_reach(P, ae, am, a_used, P.capacity, {}, locked)


CASES = [
    (seed, size, rule, k, cap)
    for seed in range(4)
    for size, rule, k, cap in [
        ((120, 50), "different_region", 1, 2),  # the class limit: one mentee per region
        ((200, 60), "any", 1, 3),
        ((200, 110), "different_region", 8, 1),
        ((300, 100), "any", 8, 2),  # mentors short of seats: a cut through saturated sectors
    ]
]


@pytest.mark.parametrize(("seed", "size", "rule", "k", "cap"), CASES)
def test_full_reach_is_the_reach_of_the_residual_graph_over_every_pair(seed, size, rule, k, cap):
    P = _problem(*size, seed, rule, capacity=cap)
    ci, cj, used = _candidate_flow(P, k)
    locked = np.zeros(P.n_e, bool)
    reach = L.full_reach(P, ci, cj, used, P.capacity, {}, locked)
    ref_e, ref_jc, ref_augment = _reference(P, ci, cj, used)
    assert reach.augment == ref_augment
    if not ref_augment:  # the whole closure (an augmenting path stops the layers early)
        assert np.array_equal(reach.mentees, ref_e)
        assert np.array_equal(reach.entries[:, 0], ref_jc[:, 0])
        assert reach.rows == int(reach.mentees.sum())  # each row read once


@pytest.mark.parametrize(("seed", "size", "rule", "k", "cap"), CASES)
def test_proved_matched_count_is_the_full_graphs_maximum(seed, size, rule, k, cap):
    P = _problem(*size, seed, rule, capacity=cap)
    ae, am = L.all_feasible_edges(P)
    s = L.score_pairs(P, ae, am)
    full = L.solve_flow(P, ae, am, s)  # the most mentees on the full graph, then the score
    best = int(full.sum())
    # poor candidates and a small pool: the cut adds edges, the pool tails and exact rows count
    out = L.solve_problem(P, k=k, K=1, mentor_side=False, store=2, time_limit=60)
    assert out.matched_certified
    assert int((out.assign >= 0).sum()) == best
    # the bound (pool tails lowered by each block's cheapest mentor) holds over the full graph
    assert out.linear_bound >= float(s[full].sum()) - 1e-6
    assert out.linear <= float(s[full].sum()) + 1e-6
    ci, cj, used = _candidate_flow(P, k)
    certified, _, _ = L.cardinality_cut(P, ci, cj, used, P.capacity, {}, np.zeros(P.n_e, bool))
    assert certified == (int(used.sum()) == best)


@pytest.mark.parametrize(("seed", "size", "rule", "k", "cap"), CASES)
def test_price_worklist_gives_the_full_sweeps_prices(seed, size, rule, k, cap):
    """The least dual by the worklist is the full sweeps' one, bit for bit, on the shifted
    scores the solver prices (the class limit's [mentor, class] prices included)."""
    P = _problem(*size, seed, rule, capacity=cap)
    ci, cj = L.candidate_edges(P, k=k, K=2, mentor_side=True)
    s = L.score_pairs(P, ci, cj)
    used = L.solve_flow(P, ci, cj, s)
    room = {}
    lam = float(s.max()) + 1e-3
    for shift in (lam, 2 * lam, 0.0):
        fast = L.mentor_prices(P, ci, cj, s + shift, used, P.capacity, class_room=room)
        ref = L.mentor_prices(P, ci, cj, s + shift, used, P.capacity, class_room=room, dense=True)
        assert np.array_equal(fast[0], ref[0]) and np.array_equal(fast[1], ref[1])
    # a cap on the sweeps stops both at the same iterate
    for it in (1, 2, 3):
        fast = L.mentor_prices(P, ci, cj, s + lam, used, P.capacity, max_iter=it)
        ref = L.mentor_prices(P, ci, cj, s + lam, used, P.capacity, max_iter=it, dense=True)
        assert np.array_equal(fast[0], ref[0]) and np.array_equal(fast[1], ref[1])


def test_solve_command_runs_without_the_cyclic_collector_and_restores_it(tmp_path, monkeypatch):
    import gc
    import json

    from jumelage import cli

    seen = []
    real = cli.solve

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(cli, "solve", spy)
    path = tmp_path / "i.json"
    path.write_text(json.dumps(generate(40, 20, seed=0, shared_themes_weight=0.0)))
    out = tmp_path / "r.json"
    assert gc.isenabled()
    assert cli.main(["solve", str(path), "--mode", "large", "-o", str(out)]) == 0
    assert seen == [False]  # loading and solving ran without it
    assert gc.isenabled()  # and it is back for the caller
    assert cli.main(["check", str(path), str(out)]) == 0
    assert gc.isenabled()


@pytest.mark.parametrize(("seed", "size", "rule", "k", "cap"), CASES)
def test_full_reach_with_locked_mentees_and_class_room(seed, size, rule, k, cap):
    """A fifth of the matched mentees locked: seats and [mentor, class] room come off, their
    rows leave the graph; the reach is still the one over every remaining feasible pair."""
    P = _problem(*size, seed, rule, capacity=cap)
    ci, cj, used = _candidate_flow(P, k)
    rng = np.random.default_rng(seed)
    me, mm = ci[used], cj[used]
    pick = rng.choice(len(me), size=max(1, len(me) // 5), replace=False)
    locked = np.zeros(P.n_e, bool)
    locked[me[pick]] = True
    assign = np.full(P.n_e, -1)
    assign[me[pick]] = mm[pick]
    cap_left = np.maximum(P.capacity - np.bincount(mm[pick], minlength=P.n_m), 0)
    room = L._class_room(P, assign)
    keep = ~locked[ci]
    ci, cj = ci[keep], cj[keep]
    used = L.solve_flow(P, ci, cj, L.score_pairs(P, ci, cj), capacity=cap_left, class_room=room)
    reach = L.full_reach(P, ci, cj, used, cap_left, room, locked)
    ae, am = L.all_feasible_edges(P)
    free = ~locked[ae]
    ae, am = ae[free], am[free]
    a_used = np.isin(ae * P.n_m + am, ci[used] * P.n_m + cj[used])
    ref_e, ref_jc, ref_augment = L.residual_reach(P, ae, am, a_used, cap_left, room, locked)
    assert reach.augment == ref_augment
    if not ref_augment:
        assert np.array_equal(reach.mentees, ref_e)
        assert np.array_equal(reach.entries[:, 0], ref_jc[:, 0])

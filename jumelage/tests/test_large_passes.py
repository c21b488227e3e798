"""Large mode's passes over the full graph, new paths against the former ones on seeded
instances: the bound's exact rows read only under the row's price ceiling
(``priced_rows_pass`` against ``upper_bound_pass``)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from jumelage import solve_large as L
from jumelage.model import load_instance

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


def _problem(ne, nm, seed, rule, capacity=2, bonus=0.0):
    data = generate(
        ne, nm, seed=seed, mentee_region_rule=rule, shared_themes_weight=bonus, capacity=capacity
    )
    return L.build_problem(load_instance(data))


CASES = [
    (seed, size, rule, cap)
    for seed in range(3)
    for size, rule, cap in [
        ((120, 50), "different_region", 1),
        ((200, 60), "any", 3),
        ((300, 100), "different_region", 2),
    ]
]


def _pool_best(P, pool, p, q):
    """Per mentee, the best reduced score s - p - q over its pool edges (float64)."""
    cls_col = np.where(P.class_e >= 0, P.class_e + 1, 0)
    red = L.score_pairs(P, pool.ei, pool.mj) - p[pool.mj] - q[pool.mj, cls_col[pool.ei]]
    best = np.full(P.n_e, -np.inf)
    np.maximum.at(best, pool.ei, red)
    return best


@pytest.mark.parametrize(("seed", "size", "rule", "cap"), CASES)
def test_priced_rows_give_each_rows_bound_term_as_the_full_rows(seed, size, rule, cap):
    """Prices from 0 to above every score (a third of the mentors free), class prices on some
    columns, a pool of 2 edges a mentee (so the rows' best is mostly outside it): for every
    row, max(0, pool best, restricted) equals max(0, pool best, full row), and the restricted
    pass never reports more than the full row has (it reads real entries only)."""
    P = _problem(*size, seed, rule, capacity=cap)
    _, _, pool = L.candidate_pass(P, k=2, K=1, store=2)
    rng = np.random.default_rng(seed)
    nc = L._n_cls(P) + 1
    for scale in (0.3, 1.0, 3.0):
        p = rng.random(P.n_m) * scale
        p[rng.random(P.n_m) < 0.33] = 0.0
        q = np.where(rng.random((P.n_m, nc)) < 0.2, rng.random((P.n_m, nc)) * scale, 0.0)
        rows = np.isfinite(pool.tail)
        best = _pool_best(P, pool, p, q)
        full, _, _ = L.upper_bound_pass(P, p, q, skip=~rows)
        ceiling = pool.tail - np.maximum(best, 0)
        got = L.priced_rows_pass(P, p, q, rows, ceiling)
        base = np.maximum(best, 0)
        assert np.allclose(np.maximum(base, got)[rows], np.maximum(base, full)[rows], atol=1e-5)
        assert (got[rows] <= full[rows] + 1e-6).all()
        assert np.isneginf(got[~rows]).all()
        # and it matters: some rows' term comes from outside their pool
        assert (full[rows] > base[rows] + 1e-3).any()


@pytest.mark.parametrize(("seed", "size", "rule", "cap"), CASES[:6])
def test_solve_with_priced_rows_gives_the_former_bound_and_matching(
    seed, size, rule, cap, monkeypatch
):
    """The whole pipeline with a small pool (tails count) against the former full-row reads:
    the same matching, the same linear bound (to float slack)."""
    P = _problem(*size, seed, rule, capacity=cap)
    new = L.solve_problem(P, k=2, K=1, store=2, time_limit=60)

    def former(P_, p, q, rows, ceiling):
        return L.upper_bound_pass(P_, p, q, skip=~rows)[0]

    monkeypatch.setattr(L, "priced_rows_pass", former)
    old = L.solve_problem(P, k=2, K=1, store=2, time_limit=60)
    assert np.array_equal(new.assign, old.assign)
    assert new.stats.get("exact_rows") == old.stats.get("exact_rows")
    assert abs(new.linear_bound - old.linear_bound) <= 1e-6 * max(1.0, abs(old.linear_bound))


@pytest.mark.parametrize(("seed", "size", "rule", "cap"), CASES)
def test_stored_column_bounds_hold_and_are_exact_where_sure(seed, size, rule, cap):
    """The Lagrangian's per-mentor values from what the candidate pass stored (no pass):
    upper bounds of ``column_pass``'s over the full graph, equal to them on the mentors said
    sure; ``column_pass(mentors=~sure)`` reads the others exactly and nothing else."""
    P = _problem(*size, seed, rule, capacity=cap, bonus=0.3)
    ci, cj, pool = L.candidate_pass(P, k=2, K=2, store=3)
    G = L.stored_graph(P, pool, ci, cj)
    rng = np.random.default_rng(seed)
    bb = 2.0 * L.bonus_cap(P)
    seats = int(P.capacity.max())
    n_sure = n_unsure = 0
    for scale in (0.0, 0.5, 2.0):
        u = rng.random(P.n_e) * scale
        u[rng.random(P.n_e) < 0.2] = 0.0
        pick = rng.random(len(G.ei)) < 0.5
        set_keys = G.mj[pick] * P.n_e + G.ei[pick]
        single, rest, _ = L.column_pass(P, u, bb, set_keys, seats)
        s_b, r_b, sure = L.stored_column_bounds(P, G, u, bb, set_keys, seats)
        fin = np.isfinite(single)
        assert (s_b[fin] >= single[fin] - 1e-5).all()
        fin = np.isfinite(rest)
        assert (r_b[fin] >= rest[fin] - 1e-5).all()
        assert np.allclose(s_b[sure], single[sure], atol=1e-5)
        assert np.allclose(r_b[sure], rest[sure], atol=1e-5)
        s2, r2, _ = L.column_pass(P, u, bb, set_keys, seats, mentors=~sure)
        assert np.allclose(s2[~sure], single[~sure], atol=1e-6)
        assert np.allclose(r2[~sure], rest[~sure], atol=1e-6)
        assert np.isneginf(s2[sure]).all() and np.isneginf(r2[sure]).all()
        n_sure += int(sure.sum())
        n_unsure += int((~sure).sum())
    assert n_sure and n_unsure  # both kinds occur: the test sees both paths


@pytest.mark.parametrize("seed", range(3))
def test_flows_in_two_processes_give_the_serial_flows(seed, monkeypatch):
    """The components' flows split between the process and a forked child: the same edges
    used as one process solving them all; a child that fails is replaced by the parent."""
    P = _problem(600, 300, seed, "different_region", capacity=2)
    ci, cj = L.candidate_edges(P, k=4, K=2)
    s = L.score_pairs(P, ci, cj)
    monkeypatch.setattr(L, "FLOW_PROCESSES", 1)
    serial = L.solve_flow(P, ci, cj, s)
    serial_score = L.solve_flow(P, ci, cj, s, lexicographic=False)
    monkeypatch.setattr(L, "FLOW_PROCESSES", 2)
    monkeypatch.setattr(L, "FLOW_FORK_EDGES", 0)
    calls = []
    real = L._map_parts

    def spy(solve_part, parts):
        calls.append(len(parts))
        return real(solve_part, parts)

    monkeypatch.setattr(L, "_map_parts", spy)
    assert np.array_equal(L.solve_flow(P, ci, cj, s), serial)
    assert calls and calls[0] >= 3  # several components (the sectors): the fork ran
    assert np.array_equal(L.solve_flow(P, ci, cj, s, lexicographic=False), serial_score)


def test_a_failing_flow_child_is_replaced_by_the_parent(monkeypatch):
    P = _problem(400, 200, 0, "different_region", capacity=2)
    ci, cj = L.candidate_edges(P, k=4, K=2)
    s = L.score_pairs(P, ci, cj)
    monkeypatch.setattr(L, "FLOW_PROCESSES", 1)
    serial = L.solve_flow(P, ci, cj, s)
    monkeypatch.setattr(L, "FLOW_PROCESSES", 2)
    monkeypatch.setattr(L, "FLOW_FORK_EDGES", 0)
    import os

    parent = os.getpid()
    real = L._flow_component

    def flaky(*args):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return real(*args)

    monkeypatch.setattr(L, "_flow_component", flaky)
    assert np.array_equal(L.solve_flow(P, ci, cj, s), serial)


@pytest.mark.parametrize("seed", range(4))
def test_bonus_cap_is_each_mentees_best_share_with_a_possible_partner(seed):
    """bonus_cap against a plain loop over every pair of mentees: the best Jaccard index with
    another mentee of the same sector (or one without a sector), duplicated and empty theme
    sets included, times w / 2 x (k - 1)."""
    from jumelage import solve_large as L
    from jumelage.model import load_instance

    rng = np.random.default_rng(seed)
    themes = ["a", "b", "c", "d", "e"]
    data = {
        "policy": {"group_size": 3, "sector_rule": "same_sector"},
        "weights": {"shared_themes": 0.4},
        "mentors": [{"id": "M0", "sector": "s0"}],
        "mentees": [],
    }
    for n in range(40):
        m = {"id": f"E{n}", "themes": [t for t in themes if rng.random() < 0.3]}
        if rng.random() < 0.9:
            m["sector"] = f"s{rng.integers(0, 3)}"
        data["mentees"].append(m)
    inst = load_instance(data)
    P = L.build_problem(inst)
    sets = [set(m["themes"]) for m in data["mentees"]]
    sec = [m.get("sector") for m in data["mentees"]]
    want = np.zeros(len(sets))
    for a in range(len(sets)):
        for b in range(len(sets)):
            if a == b or (sec[a] and sec[b] and sec[a] != sec[b]):
                continue
            union = len(sets[a] | sets[b])
            want[a] = max(want[a], len(sets[a] & sets[b]) / union if union else 0.0)
    got = L.bonus_cap(P)
    share = 0.5 * 0.4 * 2 * want
    assert (got >= share).all()  # never below (float32 division, a hair of slack)
    assert got == pytest.approx(share, abs=1e-6)

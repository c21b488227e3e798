"""The Lagrangian bound for the shared-theme bonus is a true upper bound.

1. ``group_bound`` against brute force on tiny abstract problems (every assignment enumerated).
2. Large mode with a deliberately small pool (so the pass over the full graph matters) and exact
   mode's Lagrangian, against exact mode's proven optimum (CP-SAT, status "optimal").
"""

from __future__ import annotations

import itertools
import random
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jumelage import solve
from jumelage.check import check
from jumelage.lagrange import group_bound
from jumelage.model import load_instance


def _brute_force(n_e, edges, s, cap, bonus, cls):
    """Max Σ s + Σ pair bonus over every assignment (each mentee to one of its mentors or none)
    within the seats and at most one mentee of a class per group."""
    options = [[None] + [k for k, (i, _) in enumerate(edges) if i == e] for e in range(n_e)]
    best = 0.0
    for choice in itertools.product(*options):
        groups: dict[int, list[int]] = {}
        value = 0.0
        for e, k in enumerate(choice):
            if k is not None:
                groups.setdefault(edges[k][1], []).append(e)
                value += s[k]
        ok = True
        for j, members in groups.items():
            if len(members) > cap[j]:
                ok = False
                break
            for a, b in itertools.combinations(members, 2):
                if cls[a] >= 0 and cls[a] == cls[b]:
                    ok = False
                value += bonus[a, b]
        if ok:
            best = max(best, value)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_e=st.integers(1, 6), n_m=st.integers(1, 3))
def test_group_bound_is_never_below_the_brute_force_optimum(seed, n_e, n_m):
    rng = np.random.default_rng(seed)
    edges = [(i, j) for i in range(n_e) for j in range(n_m) if rng.random() < 0.7]
    if not edges:
        return
    s = rng.random(len(edges)).round(3) * rng.choice([0.0, 1.0, 2.0])
    cap = rng.integers(0, 4, n_m)
    cls = rng.integers(-1, 2, n_e)
    b = rng.choice([0.0, 0.1, 0.3, 0.5], size=(n_e, n_e))
    bonus = np.triu(b, 1) + np.triu(b, 1).T
    best = _brute_force(n_e, edges, s, cap, bonus, cls)
    ei = np.array([e for e, _ in edges])
    mj = np.array([j for _, j in edges])
    # small sets: the bounds for pairs outside them are exercised too; tight_pairs=1 keeps one
    # outside edge per mentor paired exactly with its set (the others: the loose term), the
    # default pairs them all (and bounds pairs of two outside edges); tight_steps=False: the
    # loose term only
    for tight, tight_steps in ((1, True), (10_000, True), (10_000, False)):
        lg = group_bound(
            n_e,
            ei,
            mj,
            s,
            cap,
            pair_bonus=lambda a, c: bonus[a, c],
            best_bonus=bonus.max(axis=1),
            same_class=lambda a, c: (cls[a] >= 0) & (cls[a] == cls[c]),
            target=None,
            iterations=40,
            top=2,
            tight_pairs=tight,
            tight_steps=tight_steps,
        )
        assert lg.bound >= best - 1e-9
        for L in lg.history:  # every L(u) is a bound, not only the smallest
            assert L >= best - 1e-9


def bonus_instance(seed: int, n_mentees: int, n_mentors: int) -> dict:
    """Themes shared among mentees (the bonus matters), regions with one mentee of a region per
    group, capacities 1-3, a text-free fit from vectors."""
    rng = random.Random(seed)
    themes = ["a", "b", "c", "d", "e"]
    regions = ["01", "02", "03"]

    def person(pid):
        return {
            "id": pid,
            "region": rng.choice(regions),
            "themes": rng.sample(themes, rng.randint(1, 3)),
            "vector": [rng.random() for _ in range(3)],
        }

    mentors = [person(f"M{j}") | {"capacity": rng.randint(1, 3)} for j in range(n_mentors)]
    mentees = [person(f"E{i}") for i in range(n_mentees)]
    return {
        "policy": {
            "group_size": 3,
            "region_rule": "any",
            "sector_rule": "any",
            "mentee_region_rule": "different_region" if seed % 2 else "any",
            "require_common_language": False,
            "require_availability_overlap": False,
        },
        "weights": {"fit": 1.0, "themes": 0.5, "style": 0, "shared_themes": 0.4},
        "mentors": mentors,
        "mentees": mentees,
        "forbidden": [{"mentor": "M0", "mentee": f"E{i}"} for i in range(0, n_mentees, 3)],
    }


@pytest.mark.parametrize("seed", range(8))
def test_large_and_exact_bounds_hold_against_the_proven_optimum(seed):
    from jumelage import solve_large as L

    inst = load_instance(bonus_instance(seed, 9, 4))
    exact = solve(inst, mode="exact", time_limit=20, seed=0)
    assert exact.certificate.status == "optimal"
    best = exact.certificate.objective
    # large mode with a tiny pool: most pairs are outside it, the full pass must catch them
    P = L.build_problem(inst)
    out = L.solve_problem(P, time_limit=20, k=1, K=1, store=2)
    assert out.stats.get("bound_lagrange") is not None
    assert out.stats["bound_lagrange"] >= best - 1e-6
    assert out.upper_bound >= best - 1e-6
    # exact mode's own Lagrangian (used above CP-SAT's size) on every feasible pair
    from jumelage.solve_exact import _lagrangian_bound, feasible_edges, fix_locks, solve_flow

    fixed = fix_locks(inst)
    edges = feasible_edges(inst, fixed)
    mentor_of, _ = solve_flow(inst, fixed, edges)

    lagr, groups = _lagrangian_bound(inst, edges, fixed, mentor_of, time.perf_counter(), 20.0)
    assert lagr is not None and lagr >= best - 1e-6
    assert (groups >= 0).sum() == (mentor_of >= 0).sum()  # the repacked groups keep the count
    res = solve(inst, mode="large", time_limit=20, seed=0)
    assert res.certificate.bound >= best - 1e-6
    assert check(inst, res) == []


@pytest.mark.parametrize(("seed", "collect"), [(s, c) for s in range(6) for c in (1, 2, 32)])
def test_every_full_evaluation_of_large_mode_bounds_l_at_its_prices(seed, collect, monkeypatch):
    """Each full evaluation of large mode's Lagrangian (every round, the pass's collected edges
    paired exactly, the edges beyond them cut at the last collected value) is never below L(u)
    at its own prices, computed by enumerating every mentor's groups over every feasible pair;
    with a tiny pool and 1, 2 or 32 collected edges per mentor. The bound stays above the
    proven optimum."""
    from jumelage import lagrange
    from jumelage import solve_large as L

    monkeypatch.setattr(L, "LAGRANGE_COLLECT", collect)
    monkeypatch.setattr(L, "LAGRANGE_COLLECT_MAX", collect)
    inst = _seeded_bonus_instance(seed)
    P = L.build_problem(inst)
    seen, lams = [], []
    real_eval, real_bound = lagrange._Fixed.evaluate_columns, lagrange.group_bound

    def evaluate_columns(self, u, single, rest, cap, *args, **kw):
        v = real_eval(self, u, single, rest, cap, *args, **kw)
        seen.append((u.copy(), np.asarray(cap).copy(), v))
        return v

    def group_bound(n_e, ei, mj, s, cap, **kw):
        lams.append(float(np.mean(np.asarray(s) - L.score_pairs(P, ei, mj))))
        return real_bound(n_e, ei, mj, s, cap, **kw)

    monkeypatch.setattr(lagrange._Fixed, "evaluate_columns", evaluate_columns)
    monkeypatch.setattr(lagrange, "group_bound", group_bound)
    out = L.solve_problem(P, time_limit=20, k=1, K=1, store=2)
    assert seen and len(seen) == len(out.stats["lagrange_full"])
    _assert_bounds_every_group(P, inst, seen, lams[0], out)


@pytest.mark.parametrize(("seed", "with_pass"), [(s, w) for s in range(6) for w in (False, True)])
def test_large_mode_floored_steps_bound_l_without_the_pass(seed, with_pass, monkeypatch):
    """When the pass does not fit, large mode's steps keep each price above what its edges
    outside the pool could bring (the candidate pass's tail): their L is a bound by itself,
    never below L(u) at its own prices computed by enumerating every mentor's groups over EVERY
    feasible pair. When it fits but time is short (the groups after the pass), no floor, one
    full evaluation. Either way the bound stays above the proven optimum."""
    from jumelage import lagrange
    from jumelage import solve_large as L

    monkeypatch.setattr(L, "_lagrange_plan", lambda free, est, cand: (False, with_pass))
    inst = _seeded_bonus_instance(seed)
    P = L.build_problem(inst)
    seen, lams = [], []
    real_bound = lagrange.group_bound

    def group_bound(n_e, ei, mj, s, cap, **kw):
        lams.append(float(np.mean(np.asarray(s) - L.score_pairs(P, ei, mj))))
        lg = real_bound(n_e, ei, mj, s, cap, **kw)
        if kw.get("floor") is not None:
            seen.append((lg.u.copy(), np.asarray(cap).copy(), lg.bound))
        return lg

    monkeypatch.setattr(lagrange, "group_bound", group_bound)
    out = L.solve_problem(P, time_limit=20, k=1, K=1, store=2)
    assert bool(seen) == ("lagrange_floored" in out.stats) == (not with_pass)
    assert bool(out.stats["lagrange_full"]) == with_pass
    _assert_bounds_every_group(P, inst, seen, lams[0], out)


def test_lagrange_collect_keeps_the_collected_edges_within_the_budget():
    """32 edges per mentor up to 3,125 mentors, then fewer, never below 8 (100,000 x 50,000
    keeps the 8 of before: 400,000 collected edges, 9.6 M bonuses with the sets)."""
    from jumelage import solve_large as L

    assert L.lagrange_collect(1_000) == L.lagrange_collect(3_000) == 32
    assert L.lagrange_collect(5_000) == 20
    assert L.lagrange_collect(50_000) == 8
    assert L.lagrange_collect(0) == 32


def test_large_mode_bound_is_tighter_with_the_lagrangian():
    """On a program with the bonus the Lagrangian replaces the per-mentee allowance."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    from jumelage import solve_large as L

    inst = load_instance(generate(600, 300, seed=3, shared_themes_weight=0.3))
    out = L.solve_problem(L.build_problem(inst), time_limit=60)
    assert out.stats["bound_lagrange"] < out.stats["bound_allowance"]
    assert out.upper_bound >= out.linear + out.bonus
    gap = (out.upper_bound - out.linear - out.bonus) / out.upper_bound
    assert gap < 0.04


def _column_pass_case(seed, n_e, n_m, share):
    """A seeded bonus instance with random prices, bonus shares and mentor sets (``share`` of
    the feasible pairs), for ``column_pass`` against a plain loop over every pair."""
    from jumelage import solve_large as L

    P = L.build_problem(load_instance(bonus_instance(seed, n_e, n_m)))
    ei, mj = L.all_feasible_edges(P)
    s = L.score_pairs(P, ei, mj)
    rng = np.random.default_rng(seed)
    u = rng.random(P.n_e)
    bb = rng.random(P.n_e) * 0.3
    in_set = rng.random(len(ei)) < share
    keys = mj[in_set] * P.n_e + ei[in_set]
    return P, ei, mj, s, u, bb, in_set, keys


@pytest.mark.parametrize("seed", range(4))
def test_column_pass_reads_every_feasible_pair(seed):
    """The pass that makes the large mode's Lagrangian valid outside its pool: per mentor, the
    best s_ij - u_i over all its feasible mentees (+ the bonus share for 3+ seats), and the best s_ij - u_i + bonus_i over those
    outside its set, as a plain loop over every feasible pair computes them."""
    from jumelage import solve_large as L

    P, ei, mj, s, u, bb, in_set, keys = _column_pass_case(seed, 12, 5, 0.5)
    single, rest, top = L.column_pass(P, u, bb, keys, 3, collect=2)
    for j in range(P.n_m):
        mine = mj == j
        extra = 0.5 * (3 - 1) * bb[ei[mine]] if P.capacity[j] >= 3 else 0.0  # 3+ seats
        want = (s[mine] - u[ei[mine]] + extra).max(initial=-np.inf)
        assert single[j] == pytest.approx(want, abs=1e-5) or (single[j] == want == -np.inf)
        out = mine & ~in_set
        want = (s[out] - u[ei[out]] + bb[ei[out]]).max(initial=-np.inf)
        assert rest[j] == pytest.approx(want, abs=1e-5) or (rest[j] == want == -np.inf)
    # the collected edges are feasible pairs outside the sets
    pairs = set(zip(ei.tolist(), mj.tolist(), strict=True))
    sets = set(zip(ei[in_set].tolist(), mj[in_set].tolist(), strict=True))
    for i, j in zip(*top, strict=True):
        assert (int(i), int(j)) in pairs and (int(i), int(j)) not in sets


@pytest.mark.parametrize(("seed", "rows"), [(s, r) for s in range(4) for r in (1, 3, 64)])
def test_column_pass_collects_each_mentors_best_edges_over_every_chunk(seed, rows, monkeypatch):
    """The collected edges are exactly each mentor's ``collect`` best outside its set by s - u +
    bonus (all of them where it has fewer), whatever the chunks (1, 3 or 64 rows: the running
    floors carried from one chunk to the next must not drop an edge of a later chunk)."""
    from jumelage import solve_large as L

    monkeypatch.setattr(L, "_chunk_size", lambda n_cols, budget=0: rows)
    P, ei, mj, s, u, bb, in_set, keys = _column_pass_case(seed, 30, 4, 0.3)
    for collect in (1, 2, 5):
        _, _, top = L.column_pass(P, u, bb, keys, 2, collect=collect)
        got = set(zip(top[0].tolist(), top[1].tolist(), strict=True))
        for j in range(P.n_m):
            out = (mj == j) & ~in_set
            val = s[out] - u[ei[out]] + bb[ei[out]]
            mine = [(int(i), j) in got for i in ei[out]]
            assert sum(mine) == min(collect, int(out.sum()))
            if sum(mine) and not all(mine):  # none left out scores above a collected one
                assert val[mine].min() >= val[~np.array(mine)].max() - 1e-5


def _assignments(n_e, edges, cap, cls):
    """Every feasible assignment (mentor per mentee, -1: none): seats and one mentee of a class
    per group."""
    options = [[-1] + [j for i, j in edges if i == e] for e in range(n_e)]
    for choice in itertools.product(*options):
        load = np.bincount([j for j in choice if j >= 0], minlength=len(cap))
        if (load > cap).any():
            continue
        ok = True
        for a, b in itertools.combinations(range(n_e), 2):
            if choice[a] >= 0 and choice[a] == choice[b] and cls[a] >= 0 and cls[a] == cls[b]:
                ok = False
                break
        if ok:
            yield np.array(choice, np.int64)


def _value(choice, edges, s, bonus):
    score = {e: s[k] for k, e in enumerate(edges)}
    v = sum(score[(i, int(j))] for i, j in enumerate(choice) if j >= 0)
    for a, b in itertools.combinations(range(len(choice)), 2):
        if choice[a] >= 0 and choice[a] == choice[b]:
            v += bonus[a, b]
    return v


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n_e=st.integers(1, 6), n_m=st.integers(1, 3))
def test_repack_finds_the_lexicographic_optimum_from_the_worst_start(seed, n_e, n_m):
    """With every group offered (slack without limit, sets holding every edge), the repacked
    groups are the best among the assignments that place the most mentees, starting from the
    worst of them; they keep the seats, the class limit and the count."""
    from jumelage.lagrange import repack

    rng = np.random.default_rng(seed)
    edges = [(i, j) for i in range(n_e) for j in range(n_m) if rng.random() < 0.7]
    if not edges:
        return
    s = rng.random(len(edges)).round(3)
    cap = rng.integers(0, 3, n_m)  # 1- and 2-seat mentors (and unavailable ones)
    cls = rng.integers(-1, 2, n_e)
    b = rng.choice([0.0, 0.1, 0.3, 0.5], size=(n_e, n_e))
    bonus = np.triu(b, 1) + np.triu(b, 1).T
    every = list(_assignments(n_e, edges, cap, cls))
    count = max(int((c >= 0).sum()) for c in every)
    top = [c for c in every if (c >= 0).sum() == count]
    worst = min(top, key=lambda c: _value(c, edges, s, bonus))
    best = max(_value(c, edges, s, bonus) for c in top)
    lam = 2.0  # the lexicographic shift, as large mode passes it in the scores
    lg = group_bound(
        n_e,
        np.array([e for e, _ in edges]),
        np.array([j for _, j in edges]),
        s + lam,
        cap,
        pair_bonus=lambda a, c: bonus[a, c],
        best_bonus=bonus.max(axis=1),
        same_class=lambda a, c: (cls[a] >= 0) & (cls[a] == cls[c]),
        iterations=5,
        top=n_e,
    )
    rp = repack(lg.fixed, lg.u, worst, must_match=count, deadline=1e18, slack=np.inf)
    if rp is None:  # no 2-seat mentor with an edge
        assert not (cap[[j for _, j in edges]] == 2).any()
        return
    assert rp.status == "optimal"
    got = rp.assign
    assert any((got == c).all() for c in every)  # feasible: seats, class limit, edges
    assert (got >= 0).sum() == count
    assert _value(got, edges, s, bonus) == pytest.approx(best, abs=1e-9)
    assert lg.bound - lam * count >= best - 1e-9


def _seven_by_three():
    """7 mentees, 3 mentors of 3, 2 and 2 seats, every pair allowed, seeded scores and bonuses:
    the edges, their scores, the bonus matrix and the Lagrangian after 3 iterations."""
    rng = np.random.default_rng(7)
    n_e, n_m = 7, 3
    edges = [(i, j) for i in range(n_e) for j in range(n_m)]
    s = rng.random(len(edges)).round(3)
    cap = np.array([3, 2, 2])
    b = rng.choice([0.0, 0.2, 0.4], size=(n_e, n_e))
    bonus = np.triu(b, 1) + np.triu(b, 1).T
    lg = group_bound(
        n_e,
        np.array([e for e, _ in edges]),
        np.array([j for _, j in edges]),
        s + 1.0,
        cap,
        pair_bonus=lambda a, c: bonus[a, c],
        best_bonus=bonus.max(axis=1),
        iterations=3,
    )
    return edges, s, bonus, lg


def test_repack_keeps_three_seat_mentors_groups_and_never_loses_value():
    """Mentors of 3+ seats keep their mentees; the others' groups come back at least as good
    (the current groups are among the columns), with the same count."""
    from jumelage.lagrange import repack

    start = np.array([0, 0, 0, 1, 1, 2, 2])
    edges, s, bonus, lg = _seven_by_three()
    rp = repack(lg.fixed, lg.u, start, must_match=7, deadline=1e18, slack=0.0)
    assert rp is not None and rp.status != "none"
    assert (rp.assign[:3] == 0).all() and (rp.assign >= 0).all()
    assert np.bincount(rp.assign, minlength=3).tolist() == [3, 2, 2]
    assert _value(rp.assign, edges, s, bonus) >= _value(start, edges, s, bonus) - 1e-12


def test_repack_gives_its_lp_the_share_and_drops_an_lp_cut_by_time(monkeypatch):
    """The groups' LP runs within repack's deadline (HiGHS's time limit); an LP stopped by it
    (status 1, its point not optimal, here the empty choice) brings nothing: the groups stay as
    they were, status "none", where the same point returned as optimal goes on to the integer
    program."""
    import scipy.optimize

    from jumelage.lagrange import repack

    start = np.array([2, 0, 0, 1, 1, 0, 2])
    edges, s, bonus, lg = _seven_by_three()
    seen = []

    def fake(c, *args, status, **kw):
        seen.append(kw["options"]["time_limit"])
        return scipy.optimize.OptimizeResult(x=np.zeros(len(c)), fun=0.0, status=status)

    for status in (0, 1):
        monkeypatch.setattr(
            scipy.optimize, "linprog", lambda c, *a, st=status, **kw: fake(c, *a, status=st, **kw)
        )
        deadline = time.monotonic() + 30
        rp = repack(lg.fixed, lg.u, start, must_match=7, deadline=deadline, slack=0.0)
        assert 0 < seen[-1] <= 30
        if status == 0:
            assert rp.status == "optimal"  # the integer program ran on the free columns
        else:
            assert rp.status == "none" and (rp.assign == start).all()


def test_repack_lp_keeps_the_count_when_the_scores_do_not_carry_it():
    """The groups' LP runs first without its count row; when the scores are not shifted and
    the best-valued packing places fewer mentees (mentor 0 takes a and b for 10, leaving c
    out, against b and c for 5.1 with a at mentor 1), the row comes back: the LP's value is the
    one among packings that place all three, and so are the groups."""
    from jumelage.lagrange import repack

    ei, mj = np.array([0, 1, 2, 0]), np.array([0, 0, 0, 1])
    s = np.array([5.0, 5.0, 0.1, 0.1])
    lg = group_bound(
        3,
        ei,
        mj,
        s,
        np.array([2, 1]),
        pair_bonus=lambda a, c: np.zeros(len(a)),
        best_bonus=np.zeros(3),
        iterations=2,
        top=3,
    )
    start = np.array([1, 0, 0])
    rp = repack(lg.fixed, lg.u, start, must_match=3, deadline=1e18, slack=np.inf)
    assert rp is not None and rp.status == "optimal"
    assert rp.lp == pytest.approx(5.2)
    assert rp.assign.tolist() == [1, 0, 0]


def test_large_and_exact_repack_the_groups_and_certify_within_one_percent():
    """On a 600 × 300 program with the bonus both modes improve on the flow's groups with the
    Lagrangian's prices and certify a gap under 1 %; `check` accepts both results."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    from jumelage import solve_large as L

    inst = load_instance(generate(600, 300, seed=3, shared_themes_weight=0.3))
    out = L.solve_problem(L.build_problem(inst), time_limit=60)
    assert out.stats["groups"]["repack_gain"] > 0
    assert (out.upper_bound - out.linear - out.bonus) / out.upper_bound < 0.01
    for mode in ("large", "exact"):
        res = solve(inst, mode=mode, time_limit=60, seed=0)
        assert check(inst, res) == []
        assert res.certificate.bound >= res.certificate.objective
        assert res.certificate.gap < 0.01, (mode, res.certificate.gap)


def _pairs_program(seed: int):
    """A 240 × 120 generated program with groups of 2 and the bonus, its large-mode Problem,
    every feasible pair with its score, and the flow's matching (the most mentees, best score)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import generate

    from jumelage import solve_large as L

    P = L.build_problem(load_instance(generate(240, 120, seed=seed, shared_themes_weight=0.3)))
    ei, mj = L.all_feasible_edges(P)
    s = L.score_pairs(P, ei, mj)
    used = L.solve_flow(P, ei, mj, s, capacity=P.capacity, class_room={})
    assign = np.full(P.n_e, -1, np.int64)
    assign[ei[used]] = mj[used]
    return L, P, ei, mj, s, assign


def _valid(L, P, assign, ei, mj):
    """Every pair feasible, seats kept, at most one mentee of a class per group."""
    on = np.nonzero(assign >= 0)[0]
    pairs = set(zip(ei.tolist(), mj.tolist(), strict=True))
    assert all((int(i), int(assign[i])) in pairs for i in on)
    assert (np.bincount(assign[on], minlength=P.n_m) <= P.capacity).all()
    first, second, _ = L._slots(assign, P.n_m)
    both = (first >= 0) & (second >= 0)
    assert L._class_ok(P, first[both], second[both]).all()


@pytest.mark.parametrize("seed", range(3))
def test_polish_keeps_the_count_and_never_loses_value(seed):
    """The anchor reassignment returns a valid matching with as many mentees and at least the
    objective it was given (the flow's, which ignores the bonus: it should gain)."""
    from jumelage.lagrange import polish

    L, P, ei, mj, s, assign = _pairs_program(seed)
    out = polish(P, assign, ei, mj, s, P.capacity, deadline=time.monotonic() + 60)
    _valid(L, P, out, ei, mj)
    assert (out >= 0).sum() == (assign >= 0).sum()
    assert sum(L.objective(P, out)) > sum(L.objective(P, assign))


@pytest.mark.parametrize("seed", range(3))
def test_complete_places_the_most_mentees_and_keeps_the_given_pairs(seed):
    """From a third of the flow's pairs, the completion places as many mentees as the flow
    (the most possible) and keeps every given pair (they never block the count here: they come
    from a maximum matching)."""
    from jumelage.lagrange import complete

    L, P, ei, mj, s, assign = _pairs_program(seed)
    part = np.where(np.arange(P.n_e) % 3 == 0, assign, -1)
    out = complete(P, part, ei, mj, s, P.capacity)
    _valid(L, P, out, ei, mj)
    assert (out >= 0).sum() == (assign >= 0).sum()
    given = part >= 0
    assert (out[given] == part[given]).all()


def _best_groups(n_e, ei, mj, s, cap, u, bonus, cls):
    """Σ_i u_i + Σ_j max over the groups of mentor j (at most cap_j of its mentees, no two of a
    class) of Σ (s_ij - u_i) + Σ pair bonus: L(u) computed by enumerating every group."""
    total = float(u.sum())
    for j in range(len(cap)):
        mine = [(int(i), float(v)) for i, m, v in zip(ei, mj, s, strict=True) if m == j]
        best = 0.0
        for size in range(1, int(cap[j]) + 1):
            for group in itertools.combinations(mine, size):
                members = [i for i, _ in group]
                if any(
                    cls[a] >= 0 and cls[a] == cls[b] for a, b in itertools.combinations(members, 2)
                ):
                    continue
                v = sum(x - u[i] for i, x in group)
                v += sum(bonus[a, b] for a, b in itertools.combinations(members, 2))
                best = max(best, v)
        total += best
    return total


def _assert_bounds_every_group(P, inst, seen, lam, out):
    """Each (prices, seats, value) seen is >= L(u) computed by enumerating every mentor's groups
    over EVERY feasible pair, and the run's bound is >= CP-SAT's proven optimum."""
    from jumelage import solve_large as L

    ei, mj = L.all_feasible_edges(P)
    n = P.n_e
    bonus = np.zeros((n, n))
    a, b = np.triu_indices(n, 1)
    bonus[a, b] = L._bonus0(P, a, b)
    bonus += bonus.T
    cls = P.class_e if P.class_max == 1 else np.full(n, -1)
    s = L.score_pairs(P, ei, mj) + lam
    for u, cap, v in seen:
        assert v >= _best_groups(n, ei, mj, s, cap, u, bonus, cls) - 1e-6
    exact = solve(inst, mode="exact", time_limit=20, seed=0)
    assert exact.certificate.status == "optimal"
    assert out.stats["bound_lagrange"] >= exact.certificate.objective - 1e-6


def _seeded_bonus_instance(seed: int):
    """The seeded instances of the two large-mode Lagrangian checks: groups of 3 for one seed in
    three (9 mentees, 4 mentors); otherwise groups of 2, every mentor 2 seats and a bonus weight
    of 1, where the exact pairs and the collected edges count (16 mentees, 4 mentors)."""
    data = bonus_instance(seed, 9, 4) if seed % 3 == 0 else bonus_instance(seed, 16, 4)
    if seed % 3:
        data["policy"]["group_size"] = 2
        data["weights"]["shared_themes"] = 1.0
        for m in data["mentors"]:
            m["capacity"] = 2
    return load_instance(data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_e=st.integers(2, 9),
    n_m=st.integers(1, 3),
    tight=st.sampled_from([1, 4, 10_000]),
)
def test_every_outside_term_bounds_each_mentors_best_group(seed, n_e, n_m, tight):
    """The sets are fixed at one price; at other prices the outside edges may beat them. L(u)
    (the pool's ``evaluate``) and the full graph's ``evaluate_columns`` (a pool that holds only
    part of the edges, ``single`` and ``rest`` read from all of them) are never below L(u)
    computed by enumerating every mentor's groups: the exact pairs with the tight outside
    edges, the bound on two outside edges, the loose term and the edges outside the pool."""
    rng = np.random.default_rng(seed)
    edges = [(i, j) for i in range(n_e) for j in range(n_m) if rng.random() < 0.8]
    if not edges:
        return
    ei = np.array([e for e, _ in edges])
    mj = np.array([j for _, j in edges])
    s = rng.random(len(edges)).round(3)
    cap = rng.choice([1, 2, 2, 3], n_m)
    cls = rng.integers(-1, 3, n_e)
    b = rng.choice([0.0, 0.1, 0.3, 0.5], size=(n_e, n_e))
    bonus = np.triu(b, 1) + np.triu(b, 1).T
    bb = bonus.max(axis=1)
    pool = rng.random(len(edges)) < rng.choice([0.3, 0.7])

    def build(k):
        return group_bound(
            n_e,
            ei[k],
            mj[k],
            s[k],
            cap,
            pair_bonus=lambda a, c: bonus[a, c],
            best_bonus=bb,
            same_class=lambda a, c: (cls[a] >= 0) & (cls[a] == cls[c]),
            u0=rng.random(n_e),
            iterations=1,
            top=2,
            tight_pairs=tight,
        ).fixed

    F_all, F_pool = build(np.ones(len(edges), bool)), build(pool)
    for k in range(8):
        u = rng.random(n_e) * rng.choice([0.3, 1.0, 2.0])
        if k % 2:  # the sets' members priced out: the outside edges make the best groups
            u[F_all.in_sets()[0]] += 1.0
        want = _best_groups(n_e, ei, mj, s, cap, u, bonus, cls)
        assert F_all.evaluate(u)[0] >= want - 1e-9
        r = s - u[ei]
        many = np.where(cap[mj] >= 3, 0.5 * (cap[mj] - 1) * bb[ei], 0.0)
        single = np.full(n_m, -np.inf)
        np.maximum.at(single, mj, r + many)
        rest = np.full(n_m, -np.inf)
        np.maximum.at(rest, mj[~pool], (r + bb[ei])[~pool])
        loose = F_pool.evaluate_columns(u, single, rest, cap)
        assert loose >= want - 1e-9
        # the pass's collected edges (each mentor's `collect` best outside the pool by r + bb)
        # bound the same pairs more tightly, never more loosely than ``rest`` alone
        for collect in (1, 2, 5):
            out = np.nonzero(~pool)[0]
            key = r[out] + bb[ei[out]]
            o = out[np.lexsort((-key, mj[out]))]
            first = np.searchsorted(mj[o], mj[o], side="left")
            took = o[np.arange(len(o)) - first < collect]
            got = F_pool.evaluate_columns(
                u, single, rest, cap, (ei[took], mj[took], s[took]), collect, 0.0
            )
            assert want - 1e-9 <= got <= loose + 1e-9

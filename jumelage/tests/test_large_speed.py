"""Large mode's candidate pass (the mentor side filtered by running floors) and the pricing
rounds' stop test: the same candidates as the former column argpartition, exact ties included."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from jumelage import solve_large as L
from jumelage.model import load_instance

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402


def _canonical_top(entries: list[tuple[int, int, float]], K: int) -> set[tuple[int, int]]:
    """Each column's K best (score descending, then row): the reference, by plain sorting."""
    by_col: dict[int, list[tuple[float, int]]] = {}
    for r, c, v in entries:
        by_col.setdefault(c, []).append((-v, r))
    return {(r, c) for c, items in by_col.items() for _, r in sorted(items)[:K]}


def _former_column_top(S, floor, K):
    """The code this replaced (argpartition down the columns), for the comparison."""
    n_rows = S.shape[0]
    KK = min(K, n_rows)
    if KK < n_rows:
        ctop = np.argpartition(-S, KK - 1, axis=0)[:KK]
    else:
        ctop = np.broadcast_to(np.arange(n_rows)[:, None], S.shape)
    cvals = np.take_along_axis(S, ctop, axis=0)
    if KK == K:
        np.maximum(floor, cvals.min(axis=0), out=floor)
    keep = (cvals >= floor[None, :]) & (cvals > L.NEG)
    cols = np.broadcast_to(np.arange(S.shape[1])[None, :], ctop.shape)
    return ctop[keep], cols[keep], cvals[keep]


def _run_chunks(matrix, K, chunk, column_top, prune_every=None, rows=None):
    """The candidate pass's mentor side on a dense score matrix cut into row chunks, taken in
    the order ``rows`` (the blocks of the real pass do not come in mentee order)."""
    n_rows, n_cols = matrix.shape
    rows = np.arange(n_rows) if rows is None else rows
    thr = np.full(n_cols, L.NEG, np.float32)
    buf: list[list[np.ndarray]] = [[], [], []]
    for n, start in enumerate(range(0, n_rows, chunk)):
        ids = rows[start : start + chunk]
        S = matrix[ids]
        floor = thr.copy()
        r, c, v = column_top(S, floor, K)
        np.maximum(thr, floor, out=thr)
        for x, part in zip(buf, (ids[r], c, v), strict=True):
            x.append(np.asarray(part))
        if prune_every and n % prune_every == prune_every - 1:
            buf, new_thr = L._prune_mentor_top(buf, K, n_cols)
            np.maximum(thr, new_thr, out=thr)
    buf, _ = L._prune_mentor_top(buf, K, n_cols)
    return set(zip(buf[0][0].tolist(), buf[1][0].tolist(), strict=True))


@pytest.mark.parametrize("seed", range(12))
def test_column_top_gives_each_column_its_k_best_with_ties_to_the_lower_row(seed):
    rng = np.random.default_rng(seed)
    n_rows, n_cols = int(rng.integers(5, 400)), int(rng.integers(1, 60))
    K = int(rng.integers(1, 10))
    # few distinct values (many exact ties, -0.0 among them), infeasible entries at -inf
    matrix = rng.integers(0, 6, (n_rows, n_cols)).astype(np.float32) / np.float32(4)
    matrix[matrix == 0] = np.float32(-0.0) if seed % 2 else np.float32(0.0)
    matrix[rng.random(matrix.shape) < 0.3] = L.NEG
    entries = [
        (r, c, float(matrix[r, c])) for r, c in zip(*np.nonzero(matrix > L.NEG), strict=True)
    ]
    want = _canonical_top(entries, K)
    shuffled = rng.permutation(n_rows)
    for chunk in (1, 7, 64, n_rows):
        for prune in (None, 1, 3):
            for rows in (None, shuffled):
                got = _run_chunks(matrix, K, chunk, L._column_top, prune, rows)
                assert got == want, (chunk, prune)


def test_column_top_takes_the_dense_path_and_stays_exact(monkeypatch):
    """The first chunks (floors still at -inf): the floor from the first rows' K-th value."""
    rng = np.random.default_rng(5)
    matrix = np.round(rng.random((3000, 40)), 2).astype(np.float32)  # ties at two decimals
    entries = [(r, c, float(matrix[r, c])) for r in range(3000) for c in range(40)]
    want = _canonical_top(entries, 8)
    called = []
    partition = np.partition

    def spy(*args, **kwargs):
        called.append(1)
        return partition(*args, **kwargs)

    monkeypatch.setattr(L.np, "partition", spy)
    assert _run_chunks(matrix, 8, 1024, L._column_top) == want
    assert called  # the dense path ran


@pytest.mark.parametrize("seed", range(6))
def test_same_entries_as_the_former_argpartition_without_ties(seed):
    rng = np.random.default_rng(100 + seed)
    # distinct values: no ties, so the former code's choice among ties does not arise
    matrix = (rng.permutation(500 * 30).reshape(500, 30) / 15000).astype(np.float32)
    matrix[rng.random(matrix.shape) < 0.2] = L.NEG
    for chunk in (16, 128):
        new = _run_chunks(matrix, 8, chunk, L._column_top, 2)
        old = _run_chunks(matrix, 8, chunk, _former_column_top, 2)
        assert new == old


def _problem(ne, nm, seed, rounded=False):
    data = generate(
        ne, nm, seed=seed, mentee_region_rule="different_region", shared_themes_weight=0
    )
    if rounded:  # coarse vectors: many exact ties among the pair scores
        for person in data["mentors"] + data["mentees"]:
            person["vector"] = [round(x, 1) for x in person["vector"]]
    return L.build_problem(load_instance(data))


@pytest.mark.parametrize("seed,rounded", [(0, False), (1, False), (2, True), (3, True)])
def test_candidate_pass_mentor_side_is_each_mentors_k_best(seed, rounded, monkeypatch):
    """The whole pass (blocks, chunks, two threads, buffer cuts): the mentor side is each
    mentor's K best feasible edges, ties to the lower mentee index; with continuous scores, the
    same candidates as the former code."""
    P = _problem(900, 450, seed, rounded)
    monkeypatch.setattr(L, "_chunk_size", lambda n_cols, budget=0: 50)
    monkeypatch.setattr(L, "PRUNE_BUFFER", 0)
    seen: list[tuple[int, int, float]] = []
    scores = L.chunk_scores

    def record(P_, E, J, colpos):
        S = scores(P_, E, J, colpos)
        r, c = np.nonzero(S > L.NEG)
        seen.extend(zip(E[r].tolist(), J[c].tolist(), S[r, c].tolist(), strict=True))
        return S

    monkeypatch.setattr(L, "chunk_scores", record)
    ci, cj = L.candidate_edges(P, k=4, K=6, mentor_side=True)
    monkeypatch.setattr(L, "chunk_scores", scores)
    ri, rj = L.candidate_edges(P, k=4, K=6, mentor_side=False)
    mentor_side = _canonical_top(seen, 6)  # (mentee, mentor): each mentor's 6 best
    union = set(zip(ri.tolist(), rj.tolist(), strict=True)) | mentor_side
    assert set(zip(ci.tolist(), cj.tolist(), strict=True)) == union
    if not rounded:
        monkeypatch.setattr(L, "_column_top", _former_column_top)
        oi, oj = L.candidate_edges(P, k=4, K=6, mentor_side=True)
        assert np.array_equal(oi, ci) and np.array_equal(oj, cj)


@pytest.mark.parametrize("seed", [1, 2])
def test_pricing_stops_when_it_cannot_close_the_gap_and_the_bound_still_holds(seed, monkeypatch):
    """The stop test: another pricing round runs only while what the pool's priced-out edges
    can bring exceeds a tenth of the gap that stays anyway. The bound stays above the true
    optimum (exact mode's flow over every feasible pair) either way."""
    from jumelage import solve_exact

    data = generate(
        1500, 750, seed=seed, mentee_region_rule="different_region", shared_themes_weight=0
    )
    inst = load_instance(data)
    optimum = solve_exact.solve(inst, time_limit=60).certificate.objective
    P = L.build_problem(inst)
    default = L.solve_problem(P, time_limit=120)
    monkeypatch.setattr(L, "PRICING_GAIN_TOL", 10.0)  # stop at the first test
    stopped = L.solve_problem(P, time_limit=120)
    monkeypatch.setattr(L, "PRICING_GAIN_TOL", 0.0)  # price while anything prices out
    longer = L.solve_problem(P, time_limit=120)
    assert stopped.rounds < longer.rounds  # the test did stop the rounds
    gains, rests = stopped.stats["pricing_gain"], stopped.stats["gap_rest"]
    assert gains[-1] <= 10.0 * rests[-1]
    for out in (default, stopped, longer):
        assert out.upper_bound >= optimum - 1e-6  # a valid bound, stopped early or not
        assert out.linear <= optimum + 1e-6
        assert (out.assign >= 0).sum() == (longer.assign >= 0).sum()  # the most matched
        assert (out.upper_bound - out.linear) / out.upper_bound <= 0.01


def test_the_pilot_loads_neither_ortools_nor_scipys_graph_module(tmp_path):
    """Enumeration decides the pilot: the flow (OR-Tools) and its components (csgraph) are not
    needed, so not imported (a third of the pilot's start)."""
    import json as _json
    import subprocess

    pilot = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"
    data = _json.loads(pilot.read_text(encoding="utf-8"))
    data["fit"] = {"backend": "lexical"}
    path = tmp_path / "pilot.json"
    path.write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = (
        "import sys, json; from jumelage import load_instance, solve; "
        f"r = solve(load_instance(json.load(open({str(path)!r}))), mode='exact'); "
        "print(r.certificate.solver, r.certificate.status, "
        "any(m.startswith('ortools') for m in sys.modules), 'scipy.sparse.csgraph' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["enumeration", "optimal", "False", "False"]

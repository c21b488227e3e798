"""Large mode: national networks (100,000 mentees x 50,000 mentors) with a certified gap.

1. Blocking: when the program asks for the same sector, only (mentee, mentor) pairs of one sector
   are ever compared; inside a block the other hard rules (region policy, a common language, an
   availability overlap) are bit masks compared in numpy, a chunk of mentees at a time.
2. Candidate edges: the union of each mentee's top-k mentors and each mentor's top-K mentees by
   score. A mentee-only top-k loses matches: the popular mentors collect everybody's top-k while
   the others stay empty although some mentee could have used them.
3. Min-cost flow (OR-Tools SimpleMinCostFlow, integer costs) on the candidates, with the
   capacities and "at most one mentee of a region per group".
4. Mentor prices p from the flow (the least dual solution, a Bellman-Ford fixed point in numpy on
   the candidate graph), then one chunked pass over the FULL feasible graph computes
   UB(p) = sum_i max(0, max_j (s_ij - p_j)) + sum_j c_j p_j, which bounds every feasible matching.
   Edges that price out (s_ij - p_j > u_i) are added to the candidates and the flow is solved
   again (column generation) while time remains.
5. Local search (moves and swaps, deterministic rounds of non-conflicting improvements) for the
   mentee-to-mentee shared-themes bonus; the bound adds the bonus a mentee can at most bring.

Everything is deterministic for the same input and seed (ties broken by index).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ENGINE = "jumelage-large"
SCALE = 1_000_000  # integer costs for the flow: scores in micro-points
NEG = np.float32(-np.inf)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


@dataclass
class Problem:
    """The instance as flat arrays: index i = mentee, j = mentor."""

    mentee_ids: list[str]
    mentor_ids: list[str]
    e_sector: np.ndarray
    m_sector: np.ndarray
    e_region: np.ndarray
    m_region: np.ndarray
    e_mrc: np.ndarray
    m_mrc: np.ndarray
    e_lang: np.ndarray
    m_lang: np.ndarray
    e_avail: np.ndarray
    m_avail: np.ndarray
    e_vec: np.ndarray
    m_vec: np.ndarray
    e_themes: np.ndarray  # float32 0/1 matrix (n, n_themes)
    m_themes: np.ndarray
    e_style: np.ndarray
    m_style: np.ndarray
    capacity: np.ndarray
    policy: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    forbidden: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    locks: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    extra: dict = field(default_factory=dict)  # sparse (i, j) -> additive score (rankings...)

    @property
    def n_e(self) -> int:
        return len(self.mentee_ids)

    @property
    def n_m(self) -> int:
        return len(self.mentor_ids)


POLICY_DEFAULTS = {
    "group_size": 2,
    "region_rule": "different_region",
    "sector_rule": "same_sector",
    "mentee_region_rule": "different_region",
    "require_common_language": True,
    "require_availability_overlap": True,
}
WEIGHT_DEFAULTS = {
    "fit": 1.0,
    "themes": 0.5,
    "style": 0.2,
    "ranking": 0.0,
    "preference": 0.0,
    "shared_themes": 0.0,
}


def _codes(values: list, table: dict) -> np.ndarray:
    out = np.empty(len(values), np.int32)
    for n, v in enumerate(values):
        if v is None or v == "":
            out[n] = -1
        else:
            out[n] = table.setdefault(v, len(table))
    return out


def _bits(values: list[list], table: dict) -> np.ndarray:
    out = np.zeros(len(values), np.int64)
    for n, vs in enumerate(values):
        b = 0
        for v in vs or ():
            b |= 1 << table.setdefault(v, len(table))
        out[n] = b
    return out


def build_problem(instance: Any) -> Problem:
    """Flatten an instance (a ``jumelage.model.Instance`` or its JSON dict) into arrays."""
    mentors = list(_get(instance, "mentors", []))
    mentees = list(_get(instance, "mentees", []))
    policy = dict(POLICY_DEFAULTS)
    pol = _get(instance, "policy", {}) or {}
    for key in POLICY_DEFAULTS:
        val = _get(pol, key, None)
        if val is not None:
            policy[key] = val
    weights = dict(WEIGHT_DEFAULTS)
    w = _get(instance, "weights", {}) or {}
    for key in WEIGHT_DEFAULTS:
        val = _get(w, key, None)
        if val is not None:
            weights[key] = float(val)

    tables: dict[str, dict] = {k: {} for k in ("sector", "region", "mrc", "lang", "slot", "style")}
    theme_table: dict = {}
    both = mentees + mentors

    def col(name: str) -> list:
        return [_get(p, name) for p in both]

    sector = _codes(col("sector"), tables["sector"])
    region = _codes(col("region"), tables["region"])
    mrc = _codes(col("mrc"), tables["mrc"])
    lang = _bits(col("languages"), tables["lang"])
    avail = _bits(col("availability"), tables["slot"])
    style = _codes(col("style"), tables["style"])
    themes_lists = col("themes")
    for ts in themes_lists:
        for t in ts or ():
            theme_table.setdefault(t, len(theme_table))
    themes = np.zeros((len(both), max(1, len(theme_table))), np.float32)
    for n, ts in enumerate(themes_lists):
        for t in ts or ():
            themes[n, theme_table[t]] = 1.0
    vecs = col("vector")
    dim = max((len(v) for v in vecs if v), default=1)
    vec = np.zeros((len(both), dim), np.float32)
    for n, v in enumerate(vecs):
        if v:
            a = np.asarray(v, np.float32)
            nrm = float(np.linalg.norm(a))
            if nrm > 0:
                vec[n, : len(a)] = a / nrm
    ne = len(mentees)
    cap = np.array([int(_get(m, "capacity", None) or policy["group_size"]) for m in mentors])
    e_index = {_get(p, "id"): i for i, p in enumerate(mentees)}
    m_index = {_get(p, "id"): j for j, p in enumerate(mentors)}

    def pairs(name: str) -> np.ndarray:
        out = []
        for item in _get(instance, name, []) or []:
            a = _get(item, "mentee", None)
            b = _get(item, "mentor", None)
            if a is None and isinstance(item, list | tuple) and len(item) == 2:
                a, b = item
            if a in e_index and b in m_index:
                out.append((e_index[a], m_index[b]))
            elif b in e_index and a in m_index:
                out.append((e_index[b], m_index[a]))
        return np.array(sorted(set(out)), np.int64).reshape(-1, 2)

    forbidden = np.concatenate([pairs("exclusions"), pairs("forbidden")])
    return Problem(
        mentee_ids=[_get(p, "id") for p in mentees],
        mentor_ids=[_get(p, "id") for p in mentors],
        e_sector=sector[:ne],
        m_sector=sector[ne:],
        e_region=region[:ne],
        m_region=region[ne:],
        e_mrc=mrc[:ne],
        m_mrc=mrc[ne:],
        e_lang=lang[:ne],
        m_lang=lang[ne:],
        e_avail=avail[:ne],
        m_avail=avail[ne:],
        e_vec=vec[:ne],
        m_vec=vec[ne:],
        e_themes=themes[:ne],
        m_themes=themes[ne:],
        e_style=style[:ne],
        m_style=style[ne:],
        capacity=cap.astype(np.int64),
        policy=policy,
        weights=weights,
        forbidden=np.unique(forbidden, axis=0) if len(forbidden) else forbidden,
        locks=pairs("locks"),
    )


# --------------------------------------------------------------------------- scores and rules


def feasible_block(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Hard rules for every (ei[a], mj[b]) as a boolean matrix (exclusions not included)."""
    pol = P.policy
    ok = np.ones((len(ei), len(mj)), bool)
    if pol["sector_rule"] == "same_sector":
        ok &= P.e_sector[ei][:, None] == P.m_sector[mj][None, :]
    rr = pol["region_rule"]
    if rr == "different_region":
        ok &= P.e_region[ei][:, None] != P.m_region[mj][None, :]
    elif rr == "same_region_different_mrc":
        ok &= P.e_region[ei][:, None] == P.m_region[mj][None, :]
        ok &= P.e_mrc[ei][:, None] != P.m_mrc[mj][None, :]
    if pol["require_common_language"]:
        ok &= (P.e_lang[ei][:, None] & P.m_lang[mj][None, :]) != 0
    if pol["require_availability_overlap"]:
        ok &= (P.e_avail[ei][:, None] & P.m_avail[mj][None, :]) != 0
    return ok


def feasible_pairs(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Hard rules for the pairs (ei[n], mj[n]), exclusions and forbidden pairs included."""
    pol = P.policy
    ok = np.ones(len(ei), bool)
    if pol["sector_rule"] == "same_sector":
        ok &= P.e_sector[ei] == P.m_sector[mj]
    rr = pol["region_rule"]
    if rr == "different_region":
        ok &= P.e_region[ei] != P.m_region[mj]
    elif rr == "same_region_different_mrc":
        ok &= (P.e_region[ei] == P.m_region[mj]) & (P.e_mrc[ei] != P.m_mrc[mj])
    if pol["require_common_language"]:
        ok &= (P.e_lang[ei] & P.m_lang[mj]) != 0
    if pol["require_availability_overlap"]:
        ok &= (P.e_avail[ei] & P.m_avail[mj]) != 0
    if len(P.forbidden):
        key = ei.astype(np.int64) * P.n_m + mj
        fkey = P.forbidden[:, 0] * P.n_m + P.forbidden[:, 1]
        ok &= ~np.isin(key, fkey)
    return ok


def _theme_norm(T: np.ndarray) -> np.ndarray:
    return 1.0 / np.maximum(T.sum(axis=1), 1.0)


def score_block(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Pair scores for every (ei[a], mj[b]) as float32 (no feasibility)."""
    w = P.weights
    S = (P.e_vec[ei] * np.float32(w["fit"])) @ P.m_vec[mj].T
    if w["themes"]:
        et = P.e_themes[ei] * (_theme_norm(P.e_themes[ei]) * w["themes"])[:, None]
        S += et.astype(np.float32) @ P.m_themes[mj].T
    if w["style"]:
        S += np.float32(w["style"]) * (
            (P.e_style[ei][:, None] != P.m_style[mj][None, :])
            & (P.e_style[ei][:, None] >= 0)
            & (P.m_style[mj][None, :] >= 0)
        )
    return S


def score_pairs(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Pair scores for the pairs (ei[n], mj[n]) (float64)."""
    w = P.weights
    s = w["fit"] * np.einsum("nd,nd->n", P.e_vec[ei], P.m_vec[mj], dtype=np.float64)
    if w["themes"]:
        inter = np.einsum("nd,nd->n", P.e_themes[ei], P.m_themes[mj], dtype=np.float64)
        s += w["themes"] * inter * _theme_norm(P.e_themes[ei])
    if w["style"]:
        s += w["style"] * (
            (P.e_style[ei] != P.m_style[mj]) & (P.e_style[ei] >= 0) & (P.m_style[mj] >= 0)
        )
    return s


def shared_bonus(P: Problem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Shared-themes bonus between mentees a[n] and b[n] of one group."""
    w = P.weights["shared_themes"]
    if not w:
        return np.zeros(len(a))
    inter = np.einsum("nd,nd->n", P.e_themes[a], P.e_themes[b], dtype=np.float64)
    size = np.maximum(np.minimum(P.e_themes[a].sum(1), P.e_themes[b].sum(1)), 1.0)
    return w * inter / size


def bonus_cap(P: Problem) -> np.ndarray:
    """Per mentee, an upper bound on the shared-themes bonus its group can bring it (half of the
    best bonus with any partner: the pair's bonus is split evenly between the two mentees)."""
    w = P.weights["shared_themes"]
    if not w or int(P.policy["group_size"]) < 2:
        return np.zeros(P.n_e)
    return np.full(P.n_e, 0.5 * w) * (P.e_themes.sum(1) > 0)


# --------------------------------------------------------------------------- blocks


def blocks(P: Problem) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(mentee indices, mentor indices, mentee region code) of the blocks holding feasible pairs.

    Mentees are grouped by (sector, region); a block's mentors are those of the same sector (if
    the program asks for it) and of an admissible region, so incompatible blocks are never
    compared. The region code lets the bound use the per-(mentor, region) prices.
    """
    pol = P.policy
    e_sec = P.e_sector if pol["sector_rule"] == "same_sector" else np.zeros(P.n_e, np.int32)
    m_sec = P.m_sector if pol["sector_rule"] == "same_sector" else np.zeros(P.n_m, np.int32)
    rr = pol["region_rule"]
    out = []
    e_order = np.lexsort((P.e_region, e_sec))
    m_order = np.argsort(m_sec, kind="stable")
    es, er = e_sec[e_order], P.e_region[e_order]
    cut = np.nonzero(np.r_[True, (es[1:] != es[:-1]) | (er[1:] != er[:-1]), True])[0]
    ms = m_sec[m_order]
    for a, b in zip(cut[:-1], cut[1:], strict=True):
        sec, reg = es[a], er[a]
        if sec < 0 and pol["sector_rule"] == "same_sector":
            continue
        lo, hi = np.searchsorted(ms, [sec, sec + 1])
        J = m_order[lo:hi]
        if rr == "different_region":
            J = J[P.m_region[J] != reg]
        elif rr == "same_region_different_mrc":
            J = J[P.m_region[J] == reg]
        if len(J):
            out.append((e_order[a:b], J, int(reg)))
    return out


def _forbidden_lookup(P: Problem):
    if not len(P.forbidden):
        return None
    order = np.argsort(P.forbidden[:, 0], kind="stable")
    return P.forbidden[order]


def _apply_forbidden(S: np.ndarray, I: np.ndarray, J: np.ndarray, fb) -> None:
    if fb is None:
        return
    lo, hi = np.searchsorted(fb[:, 0], [I.min(), I.max() + 1])
    if lo == hi:
        return
    sub = fb[lo:hi]
    rows = {int(v): r for r, v in enumerate(I)}
    cols = {int(v): c for c, v in enumerate(J)}
    for i, j in sub:
        r = rows.get(int(i))
        c = cols.get(int(j))
        if r is not None and c is not None:
            S[r, c] = NEG


def chunk_scores(P: Problem, I: np.ndarray, J: np.ndarray, fb=None) -> np.ndarray:
    """Scores of a chunk with -inf on infeasible pairs."""
    S = score_block(P, I, J)
    ok = feasible_block(P, I, J)
    S[~ok] = NEG
    _apply_forbidden(S, I, J, fb)
    return S


def _chunk_size(n_cols: int, budget: int = 24_000_000) -> int:
    return int(max(64, min(8192, budget // max(1, n_cols))))


# --------------------------------------------------------------------------- candidates


def candidate_edges(
    P: Problem, *, k: int = 8, K: int = 8, mentor_side: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Union of each mentee's top-k and (if mentor_side) each mentor's top-K feasible edges."""
    fb = _forbidden_lookup(P)
    out_i, out_j = [], []
    thr = np.full(P.n_m, NEG, np.float32)
    buf_i: list[np.ndarray] = []
    buf_j: list[np.ndarray] = []
    buf_s: list[np.ndarray] = []
    buffered = 0
    for I_all, J, _reg in blocks(P):
        cs = _chunk_size(len(J))
        kk = min(k, len(J))
        for start in range(0, len(I_all), cs):
            I = I_all[start : start + cs]
            S = chunk_scores(P, I, J, fb)
            if kk < len(J):
                top = np.argpartition(-S, kk - 1, axis=1)[:, :kk]
            else:
                top = np.broadcast_to(np.arange(len(J)), (len(I), len(J)))
            vals = np.take_along_axis(S, top, axis=1)
            good = vals > NEG
            rows = np.broadcast_to(np.arange(len(I))[:, None], top.shape)
            out_i.append(I[rows[good]])
            out_j.append(J[top[good]])
            if not mentor_side:
                continue
            r, c = np.nonzero(S > thr[J][None, :])
            if len(r):
                buf_i.append(I[r])
                buf_j.append(J[c])
                buf_s.append(S[r, c])
                buffered += len(r)
            if buffered > 4 * K * P.n_m + 1_000_000:
                buf_i, buf_j, buf_s, thr = _prune_mentor_top(buf_i, buf_j, buf_s, K, P.n_m)
                buffered = len(buf_i[0])
    if mentor_side and buf_i:
        buf_i, buf_j, buf_s, thr = _prune_mentor_top(buf_i, buf_j, buf_s, K, P.n_m)
        out_i.append(buf_i[0])
        out_j.append(buf_j[0])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ei = np.concatenate(out_i).astype(np.int64)
    mj = np.concatenate(out_j).astype(np.int64)
    key = np.unique(ei * P.n_m + mj)
    return key // P.n_m, key % P.n_m


def _prune_mentor_top(buf_i, buf_j, buf_s, K: int, n_m: int):
    """Keep each mentor's K best buffered edges; return the new per-mentor thresholds."""
    bi = np.concatenate(buf_i).astype(np.int64)
    bj = np.concatenate(buf_j).astype(np.int64)
    bs = np.concatenate(buf_s)
    order = np.lexsort((bi, -bs, bj))
    bi, bj, bs = bi[order], bj[order], bs[order]
    first = np.searchsorted(bj, bj, side="left")
    keep = (np.arange(len(bj)) - first) < K
    bi, bj, bs = bi[keep], bj[keep], bs[keep]
    counts = np.bincount(bj, minlength=n_m)
    last = np.searchsorted(bj, np.arange(n_m), side="right") - 1
    thr = np.where(counts >= K, bs[np.maximum(last, 0)] if len(bs) else NEG, NEG)
    return [bi], [bj], [bs], thr.astype(np.float32)


def all_feasible_edges(P: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Every feasible edge (for the exact baselines), chunked."""
    fb = _forbidden_lookup(P)
    out_i, out_j = [], []
    for I_all, J, _reg in blocks(P):
        cs = _chunk_size(len(J))
        for start in range(0, len(I_all), cs):
            I = I_all[start : start + cs]
            ok = feasible_block(P, I, J)
            if fb is not None:
                S = np.zeros(ok.shape, np.float32)
                S[~ok] = NEG
                _apply_forbidden(S, I, J, fb)
                ok = S > NEG
            r, c = np.nonzero(ok)
            out_i.append(I[r])
            out_j.append(J[c])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ei = np.concatenate(out_i).astype(np.int64)
    mj = np.concatenate(out_j).astype(np.int64)
    order = np.lexsort((mj, ei))
    return ei[order], mj[order]


# --------------------------------------------------------------------------- flow


def solve_flow(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    *,
    class_limit: bool | None = None,
    capacity: np.ndarray | None = None,
    skip_mentees: np.ndarray | None = None,
) -> np.ndarray:
    """Max-score b-matching on the given edges with OR-Tools min-cost flow.

    Returns a boolean array: which edges are used. With ``class_limit`` (default: the policy's
    mentee_region_rule), at most one mentee of a region per mentor: an intermediate node
    (mentor, region) with capacity 1, created only where two candidate edges share it.
    """
    from ortools.graph.python import min_cost_flow

    if class_limit is None:
        class_limit = P.policy["mentee_region_rule"] == "different_region"
    cap = P.capacity if capacity is None else capacity
    use = s > 0
    if skip_mentees is not None:
        use &= ~skip_mentees[ei]
    idx = np.nonzero(use)[0]
    if not len(idx):
        return np.zeros(len(ei), bool)
    n_e, n_m = P.n_e, P.n_m
    src, snk = n_e + n_m, n_e + n_m + 1
    tails, heads, caps, costs = [], [], [], []
    e_used = np.unique(ei[idx])
    m_used = np.unique(mj[idx])
    tails.append(np.full(len(e_used), src))
    heads.append(e_used)
    caps.append(np.ones(len(e_used), np.int64))
    costs.append(np.zeros(len(e_used), np.int64))
    # the edge arcs
    cost = -np.rint(s[idx] * SCALE).astype(np.int64)
    head = n_e + mj[idx]
    if class_limit:
        cls = P.e_region[ei[idx]].astype(np.int64)
        gkey = mj[idx] * (int(P.e_region.max(initial=0)) + 2) + (cls + 1)
        uniq, inv, cnt = np.unique(gkey, return_inverse=True, return_counts=True)
        shared = cnt[inv] > 1
        node_of = np.full(len(uniq), -1, np.int64)
        need = np.nonzero(cnt > 1)[0]
        node_of[need] = snk + 1 + np.arange(len(need))
        head = np.where(shared, node_of[inv], head)
        # (mentor, class) -> mentor, capacity 1
        first = np.zeros(len(uniq), np.int64)
        first[inv[::-1]] = np.arange(len(idx))[::-1]
        tails.append(node_of[need])
        heads.append(n_e + mj[idx][first[need]])
        caps.append(np.ones(len(need), np.int64))
        costs.append(np.zeros(len(need), np.int64))
    n_fixed_arcs = len(e_used)
    tails.insert(1, ei[idx])
    heads.insert(1, head)
    caps.insert(1, np.ones(len(idx), np.int64))
    costs.insert(1, cost)
    # mentors -> sink, mentee -> sink (left unmatched)
    tails.append(n_e + m_used)
    heads.append(np.full(len(m_used), snk))
    caps.append(cap[m_used].astype(np.int64))
    costs.append(np.zeros(len(m_used), np.int64))
    tails.append(e_used)
    heads.append(np.full(len(e_used), snk))
    caps.append(np.ones(len(e_used), np.int64))
    costs.append(np.zeros(len(e_used), np.int64))
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = f.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps),
        np.concatenate(costs),
    )
    supplies = np.zeros(int(max(np.concatenate(heads).max(), snk)) + 1, np.int64)
    supplies[src] = len(e_used)
    supplies[snk] = -len(e_used)
    f.set_nodes_supplies(np.arange(len(supplies), dtype=np.int32), supplies)
    status = f.solve()
    if status != f.OPTIMAL:
        raise RuntimeError(f"min cost flow status {status}")
    flows = f.flows(arcs[n_fixed_arcs : n_fixed_arcs + len(idx)])
    used = np.zeros(len(ei), bool)
    used[idx] = flows > 0
    return used


# --------------------------------------------------------------------------- prices and bound


def _group_max(keys: np.ndarray, vals: np.ndarray, size: int, fill: int) -> np.ndarray:
    out = np.full(size, fill, np.int64)
    if len(keys):
        np.maximum.at(out, keys, vals)
    return out


class _Grouped:
    """max of values by key, reusing one sort (np.maximum.reduceat is much faster than .at)."""

    def __init__(self, keys: np.ndarray):
        self.order = np.argsort(keys, kind="stable")
        k = keys[self.order]
        self.starts = np.nonzero(np.r_[True, k[1:] != k[:-1]])[0] if len(k) else k
        self.heads = k[self.starts] if len(k) else k

    def max(self, vals: np.ndarray, size: int, fill: int) -> np.ndarray:
        out = np.full(size, fill, np.int64)
        if len(self.heads):
            out[self.heads] = np.maximum.reduceat(vals[self.order], self.starts)
        return out


def mentor_prices(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    *,
    class_limit: bool | None = None,
    max_iter: int = 5000,
) -> tuple[np.ndarray, np.ndarray]:
    """Least dual solution in complementary slackness with the optimal matching ``used``.

    Returns (p, q): mentor prices p_j >= 0 and per (mentor, mentee region) prices q_jr >= 0 for
    "at most one mentee of a region per group" (zeros without that rule). The dual is
    u_i + p_j + q_j,r(i) >= s_ij, minimising sum u + sum c p + sum q. Fixed point (Bellman-Ford on
    the residual graph, vectorised, integer micro-points so it converges exactly): u_i is what
    i gets at its own mentor, 0 if unmatched; p_j = 0 if j has a free slot, else the most an
    unused edge into one of j's free classes asks for; q_jr > 0 only where class r is taken at j.
    Any p, q >= 0 give a valid bound; these make it tight on the candidate graph.
    """
    if class_limit is None:
        class_limit = P.policy["mentee_region_rule"] == "different_region"
    n_r = int(P.e_region.max(initial=0)) + 2
    w = np.rint(s * SCALE).astype(np.int64)
    cls = P.e_region[ei].astype(np.int64) + 1
    load = np.bincount(mj[used], minlength=P.n_m)
    full = load >= capacity
    m_of = np.full(P.n_e, -1, np.int64)
    w_of = np.zeros(P.n_e, np.int64)
    m_of[ei[used]] = mj[used]
    w_of[ei[used]] = w[used]
    matched = m_of >= 0
    jr = mj * n_r + cls
    sat = np.zeros(P.n_m * n_r, bool)
    if class_limit:
        sat[jr[used]] = True
    other = ~used & (w > 0)
    in_sat = other & sat[jr]
    in_free = other & ~sat[jr] & full[mj]
    a_i, a_w = ei[in_free], w[in_free]
    b_i, b_w = ei[in_sat], w[in_sat]
    ga = _Grouped(mj[in_free])
    gb = _Grouped(jr[in_sat])
    ceil_jr = np.full(P.n_m * n_r, np.iinfo(np.int64).max // 4)
    np.minimum.at(ceil_jr, jr[used], w[used])
    e_jr = np.where(matched, m_of * n_r + P.e_region + 1, 0)
    p = np.zeros(P.n_m, np.int64)
    pi_jr = np.zeros(P.n_m * n_r, np.int64)  # p_j + q_jr where class r is taken at j
    for _ in range(max_iter):
        price_own = np.where(sat[e_jr], pi_jr[e_jr], p[np.maximum(m_of, 0)])
        u = np.where(matched, w_of - price_own, 0)
        newp = np.maximum(ga.max(a_w - u[a_i], P.n_m, 0), 0)
        newp[~full] = 0
        newpi = gb.max(b_w - u[b_i], P.n_m * n_r, 0)
        newpi = np.maximum(newpi, np.repeat(newp, n_r))
        newpi = np.minimum(newpi, ceil_jr)
        newpi[~sat] = 0
        newp = np.minimum(newp, ceil_jr.reshape(P.n_m, n_r).min(axis=1))
        if np.array_equal(newp, p) and np.array_equal(newpi, pi_jr):
            break
        p, pi_jr = newp, newpi
    q = np.where(sat, pi_jr - np.repeat(p, n_r), 0).reshape(P.n_m, n_r)
    return p.astype(np.float64) / SCALE, np.maximum(q, 0).astype(np.float64) / SCALE


def upper_bound_pass(
    P: Problem,
    p: np.ndarray,
    q: np.ndarray | None = None,
    *,
    u: np.ndarray | None = None,
    add: np.ndarray | None = None,
    collect: int = 0,
    tol: float = 1e-6,
) -> tuple[float, np.ndarray, np.ndarray]:
    """One chunked pass over the full feasible graph.

    Returns (sum_i max(0, max_j (s_ij + add_i - p_j - q_j,r(i))), and, if ``collect``, up to
    ``collect`` edges per mentee and block whose reduced cost exceeds u_i + tol (they price out).
    """
    fb = _forbidden_lookup(P)
    best = np.full(P.n_e, -np.inf)
    pi, pj = [], []
    p32 = p.astype(np.float32)
    for I_all, J, reg in blocks(P):
        cs = _chunk_size(len(J))
        price = p32[J]
        if q is not None:
            price = price + q[J, reg + 1].astype(np.float32)
        for start in range(0, len(I_all), cs):
            I = I_all[start : start + cs]
            R = chunk_scores(P, I, J, fb)
            R -= price[None, :]
            rowmax = R.max(axis=1).astype(np.float64)
            best[I] = np.maximum(best[I], rowmax)
            if collect and u is not None:
                viol = rowmax > u[I] + tol
                if viol.any():
                    rows = np.nonzero(viol)[0]
                    Rv = R[rows]
                    kk = min(collect, len(J))
                    top = np.argpartition(-Rv, kk - 1, axis=1)[:, :kk] if kk < len(J) else None
                    if top is None:
                        top = np.broadcast_to(np.arange(len(J)), (len(rows), len(J)))
                    vals = np.take_along_axis(Rv, top, axis=1)
                    ok = vals > (u[I[rows]] + tol)[:, None]
                    rr = np.broadcast_to(rows[:, None], top.shape)
                    pi.append(I[rr[ok]])
                    pj.append(J[top[ok]])
    if add is not None:
        best = np.where(best > -np.inf, best + add, best)
    total = float(np.maximum(best, 0).sum())
    if pi:
        return total, np.concatenate(pi).astype(np.int64), np.concatenate(pj).astype(np.int64)
    return total, np.zeros(0, np.int64), np.zeros(0, np.int64)


# --------------------------------------------------------------------------- local search


def local_search(
    P: Problem,
    assign: np.ndarray,
    cand_i: np.ndarray,
    cand_j: np.ndarray,
    *,
    seed: int,
    locked: np.ndarray,
    deadline: float,
    rounds: int = 30,
) -> np.ndarray:
    """Improve pair scores + shared-themes bonus by moves and swaps along candidate edges.

    Each round evaluates, for every candidate edge (i, b) with i matched at a != b, the move of i
    to b (if b has a free slot) or its swap with one of b's mentees, all in numpy; then applies a
    set of improving, non-conflicting changes (every mentor and mentee touched at most once),
    best first. Deterministic: the seed only orders ties.
    """
    if not P.weights["shared_themes"] or int(P.policy["group_size"]) < 2:
        return assign
    rng = np.random.default_rng(seed)
    assign = assign.copy()
    n_m = P.n_m
    cap = P.capacity
    tie = rng.permutation(len(cand_i)).astype(np.float64) * 1e-12
    class_limit = P.policy["mentee_region_rule"] == "different_region"
    for _ in range(rounds):
        if time.monotonic() > deadline:
            break
        members = _members(assign, n_m)
        load = np.array([len(x) for x in members])
        sel = (assign[cand_i] >= 0) & (assign[cand_i] != cand_j) & ~locked[cand_i]
        ci, cb = cand_i[sel], cand_j[sel]
        if not len(ci):
            break
        ca = assign[ci]
        # group value of a mentor = sum of pair scores + bonus of its mentees
        gain_all, kind, partner = [], [], []
        # moves into a free slot
        mv = load[cb] < cap[cb]
        if mv.any():
            i, a, b = ci[mv], ca[mv], cb[mv]
            d = _move_delta(P, members, assign, i, a, b, class_limit)
            gain_all.append(d)
            kind.append(np.zeros(len(i), np.int8))
            partner.append(np.stack([i, b, np.full(len(i), -1)], 1))
        # swaps with each mentee of b (groups of up to 2, so 2 slots)
        for slot in range(2):
            has = load[cb] > slot
            i, a, b = ci[has], ca[has], cb[has]
            other = np.array([members[x][slot] for x in b], np.int64)
            ok = ~locked[other]
            i, a, b, other = i[ok], a[ok], b[ok], other[ok]
            d = _swap_delta(P, members, assign, i, a, b, other, class_limit)
            gain_all.append(d)
            kind.append(np.ones(len(i), np.int8))
            partner.append(np.stack([i, b, other], 1))
        gain = np.concatenate(gain_all)
        trip = np.concatenate(partner)
        if not len(gain):
            break
        good = gain > 1e-9
        if not good.any():
            break
        gi = np.nonzero(good)[0]
        order = gi[np.argsort(-(gain[gi] + tie[gi % len(tie)]), kind="stable")]
        touched_m = np.zeros(n_m, bool)
        touched_e = np.zeros(P.n_e, bool)
        changed = 0
        for t in order:
            i, b, o = trip[t]
            a = assign[i]
            if touched_m[a] or touched_m[b] or touched_e[i] or (o >= 0 and touched_e[o]):
                continue
            if o < 0:
                assign[i] = b
            else:
                assign[i], assign[o] = b, a
            touched_m[[a, b]] = True
            touched_e[i] = True
            if o >= 0:
                touched_e[o] = True
            changed += 1
        if not changed:
            break
    return assign


def _members(assign: np.ndarray, n_m: int) -> list[list[int]]:
    members: list[list[int]] = [[] for _ in range(n_m)]
    for i in np.nonzero(assign >= 0)[0]:
        members[assign[i]].append(int(i))
    return members


def _others(members: list[list[int]], groups: np.ndarray, exclude: np.ndarray) -> np.ndarray:
    """For each n, the member of groups[n] other than exclude[n] (groups of at most 2), or -1."""
    out = np.full(len(groups), -1, np.int64)
    for n, (g, x) in enumerate(zip(groups.tolist(), exclude.tolist(), strict=True)):
        for y in members[g]:
            if y != x:
                out[n] = y
                break
    return out


def _bonus_or_zero(P: Problem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a))
    ok = (a >= 0) & (b >= 0)
    if ok.any():
        out[ok] = shared_bonus(P, a[ok], b[ok])
    return out


def _class_ok(P: Problem, a: np.ndarray, b: np.ndarray, on: bool) -> np.ndarray:
    if not on:
        return np.ones(len(a), bool)
    return (a < 0) | (b < 0) | (P.e_region[np.maximum(a, 0)] != P.e_region[np.maximum(b, 0)])


def _move_delta(P, members, assign, i, a, b, class_limit) -> np.ndarray:
    if any(len(members[x]) > 2 for x in np.unique(np.r_[a, b])):
        return np.full(len(i), -np.inf)
    x = _others(members, a, i)  # i's partner at a
    y = _others(members, b, np.full(len(b), -1))  # b's current mentee (if any)
    d = score_pairs(P, i, b) - score_pairs(P, i, a)
    d += _bonus_or_zero(P, i, y) - _bonus_or_zero(P, i, x)
    ok = feasible_pairs(P, i, b) & _class_ok(P, i, y, class_limit)
    return np.where(ok, d, -np.inf)


def _swap_delta(P, members, assign, i, a, b, o, class_limit) -> np.ndarray:
    if any(len(members[x]) > 2 for x in np.unique(np.r_[a, b])):
        return np.full(len(i), -np.inf)
    x = _others(members, a, i)  # i's partner at a
    y = _others(members, b, o)  # o's partner at b
    d = score_pairs(P, i, b) + score_pairs(P, o, a) - score_pairs(P, i, a) - score_pairs(P, o, b)
    d += _bonus_or_zero(P, i, y) + _bonus_or_zero(P, o, x)
    d -= _bonus_or_zero(P, i, x) + _bonus_or_zero(P, o, y)
    ok = feasible_pairs(P, i, b) & feasible_pairs(P, o, a)
    ok &= _class_ok(P, i, y, class_limit) & _class_ok(P, o, x, class_limit)
    return np.where(ok, d, -np.inf)


# --------------------------------------------------------------------------- objective


def objective(P: Problem, assign: np.ndarray) -> tuple[float, float]:
    """(sum of pair scores, sum of shared-themes bonuses) of an assignment."""
    i = np.nonzero(assign >= 0)[0]
    linear = float(score_pairs(P, i, assign[i]).sum()) if len(i) else 0.0
    bonus = 0.0
    if P.weights["shared_themes"] and len(i):
        order = np.argsort(assign[i], kind="stable")
        ii, mm = i[order], assign[i][order]
        same = np.nonzero(mm[1:] == mm[:-1])[0]
        # groups of k mentees: every pair in a group (k <= 3 in practice)
        a_list, b_list = [], []
        for gap in range(1, int(P.policy["group_size"])):
            same = np.nonzero(mm[gap:] == mm[:-gap])[0]
            a_list.append(ii[same])
            b_list.append(ii[same + gap])
        a = np.concatenate(a_list)
        b = np.concatenate(b_list)
        bonus = float(shared_bonus(P, a, b).sum())
    return linear, bonus


# --------------------------------------------------------------------------- driver


@dataclass
class LargeOutcome:
    assign: np.ndarray  # mentor index per mentee, -1 if unmatched
    linear: float
    bonus: float
    upper_bound: float
    seconds: float
    n_candidates: int
    rounds: int
    stats: dict


def solve_arrays(
    P: Problem,
    *,
    time_limit: float = 120.0,
    seed: int = 0,
    k: int = 8,
    K: int = 8,
    mentor_side: bool = True,
    pricing_rounds: int = 3,
    target_gap: float = 0.002,
) -> LargeOutcome:
    """The large-mode pipeline on a Problem."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    stats: dict = {}
    assign = np.full(P.n_e, -1, np.int64)
    locked = np.zeros(P.n_e, bool)
    cap = P.capacity.astype(np.int64).copy()
    if len(P.locks):
        li, lj = P.locks[:, 0], P.locks[:, 1]
        assign[li] = lj
        locked[li] = True
        np.subtract.at(cap, lj, 1)
        cap = np.maximum(cap, 0)
    ci, cj = candidate_edges(P, k=k, K=K, mentor_side=mentor_side)
    stats["candidates_s"] = round(time.monotonic() - t0, 2)
    add = bonus_cap(P)
    used = np.zeros(0, bool)
    ub_lin = np.inf
    rounds = 0
    while True:
        rounds += 1
        cs = score_pairs(P, ci, cj)
        keep = ~locked[ci]
        ci, cj, cs = ci[keep], cj[keep], cs[keep]
        t1 = time.monotonic()
        used = solve_flow(P, ci, cj, cs, capacity=cap)
        stats.setdefault("flow_s", []).append(round(time.monotonic() - t1, 2))
        t1 = time.monotonic()
        p, q = mentor_prices(P, ci, cj, cs, used, cap)
        u = np.zeros(P.n_e)
        u[ci[used]] = cs[used] - p[cj[used]] - q[cj[used], P.e_region[ci[used]] + 1]
        stats.setdefault("prices_s", []).append(round(time.monotonic() - t1, 2))
        t1 = time.monotonic()
        collect = 4 if rounds <= pricing_rounds else 0
        ub_sum, vi, vj = upper_bound_pass(P, p, q, u=u, add=add, collect=collect)
        ub_round = ub_sum + float((cap * p).sum() + q.sum()) + _locked_value(P, assign, locked)
        ub_lin = min(ub_lin, ub_round)
        stats.setdefault("bound_pass_s", []).append(round(time.monotonic() - t1, 2))
        lin_now = float(cs[used].sum())
        stats.setdefault("linear_objective", []).append(round(lin_now, 4))
        stats.setdefault("upper_bound", []).append(round(ub_round, 4))
        elapsed = time.monotonic() - t0
        per_round = elapsed / rounds
        gap_now = (ub_lin - lin_now - add[ci[used]].sum()) / max(ub_lin, 1e-9)
        if not len(vi) or rounds > pricing_rounds or gap_now <= target_gap:
            break
        if time.monotonic() + 1.5 * per_round > deadline - 0.1 * time_limit:
            break
        key = np.unique(np.r_[ci * P.n_m + cj, vi * P.n_m + vj])
        ci, cj = key // P.n_m, key % P.n_m
    assign[ci[used]] = cj[used]
    stats["violations_last"] = int(len(vi))
    t1 = time.monotonic()
    assign = local_search(P, assign, ci, cj, seed=seed, locked=locked, deadline=deadline)
    stats["local_search_s"] = round(time.monotonic() - t1, 2)
    linear, bonus = objective(P, assign)
    # the bound: pair scores + at most each matched mentee's share of a bonus, or the brief's
    # cruder "max pair bonus x number of pairs that could form", whichever is smaller
    ub = ub_lin
    w = P.weights["shared_themes"]
    if w and int(P.policy["group_size"]) >= 2:
        crude = ub_lin - float(add.sum()) * 0  # ub_lin already includes the per-mentee share
        pairs = min(int((P.capacity >= 2).sum()), P.n_e // 2)
        ub = min(ub, crude, _ub_without_add(stats) + w * pairs)
    return LargeOutcome(
        assign=assign,
        linear=linear,
        bonus=bonus,
        upper_bound=ub,
        seconds=time.monotonic() - t0,
        n_candidates=len(ci),
        rounds=rounds,
        stats=stats,
    )


def _ub_without_add(stats: dict) -> float:
    return float("inf")


def _locked_value(P: Problem, assign: np.ndarray, locked: np.ndarray) -> float:
    i = np.nonzero(locked)[0]
    if not len(i):
        return 0.0
    return float(score_pairs(P, i, assign[i]).sum())

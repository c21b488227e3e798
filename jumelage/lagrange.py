"""A Lagrangian bound for the shared-theme bonus (exact and large modes).

The objective couples mentees through the bonus w × Jaccard(a, b) of two mentees of one group,
which no flow dual can price. Relax "each mentee in at most one group" with a price u_i >= 0
per mentee: the problem falls apart by mentor, and for every u

    L(u) = Σ_i u_i + Σ_j V_j(u),   V_j(u) = max over groups G that mentor j may take of
           Σ_{i in G} (s_ij + lam - u_i) + Σ_{a < b in G} bonus(a, b)

bounds Σ (s + lam) + Σ bonus of every matching (lam is the per-match shift of the lexicographic
objective; the caller subtracts lam × matched). Subgradient steps (Polyak's rule towards the best
known objective) lower L; the smallest L seen is the bound.

V_j is computed on the edges given (the whole feasible graph in exact mode, the large mode's
pool). An edge left out must not be able to add anything: the caller passes ``floor``, and u_i is
never set below it, with floor_i >= (best score of i outside the edges) + lam + (group size - 1)
× i's largest pair bonus, so a left-out mentee brings at most 0 to any group (the pair bonuses it
takes part in are counted as its own). ``floor`` = -inf where the edges hold i's whole row.

For a mentor with 2 seats V_j is exact on a fixed set of TOP edges (its best at the starting
prices; their pair bonuses are computed once), and a pair with a mentee b outside that set is
bounded by r_(1) + max over the rest of (r_b + b's largest pair bonus). A mentor with 3 or
more seats takes the sum of its best positive r_i + (seats - 1)/2 × i's largest pair bonus (each
pair's bonus split between its two mentees): looser, still valid.

The primal side (groups of 2): ``better_groups`` = ``repack`` (a set-packing program on the
groups the prices favour: LP, then branch and bound piece by piece), ``complete`` (a flow that
restores the most mentees around chosen groups) and ``polish`` (anchor reassignment by max
flow), then the large mode's local search. The bound never depends on them; they only raise the
objective it is compared with, at the same number of matches.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

TOP = 24
# (edge outside a 2-seat mentor's set) × (member of the set) bonuses kept for the tight outside
# term (float64: 8 bytes each); a mentor's outside edges beyond that share keep the loose term
TIGHT_PAIRS = 6_000_000


@dataclass
class LagrangeBound:
    bound: float  # upper bound on Σ (s + lam) + Σ bonus over every matching of the edges' graph
    iterations: int
    seconds: float
    history: list[float]
    u: np.ndarray | None = None  # the prices of the smallest L
    fixed: _Fixed | None = None  # the per-mentor sets, for ``evaluate_columns``


def group_bound(
    n_e: int,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    cap: np.ndarray,
    *,
    pair_bonus: Callable[[np.ndarray, np.ndarray], np.ndarray],
    best_bonus: np.ndarray,
    same_class: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    floor: np.ndarray | None = None,
    u0: np.ndarray | None = None,
    target: float | None = None,
    iterations: int = 100,
    deadline: float | None = None,
    top: int = TOP,
    tight_pairs: int = TIGHT_PAIRS,
    tight_steps: bool = True,
) -> LagrangeBound:
    """The Lagrangian bound of the module docstring.

    ei, mj, s: edges (mentee, mentor, shifted score s + lam); cap: seats per mentor;
    best_bonus[i]: the largest bonus i can form with any partner; same_class(a, b): pairs that
    may not share a group (the class limit of 1), or None; floor: the least mentee price (see
    the module docstring); u0: a starting price (the flow's duals make a good one); target: the
    best objective known (Polyak's step); deadline: time.monotonic() to stop at; tight_pairs:
    the size of the tight outside term (``_Fixed``); tight_steps=False: the steps use the loose
    outside term only (``evaluate_columns`` keeps the tight one).
    """
    t0 = time.monotonic()
    ei = np.asarray(ei, np.int64)
    mj = np.asarray(mj, np.int64)
    s = np.asarray(s, np.float64)
    cap = np.asarray(cap, np.int64)
    best_bonus = np.asarray(best_bonus, np.float64)
    lo = np.zeros(n_e)
    if floor is not None:
        lo = np.maximum(np.where(np.isfinite(floor), floor, 0.0), 0.0)
    u = lo.copy() if u0 is None else np.maximum(np.asarray(u0, np.float64), lo)
    keep = cap[mj] > 0
    ei, mj, s = ei[keep], mj[keep], s[keep]
    order = np.lexsort((ei, mj))
    ei, mj, s = ei[order], mj[order], s[order]
    F = _Fixed(n_e, ei, mj, s, cap, u, pair_bonus, best_bonus, same_class, top, tight_pairs)
    F.tight_steps = tight_steps
    best_L, best_u = np.inf, u
    history: list[float] = []
    step_scale, stall, it = 0.1, 0, 0
    for _ in range(iterations):
        it += 1
        L, g = F.evaluate(u)
        history.append(L)
        if not np.isfinite(best_L) or L < best_L - 1e-9 * max(1.0, abs(best_L)):
            best_L, best_u, stall = L, u.copy(), 0
        else:
            stall += 1
            if stall >= 4:
                step_scale, stall = step_scale / 2, 0
        norm = float((g * g).sum())
        if norm == 0 or step_scale < 1e-3:
            break
        if deadline is not None and time.monotonic() > deadline:
            break
        gap = (L - target) if target is not None and L > target else 0.01 * abs(L)
        u = np.maximum(u - step_scale * gap / norm * g, lo)
    return LagrangeBound(best_L, it, time.monotonic() - t0, history, best_u, F)


class _Fixed:
    """The per-mentor pieces that do not change with u: each 2-seat mentor's TOP edges and
    their pair bonuses, the rest of its edges."""

    def __init__(
        self, n_e, ei, mj, s, cap, u, pair_bonus, best_bonus, same_class, top, tight_pairs
    ):
        self.tight_steps = True  # (group_bound sets it)
        self.n_e, self.ei, self.mj, self.s = n_e, ei, mj, s
        self.best_bonus = best_bonus
        self.pair_bonus, self.same_class = pair_bonus, same_class
        c = cap[mj]
        self.c = c
        self.one = c == 1
        self.many = c >= 3
        # 2-seat mentors: the TOP edges by reduced score at the starting prices
        sel = np.nonzero(c == 2)[0]
        r = s[sel] - u[ei[sel]]
        o = sel[np.lexsort((-r, mj[sel]))]
        m_o = mj[o]
        pos = np.arange(len(o)) - np.searchsorted(m_o, m_o, side="left")
        self.mentors, first = np.unique(m_o, return_index=True)
        n_j = len(self.mentors)
        jidx = np.searchsorted(self.mentors, m_o)
        T = max(2, min(top, int(pos.max(initial=0)) + 1))
        inset = pos < T
        slot = np.full((n_j, T), -1, np.int64)
        slot[jidx[inset], pos[inset]] = o[inset]
        self.slot = slot
        ia, ib = np.triu_indices(T, 1)
        self.ia, self.ib = ia, ib
        A, B = slot[:, ia], slot[:, ib]
        ok = (A >= 0) & (B >= 0)
        bonus = np.full(A.shape, -np.inf)
        a_e, b_e = ei[A[ok]], ei[B[ok]]
        val = pair_bonus(a_e, b_e)
        if same_class is not None:
            val = np.where(same_class(a_e, b_e), -np.inf, val)
        bonus[ok] = val
        self.bonus = bonus
        self.bonus32 = bonus.astype(np.float32)
        rest = o[~inset]
        self.rest, self.rest_j = rest, jidx[~inset]  # sorted by mentor
        if len(rest):
            self.rest_start = np.flatnonzero(np.r_[True, self.rest_j[1:] != self.rest_j[:-1]])
            self.rest_seg_j = self.rest_j[self.rest_start]
        self.two_all, self.two_j = o, jidx
        # the tight outside term: each mentor's first k2 edges outside its set (by reduced
        # score at the starting prices) with their bonus to every member of the set
        k2 = max(1, int(tight_pairs) // max(T * max(n_j, 1), 1))
        rpos = pos[~inset] - T
        self.tight = np.nonzero(rpos < k2)[0]  # into self.rest, sorted by mentor
        self.loose = np.nonzero(rpos >= k2)[0]
        tb = np.full((len(self.tight), T), -np.inf)
        step = max(1, 1_000_000 // T)
        for lo in range(0, len(self.tight), step):
            x = self.tight[lo : lo + step]
            sl = slot[self.rest_j[x]]
            ok = sl >= 0
            a_e = ei[np.maximum(sl, 0)][ok]
            b_e = np.broadcast_to(ei[rest[x]][:, None], sl.shape)[ok]
            val = np.asarray(pair_bonus(a_e, b_e), np.float64)
            if same_class is not None:
                val = np.where(same_class(a_e, b_e), -np.inf, val)
            part = tb[lo : lo + step]
            part[ok] = val
        self.tight_bonus = tb

    def in_sets(self) -> tuple[np.ndarray, np.ndarray]:
        """(mentee, mentor) of the 2-seat mentors' fixed sets."""
        e = self.slot[self.slot >= 0]
        return self.ei[e], self.mj[e]

    def keys(self, n_e: int) -> np.ndarray:
        """mentor × n_e + mentee of every edge here (what ``evaluate_columns``'s ``rest`` must
        leave out)."""
        return self.mj * n_e + self.ei

    def evaluate_columns(
        self,
        u: np.ndarray,
        single: np.ndarray,
        rest: np.ndarray,
        cap: np.ndarray,
        outside: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
        collect: int = 0,
        slack: float = 0.0,
    ) -> float:
        """L(u) when the edges were only part of the graph: per mentor (indexed by mentor),
        ``single`` = max over ALL its feasible mentees of r_ij (for 3+ seats: of r_ij + (seats
        - 1)/2 × largest pair bonus), ``rest`` = max over its feasible mentees whose edge is
        NOT among these edges of r_ij + largest pair bonus (from one pass over the full graph);
        cap: seats per mentor. The edges of a 2-seat mentor that are here are bounded as in
        ``evaluate`` (exact pairs in its set and with its tight outside edges).

        ``outside`` = (mentee, mentor, shifted score) of the ``collect`` edges per mentor not
        here with the largest r + largest bonus (all of them where it has fewer): for a mentor
        of a set, a pair of one of them b with a member a of its set counts exactly, with any
        other a outside its set r_b + bb_b + the largest r outside its set, and only the edges
        beyond them keep best single + their r + bb (at most their ``collect``-th value, +
        ``slack`` for the float32 rounding of the pass that chose them)."""
        total = float(u.sum())
        c = np.asarray(cap, np.int64)
        single = np.where(c > 0, single, -np.inf)
        ones = (c == 1) | (c >= 3)
        total += float((np.where(ones, c, 0) * np.maximum(single, 0.0)).sum())
        twos = c == 2
        twos[self.mentors] = False  # 2 seats, no edge in the sets: single and single + rest
        v = np.maximum(single[twos], single[twos] + rest[twos])
        total += float(np.maximum(v, 0.0).sum())
        if len(self.mentors):
            r = self.s - u[self.ei]
            t = self._terms(r)
            sj = np.maximum(single[self.mentors], t["single"])
            out = rest[self.mentors]
            if outside is not None and collect > 0:
                # both bound the same pairs (an edge outside the pool with any other): the
                # smaller of the two per mentor (the collected edges' term counts the whole
                # pass's best single, which ``rest`` alone already bounds more tightly where
                # the best edge is outside the pool: 2,100 points of 290,000 at 100,000 mentees)
                out = np.minimum(out, self._collected(u, r, t, outside, collect, slack, sj))
            out = np.maximum(t["z"], out)
            v = np.maximum(np.maximum(sj, t["pair"]), np.maximum(t["x"], t["y"]))
            v = np.maximum(v, sj + out)
            total += float(np.maximum(v, 0.0).sum())
        return total

    def _collected(self, u, r, t, outside, collect, slack, sj) -> np.ndarray:
        """Per mentor of the sets, what its pairs with an edge outside the pool can add above
        ``sj``, the best single the caller adds it to (see ``evaluate_columns``): max(x_c - sj,
        y_c - sj, cut)."""
        n_j = len(self.mentors)
        xe, xj, xs = (np.asarray(x) for x in outside)
        k = np.searchsorted(self.mentors, xj)
        k = np.minimum(k, max(n_j - 1, 0))
        on = (self.mentors[k] == xj) if n_j else np.zeros(len(xj), bool)
        xe, xj, xs, k = xe[on], xj[on], xs[on], k[on]
        o = np.argsort(k, kind="stable")
        xe, xs, k = xe[o], xs[o], k[o]
        rb = xs - u[xe]
        vb = rb + self.best_bonus[xe]
        cnt = np.bincount(k, minlength=n_j)
        low = np.full(n_j, np.inf)
        np.minimum.at(low, k, vb)
        cut = np.where(cnt >= collect, low + 2 * slack, -np.inf)
        # a member of the set: exact
        slot = self.slot
        R = np.where(slot >= 0, r[np.maximum(slot, 0)], -np.inf)
        sl = slot[k]
        ok = sl >= 0
        bon = np.full(sl.shape, -np.inf)
        a_e = self.ei[np.maximum(sl, 0)][ok]
        b_e = np.broadcast_to(xe[:, None], sl.shape)[ok]
        val = np.asarray(self.pair_bonus(a_e, b_e), np.float64)
        if self.same_class is not None:
            val = np.where(self.same_class(a_e, b_e), -np.inf, val)
        bon[ok] = val
        xc, _ = _seg_max(rb + (R[k] + bon).max(axis=1, initial=-np.inf) + slack, k, n_j)
        # another edge outside the set: r_b + bb_b + the largest r outside it
        r_out = np.full(n_j, -np.inf)
        if len(self.rest):
            r_out, _ = _seg_max(r[self.rest], self.rest_j, n_j)
        r_c, _ = _seg_max(rb, k, n_j)
        r_out = np.maximum(np.maximum(r_out, r_c + slack), cut)
        v_c, _ = _seg_max(vb + slack, k, n_j)
        return np.maximum(np.maximum(xc - sj, v_c + r_out - sj), cut)

    def evaluate(self, u: np.ndarray) -> tuple[float, np.ndarray]:
        """L(u) and a subgradient (1 - number of groups that take mentee i)."""
        n_e, ei, mj = self.n_e, self.ei, self.mj
        r = self.s - u[ei]
        count = np.zeros(n_e)
        total = float(u.sum())
        # 1 seat: the best positive edge
        if self.one.any():
            idx = np.nonzero(self.one)[0]
            total += self._best_per_mentor(idx, r[idx], count)
        # 3+ seats: the best positive r + (seats - 1)/2 × largest pair bonus, seats of them
        if self.many.any():
            idx = np.nonzero(self.many)[0]
            v = r[idx] + 0.5 * (self.c[idx] - 1) * self.best_bonus[ei[idx]]
            o = np.lexsort((-v, mj[idx]))
            idx, v = idx[o], v[o]
            ms = mj[idx]
            p = np.arange(len(idx)) - np.searchsorted(ms, ms, side="left")
            take = (p < self.c[idx]) & (v > 0)
            total += float(v[take].sum())
            count += np.bincount(ei[idx[take]], minlength=n_e)
        if len(self.mentors):
            total += self._two(r, count)
        return total, 1.0 - count

    def _best_per_mentor(self, idx, v, count) -> float:
        ms = self.mj[idx]
        o = np.lexsort((-v, ms))
        firsts = o[np.r_[True, ms[o][1:] != ms[o][:-1]]]
        take = firsts[v[firsts] > 0]
        count += np.bincount(self.ei[idx[take]], minlength=self.n_e)
        return float(v[take].sum())

    def _terms(self, r: np.ndarray, tight: bool = True) -> dict:
        """Per mentor of the sets (2 seats), at reduced scores r (F's edges, float64), the values
        its best group is bounded by, each with the edges that reach it (-1: none):

        single: its best edge; pair: the best pair of its set (exact); x: the best pair of a
        member of its set with one of its tight outside edges (exact); y: a pair of two tight
        outside edges, bounded by min(max (r_b + largest bonus_b) + max r_a, r_(1) + r_(2) +
        their largest bonus); z: the best r_b + largest bonus_b over its loose outside edges
        (a pair with one of them is worth at most single + z)."""
        n_j = len(self.mentors)
        ei, slot = self.ei, self.slot
        rows = np.arange(n_j)
        R = np.where(slot >= 0, r[np.maximum(slot, 0)], -np.inf)
        # best single: the set holds the best at the start, the rest may have risen above it
        single = R.max(axis=1)
        s_arg = slot[rows, R.argmax(axis=1)]
        # exact pairs in the set, a chunk of mentors at a time
        # (float32 to find the best pair, its value again in float64, + a few float32 ulps for a
        # pair that rounding ranked just below it)
        p_arg = np.zeros(n_j, np.int64)
        R32 = R.astype(np.float32)
        step = max(1, 4_000_000 // max(len(self.ia), 1))
        for lo in range(0, n_j, step):
            Rc = R32[lo : lo + step]
            V = Rc[:, self.ia] + Rc[:, self.ib] + self.bonus32[lo : lo + step]
            p_arg[lo : lo + step] = V.argmax(axis=1)
        pa, pb = self.ia[p_arg], self.ib[p_arg]
        mag = np.where(np.isfinite(R), np.abs(R), 0.0).max(axis=1)
        pair = R[rows, pa] + R[rows, pb] + self.bonus[rows, p_arg] + 1e-6 * (1.0 + 2 * mag)
        t = {
            "single": single,
            "s_arg": s_arg,
            "pair": pair,
            "p_a": slot[rows, pa],
            "p_b": slot[rows, pb],
        }
        neg = np.full(n_j, -np.inf)
        none = np.full(n_j, -1, np.int64)
        for k in ("x", "y", "z"):
            t[k], t[k + "_a"], t[k + "_b"] = neg.copy(), none.copy(), none.copy()
        if not len(self.rest):
            return t
        rest, rj, bb = self.rest, self.rest_j, self.best_bonus
        rr = r[rest]
        rest_r, r_arg = _seg_max(rr, rj, n_j)
        up = rest_r > single
        t["single"] = np.maximum(single, rest_r)
        t["s_arg"] = np.where(up, rest[np.maximum(r_arg, 0)], s_arg)
        tt = self.tight if tight else self.tight[:0]
        if len(tt):
            tj, rt = rj[tt], rr[tt]
            best = np.empty(len(tt))
            arg = np.empty(len(tt), np.int64)
            T = slot.shape[1]
            step = max(1, 1_000_000 // T)
            for lo in range(0, len(tt), step):
                V = R[tj[lo : lo + step]] + self.tight_bonus[lo : lo + step]
                a = V.argmax(axis=1)
                arg[lo : lo + step] = a
                best[lo : lo + step] = V[np.arange(len(a)), a]
            x, xi = _seg_max(rt + best, tj, n_j)
            h = xi >= 0
            t["x"] = x
            t["x_b"][h] = rest[tt[xi[h]]]
            t["x_a"][h] = slot[rows[h], arg[xi[h]]]
            bt = bb[ei[rest[tt]]]
            rv, _ = _seg_max(rt + bt, tj, n_j)
            r1, i1 = _seg_max(rt, tj, n_j)
            rt2 = rt.copy()
            rt2[i1[i1 >= 0]] = -np.inf
            r2, i2 = _seg_max(rt2, tj, n_j)
            bmax, _ = _seg_max(bt, tj, n_j)
            with np.errstate(invalid="ignore"):
                y = np.minimum(rv + r1, r1 + r2 + bmax)
            t["y"] = np.where(np.isnan(y) | (i2 < 0), -np.inf, y)
            h = i2 >= 0
            t["y_a"][h] = rest[tt[i1[h]]]
            t["y_b"][h] = rest[tt[i2[h]]]
        ll = self.loose if tight else np.arange(len(rest))
        if len(ll):
            z, zi = _seg_max(rr[ll] + bb[ei[rest[ll]]], rj[ll], n_j)
            h = zi >= 0
            t["z"] = z
            t["z_b"][h] = rest[ll[zi[h]]]
        return t

    def _two(self, r: np.ndarray, count: np.ndarray) -> float:
        n_j = len(self.mentors)
        t = self._terms(r, self.tight_steps)
        single = t["single"]
        cand = np.stack([np.zeros(n_j), single, t["pair"], t["x"], t["y"], single + t["z"]])
        k = cand.argmax(axis=0)
        value = cand[k, np.arange(n_j)]
        a = np.full(n_j, -1, np.int64)
        b = np.full(n_j, -1, np.int64)
        a[k == 1] = t["s_arg"][k == 1]
        for n, name in ((2, "p"), (3, "x"), (4, "y")):
            a[k == n] = t[name + "_a"][k == n]
            b[k == n] = t[name + "_b"][k == n]
        a[k == 5] = t["s_arg"][k == 5]
        b[k == 5] = t["z_b"][k == 5]
        for x in (a, b):
            x = x[x >= 0]
            count += np.bincount(self.ei[x], minlength=self.n_e)
        return float(value.sum())


def _seg_max(v: np.ndarray, sid: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per segment (sid sorted, values in range(n)): the max of v (-inf for an empty one) and
    the index of its first occurrence (-1)."""
    out = np.full(n, -np.inf)
    arg = np.full(n, -1, np.int64)
    if not len(v):
        return out, arg
    starts = np.flatnonzero(np.r_[True, sid[1:] != sid[:-1]])
    out[sid[starts]] = np.maximum.reduceat(v, starts)
    hit = np.flatnonzero(v >= out[sid])
    first = np.r_[True, sid[hit][1:] != sid[hit][:-1]]
    arg[sid[hit[first]]] = hit[first]
    return out, arg


# --------------------------------------------------------------------------- primal


@dataclass
class Repacked:
    assign: np.ndarray  # mentor per mentee (-1: unmatched), the improved groups
    columns: int  # groups offered to the LP
    free_columns: int  # those left to the integer program once the LP's integral ones are fixed
    lp: float  # the LP value on those groups (in the shifted scores)
    status: str  # "optimal", "limit" (node or time limit: its best groups), "none"
    seconds: float
    components: int = 0  # connected pieces of the integer program after the LP's fixing


def repack(
    F: _Fixed,
    u: np.ndarray,
    assign: np.ndarray,
    *,
    must_match: int,
    deadline: float,
    slack: float = 0.05,
    node_limit: int = 5_000,
    shift: float = 0.0,
    mip_columns: int = 2_500,
    fill: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Repacked | None:
    """Better groups from the Lagrangian's prices (price-and-branch on the mentors' groups).

    At prices u every mentor's group G has a reduced value val(G) - Σ_{i in G} u_i; the groups
    within ``slack`` of their mentor's best (the singles and the exact pairs of its fixed set,
    1- and 2-seat mentors), and the current groups, are the columns of a set-packing program:
    each mentor takes at most one group, each mentee is in at most one, at least
    ``must_match`` mentees are placed (the lexicographic objective's count), maximize Σ
    val(G). Its LP (HiGHS) is solved first; the groups it takes whole are fixed, and the
    integer program on what is left (HiGHS branch and bound, ``node_limit`` nodes, so the
    groups do not depend on the clock unless the deadline cuts it) picks the rest. The current
    groups keep it feasible. Mentors of 3+ seats keep their groups. ``shift`` is added to the
    LP's value per placed mentee (the lexicographic weight, when F's scores do not carry it
    already): every integer solution places exactly ``must_match`` (the most possible), so it
    changes only the LP, which then fixes groups the count can live with. If the program left
    after fixing has no solution, the integer program runs on every column. A piece of more
    than ``mip_columns`` columns is too slow for branch and bound (a minute for 1,500 under
    load): its mentors and mentees are left to ``fill`` (given the groups chosen so far, -1
    for the others, it returns a whole assignment), and with no ``fill`` nothing is returned.
    Returns None when there is nothing to gain (no 2-seat mentor) or no time; the caller keeps
    the better objective.
    """
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    t0 = time.monotonic()
    if not len(F.mentors) or time.monotonic() > deadline:
        return None
    n_e = F.n_e
    assign = np.asarray(assign, np.int64)
    n_m = int(max(F.mj.max(initial=-1), assign.max(initial=-1))) + 1
    ei, mj, s = F.ei, F.mj, F.s
    r = s - u[ei]
    big = np.zeros(n_m, bool)  # mentors of 3+ seats (and any group not found in the edges)
    big[mj[F.many]] = True
    # the current groups, valued on the edges (F is sorted by mentor, then mentee)
    keys = mj * n_e + ei
    on = np.nonzero(assign >= 0)[0]
    ck = assign[on] * n_e + on
    pos = np.minimum(np.searchsorted(keys, ck), max(len(keys) - 1, 0))
    found = keys[pos] == ck if len(keys) else np.zeros(len(ck), bool)
    big[assign[on][~found]] = True
    keep_e = np.zeros(n_e, bool)  # mentees that stay where they are (with a big mentor)
    keep_e[on] = big[assign[on]]
    # candidate columns: (mentor, a, b (-1), value, reduced value)
    cm, ca, cb, cv, cr = [], [], [], [], []
    sing = (F.one | (F.c == 2)) & ~big[mj] & ~keep_e[ei]
    cm.append(mj[sing]), ca.append(ei[sing]), cb.append(np.full(int(sing.sum()), -1))
    cv.append(s[sing]), cr.append(r[sing])
    slot = F.slot
    jrows = ~big[F.mentors]
    R = np.where(slot >= 0, r[np.maximum(slot, 0)], -np.inf)
    R = np.where(keep_e[ei[np.maximum(slot, 0)]], -np.inf, R)
    step = max(1, 2_000_000 // max(len(F.ia), 1))
    for lo in range(0, len(F.mentors), step):
        hi = min(lo + step, len(F.mentors))
        V = R[lo:hi, F.ia] + R[lo:hi, F.ib] + F.bonus[lo:hi]
        V[~jrows[lo:hi]] = -np.inf
        best = np.maximum(np.maximum(V.max(axis=1), R[lo:hi].max(axis=1)), 0.0)
        rr, qq = np.nonzero(np.isfinite(V) & (V >= best[:, None] - slack))
        a = slot[lo + rr, F.ia[qq]]
        b = slot[lo + rr, F.ib[qq]]
        cm.append(F.mentors[lo + rr]), ca.append(ei[a]), cb.append(ei[b])
        cv.append(s[a] + s[b] + F.bonus[lo + rr, qq]), cr.append(V[rr, qq])
    cm, ca, cb = np.concatenate(cm), np.concatenate(ca), np.concatenate(cb)
    cv, cr = np.concatenate(cv), np.concatenate(cr)
    # singles: within slack of their mentor's best (pairs included)
    best_m = np.zeros(n_m)
    np.maximum.at(best_m, cm, cr)
    sel = cr >= best_m[cm] - slack
    cm, ca, cb, cv = cm[sel], ca[sel], cb[sel], cv[sel]
    # the current groups of the mentors that take part
    fm = on[found & ~big[assign[on]]]
    order = np.argsort(assign[fm], kind="stable")
    fm = fm[order]
    gj = assign[fm]
    gs = s[pos[found & ~big[assign[on]]][order]]
    start = np.r_[True, gj[1:] != gj[:-1]] if len(gj) else np.zeros(0, bool)
    first = np.nonzero(start)[0]
    second = first + 1
    two = (second < len(gj)) & (np.r_[gj[1:], -1][first] == gj[first])
    g_a = fm[first]
    g_b = np.where(two, fm[np.minimum(second, len(fm) - 1)], -1)
    g_v = gs[first] + np.where(two, gs[np.minimum(second, len(gs) - 1)], 0.0)
    if two.any():
        g_v[two] += F.pair_bonus(g_a[two], g_b[two])
    cm = np.r_[cm, gj[first]]
    ca, cb, cv = np.r_[ca, g_a], np.r_[cb, g_b], np.r_[cv, g_v]
    n_c = len(cm)
    size = 1.0 + (cb >= 0)
    need = must_match - int(keep_e.sum())
    pair = np.nonzero(cb >= 0)[0]
    rows = np.r_[ca, cb[pair], n_e + cm, np.full(n_c, n_e + n_m)]
    cols = np.r_[np.arange(n_c), pair, np.arange(n_c), np.arange(n_c)]
    vals = np.r_[np.ones(n_c + len(pair) + n_c), size]
    A = sparse.csr_matrix((vals, (rows, cols)), shape=(n_e + n_m + 1, n_c))
    lo_b = np.r_[np.full(n_e + n_m, -np.inf), need]
    hi_b = np.r_[np.ones(n_e + n_m), np.inf]
    if time.monotonic() > deadline:
        return None
    # The LP without the count row first: its objective prizes every placed mentee (``shift``
    # or F's shifted scores), so its optimum usually places ``need`` anyway, and the row (one
    # entry per column) is what slows HiGHS most. Interior point, then crossover to a vertex
    # (whose whole groups are fixed below). At 20,000 x 10,000 (96,550 columns), the same LP
    # optimum: dual simplex with the row 77.6 s, interior point with it 40.2 s, without it
    # 14.8 s (dual simplex without it 88 s). The row is added when the count falls short.
    lp = _packing_lp(-(cv + shift * size), A[: n_e + n_m], None, deadline)
    if lp.x is not None and lp.status == 0 and float(size @ lp.x) < need - 1e-6:
        lp = _packing_lp(-(cv + shift * size), A[: n_e + n_m], (A[n_e + n_m :], need), deadline)
    if lp.x is None or lp.status != 0:  # the current groups are a solution: time or failure
        return Repacked(assign, n_c, 0, float("nan"), "none", time.monotonic() - t0)
    whole = lp.x > 1 - 1e-6
    used_e = np.zeros(n_e + n_m, bool)
    w = np.nonzero(whole)[0]
    used_e[ca[w]] = True
    used_e[cb[w][cb[w] >= 0]] = True
    used_e[n_e + cm[w]] = True
    free = (
        ~whole
        & ~used_e[ca]
        & ~used_e[n_e + cm]
        & ~np.where(cb >= 0, used_e[np.maximum(cb, 0)], False)
    )
    x = whole.astype(float)
    lp_value = -float(lp.fun) - shift * need
    status, pieces = _pack_components(
        A[: n_e + n_m], cv, size, free, x, n_e, cm, ca, cb, deadline, node_limit, mip_columns
    )
    if status != "fill" and int(size[x > 0.5].sum()) < need and fill is not None:
        status = "fill"  # the groups cost a match: the caller's fill places the rest again
    if status == "fill":
        take = np.nonzero(x > 0.5)[0]
        part = np.where(keep_e, assign, -1)
        part[ca[take]] = cm[take]
        b_t = take[cb[take] >= 0]
        part[cb[b_t]] = cm[b_t]
        if fill is None:  # (fill keeps its own deadline)
            return Repacked(assign, n_c, int(free.sum()), lp_value, "none", time.monotonic() - t0)
        out = fill(part)
        three = np.zeros(n_m, bool)  # 3+ seats: their groups were not the program's
        three[mj[F.many]] = True
        stay = (assign >= 0) & three[np.maximum(assign, 0)]
        ok = int((out >= 0).sum()) >= must_match and (out[stay] == assign[stay]).all()
        st = "filled" if ok else "none"
        return Repacked(
            out if ok else assign, n_c, int(free.sum()), lp_value, st, time.monotonic() - t0, pieces
        )
    if status != "none" and int(size[x > 0.5].sum()) < need:
        status = "none"  # the fixed groups cost a match: the program on every column
    if status == "none" and time.monotonic() < deadline and n_c <= mip_columns:
        res = milp(
            -cv,
            constraints=LinearConstraint(A, lo_b, hi_b),
            integrality=np.ones(n_c),
            bounds=Bounds(0, 1),
            options={
                "time_limit": deadline - time.monotonic(),
                "node_limit": node_limit,
                "disp": False,
            },
        )
        if res.x is not None:
            x = np.round(res.x)
            status = "optimal" if res.status == 0 else "limit"
    if status == "none":
        return Repacked(
            assign, n_c, int(free.sum()), lp_value, "none", time.monotonic() - t0, pieces
        )
    take = np.nonzero(x > 0.5)[0]
    out = np.where(keep_e, assign, -1)
    out[ca[take]] = cm[take]
    b_t = take[cb[take] >= 0]
    out[cb[b_t]] = cm[b_t]
    n_taken = int(size[take].sum())
    placed = np.bincount(np.r_[ca[take], cb[b_t]], minlength=n_e)
    if placed.max(initial=0) > 1 or n_taken + int(keep_e.sum()) < must_match:
        return Repacked(assign, n_c, int(free.sum()), lp_value, "none", time.monotonic() - t0)
    return Repacked(out, n_c, int(free.sum()), lp_value, status, time.monotonic() - t0, pieces)


def _packing_lp(c, A, count, deadline):
    """repack's LP: min c x, A x <= 1, 0 <= x <= 1, and count = (row, need) as row x >= need
    when given; HiGHS's interior point with crossover, within the deadline (the LP is most of
    the groups' cost and grows faster than the program; it gets the share, and a cut LP brings
    nothing: its point may not be feasible)."""
    from scipy import sparse
    from scipy.optimize import linprog

    A_ub, b_ub = A, np.ones(A.shape[0])
    if count is not None:
        A_ub = sparse.vstack([A, -count[0]]).tocsr()
        b_ub = np.r_[b_ub, -count[1]]
    return linprog(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        bounds=(0, 1),
        method="highs-ipm",
        options={"time_limit": max(deadline - time.monotonic(), 0.1)},
    )


def _pack_components(A, cv, size, free, x, n_e, cm, ca, cb, deadline, node_limit, mip_columns):
    """The integer program on the ``free`` columns, one connected component (mentees and
    mentors linked by the columns) at a time, on the shifted values (the count is the caller's
    to check). Writes the choice into x; returns (status, number of components), status
    "none" if the deadline cut it, "fill" if a piece had more than ``mip_columns`` columns (its
    columns stay at 0)."""
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse.csgraph import connected_components

    fc = np.nonzero(free)[0]
    if not len(fc):
        return "optimal", 0
    n = A.shape[0]
    two = fc[cb[fc] >= 0]
    g = sparse.coo_matrix(
        (np.ones(len(fc) + len(two)), (np.r_[n_e + cm[fc], n_e + cm[two]], np.r_[ca[fc], cb[two]])),
        shape=(n, n),
    )
    _, label = connected_components(g, directed=False)
    comp = label[n_e + cm[fc]]
    order = np.argsort(comp, kind="stable")
    fc, comp = fc[order], comp[order]
    cuts = np.flatnonzero(np.r_[True, comp[1:] != comp[:-1], True])
    Ac = A.tocsc()
    status = "optimal"
    big = [
        hi - lo > mip_columns for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)
    ]
    todo = sum(
        hi - lo
        for lo, hi, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), big, strict=True)
        if hi - lo > 1 and not b
    )
    for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        cols = fc[lo:hi]
        if len(cols) == 1:
            x[cols] = 1.0
            continue
        if len(cols) > mip_columns or time.monotonic() > deadline:
            status = "fill"  # too big, or no time left: completed by the caller's fill
            continue
        # this piece's share of the time left, by its size
        until = time.monotonic() + (deadline - time.monotonic()) * len(cols) / max(todo, 1)
        todo -= len(cols)
        sub = Ac[:, cols]
        rows = np.unique(sub.indices)
        sub = sub[rows]
        ones = np.ones(len(rows))
        res = milp(
            -cv[cols],
            constraints=LinearConstraint(sub, -np.inf, ones),
            integrality=np.ones(len(cols)),
            bounds=Bounds(0, 1),
            options={
                "node_limit": node_limit,
                "disp": False,
                "time_limit": max(until - time.monotonic(), 1e-3),
            },
        )
        if res.x is None:
            status = "fill"
            continue
        if res.status != 0 and status == "optimal":  # node or time limit: its best groups
            status = "limit"
        x[cols] = np.round(res.x)
    return status, len(cuts) - 1


def polish(P, assign, ei, mj, s, cap, *, deadline: float, rounds: int = 12) -> np.ndarray:
    """Anchor reassignment for groups of 2 (a very large neighbourhood, exact in one flow):
    keep one mentee per mentor (its first, then its second, in turn: the anchor) and place
    every other mentee again by a maximum flow of maximum value on the edges (ei, mj, s), an
    edge worth its score + the bonus with the mentor's anchor (an anchor's class closes the
    edge under a class limit of 1). Mentees without a seat in ``assign`` take part too, so a
    partial assignment (-1 for the free) is completed. Stops when two turns in a row gain
    nothing, at ``rounds`` or the deadline; never returns fewer matched or a lower objective
    than its input had (unless the input was partial: then the completed one). P is
    jumelage.solve_large's Problem; s the pair scores (unshifted)."""
    from jumelage.solve_large import _bonus0, _class_ok, _class_room, _slots, objective, solve_flow

    best_v = sum(objective(P, assign)) if (assign >= 0).any() else -np.inf
    best_n = int((assign >= 0).sum())
    partial = True
    fails = 0
    for r in range(rounds):
        if time.monotonic() > deadline and not partial:
            break
        first, second, _ = _slots(assign, P.n_m)
        anchor = first if r % 2 == 0 else np.where(second >= 0, second, first)
        is_a = np.zeros(P.n_e, bool)
        is_a[anchor[anchor >= 0]] = True
        k = ~is_a[ei]
        e, j = ei[k], mj[k]
        a = anchor[j]
        ok = _class_ok(P, e, a) & (cap[j] - (a >= 0) > 0)
        e, j, a = e[ok], j[ok], a[ok]
        w = s[k][ok] + _bonus0(P, e, a)
        base = np.where(is_a, assign, -1)
        used = solve_flow(
            P, e, j, w, capacity=np.maximum(cap - (anchor >= 0), 0), class_room=_class_room(P, base)
        )
        new = base
        new[e[used]] = j[used]
        n_new = int((new >= 0).sum())
        v_new = sum(objective(P, new))
        if partial or (n_new >= best_n and v_new > best_v + 1e-9):
            assign, best_v, best_n, fails, partial = new, v_new, max(best_n, n_new), 0, False
        else:
            fails += 1
            if fails >= 2:
                break
    return assign


def better_groups(P, F, u, assign, ei, mj, s, cap, *, deadline: float, shift: float = 0.0):
    """The primal side for groups of 2, within the deadline: ``repack`` at the prices u (its
    big pieces completed by ``polish``), then ``polish`` and the large mode's local search on
    the edges (ei, mj, s unshifted; F the Lagrangian's sets, scores possibly shifted, with
    ``shift`` then 0). Returns (assignment, stats): the best found, never fewer matched nor a
    lower objective than ``assign``."""
    from jumelage.solve_large import local_search, objective

    t0 = time.monotonic()
    n_matched = int((assign >= 0).sum())
    locked = np.zeros(P.n_e, bool)
    start_v = best_v = sum(objective(P, assign))
    best = assign
    stats: dict = {}

    def fill(part):
        done = polish(P, complete(P, part, ei, mj, s, cap), ei, mj, s, cap, deadline=deadline)
        return local_search(P, done, ei, mj, seed=0, locked=locked, deadline=deadline)

    share = t0 + 0.7 * max(deadline - t0, 0.0)
    rp = repack(F, u, assign, must_match=n_matched, deadline=share, shift=shift, fill=fill)
    if rp is not None:
        stats |= {
            "status": rp.status,
            "columns": rp.columns,
            "free_columns": rp.free_columns,
            "components": rp.components,
            "repack_s": round(rp.seconds, 2),
        }
        if rp.status != "none" and int((rp.assign >= 0).sum()) == n_matched:
            v = sum(objective(P, rp.assign))
            stats["repack_gain"] = round(v - start_v, 4)
            if v > best_v + 1e-9:
                best, best_v = rp.assign, v
    if time.monotonic() < deadline:
        t1 = time.monotonic()
        pol = polish(P, best, ei, mj, s, cap, deadline=deadline)
        pol = local_search(P, pol, ei, mj, seed=0, locked=locked, deadline=deadline)
        v = sum(objective(P, pol))
        stats["polish_s"] = round(time.monotonic() - t1, 2)
        if int((pol >= 0).sum()) == n_matched and v > best_v + 1e-9:
            stats["polish_gain"] = round(v - best_v, 4)
            best, best_v = pol, v
    stats["gain"] = round(best_v - start_v, 4)
    stats["s"] = round(time.monotonic() - t0, 2)
    return best, stats


def complete(P, part, ei, mj, s, cap) -> np.ndarray:
    """The most mentees the edges (ei, mj) can place, keeping as many of ``part``'s pairs as
    that allows: a maximum flow whose edges of ``part`` weigh more than any score sum could
    make up for, the others their score s (jumelage.solve_large.solve_flow, lexicographic)."""
    from jumelage.solve_large import _class_room, solve_flow

    heavy = 2.0 * float(np.abs(s).max(initial=0.0)) + 1.0
    kept = part[ei] == mj
    # a pair of part's outside the edges stays as it is, its seat and class taken
    stay = part >= 0
    stay[ei[kept]] = False
    out = np.where(stay, part, -1)
    seats = np.maximum(cap - np.bincount(out[stay], minlength=len(cap)), 0)
    k = ~stay[ei]
    used = solve_flow(
        P, ei[k], mj[k], (s + heavy * kept)[k], capacity=seats, class_room=_class_room(P, out)
    )
    out[ei[k][used]] = mj[k][used]
    return out

"""Stable mode: the autonomous "speed dating mentoral" matching.

Both sides rank each other. Mentee-proposing deferred acceptance (Gale-Shapley for
hospitals/residents) with mentor capacities and the per-group class limit, only over the pairs
the hard rules allow (exclusions and forbidden pairs included); locked pairs are placed first.

Preferences: a participant's own ``ranking`` first, in its order (only the allowed people in
it); then the other allowed people by pair score, best first; ties by index, so the result is
deterministic. That is a strict refinement of the preferences ``jumelage.check`` uses (ranked
people by position, the unranked ones after them), so a matching stable here is stable there.

Implementation: preference lists as int arrays (CSR), the mentor's rank of every edge looked up
once, and deferred acceptance in synchronous rounds: every free mentee proposes to its next
mentor at once, each mentor keeps the best proposals its seats and class limit allow (one sort
per round over the touched mentors) and rejects the rest. Deferred acceptance gives the same
mentee-optimal stable matching whatever the order of the proposals, so the rounds change the
speed only. The result is checked for blocking pairs and compared with the score-optimal
matching (min-cost flow on the same allowed pairs) in ``stability``.

Large programs (``solve``): one float32 pass over the blocks stores every allowed edge and keeps
each mentee's ranked edges and best few unranked ones, scored exactly; a mentee's list is the
part of them known to lead its full list (beyond the float32 margin of everything left out), and
only a mentee turned down by all of it gets a longer one. The score-optimal matching is solved
on a pool and proven optimal on every edge by its prices (see ``_optimal_on_pool``). Both give
what the full lists and the flow on every edge give (the tests keep that path as the reference);
when they cannot prove it, the run takes the full path (``_stable_on_full_lists``,
``_optimal_on_all_edges``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jumelage import solve_large as L
from jumelage.arrays import unique

if TYPE_CHECKING:
    from jumelage.model import Instance, Result

SOLVER = "jumelage-stable (mentee-proposing deferred acceptance)"


@dataclass
class Preferences:
    """Both sides' preference lists over the allowed pairs, as CSR arrays."""

    n_e: int
    n_m: int
    e_ptr: np.ndarray  # mentee i's list: e_m[e_ptr[i]:e_ptr[i + 1]], best first
    e_m: np.ndarray
    e_mrank: np.ndarray  # for each entry of a mentee list: the mentor's rank of that mentee
    m_ptr: np.ndarray  # mentor j's list: m_e[m_ptr[j]:m_ptr[j + 1]], best first
    m_e: np.ndarray
    capacity: np.ndarray
    class_e: np.ndarray  # -1: no class
    class_max: int  # 0: no limit


def _order_keys(instance: Instance, side: str, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Per edge, the rank value the ``side`` gives it from its own ranking list (0 = unranked;
    1 - position/length otherwise), as in jumelage.model.Arrays."""
    from jumelage.model import lookup

    a = instance.arrays
    keys = a.key(mj, ei)
    if side == "mentee":
        return lookup(a.rank_by_mentee_keys, a.rank_by_mentee_vals, keys)
    return lookup(a.rank_by_mentor_keys, a.rank_by_mentor_vals, keys)


def build_preferences(
    P: L.Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    *,
    capacity: np.ndarray | None = None,
    mentor_lists: bool = True,
) -> Preferences:
    """Preference lists over the allowed edges (ei, mj) with pair scores s.

    ``mentor_lists=False``: no mentor lists (``m_ptr``, ``m_e`` empty) and ``e_mrank`` is the
    mentor's order key of the edge instead of its position in the mentor's list (the same
    order among a mentor's edges, which is all that deferred acceptance and the blocking count
    compare): one sort of every edge fewer."""
    ranked_e = _order_keys(P.inst, "mentee", ei, mj)
    ranked_m = _order_keys(P.inst, "mentor", ei, mj)
    n_e, n_m = P.n_e, P.n_m
    # mentee lists: by mentee, then own ranking value desc, then score desc, then mentor index;
    # mentor lists the same way round. One int64 key per side (see _composite_order).
    tie = _score_order(ei, mj, s, n_m)
    o_e = _composite_order(ei, ranked_e, tie)
    if mentor_lists:
        o_m = _composite_order(mj, ranked_m, tie)
        mrank = np.empty(len(ei), np.int64)
        m_start = np.searchsorted(mj[o_m], np.arange(n_m))
        pos_in_m = np.arange(len(ei)) - m_start[mj[o_m]]
        mrank[o_m] = pos_in_m
        m_ptr, m_e = np.searchsorted(mj[o_m], np.arange(n_m + 1)), ei[o_m]
    else:
        mrank = _within_group_key(ranked_m, tie)
        m_ptr, m_e = np.zeros(0, np.int64), np.zeros(0, np.int64)
    return Preferences(
        n_e=n_e,
        n_m=n_m,
        e_ptr=np.searchsorted(ei[o_e], np.arange(n_e + 1)),
        e_m=mj[o_e],
        e_mrank=mrank[o_e],
        m_ptr=m_ptr,
        m_e=m_e,
        capacity=(P.capacity if capacity is None else capacity).astype(np.int64),
        class_e=P.class_e.astype(np.int64),
        class_max=int(P.class_max),
    )


def _score_order(ei: np.ndarray, mj: np.ndarray, s: np.ndarray, n_m: int) -> np.ndarray:
    """Every edge's place when sorted by score desc, ties by (mentee, mentor) index.

    Edges come sorted by (mentee, mentor) from ``all_feasible_edges``; unsorted input is put
    in that order first. The scores are sorted by numpy's fast (unstable) sort, then only the
    runs of equal scores are put in (mentee, mentor) order: the order a stable sort of the
    scores would give (3-4 times the time on 700,000 edges), ties included."""
    n = len(ei)
    pair = ei.astype(np.int64) * n_m + mj
    base = None
    if n > 1 and not bool((pair[1:] > pair[:-1]).all()):
        base = np.argsort(pair, kind="stable")
    neg = -s if base is None else -s[base]
    o = np.argsort(neg)
    so = neg[o]
    tied = np.nonzero(so[1:] == so[:-1])[0]
    if len(tied):  # the runs of equal scores, each in input (= pair) order
        at = np.unique(np.r_[tied, tied + 1])  # sorted by score already: by score, then o
        o[at] = o[at[np.lexsort((o[at], so[at]))]]
    if base is not None:
        o = base[o]
    place = np.empty(n, np.int64)
    place[o] = np.arange(n, dtype=np.int64)
    return place


def _within_group_key(ranked: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Per edge, a non-negative key ordering the edges of one group by ranking value desc
    (ranked edges first), then ``tie`` (distinct places 0..n-1): distinct keys."""
    sub = np.nonzero(ranked)[0]
    second = tie.copy()
    if len(sub):
        # the few ranked edges go before every unranked one, by value desc then tie
        o = np.lexsort((tie[sub], -ranked[sub]))
        second[sub[o]] = np.arange(len(sub), dtype=np.int64) - len(sub)
    return second + len(sub)


def _composite_order(group: np.ndarray, ranked: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Order of the edges by group, then ranking value desc (ranked edges first), then ``tie``
    (distinct places 0..n-1): one argsort on a single int64 key instead of a 3-key lexsort."""
    n = len(group)
    n_sub = int(np.count_nonzero(ranked))
    key = group.astype(np.int64) * (n + n_sub) + _within_group_key(ranked, tie)
    return np.argsort(key)  # keys are distinct: no need for a stable sort


def preferences_from_lists(
    mentee_lists: list[list[int]],
    mentor_lists: list[list[int]],
    capacity: list[int] | np.ndarray,
    *,
    class_e: np.ndarray | None = None,
    class_max: int = 0,
) -> Preferences:
    """Preferences from plain lists (mentee i's mentors best first, mentor j's mentees best
    first), as the ``matching`` package takes them. A pair counts only if each lists the other."""
    n_e, n_m = len(mentee_lists), len(mentor_lists)
    m_rank = [{i: r for r, i in enumerate(lst)} for lst in mentor_lists]
    e_rows, e_m, e_r = [], [], []
    for i, lst in enumerate(mentee_lists):
        for j in lst:
            if i in m_rank[j]:
                e_rows.append(i)
                e_m.append(j)
                e_r.append(m_rank[j][i])
    e_set = {(i, j) for i, j in zip(e_rows, e_m, strict=True)}
    m_rows, m_e = [], []
    for j, lst in enumerate(mentor_lists):
        for i in lst:
            if (i, j) in e_set:
                m_rows.append(j)
                m_e.append(i)
    e_rows_a = np.array(e_rows, np.int64)
    m_rows_a = np.array(m_rows, np.int64)
    return Preferences(
        n_e=n_e,
        n_m=n_m,
        e_ptr=np.searchsorted(e_rows_a, np.arange(n_e + 1)),
        e_m=np.array(e_m, np.int64),
        e_mrank=_dense_ranks(np.array(e_m, np.int64), np.array(e_r, np.int64), n_m),
        m_ptr=np.searchsorted(m_rows_a, np.arange(n_m + 1)),
        m_e=np.array(m_e, np.int64),
        capacity=np.asarray(capacity, np.int64),
        class_e=np.full(n_e, -1, np.int64) if class_e is None else np.asarray(class_e, np.int64),
        class_max=class_max,
    )


def _dense_ranks(mj: np.ndarray, r: np.ndarray, n_m: int) -> np.ndarray:
    """Ranks renumbered 0.. within each mentor (lists may name people who did not list back)."""
    out = np.empty(len(mj), np.int64)
    order = np.lexsort((r, mj))
    start = np.searchsorted(mj[order], np.arange(n_m))
    out[order] = np.arange(len(mj)) - start[mj[order]]
    return out


def deferred_acceptance(
    pref: Preferences,
    *,
    active: np.ndarray | None = None,
    class_room: np.ndarray | None = None,
) -> np.ndarray:
    """Mentee-optimal stable matching: mentor index per mentee (-1: unmatched).

    ``active``: mentees taking part (default all). ``class_room``: seats per (mentor, class)
    key ``j * n_classes + c`` when locks already took some (default ``class_max`` everywhere).
    """
    nxt = pref.e_ptr[:-1].copy()  # next list entry each mentee will propose to
    held = np.full(pref.n_e, -1, np.int64)  # list entry currently held (index into e_m)
    free = np.arange(pref.n_e) if active is None else np.nonzero(active)[0]
    _propose(pref, nxt, held, free, class_room)
    out = np.full(pref.n_e, -1, np.int64)
    has = held >= 0
    out[has] = pref.e_m[held[has]]
    return out


def _propose(
    pref: Preferences,
    nxt: np.ndarray,
    held: np.ndarray,
    free: np.ndarray,
    class_room: np.ndarray | None,
) -> None:
    """Deferred acceptance from a state (``nxt``: next entry each mentee proposes to, ``held``:
    the entry it holds, -1 none; both updated in place) with the ``free`` mentees proposing,
    until every mentee is held or at the end of its list. Any state reached by proposals in
    any order continues to the same mentee-optimal matching."""
    n_m = pref.n_m
    end = pref.e_ptr[1:]
    free = free[nxt[free] < end[free]]
    use_class = pref.class_max > 0
    n_cls = int(pref.class_e.max(initial=-1)) + 1
    room_key = None
    if use_class and class_room is not None:
        room_key = class_room
    # each mentor's seats, holding the mentees it holds (-1: empty): the holders of the
    # mentors proposed to are read from there, not found by a scan of every mentee per round
    seats = np.minimum(pref.capacity, np.bincount(pref.e_m, minlength=n_m)).astype(np.int64)
    seat_ptr = np.r_[0, np.cumsum(seats)]
    seat = np.full(int(seat_ptr[-1]), -1, np.int64)
    h = np.nonzero(held >= 0)[0]
    if len(h):
        hj = pref.e_m[held[h]]
        o = np.argsort(hj, kind="stable")
        hj, h = hj[o], h[o]
        seat[seat_ptr[hj] + np.arange(len(hj)) - np.searchsorted(hj, hj)] = h
    while len(free):
        prop = nxt[free]  # entries proposed to
        tm = unique(pref.e_m[prop])  # the mentors proposed to
        k = seats[tm]
        sidx = np.repeat(seat_ptr[tm] - np.cumsum(k) + k, k) + np.arange(int(k.sum()))
        holders = seat[sidx]
        holders = holders[holders >= 0]
        seat[sidx] = -1
        pool_i = np.concatenate([holders, free])
        pool_e = np.concatenate([held[holders], prop])
        pool_j = pref.e_m[pool_e]
        pool_r = pref.e_mrank[pool_e]
        keep = np.ones(len(pool_i), bool)
        if use_class:
            cls = pref.class_e[pool_i]
            limited = cls >= 0
            gkey = np.where(limited, pool_j * n_cls + cls, -1)
            order = np.lexsort((pool_r, gkey))
            g = gkey[order]
            first = np.searchsorted(g, g, side="left")
            pos = np.arange(len(g)) - first
            if room_key is not None:
                room = np.where(g >= 0, room_key[np.maximum(g, 0)], pref.class_max)
            else:
                room = pref.class_max
            ok_sorted = (g < 0) | (pos < room)
            keep[order] = ok_sorted
        # among those the class limit lets through, each mentor keeps its best `capacity`
        idx = np.nonzero(keep)[0]
        order = idx[np.lexsort((pool_r[idx], pool_j[idx]))]
        jj = pool_j[order]
        first = np.searchsorted(jj, jj, side="left")
        pos = np.arange(len(jj)) - first
        accepted = np.zeros(len(pool_i), bool)
        taken = pos < pref.capacity[jj]
        accepted[order] = taken
        seat[seat_ptr[jj[taken]] + pos[taken]] = pool_i[order[taken]]
        held[pool_i[accepted]] = pool_e[accepted]
        rejected = pool_i[~accepted]
        held[rejected] = -1
        nxt[rejected] = np.maximum(nxt[rejected], pool_e[~accepted] + 1)
        free = rejected[nxt[rejected] < end[rejected]]


def blocking_pairs(
    pref: Preferences, assign: np.ndarray, *, class_room: np.ndarray | None = None
) -> np.ndarray:
    """Edges (as mentee-list entry indices) that block ``assign`` under these preferences: the
    mentee prefers the mentor to its own, and the mentor would take it (a seat left within the
    class limit, or the mentee beats enough of the ones it holds)."""
    n_e = pref.n_e
    lens = np.diff(pref.e_ptr)
    ent_i = np.repeat(np.arange(n_e), lens)
    ent_j = pref.e_m
    ent_r = pref.e_mrank
    pos = np.arange(len(ent_i)) - pref.e_ptr[ent_i]
    # position of each mentee's own mentor in its list (lists are short: look it up by entry)
    own_pos = np.full(n_e, np.iinfo(np.int64).max)
    mine = assign[ent_i] == ent_j
    own_pos[ent_i[mine]] = pos[mine]
    prefers = pos < own_pos[ent_i]
    # the mentor's held mentees, by rank: it takes the mentee of rank r when fewer than its
    # capacity hold a better rank, i.e. when its capacity-th best held rank is r or worse (or
    # it holds fewer than its capacity); per mentor once, then one gather per edge
    mm = np.nonzero(mine)[0]
    hj, hr = ent_j[mm], ent_r[mm]
    would_take = ent_r <= _kth_held(hj, hr, pref.n_m, pref.capacity)[ent_j]
    n_cls = int(pref.class_e.max(initial=-1)) + 1
    if pref.class_max > 0 and n_cls > 0:
        # the same within each (mentor, class) group, with the class limit as the capacity
        cls = pref.class_e[ent_i]
        hc = pref.class_e[ent_i[mm]]
        n_g = pref.n_m * n_cls
        room = np.full(n_g, pref.class_max, np.int64) if class_room is None else class_room
        lim = hc >= 0
        kth_c = _kth_held(hj[lim] * n_cls + hc[lim], hr[lim], n_g, room)
        g = ent_j * n_cls + np.maximum(cls, 0)
        would_take &= (cls < 0) | (ent_r <= kth_c[g])
    return np.nonzero(prefers & would_take & ~mine)[0]


def _kth_held(group: np.ndarray, rank: np.ndarray, n: int, room: np.ndarray) -> np.ndarray:
    """Per group (mentor, or mentor and class), the worst rank it would still take given the
    ranks it holds: the room-th best held rank when it is full (fewer than ``room`` held ranks
    beat any rank up to it), every rank when it has a seat left, none when its room is 0."""
    held_n = np.bincount(group, minlength=n)
    start = np.cumsum(held_n) - held_n
    ranks = rank[np.lexsort((rank, group))]  # held ranks, by group then best first
    room = np.asarray(room, np.int64)
    full = (room > 0) & (held_n >= room)
    kth = np.full(n, -1, np.int64)  # -1: takes nobody
    kth[held_n < room] = np.iinfo(np.int64).max  # a seat left: takes anyone
    kth[full] = ranks[start[full] + room[full] - 1]
    return kth


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    lang: str = "fr",
    top: int | None = None,
) -> Result:
    """Stable mode; ``seed`` is recorded but unused (deferred acceptance is deterministic).

    ``top``: how many unranked edges per mentee the first pass keeps (default ``TOP``; the
    tests make it small so that the lazy lists and the pricing rounds work hard)."""
    from jumelage.explain import build_result

    t0 = time.monotonic()
    P = L.build_problem(instance)
    assign = np.full(P.n_e, -1, np.int64)
    cap = P.capacity.copy()
    locked = np.zeros(P.n_e, bool)
    if len(P.lock_e):
        assign[P.lock_e] = P.lock_m
        locked[P.lock_e] = True
        cap = np.maximum(cap - np.bincount(P.lock_m, minlength=P.n_m), 0)
    room = _class_room_array(P, assign)
    fixed = np.where(locked, assign, -1)
    LAST_RUN.clear()
    with L.single_threaded_blas(), _heap_kept():
        try:
            G, rows, best_m = _one_pass(P, cap, locked, TOP if top is None else top)
            LAST_RUN["pass_s"] = round(time.monotonic() - t0, 3)
            da, n_blocking = _stable_on_short_lists(P, G, cap, locked, room, rows)
        except _Fallback:  # the float32 pass cannot vouch for the order: the full lists
            LAST_RUN["lists"] = "full"
            da, n_blocking = _stable_on_full_lists(P, cap, locked, room)
            rows = None
        assign[~locked] = da[~locked]
        seconds_da = time.monotonic() - t0
        # the score-optimal matching on the same allowed pairs, for the loss
        try:
            if rows is None:
                raise _Fallback
            optimal_lin, n_opt = _optimal_on_pool(P, G, cap, fixed, rows, best_m, da)
        except _Fallback:  # no certificate on the pool: the flow on every allowed pair
            LAST_RUN["loss"] = "full"
            optimal_lin, n_opt = _optimal_on_all_edges(P, cap, locked, fixed)
        LAST_RUN["loss_s"] = round(time.monotonic() - t0 - seconds_da, 3)
        # the bonus cap's products of small integers are exact in float32 whatever the
        # threads: one BLAS thread gives the same figure for half the CPU on a shared machine
        cap_sum = float(L.bonus_cap(P).sum()) if P.weights["shared_themes"] else 0.0
    locked_lin = float(L.score_pairs(P, P.lock_e, P.lock_m).sum()) if len(P.lock_e) else 0.0
    optimal = optimal_lin + locked_lin
    linear, bonus = L.objective(P, assign)
    stability = {
        "blocking_pairs": int(n_blocking),
        "objective": round(linear, 6),
        "optimal_objective": round(optimal, 6),
        "loss": round(optimal - linear, 6),
        "loss_pct": round(100.0 * (optimal - linear) / optimal, 3) if optimal > 0 else 0.0,
        "mentee_proposing": True,
        "matched": int((assign >= 0).sum()),
        "optimal_matched": int(n_opt) + int(locked.sum()),
        "seconds_matching": round(seconds_da, 3),
        "note": "objectives are sums of pair scores (shared-theme bonus aside)",
    }
    bound = optimal + cap_sum if P.weights["shared_themes"] else optimal
    return build_result(
        instance,
        assign,
        mode="stable",
        status="feasible",
        bound=bound,
        solver=SOLVER,
        seconds=time.monotonic() - t0,
        seed=seed,
        note="stable matching (mentee-optimal); bound = score-optimal matching (+ bonus cap)",
        lang=lang,
        stability=stability,
    )


_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4  # glibc's mallopt parameters (malloc.h)


@contextlib.contextmanager
def _heap_kept():
    """glibc only: big arrays (the pass's chunks, the lists, the prices' temporaries) come
    from the heap and freed memory stays there for the next ones, instead of a fresh mapping
    per array whose every page faults in again (at 20,000 x 10,000 most of the 2 s of system
    CPU). Afterwards glibc's defaults come back and the free memory goes back to the system.
    No effect on any figure: only where the bytes live."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt, trim = libc.mallopt, libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to tune
        yield
        return
    mallopt(_M_MMAP_MAX, 0)
    mallopt(_M_TRIM_THRESHOLD, 1 << 30)
    try:
        yield
    finally:
        mallopt(_M_MMAP_MAX, 65536)  # glibc's defaults
        mallopt(_M_TRIM_THRESHOLD, 128 * 1024)
        trim(0)


# --------------------------------------------------------------------------- the full path
# Every allowed edge scored, sorted and handed to the flow: the reference the short lists and
# the pool must agree with, and the way out when they cannot prove they do.


def _stable_on_full_lists(
    P: L.Problem, cap: np.ndarray, locked: np.ndarray, room: np.ndarray | None
) -> tuple[np.ndarray, int]:
    ei, mj = _allowed_edges(P, cap, locked)
    pref = build_preferences(P, ei, mj, L.score_pairs(P, ei, mj), capacity=cap)
    da = deferred_acceptance(pref, active=~locked, class_room=room)
    blocking = blocking_pairs(pref, np.where(locked, -1, da), class_room=room)
    return da, len(blocking)


def _optimal_on_all_edges(
    P: L.Problem, cap: np.ndarray, locked: np.ndarray, fixed: np.ndarray
) -> tuple[float, int]:
    ei, mj = _allowed_edges(P, cap, locked)
    s = L.score_pairs(P, ei, mj)
    used = L.solve_flow(
        P, ei, mj, s, capacity=cap, class_room=L._class_room(P, fixed), lexicographic=False
    )
    return float(s[used].sum()), int(used.sum())


def _allowed_edges(
    P: L.Problem, cap: np.ndarray, locked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    ei, mj = L.all_feasible_edges(P)
    keep = ~locked[ei] & (cap[mj] > 0)
    return ei[keep], mj[keep]


# --------------------------------------------------------------------------- short lists

TOP = 16  # unranked edges per mentee scored exactly at first (a mentee rarely proposes further)
MENTOR_TOP = 16  # per mentor, its best edges join the loss flow's first pool
DEEPEN = 4  # a mentee turned down by its whole short list gets DEEPEN times as many
PRICING_ROUNDS = 30  # then the flow on every allowed edge
NEAR = 0.02  # per unit of total weight: edges this close to pricing out join the pool too
PRICED_PER_MENTEE = 16  # edges that price out, per mentee and round, joining the pool
CHUNK_BUDGET = 4_000_000  # block cells per chunk (float32 scores, int64 partition indices)
LAST_RUN: dict = {}  # what the last solve did (passes, rounds, sizes): for the benchmarks


class _Fallback(Exception):
    """The short cut cannot prove that it gives what the full path gives."""


@dataclass
class _Graph:
    """Every allowed edge, from the one pass over the blocks: float32 block scores, the edges
    of a mentee contiguous (``start``, ``count``; a mentee sits in one block), mentees in the
    order of the pass (``seq``, ``off``). Per edge only its score and its pricing key (8 bytes:
    the mentee comes from its position, the mentor from the key); the few ranked edges by
    position."""

    v: np.ndarray  # float32 block score
    key: np.ndarray  # int32: mentor * nc + class column (0: none), for pricing
    nc: int  # classes + 1
    seq: np.ndarray  # the mentees in the order of the pass
    off: np.ndarray  # seq[k]'s edges are off[k]:off[k + 1]
    ranked_at: np.ndarray  # sorted positions of the edges whose mentee ranked the mentor
    start: np.ndarray
    count: np.ndarray
    tol: float  # float32 block score vs float64 pair score: at most this apart

    def rows(self, who: np.ndarray) -> np.ndarray:
        """Indices of the edges of the mentees ``who`` (indices), row after row."""
        n = self.count[who]
        first = np.repeat(self.start[who] - np.cumsum(n) + n, n)
        return first + np.arange(int(n.sum()))

    def mentee(self, k: np.ndarray) -> np.ndarray:
        """The mentee of the edges at positions ``k``."""
        return self.seq[np.searchsorted(self.off, k, side="right") - 1]

    def mentor(self, k: np.ndarray) -> np.ndarray:
        return self.key[k] // self.nc

    def ranked(self, k: np.ndarray) -> np.ndarray:
        """Whether the edges at positions ``k`` are ranked by their mentee."""
        if not len(self.ranked_at):
            return np.zeros(len(k), bool)
        at = np.minimum(np.searchsorted(self.ranked_at, k), len(self.ranked_at) - 1)
        return self.ranked_at[at] == k


@dataclass
class _Rows:
    """Exactly scored edges per mentee, sorted by (mentee, mentor): its ranked edges and its
    best unranked ones by float32 score. ``tail``: the best float32 score of its unranked
    edges left out (-inf: none left out, the row is complete)."""

    ei: np.ndarray
    mj: np.ndarray
    s: np.ndarray  # float64, jumelage.scoring's pair scores
    ranked: np.ndarray
    tail: np.ndarray
    depth: np.ndarray  # unranked edges kept per mentee (at most)


def _weight_sum(P: L.Problem) -> float:
    w = P.weights
    return max(1.0, sum(abs(float(v)) for k, v in w.items() if k != "shared_themes"))


def _tolerance(P: L.Problem) -> float:
    """A generous bound on |float32 block score - float64 pair score|: float32 keeps 7 digits of
    each weighted criterion; 1e-4 per unit of total weight leaves a wide margin (checked on
    every edge scored both ways, see ``_exact``)."""
    return 1e-4 * _weight_sum(P)


def _row_chunks(P: L.Problem, cap: np.ndarray, skip: np.ndarray):
    """(mentees, mentors, class, column positions) chunks of the blocks (solve_large.blocks),
    without the ``skip`` mentees and the mentors without a seat."""
    for E_all, J_all, cls in L.blocks(P):
        E_all = E_all[~skip[E_all]]
        J = J_all[cap[J_all] > 0]
        if not len(E_all) or not len(J):
            continue
        cs = L._chunk_size(len(J), CHUNK_BUDGET)
        colpos = L._colpos(P, J)
        for start in range(0, len(E_all), cs):
            yield E_all[start : start + cs], J, cls, colpos


def _one_pass(P: L.Problem, cap: np.ndarray, skip: np.ndarray, top: int) -> tuple[_Graph, _Rows]:
    """The one pass over the blocks: every allowed edge with its float32 score, and per
    mentee its ranked edges and its ``top`` best unranked ones (argpartition) scored
    exactly."""
    a = P.inst.arrays
    R = L.Sparse.from_keys(a.rank_by_mentee_keys, a.rank_by_mentee_vals, P.n_e)

    nc = L._n_cls(P) + 1

    def work(task):
        E, J, cls, colpos = task
        S = L.chunk_scores(P, E, J, colpos)
        allowed = S > L.NEG
        count = np.count_nonzero(allowed, axis=1)
        rr = rc = np.zeros(0, np.int64)
        if len(R):
            rr, rc, _ = R.in_chunk(E, colpos)
            ok = allowed[rr, rc]
            rr, rc = rr[ok], rc[ok]
        flat, o = np.unique(rr * S.shape[1] + rc, return_index=True)
        rr, rc = rr[o], rc[o]
        # the ranked cells' positions among the chunk's edges (row-major): the allowed cells
        # of the rows before, then those of its row up to it
        at = flat
        if len(rr):
            rows_r, inv = np.unique(rr, return_inverse=True)
            upto = np.cumsum(allowed[rows_r], axis=1, dtype=np.int64)
            at = (np.cumsum(count) - count)[rr] + upto[inv, rc] - 1
        ranked = (at, E[rr], J[rc], S[rr, rc])
        jc = (J * nc + (cls + 1 if cls >= 0 else 0)).astype(np.int32)  # a block has one class
        # boolean gathers, row-major: a mentee's edges contiguous, by column
        every = (S[allowed], np.broadcast_to(jc, S.shape)[allowed])
        mi, mc, mv, floor = _col_top(S, MENTOR_TOP)
        S[rr, rc] = L.NEG
        ki, kj, kv, tail = _row_top(S, top)
        return E, count, every, ranked, (E[ki], J[kj], kv), tail, (E[mi], J[mc], mv), (J, floor)

    n = np.zeros(P.n_e, np.int64)
    tail = np.full(P.n_e, -np.inf)
    every, kept, by_mentor, ranked, seq, counts = [], [], [], [], [], []
    floor_m = np.full(P.n_m, -np.inf, np.float32)  # per mentor: a block's MENTOR_TOP-th best
    n_edges = 0
    for E, count, ev, rk, kp, t, bm, (J, fl) in L._pmap(work, _row_chunks(P, cap, skip)):
        n[E] = count
        tail[E] = t
        every.append(ev)
        ranked.append((rk[0] + n_edges, *rk[1:]))
        n_edges += len(ev[0])
        seq.append(E)
        counts.append(count)
        kept.append(kp)
        floor_m[J] = np.maximum(floor_m[J], fl)  # the mentors of a block are distinct
        # the floor only rises: what falls under it now falls under the final one too, so
        # dropping it here leaves _mentor_best the same selection (8 M edges fewer to hold)
        by_mentor.append(_drop_under(bm, floor_m))

    def cat(parts, k, dt):
        return np.concatenate([e[k] for e in parts]) if parts else np.zeros(0, dt)

    seq_a = np.concatenate(seq) if seq else np.zeros(0, np.int64)
    off = np.r_[0, np.cumsum(np.concatenate(counts))] if counts else np.zeros(1, np.int64)
    start = np.zeros(P.n_e, np.int64)
    start[seq_a] = off[:-1]
    G = _Graph(
        v=cat(every, 0, np.float32),
        key=cat(every, 1, np.int32),
        nc=nc,
        seq=seq_a,
        off=off,
        ranked_at=cat(ranked, 0, np.int64),
        start=start,
        count=n,
        tol=_tolerance(P),
    )
    ki = cat(kept, 0, np.int64)
    kj = cat(kept, 1, np.int64)
    kv = cat(kept, 2, np.float32)
    n_rk = len(G.ranked_at)
    rows = _exact(
        P,
        G,
        np.r_[cat(ranked, 1, np.int64), ki],
        np.r_[cat(ranked, 2, np.int64), kj],
        np.r_[cat(ranked, 3, np.float32), kv],
        np.r_[np.ones(n_rk, bool), np.zeros(len(ki), bool)],
        tail,
        np.full(P.n_e, top, np.int64),
    )
    return G, rows, _mentor_best(P, G, by_mentor, floor_m)


def _col_top(S: np.ndarray, k: int):
    """Per column of a block: the ``k`` best finite cells (row, column, value), and the
    column's k-th best value (-inf when the block has at most k rows): a mentor's k best
    overall are at least the largest of these over the blocks."""
    n = S.shape[0]
    if k < n:
        rows = np.argpartition(S, n - k, axis=0)[n - k :]
    else:
        rows = np.broadcast_to(np.arange(n)[:, None], S.shape)
    vals = np.take_along_axis(S, rows, axis=0)
    if k < n:
        floor = vals.min(axis=0, initial=np.inf)
    else:
        floor = np.full(S.shape[1], -np.inf, np.float32)
    good = vals > L.NEG
    cols = np.broadcast_to(np.arange(S.shape[1])[None, :], rows.shape)
    return rows[good], cols[good], vals[good], floor


def _drop_under(part: tuple, floor_m: np.ndarray) -> tuple:
    """A chunk's (mentee, mentor, value) best edges without those under their mentor's
    floor so far."""
    near = part[2] >= floor_m[part[1]]
    return tuple(x[near] for x in part)


def _mentor_best(P: L.Problem, G: _Graph, parts: list, floor_m: np.ndarray | None = None) -> _Rows:
    """Each mentor's MENTOR_TOP best edges by float32 score (from every block's best), scored
    exactly: the pool's other side, so that a mentor nobody puts first still has bidders.

    ``floor_m``: per mentor, the largest of its blocks' MENTOR_TOP-th best values. A block
    alone holds MENTOR_TOP edges at or above it, so an edge below it is never among the
    mentor's MENTOR_TOP best: dropping those first leaves the same selection (the sort is
    stable, ties keep their order) and sorts a few edges per mentor instead of every block's."""
    if not parts:
        z = np.zeros(0, np.int64)
        return _exact(P, G, z, z, np.zeros(0, np.float32), np.zeros(0, bool), None, None)
    ei = np.concatenate([b[0] for b in parts])
    mj = np.concatenate([b[1] for b in parts])
    v = np.concatenate([b[2] for b in parts])
    if floor_m is not None:
        near = np.nonzero(v >= floor_m[mj])[0]
        ei, mj, v = ei[near], mj[near], v[near]
    order = np.lexsort((-v, mj))
    mj_o = mj[order]
    first = np.searchsorted(mj_o, mj_o, side="left")
    k = order[(np.arange(len(order)) - first) < MENTOR_TOP]
    return _exact(P, G, ei[k], mj[k], v[k], np.zeros(len(k), bool), None, None)


def _row_top(S: np.ndarray, top: int):
    """Per row of a block: the ``top`` best finite cells (row, column, value) and the best value
    left out (-inf when none is)."""
    n_rows, n = S.shape
    if top < n:
        part = np.argpartition(S, n - top - 1, axis=1)
        cols = part[:, n - top :]
        vals = np.take_along_axis(S, cols, axis=1)
        tail = np.take_along_axis(S, part[:, n - top - 1 : n - top], axis=1)[:, 0]
        tail = np.where(tail > L.NEG, tail, -np.inf).astype(np.float64)
    else:
        cols = np.broadcast_to(np.arange(n), S.shape)
        vals = S
        tail = np.full(n_rows, -np.inf)
    good = vals > L.NEG
    rows = np.broadcast_to(np.arange(n_rows)[:, None], cols.shape)
    return rows[good], cols[good], vals[good], tail


def _exact(P, G, ei, mj, v32, ranked, tail, depth) -> _Rows:
    """Edges with their float64 scores, sorted by (mentee, mentor)."""
    ei, mj = ei.astype(np.int64), mj.astype(np.int64)
    order = np.argsort(ei * P.n_m + mj)
    ei, mj, v32, ranked = ei[order], mj[order], v32[order], ranked[order]
    s = L.score_pairs(P, ei, mj)
    if len(s) and float(np.abs(s - v32).max()) > G.tol / 4:
        raise _Fallback  # float32 further from the exact scores than the margin assumes
    return _Rows(ei, mj, s, ranked, tail, depth)


def _sure(rows: _Rows, tol: float) -> np.ndarray:
    """The edges known to lead their mentee's list: ranked ones, and unranked ones that score
    more than anything left out of the row."""
    return rows.ranked | (rows.s > rows.tail[rows.ei] + tol)


def _deepen(P: L.Problem, G: _Graph, rows: _Rows, who: np.ndarray) -> _Rows:
    """``rows`` with the mentees ``who`` (bool mask) keeping DEEPEN times as many unranked
    edges (their best by float32 score, from the stored graph), the rest unchanged."""
    idx_who = np.nonzero(who)[0]
    depth = rows.depth.copy()
    depth[idx_who] *= DEEPEN
    e = G.rows(idx_who)
    is_rk = G.ranked(e)
    un = e[~is_rk]
    # the unranked edges of these rows as a dense block, one row per mentee
    row_of = np.repeat(np.arange(len(idx_who)), G.count[idx_who])[~is_rk]
    n_un = np.bincount(row_of, minlength=len(idx_who))
    width = int(n_un.max(initial=0))
    tail = rows.tail.copy()
    keep_i, keep_j, keep_v = [], [], []
    # one depth per call (all the mentees of one call share it unless their rows differ)
    for d in np.unique(depth[idx_who]):
        sel = depth[idx_who] == d
        un_on = un[sel[row_of]]  # their unranked edges, row after row
        n_sel = n_un[sel]
        # row r's edges fill the first n_sel[r] cells of its row: a boolean-mask fill, in
        # row-major order, puts them where the former (row, column) scatter did
        fill = np.arange(max(width, 1)) < n_sel[:, None]
        D = np.full(fill.shape, L.NEG, np.float32)
        D[fill] = G.v[un_on]
        r, c, _, t = _row_top(D, int(d))
        tail[idx_who[sel]] = t
        k = un_on[(np.cumsum(n_sel) - n_sel)[r] + c]
        keep_i.append(idx_who[sel][r])
        keep_j.append(G.mentor(k))
        keep_v.append(G.v[k])
    rk = e[is_rk]
    new = _exact(
        P,
        G,
        np.concatenate([G.mentee(rk), *keep_i]),
        np.concatenate([G.mentor(rk), *keep_j]),
        np.concatenate([G.v[rk], *keep_v]),
        np.r_[np.ones(len(rk), bool), np.zeros(sum(len(k) for k in keep_i), bool)],
        tail,
        depth,
    )
    return _merge(P, rows, new, who)


def _merge(P: L.Problem, rows: _Rows, new: _Rows, who: np.ndarray) -> _Rows:
    """``rows`` with the mentees ``who`` replaced by their edges in ``new``."""
    keep = np.nonzero(~who[rows.ei])[0]
    # both sides sorted by (mentee, mentor) with distinct keys (the ``who`` rows left one side
    # for the other): a merge by positions instead of a sort of every row
    ka = rows.ei[keep] * P.n_m + rows.mj[keep]
    kb = new.ei * P.n_m + new.mj
    at_a = np.arange(len(ka)) + np.searchsorted(kb, ka)
    at_b = np.arange(len(kb)) + np.searchsorted(ka, kb)
    n = len(ka) + len(kb)

    def merged(a, b):
        out = np.empty(n, np.result_type(a, b))
        out[at_a] = a[keep]
        out[at_b] = b
        return out

    return _Rows(
        merged(rows.ei, new.ei),
        merged(rows.mj, new.mj),
        merged(rows.s, new.s),
        merged(rows.ranked, new.ranked),
        np.where(who, new.tail, rows.tail),
        np.where(who, new.depth, rows.depth),
    )


def _short_preferences(P: L.Problem, rows: _Rows, sure: np.ndarray, cap: np.ndarray):
    """The short lists' preferences: mentee lists only (the mentor's order by key)."""
    return build_preferences(
        P, rows.ei[sure], rows.mj[sure], rows.s[sure], capacity=cap, mentor_lists=False
    )


def _stable_on_short_lists(
    P: L.Problem,
    G: _Graph,
    cap: np.ndarray,
    locked: np.ndarray,
    room: np.ndarray | None,
    rows: _Rows,
) -> tuple[np.ndarray, int]:
    """Deferred acceptance on each mentee's sure prefix; a mentee turned down by all of it gets
    a longer one (DEEPEN times its depth) and proposes on. The lists are prefixes of the full
    ones and a mentor ranks the mentees it meets as in the full lists, so the matching is the
    one the full lists give (deferred acceptance does not depend on the order of proposals);
    so is the blocking count (a blocking pair lies in the part of a list its mentee proposed
    to, or in a complete list)."""
    sure = _sure(rows, G.tol)
    pref = _short_preferences(P, rows, sure, cap)
    nxt = pref.e_ptr[:-1].copy()
    held = np.full(P.n_e, -1, np.int64)
    free = np.nonzero(~locked)[0]
    while True:
        _propose(pref, nxt, held, free, room)
        stuck = ~locked & (held < 0) & (nxt >= pref.e_ptr[1:]) & (rows.tail > -np.inf)
        if not stuck.any():
            break
        # longer lists for them, with the same prefix: the state carries over
        LAST_RUN.setdefault("deepened", []).append(int(stuck.sum()))
        rows = _deepen(P, G, rows, stuck)
        sure = _sure(rows, G.tol)
        pos_next = nxt - pref.e_ptr[:-1]
        has = held >= 0
        pos_held = np.where(has, held - pref.e_ptr[:-1], 0)
        pref = _short_preferences(P, rows, sure, cap)
        nxt = pref.e_ptr[:-1] + pos_next
        held = np.where(has, pref.e_ptr[:-1] + pos_held, -1)
        free = np.nonzero(stuck)[0]
    da = np.full(P.n_e, -1, np.int64)
    has = held >= 0
    da[has] = pref.e_m[held[has]]
    LAST_RUN["list_entries"] = len(pref.e_m)
    blocking = blocking_pairs(pref, np.where(locked, -1, da), class_room=room)
    return da, len(blocking)


# --------------------------------------------------------------------------- the loss


def _optimal_on_pool(
    P: L.Problem,
    G: _Graph,
    cap: np.ndarray,
    fixed: np.ndarray,
    rows: _Rows,
    best_m: _Rows,
    da: np.ndarray,
) -> tuple[float, int]:
    """The score-optimal matching from a pool of exactly scored edges, proven optimal on every
    allowed edge by the flow's prices (integer micro-points, as the flow's costs): with
    u_i + p_j + q_jc >= w_ij on every edge (dual feasible) and sum u + seats x p + room x q
    equal to the flow's score (complementary slackness), no matching on all edges scores more.
    The stored float32 scores find the edges that might price out (within the margin); their
    exact scores decide, and those that do join the pool. The first pool: every mentee's
    first-pass edges, every mentor's best, the stable matching's edges. Returns (sum of
    scores, matched)."""
    room_d = L._class_room(P, fixed)
    nc = L._n_cls(P) + 1
    room_arr = np.zeros((P.n_m, nc), np.int64)
    if P.class_max > 0:
        room_arr[:, 1:] = P.class_max
        for key, r in room_d.items():
            room_arr[key // (nc - 1), key % (nc - 1) + 1] = r
    cls_col = np.where(P.class_e >= 0, P.class_e + 1, 0)
    di = np.nonzero((da >= 0) & (fixed < 0))[0]
    dj = da[di]
    key = np.r_[rows.ei * P.n_m + rows.mj, best_m.ei * P.n_m + best_m.mj, di * P.n_m + dj]
    key, at = np.unique(key, return_index=True)
    pi, pj = key // P.n_m, key % P.n_m
    ps = np.r_[rows.s, best_m.s, L.score_pairs(P, di, dj)][at]
    if not len(pi):  # no allowed edge at all (a pool edge per mentee with any)
        return 0.0, 0
    for _ in range(PRICING_ROUNDS):
        used = L.solve_flow(P, pi, pj, ps, capacity=cap, class_room=room_d, lexicographic=False)
        u, p, q = _certified_duals(P, pi, pj, ps, used, cap, room_arr, cls_col)
        LAST_RUN.setdefault("pool", []).append(len(pi))
        vi, vj, vs, n_out = _priced_out(P, G, u, p, q, cls_col)
        LAST_RUN.setdefault("priced_out", []).append(n_out)
        if not n_out:
            return float(ps[used].sum()), int(used.sum())
        key, at = np.unique(np.r_[pi * P.n_m + pj, vi * P.n_m + vj], return_index=True)
        pi, pj, ps = key // P.n_m, key % P.n_m, np.r_[ps, vs][at]
    raise _Fallback


def _certified_duals(P, pi, pj, ps, used, cap, room_arr, cls_col):
    """Integer prices (u per mentee, p per mentor, q per (mentor, class)) from the flow's
    optimal matching (``_least_prices``), checked dual feasible on the pool and equal in value
    to the matching."""
    nc = room_arr.shape[1]
    w = np.rint(ps * L.SCALE).astype(np.int64)
    u, p, q = _least_prices(P.n_e, P.n_m, nc, pi, pj, w, cls_col, used, cap, room_arr.ravel())
    live = (ps > 0) & (cap[pj] > 0)
    feasible = bool((u >= 0).all()) and bool(
        (w[live] <= u[pi[live]] + p[pj[live]] + q[pj[live], cls_col[pi[live]]]).all()
    )
    dual = int(u.sum()) + int((cap * p).sum()) + int((room_arr * q).sum())
    if not feasible or dual != int(w[used].sum()):
        raise _Fallback
    return u, p, q


def _least_prices(n_e, n_m, nc, pi, pj, w, cls_col, used, cap, room):
    """The least prices in complementary slackness with the optimal matching ``used`` (as
    ``solve_large.mentor_prices``: p_j = 0 unless mentor j is full, then the most an unused
    edge into one of its open classes asks, w_ij - u_i; p_j + q_jc the same over a full
    class's edges, at least p_j; u_i = w of its own edge - its own price, 0 unmatched), by a
    worklist: prices only rise and u only falls from p = 0, so each step rereads only the
    edges of the mentees whose u fell. Same least fixed point as the synchronous rounds,
    which reread every edge each time."""
    big = np.iinfo(np.int64).max // 4
    cls = cls_col[pi]
    jc = pj * nc + cls
    load = np.bincount(pj[used], minlength=n_m)
    full = load >= cap
    cnt = np.bincount(jc[used & (cls > 0)], minlength=n_m * nc)
    sat = (cnt >= room) & (cnt > 0)
    sat[::nc] = False
    m_of = np.full(n_e, -1, np.int64)
    w_of = np.zeros(n_e, np.int64)
    m_of[pi[used]] = pj[used]
    w_of[pi[used]] = w[used]
    matched = m_of >= 0
    own = np.where(matched, m_of * nc + cls_col, 0)
    own_sat = matched & sat[own]
    ceil_jc = np.full(n_m * nc, big)
    np.minimum.at(ceil_jc, jc[used], w[used])
    ceil_j = ceil_jc.reshape(n_m, nc).min(axis=1)
    # the edges that can raise a price, by mentee: into a full mentor's open class (p_j) or
    # into a full class (p_j + q_jc)
    other = ~used & (w > 0)
    raise_p = other & ~sat[jc] & full[pj]
    raise_pc = other & sat[jc]
    sel = np.nonzero(raise_p | raise_pc)[0]
    sel = sel[np.argsort(pi[sel], kind="stable")]
    e_ptr = np.searchsorted(pi[sel], np.arange(n_e + 1))
    e_w, e_j, e_jc, e_sat = w[sel], pj[sel], jc[sel], raise_pc[sel]
    e_i = pi[sel]
    # the matched mentees by the price they pay: their mentor's p, or their full class's pc
    pay = np.where(own_sat, n_m + own, m_of)  # n_m + jc for a full class
    pay_order = np.nonzero(matched)[0]
    pay_order = pay_order[np.argsort(pay[pay_order], kind="stable")]
    pay_sorted = pay[pay_order]
    sat_of_j = sat.reshape(n_m, nc)
    p = np.zeros(n_m, np.int64)
    pc = np.zeros(n_m * nc, np.int64)
    u = np.where(matched, w_of, 0)
    todo = np.unique(e_i) if len(e_i) else np.zeros(0, np.int64)
    while len(todo):
        n = e_ptr[todo + 1] - e_ptr[todo]
        idx = np.repeat(e_ptr[todo] - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
        val = e_w[idx] - u[e_i[idx]]
        s_ = e_sat[idx]
        kj, vj = _group_max(e_j[idx[~s_]], val[~s_])
        vj = np.minimum(np.maximum(p[kj], vj), ceil_j[kj])
        cj = kj[vj != p[kj]]
        p[kj] = vj
        gk, gv = e_jc[idx[s_]], val[s_]
        if len(cj):  # a full class pays at least its mentor's price
            g = (cj[:, None] * nc + np.arange(nc)[None, :])[sat_of_j[cj]]
            gk, gv = np.r_[gk, g], np.r_[gv, p[g // nc]]
        kg, vg = _group_max(gk, gv)
        vg = np.minimum(np.maximum(pc[kg], vg), ceil_jc[kg])
        cg = kg[vg != pc[kg]]
        pc[kg] = vg
        # the mentees whose own price rose
        keys = np.r_[cj, n_m + cg]
        lo = np.searchsorted(pay_sorted, keys, side="left")
        hi = np.searchsorted(pay_sorted, keys, side="right")
        k = hi - lo
        who = pay_order[np.repeat(lo - np.cumsum(k) + k, k) + np.arange(int(k.sum()))]
        price = np.where(own_sat[who], pc[own[who]], p[m_of[who]])
        new_u = w_of[who] - price
        fell = new_u != u[who]
        u[who] = new_u
        todo = np.sort(who[fell])
        todo = todo[e_ptr[todo + 1] > e_ptr[todo]]
    q = np.where(sat, np.maximum(pc - np.repeat(p, nc), 0), 0).reshape(n_m, nc)
    return u, p, q


def _group_max(keys: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys (sorted) and the largest value of each: ``np.maximum.at`` into a
    scratch row as long as the largest key (keys are mentor or [mentor, class] indices), 40
    times faster than a sort of the keys for the worklist's many small calls."""
    if not len(keys):
        return keys, vals
    size = int(keys.max()) + 1
    low = np.iinfo(vals.dtype).min if vals.dtype.kind in "iu" else -np.inf
    best = np.full(size, low, vals.dtype)
    np.maximum.at(best, keys, vals)
    seen = np.zeros(size, bool)
    seen[keys] = True
    k = np.flatnonzero(seen)
    return k.astype(keys.dtype, copy=False), best[k]


def _priced_out(P, G: _Graph, u, p, q, cls_col, step: int = 1 << 22):
    """Edges of the stored graph whose exact score beats u_i + p_j + q_jc (they price out) or
    comes within ``NEAR`` of it (they would price out once the prices move: adding them
    saves flow rounds), at most PRICED_PER_MENTEE per mentee, best reduced score first, and
    how many price out. The float32 scores, within the margin, pick the edges to score
    exactly."""
    near = NEAR * _weight_sum(P)
    margin = G.tol + 2.0 / L.SCALE + near
    u32 = (u / L.SCALE - margin).astype(np.float32)
    pq32 = ((p[:, None] + q) / L.SCALE).astype(np.float32).ravel()
    cand = []
    # slices of whole rows, about ``step`` edges each: a row's threshold is its mentee's u
    cuts = np.unique(np.searchsorted(G.off, np.arange(0, G.off[-1], step), side="right") - 1)
    cuts = np.r_[cuts, len(G.seq)]
    u_seq = u32[G.seq]
    n_seq = np.diff(G.off)
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        sl = slice(G.off[a], G.off[b])
        thr = np.repeat(u_seq[a:b], n_seq[a:b])
        thr += pq32[G.key[sl]]
        # scores are sums of non-negative terms: an edge that can price out (w >= 1) has a
        # positive float32 score, so zero-score edges never need a look
        np.maximum(thr, 0, out=thr)
        cand.append(G.off[a] + np.nonzero(G.v[sl] > thr)[0])
    c = np.concatenate(cand) if cand else np.zeros(0, np.int64)
    ei, mj = G.mentee(c).astype(np.int64), G.mentor(c).astype(np.int64)
    s = L.score_pairs(P, ei, mj)
    if len(s) and float(np.abs(s - G.v[c]).max()) > G.tol / 4:
        raise _Fallback
    red = np.rint(s * L.SCALE).astype(np.int64) - (u[ei] + p[mj] + q[mj, cls_col[ei]])
    n_out = int(((s > 0) & (red > 0)).sum())
    out = np.nonzero((s > 0) & (red > -round(near * L.SCALE)))[0]
    out = out[np.lexsort((-red[out], ei[out]))]
    first = np.searchsorted(ei[out], ei[out], side="left")
    out = out[(np.arange(len(out)) - first) < PRICED_PER_MENTEE]
    LAST_RUN.setdefault("checked", []).append(len(c))
    return ei[out], mj[out], s[out], n_out


def _class_room_array(P: L.Problem, assign: np.ndarray) -> np.ndarray | None:
    """Seats per (mentor, class) key j * n_classes + c after the locks, or None without locks."""
    if P.class_max <= 0 or not len(P.lock_e):
        return None
    n_cls = int(P.class_e.max(initial=-1)) + 1
    room = np.full(P.n_m * max(n_cls, 1), P.class_max, np.int64)
    for key, r in L._class_room(P, assign).items():
        room[key] = max(r, 0)
    return room

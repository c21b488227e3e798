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
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jumelage import solve_large as L

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
) -> Preferences:
    """Preference lists over the allowed edges (ei, mj) with pair scores s."""
    ranked_e = _order_keys(P.inst, "mentee", ei, mj)
    ranked_m = _order_keys(P.inst, "mentor", ei, mj)
    n_e, n_m = P.n_e, P.n_m
    # mentee lists: by mentee, then own ranking value desc, then score desc, then mentor index;
    # mentor lists the same way round. One int64 key per side (see _composite_order).
    tie = _score_order(ei, mj, s, n_m)
    o_e = _composite_order(ei, ranked_e, tie)
    o_m = _composite_order(mj, ranked_m, tie)
    mrank = np.empty(len(ei), np.int64)
    m_start = np.searchsorted(mj[o_m], np.arange(n_m))
    pos_in_m = np.arange(len(ei)) - m_start[mj[o_m]]
    mrank[o_m] = pos_in_m
    return Preferences(
        n_e=n_e,
        n_m=n_m,
        e_ptr=np.searchsorted(ei[o_e], np.arange(n_e + 1)),
        e_m=mj[o_e],
        e_mrank=mrank[o_e],
        m_ptr=np.searchsorted(mj[o_m], np.arange(n_m + 1)),
        m_e=ei[o_m],
        capacity=(P.capacity if capacity is None else capacity).astype(np.int64),
        class_e=P.class_e.astype(np.int64),
        class_max=int(P.class_max),
    )


def _score_order(ei: np.ndarray, mj: np.ndarray, s: np.ndarray, n_m: int) -> np.ndarray:
    """Every edge's place when sorted by score desc, ties by (mentee, mentor) index.

    Edges come sorted by (mentee, mentor) from ``all_feasible_edges``: a stable argsort of -s
    then breaks ties in a mentee's list by mentor index and in a mentor's list by mentee index,
    as the former 3-key ``np.lexsort`` did. Unsorted input is put in that order first."""
    n = len(ei)
    pair = ei.astype(np.int64) * n_m + mj
    if n > 1 and not bool((pair[1:] > pair[:-1]).all()):
        base = np.argsort(pair, kind="stable")
        o = base[np.argsort(-s[base], kind="stable")]
    else:
        o = np.argsort(-s, kind="stable")
    place = np.empty(n, np.int64)
    place[o] = np.arange(n, dtype=np.int64)
    return place


def _composite_order(group: np.ndarray, ranked: np.ndarray, tie: np.ndarray) -> np.ndarray:
    """Order of the edges by group, then ranking value desc (ranked edges first), then ``tie``
    (distinct places 0..n-1): one argsort on a single int64 key instead of a 3-key lexsort."""
    n = len(group)
    sub = np.nonzero(ranked)[0]
    second = tie.copy()
    if len(sub):
        # the few ranked edges go before every unranked one, by value desc then tie
        o = np.lexsort((tie[sub], -ranked[sub]))
        second[sub[o]] = np.arange(len(sub), dtype=np.int64) - len(sub)
    key = group.astype(np.int64) * (n + len(sub)) + (second + len(sub))
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
    n_e, n_m = pref.n_e, pref.n_m
    nxt = pref.e_ptr[:-1].copy()  # next list entry each mentee will propose to
    end = pref.e_ptr[1:]
    held = np.full(n_e, -1, np.int64)  # list entry currently held (index into e_m)
    free = np.arange(n_e) if active is None else np.nonzero(active)[0]
    free = free[nxt[free] < end[free]]
    use_class = pref.class_max > 0
    n_cls = int(pref.class_e.max(initial=-1)) + 1
    room_key = None
    if use_class and class_room is not None:
        room_key = class_room
    while len(free):
        prop = nxt[free]  # entries proposed to
        mentors = pref.e_m[prop]
        touched = np.zeros(n_m, bool)
        touched[mentors] = True
        holders = np.nonzero(held >= 0)[0]
        holders = holders[touched[pref.e_m[held[holders]]]]
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
        accepted[order] = pos < pref.capacity[jj]
        held[pool_i[accepted]] = pool_e[accepted]
        rejected = pool_i[~accepted]
        held[rejected] = -1
        nxt[rejected] = np.maximum(nxt[rejected], pool_e[~accepted] + 1)
        free = rejected[nxt[rejected] < end[rejected]]
    out = np.full(n_e, -1, np.int64)
    has = held >= 0
    out[has] = pref.e_m[held[has]]
    return out


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
    instance: Instance, *, time_limit: float = 60.0, seed: int = 0, lang: str = "fr"
) -> Result:
    """Stable mode; ``seed`` is recorded but unused (deferred acceptance is deterministic)."""
    from jumelage.explain import build_result

    t0 = time.monotonic()
    P = L.build_problem(instance)
    with L.single_threaded_blas():
        ei, mj = L.all_feasible_edges(P)
    assign = np.full(P.n_e, -1, np.int64)
    cap = P.capacity.copy()
    locked = np.zeros(P.n_e, bool)
    if len(P.lock_e):
        assign[P.lock_e] = P.lock_m
        locked[P.lock_e] = True
        cap = np.maximum(cap - np.bincount(P.lock_m, minlength=P.n_m), 0)
    keep = ~locked[ei] & (cap[mj] > 0)
    ei, mj = ei[keep], mj[keep]
    s = L.score_pairs(P, ei, mj)
    pref = build_preferences(P, ei, mj, s, capacity=cap)
    room = _class_room_array(P, assign)
    da = deferred_acceptance(pref, active=~locked, class_room=room)
    assign[~locked] = da[~locked]
    blocking = blocking_pairs(pref, np.where(locked, -1, assign), class_room=room)
    seconds_da = time.monotonic() - t0
    # the score-optimal matching on the same allowed pairs, for the loss
    fixed = np.where(locked, assign, -1)
    used = L.solve_flow(
        P, ei, mj, s, capacity=cap, class_room=L._class_room(P, fixed), lexicographic=False
    )
    locked_lin = float(L.score_pairs(P, P.lock_e, P.lock_m).sum()) if len(P.lock_e) else 0.0
    optimal = float(s[used].sum()) + locked_lin
    linear, bonus = L.objective(P, assign)
    stability = {
        "blocking_pairs": int(len(blocking)),
        "objective": round(linear, 6),
        "optimal_objective": round(optimal, 6),
        "loss": round(optimal - linear, 6),
        "loss_pct": round(100.0 * (optimal - linear) / optimal, 3) if optimal > 0 else 0.0,
        "mentee_proposing": True,
        "matched": int((assign >= 0).sum()),
        "optimal_matched": int(used.sum()) + int(locked.sum()),
        "seconds_matching": round(seconds_da, 3),
        "note": "objectives are sums of pair scores (shared-theme bonus aside)",
    }
    bound = optimal + float(L.bonus_cap(P).sum()) if P.weights["shared_themes"] else optimal
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


def _class_room_array(P: L.Problem, assign: np.ndarray) -> np.ndarray | None:
    """Seats per (mentor, class) key j * n_classes + c after the locks, or None without locks."""
    if P.class_max <= 0 or not len(P.lock_e):
        return None
    n_cls = int(P.class_e.max(initial=-1)) + 1
    room = np.full(P.n_m * max(n_cls, 1), P.class_max, np.int64)
    for key, r in L._class_room(P, assign).items():
        room[key] = max(r, 0)
    return room

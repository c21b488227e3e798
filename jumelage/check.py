"""An independent check of a result against its instance: every hard rule, every capacity, the
locks, the scores and the objective recomputed, and for stable mode that no pair would rather be
together. Used by ``jumelage check`` and by the tests of every mode.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jumelage.model import Instance, Problem, Result, lookup
from jumelage.rules import PAIR_RULES, class_overflows, violations
from jumelage.scoring import objective, pair_scores

# Reported scores are rounded to 6 decimals; allow for that and for float sums.
_TOL = 1e-4


def check(inst: Instance, result: Result | dict[str, Any], *, lang: str = "fr") -> list[Problem]:
    """Everything wrong with ``result`` for ``inst``; an empty list means it holds."""
    res = result if isinstance(result, Result) else Result.from_dict(result)
    out: list[Problem] = []
    mentor_of, groups = _assignment(inst, res, out, lang)
    if groups is None:
        return out
    out += _rule_problems(inst, mentor_of, lang)
    for j, mentees in groups:
        cap = inst.capacity(inst.mentors[j])
        if len(mentees) > cap:
            params = {**inst.who(mentor=j), "count": len(mentees), "capacity": cap}
            out.append(Problem.make("over_capacity", params, lang))
        limit = inst.policy.class_limit
        for value, count in class_overflows(inst, j, mentees):
            params = {
                **inst.who(mentor=j),
                "attribute": limit.attribute if limit else "",
                "value": value,
                "count": count,
                "max": limit.max if limit else 0,
            }
            out.append(Problem.make("class_limit_exceeded", params, lang))
    a = inst.arrays
    for j, i in zip(a.lock_m.tolist(), a.lock_e.tolist(), strict=True):
        if mentor_of[i] != j:
            out.append(Problem.make("lock_missing", inst.who(mentor=j, mentee=i), lang))
    out += _score_problems(inst, res, groups, lang)
    if res.mode != "stable":  # stable mode trades matches for stability, by design
        matched = int((mentor_of >= 0).sum())
        possible = max_matched(inst)
        if possible is not None and matched < possible:
            params = {"matched": matched, "possible": possible}
            out.append(Problem.make("matches_left", params, lang))
        claimed = res.certificate.matched
        if claimed is not None and claimed != matched:
            params = {"what": "matched", "reported": claimed, "recomputed": matched}
            out.append(Problem.make("score_mismatch", params, lang))
    if res.mode == "stable":
        for j, i in blocking_pairs(inst, mentor_of):
            out.append(Problem.make("blocking_pair", inst.who(mentor=j, mentee=i), lang))
    return out


def _assignment(
    inst: Instance, res: Result, out: list[Problem], lang: str
) -> tuple[np.ndarray, list[tuple[int, list[int]]] | None]:
    mentor_of = np.full(len(inst.mentees), -1, dtype=np.int64)
    groups: list[tuple[int, list[int]]] = []
    bad = False
    for g, group in enumerate(res.groups):
        j = inst.mentor_index.get(group.mentor)
        if j is None:
            out.append(
                Problem.make(
                    "unknown_id",
                    {"path": f"/groups/{g}/mentor", "id": group.mentor, "side": "mentor"},
                    lang,
                )
            )
            bad = True
            continue
        members = []
        for n, ident in enumerate(group.mentees):
            i = inst.mentee_index.get(ident)
            if i is None:
                params = {"path": f"/groups/{g}/mentees/{n}", "id": ident, "side": "mentee"}
                out.append(Problem.make("unknown_id", params, lang))
                bad = True
            elif mentor_of[i] >= 0:
                out.append(Problem.make("mentee_assigned_twice", inst.who(mentee=i), lang))
            else:
                mentor_of[i] = j
                members.append(i)
        groups.append((j, members))
    for u in res.unmatched:
        i = inst.mentee_index.get(u.id) if u.side == "mentee" else None
        if i is not None and mentor_of[i] >= 0:
            out.append(Problem.make("matched_listed_unmatched", inst.who(mentee=i), lang))
    # One mentor listed in two groups counts as one group for capacity.
    merged: dict[int, list[int]] = {}
    for j, members in groups:
        merged.setdefault(j, []).extend(members)
    return mentor_of, (None if bad else sorted(merged.items()))


def _rule_problems(inst: Instance, mentor_of: np.ndarray, lang: str) -> list[Problem]:
    e = np.flatnonzero(mentor_of >= 0)
    m = mentor_of[e]
    out = []
    found = violations(inst, m, e)
    for rule in PAIR_RULES:
        if rule in found:
            for k in np.flatnonzero(found[rule]):
                params = {**inst.who(mentor=int(m[k]), mentee=int(e[k])), "rule": rule}
                out.append(Problem.make("pair_breaks_rule", params, lang))
    return out


def _score_problems(
    inst: Instance, res: Result, groups: list[tuple[int, list[int]]], lang: str
) -> list[Problem]:
    out = []
    by_mentor = dict(groups)
    for group in res.groups:
        j = inst.mentor_index[group.mentor]
        recomputed = objective(inst, [(j, [inst.mentee_index[x] for x in group.mentees])])
        if abs(recomputed - group.score) > _TOL * max(1.0, len(group.mentees)):
            params = {
                **inst.who(mentor=j),
                "what": inst.mentors[j].name,
                "reported": round(group.score, 6),
                "recomputed": round(recomputed, 6),
            }
            out.append(Problem.make("score_mismatch", params, lang))
    total = objective(inst, sorted(by_mentor.items()))
    cert = res.certificate
    for what, value in (("objective", cert.objective), ("bound", cert.bound), ("gap", cert.gap)):
        if value is not None and not (isinstance(value, int | float) and math.isfinite(value)):
            params = {"what": what, "reported": str(value), "recomputed": round(total, 6)}
            out.append(Problem.make("score_mismatch", params, lang))
            return out
    if abs(total - cert.objective) > _TOL * max(1.0, len(res.groups)):
        params = {"what": "objective", "reported": cert.objective, "recomputed": round(total, 6)}
        out.append(Problem.make("score_mismatch", params, lang))
    if cert.bound is not None and cert.bound < cert.objective - _TOL * max(1.0, len(res.groups)):
        out.append(
            Problem.make(
                "bound_below_objective", {"bound": cert.bound, "objective": cert.objective}, lang
            )
        )
    return out


CHECK_MAX_PAIRS = 5_000_000  # feasible pairs up to which `check` recomputes the most matches


def max_matched(inst: Instance, *, max_pairs: int = CHECK_MAX_PAIRS) -> int | None:
    """The most mentees any matching can place under the hard rules, the capacities, the class
    limit and the locks: a maximum flow (scipy, not the solvers' OR-Tools) on

        source -> mentee (1) -> [mentor, class] (limit - locked) -> mentor (seats - locked) -> sink

    over every feasible pair (mentees without a class go straight to the mentor). None when the
    program has more than ``max_pairs`` feasible pairs (too large to recompute here)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import maximum_flow

    from jumelage.rules import feasible_mask

    a = inst.arrays
    nm, ne = a.n_mentors, a.n_mentees
    locked = np.zeros(ne, dtype=bool)
    locked[a.lock_e] = True
    seats = a.capacity - np.bincount(a.lock_m, minlength=nm)
    mentors = np.flatnonzero(seats > 0)
    free = np.flatnonzero(~locked)
    n_locked = int(locked.sum())
    if not len(mentors) or not len(free):
        return n_locked
    parts_m, parts_e, total = [], [], 0
    step = max(1, 2_000_000 // len(mentors))
    for s in range(0, len(free), step):
        block = free[s : s + step]
        ii, jj = np.nonzero(feasible_mask(inst, mentors[None, :], block[:, None]))
        total += len(ii)
        if total > max_pairs:
            return None
        parts_m.append(mentors[jj])
        parts_e.append(block[ii])
    em, ee = np.concatenate(parts_m), np.concatenate(parts_e)
    if not len(em):
        return n_locked
    source, sink = 0, 1
    mentee_node = 2 + np.arange(ne)
    mentor_node = 2 + ne + np.arange(nm)
    n_nodes = 2 + ne + nm
    tails = [np.full(len(free), source), mentor_node[mentors]]
    heads = [mentee_node[free], np.full(len(mentors), sink)]
    caps = [np.ones(len(free), np.int64), seats[mentors]]
    head_of_edge = mentor_node[em]
    cls = a.class_e[ee]
    if a.class_max > 0 and (cls >= 0).any():
        has = cls >= 0
        n_cls = int(a.class_e.max()) + 1
        key = em[has] * n_cls + cls[has]
        uniq, inv = np.unique(key, return_inverse=True)
        room = np.full(len(uniq), a.class_max, dtype=np.int64)
        lk = a.lock_m * n_cls + a.class_e[a.lock_e]
        lk = lk[a.class_e[a.lock_e] >= 0]
        if len(lk):
            pos = np.searchsorted(uniq, lk)
            hit = (pos < len(uniq)) & (uniq[np.minimum(pos, len(uniq) - 1)] == lk)
            np.subtract.at(room, pos[hit], 1)
        class_node = n_nodes + np.arange(len(uniq))
        n_nodes += len(uniq)
        head_of_edge = head_of_edge.copy()
        head_of_edge[has] = class_node[inv]
        tails.append(class_node)
        heads.append(mentor_node[uniq // n_cls])
        caps.append(np.maximum(room, 0))
    tails.append(mentee_node[ee])
    heads.append(head_of_edge)
    caps.append(np.ones(len(ee), np.int64))
    t, h, c = (np.concatenate(x) for x in (tails, heads, caps))
    graph = coo_matrix((c.astype(np.int32), (t, h)), shape=(n_nodes, n_nodes)).tocsr()
    graph.sum_duplicates()
    return n_locked + int(maximum_flow(graph, source, sink).flow_value)


def blocking_pairs(
    inst: Instance, mentor_of: np.ndarray, *, limit: int = 100
) -> list[tuple[int, int]]:
    """Pairs (mentor, mentee), allowed by the rules, that both strictly prefer each other to what
    they have: the mentee to its mentor (or to being unmatched), the mentor to its least preferred
    mentee (or has a free seat). Preferences are the participant's ranking when they gave one
    (unranked people come last), else the pair score. A pair the class limit forbids does not
    block."""
    a = inst.arrays
    nm, ne = a.n_mentors, a.n_mentees
    if nm == 0 or ne == 0:
        return []
    ranked_e = np.array([len(p.ranking) > 0 for p in inst.mentees])
    ranked_m = np.array([len(p.ranking) > 0 for p in inst.mentors])
    matched = np.flatnonzero(mentor_of >= 0)
    cur_m = mentor_of[matched]
    s_cur = pair_scores(inst, cur_m, matched)
    keys = a.key(cur_m, matched)
    val_e_cur = np.full(ne, -np.inf)
    val_e_cur[matched] = np.where(
        ranked_e[matched], lookup(a.rank_by_mentee_keys, a.rank_by_mentee_vals, keys), s_cur
    )
    val_m_of = np.where(
        ranked_m[cur_m], lookup(a.rank_by_mentor_keys, a.rank_by_mentor_vals, keys), s_cur
    )
    locked = np.zeros(ne, dtype=bool)
    locked[a.lock_e] = True
    # A locked mentee can neither leave nor be displaced: it never takes part in a blocking pair.
    val_m_of = np.where(locked[matched], np.inf, val_m_of)
    worst = np.full(nm, np.inf)
    np.minimum.at(worst, cur_m, val_m_of)
    load = np.bincount(cur_m, minlength=nm)
    worst[load < a.capacity] = -np.inf  # a free seat takes anyone acceptable
    class_full = np.zeros((nm, 0), dtype=bool)
    if a.class_max > 0:
        n_cls = int(a.class_e.max()) + 1 if ne else 0
        counts = np.zeros((nm, max(n_cls, 1)), dtype=np.int64)
        has = a.class_e[matched] >= 0
        np.add.at(counts, (cur_m[has], a.class_e[matched][has]), 1)
        class_full = counts >= a.class_max
    found: list[tuple[int, int]] = []
    mentors = np.arange(nm)
    step = max(1, 2_000_000 // nm)
    for s in range(0, ne, step):
        block = np.arange(s, min(ne, s + step))
        ok = _feasible(inst, mentors[None, :], block[:, None]) & (a.capacity[None, :] > 0)
        ok &= mentor_of[block][:, None] != mentors[None, :]
        ok &= ~locked[block][:, None]
        scores = pair_scores(inst, mentors[None, :], block[:, None])
        k = a.key(mentors[None, :], block[:, None])
        v_e = np.where(
            ranked_e[block][:, None],
            lookup(a.rank_by_mentee_keys, a.rank_by_mentee_vals, k),
            scores,
        )
        v_m = np.where(
            ranked_m[None, :], lookup(a.rank_by_mentor_keys, a.rank_by_mentor_vals, k), scores
        )
        blocking = ok & (v_e > val_e_cur[block][:, None]) & (v_m > worst[None, :])
        if class_full.shape[1]:
            cls = a.class_e[block]
            full = np.where(cls[:, None] >= 0, class_full[:, np.maximum(cls, 0)].T, False)
            blocking &= ~full
        for bi, j in zip(*np.nonzero(blocking), strict=True):
            found.append((int(j), int(block[bi])))
            if len(found) >= limit:
                return found
    return found


def _feasible(inst: Instance, m: np.ndarray, e: np.ndarray) -> np.ndarray:
    from jumelage.rules import feasible_mask

    return feasible_mask(inst, m, e)

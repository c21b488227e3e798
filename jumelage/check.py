"""An independent check of a result against its instance: every hard rule, every capacity, the
locks, the scores and the objective recomputed, and for stable mode that no pair would rather be
together. Used by ``jumelage check`` and by the tests of every mode.
"""

from __future__ import annotations

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

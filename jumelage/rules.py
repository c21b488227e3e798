"""Hard rules: which mentor–mentee pairs are allowed, and why a pair is not.

Every function takes index arrays that broadcast against each other, so the same code checks a
list of edges (``mentor_idx`` and ``mentee_idx`` of equal length) or a dense block
(``mentee_idx[:, None]`` against ``mentor_idx[None, :]``) without a Python loop over pairs.
A missing value (no region, no language listed…) never excludes a pair: the rule cannot be
checked, so it does not apply.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from jumelage.model import Arrays, Instance, Problem, contains

# Order used in explanations and counts.
PAIR_RULES = (
    "different_region",
    "same_region_different_mrc",
    "same_sector",
    "language",
    "availability",
    "conflict_of_interest",
    "competition",
    "forbidden",
    "not_scored",
)


def _both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a >= 0) & (b >= 0)


def _disjoint(bits_m: np.ndarray, bits_e: np.ndarray, m: np.ndarray, e: np.ndarray) -> np.ndarray:
    """True where both sides listed something and nothing is in common."""
    bm, be = bits_m[m], bits_e[e]
    listed = bm.any(axis=-1) & be.any(axis=-1)
    return listed & ~(bm & be).any(axis=-1)


def violations(
    inst: Instance, mentor_idx: np.ndarray, mentee_idx: np.ndarray
) -> dict[str, np.ndarray]:
    """For each pair rule in force, a boolean array: True where the pair breaks it."""
    a: Arrays = inst.arrays
    m = np.asarray(mentor_idx, dtype=np.int64)
    e = np.asarray(mentee_idx, dtype=np.int64)
    pol = inst.policy
    out: dict[str, np.ndarray] = {}
    rm, re_ = a.region_m[m], a.region_e[e]
    if pol.region_rule == "different_region":
        out["different_region"] = _both(rm, re_) & (rm == re_)
    elif pol.region_rule == "same_region_different_mrc":
        cm, ce = a.mrc_m[m], a.mrc_e[e]
        out["same_region_different_mrc"] = (_both(rm, re_) & (rm != re_)) | (
            _both(cm, ce) & (cm == ce)
        )
    if pol.sector_rule == "same_sector":
        sm, se = a.sector_m[m], a.sector_e[e]
        out["same_sector"] = _both(sm, se) & (sm != se)
    if pol.require_common_language:
        out["language"] = _disjoint(a.lang_m, a.lang_e, m, e)
    if pol.require_availability_overlap:
        out["availability"] = _disjoint(a.avail_m, a.avail_e, m, e)
    if len(a.excl_keys) or len(a.forbid_keys):
        keys = a.key(m, e)
        if len(a.excl_keys):
            pos = np.minimum(np.searchsorted(a.excl_keys, keys), len(a.excl_keys) - 1)
            hit = a.excl_keys[pos] == keys
            reason = a.excl_reason[pos]
            out["conflict_of_interest"] = hit & (reason == 0)
            out["competition"] = hit & (reason == 1)
        if len(a.forbid_keys):
            out["forbidden"] = contains(a.forbid_keys, keys)
    if pol.only_scored_pairs:
        out["not_scored"] = ~contains(a.pair_score_keys, a.key(m, e))
    return out


def feasible_mask(inst: Instance, mentor_idx: np.ndarray, mentee_idx: np.ndarray) -> np.ndarray:
    """True where the pair breaks no hard pair rule (capacity and group rules aside)."""
    m = np.asarray(mentor_idx, dtype=np.int64)
    e = np.asarray(mentee_idx, dtype=np.int64)
    ok = np.ones(np.broadcast_shapes(m.shape, e.shape), dtype=bool)
    for broken in violations(inst, m, e).values():
        ok &= ~broken
    return ok


def broken_rules(inst: Instance, mentor: int, mentee: int) -> list[str]:
    """The rules one pair breaks, in :data:`PAIR_RULES` order."""
    found = violations(inst, np.array([mentor]), np.array([mentee]))
    return [rule for rule in PAIR_RULES if rule in found and bool(found[rule][0])]


def can_share_group(inst: Instance, mentee_a: np.ndarray, mentee_b: np.ndarray) -> np.ndarray:
    """Whether two mentees may sit in one group as far as the class limit goes (pairwise view:
    with a limit of 1, two mentees of one class cannot)."""
    a = inst.arrays
    ca, cb = a.class_e[mentee_a], a.class_e[mentee_b]
    if a.class_max != 1:
        return np.ones(np.broadcast_shapes(ca.shape, cb.shape), dtype=bool)
    return ~(_both(ca, cb) & (ca == cb))


def class_overflows(inst: Instance, mentor: int, mentees: list[int]) -> list[tuple[str, int]]:
    """The classes over the limit in one group, as (class value, count)."""
    limit = inst.policy.class_limit
    if limit is None:
        return []
    values = [inst.mentees[i].attribute(limit.attribute) for i in mentees]
    counts = Counter(str(v).strip().casefold() for v in values if v is not None)
    return [(v, n) for v, n in sorted(counts.items()) if n > limit.max]


def lock_problems(inst: Instance, *, lang: str = "fr") -> list[Problem]:
    """Contradictions among locks, forbidden pairs, rules and capacities; empty when none."""
    out: list[Problem] = []
    mi, ei = inst.mentor_index, inst.mentee_index
    forbidden = {(p.mentor, p.mentee) for p in inst.forbidden}
    by_mentor: dict[int, list[int]] = {}
    by_mentee: dict[int, list[int]] = {}
    for pair in dict.fromkeys(inst.locks):  # the same lock twice is harmless
        j, i = mi[pair.mentor], ei[pair.mentee]
        who = inst.who(mentor=j, mentee=i)
        by_mentor.setdefault(j, []).append(i)
        by_mentee.setdefault(i, []).append(j)
        if (pair.mentor, pair.mentee) in forbidden:
            out.append(Problem.make("lock_and_forbid", who, lang))
        for rule in broken_rules(inst, j, i):
            if rule != "forbidden":
                out.append(Problem.make("locked_pair_breaks_rule", {**who, "rule": rule}, lang))
        if inst.capacity(inst.mentors[j]) == 0:
            out.append(Problem.make("capacity_zero", who, lang))
    for j, mentees in by_mentor.items():
        cap = inst.capacity(inst.mentors[j])
        if 0 < cap < len(mentees):
            params = {**inst.who(mentor=j), "count": len(mentees), "capacity": cap}
            out.append(Problem.make("lock_over_capacity", params, lang))
        for _value, _count in class_overflows(inst, j, mentees):
            names = " + ".join(inst.mentees[i].name for i in mentees)
            params = {
                **inst.who(mentor=j),
                "mentee": ",".join(inst.mentees[i].id for i in mentees),
                "mentee_label": names,
                "rule": "mentee_class_limit",
            }
            out.append(Problem.make("locked_pair_breaks_rule", params, lang))
    for i, mentors in by_mentee.items():
        if len(mentors) > 1:
            params = {**inst.who(mentee=i), "mentors": [inst.mentors[j].name for j in mentors]}
            out.append(Problem.make("mentee_locked_twice", params, lang))
    return out

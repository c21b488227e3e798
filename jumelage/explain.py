"""Why: each group's score broken down by criterion, and for each person left out the rule or the
capacity that left them out. Shared by every mode: a solver hands :func:`build_result` the
mentor chosen for each mentee and gets back a complete :class:`~jumelage.model.Result`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jumelage import messages
from jumelage.model import (
    Certificate,
    Group,
    Instance,
    Result,
    Unmatched,
    relative_gap,
)
from jumelage.rules import PAIR_RULES, violations
from jumelage.scoring import CRITERIA, criteria, pair_bonus

_BLOCK_CELLS = 2_000_000  # pairs examined at once when explaining, to bound memory


def _r(x: float) -> float:
    return round(float(x), 6)


def explain_groups(
    inst: Instance, groups: list[tuple[int, list[int]]]
) -> list[tuple[float, dict[str, Any]]]:
    """Score and explanation of each (mentor, mentees) group: each pair's criteria (weighted
    contribution and raw value), the shared-theme bonus with the themes behind it, and which
    mentees were locked. Vectorised over all pairs at once, so it scales to national runs."""
    w = inst.weights.pair_weights()
    a = inst.arrays
    # the pair_score criterion is shown when the instance gives pair scores
    shown = [c for c in CRITERIA if c != "pair_score" or inst.pair_scores]
    locked = set(zip(a.lock_m.tolist(), a.lock_e.tolist(), strict=True))
    pm = np.array([j for j, ms in groups for _ in ms], dtype=np.int64)
    pe = np.array([i for _, ms in groups for i in ms], dtype=np.int64)
    raw = criteria(inst, pm, pe) if len(pm) else {c: np.zeros(0) for c in CRITERIA}
    contrib = {c: w[c] * raw[c] for c in CRITERIA}
    totals = sum(contrib[c] for c in CRITERIA) if len(pm) else np.zeros(0)
    # Mentee pairs inside each group, for the shared-theme bonus.
    qa, qb, owner = [], [], []
    for g, (_, ms) in enumerate(groups):
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                qa.append(ms[x])
                qb.append(ms[y])
                owner.append(g)
    bonus = np.zeros(len(groups))
    if qa:
        np.add.at(bonus, np.array(owner), pair_bonus(inst, np.array(qa), np.array(qb)))
    # every figure rounded once per column: the same round(float, 6) as ``_r`` on the same
    # float64 values, without a numpy scalar per figure (a national run has millions)
    total_r = _r_all(totals)
    crit_r = [_r_all(contrib[c]) for c in shown]
    raw_r = [_r_all(raw[c]) for c in shown]
    crit_rows = list(zip(*crit_r, strict=True)) if shown else [()] * len(pm)
    raw_rows = list(zip(*raw_r, strict=True)) if shown else [()] * len(pm)
    bonus_r = _r_all(bonus)
    ids = [p.id for p in inst.mentees]
    themes = _shared_themes_all(inst, groups)
    tot = np.asarray(totals, dtype=np.float64)
    out = []
    k = 0
    for g, (j, ms) in enumerate(groups):
        pairs = []
        for i in ms:
            pairs.append(
                {
                    "mentee": ids[i],
                    "total": total_r[k],
                    "criteria": dict(zip(shown, crit_rows[k], strict=True)),
                    "raw": dict(zip(shown, raw_rows[k], strict=True)),
                }
            )
            k += 1
        score = float(tot[k - len(ms) : k].sum())
        explanation = {
            "pairs": pairs,
            "shared_themes": {
                "bonus": bonus_r[g],
                "themes": themes[g],
            },
            "locked": [ids[i] for i in ms if (j, i) in locked] if locked else [],
        }
        out.append((score + float(bonus[g]), explanation))
    return out


def _r_all(x: Any) -> list[float]:
    """``_r`` of every value of an array, as Python floats."""
    return [round(v, 6) for v in np.asarray(x, dtype=np.float64).ravel().tolist()]


def _shared_themes_all(inst: Instance, groups: list[tuple[int, list[int]]]) -> list[list[str]]:
    """``shared_themes`` of every group at once, from the folded theme bitsets of
    ``Instance.arrays`` (the same folding): per group and theme, how many mentees declare it."""
    a = inst.arrays
    names = a.theme_names
    out: list[list[str]] = [[] for _ in groups]
    if not names or not groups:
        return out
    n_t = len(names)
    bits = np.ascontiguousarray(a.themes_e.astype("<u8")).view(np.uint8)
    has = np.unpackbits(bits, axis=1, bitorder="little")[:, :n_t].astype(bool)
    pe = np.array([i for _, ms in groups for i in ms], dtype=np.int64)
    pg = np.repeat(np.arange(len(groups)), [len(ms) for _, ms in groups])
    count = np.zeros((len(groups), n_t), np.int32)
    r, t = np.nonzero(has[pe])
    np.add.at(count, (pg[r], t), 1)
    by_name = sorted(range(n_t), key=names.__getitem__)  # the columns in name order
    g, c = np.nonzero(count[:, by_name] >= 2)
    sorted_names = [names[t] for t in by_name]
    for gi, ci in zip(g.tolist(), c.tolist(), strict=True):
        out[gi].append(sorted_names[ci])
    return out


def shared_themes(inst: Instance, mentees: list[int]) -> list[str]:
    """Themes declared by at least two mentees of the group."""
    seen: dict[str, int] = {}
    for i in mentees:
        for t in {str(x).strip().casefold() for x in inst.mentees[i].themes}:
            seen[t] = seen.get(t, 0) + 1
    return sorted(t for t, n in seen.items() if n >= 2)


def _rule_counts(
    inst: Instance, rows: np.ndarray, *, mentor_rows: bool
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """For each row person, how many people of the other side each rule excludes, and the
    feasibility matrix row sums; computed in blocks so that memory stays bounded."""
    other = inst.arrays.n_mentees if mentor_rows else inst.arrays.n_mentors
    cols = np.arange(other)
    step = max(1, _BLOCK_CELLS // max(other, 1))
    feasible_count = np.zeros(len(rows), dtype=np.int64)
    counts: dict[str, np.ndarray] = {}
    for s in range(0, len(rows), step):
        block = rows[s : s + step]
        if mentor_rows:
            found = violations(inst, block[:, None], cols[None, :])
        else:
            found = violations(inst, cols[None, :], block[:, None])
        shape = (len(block), other)
        ok = np.ones(shape, dtype=bool)
        for rule, broken in found.items():
            broken = np.broadcast_to(broken, shape)
            counts.setdefault(rule, np.zeros(len(rows), dtype=np.int64))[s : s + step] = broken.sum(
                axis=1
            )
            ok &= ~broken
        if not mentor_rows:
            zero = inst.arrays.capacity == 0
            counts.setdefault("capacity_zero", np.zeros(len(rows), dtype=np.int64))[
                s : s + step
            ] = (ok & zero[None, :]).sum(axis=1)
            ok &= ~zero[None, :]
        feasible_count[s : s + step] = ok.sum(axis=1)
    return feasible_count, counts


def _excluded_by(counts: dict[str, np.ndarray], k: int) -> dict[str, int]:
    order = [*PAIR_RULES, "capacity_zero"]
    return {rule: int(counts[rule][k]) for rule in order if rule in counts and counts[rule][k]}


def unmatched_mentees(inst: Instance, mentor_of: np.ndarray, lang: str = "fr") -> list[Unmatched]:
    """Each unmatched mentee with the reason: no compatible mentor (counted per rule), compatible
    mentors all full, or the group rule (class limit) in the way."""
    a = inst.arrays
    rows = np.flatnonzero(mentor_of < 0)
    if len(rows) == 0:
        return []
    feasible_count, counts = _rule_counts(inst, rows, mentor_rows=False)
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=a.n_mentors)
    free = a.capacity - load
    out = []
    for k, i in enumerate(rows):
        who = inst.who(mentee=int(i))
        if feasible_count[k] == 0:
            params = {**who, "mentors": a.n_mentors, "excluded_by": _excluded_by(counts, k)}
            reason = messages.entry("no_compatible_mentor", params, lang)
        else:
            reason = _why_not_placed(inst, int(i), mentor_of, free, int(feasible_count[k]), lang)
        out.append(Unmatched(id=inst.mentees[i].id, side="mentee", reasons=[reason]))
    return out


def _why_not_placed(
    inst: Instance, i: int, mentor_of: np.ndarray, free: np.ndarray, compatible: int, lang: str
) -> dict[str, Any]:
    a = inst.arrays
    who = inst.who(mentee=i)
    mentors = np.arange(a.n_mentors)
    ok = (np.broadcast_to(_feasible_row(inst, i), mentors.shape)) & (a.capacity > 0)
    with_room = np.flatnonzero(ok & (free > 0))
    if len(with_room) == 0:
        return messages.entry("capacity_full", {**who, "compatible": compatible}, lang)
    limit = inst.policy.class_limit
    if limit is not None and a.class_e[i] >= 0:
        same = mentor_of[(a.class_e == a.class_e[i]) & (mentor_of >= 0)]
        taken = np.bincount(same, minlength=a.n_mentors)
        if np.all(taken[with_room] >= a.class_max):
            params = {**who, "attribute": limit.attribute, "compatible": compatible}
            return messages.entry("class_limit_full", params, lang)
    return messages.entry("not_selected", who, lang)


def _feasible_row(inst: Instance, i: int) -> np.ndarray:
    from jumelage.rules import feasible_mask

    return feasible_mask(inst, np.arange(inst.arrays.n_mentors), np.full(inst.arrays.n_mentors, i))


def unmatched_mentors(inst: Instance, mentor_of: np.ndarray, lang: str = "fr") -> list[Unmatched]:
    """Each mentor side with free seats, and why the seats stayed free."""
    a = inst.arrays
    load = np.bincount(mentor_of[mentor_of >= 0], minlength=a.n_mentors)
    free = a.capacity - load
    rows = np.flatnonzero((free > 0) | (a.capacity == 0))
    if len(rows) == 0:
        return []
    feasible_count, counts = _rule_counts(inst, rows, mentor_rows=True)
    out = []
    for k, j in enumerate(rows):
        who = inst.who(mentor=int(j))
        if a.capacity[j] == 0:
            reason = messages.entry("mentor_capacity_zero", who, lang)
        elif feasible_count[k] == 0:
            params = {**who, "free": int(free[j]), "excluded_by": _excluded_by(counts, k)}
            reason = messages.entry("no_compatible_mentee", params, lang)
        else:
            params = {**who, "free": int(free[j]), "compatible": int(feasible_count[k])}
            reason = messages.entry("mentees_matched_elsewhere", params, lang)
        out.append(
            Unmatched(id=inst.mentors[j].id, side="mentor", reasons=[reason], free=int(free[j]))
        )
    return out


def build_result(
    inst: Instance,
    mentor_of: np.ndarray,
    *,
    mode: str,
    status: str,
    bound: float | None,
    solver: str,
    seconds: float,
    seed: int = 0,
    note: str | None = None,
    lang: str = "fr",
    stability: dict[str, Any] | None = None,
) -> Result:
    """Turn "mentee i goes to mentor mentor_of[i] (−1: unmatched)" into a full Result: groups in
    the instance's mentor order with explanations, unmatched people with reasons, and the
    certificate (objective recomputed here; ``bound=None`` with status optimal means "equal")."""
    mentor_of = np.asarray(mentor_of, dtype=np.int64)
    order = np.argsort(mentor_of, kind="stable")
    sorted_m = mentor_of[order]
    starts = np.searchsorted(sorted_m, np.arange(inst.arrays.n_mentors))
    ends = np.searchsorted(sorted_m, np.arange(inst.arrays.n_mentors), side="right")
    members = [
        (j, [int(i) for i in order[starts[j] : ends[j]]])
        for j in range(inst.arrays.n_mentors)
        if ends[j] > starts[j]
    ]
    groups = []
    objective = 0.0
    for (j, mentees), (score, explanation) in zip(
        members, explain_groups(inst, members), strict=True
    ):
        objective += score
        groups.append(
            Group(
                mentor=inst.mentors[j].id,
                mentees=[inst.mentees[i].id for i in mentees],
                score=_r(score),
                explanation=explanation,
            )
        )
    if status == "optimal" and bound is None:
        bound = objective
    if bound is not None:
        bound = max(bound, objective)  # integer scaling can leave the bound a hair below
    certificate = Certificate(
        status=status,
        objective=_r(objective),
        bound=None if bound is None else _r(bound),
        gap=relative_gap(objective, bound),
        solver=solver,
        seconds=round(seconds, 3),
        matched=int((mentor_of >= 0).sum()),
        note=note,
    )
    if certificate.gap is not None:
        certificate.gap = round(certificate.gap, 6)
    unmatched = unmatched_mentees(inst, mentor_of, lang) + unmatched_mentors(inst, mentor_of, lang)
    return Result(
        mode=mode,
        groups=groups,
        unmatched=unmatched,
        certificate=certificate,
        seed=seed,
        stability=stability,
    )

"""An independent reference for the lexicographic objective (most mentees matched, then the
largest total pair score): two linear programs solved by HiGHS through ``scipy.optimize.linprog``,
written without any of the engine's solver code.

The constraint matrix (one row per mentee, per mentor, per [mentor, class] of the class limit) is
that of a network flow with the class limit as a node gadget, hence totally unimodular: the LP
optima are the integer optima.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from jumelage.model import Instance
from jumelage.rules import feasible_mask
from jumelage.scoring import pair_scores


def feasible_edge_list(inst: Instance) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mentor, mentee, score) of every pair the hard rules allow, mentors with seats only."""
    nm, ne = len(inst.mentors), len(inst.mentees)
    m, e = np.meshgrid(np.arange(nm), np.arange(ne), indexing="ij")
    m, e = m.ravel(), e.ravel()
    seats = np.array([inst.capacity(x) for x in inst.mentors], dtype=np.int64)
    ok = feasible_mask(inst, m, e) & (seats[m] > 0) if nm and ne else np.zeros(0, bool)
    m, e = m[ok], e[ok]
    return m, e, pair_scores(inst, m, e) if len(m) else np.zeros(0)


def lexicographic_optimum(inst: Instance) -> tuple[int, float]:
    """(most mentees that can be matched, largest total pair score among such matchings).
    Locks are not handled (the reference instances have none)."""
    assert not inst.locks
    m, e, s = feasible_edge_list(inst)
    if not len(m):
        return 0, 0.0
    nm, ne = len(inst.mentors), len(inst.mentees)
    seats = np.array([inst.capacity(x) for x in inst.mentors], dtype=np.float64)
    limit = inst.policy.class_limit
    rows, cols, rhs = [], [], []
    n_edges = len(m)
    idx = np.arange(n_edges)
    rows.append(e)
    cols.append(idx)
    rhs.append(np.ones(ne))
    rows.append(ne + m)
    cols.append(idx)
    rhs.append(seats)
    n_rows = ne + nm
    if limit is not None:
        values = [inst.mentees[i].attribute(limit.attribute) for i in range(ne)]
        codes: dict[str, int] = {}
        cls = np.array(
            [
                -1 if v is None else codes.setdefault(str(v).strip().casefold(), len(codes))
                for v in values
            ],
            dtype=np.int64,
        )
        has = cls[e] >= 0
        key = m[has] * max(1, len(codes)) + cls[e][has]
        uniq, inv = np.unique(key, return_inverse=True)
        rows.append(n_rows + inv)
        cols.append(idx[has])
        rhs.append(np.full(len(uniq), float(limit.max)))
        n_rows += len(uniq)
    A = coo_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, n_edges),
    ).tocsr()
    b = np.concatenate(rhs)
    bounds = (0, 1)
    first = linprog(-np.ones(n_edges), A_ub=A, b_ub=b, bounds=bounds, method="highs")
    assert first.status == 0, first.message
    count = int(round(-first.fun))
    second = linprog(
        -s,
        A_ub=A,
        b_ub=b,
        A_eq=np.ones((1, n_edges)),
        b_eq=[count],
        bounds=bounds,
        method="highs",
    )
    assert second.status == 0, second.message
    return count, float(-second.fun)

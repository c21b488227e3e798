"""Small-cell suppression for every published count of people or organizations.

Primary suppression hides any count from 1 to k−1 (a zero stays shown: it tells nothing about
anyone). Complementary suppression then hides more cells until no hidden value can be worked
out from the published row and column totals. "Worked out" is tested exactly: the table and its
totals form a linear system (each row sums to its total, each column to its total, the totals to
the grand total); a hidden value is exposed when that system pins it down, which we check by
Gaussian elimination over the rationals (this also catches the cases that simple peeling of
"one unknown in a line" misses, such as a single hidden cell bridging two hidden blocks).

Exact recovery is not the only leak: published totals can pin a hidden 4 to [3, 4] without
pinning it exactly. So every sensitive hidden figure (a small count, or a cell the caller marks
as describing too few people or a single group) must also keep a feasible range at least
``protection_width`` wide (``MAILLAGE_SMALL_CELL_WIDTH``, default k, for people; a narrower
``MAILLAGE_SMALL_CELL_ACTIVITY_WIDTH`` for meetings and hours): a linear program per
hidden figure (SciPy's ``linprog``) finds its smallest and largest value consistent with
everything published and with counts never below zero, and more figures are hidden until the
range is wide enough.

k comes from ``settings.MAILLAGE_SMALL_CELL_K`` (default 10) and is never below 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from django.conf import settings
from scipy.optimize import linprog

# One threshold for every floor (inclusion counts sit below the reports): defined in core.
from maillage.core.smallcell import DEFAULT_K, MARK, MIN_K, small_cell_k  # noqa: F401

DEFAULT_ACTIVITY_WIDTH = 3


def protection_width(k: int | None = None, *, people: bool = True) -> float:
    """How wide a sensitive hidden figure's feasible range must stay.

    For counts of people, ``MAILLAGE_SMALL_CELL_WIDTH`` or else k. For activity figures
    (meetings, hours, tools), hidden because they stand for one group or few people,
    ``MAILLAGE_SMALL_CELL_ACTIVITY_WIDTH`` (default 3): a group's month could be any of at least
    four values; k meetings would hide a small program's every total."""
    if not people:
        width = getattr(settings, "MAILLAGE_SMALL_CELL_ACTIVITY_WIDTH", None)
        return float(width) if width else float(DEFAULT_ACTIVITY_WIDTH)
    k = small_cell_k(k)
    width = getattr(settings, "MAILLAGE_SMALL_CELL_WIDTH", None)
    return float(width) if width else float(k)


@dataclass(frozen=True)
class Cell:
    """One published figure: its value, or nothing when suppressed or not applicable."""

    value: int | None
    suppressed: bool = False

    @property
    def shown(self) -> str:
        if self.suppressed:
            return MARK
        return "" if self.value is None else str(self.value)

    def __str__(self) -> str:
        return self.shown


def small_count(n: int | None, k: int | None = None) -> Cell:
    """A single count standing alone (no total to protect): hidden when 1 ≤ n ≤ k−1."""
    k = small_cell_k(k)
    if n is None:
        return Cell(None)
    if 1 <= n <= k - 1:
        return Cell(None, suppressed=True)
    return Cell(int(n))


@dataclass
class SuppressedTable:
    rows: list[list[Cell]]
    row_totals: list[Cell] | None
    col_totals: list[Cell] | None
    grand_total: Cell | None
    k: int
    primary: set[tuple] = field(default_factory=set)  # positions hidden because small
    complementary: set[tuple] = field(default_factory=set)  # hidden to protect the others

    def published(self) -> list[list[int | None]]:
        """Cell values as published: None for suppressed or not applicable."""
        return [[c.value for c in row] for row in self.rows]

    @property
    def any_suppressed(self) -> bool:
        return bool(self.primary or self.complementary)


# Positions: ("c", i, j) a cell, ("r", i) a row total, ("k", j) a column total, ("t",) the grand
# total. The constraints are lists of (position, coefficient) summing to zero.


def _positions_and_constraints(
    n_rows: int, n_cols: int, row_totals: bool, col_totals: bool, structural: set[tuple]
) -> list[list[tuple[tuple, int]]]:
    constraints: list[list[tuple[tuple, int]]] = []
    cell = [[("c", i, j) for j in range(n_cols)] for i in range(n_rows)]
    if row_totals:
        for i in range(n_rows):
            constraints.append([(p, 1) for p in cell[i] if p not in structural] + [(("r", i), -1)])
        constraints.append([(("r", i), 1) for i in range(n_rows)] + [(("t",), -1)])
    if col_totals:
        for j in range(n_cols):
            constraints.append(
                [(cell[i][j], 1) for i in range(n_rows) if cell[i][j] not in structural]
                + [(("k", j), -1)]
            )
        constraints.append([(("k", j), 1) for j in range(n_cols)] + [(("t",), -1)])
    return constraints


def determined(constraints: list[list[tuple[tuple, int]]], unknown: set[tuple]) -> set[tuple]:
    """The unknown positions that the constraints pin down (everything else being known).

    A variable is determined when every solution of the homogeneous system gives it 0: after
    reduction to row-echelon form, it is a pivot whose row has no free variable in it.
    """
    order = sorted(unknown)
    if not order:
        return set()
    index = {p: n for n, p in enumerate(order)}
    matrix: list[list[Fraction]] = []
    for constraint in constraints:
        row = [Fraction(0)] * len(order)
        touched = False
        for position, coef in constraint:
            if position in index:
                row[index[position]] += coef
                touched = True
        if touched:
            matrix.append(row)
    pivots: list[int] = []
    r = 0
    for col in range(len(order)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [v / lead for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
        if r == len(matrix):
            break
    free = set(range(len(order))) - set(pivots)
    found = set()
    for row_index, col in enumerate(pivots):
        if not any(matrix[row_index][f] != 0 for f in free):
            found.add(order[col])
    return found


def feasible_range(
    constraints: list[list[tuple[tuple, int]]],
    values: dict[tuple, float],
    hidden: set[tuple],
    position: tuple,
) -> tuple[float, float]:
    """The smallest and largest value of the hidden figure at ``position`` that agree with every
    published figure, every hidden one being unknown and never negative (inf when unbounded)."""
    order = sorted(hidden)
    index = {p: n for n, p in enumerate(order)}
    rows, rhs = [], []
    for constraint in constraints:
        row = np.zeros(len(order))
        known = 0.0
        touched = False
        for p, coef in constraint:
            if p in index:
                row[index[p]] += coef
                touched = True
            else:
                known += coef * values.get(p, 0)
        if touched:
            rows.append(row)
            rhs.append(-known)
    if not rows:
        return 0.0, float("inf")
    a_eq, b_eq = np.array(rows), np.array(rhs)
    objective = np.zeros(len(order))
    objective[index[position]] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        result = linprog(sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if result.status == 3:  # unbounded: only the maximum can be
            ends.append(float("inf"))
        else:
            ends.append(sign * float(result.fun))
    return ends[0], ends[1]


def suppress(
    table: list[list[int | None]],
    *,
    k: int | None = None,
    row_totals: bool = True,
    col_totals: bool = True,
    sensitive: set[tuple] | None = None,
    width: float | None = None,
    by_value: bool = True,
    grand_total: bool = True,
) -> SuppressedTable:
    """Primary then complementary suppression of a table of figures (None = not applicable).

    ``sensitive``: positions to hide whatever their value (a cell describing fewer than k people
    or a single group; a total already hidden in another table sharing it). ``width``: the
    narrowest feasible range a hidden sensitive figure may keep (``protection_width(k)``).
    ``by_value``: figures from 1 to k−1 are sensitive (counts of people); off for figures that
    are not (meetings, hours), which are then sensitive only through ``sensitive``.
    ``grand_total``: off when the table's grand total is no published figure (the sum of
    unlike columns): it is then neither shown nor an equation a reader has."""
    k = small_cell_k(k)
    width = protection_width(k, people=by_value) if width is None else float(width)
    n_rows = len(table)
    n_cols = max((len(row) for row in table), default=0)
    grid = [list(row) + [None] * (n_cols - len(row)) for row in table]
    structural = {("c", i, j) for i in range(n_rows) for j in range(n_cols) if grid[i][j] is None}

    values: dict[tuple, int] = {}
    for i in range(n_rows):
        for j in range(n_cols):
            if grid[i][j] is not None:
                values[("c", i, j)] = grid[i][j]
    if row_totals:
        for i in range(n_rows):
            values[("r", i)] = sum(v for v in grid[i] if v is not None)
    if col_totals:
        for j in range(n_cols):
            values[("k", j)] = sum(grid[i][j] for i in range(n_rows) if grid[i][j] is not None)
    if row_totals or col_totals:
        values[("t",)] = sum(v for row in grid for v in row if v is not None)

    if not grand_total:
        values.pop(("t",), None)
    primary = {p for p, v in values.items() if by_value and 0 < v < k} | {
        p for p in sensitive or () if p in values and values[p] != 0
    }
    hidden = set(primary)
    constraints = _positions_and_constraints(n_rows, n_cols, row_totals, col_totals, structural)
    if not grand_total:
        constraints = [c for c in constraints if all(p != ("t",) for p, _coef in c)]
    neighbours: dict[tuple, set[tuple]] = {p: set() for p in values}
    for constraint in constraints:
        members = [p for p, _ in constraint]
        for p in members:
            neighbours[p].update(q for q in members if q != p)

    def cost(p: tuple) -> tuple:
        # Prefer hiding a cell over a total, a non-zero over a zero (zeros are often
        # structural and hiding them confuses readers), then the smallest value.
        return (p[0] != "c", values[p] == 0, values[p], p)

    def lonely_lines(hidden: set[tuple]) -> list[list[tuple]]:
        # A line (a row or column with its total) holding exactly one hidden figure gives it
        # away: one more figure of that line must go.
        return [[p for p, _ in c] for c in constraints if sum(p in hidden for p, _ in c) == 1]

    def narrow(hidden: set[tuple]) -> dict[tuple, float]:
        """Sensitive hidden figures whose feasible range is narrower than ``width``, with it."""
        found = {}
        for p in sorted(primary):
            low, high = feasible_range(constraints, values, hidden, p)
            if high - low < width - 1e-9:
                found[p] = high - low
        return found

    while True:
        exposed = determined(constraints, hidden)
        if not exposed:
            tight = narrow(hidden)
            if not tight:
                break
            # Widen the first tight figure: hide the published figure sharing a line with it
            # that widens its range most (then the cheapest).
            p = min(tight)
            near = sorted(q for q in neighbours[p] if q not in hidden) or sorted(
                q for q in values if q not in hidden
            )
            if not near:  # pragma: no cover - everything hidden leaves every range open
                break

            def widening(q: tuple, target: tuple = p) -> tuple:
                low, high = feasible_range(constraints, values, hidden | {q}, target)
                return (-(high - low), cost(q))

            hidden.add(min(near, key=widening))
            continue
        lonely = [line for line in lonely_lines(hidden) if any(p in exposed for p in line)]
        candidates = {q for line in lonely for q in line if q not in hidden}
        if not candidates:
            # Pinned down by totals further away: any published neighbour of an exposed one.
            candidates = {q for p in exposed for q in neighbours[p] if q not in hidden}
        if not candidates:
            candidates = {q for q in values if q not in hidden}
        if not candidates:  # pragma: no cover - everything hidden means nothing is exposed
            break

        def score(q: tuple) -> tuple:
            trial = hidden | {q}
            return (len(determined(constraints, trial)), len(lonely_lines(trial)), cost(q))

        # Greedy: the figure that leaves the fewest values exposed, then the fewest giveaway
        # lines, then the cheapest.
        hidden.add(min(candidates, key=score))

    def make(p: tuple) -> Cell:
        if p in hidden:
            return Cell(None, suppressed=True)
        return Cell(values.get(p))

    return SuppressedTable(
        rows=[[make(("c", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[make(("r", i)) for i in range(n_rows)] if row_totals else None,
        col_totals=[make(("k", j)) for j in range(n_cols)] if col_totals else None,
        grand_total=make(("t",)) if (row_totals or col_totals) and grand_total else None,
        k=k,
        primary=primary,
        complementary=hidden - primary,
    )

"""The small-cell rule: primary and complementary suppression, checked on random tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.reports.suppression import (
    _positions_and_constraints,
    determined,
    feasible_range,
    small_cell_k,
    small_count,
    suppress,
)


def _published_positions(result):
    """(position, value or None if hidden) for every figure of the published table."""
    out = {}
    for i, row in enumerate(result.rows):
        for j, cell in enumerate(row):
            out[("c", i, j)] = cell
    for i, cell in enumerate(result.row_totals or []):
        out[("r", i)] = cell
    for j, cell in enumerate(result.col_totals or []):
        out[("k", j)] = cell
    if result.grand_total is not None:
        out[("t",)] = result.grand_total
    return out


def _recoverable(result, table, row_totals, col_totals):
    """Solve for hidden figures from the published ones (exact linear algebra, and also the
    plain reading: a row or column with one unknown and a published total)."""
    structural = {
        ("c", i, j) for i, row in enumerate(table) for j, v in enumerate(row) if v is None
    }
    constraints = _positions_and_constraints(
        len(table), len(table[0]), row_totals, col_totals, structural
    )
    hidden = {p for p, cell in _published_positions(result).items() if cell.suppressed}
    return determined(constraints, hidden), constraints, hidden


def _values(table, row_totals, col_totals):
    """Every figure of the table before suppression, by position."""
    values = {}
    for i, row in enumerate(table):
        for j, v in enumerate(row):
            if v is not None:
                values[("c", i, j)] = v
    if row_totals:
        for i, row in enumerate(table):
            values[("r", i)] = sum(v for v in row if v is not None)
    if col_totals:
        for j in range(len(table[0])):
            values[("k", j)] = sum(row[j] for row in table if row[j] is not None)
    values[("t",)] = sum(v for row in table for v in row if v is not None)
    return values


def _peel(constraints, hidden):
    """What an attacker reading line by line finds: one unknown in a line reveals it, repeat."""
    unknown = set(hidden)
    found = set()
    changed = True
    while changed:
        changed = False
        for c in constraints:
            left = [p for p, _ in c if p in unknown]
            if len(left) == 1:
                unknown.discard(left[0])
                found.add(left[0])
                changed = True
    return found


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda cols: st.lists(
        st.lists(
            st.one_of(
                st.integers(min_value=0, max_value=40),
                st.integers(min_value=0, max_value=12),
                st.none(),
            ),
            min_size=cols,
            max_size=cols,
        ),
        min_size=1,
        max_size=5,
    )
)


@settings(max_examples=200, deadline=None)
@given(
    table=tables,
    k=st.integers(min_value=5, max_value=12),
    totals=st.sampled_from([(True, True), (True, False), (False, True)]),
)
def test_random_tables_publish_no_small_cell_and_nothing_recoverable(table, k, totals):
    row_totals, col_totals = totals
    result = suppress(table, k=k, row_totals=row_totals, col_totals=col_totals)
    for cell in _published_positions(result).values():
        if not cell.suppressed and cell.value is not None:
            assert not 1 <= cell.value <= k - 1
    exposed, constraints, hidden = _recoverable(result, table, row_totals, col_totals)
    assert exposed == set()
    assert _peel(constraints, hidden) == set()
    # No small hidden figure is pinned to a narrow range either (the interval check).
    for p in result.primary:
        low, high = feasible_range(constraints, _values(table, row_totals, col_totals), hidden, p)
        assert high - low >= k - 1e-6, (p, low, high)
    # Not applicable cells stay blank, never marked as suppressed.
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if value is None:
                assert result.rows[i][j].value is None and not result.rows[i][j].suppressed


def test_zero_stays_shown_and_large_counts_untouched():
    result = suppress([[0, 12], [40, 50]], k=10)
    assert [c.shown for c in result.rows[0]] == ["0", "12"]
    assert not result.any_suppressed


def test_one_small_cell_takes_a_second_in_its_row_and_column():
    result = suppress([[3, 12, 15], [20, 30, 40], [11, 13, 50]], k=10)
    hidden = {
        (i, j) for i, row in enumerate(result.rows) for j, c in enumerate(row) if c.suppressed
    }
    assert (0, 0) in hidden
    assert sum(1 for i, j in hidden if i == 0) >= 2
    assert sum(1 for i, j in hidden if j == 0) >= 2
    assert result.complementary


def test_k_never_below_five(settings):
    settings.MAILLAGE_SMALL_CELL_K = 2
    assert small_cell_k() == 5
    settings.MAILLAGE_SMALL_CELL_K = 8
    assert small_cell_k() == 8
    assert small_count(4).suppressed and small_count(0).shown == "0"
    assert small_count(8).shown == "8"


def test_a_small_figure_is_not_left_in_a_narrow_range():
    # Before the interval check, the published totals pinned the hidden 1 to [0, 1]: exact
    # recovery was impossible, yet a reader knew it was 0 or 1 (issue 12, finding 11).
    table = [[27, 8, 7], [10, 1, 0]]
    result = suppress(table, k=5)
    exposed, constraints, hidden = _recoverable(result, table, True, True)
    assert ("c", 1, 1) in hidden and exposed == set()
    low, high = feasible_range(constraints, _values(table, True, True), hidden, ("c", 1, 1))
    assert high - low >= 5


def test_the_range_is_what_the_published_figures_allow():
    # x + 6 = 10 (row) and x + y = 7 (column), nothing negative: x is 4, exactly.
    constraints = [
        [(("a",), 1), (("b",), 1), (("r",), -1)],
        [(("a",), 1), (("c",), 1), (("k",), -1)],
    ]
    values = {("b",): 6, ("r",): 10, ("k",): 7}
    assert feasible_range(constraints, values, {("a",), ("c",)}, ("a",)) == (4.0, 4.0)
    # Hide the row total as well: x can be anything from 0 to 7.
    low, high = feasible_range(constraints, values, {("a",), ("c",), ("r",)}, ("a",))
    assert (low, high) == (0.0, 7.0)


def test_a_cell_describing_one_group_is_hidden_whatever_its_value():
    # 14 meetings in a month, all from one group: hidden, and protected as a small count is.
    table = [[14, 30], [25, 31], [26, 28]]
    result = suppress(table, k=5, row_totals=False, sensitive={("c", 0, 0)}, by_value=False)
    assert result.rows[0][0].suppressed
    assert sum(row[0].suppressed for row in result.rows) >= 2
    exposed, constraints, hidden = _recoverable(result, table, False, True)
    low, high = feasible_range(constraints, _values(table, False, True), hidden, ("c", 0, 0))
    assert exposed == set() and high - low >= 5


def test_figures_that_are_not_people_are_not_hidden_for_being_small():
    result = suppress([[1.5, 3], [2, 4]], k=10, row_totals=False, by_value=False)
    assert not result.any_suppressed
    assert result.rows[0][0].shown == "1.5"

"""The small-cell rule: primary and complementary suppression, checked on random tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.reports.suppression import (
    _positions_and_constraints,
    determined,
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


@settings(max_examples=300, deadline=None)
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

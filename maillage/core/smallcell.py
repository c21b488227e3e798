"""The small-cell threshold, on the lowest floor so that every app that shows a count of people
reads the same k: the reports' suppression (`reports.suppression`) and the inclusion counts of
a program (`inclusion.selectors`), which sit below the reports."""

from __future__ import annotations

from django.conf import settings

DEFAULT_K = 10
MIN_K = 5
MARK = "x"  # what a suppressed cell shows (explained under every table)


def small_cell_k(k: int | None = None) -> int:
    """The threshold in force: an explicit k, else the setting, never below MIN_K."""
    if k is None:
        k = int(getattr(settings, "MAILLAGE_SMALL_CELL_K", DEFAULT_K) or DEFAULT_K)
    return max(MIN_K, int(k))

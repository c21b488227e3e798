"""The demo's tests borrow the tools app's two groups in program A (Marc's and Nadia's)."""

from __future__ import annotations

from maillage.tools.tests.conftest import (  # noqa: F401 (fixtures)
    group,
    other_group,
    other_mentee,
    other_mentor,
    second_mentee,
    tracks,
)

"""Matching tests run with the lexical text fit: no model to load, same code path."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _lexical_fit(settings):
    settings.MATCHING_FIT_BACKEND = "lexical"

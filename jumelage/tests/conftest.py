"""The engine's tests keep their text vectors in a folder of their own (jumelage.vector_cache),
not in the user's ~/.cache: each test session starts with an empty cache."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _own_vector_cache(tmp_path_factory):
    before = os.environ.get("JUMELAGE_CACHE_DIR")
    os.environ["JUMELAGE_CACHE_DIR"] = str(tmp_path_factory.mktemp("vector-cache"))
    yield
    if before is None:
        os.environ.pop("JUMELAGE_CACHE_DIR", None)
    else:
        os.environ["JUMELAGE_CACHE_DIR"] = before

"""The administrative regions as the public form lists them, kept in memory for a few minutes.

Every showing and every answer of a form with a region question listed the 17 regions with a
query (the field's choices), and the answer read its region again (the application's column).
They come from the reference data (a migration, the admin), which changes a few times a decade:
each process keeps them `TTL` seconds, per language since their names are bilingual.
"""

from __future__ import annotations

import threading
import time

from django.utils import translation

from maillage.core.models import Territory

TTL = 300.0  # seconds

_regions: dict[str, tuple[float, list[tuple[str, int, str]]]] = {}
_lock = threading.Lock()


def regions() -> list[tuple[str, int, str]]:
    """(code, pk, name in the active language) of every administrative region, by code."""
    lang = translation.get_language() or "fr"
    now = time.monotonic()
    with _lock:
        found = _regions.get(lang)
    if found is not None and found[0] > now:
        return found[1]
    rows = [
        (r.code, r.pk, str(r.name))
        for r in Territory.objects.filter(kind=Territory.Kind.REGION).order_by("code")
    ]
    with _lock:
        _regions[lang] = (now + TTL, rows)
    return rows


def region_pk(code: str) -> int | None:
    return next((pk for known, pk, _name in regions() if known == code), None)


def forget_regions() -> None:
    """Empty this process's copy (tests that add a region)."""
    with _lock:
        _regions.clear()

"""The privacy app's answer to core's hourly round: the retention job, once a day."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.utils import timezone


def apply_retention_daily(**_: Any) -> int | None:
    """Rows destroyed or anonymized today, or None when today's run already happened (the
    shared cache remembers the day across web and worker processes; a second run would find
    nothing more anyway)."""
    from .services import apply_retention

    today = timezone.localdate()
    if not cache.add(f"privacy.retention.{today.isoformat()}", True, timeout=60 * 60 * 26):
        return None
    return sum(outcome.count for outcome in apply_retention(today=today))

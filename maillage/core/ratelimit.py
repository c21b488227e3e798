"""Rate limits kept in the shared cache (settings.CACHES), so that they hold whichever web
process or worker answers: the database cache by default, Redis when configured.

Counts are per fixed window (an hour from the top of the hour, say): simple, one cache entry a
key, and at worst twice the limit across a window's edge, which is enough to stop a flood.
Keys are hashed: an e-mail address typed in a form is not kept in clear in the cache table.

With the database cache (the default), counts go to a table of their own (`RateCount`), one
upsert for every key of a request: the database cache would take five to ten queries per count
(it counts its whole table before each write to cull it, then a savepoint, a read and a write),
a cost that grows with the table and that the public form paid on every answer.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes reads it: REMOTE_ADDR, or behind the configured
    proxies (MAILLAGE_PROXY_COUNT, MAILLAGE_TRUSTED_PROXIES) the header they write."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _key(scope: str, key: str, *parts: object) -> str:
    digest = hashlib.sha256(key.strip().lower().encode("utf-8")).hexdigest()[:40]
    return ":".join(["maillage", "rl", scope, digest, *(str(p) for p in parts)])


def hit(scope: str, key: str, *, limit: int, period: int) -> bool:
    """Count one use of `scope` by `key`; False when it is over `limit` uses in the current
    window of `period` seconds. A limit of 0 or less means no limit."""
    return hit_many([(scope, key, limit, period)])[0]


def hit_many(uses: list[tuple[str, str, int, int]]) -> list[bool]:
    """`hit` for several (scope, key, limit, period) at once: one query with the database."""
    now = time.time()
    counted = [
        (_key(scope, key, int(now // period)), limit, period)
        for scope, key, limit, period in uses
        if limit > 0
    ]
    if not counted:
        return [True] * len(uses)
    if _counts_in_table():
        counts = _table_counts([(name, period) for name, _limit, period in counted], now)
    else:
        counts = {name: _cache_count(name, period) for name, _limit, period in counted}
    verdicts = iter(counts[name] <= limit for name, limit, _period in counted)
    return [next(verdicts) if limit > 0 else True for _s, _k, limit, _p in uses]


def _counts_in_table() -> bool:
    return settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def _table_counts(names: list[tuple[str, int]], now: float) -> dict[str, int]:
    """One INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, SQLite ≥ 3.35): atomic,
    so two processes counting at once both count. Inside a transaction the row stays locked
    until it ends: the caller counts last, after its own writes, just before its commit."""
    from .models import RateCount

    table, key, count, expires = (
        connection.ops.quote_name(n)
        for n in (RateCount._meta.db_table, "key", "count", "expires_at")
    )
    rows = ", ".join(["(%s, 1, %s)"] * len(names))
    params: list[object] = []
    for name, period in names:
        params += [name, datetime.fromtimestamp(now + period + 60, UTC)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {key}, {count}",
            params,
        )
        return dict(cursor.fetchall())


def forget_old_counts(**_: object) -> int:
    """The daily job (a receiver of `daily_work_due`): counts of past windows are deleted."""
    from django.utils import timezone

    from .models import RateCount

    deleted, _rows = RateCount.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


def _cache_count(name: str, period: int) -> int:
    # add() is atomic on every backend (one SET NX on Redis): the first use makes the entry;
    # incr() then counts (an atomic INCR on Redis).
    if cache.add(name, 1, timeout=period + 60):
        return 1
    try:
        return cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, timeout=period + 60)
        return 1


def first_in(scope: str, key: str, *, period: int, holder: int | str = 1) -> bool:
    """True for the first call with `key` in `period` seconds, False for the next ones: « at
    most once an hour ». A `holder` (what the call is for, e.g. an application's id) gets True
    again for itself: a task run again after its worker died is not held back by its own
    first try."""
    name = _key(scope, key)
    return cache.add(name, holder, timeout=period) or (holder != 1 and cache.get(name) == holder)

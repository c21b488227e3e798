"""Rate limits kept in the shared cache (settings.CACHES), so that they hold whichever web
process or worker answers: the database cache by default, Redis when configured.

Counts are per fixed window (an hour from the top of the hour, say): simple, one cache entry a
key, and at worst twice the limit across a window's edge, which is enough to stop a flood.
Keys are hashed: an e-mail address typed in a form is not kept in clear in the cache table.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
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
    if limit <= 0:
        return True
    window = int(time.time() // period)
    name = _key(scope, key, window)
    # add() is atomic on every backend (an INSERT on the database cache): the first use
    # makes the entry; incr() then counts (a lost increment under a race only lets one more in).
    if cache.add(name, 1, timeout=period + 60):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add() and incr()
        cache.set(name, 1, timeout=period + 60)
        count = 1
    return count <= limit


def first_in(scope: str, key: str, *, period: int, holder: int | str = 1) -> bool:
    """True for the first call with `key` in `period` seconds, False for the next ones: « at
    most once an hour ». A `holder` (what the call is for, e.g. an application's id) gets True
    again for itself: a task run again after its worker died is not held back by its own
    first try."""
    name = _key(scope, key)
    return cache.add(name, holder, timeout=period) or (holder != 1 and cache.get(name) == holder)

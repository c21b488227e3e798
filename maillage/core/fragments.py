"""Cached page fragments: the rows of a list rendered once per revision of what they show.

A page of many rows (the follow-up dashboard, the groups list) spends most of its work building
and rendering each row. The rows are kept here, each under a key that names everything its
HTML depends on: the kind of row, the object and its content revision (changed by every write
to what the row shows), the page's scope (the program, its status, the day when the row shows
what is past or coming, the viewer's class: never one role's row to another role), the language
and the time zone. The page asks for every row at once, renders only those it lacks, and an
entry may also carry the moment it stops being true (`expires`: a next meeting's start).

The cache is `CACHES["fragments"]`, a memory of each web process (locmem) by default: a key
carries its revision, so a process can never serve a row that changed, only miss one another
process rendered; reading it costs no query and no network, where the shared cache is the
database here (a query per read, a count of the table per write). `MAILLAGE_FRAGMENT_CACHE`
may name another backend's location (Redis) for deployments with many processes.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

log = logging.getLogger(__name__)

CACHE = "fragments"
# What a stored row keeps beside its HTML; a change of the format changes the keys.
VERSION = 1


@dataclass
class Fragment:
    """One row: its HTML, and what the page needs of it beside (a count, whether to show a
    form that must stay outside the cache because it carries the viewer's CSRF token)."""

    pk: int
    html: SafeString
    data: dict[str, Any] = field(default_factory=dict)
    expires: datetime | None = None


def fragment_cache() -> BaseCache:
    """`CACHES["fragments"]`, or the default cache where the settings name no such cache."""
    return caches[CACHE] if CACHE in settings.CACHES else caches["default"]


def _key(kind: str, pk: int, revision: Any, scope: str) -> str:
    return f"{kind}:{pk}:{revision}:{scope}"


def scope_of(*parts: Any) -> str:
    """The part of the key shared by a page's rows: the caller's parts, then the language and
    the time zone (dates are shown in both). Hashed to keep the key short."""
    text = "|".join(
        [
            str(VERSION),
            *map(str, parts),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def rows(
    kind: str,
    index: Iterable[tuple[int, Any]],
    *,
    scope: str,
    render: Callable[[list[int]], dict[int, Fragment]],
    timeout: int = 24 * 3600,
) -> list[Fragment]:
    """The rows of `index` ((pk, revision) in page order): cached ones as they are, the others
    rendered by `render(pks)` (a fixed number of queries for all of them) and stored."""
    index = list(index)
    cache = fragment_cache()
    keys = {pk: _key(kind, pk, revision, scope) for pk, revision in index}
    found: dict[int, Fragment] = {}
    now = timezone.now()
    try:
        stored_rows = cache.get_many(list(keys.values())).values()
    except Exception:  # a shared cache (Redis) out of reach: render, as with an empty cache
        log.warning("fragment cache unreachable: rendering %s rows", kind, exc_info=True)
        stored_rows = []
    for stored in stored_rows:
        fragment = Fragment(**stored)
        if fragment.expires is None or fragment.expires > now:
            found[fragment.pk] = fragment
    missing = [pk for pk, _revision in index if pk not in found]
    if missing:
        made = render(missing)
        _store(
            cache,
            {
                keys[pk]: {
                    "pk": pk,
                    "html": str(f.html),
                    "data": f.data,
                    "expires": f.expires,
                }
                for pk, f in made.items()
            },
            timeout,
        )
        found.update(made)
    out = []
    for pk, _revision in index:
        if pk in found:  # a row gone between the index and the render (deleted) is left out
            fragment = found[pk]
            fragment.html = mark_safe(fragment.html)  # noqa: S308  (rendered by our templates)
            out.append(fragment)
    return out


def _store(cache: BaseCache, entries: dict[str, dict[str, Any]], timeout: int) -> None:
    try:
        cache.set_many(entries, timeout)
    except Exception:  # the page is made; the next one renders again
        log.warning("fragment cache unreachable: %d rows not kept", len(entries), exc_info=True)


def one(
    kind: str,
    pk: int,
    revision: Any,
    *,
    scope: str,
    render: Callable[[], Fragment],
    timeout: int = 24 * 3600,
) -> Fragment:
    """A single cached fragment (a page's body): `rows` with one row."""
    found = rows(
        kind, [(pk, revision)], scope=scope, render=lambda _pks: {pk: render()}, timeout=timeout
    )
    return found[0] if found else render()

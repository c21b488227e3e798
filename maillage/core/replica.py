"""Reads of read-only pages from a PostgreSQL read replica, when MAILLAGE_REPLICA_URL is set.

A GET or HEAD request reads from the replica (`DATABASES["replica"]`) until it writes: its
first write, and everything after it, go to the primary, as does everything inside a
transaction and every request other than GET or HEAD. A person who has just written
(a form sent, a sign-in) reads from the primary for MAILLAGE_REPLICA_STICKY_SECONDS afterwards
(a cookie that says only « recently wrote »), so that the page after the redirect shows what
they did even while the replica lags. Outside a request (the worker, commands), the primary.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
COOKIE = "maillage_primary"
# Bookkeeping that every page may touch (the session's expiry moves at each request, the
# shared cache counts rate limits): always on the primary, and writing it does not make the
# rest of the request, nor the next ones, leave the replica.
PRIMARY_ONLY = {"sessions", "django_cache", "axes"}
_state: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "maillage_replica", default=None
)


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str:
        state = _state.get()
        if model._meta.app_label in PRIMARY_ONLY:
            return DEFAULT_DB_ALIAS
        if state is None or not state["replica"] or state["wrote"]:
            return DEFAULT_DB_ALIAS
        if len(connections[DEFAULT_DB_ALIAS].atomic_blocks) > state["depth"]:
            return DEFAULT_DB_ALIAS  # a transaction reads what it is about to write
        return REPLICA

    def db_for_write(self, model: type, **hints: Any) -> str:
        state = _state.get()
        if state is not None and model._meta.app_label not in PRIMARY_ONLY:
            state["wrote"] = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in ("GET", "HEAD")
        state = {
            "replica": safe and COOKIE not in request.COOKIES,
            "wrote": not safe,
            # Transactions opened by this request, not around it (a test's, a server's).
            "depth": len(connections[DEFAULT_DB_ALIAS].atomic_blocks),
        }
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state["wrote"]:
            response.set_cookie(
                COOKIE,
                "1",
                max_age=settings.MAILLAGE_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

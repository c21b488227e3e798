"""`/healthz`: is this web process able to serve, and is a task worker alive?

For monitoring, Docker and systemd: JSON, 200 when the database answers and a worker beat
recently (core.heartbeat), 503 otherwise. `/healthz/web` checks the database only: what a load
balancer asks, so that a worker's restart never takes the web processes out with it. Answered by the first middleware, before sessions,
sign-in, the host check and the HTTPS redirect: a probe by address over plain HTTP gets its
answer, and the check costs one query for the database and one cache read. It says nothing about
anyone: no personal data, no cookie.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from .heartbeat import last_beat

PATHS = {"/healthz": True, "/healthz/web": False}  # path → is the worker checked


def worker_needed() -> bool:
    """The worker matters only where tasks wait for it (not with the immediate backend)."""
    from django_tasks import default_task_backend

    return bool(default_task_backend.supports_defer)


def worker_silent(*, now: float | None = None) -> bool:
    """Whether the work queued for a worker waits on none: no worker has beaten for
    MAILLAGE_HEARTBEAT_MAX_AGE (stopped, killed, or its machine lost). The progress pages say so
    instead of spinning in silence; a worker that comes back takes the queue, and the tasks of a
    dead one, as they are (core.heartbeat.requeue_orphans)."""
    if not worker_needed():
        return False
    try:
        beat = last_beat()
    except Exception:  # the database cache, when the database is down
        return True
    return beat is None or (now or time.time()) - beat > settings.MAILLAGE_HEARTBEAT_MAX_AGE


def check_health(*, worker: bool = True, now: float | None = None) -> tuple[bool, dict[str, Any]]:
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
    if not worker:
        pass
    elif worker_needed():
        try:
            beat = last_beat()
        except Exception:  # the database cache, when the database is down
            beat = None
        if beat is None:
            checks["worker"] = "missing"
        else:
            age = max(0, int((now or time.time()) - beat))
            checks["worker_last_seen_seconds"] = age
            fresh = age <= settings.MAILLAGE_HEARTBEAT_MAX_AGE
            checks["worker"] = "ok" if fresh else "stale"
    else:
        checks["worker"] = "not used"
    healthy = checks["database"] == "ok" and checks.get("worker", "ok") in ("ok", "not used")
    return healthy, checks


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        worker = PATHS.get(request.path_info.rstrip("/"))
        if worker is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        healthy, checks = check_health(worker=worker)
        body = {"status": "ok" if healthy else "unavailable", "checks": checks}
        response = HttpResponse(
            json.dumps(body), content_type="application/json", status=200 if healthy else 503
        )
        # A probe every few seconds while a worker is down: its 503 is the answer, not an error
        # to log each time (Django logs every 5xx otherwise).
        response._has_been_logged = True
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

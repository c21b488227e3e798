"""The task worker's heartbeat, kept in the shared cache, which `/healthz` reads.

Each worker (`manage.py worker`) writes the time every MAILLAGE_HEARTBEAT_SECONDS from a small
thread, whether it is idle or in the middle of a long task; a worker that died or lost its
database stops beating, and `/healthz` answers 503 once the last beat is older than
MAILLAGE_HEARTBEAT_MAX_AGE.

Each worker also beats under its own id, so that the tasks a dead worker had claimed can be
run again. django-tasks-db marks a task RUNNING when a worker claims it, in a transaction of
its own, and nothing ever looks at it again: a worker killed mid-task (`kill -9`, the machine
lost, the OOM killer) leaves its task RUNNING forever, run zero times or half-way (found by
bench/faults/run.sh worker). `requeue_orphans`, called from every live worker's beat, puts
such a task back in the queue once its worker has been silent for MAILLAGE_HEARTBEAT_MAX_AGE:
a task is then run at least once, so tasks must be safe to run again (each one checks what it
already did, as `send_application_confirmation` does).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from .dbwait import DATABASE_ERRORS, outage

log = logging.getLogger(__name__)

KEY = "worker-heartbeat"


def beat(*, now: float | None = None) -> None:
    cache.set(KEY, now if now is not None else time.time(), timeout=None)


def _worker_key(worker_id: str) -> str:
    return f"{KEY}:{worker_id}"


def beat_as(worker_id: str, *, now: float | None = None) -> None:
    """This worker is alive (kept twice the allowed silence, then forgotten)."""
    cache.set(
        _worker_key(worker_id),
        now if now is not None else time.time(),
        timeout=2 * settings.MAILLAGE_HEARTBEAT_MAX_AGE,
    )


def requeue_orphans(*, now: float | None = None) -> int:
    """Put back in the queue the tasks left RUNNING by a worker that stopped beating; return
    how many. A task is taken back only if it is still RUNNING under the same worker (a
    conditional update), so two live workers doing this at once requeue it once."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now if now is not None else time.time()
    max_age = settings.MAILLAGE_HEARTBEAT_MAX_AGE
    requeued = 0
    for pk, worker_ids, started_at in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING
    ).values_list("id", "worker_ids", "started_at"):
        worker = worker_ids[-1] if worker_ids else ""
        last = cache.get(_worker_key(worker)) if worker else None
        started = started_at.timestamp() if started_at else 0.0
        if max(float(last or 0.0), started) > now - max_age:
            continue  # beating, or claimed too recently to tell
        requeued += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, worker_ids=worker_ids
        ).update(status=TaskResultStatus.READY, started_at=None)
        log.warning("task %s: its worker %s stopped beating; queued again", pk, worker)
    return requeued


def last_beat() -> float | None:
    value = cache.get(KEY)
    return float(value) if value is not None else None


class Heart:
    """One worker's beats. Tasks of dead workers are taken back only once this worker has had
    the database for MAILLAGE_HEARTBEAT_MAX_AGE without a break: after an outage longer than
    that, every worker's last beat is old, and the first one back must not take its live
    neighbours' tasks before they have had the time to beat again (they would run twice)."""

    def __init__(self, worker_id: str = "") -> None:
        self.worker_id = worker_id
        self.healthy_since: float | None = time.monotonic()

    def beat(self, *, now: float | None = None) -> None:
        now = now if now is not None else time.monotonic()
        try:
            beat()
            if self.worker_id:
                beat_as(self.worker_id)
            if self.healthy_since is None:
                self.healthy_since = now
            if self.worker_id and now - self.healthy_since >= settings.MAILLAGE_HEARTBEAT_MAX_AGE:
                requeue_orphans()
            outage.back()
        except DATABASE_ERRORS as error:  # the database is restarting: one line, not one a beat
            self.healthy_since = None
            outage.lost(error)
        except Exception:
            log.warning("worker heartbeat: could not write it", exc_info=True)


def start_beating(*, every: float | None = None, worker_id: str = "") -> threading.Event:
    """Beat now, then every `every` seconds from a daemon thread; set the event to stop. With
    a `worker_id`, beat under it too and take back the tasks of dead workers (see Heart)."""
    every = every or settings.MAILLAGE_HEARTBEAT_SECONDS
    stop = threading.Event()
    heart = Heart(worker_id)

    def run() -> None:
        while not stop.is_set():
            try:
                heart.beat()
            finally:
                # This thread's own connection, not the worker's: closed between beats.
                connections.close_all()
            stop.wait(every)

    try:
        beat()
        if worker_id:
            beat_as(worker_id)
    except DATABASE_ERRORS as error:
        outage.lost(error)  # started while the database is away: the thread beats once it is back
    threading.Thread(target=run, name="worker-heartbeat", daemon=True).start()
    return stop

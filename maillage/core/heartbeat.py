"""The task worker's heartbeat, kept in the shared cache, which `/healthz` reads.

Each worker (`manage.py worker`) writes the time every MAILLAGE_HEARTBEAT_SECONDS from a small
thread, whether it is idle or in the middle of a long task; a worker that died or lost its
database stops beating, and `/healthz` answers 503 once the last beat is older than
MAILLAGE_HEARTBEAT_MAX_AGE.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections

log = logging.getLogger(__name__)

KEY = "worker-heartbeat"


def beat(*, now: float | None = None) -> None:
    cache.set(KEY, now if now is not None else time.time(), timeout=None)


def last_beat() -> float | None:
    value = cache.get(KEY)
    return float(value) if value is not None else None


def start_beating(*, every: float | None = None) -> threading.Event:
    """Beat now, then every `every` seconds from a daemon thread; set the event to stop."""
    every = every or settings.MAILLAGE_HEARTBEAT_SECONDS
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                beat()
            except Exception:  # the database may be restarting: say so, and beat again later
                log.warning("worker heartbeat: could not write it", exc_info=True)
            finally:
                # This thread's own connection, not the worker's: closed between beats.
                connections.close_all()
            stop.wait(every)

    beat()
    threading.Thread(target=run, name="worker-heartbeat", daemon=True).start()
    return stop

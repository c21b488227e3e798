"""Waiting for the database when it goes away (a PostgreSQL restart, a failover, the network).

The web side retries once and shows a friendly page (core.middleware); the task worker, which
nobody watches, waits instead: it tries again with a growing pause (0.5 s, 1 s, 2 s … 10 s)
until the database answers, and says so in one line when the database goes and one when it
comes back, not a traceback per try (bench/faults/run.sh postgres: before this, the worker
exited and relied on its supervisor).

`lost_database` tells an outage from a query that failed: the error is a connection-level one
(OperationalError, InterfaceError) and the connection it came through no longer answers. A
statement timeout or a locked SQLite file leaves the connection usable: those are the task's
own failures, recorded as such.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)

T = TypeVar("T")

DATABASE_ERRORS = (OperationalError, InterfaceError)
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 10.0


def _database_error(error: BaseException | None) -> BaseException | None:
    """The connection-level database error in `error`'s chain (a task may wrap it)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def lost_database(error: BaseException, *, using: str = DEFAULT_DB_ALIAS) -> bool:
    """True when `error` comes from the database having gone away, not from a bad query."""
    if _database_error(error) is None:
        return False
    connection = connections[using]
    if connection.connection is None:
        return True  # dropped by Django after a failed rollback, or never opened
    try:
        return not connection.is_usable()
    except Exception:  # noqa: BLE001 - a connection that cannot even say is gone
        return True


def reachable(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Open a fresh connection and ask the database something."""
    connection = connections[using]
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None  # a broken connection may refuse to close: forget it
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None
        return False


class Outage:
    """The database's absence as this process sees it (the worker's loop and its heartbeat
    thread share it), so that an outage makes one line when it starts and one when it ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.since: float | None = None
        self.count = 0

    def lost(self, error: BaseException) -> None:
        with self._lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
            self.count += 1
        cause = _database_error(error) or error
        first_line = (str(cause).strip().splitlines() or [""])[0][:200]
        log.warning(
            "database unavailable (%s: %s); waiting for it, trying again every %g to %g s",
            type(cause).__name__,
            first_line,
            FIRST_PAUSE,
            LONGEST_PAUSE,
        )

    def back(self) -> None:
        with self._lock:
            if self.since is None:
                return
            lasted, self.since = time.monotonic() - self.since, None
        log.info("database back after %.1f s; carrying on", lasted)

    @property
    def down(self) -> bool:
        return self.since is not None


outage = Outage()


def wait_for_database(
    *,
    stop: Callable[[], bool] = lambda: False,
    using: str = DEFAULT_DB_ALIAS,
    sleep: Callable[[float], None] | None = None,
) -> bool:
    """Block until the database answers (True), or until `stop()` says to give up (False)."""
    pause = FIRST_PAUSE
    while True:
        if reachable(using=using):
            outage.back()
            return True
        if stop():
            return False
        # A little jitter: several workers coming back do not knock all at the same instant.
        (sleep or time.sleep)(pause * random.uniform(0.8, 1.2))  # noqa: S311 - not a secret
        pause = min(LONGEST_PAUSE, pause * 2)


def write_surely(
    write: Callable[[], T], *, patience: float = 600.0, using: str = DEFAULT_DB_ALIAS
) -> T:
    """Run `write`; if the database goes away under it, wait for it (up to `patience` seconds)
    and run it again. For the record of something already done outside the database (an
    e-mail sent): failing there would make the task run again, and do it twice. Inside a
    transaction nothing can be resumed: `write` is run once, as is."""
    if connections[using].in_atomic_block:
        return write()
    deadline = time.monotonic() + patience
    while True:
        try:
            return write()
        except Exception as error:
            if not lost_database(error, using=using):
                raise
            outage.lost(error)
            if not wait_for_database(stop=lambda: time.monotonic() > deadline, using=using):
                raise

"""The e-mails services queue once their transaction commits, and the one switch that holds
them back.

A replay of past events (the demo's completed edition) goes through the same services as real
use; inside `held()` the messages those services would send about last year's meetings, alerts
and questionnaires are not queued at all, so no worker ever sends them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

_held: ContextVar[bool] = ContextVar("maillage_outbox_held", default=False)


@contextmanager
def held() -> Iterator[None]:
    """Within: the e-mails the services ask for are dropped instead of queued."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def send_after_commit(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Enqueue the e-mail `task` once the current transaction commits (at once outside one),
    unless e-mails are held.

    With the database queue (django-tasks-db, production's), the task row is written inside the
    transaction instead: it commits with what it is about, or not at all, so a process killed
    between the commit and an on_commit callback cannot lose the e-mail, and the worker cannot
    see the row before the commit. Other queues (the tests' immediate one) run after commit."""
    if _held.get():
        return
    if transaction.get_connection().in_atomic_block and _queued_in_database(task):
        task.enqueue(*args, **kwargs)
        return
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def _queued_in_database(task: Any) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    backend = getattr(task, "get_backend", None)  # a django-tasks Task; anything else waits
    return backend is not None and isinstance(backend(), DatabaseBackend)

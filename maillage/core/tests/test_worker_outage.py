"""The task worker and a database that goes away (bench/faults/run.sh postgres): the worker
keeps running, says so once per outage, runs what was queued once the database is back, and a
task in hand at that moment runs once, not zero times nor twice.

The outage is simulated where the worker meets it: a query raises what a PostgreSQL restart
raises, the connection it came through says it is no longer usable, and the database answers
again after a few probes."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection, transaction
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from maillage.core import dbwait, heartbeat
from maillage.core.worker import Worker

# Real commits: the worker closes and opens its connection as it would in production.
pytestmark = pytest.mark.django_db(transaction=True)

RESTART = "terminating connection due to administrator command"
RUNS: list[int] = []
CALLS: list[int] = []
# What the next calls do before running (raise, as a restart would…), one each.
BEFORE: list = []


@task()
def note_run(*, n: int) -> int:
    """A task that says how many times it was called, and how many times it ran through."""
    CALLS.append(n)
    if BEFORE:
        BEFORE.pop(0)(n)
    RUNS.append(n)
    return n


@pytest.fixture(autouse=True)
def worker_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RUNS.clear()
    CALLS.clear()
    BEFORE.clear()
    dbwait.outage.since = None


class Away:
    """The database gone until `probes` probes have found it missing."""

    def __init__(self, monkeypatch, *, probes: int = 2) -> None:
        self.on = False
        self.left = probes
        self.probes = 0
        monkeypatch.setattr(connection, "is_usable", lambda: not self.on)
        monkeypatch.setattr(dbwait, "reachable", self.reachable)
        monkeypatch.setattr(dbwait.time, "sleep", lambda seconds: None)

    def go(self) -> OperationalError:
        self.on = True
        return OperationalError(RESTART)

    def reachable(self, **kwargs) -> bool:
        self.probes += 1
        if self.on and self.left > 0:
            self.left -= 1
            return False
        self.on = False
        return True


def worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w1",
        excluded_queue_names=[],
    )


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_the_worker_waits_for_the_database_then_runs_what_was_queued(monkeypatch, caplog):
    for n in (1, 2, 3):
        note_run.enqueue(n=n)
    away = Away(monkeypatch, probes=3)
    real = DBTaskResultQuerySet.get_locked
    claims = []

    def get_locked(self):
        claims.append(1)
        if len(claims) == 2:  # the restart, as the worker claims its second task
            raise away.go()
        return real(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)

    with caplog.at_level(logging.INFO, logger="maillage.core.dbwait"):
        worker().run()  # returns once the queue is empty (batch): it did not exit on the error

    assert sorted(RUNS) == [1, 2, 3]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert away.probes == 4  # three failed probes, with a pause after each, then back
    (line,) = warnings(caplog)
    assert line.startswith("database unavailable (OperationalError: " + RESTART)
    assert any(r.getMessage().startswith("database back after") for r in caplog.records)


def test_a_task_the_database_left_under_is_run_again_once_it_is_back(monkeypatch, caplog):
    result = note_run.enqueue(n=7)
    away = Away(monkeypatch)

    def restart(n):
        raise away.go()  # its write was lost with the connection

    BEFORE.append(restart)

    worker().run()

    assert CALLS == [7, 7] and RUNS == [7]  # once for real
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == 7
    assert len(warnings(caplog)) == 2  # the outage, and « running it again »


def test_a_task_done_when_the_database_went_away_is_recorded_not_run_again(monkeypatch):
    result = note_run.enqueue(n=5)
    away = Away(monkeypatch)
    real = DBTaskResult.set_successful
    tries = []

    def set_successful(self, value):
        tries.append(value)
        if len(tries) == 1:
            raise away.go()
        return real(self, value)

    monkeypatch.setattr(DBTaskResult, "set_successful", set_successful)

    worker().run()

    assert CALLS == [5]  # not run a second time
    assert tries == [5, 5]
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_task_taken_back_by_another_worker_meanwhile_is_left_to_it(monkeypatch):
    result = note_run.enqueue(n=9)
    away = Away(monkeypatch)

    def lost(n):
        # Another worker's requeue_orphans took it back during the outage.
        DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.READY)
        raise away.go()

    BEFORE.append(lost)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("w1")

    worker().run_task(row)

    assert CALLS == [9] and RUNS == []
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY


def test_a_failing_query_is_not_an_outage(monkeypatch):
    """A statement timeout leaves the connection usable: the task's own failure, recorded."""
    result = note_run.enqueue(n=1)
    Away(monkeypatch)  # the database stays up

    def times_out(n):
        raise OperationalError("canceling statement due to statement timeout")

    BEFORE.append(times_out)

    worker().run()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert "statement timeout" in row.traceback


def test_lost_database_looks_through_a_wrapped_error(monkeypatch):
    connection.ensure_connection()
    away = Away(monkeypatch)
    error = away.go()
    try:
        try:
            raise error
        except OperationalError as inner:
            raise RuntimeError("the task's own words") from inner
    except RuntimeError as wrapped:
        assert dbwait.lost_database(wrapped)
    assert not dbwait.lost_database(ValueError("no database here"))
    away.on = False
    assert not dbwait.lost_database(error)  # the connection answers: a query that failed


def test_a_record_of_an_outside_effect_waits_for_the_database(monkeypatch, caplog):
    away = Away(monkeypatch)
    writes = []

    def stamp():
        writes.append(1)
        if len(writes) == 1:
            raise away.go()
        return 1

    assert dbwait.write_surely(stamp) == 1
    assert len(writes) == 2
    assert len(warnings(caplog)) == 1
    # Inside a transaction nothing can be resumed: the error goes up at once.
    writes.clear()
    away.left = 2
    with pytest.raises(OperationalError), transaction.atomic():
        dbwait.write_surely(stamp)
    assert len(writes) == 1


def test_tasks_of_the_dead_are_taken_back_only_after_a_full_silence_with_the_database(
    settings,
):
    """After an outage longer than the allowed silence, every worker's last beat is old: the
    first one back waits that long before it takes anyone's tasks."""
    from datetime import UTC, datetime

    settings.MAILLAGE_HEARTBEAT_MAX_AGE = 120
    now = datetime.now(UTC)
    DBTaskResult.objects.create(
        task_path=f"{__name__}.note_run",
        args_kwargs={"args": [], "kwargs": {"n": 1}},
        status="RUNNING",
        worker_ids=["neighbour"],
        backend_name="default",
        queue_name="default",
        run_after=now,
        started_at=datetime.fromtimestamp(now.timestamp() - 600, UTC),
    )
    heart = heartbeat.Heart("me")
    heart.healthy_since = None  # coming back from an outage

    heart.beat(now=1000.0)
    heart.beat(now=1000.0 + 119)
    assert DBTaskResult.objects.get().status == "RUNNING"  # the neighbour may still beat
    heart.beat(now=1000.0 + 121)
    assert DBTaskResult.objects.get().status == "READY"

"""The task worker that outlives a database outage (`manage.py worker`).

django-tasks-db's worker re-raises any database error but a locked SQLite file, so a
PostgreSQL restart ended it and its supervisor had to start it again (bench/faults/run.sh
postgres). This one waits for the database instead (core.dbwait), then carries on with the
queue as it is, tasks queued meanwhile included.

A task in hand when the database went away is run once, not zero times nor twice:

- it failed because the database went away under it (its writes were rolled back, or never
  reached the database): once the database is back it is run again, here, still claimed by
  this worker; tasks are written to be safe to run again (see core.heartbeat), and the few
  with an outside effect record it with `dbwait`'s patience (intake's confirmation waits to
  stamp the e-mail it sent rather than fail and send it again);
- it finished but its result could not be recorded: the same result is recorded once the
  database is back, and the task is not run again;
- in both cases only if the task is still this worker's (a task taken back meanwhile by
  another worker's `requeue_orphans` is left to that worker).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django_tasks.base import TaskResultStatus
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

from .dbwait import DATABASE_ERRORS, lost_database, outage, wait_for_database

log = logging.getLogger(__name__)

# A task whose database goes away again and again is recorded as failed after this many runs.
MOST_RUNS = 4


class Worker(DBWorker):
    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except DATABASE_ERRORS as error:
                if not lost_database(error):
                    raise
                outage.lost(error)
                if not wait_for_database(stop=lambda: not self.running):
                    return
                # The loop starts again with the queue as it is now; no thundering-herd pause.
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            ran = self._call(db_task_result)
            if ran is not None:
                self._record(db_task_result, *ran)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _call(self, db_task_result: DBTaskResult) -> tuple[Any, BaseException | None] | None:
        """Run the task: (its return value, None) or (None, its error); None when it is no
        longer this worker's to run."""
        for run in range(1, MOST_RUNS + 1):
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                task_started.send(sender=task.get_backend(), task_result=task_result)
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                return value, None
            except BaseException as error:  # noqa: BLE001 - recorded, as db_worker does
                if run == MOST_RUNS or not lost_database(error):
                    return None, error
                outage.lost(error)
                if not wait_for_database(stop=lambda: not self.running):
                    # Stopping: the task stays RUNNING under this worker, whose heartbeat stops
                    # with it; a live worker takes it back (core.heartbeat.requeue_orphans).
                    return None
                if not self._still_ours(db_task_result):
                    return None
                log.warning(
                    "task %s: the database went away while it ran; running it again",
                    db_task_result.id,
                )
        return None  # unreachable: the last run returns

    def _record(
        self, db_task_result: DBTaskResult, value: Any, error: BaseException | None
    ) -> None:
        """Record the outcome, waiting for the database as long as it takes: the work is done
        and must not be done again (only a second stop signal ends this wait)."""
        while True:
            try:
                self._save_outcome(db_task_result, value, error)
                break
            except Exception as lost:
                if not lost_database(lost):
                    raise
                outage.lost(lost)
                wait_for_database()
                if not self._still_ours(db_task_result):
                    return
        try:
            backend = db_task_result.task.get_backend()
        except (ImportError, SuspiciousOperation):
            logging.getLogger("django_tasks_db").exception(
                "Task id=%s failed unexpectedly", db_task_result.id
            )
            return
        task_finished.send(
            sender=backend if error is None else type(backend),
            task_result=db_task_result.task_result,
        )

    @staticmethod
    def _save_outcome(
        db_task_result: DBTaskResult, value: Any, error: BaseException | None
    ) -> None:
        if error is None:
            try:
                db_task_result.set_successful(value)
                return
            except Exception as refused:  # a return value that cannot be stored, as db_worker
                if lost_database(refused):
                    raise
                error = refused
        db_task_result.set_failed(error)

    def _still_ours(self, db_task_result: DBTaskResult) -> bool:
        ours = DBTaskResult.objects.filter(
            pk=db_task_result.pk,
            status=TaskResultStatus.RUNNING,
            worker_ids=db_task_result.worker_ids,
        ).exists()
        if not ours:
            log.warning(
                "task %s was taken back by another worker while the database was away; left to it",
                db_task_result.id,
            )
        return ours

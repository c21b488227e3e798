"""The platform's scheduled jobs and the scheduler that queues them for the worker.

`manage.py scheduler --once` (a systemd timer, cron, or the Compose `scheduler` service and
`./run` without `--once`) queues each job whose period has begun and has not been queued yet.
`ScheduledRun`'s unique (job, period) makes that idempotent: any number of schedulers, on any
number of machines, queue a job once per period, and the worker runs it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: str  # "hour" or "day"
    task: Callable[[], object]  # a django_tasks Task, enqueued without arguments

    def period(self, now: datetime) -> str:
        local = timezone.localtime(now)
        return local.strftime("%Y-%m-%dT%H" if self.every == "hour" else "%Y-%m-%d")


def jobs() -> list[Job]:
    # Imported here: the tasks module imports the apps' models and signals.
    from .tasks import clear_sessions, daily_work, prune_task_results

    return [
        # Every app's daily job (alerts, questionnaire rounds, networks' figures); each one
        # remembers its day, so an hourly round is late by an hour at most and never does a
        # day's work twice.
        Job("daily_work", "hour", daily_work),
        # Expired sessions out of the database (Django's `clearsessions`).
        Job("clear_sessions", "day", clear_sessions),
        # Finished task results older than MAILLAGE_TASK_RESULTS_DAYS out of the task table.
        Job("prune_task_results", "day", prune_task_results),
    ]


def queue_due_jobs(*, now: datetime | None = None) -> list[str]:
    """Queue every job not yet queued for its current period; the names of those queued."""
    now = now or timezone.now()
    queued = []
    for job in jobs():
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, period=job.period(now))
                result = job.task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:
            continue  # another scheduler queued it for this period
        log.info("scheduler: %s queued for %s", job.name, run.period)
        queued.append(job.name)
    return queued

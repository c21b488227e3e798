"""The scheduler (core.schedule, `manage.py scheduler`): each job queued once per period, however
many schedulers run, and the worker runs what it queued."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from maillage.core.models import ScheduledRun
from maillage.core.schedule import queue_due_jobs

pytestmark = pytest.mark.django_db

EIGHT = timezone.make_aware(datetime(2026, 12, 7, 8, 1))


@pytest.fixture(autouse=True)
def worker_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting() -> list[str]:
    return sorted(
        r.task_path.rsplit(".", 1)[1]
        for r in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    )


def test_two_schedulers_queue_each_job_once():
    assert queue_due_jobs(now=EIGHT) == ["daily_work", "clear_sessions", "prune_task_results"]
    assert queue_due_jobs(now=EIGHT + timedelta(minutes=5)) == []
    assert waiting() == ["clear_sessions", "daily_work", "prune_task_results"]
    run = ScheduledRun.objects.get(job="daily_work")
    assert run.period == "2026-12-07T08" and run.task_id


def test_the_round_comes_every_hour_the_housekeeping_every_day():
    queue_due_jobs(now=EIGHT)
    assert queue_due_jobs(now=EIGHT + timedelta(hours=1)) == ["daily_work"]
    assert queue_due_jobs(now=EIGHT + timedelta(days=1)) == [
        "daily_work",
        "clear_sessions",
        "prune_task_results",
    ]


def test_the_worker_runs_them_expired_sessions_and_old_results_go(settings):
    settings.MAILLAGE_TASK_RESULTS_DAYS = 14
    Session.objects.create(
        session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    Session.objects.create(
        session_key="live", session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    old = DBTaskResult.objects.create(
        task_path="maillage.core.tasks.send_invitation",
        args_kwargs={"args": [], "kwargs": {}},
        status=TaskResultStatus.SUCCESSFUL,
        finished_at=timezone.now() - timedelta(days=15),
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=timezone.now() - timedelta(days=15),
        enqueued_at=timezone.now() - timedelta(days=15),
    )
    call_command("scheduler", "--once", verbosity=0)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.READY):
        result.claim("test")
        worker.run_task(result)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
    finished = DBTaskResult.objects.values_list("status", flat=True)
    assert set(finished) == {TaskResultStatus.SUCCESSFUL}
    assert finished.count() == 3  # the three jobs, run once each

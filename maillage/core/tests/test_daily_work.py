"""The platform's hourly round (core.tasks.daily_work): every app's daily job, then the next
round in an hour, never two waiting at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from maillage.alerts.models import DailyRun
from maillage.core.signals import daily_work_due
from maillage.core.tasks import daily_work, schedule_daily_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_backend(settings):
    """The worker's backend, which keeps tasks to run later (the tests' immediate one cannot)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting_rounds():
    return DBTaskResult.objects.filter(
        task_path=daily_work.module_path, status=TaskResultStatus.READY
    )


def test_it_runs_the_alerts_the_rounds_and_the_networks_figures():
    done = daily_work.call()
    assert set(done) >= {"run_daily", "send_due_rounds", "refresh_network_figures"}
    assert DailyRun.objects.filter(day=timezone.localdate()).exists()
    assert done["send_due_rounds"] == {"invitations": 0, "reminders": 0}
    # The alerts remember their day: the next hour's round does not compute them again.
    assert daily_work.call()["run_daily"] is None


def test_it_schedules_the_next_round_in_an_hour_once(database_backend):
    daily_work.call()
    daily_work.call()
    waiting = waiting_rounds().get()
    assert waiting.run_after > timezone.now() + timedelta(minutes=59)
    assert waiting.run_after <= timezone.now() + timedelta(hours=1)


def test_a_failing_job_stops_neither_the_others_nor_the_next_round(database_backend):
    def broken(**_):
        raise RuntimeError("boom")

    daily_work_due.connect(broken, dispatch_uid="test.broken")
    try:
        done = daily_work.call()
    finally:
        daily_work_due.disconnect(dispatch_uid="test.broken")
    assert [v for k, v in done.items() if k.endswith("broken")] == ["error: RuntimeError"]
    assert DailyRun.objects.filter(day=timezone.localdate()).exists()
    assert waiting_rounds().count() == 1


def test_starting_twice_queues_one_round(database_backend):
    call_command("start_daily_work")
    call_command("start_daily_work")
    assert waiting_rounds().count() == 1
    assert waiting_rounds().get().run_after <= timezone.now()


def test_the_immediate_backend_schedules_nothing():
    # Otherwise a test's round would run the next one at once, and so on without end.
    assert schedule_daily_work() is False

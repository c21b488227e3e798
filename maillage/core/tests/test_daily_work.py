"""The platform's hourly round (core.tasks.daily_work): every app's daily job, each once a day;
the scheduler (core.schedule) queues it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maillage.alerts.models import DailyRun
from maillage.core.signals import daily_work_due
from maillage.core.tasks import daily_work

pytestmark = pytest.mark.django_db


def test_it_runs_the_alerts_the_rounds_and_the_networks_figures():
    done = daily_work.call()
    assert set(done) >= {"run_daily", "send_due_rounds", "refresh_network_figures"}
    assert DailyRun.objects.filter(day=timezone.localdate()).exists()
    assert done["send_due_rounds"] == {"invitations": 0, "reminders": 0}
    # The alerts remember their day: the next hour's round does not compute them again.
    assert daily_work.call()["run_daily"] is None


def test_a_failing_job_does_not_stop_the_others():
    def broken(**_):
        raise RuntimeError("boom")

    daily_work_due.connect(broken, dispatch_uid="test.broken")
    try:
        done = daily_work.call()
    finally:
        daily_work_due.disconnect(dispatch_uid="test.broken")
    assert [v for k, v in done.items() if k.endswith("broken")] == ["error: RuntimeError"]
    assert DailyRun.objects.filter(day=timezone.localdate()).exists()

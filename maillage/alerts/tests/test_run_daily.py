"""run_daily: the day's computation is queued once a day, whatever calls it every hour."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from maillage.alerts.models import Alert, DailyRun
from maillage.programs.models import Program

from .conftest import APPROVED

pytestmark = pytest.mark.django_db

LATE = APPROVED + timedelta(days=25)


def test_run_daily_computes_each_followed_program(group, daily):
    run = daily(LATE)
    assert run.programs == 1
    assert Alert.objects.open().count() == 1


def test_second_call_on_the_same_day_does_nothing(group, daily):
    daily(LATE)
    sent = len(mail.outbox)
    assert daily(LATE) is None
    assert DailyRun.objects.count() == 1
    assert len(mail.outbox) == sent


def test_force_recomputes_without_sending_again(group, daily):
    daily(LATE)
    sent = len(mail.outbox)
    assert daily(LATE, force=True) is not None
    assert len(mail.outbox) == sent
    assert Alert.objects.count() == 1


def test_command_remembers_the_day(group, daily):
    out = StringIO()
    call_command("run_daily", "--date", LATE.isoformat(), stdout=out)
    call_command("run_daily", "--date", LATE.isoformat(), stdout=out)
    assert "1 program queued" in out.getvalue()
    assert "already ran today" in out.getvalue()


def test_a_closed_program_is_no_longer_followed(group, daily):
    daily(LATE)
    open_before = list(Alert.objects.open().values_list("pk", "last_seen_on"))
    assert open_before  # an open alert and a running group: followed until now
    Program.objects.filter(pk=group.program_id).update(status=Program.Status.CLOSED)
    run = daily(LATE + timedelta(days=30))
    assert run.programs == 0
    # Its alerts stay as they were at its end: not refreshed, not resolved.
    assert list(Alert.objects.open().values_list("pk", "last_seen_on")) == open_before

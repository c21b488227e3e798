from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.core.models import NotificationPreference
from maillage.training import services
from maillage.training.models import Reminder

from .conftest import right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_soon(module, mentee, mentor, coordinator):
    return services.assign_module(
        module=module,
        by=coordinator.user,
        kind="mentee",
        due_on=timezone.localdate() + timedelta(days=2),
    )


def test_one_reminder_before_the_due_date(due_soon, mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 0  # once, however often the job runs
    (email,) = mail.outbox
    assert email.to == [mentee.email]
    assert "Biais inconscients en mentorat" in email.subject
    assert f"/mes-formations/{due_soon.module_id}/" in email.body
    assert "List-Unsubscribe" in email.extra_headers


def test_no_reminder_too_early(module, mentee, coordinator):
    services.assign_module(
        module=module,
        by=coordinator.user,
        kind="mentee",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    assert services.send_due_reminders() == 0


def test_no_reminder_once_done(due_soon, module, mentee):
    services.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    services.complete_module(module=module, person=mentee)
    assert services.send_due_reminders() == 0


def test_no_reminder_for_who_chose_never(due_soon, mentee):
    NotificationPreference.objects.create(person=mentee, alerts=NotificationPreference.When.NEVER)
    assert services.send_due_reminders() == 0
    assert not Reminder.objects.exists()


def test_reminder_in_the_persons_language(due_soon, mentee, django_capture_on_commit_callbacks):
    mentee.language = "en"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"

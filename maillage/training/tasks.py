"""Background work of training: the reminder e-mail before a module's due date."""

from __future__ import annotations

from django_tasks import task

from . import emails
from .models import Reminder


@task()
def send_reminder(*, reminder_id: int) -> bool:
    reminder = (
        Reminder.objects.select_related("assignment__module__program", "person")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or not reminder.person.email:
        return False
    emails.reminder_message(reminder).send()
    return True

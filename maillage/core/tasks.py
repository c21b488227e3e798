"""Background work of core: the invitation e-mail, sent after the account is saved; and the
platform's hourly round, which the worker runs and reschedules itself (no cron, no shell loop)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from .emails import invitation_message
from .models import Person
from .signals import daily_work_due

log = logging.getLogger(__name__)

# Each app's daily job remembers its day: an hourly round is late by an hour at most.
DAILY_WORK_EVERY = timedelta(hours=1)


@task()
def send_invitation(
    *, person_id: int, program_id: int | None = None, network_id: int | None = None
) -> bool:
    """E-mail the person a link to choose their password, in their language."""
    person = Person.objects.select_related("user", "invited_by").filter(pk=person_id).first()
    if person is None or person.user is None or not person.email:
        return False
    if person.user.has_usable_password():
        # They chose a password before the worker ran (an earlier link): nothing to send.
        return False
    invitation_message(person, program_id=program_id, network_id=network_id).send()
    return True


@task()
def daily_work() -> dict[str, Any]:
    """The hourly round: every app's daily job (alerts, questionnaire rounds, networks'
    figures), then the next round in an hour. A failing job is logged and does not stop the
    others nor the next round."""
    done: dict[str, Any] = {}
    for receiver, answer in daily_work_due.send_robust(sender=None):
        name = getattr(receiver, "__qualname__", str(receiver))
        if isinstance(answer, Exception):
            log.error("daily work: %s failed", name, exc_info=answer)
            done[name] = f"error: {answer.__class__.__name__}"
        else:
            done[name] = answer
    schedule_daily_work(at=timezone.now() + DAILY_WORK_EVERY)
    return done


def schedule_daily_work(*, at: datetime | None = None) -> bool:
    """Queue the next hourly round unless one is already waiting (so that restarting `./run`
    or a round that ran late never makes two). False when nothing was queued: one is waiting,
    or the backend cannot run a task later (the tests' immediate backend)."""
    backend = daily_work.get_backend()
    if not backend.supports_defer:
        return False
    # Only the database backend keeps this table of waiting tasks; others need not load it.
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(
            task_path=daily_work.module_path, status=TaskResultStatus.READY
        ).exists()
        if waiting:
            return False
    daily_work.using(run_after=at or timezone.now()).enqueue()
    return True

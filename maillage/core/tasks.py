"""Background work of core: the invitation e-mail, sent after the account is saved; the
platform's hourly round and the daily housekeeping, queued by the scheduler (core.schedule)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django_tasks import task

from .emails import invitation_message
from .models import Person
from .signals import daily_work_due

log = logging.getLogger(__name__)


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
    figures). A failing job is logged and does not stop the others. The scheduler
    (core.schedule) queues it once an hour."""
    done: dict[str, Any] = {}
    for receiver, answer in daily_work_due.send_robust(sender=None):
        name = getattr(receiver, "__qualname__", str(receiver))
        if isinstance(answer, Exception):
            log.error("daily work: %s failed", name, exc_info=answer)
            done[name] = f"error: {answer.__class__.__name__}"
        else:
            done[name] = answer
    return done


@task()
def clear_sessions() -> None:
    """Delete expired sessions (they pile up in the database otherwise)."""
    call_command("clearsessions")


@task()
def prune_task_results() -> None:
    """Delete the worker's finished task results older than MAILLAGE_TASK_RESULTS_DAYS (failed
    ones are kept as long, for whoever looks into a failure)."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(prune_task_results.get_backend(), DatabaseBackend):
        days = settings.MAILLAGE_TASK_RESULTS_DAYS
        call_command("prune_db_task_results", queue_name="*", min_age_days=days, verbosity=0)

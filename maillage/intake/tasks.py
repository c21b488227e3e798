"""Background work of recruiting: the confirmation e-mail, sent after the answer is saved."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from maillage.core.dbwait import write_surely
from maillage.core.ratelimit import first_in

from .emails import confirmation_message
from .models import Application


@task()
def send_application_confirmation(*, application_id: int) -> bool:
    """Send the applicant a summary of their answers, in the language they used."""
    application = (
        Application.objects.select_related("program", "form").filter(pk=application_id).first()
    )
    if application is None or not application.email or application.confirmation_sent_at:
        # Withdrawn and erased before the worker ran, or already confirmed (a retried task).
        return False
    if not first_in(
        "intake.confirmation",
        application.email,
        period=3600,
        holder=f"application:{application.pk}",
    ):
        # At most one confirmation an hour per address (issue 12, finding 3): a form filled in
        # with someone else's address must not flood their mailbox. The answer is kept all the
        # same; the coordination sees it.
        return False
    # Run again after a worker died mid-task (core.heartbeat.requeue_orphans), this sends the
    # e-mail a second time only if the worker died between the sending and the update below.
    confirmation_message(application).send()
    # The e-mail is gone: its stamp waits for the database if it went away meanwhile (a
    # PostgreSQL restart), rather than fail and have the worker send it again.
    # update() rather than save(): a timestamp is not personal data worth an audit entry.
    write_surely(
        lambda: Application.objects.filter(pk=application.pk).update(
            confirmation_sent_at=timezone.now()
        )
    )
    return True

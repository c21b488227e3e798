"""Background work of the follow-up: the day's computation per program, and one e-mail per
recipient, claimed with a conditional update so that a retried task never sends twice."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from maillage.core.notifications import When, wants
from maillage.core.services import should_send
from maillage.mentoring.models import Group
from maillage.programs.models import Program

from . import emails, services
from .models import AlertRecipient


@task()
def compute_program_alerts(*, program_id: int, day: str) -> dict[str, int]:
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return {}
    return services.compute_alerts(program=program, today=date.fromisoformat(day))


@task()
def recompute_group_alerts(*, group_id: int) -> dict[str, int]:
    """Something the alerts watch changed in the group: its alerts are brought up to date now,
    not at the next daily run. A closed program is no longer followed (as in the daily run)."""
    group = Group.objects.select_related("program").filter(pk=group_id).first()
    if group is None or group.program.status == Program.Status.CLOSED:
        return {}
    return services.compute_alerts(program=group.program, group=group)


@task()
def send_alert(*, recipient_id: int) -> bool:
    delivery = (
        AlertRecipient.objects.select_related("alert__program", "alert__group", "person")
        .filter(pk=recipient_id, sent_at__isnull=True, muted=False)
        .first()
    )
    if delivery is None:
        return False
    choice = wants(delivery.person, "alerts")
    if choice == When.NEVER or not should_send(delivery.person, delivery.alert.kind):
        AlertRecipient.objects.filter(pk=recipient_id).update(muted=True)
        return False
    if choice == When.DAILY:
        return False  # the morning digest lists it (alerts.digest)
    claimed = AlertRecipient.objects.filter(pk=recipient_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    emails.alert_message(delivery).send()
    return True

"""The alerts' answers to mentoring's signals (maillage.mentoring.signals): a change in a group
brings its alerts up to date in the background, instead of waiting for the next daily run; and
to core's hourly round (maillage.core.signals): the day's alerts and the morning digests, once
a day."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from maillage.core.outbox import send_after_commit
from maillage.core.signals import daily_work_due
from maillage.mentoring import revisions
from maillage.mentoring.models import Group
from maillage.mentoring.signals import group_changed
from maillage.programs.models import Program
from maillage.programs.signals import consent_withdrawn

from . import digest, services
from .models import Alert
from .tasks import recompute_group_alerts


@receiver(group_changed, sender=Group, dispatch_uid="alerts.recompute_group")
def recompute_group(*, group: Group, **_: Any) -> None:
    # Through the outbox: queued once the change commits, and not at all while a replay of past
    # events holds e-mails back (the replay computes its own days).
    send_after_commit(recompute_group_alerts, group_id=group.pk)


@receiver(consent_withdrawn, sender=Program, dispatch_uid="alerts.consent_withdrawn")
def tell_about_withdrawal(*, program: Program, person: Any, **_: Any) -> None:
    """A person withdrew their consent: each active group they are in gets its alerts now (the
    « sans consentement » one, to the coordination), not at the next daily run."""
    groups = Group.objects.filter(
        program=program, status=Group.Status.ACTIVE, members__role__person=person
    ).distinct()
    for group in groups:
        send_after_commit(recompute_group_alerts, group_id=group.pk)


@receiver(daily_work_due, dispatch_uid="alerts.run_daily")
def run_daily(**_: Any) -> int | None:
    """The programs queued today, or None when today's alerts were already computed."""
    run = services.run_daily()
    return run.programs if run else None


@receiver(daily_work_due, dispatch_uid="alerts.send_digests")
def send_digests(**_: Any) -> int:
    """The morning digests (messages and alerts), one a day per person who chose them."""
    return digest.send_digests()


def _alert_groups(ids: list) -> Any:
    return Alert.objects.filter(pk__in=ids, group__isnull=False).values("group_id")


# An alert opened, changed or resolved changes its group's rows (the dashboard's fragments).
revisions.register(Alert, _alert_groups)

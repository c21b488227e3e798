"""Writes of the follow-up: computing the day's alerts, muting reminders, closing a group."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record_bulk
from maillage.core.locking import locked
from maillage.core.models import Person, ReminderMute
from maillage.core.outbox import send_after_commit
from maillage.mentoring.models import Group
from maillage.programs.models import Program

from . import checks
from .errors import AlertError
from .models import Alert, AlertRecipient, DailyRun, Kind


@transaction.atomic
def set_mutes(*, person: Person, kinds: list[str]) -> list[str]:
    """Mute exactly these kinds for `person` (unmute the others)."""
    unknown = set(kinds) - set(Kind.values)
    if unknown:
        raise AlertError(_("Type de rappel inconnu : %(kinds)s.") % {"kinds": ", ".join(unknown)})
    ReminderMute.objects.filter(person=person).exclude(kind__in=kinds).delete()
    for kind in kinds:
        ReminderMute.objects.get_or_create(person=person, kind=kind)
    return sorted(kinds)


def compute_alerts(
    *, program: Program, today: date | None = None, group: Group | None = None
) -> dict[str, int]:
    """Find the program's alerts for `today`: create each new cause once, refresh the figures of
    the ones still true, resolve the ones that cleared, and queue each new recipient's e-mail.
    Running it twice on a day changes nothing and sends nothing more. With `group`, only that
    group's alerts are looked at (what changed in it), the others stay as they are."""
    today = today or timezone.localdate()
    findings = checks.findings_for(program, today, group=group)
    now = timezone.now()
    created = reopened = resolved = 0
    new_deliveries: list[int] = []
    with transaction.atomic():
        seen: set[int] = set()
        for f in findings:
            alert, was_created = Alert.objects.get_or_create(
                program=program,
                kind=f.kind,
                cause_key=f.cause_key,
                defaults={
                    "group": f.group,
                    "severity": f.severity,
                    "evidence": f.evidence,
                    "first_seen_on": today,
                    "last_seen_on": today,
                },
            )
            if was_created:
                created += 1
            else:
                if alert.resolved_at is not None:
                    reopened += 1
                alert.severity = f.severity
                alert.evidence = f.evidence
                alert.last_seen_on = today
                alert.resolved_at = None
                alert.save(update_fields=["severity", "evidence", "last_seen_on", "resolved_at"])
            seen.add(alert.pk)
            for person in f.recipients:
                delivery, new = AlertRecipient.objects.get_or_create(
                    alert=alert, person=person, defaults={"language": person.language}
                )
                if new:
                    new_deliveries.append(delivery.pk)
        stale = Alert.objects.filter(program=program, resolved_at__isnull=True).exclude(pk__in=seen)
        if group is not None:
            stale = stale.filter(group=group)
        stale_ids = list(stale.values_list("pk", flat=True))
        resolved = stale.update(resolved_at=now)
        record_bulk(
            action="bulk_update",
            model=Alert,
            ids=stale_ids,
            by=None,
            changes={"resolved_at": now.isoformat()},
            program_id=program.pk,
        )

    from .tasks import send_alert

    for pk in new_deliveries:
        send_after_commit(send_alert, recipient_id=pk)
    return {
        "created": created,
        "reopened": reopened,
        "resolved": resolved,
        "open": Alert.objects.filter(program=program, resolved_at__isnull=True).count(),
        "queued": len(new_deliveries),
    }


def programs_to_follow() -> list[Program]:
    """Programs with a running group, or with alerts still open (so that they resolve). A
    closed program is no longer followed: its alerts stay as they were at its end."""
    with_groups = Group.objects.filter(status=Group.Status.ACTIVE).values("program_id")
    with_alerts = Alert.objects.filter(resolved_at__isnull=True).values("program_id")
    followed = Program.objects.filter(pk__in=with_groups) | Program.objects.filter(
        pk__in=with_alerts
    )
    return list(followed.exclude(status=Program.Status.CLOSED))


def claim_day(*, today: date, force: bool = False) -> DailyRun | None:
    """The day's run, or None when it already ran (an hourly loop calls this every hour)."""
    run, new = DailyRun.objects.get_or_create(day=today)
    if not new and not force:
        return None
    return run


def run_daily(*, today: date | None = None, force: bool = False) -> DailyRun | None:
    """Queue the day's computation for every followed program, once a day."""
    from .tasks import compute_program_alerts

    today = today or timezone.localdate()
    run = claim_day(today=today, force=force)
    if run is None:
        return None
    programs = programs_to_follow()
    for program in programs:
        compute_program_alerts.enqueue(program_id=program.pk, day=today.isoformat())
    run.programs = len(programs)
    run.finished_at = timezone.now()
    run.save(update_fields=["programs", "finished_at"])
    return run


@transaction.atomic
def close_inactive_group(*, group: Group, by: Any, today: date | None = None) -> Group:
    """The coordinator accepts the proposal to close a group without activity."""
    today = today or timezone.localdate()
    group = locked(group)  # two clicks, or two coordinators: the second sees it closed
    if group.status != Group.Status.ACTIVE:
        raise AlertError(_("Ce groupe est déjà terminé."))
    since = checks.last_activity_day(group, today)
    from .kinds import INACTIVE_WARN_DAYS

    if since is not None and (today - since).days < INACTIVE_WARN_DAYS:
        raise AlertError(
            _("Ce groupe a eu de l’activité le %(day)s : il n’est pas inactif.")
            % {"day": since.isoformat()}
        )
    with acting_as(by):
        group.status = Group.Status.CLOSED
        group.full_clean()
        group.save(update_fields=["status"])
        open_alerts = Alert.objects.filter(group=group, resolved_at__isnull=True)
        ids = list(open_alerts.values_list("pk", flat=True))
        open_alerts.update(resolved_at=timezone.now())
        record_bulk(
            action="bulk_update",
            model=Alert,
            ids=ids,
            by=by,
            changes={"resolved_at": "group.closed"},
            program_id=group.program_id,
        )
    return group

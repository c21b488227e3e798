"""Reads of the audit trail for the privacy officer."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import AuditEntry
from maillage.core.tables import Table, local


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def trail(
    *,
    person: str = "",
    model: str = "",
    object_id: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The trail, newest first, filtered: `person` matches who acted (name or e-mail) or the
    person an entry is about; `model` and `object_id` name the object."""
    entries = AuditEntry.objects.select_related("actor__person")
    if person:
        words = person.strip()
        entries = entries.filter(
            Q(actor__email__icontains=words)
            | Q(actor__person__first_name__icontains=words)
            | Q(actor__person__last_name__icontains=words)
            | Q(object_repr__icontains=words)
        )
    if model:
        entries = entries.filter(model__iexact=model.strip())
    if object_id:
        entries = entries.filter(object_id=object_id.strip())
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(at__gte=_start(since))
    if until:
        entries = entries.filter(at__lt=_start(until) + timezone.timedelta(days=1))
    return entries.order_by("-at", "-id")


def actor_name(entry: AuditEntry) -> str:
    user = entry.actor
    if user is None:
        return _("système ou personne non connectée")
    person = getattr(user, "person", None)
    return (getattr(person, "full_name", "") or user.email or user.get_username()) or ""


def action_label(action: str) -> str:
    labels = dict(AuditEntry.Action.choices) | {
        "view": _("consultation"),
        "bulk_update": _("modification en lot"),
        "bulk_create": _("création en lot"),
    }
    return str(labels.get(action, action))


def models_in_trail() -> list[str]:
    return list(AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct())


def actions_in_trail() -> list[tuple[str, str]]:
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    return [(a, action_label(a)) for a in actions]


def trail_table(entries: Any) -> Table:
    headers = [
        _("Moment"),
        _("Par"),
        _("Action"),
        _("Type d’objet"),
        _("Identifiant"),
        _("Objet"),
        _("Programme"),
        _("Champs"),
    ]
    rows = [
        [
            local(e.at),
            actor_name(e),
            action_label(e.action),
            e.model,
            e.object_id,
            e.object_repr,
            e.program_id or "",
            ", ".join(sorted(e.changes)) if isinstance(e.changes, dict) else "",
        ]
        for e in entries
    ]
    return headers, rows

"""Reads of the audit trail and the destruction log for the privacy officer."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import AuditEntry
from maillage.core.tables import Table, local

from . import erasure, retention
from .models import DestructionLog


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def trail(
    *,
    person: str = "",
    model: str = "",
    object_id: str = "",
    action: str = "",
    program: int | None = None,
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
    if program:
        entries = entries.filter(program_id=program)
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


def programs_in_trail() -> list[tuple[int, str]]:
    """The programs the trail names, by title (a deleted program by its number)."""
    from maillage.programs.models import Program

    ids = AuditEntry.objects.filter(program_id__isnull=False).values_list("program_id", flat=True)
    titles = dict(Program.objects.filter(pk__in=ids.distinct()).values_list("pk", "title"))
    known = sorted(set(ids.order_by().distinct()))
    return [(pk, titles.get(pk) or f"n° {pk}") for pk in known]


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


# --- Retention ------------------------------------------------------------------------------


def destructions(
    *,
    rule: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[DestructionLog]:
    entries = DestructionLog.objects.select_related("by__person", "request")
    if rule:
        entries = entries.filter(rule=rule)
    if action:
        entries = entries.filter(action=action)
    if since:
        entries = entries.filter(done_at__gte=_start(since))
    if until:
        entries = entries.filter(done_at__lt=_start(until) + timezone.timedelta(days=1))
    return entries.order_by("-done_at", "-id")


def destroyed_by(entry: DestructionLog) -> str:
    if entry.by_id is None:
        return _("Tâche quotidienne de conservation")
    person = getattr(entry.by, "person", None)
    return (getattr(person, "full_name", "") or entry.by.email or entry.by.get_username()) or ""


def rule_choices() -> list[tuple[str, str]]:
    return [(rule.key, str(rule.kind)) for rule in retention.RULES] + [
        (key, str(label)) for key, label in erasure.REQUEST_LABELS.items()
    ]


def destructions_table(entries: Any) -> Table:
    headers = [
        _("Moment"),
        _("Type de renseignements"),
        _("Règle"),
        _("Action"),
        _("Nombre"),
        _("Par"),
        _("Demande n°"),
    ]
    rows = [
        [
            local(e.done_at),
            retention.rule_label(e.rule),
            e.rule,
            e.get_action_display(),
            e.count,
            destroyed_by(e),
            e.request_id or "",
        ]
        for e in entries
    ]
    return headers, rows

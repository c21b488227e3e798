"""The audit trail: every create, update and delete of personal data is recorded.

It hangs on model signals rather than on each service so that nothing escapes it (the admin,
imports, the demo loader, a shell). The actor comes from a context variable that the middleware
sets per request and that services can set with `acting_as`.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from .models import AuditEntry

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("maillage_audit_actor", default=None)

# Models holding personal data register themselves with `audited(...)`. Fields never copied
# into the trail (free text can be long and is itself personal: we record that it changed).
_REGISTRY: dict[type[models.Model], set[str]] = {}
_REDACTED = "•••"

# Sent by `record_bulk` (sender: the model; `ids`: its rows): a `QuerySet.update()` or a bulk
# write sends no model signal, and higher floors that keep something derived from rows (the
# groups' fragment revisions) must still hear of it. Every bulk write is recorded, so none
# escapes.
rows_written = Signal()


def audited(*, redact: tuple[str, ...] = ()):
    """Class decorator: record every change of this model in the audit trail."""

    def register(model: type[models.Model]) -> type[models.Model]:
        _REGISTRY[model] = set(redact)
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"audit-save-{model.__name__}")
        post_delete.connect(
            _record_delete, sender=model, dispatch_uid=f"audit-del-{model.__name__}"
        )
        return model

    return register


@contextlib.contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _actor.set(user if getattr(user, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    return _actor.get()


def record(
    *,
    action: str,
    instance: models.Model | None = None,
    model: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    program_id: int | None = None,
) -> AuditEntry:
    """Record an action that is not a save or delete (an export, an import)."""
    if instance is not None:
        model = model or instance._meta.label
        object_id = object_id or str(instance.pk)
        object_repr = object_repr or str(instance)[:200]
        program_id = program_id or _program_id(instance)
    return AuditEntry.objects.create(
        actor=current_actor(),
        action=action,
        model=model,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        program_id=program_id,
    )


def record_view(
    *, instance: models.Model, by: Any, what: str = "", program_id: int | None = None
) -> AuditEntry:
    """One entry each time a person opens a sensitive page (an application, a person's answers,
    confidential notes, an interview): Law 25 asks who consulted what, not only who changed it.
    `what` names the part read when the object is a container (« observer_notes »). The entry
    names its program (given, or found through the object's round or group), so that the
    privacy officer can read one program's consultations."""
    with acting_as(by):
        return record(
            action="view",
            instance=instance,
            changes={"page": what} if what else {},
            program_id=program_id or _program_of_container(instance),
        )


def _program_of_container(instance: models.Model) -> int | None:
    """The program of an object that holds none itself: an invitation to answer (its round's),
    a meeting (its group's)."""
    for name in ("round", "group"):
        container = getattr(instance, name, None)
        if container is not None and getattr(container, "program_id", None):
            return int(container.program_id)
    return None


def record_bulk(
    *,
    action: str,
    model: type[models.Model],
    ids: list[Any],
    by: Any,
    changes: dict | None = None,
    program_id: int | None = None,
) -> AuditEntry | None:
    """The entry of a `QuerySet.update()` or a bulk write, which send no signal: which rows,
    what was set, by whom (the service's `by`)."""
    if not ids:
        return None
    rows_written.send(sender=model, ids=list(ids))
    with acting_as(by if by is not None else current_actor()):
        return record(
            action=action,
            model=model._meta.label,
            object_id=",".join(str(i) for i in ids)[:64],
            object_repr=f"{len(ids)} × {model._meta.verbose_name}"[:200],
            changes={"ids": [str(i) for i in ids], **(changes or {})},
            program_id=program_id,
        )


def _field_values(instance: models.Model) -> dict[str, Any]:
    values = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        values[field.attname] = value
    return values


def _serializable(model: type[models.Model], name: str, value: Any) -> Any:
    if name in _REGISTRY.get(model, set()):
        return _REDACTED
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    return str(value)


def _program_id(instance: models.Model) -> int | None:
    for attname in ("program_id",):
        value = getattr(instance, attname, None)
        if value:
            return int(value)
    return None


def _remember_old(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None:
        instance._audit_old = None
        return
    old = sender._default_manager.filter(pk=instance.pk).values().first()
    instance._audit_old = old


def _record_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw"):
        return
    new = _field_values(instance)
    old = getattr(instance, "_audit_old", None) or {}
    # Stamps the database sets itself say nothing; a date a person gives (a need noted at the
    # kickoff, entered after the fact) is recorded like any other field.
    skip = {"updated_at"} | {
        f.attname
        for f in sender._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    if created:
        changes = {
            k: _serializable(sender, k, v)
            for k, v in new.items()
            if k not in skip and v not in ("", None, [], {})
        }
    else:
        changes = {
            k: [_serializable(sender, k, old.get(k)), _serializable(sender, k, v)]
            for k, v in new.items()
            if k not in skip and old.get(k) != v
        }
        if not changes:
            return
    AuditEntry.objects.create(
        actor=current_actor(),
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        model=sender._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
        program_id=_program_id(instance),
    )


def _record_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    AuditEntry.objects.create(
        actor=current_actor(),
        action=AuditEntry.Action.DELETE,
        model=sender._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        program_id=_program_id(instance),
    )

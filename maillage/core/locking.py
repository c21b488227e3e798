"""No doubled or lost writes: row locks for state changes, versions for edit forms.

State changes (a decision, an approval, closing a program) re-read their row under a lock
(`locked`) inside the service's transaction, so that two clicks or two people at once run one
after the other and the second sees what the first did. On PostgreSQL that is `SELECT … FOR
UPDATE`; SQLite has no row locks, and our IMMEDIATE transactions already run writers one at a
time (settings), so the same code is safe on both.

Edit forms of shared objects (a program's settings, a plan, an agreement, a report) carry the
`revision` they were rendered with; the service saves only if it is still the row's revision, and
otherwise raises `StaleEdit`, which holds the saved object so that the page shows both versions
and the person merges: a stale save never overwrites (optimistic locking).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

M = TypeVar("M", bound=models.Model)

STALE_MESSAGE = _(
    "Modifié par quelqu’un d’autre pendant que vous écriviez : rien n’a été écrasé. "
    "Comparez les deux versions ci-dessous, gardez ce qu’il faut, puis enregistrez à nouveau."
)


def locked(instance: M) -> M:
    """The row of `instance` read again under a row lock, for the rest of the transaction."""
    return type(instance)._default_manager.select_for_update().get(pk=instance.pk)


class StaleEdit(DomainError):
    """The form was rendered from an older version of `current` than the one saved now."""

    def __init__(self, current: models.Model, message: str | None = None) -> None:
        super().__init__(str(message or STALE_MESSAGE))
        self.current = current


def save_versioned(
    instance: M,
    *,
    seen: int | None,
    fields: Iterable[str] | None = None,
    error: type[StaleEdit] = StaleEdit,
) -> M:
    """Save `instance` (changed in memory by the service) if its row is still at revision
    `seen`, and count one more revision. Call inside the service's transaction. `seen` None
    (a script, an import) saves without the check but still counts the revision."""
    current = locked(instance)
    if seen is not None and current.revision != seen:  # type: ignore[attr-defined]
        raise error(current)
    instance.revision = current.revision + 1  # type: ignore[attr-defined]
    if fields is not None:
        fields = [*fields, "revision"]
    instance.save(update_fields=fields)
    return instance


class VersionedForm(forms.Form):
    """The edit form of a versioned object carries the revision it was rendered with. Put it
    first in the bases (`class ProgramForm(VersionedForm, forms.ModelForm)`); a form that is not
    a ModelForm sets `initial["revision"]` itself."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["revision"] = instance.revision

    def conflict(
        self, current: models.Model, theirs: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Field by field, what is saved now (`theirs`, read from `current` unless given) and
        what this form holds, for the fields that differ: the page shows both so the person can
        merge. The form then carries the saved revision, so the next save (after merging) is a
        deliberate one and goes through."""
        rows = []
        for name, field in self.fields.items():
            if name == "revision" or field.widget.is_hidden:
                continue
            saved = theirs[name] if theirs is not None else getattr(current, name, None)
            typed = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if _same(saved, typed):
                continue
            rows.append(
                {
                    "label": field.label,
                    "name": name,
                    "theirs": _shown(field, saved),
                    "yours": _shown(field, typed),
                }
            )
        data = self.data.copy()
        data[self.add_prefix("revision")] = str(current.revision)  # type: ignore[attr-defined]
        self.data = data
        return rows


def _same(saved: Any, typed: Any) -> bool:
    empty = (None, "", [], ())
    if saved in empty and typed in empty:
        return True
    if isinstance(saved, models.Model) or isinstance(typed, models.Model):
        return getattr(saved, "pk", saved) == getattr(typed, "pk", typed)
    try:
        return saved == typed or str(saved) == str(typed)
    except (TypeError, ValueError):
        return False


def _shown(field: forms.Field, value: Any) -> str:
    """A value as a person reads it: a choice's label, a related object's name, yes or no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("oui") if value else _("non"))
    if isinstance(value, models.Model):
        return str(value)
    choices = {str(key): label for key, label in getattr(field, "choices", None) or []}
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(choices.get(str(item), item)) for item in value) or "—"
    if str(value) in choices:
        return str(choices[str(value)])
    if isinstance(value, decimal.Decimal):
        # 20 and 20.0 read the same: no trailing zeros, never an exponent.
        whole = value == value.to_integral_value()
        value = value.quantize(decimal.Decimal(1)) if whole else value.normalize()
    if isinstance(value, (datetime.date, decimal.Decimal, float, int)):
        return str(formats.localize(value))
    return str(value)

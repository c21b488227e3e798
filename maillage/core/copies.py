"""Copying rows: a new edition of a program starts from the last one's design."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def copy_row(instance: M, **changes: Any) -> M:
    """Save a new row with `instance`'s values and `changes`; its id and timestamps start anew."""
    meta = instance._meta
    values = {
        field.attname: getattr(instance, field.attname)
        for field in meta.concrete_fields
        if not field.primary_key
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    }
    for name, value in changes.items():
        values.pop(meta.get_field(name).attname, None)
        values[name] = value
    return type(instance).objects.create(**values)

"""A retention period mistyped in the environment must stop the start, not erase too early."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def check_retention_settings(**_: Any) -> list[checks.CheckMessage]:
    from .retention import RULE_KEYS

    errors = []
    for key, days in (getattr(settings, "MAILLAGE_RETENTION", {}) or {}).items():
        name = f"MAILLAGE_RETENTION_{key.upper()}"
        if key not in RULE_KEYS:
            errors.append(
                checks.Error(
                    f"{name}: unknown retention rule",
                    hint="Known: "
                    + ", ".join(f"MAILLAGE_RETENTION_{k.upper()}" for k in RULE_KEYS),
                    id="privacy.E001",
                )
            )
        elif int(days) < 1:
            errors.append(
                checks.Error(f"{name}: a period is a number of days, 1 or more", id="privacy.E002")
            )
    return errors

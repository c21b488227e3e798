"""What the speed dating adds to « Mes programmes »: the timetable, then the ranking to send."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo


@receiver(dashboard_todo, sender=Program, dispatch_uid="matching.speed_dating")
def speed_dating_steps(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_kwargs: Any
) -> dict[int, list[dict[str, Any]]]:
    from .selectors_speeddating import dashboard_items

    return dashboard_items(user=user, programs=[p for p in programs if p.pk in roles], roles=roles)

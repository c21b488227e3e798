"""Selection's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.intake.models import Application
from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo, program_created, program_duplicated

from .services import create_default_criteria


@receiver(program_created, sender=Program, dispatch_uid="selection.default_criteria")
def give_default_criteria(*, program: Program, with_defaults: bool, **_: Any) -> None:
    if with_defaults:
        create_default_criteria(program=program)


@receiver(program_duplicated, sender=Program, dispatch_uid="selection.copy_criteria")
def copy_criteria(*, source: Program, copy: Program, **_: Any) -> list[str]:
    """The criteria in use, with their weights (not the archived ones, not the scores)."""
    criteria = [copy_row(c, program=copy) for c in source.criteria.filter(archived_at=None)]
    n = len(criteria)
    return [ngettext("%(n)s critère", "%(n)s critères", n) % {"n": n}]


@receiver(dashboard_todo, sender=Program, dispatch_uid="selection.applications_to_review")
def applications_to_review(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_: Any
) -> dict[int, list[dict[str, str]]]:
    """The applications waiting for the program's coordination or committee."""
    reviewers = [
        p.pk
        for p in programs
        if user.is_superuser
        or {r.kind for r in roles.get(p.pk, [])} & {Role.Kind.COORDINATOR, Role.Kind.COMMITTEE}
    ]
    waiting = (
        Application.objects.filter(program__in=reviewers, status__in=["received", "in_review"])
        .values_list("program")
        .annotate(n=Count("id"))
    )
    return {
        program_id: [
            {
                "label": ngettext("%(n)s candidature à évaluer", "%(n)s candidatures à évaluer", n)
                % {"n": n},
                "url": reverse("selection:applications", args=[program_id]),
            }
        ]
        for program_id, n in waiting
    }

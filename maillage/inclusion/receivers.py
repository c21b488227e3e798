"""Inclusion's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.core.models import Person
from maillage.programs.models import Program, Track
from maillage.programs.signals import my_consents_elsewhere, program_duplicated


@receiver(program_duplicated, sender=Program, dispatch_uid="inclusion.copy_groups")
def copy_groups_and_objectives(
    *, source: Program, copy: Program, tracks: dict[int, Track], **_: Any
) -> list[str]:
    """A new edition tracks the same groups with the same objectives; nobody's declarations
    carry over (each consent was given to one edition)."""
    groups = list(source.inclusion_groups.all())
    for group in groups:
        copy_row(group, program=copy, revision=0)
    if not groups:
        return []
    n = len(groups)
    return [
        ngettext(
            "%(n)d groupe suivi pour l’inclusion, avec ses objectifs",
            "%(n)d groupes suivis pour l’inclusion, avec leurs objectifs",
            n,
        )
        % {"n": n}
    ]


@receiver(my_consents_elsewhere, sender=Program, dispatch_uid="inclusion.my_consents")
def consents_to_self_identification(*, person: Person, **_: Any) -> dict[str, Any] | None:
    """« Mes consentements » lists the consents to self-identification beside the consents to
    take part, each with its withdrawal (the same as on the person's own inclusion page)."""
    from .selectors import consents_of

    rows = consents_of(person)
    return {"template": "inclusion/includes/my_consents.html", "rows": rows} if rows else None

"""Inclusion's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.programs.models import Program, Track
from maillage.programs.signals import program_duplicated


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

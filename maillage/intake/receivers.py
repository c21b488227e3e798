"""Recruiting's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from maillage.programs.models import Program
from maillage.programs.signals import people_known, program_created

from .models import PotentialMentor
from .services import create_default_form


@receiver(program_created, sender=Program, dispatch_uid="intake.default_form")
def give_default_form(*, program: Program, with_defaults: bool, **_: Any) -> None:
    if with_defaults:
        create_default_form(program=program)


@receiver(people_known, sender=Program, dispatch_uid="intake.people_known")
def applicants_and_potential_mentors(*, program: Program, **_: Any) -> Q:
    return Q(applications__program=program) | Q(
        pk__in=PotentialMentor.objects.filter(program=program).values("person")
    )

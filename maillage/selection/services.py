"""Writes for selection: criteria, reviews and scores, committee opinions, decisions."""

from __future__ import annotations

from django.db import transaction

from maillage.programs.models import Program

from .defaults import PILOT_CRITERIA
from .models import Criterion


@transaction.atomic
def create_default_criteria(*, program: Program) -> list[Criterion]:
    return Criterion.objects.bulk_create(
        Criterion(program=program, order=order, label_fr=fr, label_en=en)
        for order, (fr, en) in enumerate(PILOT_CRITERIA)
    )

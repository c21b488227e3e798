"""Evaluation's answers to the programs' signals (maillage.programs.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.programs.models import Program
from maillage.programs.signals import program_duplicated


@receiver(program_duplicated, sender=Program, dispatch_uid="evaluation.copy_questionnaires")
def copy_questionnaires(*, source: Program, copy: Program, **_: Any) -> list[str]:
    """The questionnaires and their questions (not the rounds, invitations or answers)."""
    n = 0
    for questionnaire in source.questionnaires.prefetch_related("questions"):
        new = copy_row(questionnaire, program=copy)
        for question in questionnaire.questions.all():
            copy_row(question, questionnaire=new)
        n += 1
    return [ngettext("%(n)s questionnaire", "%(n)s questionnaires", n) % {"n": n}]

"""Evaluation's answers to the programs' signals (maillage.programs.signals): the questionnaires
waiting on « Mes programmes », and the questionnaires a new edition carries over."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.core.signals import daily_work_due
from maillage.inclusion.signals import stage_people
from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo, program_duplicated

from . import services
from .models import Answer, Indicator, Invitation, Question
from .selectors import SATISFIED_FROM


@receiver(dashboard_todo, sender=Program, dispatch_uid="evaluation.questionnaires_to_answer")
def questionnaires_to_answer(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_kwargs: Any
) -> dict[int, list[dict[str, str]]]:
    """Each questionnaire sent to the user, still open and not yet answered."""
    waiting = (
        Invitation.objects.of_user(user)
        .filter(
            round__program__in=programs,
            sent_at__isnull=False,
            submitted_at__isnull=True,
            round__cancelled=False,
            round__closes_on__gte=timezone.localdate(),
        )
        .select_related("round__questionnaire")
        .order_by("round__closes_on", "pk")
    )
    todo: dict[int, list[dict[str, str]]] = {}
    for invitation in waiting:
        round_ = invitation.round
        todo.setdefault(round_.program_id, []).append(
            {
                "label": _("Répondre au questionnaire « %(title)s » d’ici le %(date)s")
                % {
                    "title": round_.questionnaire.title(),
                    "date": formats.date_format(round_.closes_on, "j F Y"),
                },
                "url": reverse("evaluation:my_answer", args=[round_.program_id, invitation.pk]),
            }
        )
    return todo


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


@receiver(daily_work_due, dispatch_uid="evaluation.send_due_rounds")
def send_due_rounds(**_: Any) -> dict[str, int]:
    """The rounds whose date has come, then the reminders (each sent once, however often)."""
    return {
        "invitations": services.send_due_rounds(),
        "reminders": services.send_due_reminders(),
    }


@receiver(stage_people, sender=Program, dispatch_uid="evaluation.inclusion_stage_people")
def satisfied_people(*, program: Program, **_kwargs: Any) -> dict[str, set[int]]:
    """Inclusion's « satisfaites » stage: the people who answered satisfied or very satisfied
    (4 or 5) to a submitted satisfaction question of the program."""
    people = Answer.objects.filter(
        invitation__round__program=program,
        invitation__submitted_at__isnull=False,
        question__indicator=Indicator.SATISFACTION,
        question__kind=Question.Kind.SCALE,
        value_number__gte=SATISFIED_FROM,
    ).values_list("invitation__person_id", flat=True)
    return {"satisfied": {p for p in people if p}}

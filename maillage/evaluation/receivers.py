"""Evaluation's answer to « Mes programmes » (maillage.programs.signals): the questionnaires
waiting for an answer."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo

from .models import Invitation


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

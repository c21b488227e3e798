"""Accreditation's answers to « Mes programmes » (maillage.programs.signals): an assessor's
dossiers to assess, a network's staff's assessors page, and a coordinator's reminder before an
accreditation expires."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.measurement.access import networks_of
from maillage.measurement.models import NetworkRole
from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_elsewhere, dashboard_todo

from .health import REMIND_DAYS
from .models import Assessor, Submission
from .selectors import submissions_for


@receiver(dashboard_elsewhere, sender=Program, dispatch_uid="accreditation.assessor_work")
def assessor_work(*, user: Any, **_kwargs: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    is_assessor = Assessor.objects.filter(person__user=user).exists()
    if is_assessor:
        pending = submissions_for(user).filter(outcome=Submission.Outcome.PENDING).count()
        label = (
            ngettext(
                "Évaluer %(n)s dossier d’accréditation",
                "Évaluer %(n)s dossiers d’accréditation",
                pending,
            )
            % {"n": pending}
            if pending
            else _("Mes évaluations d’accréditation")
        )
        items.append({"label": label, "url": reverse("accreditation:reviews")})
    if not user.is_superuser:
        for network in networks_of(user, NetworkRole.Kind.STAFF):
            items.append(
                {
                    "label": _("Nommer les évaluateur·rices d’accréditation du réseau « %(name)s »")
                    % {"name": network},
                    "url": reverse("accreditation:assessors", args=[network.pk]),
                }
            )
    return items


@receiver(dashboard_todo, sender=Program, dispatch_uid="accreditation.expiring")
def expiring(*, user: Any, programs: Any, roles: dict[int, Any], **_: Any) -> dict[int, list]:
    coordinated = [
        p.pk for p in programs if any(r.kind == Role.Kind.COORDINATOR for r in roles.get(p.pk, []))
    ]
    if not coordinated:
        return {}
    today = timezone.localdate()
    out: dict[int, list] = {}
    soon = Submission.objects.filter(
        dossier__program_id__in=coordinated,
        outcome=Submission.Outcome.ACCREDITED,
        expires_on__lte=today + timedelta(days=REMIND_DAYS),
        expires_on__gte=today,
    ).select_related("dossier")
    for submission in soon:
        if submission.dossier.status != submission.dossier.Status.ACCREDITED:
            continue  # a renewal is already under way
        days = submission.days_left(today)
        out.setdefault(submission.dossier.program_id, []).append(
            {
                "label": ngettext(
                    "Renouveler l’accréditation : elle expire dans %(n)s jour",
                    "Renouveler l’accréditation : elle expire dans %(n)s jours",
                    days,
                )
                % {"n": days},
                "url": reverse(
                    "accreditation:dossier",
                    args=[submission.dossier.program_id, submission.dossier_id],
                ),
            }
        )
    return out

"""The accreditation's line in the program's health check (registered from apps.py): how long
the latest accreditation still holds, and a reminder before it expires."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.alerts.health import OK, PROBLEM, STEP_PLANNING, WARNING, Check
from maillage.programs.models import Program

from .models import Submission

# The reminder starts this many days before the expiry: time to prepare a renewal.
REMIND_DAYS = 90


def latest_accreditations(program: Program) -> list[Submission]:
    """The last accreditation decided for each dossier of the program."""
    decided = (
        Submission.objects.filter(
            dossier__program=program,
            outcome=Submission.Outcome.ACCREDITED,
            expires_on__isnull=False,
        )
        .select_related("dossier")
        .order_by("dossier_id", "-decided_at", "-pk")
    )
    latest: dict[int, Submission] = {}
    for submission in decided:
        latest.setdefault(submission.dossier_id, submission)
    return list(latest.values())


def check_accreditation(program: Program, today: date, groups: list[Any]) -> Check | None:
    latest = latest_accreditations(program)
    if not latest:
        return None
    evidence, statuses = [], []
    for submission in latest:
        part = submission.dossier.get_part()
        name = part.name if part else submission.dossier.part
        days = submission.days_left(today)
        when = formats.date_format(submission.expires_on)
        if days < 0:
            statuses.append(PROBLEM)
            evidence.append(
                _("L’accréditation « %(part)s » a expiré le %(date)s.")
                % {"part": name, "date": when}
            )
        elif days <= REMIND_DAYS:
            statuses.append(WARNING)
            evidence.append(
                ngettext(
                    "L’accréditation « %(part)s » expire dans %(n)s jour (le %(date)s).",
                    "L’accréditation « %(part)s » expire dans %(n)s jours (le %(date)s).",
                    days,
                )
                % {"part": name, "n": days, "date": when}
            )
        else:
            statuses.append(OK)
            evidence.append(
                _("L’accréditation « %(part)s » est valide jusqu’au %(date)s.")
                % {"part": name, "date": when}
            )
    status = PROBLEM if PROBLEM in statuses else WARNING if WARNING in statuses else OK
    return Check(
        key="accreditation",
        step=STEP_PLANNING,
        status=status,
        title=_("Accréditation"),
        evidence=evidence,
        recommendation=_(
            "Préparez le renouvellement quelques mois avant l’échéance : le dossier se remplit "
            "à partir des données du programme."
        ),
        source=_("Accréditation en deux volets (Mentorat Québec)"),
        action_label=_("Voir les dossiers d’accréditation"),
        action_url=reverse("accreditation:home", args=[program.pk]),
    )

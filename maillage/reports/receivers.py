"""Reports' answer to « Mes programmes » (maillage.programs.signals): the published report."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo

from .models import Report

# Who reads the published report from their home (the coordination reaches it from its menu).
READERS = {Role.Kind.FUNDER, Role.Kind.OBSERVER}


@receiver(dashboard_todo, sender=Program, dispatch_uid="reports.published_report")
def published_report(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_kwargs: Any
) -> dict[int, list[dict[str, str]]]:
    readers = [p.pk for p in programs if {r.kind for r in roles.get(p.pk, [])} & READERS]
    latest: dict[int, Report] = {}
    for report in Report.objects.filter(program__in=readers).published().order_by("published_at"):
        latest[report.program_id] = report
    return {
        program_id: [
            {
                "label": _("Lire le rapport d’impact publié le %(date)s")
                % {"date": formats.date_format(report.published_at, "j F Y")},
                "url": reverse("reports:report", args=[program_id]),
            }
        ]
        for program_id, report in latest.items()
    }

"""Reads that span several models (the dashboard)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.models import Person

from .models import Program, Role


def dashboard_rows(*, user: Any) -> list[dict[str, Any]]:
    """Each program the user sees, their roles in it, and what waits for them there."""
    from maillage.intake.models import Application

    programs = list(Program.objects.visible_to(user).select_related("coordinating_organization"))
    roles: dict[int, list[Role]] = {}
    for role in Role.objects.of_user(user).filter(program__in=programs):
        roles.setdefault(role.program_id, []).append(role)
    waiting_by_program = dict(
        Application.objects.filter(program__in=programs, status__in=["received", "in_review"])
        .values_list("program")
        .annotate(n=Count("id"))
    )
    rows = []
    for program in programs:
        todo = []
        kinds = {role.kind for role in roles.get(program.pk, [])}
        if user.is_superuser or kinds & {Role.Kind.COORDINATOR, Role.Kind.COMMITTEE}:
            waiting = waiting_by_program.get(program.pk, 0)
            if waiting:
                todo.append(
                    {
                        "label": _("%(n)s candidature(s) à évaluer") % {"n": waiting},
                        "url": reverse("selection:applications", args=[program.pk]),
                    }
                )
        labels = [role.get_kind_display() for role in roles.get(program.pk, [])]
        rows.append({"program": program, "roles": labels, "todo": todo})
    return rows


def people_known_to(program: Program) -> QuerySet[Person]:
    """People connected to this program: a role, an application, or on its potential-mentor list."""
    from maillage.intake.models import PotentialMentor

    return Person.objects.filter(
        Q(roles__program=program)
        | Q(applications__program=program)
        | Q(pk__in=PotentialMentor.objects.filter(program=program).values("person"))
    ).distinct()

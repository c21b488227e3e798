"""Template helpers of training: role names, a rate in words, the program page's card."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from maillage.programs.models import Program, Role
from maillage.training.models import ImplementationPath
from maillage.training.selectors import completion_summary

register = template.Library()


@register.filter
def role_label(kind: str) -> str:
    return str(dict(Role.Kind.choices).get(kind, kind))


@register.filter
def percent(rate: float | None) -> str:
    """0.75 → « 75 % » (the coordinator's pages; participants never see a figure)."""
    if rate is None:
        return "—"
    return f"{number_format(round(rate * 100))}\u00a0%"


@register.inclusion_tag("training/_program_card.html")
def training_card(program: Program) -> dict[str, Any]:
    """The program page's card: the trainings' completion and the path's remaining hours."""
    return {
        "program": program,
        "total": completion_summary(program)["total"],
        "path": ImplementationPath.objects.filter(program=program).first(),
    }

"""One object of each kind training's URLs name, in `program` (the outsider walk's samples)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from maillage.programs.models import Program, Role
from maillage.training import services


def walk_samples(program: Program) -> dict[str, Any]:
    coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first().person
    module = services.copy_starter(program=program, key="role-du-mentor", by=coordinator.user)
    assignment = services.assign_module(module=module, by=coordinator.user, kind="mentee")
    path = services.start_path(program=program)
    step = path.steps.first()
    entry = services.record_support(
        step=step, by=coordinator, on=timezone.localdate(), hours=Decimal("1")
    )
    follow_up = services.add_follow_up(path=path, on=timezone.localdate(), note="Suivi")
    return {
        "module_pk": module.pk,
        "question_pk": module.questions.first().pk,
        "assignment_pk": assignment.pk,
        "step_pk": step.pk,
        "entry_pk": entry.pk,
        "follow_pk": follow_up.pk,
    }

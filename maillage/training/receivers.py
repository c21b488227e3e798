"""Training's answers to the programs' and core's signals: the modules waiting on « Mes
programmes », the modules a new edition carries over, the daily reminders."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.copies import copy_row
from maillage.core.models import Person
from maillage.core.signals import daily_work_due
from maillage.programs.models import Program, Role
from maillage.programs.signals import dashboard_todo, program_duplicated

from . import selectors, services


@receiver(dashboard_todo, sender=Program, dispatch_uid="training.modules_to_follow")
def modules_to_follow(
    *,
    user: Any,
    programs: list[Program],
    roles: dict[int, list[Role]],
    person: Person | None = None,
    **_kwargs: Any,
) -> dict[int, list[dict[str, str]]]:
    """Each module assigned to the user and not yet done, soonest due first."""
    todo: dict[int, list[dict[str, str]]] = {}
    # A module reaches a person through their role or by name: either way through a program
    # they hold a role in (a named person is one of the program's people).
    kinds = {p.pk: {r.kind for r in roles[p.pk]} for p in programs if roles.get(p.pk)}
    if not kinds:
        return todo
    if person is None:  # a caller other than « Mes programmes »
        person = Person.objects.filter(user=user).first()
    if person is None:
        return todo
    for due in selectors.waiting_for(person, kinds=kinds):
        if due.due_on:
            label = _("Suivre la formation « %(t)s » d’ici le %(d)s") % {
                "t": due.module.title,
                "d": formats.date_format(due.due_on, "j F Y"),
            }
        else:
            label = _("Suivre la formation « %(t)s »") % {"t": due.module.title}
        program_id = due.module.program_id
        todo.setdefault(program_id, []).append(
            {"label": label, "url": reverse("training:my_module", args=[program_id, due.module.pk])}
        )
    return todo


@receiver(program_duplicated, sender=Program, dispatch_uid="training.copy_modules")
def copy_modules(*, source: Program, copy: Program, **_: Any) -> list[str]:
    """The library's active modules with their quizzes (not assignments or completions; a
    document's file is shared by name, never deleted while a module points at it)."""
    n = 0
    for module in source.modules.active().prefetch_related("questions__choices"):
        new = copy_row(module, program=copy, revision=0)
        for question in module.questions.all():
            new_question = copy_row(question, module=new)
            for choice in question.choices.all():
                copy_row(choice, question=new_question)
        n += 1
    if not n:
        return []  # a program that never used training is not told about it
    return [ngettext("%(n)s module de formation", "%(n)s modules de formation", n) % {"n": n}]


@receiver(daily_work_due, dispatch_uid="training.send_due_reminders")
def send_due_reminders(**_: Any) -> dict[str, int]:
    return {"training_reminders": services.send_due_reminders()}

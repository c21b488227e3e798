"""Reads of training that span several models: who must follow what, who did, the summary."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from maillage.core.models import Person
from maillage.programs.models import Program

from .models import AUDIENCES, Assignment, Completion, Module


@dataclass
class Due:
    """One person's standing on one module assigned to them."""

    module: Module
    person: Person
    kind: str  # the role through which it was assigned
    due_on: datetime.date | None
    completion: Completion | None = None

    @property
    def status(self) -> str:
        """« done », « passed » (quiz passed, not yet marked done), « started », « todo »."""
        c = self.completion
        if c is None:
            return "todo"
        if c.completed_at:
            return "done"
        if c.passed_at:
            return "passed"
        if c.opened_at or c.attempts:
            return "started"
        return "todo"

    @property
    def waiting(self) -> bool:
        """Still to do for the person: not done, and not taken out of the library."""
        return self.status != "done" and not self.module.is_archived

    @property
    def late(self) -> bool:
        return bool(self.due_on and self.status != "done" and self.due_on < timezone.localdate())


def waiting_for(person: Person, *, kinds: dict[int, set[str]]) -> list[Due]:
    """The modules assigned to `person` in the programs of `kinds` (program id → the person's
    role kinds there) and not done yet (`Due.waiting`), soonest due first: `assigned` for one
    person across programs, in one query whatever the number of programs (« Mes
    programmes »; the completions are not loaded, only asked whether one is done)."""
    reached = Q(named=True, people=person) | Q(
        named=False,
        module__program_id__in=[p for p, ks in kinds.items() if set(ks) & set(AUDIENCES)],
    )
    done = Completion.objects.filter(
        module=OuterRef("module"), person=person, completed_at__isnull=False
    )
    assignments = (
        Assignment.objects.filter(
            reached, ~Exists(done), module__program_id__in=list(kinds), module__archived_at=None
        )
        .select_related("module")
        .order_by("module__title", "due_on", "pk")
    )
    dues: dict[int, Due] = {}
    for a in assignments:
        if not a.named and a.kind not in kinds[a.module.program_id]:
            continue
        current = dues.get(a.module_id)
        if current is None:
            dues[a.module_id] = Due(module=a.module, person=person, kind=a.kind, due_on=a.due_on)
        elif a.due_on and (current.due_on is None or a.due_on < current.due_on):
            current.due_on = a.due_on
    return sorted(dues.values(), key=lambda d: (d.due_on is None, d.due_on or 0, d.module.title))


def assigned(program: Program, *, person: Person | None = None) -> list[Due]:
    """Every (module, person) pair the program's assignments reach, with its completion; the
    earliest due date wins when two assignments give the same module to the same person."""
    assignments = (
        Assignment.objects.filter(module__program=program)
        .select_related("module")
        .prefetch_related("people")
        .order_by("module__title", "due_on", "pk")
    )
    roles: dict[str, list[Person]] = {}
    for role in program.roles.filter(kind__in=AUDIENCES).select_related("person"):
        roles.setdefault(role.kind, []).append(role.person)
    pairs: dict[tuple[int, int], Due] = {}
    for a in assignments:
        people = list(a.people.all()) if a.named else roles.get(a.kind, [])
        for p in people:
            if person is not None and p.pk != person.pk:
                continue
            key = (a.module_id, p.pk)
            current = pairs.get(key)
            if current is None:
                pairs[key] = Due(module=a.module, person=p, kind=a.kind, due_on=a.due_on)
            elif a.due_on and (current.due_on is None or a.due_on < current.due_on):
                current.due_on = a.due_on
    completions = Completion.objects.filter(module__program=program)
    if person is not None:
        completions = completions.filter(person=person)
    by_key = {(c.module_id, c.person_id): c for c in completions}
    for key, due in pairs.items():
        due.completion = by_key.get(key)
    return sorted(
        pairs.values(),
        key=lambda d: (d.person.last_name, d.person.first_name, d.person.pk, d.module.title),
    )


@dataclass
class Tally:
    assigned: int = 0
    completed: int = 0
    passed: int = 0
    has_quiz: bool = False

    @property
    def rate(self) -> float | None:
        return round(self.completed / self.assigned, 3) if self.assigned else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "assigned": self.assigned,
            "completed": self.completed,
            "passed": self.passed,
            "rate": self.rate,
        }


@dataclass
class _Summary:
    roles: dict[str, dict[int, Tally]] = field(default_factory=dict)


def completion_summary(program: Program) -> dict[str, Any]:
    """Training of the program's participants, as evidence (the accreditation's *Design* and
    *Déploiement* criteria « formation des personnes participantes »).

    Returns::

        {
            "modules": [  # every module ever assigned, archived ones included
                {"id": 3, "title": "Biais inconscients en mentorat", "has_quiz": True,
                 "archived": False},
            ],
            "by_role": {  # only the roles that have at least one assignment
                "mentor": {
                    "assigned": 4, "completed": 3, "passed": 3, "rate": 0.75,
                    "modules": {3: {"assigned": 4, "completed": 3, "passed": 3, "rate": 0.75}},
                },
                "mentee": {...},
                "coordinator": {...},
            },
            "total": {"assigned": 10, "completed": 6, "passed": 5, "rate": 0.6},
        }

    Counts are of (person, module) pairs: a person assigned the same module twice counts once,
    under the role of the assignment found first. « completed »: marked done; « passed »: the
    quiz passed (0 for a module without a quiz); « rate »: completed / assigned, rounded to
    3 places, None when nothing is assigned. No names: counts only.
    """
    summary = _Summary()
    modules: dict[int, Module] = {}
    for due in assigned(program):
        modules[due.module.pk] = due.module
        tally = summary.roles.setdefault(due.kind, {}).setdefault(due.module.pk, Tally())
        tally.assigned += 1
        c = due.completion
        tally.completed += bool(c and c.completed_at)
        tally.passed += bool(c and c.passed_at)
    quiz_ids = set(
        Module.objects.filter(pk__in=modules, questions__isnull=False).values_list("pk", flat=True)
    )
    total = Tally()
    by_role: dict[str, Any] = {}
    for kind in [k.value for k in AUDIENCES]:
        per_module = summary.roles.get(kind)
        if not per_module:
            continue
        role_tally = Tally()
        for t in per_module.values():
            role_tally.assigned += t.assigned
            role_tally.completed += t.completed
            role_tally.passed += t.passed
        total.assigned += role_tally.assigned
        total.completed += role_tally.completed
        total.passed += role_tally.passed
        by_role[kind] = {
            **role_tally.as_dict(),
            "modules": {pk: t.as_dict() for pk, t in per_module.items()},
        }
    return {
        "modules": [
            {"id": m.pk, "title": m.title, "has_quiz": m.pk in quiz_ids, "archived": m.is_archived}
            for m in sorted(modules.values(), key=lambda m: (m.title, m.pk))
        ],
        "by_role": by_role,
        "total": total.as_dict(),
    }


def module_rows(program: Program, *, include_archived: bool = False) -> list[dict[str, Any]]:
    """The library's lines: each module with its assigned/completed counts."""
    counts: dict[int, Tally] = {}
    for due in assigned(program):
        t = counts.setdefault(due.module.pk, Tally())
        t.assigned += 1
        t.completed += bool(due.completion and due.completion.completed_at)
        t.passed += bool(due.completion and due.completion.passed_at)
    modules = program.modules.prefetch_related("questions")
    if not include_archived:
        modules = modules.active()
    return [
        {"module": m, "tally": counts.get(m.pk, Tally()), "questions": len(m.questions.all())}
        for m in modules
    ]

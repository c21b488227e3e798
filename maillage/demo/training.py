"""Demo training: the 2025 edition's two modules and its implementation path.

`pilot.build_past_edition` calls `build_demo_training(program)` before it closes the edition
(a closed program takes no new training). The modules come from the starter set: the mentors
followed « Biais inconscients en mentorat » (one of them needed two tries), the mentees « Fixer
des objectifs avec son mentoré » (one has not finished). The path is half done: three steps
done, the fourth under way, 11.5 of 20 hours used, one follow-up held and one planned.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from maillage.programs.models import Program, Role
from maillage.training import services
from maillage.training.models import Assignment, Completion, FollowUp, ImplementationPath, PathStep

BIAS_DUE = date(2025, 7, 15)
GOALS_DUE = date(2025, 7, 25)

# (step title, status, [(day, hours, what was done)], notes)
PATH: list[tuple[str, str, list[tuple[date, str, str]], str]] = [
    (
        "Diagnostic",
        PathStep.Status.DONE,
        [(date(2025, 3, 4), "2", "Portrait des organismes et des besoins de réemploi")],
        "Besoin nommé : mutualiser la logistique entre régions.",
    ),
    (
        "Conception",
        PathStep.Status.DONE,
        [
            (date(2025, 3, 18), "3", "Critères de sélection et objectifs d’inclusion"),
            (date(2025, 4, 1), "1.5", "Relecture de l’entente de mentorat"),
        ],
        "Critères pondérés adoptés par le comité ; entente aux six points.",
    ),
    (
        "Recrutement",
        PathStep.Status.DONE,
        [(date(2025, 5, 6), "2", "Appel aux mentors et formulaire d’intérêt")],
        "",
    ),
    (
        "Jumelage",
        PathStep.Status.IN_PROGRESS,
        [(date(2025, 6, 17), "3", "Jumelages et formation des mentor·es aux biais")],
        "Deux groupes formés ; formation des personnes mentorées à terminer.",
    ),
]
FOLLOW_UPS = [
    (date(2025, 10, 7), "Bilan à mi-parcours avec la conseillère", True),
    (date(2026, 3, 3), "Suivi post-déploiement à trois mois", False),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(14)))


def build_demo_training(program: Program) -> ImplementationPath:
    camille = program.roles.get(kind=Role.Kind.COORDINATOR).person
    mentors = [r.person for r in program.roles.filter(kind=Role.Kind.MENTOR).order_by("pk")]
    mentees = [r.person for r in program.roles.filter(kind=Role.Kind.MENTEE).order_by("pk")]

    bias = services.copy_starter(program=program, key="biais-inconscients", by=camille.user)
    goals = services.copy_starter(program=program, key="fixer-des-objectifs", by=camille.user)
    for module, kind, due in ((bias, "mentor", BIAS_DUE), (goals, "mentee", GOALS_DUE)):
        assignment = services.assign_module(module=module, by=camille.user, kind=kind)
        # Due dates of a past year: the service refuses them, as it should for a new one.
        Assignment.objects.filter(pk=assignment.pk).update(due_on=due)

    def follow(module, person, *, tries: int, done: bool, day: date) -> None:
        questions = list(module.questions.prefetch_related("choices"))
        wrong = {q.pk: {next(c.pk for c in q.choices.all() if not c.correct)} for q in questions}
        right = {q.pk: q.right_ids() for q in questions}
        for n in range(tries):
            services.submit_quiz(
                module=module, person=person, answers=right if n == tries - 1 else wrong
            )
        if done:
            services.complete_module(module=module, person=person)
        Completion.objects.filter(module=module, person=person).update(
            opened_at=_at(day),
            passed_at=_at(day) if tries else None,
            completed_at=_at(day) if done else None,
        )

    for i, person in enumerate(mentors):
        follow(
            bias, person, tries=2 if i == 0 else 1, done=True, day=BIAS_DUE - timedelta(days=3 + i)
        )
    for i, person in enumerate(mentees[:-1]):
        follow(goals, person, tries=1, done=True, day=GOALS_DUE - timedelta(days=2 + i))

    path = services.start_path(program=program)
    path.accompanied_by = "Mentorat Québec — Parcours en mentorat inclusif"
    path.save(update_fields=["accompanied_by"])
    steps = {s.title: s for s in path.steps.all()}
    for title, status, hours, notes in PATH:
        step = steps[title]
        for day, amount, what in hours:
            services.record_support(step=step, by=camille, on=day, hours=Decimal(amount), note=what)
        services.update_step(step=step, seen=None, status=status, notes=notes)
        if status == PathStep.Status.DONE:
            PathStep.objects.filter(pk=step.pk).update(done_on=hours[-1][0])
    for day, note, done in FOLLOW_UPS:
        follow_up = services.add_follow_up(path=path, on=day, note=note)
        if done:
            FollowUp.objects.filter(pk=follow_up.pk).update(done_at=_at(day))
    return path

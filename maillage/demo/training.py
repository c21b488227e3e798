"""Demo training: the modules the current edition's cohort is following, and the 2025
edition's implementation path.

The 2025 edition trained its mentors on unconscious bias in a room, with no record of who came:
its accreditation dossier has no training evidence, and the assessor asked for it
(`demo/accreditation.py`). So the current edition, at matching, follows the platform's
micro-trainings before its groups start (`build_demo_training`, called by `full.build_full_demo`):
the mentors followed « Biais inconscients en mentorat » (one of them needed two tries), the
mentees « Fixer des objectifs avec son mentoré » (one has not finished).

The path (`build_demo_path`, called by `pilot.build_past_edition` before it closes the edition,
since a closed program takes nothing new) is the 2025 edition's: three steps done, the fourth
under way, 11.5 of 20 hours used, one follow-up held and one planned.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maillage.programs.models import Program, Role
from maillage.training import services
from maillage.training.models import Completion, FollowUp, ImplementationPath, PathStep

# Due dates of the current edition's modules, in days from the day the demo is loaded: the
# cohort is being trained now, before its groups start.
BIAS_DUE_IN = 10
GOALS_DUE_IN = 20

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
            (date(2025, 3, 18), "3", "Critères de sélection et groupes à suivre pour l’inclusion"),
            (date(2025, 4, 1), "1.5", "Relecture de l’entente de mentorat"),
        ],
        "Critères pondérés adoptés par le comité ; entente aux six points. Objectifs "
        "d’inclusion à fixer après une première année de portrait.",
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
        [(date(2025, 6, 17), "3", "Jumelages et atelier en salle sur les biais")],
        "Deux groupes formés. Atelier sur les biais donné en salle, sans liste de présence : "
        "passer aux micro-formations de la plateforme pour la prochaine édition.",
    ),
]
FOLLOW_UPS = [
    (date(2025, 10, 7), "Bilan à mi-parcours avec la conseillère", True),
    (date(2026, 3, 3), "Suivi post-déploiement à trois mois", False),
]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(14)))


@transaction.atomic
def build_demo_training(program: Program) -> None:
    """Once: the current edition's two modules, assigned and mostly followed."""
    if program.modules.exists():
        return
    camille = program.roles.filter(kind=Role.Kind.COORDINATOR).order_by("pk").first().person
    mentors = [r.person for r in program.roles.filter(kind=Role.Kind.MENTOR).order_by("pk")]
    mentees = [r.person for r in program.roles.filter(kind=Role.Kind.MENTEE).order_by("pk")]
    today = timezone.localdate()

    bias = services.copy_starter(program=program, key="biais-inconscients", by=camille.user)
    goals = services.copy_starter(program=program, key="fixer-des-objectifs", by=camille.user)
    for module, kind, due_in in ((bias, "mentor", BIAS_DUE_IN), (goals, "mentee", GOALS_DUE_IN)):
        services.assign_module(
            module=module, by=camille.user, kind=kind, due_on=today + timedelta(days=due_in)
        )

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
        follow(bias, person, tries=2 if i == 0 else 1, done=True, day=today - timedelta(days=3 + i))
    for i, person in enumerate(mentees[:-1]):
        follow(goals, person, tries=1, done=True, day=today - timedelta(days=2 + i))


def build_demo_path(program: Program) -> ImplementationPath:
    """The 2025 edition's implementation path, half done, with its follow-ups."""
    camille = program.roles.get(kind=Role.Kind.COORDINATOR).person
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

"""The pilot replayed (maillage/tests/test_pilot_replay.py), then evaluated: objectives, tools,
monthly answers, final evaluations, interviews and quotes, all through the services.

Reused by the report tests; the replay itself is imported, not copied, so both stay in step.
"""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from maillage.evaluation import services as evaluation
from maillage.evaluation.models import Answer, Invitation, Question, Round
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import Objective
from maillage.programs.models import Role
from maillage.tests.test_pilot_replay import Pilot, replay
from maillage.tools import services as tools
from maillage.tools.models import Tool

# Said in a monthly answer, never consented: must never reach the report.
PRIVATE_ANSWER = "Sans la patience de Hélène, nous aurions abandonné le projet de chambre froide."
CONSENTED = "Les rencontres nous ont donné une méthode pour réorganiser nos tournées."
REFUSED = "Le camion réfrigéré partagé a changé notre été."


def _answer(invitation: Invitation, *, positive: bool, text: str) -> None:
    values = {}
    for question in invitation.questions():
        if question.kind == Question.Kind.SCALE:
            values[question] = 5 if positive else 2
        elif question.kind == Question.Kind.SINGLE:
            values[question] = "yes" if positive else "no"
        elif question.kind == Question.Kind.LONG_TEXT and question.theme in (
            "success_factors",
            "difficulties",
            "learning",
        ):
            values[question] = text
    evaluation.save_answers(invitation=invitation, values=values, submit=True)


def build_evaluated_pilot() -> Pilot:
    pilot = replay(Pilot())
    program = pilot.program
    lo, sy = pilot.logistique, pilot.synergies

    # Objectives in each mentee's action plan; the Logistique ones reached, one of Annie's too.
    for group, name, texts, reached in (
        (lo, "Sophie", ["Optimiser les tournées", "Organiser l’entreposage au froid"], 2),
        (lo, "François", ["Suivre les volumes"], 1),
        (sy, "Annie", ["Mobiliser des partenaires", "Revoir la gouvernance", "Logiciel"], 1),
    ):
        plan = mentoring.plan_for(member=pilot.member(group, name))
        for index, text in enumerate(texts):
            objective = mentoring.add_objective(plan=plan, by=pilot.p(name), text=text)
            if index < reached:
                mentoring.set_objective_status(
                    objective=objective, by=pilot.p(name), status=Objective.Status.REACHED
                )

    # Tools shared in both groups.
    for group, who, title, kind in (
        (lo, "Marc", "Grille d’optimisation des tournées", Tool.Type.CALCULATOR),
        (lo, "Isabelle", "Guide d’entreposage au froid", Tool.Type.GUIDE),
        (lo, "Sophie", "Plan de l’espace de tri", Tool.Type.PLAN),
        (sy, "Hélène", "Modèle d’entente de partenariat", Tool.Type.AGREEMENT),
    ):
        tools.add_tool(
            group=group, shared_by=pilot.p(who), title=title, type=kind, url="https://example.org/"
        )

    # Monthly rounds and the final evaluation: sent, most answered (rounds reopened so the
    # answers can be saved today; what counts is who answered).
    evaluation.create_default_rounds(program=program)
    Round.objects.filter(program=program).update(
        closes_on=timezone.localdate() + timedelta(days=30)
    )
    for index, round_ in enumerate(Round.objects.filter(program=program).order_by("send_on")):
        # The invitations are sent after commit: run those callbacks inside the test.
        with TestCase.captureOnCommitCallbacks(execute=True):
            evaluation.invite_round(round=round_)
        invitations = list(round_.invitations.order_by("person__first_name"))
        for position, invitation in enumerate(invitations):
            if (position + index) % 4 == 3:  # about one in four does not answer
                continue
            text = PRIVATE_ANSWER if invitation.person.first_name == "Annie" else CONSENTED
            if invitation.person.first_name == "Sophie":
                text = REFUSED
            _answer(invitation, positive=position != 1, text=text)

    # Final interviews: two validated by the participant, one still waiting.
    coordinator = pilot.camille
    mentee_roles = {r.person.first_name: r for r in program.roles.filter(kind=Role.Kind.MENTEE)}
    for name, validate in (("Sophie", True), ("François", True), ("Annie", False)):
        interview = evaluation.record_interview(
            program=program,
            participant=mentee_roles[name],
            interviewer=coordinator,
            held_on=pilot.program.end_date,
            learning="Une meilleure planification des tournées.",
        )
        evaluation.send_interview_for_validation(interview=interview)
        if validate:
            evaluation.validate_interview(interview=interview)

    # Quotes: one consented, one refused.
    for passage, consent in ((CONSENTED, True), (REFUSED, False)):
        answer = Answer.objects.filter(
            invitation__round__program=program, value_text=passage
        ).first()
        quote = evaluation.mark_quote(
            program=program,
            by=coordinator.user,
            passage=passage,
            topic_fr="la logistique",
            topic_en="logistics",
            answer=answer,
        )
        evaluation.request_quote_consent(quote=quote)
        evaluation.answer_quote_request(quote=quote, consent=consent)
    return pilot

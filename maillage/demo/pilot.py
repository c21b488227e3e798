"""The demo's earlier edition: the pilot (seed 000) replayed through the services, then evaluated
and reported. `./run` loads it beside the current edition so that every step after matching has
something to show; the tests replay it too (maillage/demo/tests/test_pilot_replay.py and
maillage/demo/tests/test_pilot_report.py), so the demo and the tests stay in step.

The edition runs from July to December 2025 (`demo.PAST_EDITION`) so that every meeting is in the
past whatever day it is built (recording a meeting refuses a future one). Two groups:

- Logistique (a mentor team, Marc and Isabelle, who take turns): five collective meetings of
  2 h from July to December (the first is the kickoff), preparation and tools between them: the 20 h bank is used up.
- Synergies (Hélène): two collective then two individual meetings, some preparation: 7 of 20 h
  left at the end, as in the pilot. The Garde-Manger de la Petite-Nation never hires the person
  who was to receive the mentoring; Annie's needs drift from governance and partnerships to
  technical subjects (software, site web, cold room) outside Hélène's field.

The daily computation runs every week of the period with `today=` (no clock patched); message,
need, invitation, interview and quote timestamps are set to their replayed day after the service
wrote them. Then the evaluation: objectives, tools, monthly answers, final evaluations,
interviews and quotes; for the demo, the edition is closed and its impact report published.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jumelage import fit as textfit
from maillage.alerts.services import compute_alerts
from maillage.core import outbox
from maillage.core.textfit import using_encoder
from maillage.evaluation import services as evaluation
from maillage.evaluation.models import Answer, FinalInterview, Invitation, Question, Quote, Round
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import (
    Agreement,
    AgreementAcceptance,
    Group,
    GroupMember,
    Need,
    Objective,
    TimeEntry,
    UpdateMessage,
)
from maillage.programs.models import Program, Role
from maillage.programs.services import update_program
from maillage.reports import services as reports
from maillage.reports.models import Report
from maillage.tools import services as tools
from maillage.tools.models import Tool

from .editions import PAST_EDITION, build_demo
from .messages import add_demo_messages
from .tools import add_demo_tools
from .training import build_demo_path

START, END = PAST_EDITION.start, PAST_EDITION.end
APPROVED = date(2025, 7, 2)
# After the final evaluation round closed (11 January): the interviews, the quotes, the report.
INTERVIEWS_SENT = date(2025, 12, 15)
QUOTES_ASKED = date(2026, 1, 12)
REPORT_PUBLISHED = date(2026, 1, 30)


def at(day: date, hour: int = 13) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def backdate(model, obj, day: date) -> None:
    model.objects.filter(pk=obj.pk).update(created_at=at(day, 9))


@contextmanager
def replaying(encoder: Any) -> Iterator[None]:
    """The replay goes through the services as real use does, with two differences: the text
    fit is `encoder` whatever the platform uses (the same needs, alerts and health check on every
    machine), and the e-mails about a past year's meetings, alerts and questionnaires are not
    queued (`./run` must not fill the terminal with them, and no worker must send them)."""
    with using_encoder(encoder), outbox.held():
        yield


class Pilot:
    """The past edition with its two groups approved; `replay` lives its five months.

    The text fit is the lexical one unless told otherwise: on the demo's texts it raises the same
    alerts as the semantic model (maillage/alerts/kinds.py), in a fraction of the time."""

    def __init__(self, program: Program | None = None, *, encoder: Any = None) -> None:
        self.encoder = encoder or textfit.get_encoder("lexical")
        with replaying(self.encoder):
            self._start(program)

    def _start(self, program: Program | None) -> None:
        self.program = program or build_demo(edition=PAST_EDITION)
        roles = {
            r.person.first_name: r
            for r in self.program.roles.filter(
                kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]
            ).select_related("person", "track", "team")
        }
        self.people = {name: role.person for name, role in roles.items()}
        self.camille = self.program.roles.get(kind=Role.Kind.COORDINATOR).person
        self.logistique = mentoring.create_group(
            program=self.program,
            mentor_roles=[roles["Marc"], roles["Isabelle"]],
            mentee_roles=[roles["Sophie"], roles["François"]],
            approved_by=self.camille.user,
            approved_at=at(APPROVED, 10),
            track=roles["Marc"].track,
            mentor_team=roles["Marc"].team,
            name="Logistique",
        )
        self.synergies = mentoring.create_group(
            program=self.program,
            mentor_roles=[roles["Hélène"]],
            mentee_roles=[roles["Annie"], roles["Karim"]],
            approved_by=self.camille.user,
            approved_at=at(APPROVED, 10),
            track=roles["Hélène"].track,
            name="Synergies",
        )

    def p(self, name: str):
        return self.people[name]

    def member(self, group: Group, name: str) -> GroupMember:
        return group.members.get(role__person=self.p(name))

    def meeting(self, group, day, present, *, by, kind="collective", individual_with=None):
        meeting = mentoring.schedule_meeting(
            group=group,
            by=self.camille,
            starts_at=at(day),
            duration_minutes=120,
            kind=kind,
            individual_with=self.member(group, individual_with) if individual_with else None,
        )
        mentoring.record_meeting(
            meeting=meeting,
            by=self.p(by),
            present=[self.p(n) for n in present],
            notes="Tour de table, avancement du plan d’action, prochaines étapes.",
        )
        return meeting

    def work(self, group, name, day, minutes, kind=TimeEntry.Kind.PREPARATION):
        mentoring.log_time(
            group=group,
            person=self.p(name),
            on=day,
            minutes=minutes,
            kind=kind,
            note="Préparation des contenus entre deux rencontres.",
        )

    def update(self, group, name, day, text):
        message = mentoring.post_update(group=group, author=self.p(name), text=text)
        backdate(UpdateMessage, message, day)
        return message

    def need(self, group, name, day, text, *, by=None):
        plan = mentoring.plan_for(member=self.member(group, name))
        need = mentoring.add_need(plan=plan, by=self.p(by or name), text=text)
        backdate(Need, need, day)
        return need


LOGISTIQUE_UPDATES = (
    "Les tournées de collecte optimisées sont en test avec le camion réfrigéré ; prochain "
    "sujet : l’espace de tri et l’entreposage au froid.",
    "L’entente de partage de camions réfrigérés entre organismes avance ; nous revoyons aussi "
    "le suivi des volumes.",
)


def weeks(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=7)


def replay(pilot: Pilot) -> Pilot:
    with replaying(pilot.encoder):
        _replay(pilot)
    return pilot


def _replay(pilot: Pilot) -> None:
    lo, sy = pilot.logistique, pilot.synergies
    # Start: the agreement, accepted by everyone who is there; Karim's organization has nobody.
    # Drafted the day after approval, accepted before each group's kickoff.
    for group, names, accepted in (
        (lo, ["Marc", "Sophie", "François"], date(2025, 7, 10)),
        (sy, ["Hélène", "Annie"], date(2025, 7, 17)),
    ):
        agreement = mentoring.generate_agreement(group=group, by=pilot.camille)
        backdate(Agreement, agreement, APPROVED + timedelta(days=1))
        for hour, name in enumerate(names, start=9):
            acceptance = mentoring.accept_agreement(
                group=group, person=pilot.p(name), version=agreement.version
            )
            AgreementAcceptance.objects.filter(pk=acceptance.pk).update(
                accepted_at=at(accepted, hour)
            )
    mentoring.set_designation(
        member=pilot.member(sy, "Karim"),
        is_designated=False,
        note="La personne à la coordination n’a jamais été embauchée.",
    )
    # Action plans as written at the start, inside each mentor's field.
    for name, text in (
        ("Sophie", "Optimiser nos tournées de collecte et le choix d’un camion réfrigéré"),
        ("Sophie", "Organiser l’espace de tri et l’entreposage au froid"),
        ("François", "Rédiger une entente de partage de camions réfrigérés entre organismes"),
    ):
        need = pilot.need(lo, name, date(2025, 7, 16), text)
        mentoring.decide_need(need=need, by=pilot.p("Marc"), inside=True)
    first_needs = [
        pilot.need(sy, "Annie", date(2025, 7, 23), text)
        for text in (
            "Revoir la gouvernance du projet et mobiliser de nouveaux partenaires",
            "Créer des liens entre l’épicerie, le jardin et le service de repas",
        )
    ]

    # Logistique: five collective meetings (the first is the kickoff), the team taking turns,
    # preparation in between. Preparation grows as the subjects deepen (1 h, 1 h 30, 2 h).
    for day, host, prep in (
        (date(2025, 7, 15), "Marc", 60),
        (date(2025, 8, 19), "Isabelle", 60),
        (date(2025, 9, 23), "Marc", 90),
        (date(2025, 10, 28), "Isabelle", 120),
        (date(2025, 12, 2), "Marc", 120),
    ):
        kind = "kickoff" if day == date(2025, 7, 15) else "collective"
        pilot.meeting(lo, day, [host, "Sophie", "François"], by=host, kind=kind)
        pilot.work(lo, host, day - timedelta(days=5), prep)
    pilot.work(lo, "Isabelle", date(2025, 10, 10), 150, TimeEntry.Kind.TOOLS)

    # Synergies: two collective (the kickoff, then one), then two individual meetings with Annie.
    pilot.meeting(sy, date(2025, 7, 22), ["Hélène", "Annie"], by="Hélène", kind="kickoff")
    pilot.meeting(sy, date(2025, 8, 26), ["Hélène", "Annie"], by="Hélène")
    pilot.meeting(
        sy,
        date(2025, 10, 7),
        ["Hélène", "Annie"],
        by="Hélène",
        kind="individual",
        individual_with="Annie",
    )
    pilot.meeting(
        sy,
        date(2025, 11, 18),
        ["Hélène", "Annie"],
        by="Hélène",
        kind="individual",
        individual_with="Annie",
    )
    for day, minutes in (
        (date(2025, 8, 20), 120),
        (date(2025, 9, 30), 90),
        (date(2025, 11, 12), 90),
    ):
        pilot.work(sy, "Hélène", day, minutes)

    # Updates every two weeks from the first meeting: the Logistique mentees' needs stay
    # logistic; Annie's turn technical from October.
    for day in weeks(date(2025, 7, 29), END):
        pilot.update(lo, "Sophie", day, LOGISTIQUE_UPDATES[0])
        pilot.update(lo, "François", day, LOGISTIQUE_UPDATES[1])
    for day in weeks(date(2025, 7, 29), date(2025, 9, 30)):
        pilot.update(sy, "Annie", day, "La gouvernance avance ; deux partenaires rencontrés.")
    done = mentoring.post_update(
        group=sy,
        author=pilot.p("Annie"),
        text="Ces deux besoins sont réglés ou dépassés.",
        addressed=first_needs,
    )
    backdate(UpdateMessage, done, date(2025, 10, 7))
    technical = [
        "Nos besoins ont changé : il nous faut un système informatique de caisse et un "
        "inventaire numérique relié au site web.",
        "Nous travaillons maintenant sur les plans électriques et la réfrigération de la "
        "nouvelle chambre froide.",
        "Toujours sur le logiciel de caisse : paramétrage des codes-barres, des taxes et de la "
        "balance électronique.",
    ]
    for day, text in zip(weeks(date(2025, 10, 14), END), technical * 3, strict=False):
        pilot.update(sy, "Annie", day, text)
    pilot.need(
        sy,
        "Annie",
        date(2025, 10, 21),
        "Choisir et configurer un logiciel de gestion des stocks et de caisse",
    )
    web = pilot.need(
        sy,
        "Annie",
        date(2025, 11, 4),
        "Concevoir le site web transactionnel et la base de données des commandes",
    )
    # Hélène says plainly that this one is not her field (Tableau 4: mentors are transparent).
    mentoring.decide_need(need=web, by=pilot.p("Hélène"), inside=False)

    # The daily computation, once a week through the period, then on the end date.
    for day in [*weeks(APPROVED, END), END]:
        compute_alerts(program=pilot.program, today=day)


# --- Evaluation ------------------------------------------------------------------------------

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


def evaluate(pilot: Pilot) -> Pilot:
    """The replayed edition evaluated through the services: objectives, tools, monthly answers,
    final evaluations, interviews and quotes (one consented, one refused)."""
    with replaying(pilot.encoder):
        _evaluate(pilot)
    return pilot


def _evaluate(pilot: Pilot) -> None:
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

    # Tools shared in both groups, after the meeting that called for them.
    for group, who, title, kind, day in (
        (lo, "Marc", "Grille d’optimisation des tournées", Tool.Type.CALCULATOR, date(2025, 9, 24)),
        (lo, "Isabelle", "Guide d’entreposage au froid", Tool.Type.GUIDE, date(2025, 10, 10)),
        (lo, "Sophie", "Plan de l’espace de tri", Tool.Type.PLAN, date(2025, 11, 5)),
        (sy, "Hélène", "Modèle d’entente de partenariat", Tool.Type.AGREEMENT, date(2025, 8, 27)),
    ):
        tool = tools.add_tool(
            group=group, shared_by=pilot.p(who), title=title, type=kind, url="https://example.org/"
        )
        backdate(Tool, tool, day)

    # Monthly rounds and the final evaluation: sent on their day, most answered within the
    # week. The service saves answers only while a round is open: the rounds are opened for
    # the replay, then given back their own closing dates.
    evaluation.create_default_rounds(program=program)
    rounds = Round.objects.filter(program=program)
    closes_on = dict(rounds.values_list("pk", "closes_on"))
    rounds.update(closes_on=timezone.localdate() + timedelta(days=30))
    for index, round_ in enumerate(rounds.order_by("send_on")):
        evaluation.invite_round(round=round_)
        # Sent on the round's day: the queued e-mails then find nothing left to send.
        sent = at(round_.send_on, 9)
        round_.invitations.filter(sent_at__isnull=True).update(sent_at=sent)
        Round.objects.filter(pk=round_.pk).update(first_sent_at=sent)
        invitations = list(round_.invitations.order_by("person__first_name"))
        for position, invitation in enumerate(invitations):
            if (position + index) % 4 == 3:  # about one in four does not answer
                continue
            text = PRIVATE_ANSWER if invitation.person.first_name == "Annie" else CONSENTED
            if invitation.person.first_name == "Sophie":
                text = REFUSED
            _answer(invitation, positive=position != 1, text=text)
            answered = at(round_.send_on + timedelta(days=1 + position % 5), 15)
            Invitation.objects.filter(pk=invitation.pk).update(
                submitted_at=answered, updated_at=answered
            )
    for pk, day in closes_on.items():
        Round.objects.filter(pk=pk).update(closes_on=day)

    # Final interviews: two validated by the participant, one still waiting.
    coordinator = pilot.camille
    mentee_roles = {r.person.first_name: r for r in program.roles.filter(kind=Role.Kind.MENTEE)}
    for name, validate in (("Sophie", True), ("François", True), ("Annie", False)):
        interview = evaluation.record_interview(
            program=program,
            participant=mentee_roles[name],
            interviewer=coordinator,
            held_on=program.end_date,
            learning="Une meilleure planification des tournées.",
        )
        evaluation.send_interview_for_validation(interview=interview)
        if validate:
            evaluation.validate_interview(interview=interview)
        FinalInterview.objects.filter(pk=interview.pk).update(
            sent_at=at(INTERVIEWS_SENT, 10),
            validated_at=at(INTERVIEWS_SENT + timedelta(days=4), 11) if validate else None,
        )

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
        answered = at(QUOTES_ASKED + timedelta(days=3), 16)
        Quote.objects.filter(pk=quote.pk).update(
            created_at=at(QUOTES_ASKED, 9),
            requested_at=at(QUOTES_ASKED, 10),
            answered_at=answered,
            consented_at=answered if consent else None,
        )


def build_evaluated_pilot() -> Pilot:
    return evaluate(replay(Pilot()))


# --- The demo's second program -----------------------------------------------------------------

# The pilot's Tableau 3, added at the end of the edition, when the tools were compiled.
TOOLS_COMPILED = date(2025, 12, 2)


def build_past_edition() -> Program:
    """The demo's completed edition: replayed, evaluated, given the pilot's tools, closed, its
    impact report published in French and in English. Call once (see editions.demo_exists)."""
    with transaction.atomic():
        pilot = build_evaluated_pilot()
        with replaying(pilot.encoder):
            for tool in add_demo_tools(pilot.program):
                backdate(Tool, tool, TOOLS_COMPILED)
            add_demo_messages(pilot)
            build_demo_path(pilot.program)
            program = update_program(program=pilot.program, status=Program.Status.CLOSED)
            # French first; English too, since the report page offers readers both.
            for language in ("fr", "en"):
                report = reports.get_or_create_draft(
                    program=program, language=language, today=REPORT_PUBLISHED
                )
                reports.publish_report(report=report, by=pilot.camille.user, today=REPORT_PUBLISHED)
                Report.objects.filter(pk=report.pk).update(published_at=at(REPORT_PUBLISHED, 11))
    return program

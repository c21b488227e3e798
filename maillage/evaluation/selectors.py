"""Reads that span models: the published indicators and response rates, for pages and reports.

Only submitted responses count (a draft saved on the way is not an answer yet). A report
passes any Answer queryset (a program, a track, a round, a period) and gets counts it can
suppress below its threshold before showing a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from maillage.core.tables import Table, day, local
from maillage.programs.models import Program

from .models import Answer, FinalInterview, Indicator, Invitation, Question, Quote, Round

# Satisfied or very satisfied: 4 or 5 on the five-point scale.
SATISFIED_FROM = 4
YES = "yes"


@dataclass(frozen=True)
class Share:
    indicator: str
    label: str
    count: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


def submitted_answers(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    return answers.filter(invitation__submitted_at__isnull=False)


def indicator_share(answers: QuerySet[Answer], indicator: str) -> Share:
    """Share of respondents giving the positive answer to the questions tagged `indicator`."""
    tagged = submitted_answers(answers).filter(question__indicator=indicator)
    if indicator == Indicator.SATISFACTION:
        positive = Q(value_number__gte=SATISFIED_FROM)
        tagged = tagged.filter(question__kind=Question.Kind.SCALE, value_number__isnull=False)
    else:
        positive = Q(value_text=YES)
    counts = tagged.aggregate(total=Count("pk"), count=Count("pk", filter=positive))
    return Share(indicator, str(Indicator(indicator).label), counts["count"], counts["total"])


def indicators(answers: QuerySet[Answer]) -> list[Share]:
    return [indicator_share(answers, value) for value in Indicator.values]


def program_indicators(program: Program, *, track_id: int | None = None) -> list[Share]:
    answers = Answer.objects.filter(invitation__round__program=program)
    if track_id is not None:
        answers = answers.filter(invitation__group__track_id=track_id)
    return indicators(answers)


def response_rate(invitations: QuerySet[Invitation]) -> Share:
    """Answered over sent, for any set of invitations (a round, a program, a track)."""
    counts = invitations.filter(sent_at__isnull=False).aggregate(
        total=Count("pk"), count=Count("pk", filter=Q(submitted_at__isnull=False))
    )
    return Share("response_rate", "", counts["count"], counts["total"])


# --- Tables as files (the same rows as the pages, for `table_download`) ----------------------


def program_rounds(program: Program) -> QuerySet[Round]:
    return program.evaluation_rounds.with_counts().select_related("questionnaire")


def rounds_table(program: Program) -> Table:
    """The rounds of the evaluation home page with their response rate (sent invitations)."""
    headers = [
        _("Questionnaire"),
        _("Destinataires"),
        _("Envoi"),
        _("Fermeture"),
        _("Statut"),
        _("Réponses"),
        _("Invitations envoyées"),
        _("Taux de réponse (%)"),
    ]
    rows = []
    for r in program_rounds(program):
        if r.cancelled:
            status = _("Annulé")
        else:
            status = _("Envoyé") if r.first_sent_at else _("Planifié")
        rows.append(
            [
                r.questionnaire.title(),
                r.get_audience_display(),
                r.send_on.isoformat(),
                r.closes_on.isoformat(),
                status,
                r.n_answered,
                r.n_invited,
                round(100 * r.n_answered / r.n_invited) if r.n_invited else "",
            ]
        )
    return headers, rows


def interviews_table(program: Program) -> Table:
    interviews = FinalInterview.objects.filter(program=program).select_related(
        "participant__person"
    )
    rows = [
        [iv.participant.person.full_name, iv.held_on.isoformat(), iv.get_status_display()]
        for iv in interviews
    ]
    return [_("Personne"), _("Date"), _("Statut")], rows


def response_status(invitation: Invitation) -> str:
    if invitation.submitted_at:
        return _("répondu")
    if invitation.updated_at:
        return _("en cours")
    return _("pas de réponse")


def invitations_table(round_: Round) -> Table:
    """Who was invited to a round and where their response stands (never the answers)."""
    rows = [
        [
            inv.person.full_name if inv.person else _("Réponse anonyme"),
            inv.get_role_kind_display(),
            day(inv.sent_at),
            day(inv.reminded_at),
            response_status(inv),
        ]
        for inv in round_.invitations.select_related("person")
    ]
    return [_("Personne"), _("Rôle"), _("Envoyé"), _("Rappel"), _("Réponse")], rows


def quotes_table(program: Program) -> Table:
    """Quotes as the quotes page lists them: passage, signature (role and topic, never a name)
    in the active language, status."""
    rows = [
        [
            q.passage,
            q.attribution(),
            q.get_status_display(),
            local(q.consented_at) if q.status == Quote.Status.CONSENTED else "",
        ]
        for q in Quote.objects.filter(program=program)
    ]
    return [_("Passage"), _("Signature"), _("Statut"), _("Consentement le")], rows

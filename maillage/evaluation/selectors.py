"""Reads that span models: the published indicators and response rates, for pages and reports.

Only submitted responses count (a draft saved on the way is not an answer yet). A report
passes any Answer queryset (a program, a track, a round, a period) and gets counts it can
suppress below its threshold before showing a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from maillage.programs.models import Program

from .models import Answer, Indicator, Invitation, Question

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

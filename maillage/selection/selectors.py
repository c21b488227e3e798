"""Reads for selection that span several models: the ranked view and one application's reviews,
and both as the tables a reviewer downloads (same rows, same columns as the pages)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from maillage.core.tables import day, local, number
from maillage.intake.models import Application
from maillage.intake.selectors import answers_for_display
from maillage.programs.models import Program, Track

from .models import CommitteeOpinion, Criterion, Decision, Review, Score

Table = tuple[list[str], list[list[Any]]]

# Reviewers disagree when their weighted scores are this far apart (on the 0–5 scale).
DISAGREEMENT = Decimal("2")


def weighted_score(pairs: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    """Σ weight·score / Σ weight over (weight, score) pairs, on the 0–5 scale; None if no weight."""
    total_weight = Decimal("0")
    total = Decimal("0")
    for weight, value in pairs:
        total_weight += Decimal(weight)
        total += Decimal(weight) * value
    if total_weight == 0:
        return None
    return total / total_weight


@dataclass
class Ranked:
    application: Application
    review_scores: list[Decimal] = field(default_factory=list)
    rank: int | None = None

    @property
    def review_count(self) -> int:
        return len(self.review_scores)

    @property
    def score(self) -> Decimal | None:
        if not self.review_scores:
            return None
        return sum(self.review_scores, Decimal("0")) / len(self.review_scores)

    @property
    def low(self) -> Decimal | None:
        return min(self.review_scores) if self.review_scores else None

    @property
    def high(self) -> Decimal | None:
        return max(self.review_scores) if self.review_scores else None

    @property
    def disagree(self) -> bool:
        return len(self.review_scores) > 1 and self.high - self.low >= DISAGREEMENT

    @property
    def duplicate(self) -> Application | None:
        """The earlier application this one may duplicate, never one of another program."""
        other = self.application.duplicate_of
        if other is not None and other.program_id == self.application.program_id:
            return other
        return None

    @property
    def opinion(self) -> CommitteeOpinion | None:
        opinions = self.application.latest_opinions
        return opinions[0] if opinions else None

    @property
    def decision(self) -> Decision | None:
        return getattr(self.application, "decision", None)


def review_scores_by_application(applications: list[Application]) -> dict[int, list[Decimal]]:
    """Each application's reviews, as weighted scores over the active criteria."""
    rows = Score.objects.filter(
        review__application__in=applications, criterion__archived_at__isnull=True
    ).values_list("review__application_id", "review_id", "criterion__weight", "value")
    by_review: dict[tuple[int, int], list[tuple[Decimal, int]]] = defaultdict(list)
    for app_id, review_id, weight, value in rows:
        by_review[(app_id, review_id)].append((weight, value))
    result: dict[int, list[Decimal]] = defaultdict(list)
    for (app_id, _review_id), pairs in sorted(by_review.items()):
        score = weighted_score(pairs)
        if score is not None:
            result[app_id].append(score)
    return result


def ranked_applications(
    *, program: Program, status: str = "", track: Track | None = None
) -> list[Ranked]:
    """The program's applications, best weighted score first; ties by received date."""
    applications = (
        Application.objects.for_program(program)
        .select_related("region", "duplicate_of", "decision__track", "track")
        .prefetch_related(
            Prefetch(
                "committee_opinions",
                queryset=CommitteeOpinion.objects.order_by("-recorded_at", "-pk"),
                to_attr="latest_opinions",
            )
        )
    )
    if status:
        applications = applications.filter(status=status)
    if track is not None:
        applications = applications.filter(track=track)
    applications = list(applications)
    scores = review_scores_by_application(applications)
    rows = [Ranked(application=a, review_scores=scores.get(a.pk, [])) for a in applications]
    rows.sort(
        key=lambda r: (
            r.score is None,
            -(r.score or 0),
            r.application.submitted_at,
            r.application.pk,
        )
    )
    for position, row in enumerate(rows, start=1):
        row.rank = position
    return rows


@dataclass
class ReviewColumn:
    review: Review
    values: dict[int, int]
    score: Decimal | None
    complete: bool


def reviews_table(*, application: Application) -> dict[str, Any]:
    """Every reviewer's scores side by side, per active criterion, for the detail page."""
    criteria = list(application.program.criteria.active())
    reviews = application.reviews.select_related("reviewer").prefetch_related("scores")
    columns = []
    for review in reviews.order_by("created_at", "pk"):
        values = {s.criterion_id: s.value for s in review.scores.all()}
        pairs = [(c.weight, values[c.pk]) for c in criteria if c.pk in values]
        columns.append(
            ReviewColumn(
                review=review,
                values=values,
                score=weighted_score(pairs),
                complete=all(c.pk in values for c in criteria),
            )
        )
    rows = [(c, [col.values.get(c.pk) for col in columns]) for c in criteria]
    return {"criteria": criteria, "columns": columns, "rows": rows}


def criteria_in_use(*, program: Program) -> list[Criterion]:
    return list(program.criteria.active())


def answers_of(application: Application) -> list[tuple[str, str]]:
    """The applicant's answers as (question, answer), read the way the intake app reads them."""
    return answers_for_display(application)


def duplicates_of(application: Application) -> tuple[Application | None, list[Application]]:
    """The application this one may duplicate and those that may duplicate it, same program."""
    earlier = application.duplicate_of
    if earlier is not None and earlier.program_id != application.program_id:
        earlier = None
    later = list(application.possible_duplicates.filter(program_id=application.program_id))
    return earlier, later


def applications_table(*, program: Program, status: str = "", track: Track | None = None) -> Table:
    """The ranked list as the applications page shows it, with the page's filters."""
    headers = [
        _("Rang"),
        _("Organisation"),
        _("Personne contact"),
        _("Doublon possible de"),
        _("Région"),
        _("Reçue le"),
        _("Statut"),
        _("Évaluations"),
        _("Note (0–5)"),
        _("Écart : note la plus basse"),
        _("Écart : note la plus haute"),
        _("Avis du comité"),
        _("Rencontre du comité"),
        _("Décision"),
        _("Volet"),
        _("À aviser"),
        _("Avisée le"),
    ]
    rows = []
    for row in ranked_applications(program=program, status=status, track=track):
        app, opinion, decision = row.application, row.opinion, row.decision
        rows.append(
            [
                row.rank,
                app.organization_name,
                app.contact_name,
                str(row.duplicate or ""),
                str(app.region or ""),
                day(app.submitted_at),
                app.get_status_display(),
                row.review_count,
                number(row.score),
                number(row.low) if row.disagree else None,
                number(row.high) if row.disagree else None,
                opinion.get_opinion_display() if opinion else "",
                opinion.meeting_date.isoformat() if opinion and opinion.meeting_date else "",
                decision.get_outcome_display() if decision else "",
                str(decision.track or "") if decision else "",
                ("" if not decision else _("Oui") if decision.needs_notice() else _("Non")),
                day(decision.notified_at) if decision and not decision.needs_notice() else "",
            ]
        )
    return headers, rows


def reviews_sheet(*, application: Application) -> Table:
    """One application's scores per criterion and reviewer, with each reviewer's weighted score,
    completeness and comment, as its page shows them."""
    table = reviews_table(application=application)
    columns = table["columns"]
    headers = [_("Critère"), _("Poids"), *[str(col.review.reviewer) for col in columns]]
    rows: list[list[Any]] = [
        [criterion.label, number(criterion.weight), *values] for criterion, values in table["rows"]
    ]
    rows.append([_("Note pondérée (0–5)"), None, *[number(col.score) for col in columns]])
    rows.append(
        [_("Évaluation complète"), None, *[_("Oui") if c.complete else _("Non") for c in columns]]
    )
    rows.append([_("Commentaire"), None, *[col.review.comment for col in columns]])
    rows.append([_("Mise à jour le"), None, *[local(col.review.updated_at) for col in columns]])
    return headers, rows

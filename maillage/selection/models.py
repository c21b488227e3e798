"""Selecting: weighted criteria, reviews with scores, the committee's opinion, decisions."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized
from maillage.core.models import Person
from maillage.intake.models import Application
from maillage.programs.models import Program, Track

SCORE_MIN, SCORE_MAX = 0, 5


class CriterionQuerySet(models.QuerySet):
    def active(self) -> CriterionQuerySet:
        return self.filter(archived_at__isnull=True)


class Criterion(models.Model):
    """One selection criterion (default: the seven of the pilot's Tableau 2)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label_fr = models.CharField(_("critère (français)"), max_length=300)
    label_en = models.CharField(_("critère (anglais)"), max_length=300, blank=True)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    weight = models.DecimalField(
        _("poids"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # A criterion that reviewers already scored is archived rather than deleted, so that the
    # scores given stay on record; an archived criterion no longer counts in the ranking.
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = _("critère de sélection")
        verbose_name_plural = _("critères de sélection")
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Review(models.Model):
    """One reviewer's scoring of one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reviews")
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review_each")
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.reviewer}"

    @property
    def program_id(self) -> int:
        return self.application.program_id


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} : {self.value}"

    @property
    def program_id(self) -> int:
        return self.criterion.program_id


class CommitteeOpinion(models.Model):
    """The advisory committee's opinion on an application (the pilot's GTAO, April 2022)."""

    class Opinion(models.TextChoices):
        FAVORABLE = "favorable", _("Favorable")
        RESERVED = "reserved", _("Favorable avec réserves")
        UNFAVORABLE = "unfavorable", _("Défavorable")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="committee_opinions"
    )
    opinion = models.CharField(_("avis"), max_length=20, choices=Opinion.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    meeting_date = models.DateField(_("date de la rencontre du comité"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis du comité")
        verbose_name_plural = _("avis du comité")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_opinion_display()}"

    @property
    def program_id(self) -> int:
        return self.application.program_id


class Decision(models.Model):
    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Retenue")
        WAITLISTED = "waitlisted", _("En attente")
        DECLINED = "declined", _("Non retenue")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("décision"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("motifs"))
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    share_reason = models.BooleanField(
        _("inclure les motifs dans le courriel"),
        default=False,
        help_text=_(
            "Pour une candidature non retenue : les motifs sont donnés seulement si cochée."
        ),
    )
    # Set by the service when the decision itself changes (not when it is notified), so that
    # « notified_at < decided_at » means the applicant has not heard of the current decision.
    decided_at = models.DateTimeField(_("décidée le"), default=timezone.now)
    notified_at = models.DateTimeField(_("personne avisée le"), null=True, blank=True)
    notified_outcome = models.CharField(
        _("décision annoncée"), max_length=20, choices=Outcome.choices, blank=True
    )

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"

    @property
    def program_id(self) -> int:
        return self.application.program_id

    def needs_notice(self) -> bool:
        """True when the applicant has not yet been told of the decision as it now stands."""
        return self.notified_at is None or self.notified_at < self.decided_at

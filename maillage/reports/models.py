"""The impact report of a program: a draft the coordinator edits, then a frozen publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.programs.models import Program


class ReportQuerySet(models.QuerySet):
    def published(self) -> ReportQuerySet:
        return self.filter(status=Report.Status.PUBLISHED)


class Report(models.Model):
    """One report per program and language.

    While a draft, the figures are computed live from the data; publishing freezes them in
    `snapshot` (everything the report shows, already suppressed and anonymized), so a published
    report never changes behind its readers' backs.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    recommendations = models.TextField(
        _("recommandations"),
        blank=True,
        help_text=_("Une recommandation par ligne. Ne nommez personne ni aucune organisation."),
    )
    recommendations_edited = models.BooleanField(default=False, editable=False)
    snapshot = models.JSONField(_("figures figées"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("publié par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport d’impact")
        verbose_name_plural = _("rapports d’impact")
        ordering = ["program", "language"]
        constraints = [
            models.UniqueConstraint(fields=["program", "language"], name="one_report_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.language}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

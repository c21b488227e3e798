"""The impact report of a program: a draft the coordinator edits, then a frozen publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.programs.models import Program


def pdf_name(instance: Report, filename: str) -> str:
    """One stored PDF per published version; the program's id keeps a folder per program."""
    return f"reports/{instance.program_id}/rapport-{instance.pk}-{instance.language}-v{instance.version}.pdf"


class ReportQuerySet(models.QuerySet):
    def published(self) -> ReportQuerySet:
        return self.filter(status=Report.Status.PUBLISHED)

    def of(self, program: Program, language: str) -> ReportQuerySet:
        """The program's versions in `language`, newest first."""
        return self.filter(program=program, language=language).order_by("-version")


class Report(models.Model):
    """One version of a program's report in one language.

    While a draft, the figures are computed live from the data; publishing freezes them in
    `snapshot` (everything the report shows, already suppressed and anonymized), so a published
    report never changes behind its readers' backs. A later year's figures (or a correction) go
    into a new version: a draft that starts from the published one's recommendations, while
    readers keep the last published version until the new one is published. Earlier versions
    stay readable.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    class PdfState(models.TextChoices):
        QUEUED = "queued", _("En attente")
        RENDERING = "rendering", _("En préparation")
        READY = "ready", _("Prêt")
        UNAVAILABLE = "unavailable", _("Non disponible")

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    # Counts the saves of the recommendations, for the edit form's stale check (core.locking);
    # `version` above is the report's edition.
    revision = models.PositiveIntegerField(default=0, editable=False)
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
    # A published version's PDF, rendered once by a task (reports.tasks) and served from the
    # storage afterwards; drafts change and are rendered on each request.
    pdf = models.FileField(_("PDF"), upload_to=pdf_name, blank=True, max_length=200)
    pdf_state = models.CharField(
        _("état du PDF"), max_length=12, choices=PdfState.choices, blank=True, editable=False
    )
    # When the rendering was queued: one waiting for longer than PDF_LOST_AFTER was lost (a
    # worker killed mid-work) and is queued again by the next reader.
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport d’impact")
        verbose_name_plural = _("rapports d’impact")
        ordering = ["program", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "language", "version"], name="one_report_per_version"
            ),
            # Two drafts at once would leave the coordinator editing the wrong one.
            models.UniqueConstraint(
                fields=["program", "language"],
                condition=models.Q(status="draft"),
                name="one_draft_per_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.language} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

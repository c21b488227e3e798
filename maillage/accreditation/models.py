"""Accreditation: a program's dossier for one part of a framework, its submissions to an
assessor (each a frozen snapshot of the evidence), the assessor's ratings and decision.

Who assesses: an accreditation body is a network (`measurement.Network`, e.g. Mentorat Québec
with its backbone organization). Its staff appoint assessors among the people who hold a role
in the network (they invite someone new on the network's « Rôles » page first): an `Assessor`.
A program's coordinators submit to an assessor of a network their program is shared with.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.measurement.models import Network
from maillage.programs.models import Program

from . import frameworks


class AssessorQuerySet(models.QuerySet):
    def active(self) -> AssessorQuerySet:
        return self.filter(ended_at__isnull=True)

    def for_program(self, program: Program) -> AssessorQuerySet:
        """The assessors of the networks this program is shared with."""
        return self.active().filter(network__members__programs__program=program).distinct()


class Assessor(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="assessors")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessor_roles")
    appointed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointed_at = models.DateTimeField(_("nommé·e le"), default=timezone.now)
    ended_at = models.DateTimeField(_("fin du mandat"), null=True, blank=True)

    objects = AssessorQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluateur·rice")
        verbose_name_plural = _("évaluateur·rices")
        ordering = ["network", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_assessor_per_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.network})"


class Dossier(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        SUBMITTED = "submitted", _("Soumis à l’évaluation")
        CHANGES = "changes", _("Modifications demandées")
        ACCREDITED = "accredited", _("Accrédité")
        REFUSED = "refused", _("Non accrédité")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="dossiers")
    framework = models.CharField(_("référentiel"), max_length=40)
    framework_version = models.PositiveSmallIntegerField(_("version du référentiel"))
    part = models.CharField(_("volet"), max_length=40)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("dossier d’accréditation")
        verbose_name_plural = _("dossiers d’accréditation")
        ordering = ["program", "framework", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "framework", "part"], name="one_dossier_per_part"
            )
        ]

    def __str__(self) -> str:
        part = self.get_part()
        return f"{self.program} — {part.name if part else self.part}"

    def get_framework(self) -> frameworks.Framework | None:
        return frameworks.framework(self.framework, self.framework_version)

    def get_part(self) -> frameworks.Part | None:
        fw = self.get_framework()
        return fw.part(self.part) if fw else None

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES)

    def last_submission(self) -> Submission | None:
        return self.submissions.order_by("-number").first()


class Note(models.Model):
    """The coordinator's comment on one criterion of a dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="notes")
    criterion = models.CharField(_("critère"), max_length=60)
    comment = models.TextField(_("commentaire"), blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commentaire de critère")
        verbose_name_plural = _("commentaires de critère")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "criterion"], name="one_note_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.criterion}"


def document_path(instance: Document, filename: str) -> str:
    return f"accreditation/{instance.dossier.program_id}/{instance.dossier_id}/{filename}"


class Document(models.Model):
    """A document the coordinator adds to a criterion. Removed ones are kept (`removed_at`):
    a submission that listed them still shows what the assessor read."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    criterion = models.CharField(_("critère"), max_length=60)
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document d’un dossier")
        verbose_name_plural = _("documents des dossiers")
        ordering = ["dossier", "criterion", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Level(models.TextChoices):
    INITIAL = "initial", _("Accréditation initiale")
    FULL = "full", _("Accréditation complète")
    DISTINCTION = "distinction", _("Accréditation avec distinction")


class Submission(models.Model):
    """One submission of a dossier: the evidence, comments and documents as they stood
    (`snapshot`), the assessor's ratings, and how it ended (sent back or decided)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("En évaluation")
        CHANGES = "changes", _("Renvoyé pour modifications")
        ACCREDITED = "accredited", _("Accrédité")
        REFUSED = "refused", _("Non accrédité")

    class PdfState(models.TextChoices):
        NONE = "", _("Pas demandé")
        QUEUED = "queued", _("En attente")
        RENDERING = "rendering", _("En cours")
        READY = "ready", _("Prêt")
        UNAVAILABLE = "unavailable", _("Impossible sur ce serveur")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="submissions")
    number = models.PositiveSmallIntegerField(_("numéro"))
    assessor = models.ForeignKey(
        Assessor,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("évaluateur·rice"),
    )
    submitted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("soumis le"), default=timezone.now)
    snapshot = models.JSONField(_("dossier tel que soumis"), default=dict)
    outcome = models.CharField(
        _("issue"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    assessor_comment = models.TextField(_("commentaire de l’évaluation"), blank=True)
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices, blank=True)
    expires_on = models.DateField(_("échéance de l’accréditation"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="accreditation/pdf/", blank=True, max_length=200)
    # The same PDF worded in English, rendered by the same task (an English assessor or
    # coordinator reads the dossier in their language; older submissions have French only).
    pdf_en = models.FileField(
        _("PDF en anglais"), upload_to="accreditation/pdf/", blank=True, max_length=200
    )
    pdf_state = models.CharField(max_length=12, choices=PdfState.choices, blank=True, default="")
    pdf_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("soumission d’un dossier")
        verbose_name_plural = _("soumissions des dossiers")
        ordering = ["dossier", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="one_number_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.number}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == self.Outcome.PENDING

    @property
    def is_accredited(self) -> bool:
        return self.outcome == self.Outcome.ACCREDITED

    def days_left(self, today: date | None = None) -> int | None:
        if self.expires_on is None:
            return None
        return (self.expires_on - (today or timezone.localdate())).days

    def pdf_filename(self, language: str = "fr") -> str:
        suffix = "" if language == "fr" else f"-{language}"
        return (
            f"accreditation-{self.dossier.program_id}-{self.dossier.part}-{self.number}{suffix}.pdf"
        )

    def stored_pdf(self, language: str) -> tuple[Any, str]:
        """The stored file for a reader's language and the language it is in: English when
        asked and rendered, else French (submissions stored before English PDFs existed)."""
        if language == "en" and self.pdf_en:
            return self.pdf_en, "en"
        return self.pdf, "fr"


class Rating(models.Model):
    class Value(models.TextChoices):
        NOT_MET = "not_met", _("Non conforme")
        PARTIAL = "partial", _("Partiellement conforme")
        MET = "met", _("Conforme")
        EXEMPLARY = "exemplary", _("Exemplaire")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.CharField(_("critère"), max_length=60)
    value = models.CharField(_("appréciation"), max_length=12, choices=Value.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    rated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appréciation d’un critère")
        verbose_name_plural = _("appréciations des critères")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "criterion"], name="one_rating_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.submission} — {self.criterion} : {self.get_value_display()}"

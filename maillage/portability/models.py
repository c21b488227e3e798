"""An import of people or applications, from the upload to the last written row.

The file is kept in the default storage (the local disk, or S3 as a setting) only while the
import may still need it; it is read once, by the worker, into `parsed`; the preview and the
write both start from that parse, never from the file again.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJobQuerySet(models.QuerySet):
    def of_program(self, program: Any) -> ImportJobQuerySet:
        # The parse (every row of the file) is the worker's: never loaded by a page.
        return self.filter(program=program).select_related("created_by__person").defer("parsed")

    def pending(self) -> ImportJobQuerySet:
        """Still waiting for the worker or for the coordinator's decision."""
        return self.filter(status__in=ImportJob.PENDING)


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        PEOPLE = "people", _("personnes")
        APPLICATIONS = "applications", _("candidatures")

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente de lecture")
        READING = "reading", _("lecture du fichier")
        PREVIEWED = "previewed", _("aperçu prêt")
        CONFIRMED = "confirmed", _("confirmée, en attente")
        WRITING = "writing", _("enregistrement")
        DONE = "done", _("terminée")
        FAILED = "failed", _("échouée")
        CANCELLED = "cancelled", _("annulée")

    # The worker has it, or will: the page polls.
    RUNNING = (Status.QUEUED, Status.READING, Status.CONFIRMED, Status.WRITING)
    PENDING = (*RUNNING, Status.PREVIEWED)
    FINISHED = (Status.DONE, Status.FAILED, Status.CANCELLED)

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(_("contenu"), max_length=20, choices=Kind.choices)
    skip_bad_rows = models.BooleanField(_("ignorer les lignes en erreur"), default=False)
    file = models.FileField(_("fichier"), upload_to="imports/%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(_("nom du fichier"), max_length=255)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    status = models.CharField(
        _("état"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # Bumped on every change of state: a form carries it, so that a second click (or a second
    # tab) on a page already acted on changes nothing.
    revision = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(_("lignes"), default=0)
    rows_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    # The write's cursor: rows of the parse written in committed batches (a worker that dies
    # mid-import is picked up again from here, never from the start).
    rows_written = models.PositiveIntegerField(default=0)
    parsed = models.JSONField(default=dict, blank=True, editable=False)
    preview = models.JSONField(default=dict, blank=True, editable=False)
    # The preview's counts (total, created, updated, unchanged, bad, file_errors): what the
    # confirmation decides on, without loading every row's outcome.
    counts = models.JSONField(default=dict, blank=True, editable=False)
    result = models.JSONField(default=dict, blank=True, editable=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("envoyée par"),
    )
    created_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmée par"),
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    file_deleted_at = models.DateTimeField(_("fichier supprimé le"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importation")
        verbose_name_plural = _("importations")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    def progress_step(self) -> tuple[int, int]:
        """(done, total) of the step under way, for the progress bar."""
        return self.rows_done, max(self.rows_total, 1)

"""The register of requests people make about their personal information (Law 25, s. 27-32)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person

ANSWER_DAYS = 30  # the law's delay to answer a request


class PrivacyRequestQuerySet(models.QuerySet):
    def open(self) -> PrivacyRequestQuerySet:
        return self.filter(
            status__in=[PrivacyRequest.Status.RECEIVED, PrivacyRequest.Status.IN_PROGRESS]
        )

    def overdue(self, today: date | None = None) -> PrivacyRequestQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class PrivacyRequest(models.Model):
    class Kind(models.TextChoices):
        ACCESS = "access", _("Accès à mes renseignements")
        RECTIFICATION = "rectification", _("Rectification")
        DELETION = "deletion", _("Suppression")
        PORTABILITY = "portability", _("Portabilité (copie structurée)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Reçue")
        IN_PROGRESS = "in_progress", _("En traitement")
        ANSWERED = "answered", _("Répondue")
        REFUSED = "refused", _("Refusée (motifs donnés)")

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="privacy_requests"
    )
    # Kept as given: the register outlives an erased person.
    requester_name = models.CharField(_("nom"), max_length=200)
    requester_email = models.EmailField(_("courriel"))
    kind = models.CharField(_("type de demande"), max_length=20, choices=Kind.choices)
    details = models.TextField(_("précisions"), blank=True)
    filed_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    due_on = models.DateField(_("réponse due le"))
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    answer = models.TextField(_("réponse"), blank=True)
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PrivacyRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande relative aux renseignements personnels")
        verbose_name_plural = _("registre des demandes")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.requester_name}"

    def save(self, *args, **kwargs) -> None:
        if self.due_on is None:
            self.due_on = timezone.localdate(self.filed_at) + timedelta(days=ANSWER_DAYS)
        super().save(*args, **kwargs)

    def is_open(self) -> bool:
        return self.status in (self.Status.RECEIVED, self.Status.IN_PROGRESS)

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open() and self.due_on < (today or timezone.localdate())

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


KEEP_INCIDENTS_YEARS = 5  # the regulation's minimum keeping of the register


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Incident(models.Model):
    """A confidentiality incident, with what the regulation asks the register to hold
    (Regulation respecting confidentiality incidents, s. 11), kept five years after the
    measures were taken: it cannot be deleted before (`deletable_from`)."""

    class Risk(models.TextChoices):
        UNKNOWN = "unknown", _("À évaluer")
        LOW = "low", _("Pas de risque de préjudice sérieux")
        SERIOUS = "serious", _("Risque de préjudice sérieux")

    occurred_on = models.DateField(_("date ou période de l’incident"), null=True, blank=True)
    discovered_on = models.DateField(_("date de la découverte"))
    description = models.TextField(_("description de l’incident"))
    data_concerned = models.TextField(
        _("renseignements personnels visés"),
        help_text=_("Ou, s’ils ne sont pas connus, pourquoi il est impossible de les décrire."),
    )
    people_affected = models.PositiveIntegerField(
        _("nombre de personnes concernées"), null=True, blank=True
    )
    risk = models.CharField(
        _("évaluation du risque de préjudice sérieux"),
        max_length=10,
        choices=Risk.choices,
        default=Risk.UNKNOWN,
    )
    risk_reasons = models.TextField(
        _("motifs de l’évaluation (sensibilité, conséquences, probabilité)"), blank=True
    )
    commission_notified_on = models.DateField(
        _("avis à la Commission d’accès à l’information le"), null=True, blank=True
    )
    people_notified_on = models.DateField(
        _("avis aux personnes concernées le"), null=True, blank=True
    )
    measures = models.TextField(_("mesures prises pour diminuer les risques"), blank=True)
    measures_done_on = models.DateField(_("mesures terminées le"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inscrit par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents")
        ordering = ["-discovered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.discovered_on} — {self.description[:60]}"

    def deletable_from(self) -> date:
        start = self.measures_done_on or timezone.localdate(self.recorded_at or timezone.now())
        return years_after(start, KEEP_INCIDENTS_YEARS)

    def may_be_deleted(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.deletable_from()


def keep_five_years(sender: type[Incident], instance: Incident, **kwargs) -> None:
    """Connected to pre_delete: refuses the deletion however it comes (a page, the admin, a
    queryset's delete, a shell) before the five years are over."""
    if not instance.may_be_deleted():
        from .errors import PrivacyError

        raise PrivacyError(
            _("Un incident se garde cinq ans : il ne peut être supprimé avant le %(day)s.")
            % {"day": instance.deletable_from().isoformat()}
        )


KEEP_DESTRUCTION_LOG_YEARS = 5  # the proof of a destruction outlives what it destroyed


class DestructionLog(models.Model):
    """One destruction or anonymization (Law 25, s. 23): when, which rule (kind of data), how
    many rows, by the daily job or a named staff person answering a request. It never holds
    personal data: counts, the rule's key, and the request's number only. Kept five years;
    deletion is refused before (`keep_destruction_log`)."""

    class Action(models.TextChoices):
        ERASE = "erase", _("Destruction")
        ANONYMIZE = "anonymize", _("Anonymisation")

    done_at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)
    rule = models.CharField(_("règle (type de renseignements)"), max_length=40, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    count = models.PositiveIntegerField(_("nombre d’éléments"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vide : la tâche quotidienne de conservation."),
    )
    request = models.ForeignKey(
        PrivacyRequest,
        verbose_name=_("demande"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="destructions",
    )

    class Meta:
        verbose_name = _("destruction")
        verbose_name_plural = _("journal des destructions")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.done_at:%Y-%m-%d} {self.rule} {self.action} × {self.count}"

    def deletable_from(self) -> date:
        return years_after(timezone.localdate(self.done_at), KEEP_DESTRUCTION_LOG_YEARS)

    def may_be_deleted(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.deletable_from()


def keep_destruction_log(sender: type[DestructionLog], instance: DestructionLog, **kwargs) -> None:
    """Connected to pre_delete, as for incidents: no page, admin or shell deletes an entry of
    the destruction log before its five years."""
    if not instance.may_be_deleted():
        from .errors import PrivacyError

        raise PrivacyError(
            _(
                "Le journal des destructions se garde cinq ans : cette entrée ne peut être "
                "supprimée avant le %(day)s."
            )
            % {"day": instance.deletable_from().isoformat()}
        )

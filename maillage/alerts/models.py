"""Alerts about running mentoring groups, who they were sent to, and each person's mutes.

An alert is identified by its cause (`program`, `kind`, `cause_key`): the daily computation finds
the same cause again every day and must neither duplicate the alert nor send it twice. When the
condition clears, the alert is resolved; if the same cause comes back, the same row reopens
(without a second e-mail).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.programs.models import Program


class Kind(models.TextChoices):
    NO_DESIGNATED = "no_designated", _("Personne mentorée désignée absente")
    SLOW_START = "slow_start", _("Démarrage lent (première rencontre tardive)")
    MEETING_GAP = "meeting_gap", _("Pas de rencontre depuis trop longtemps")
    HOURS_PACE = "hours_pace", _("Banque d’heures utilisée trop lentement ou trop vite")
    UPDATE_OVERDUE = "update_overdue", _("Message de suivi en retard")
    NEEDS_DRIFT = "needs_drift", _("Besoins qui s’éloignent de l’expertise du mentor")
    INACTIVE = "inactive", _("Groupe inactif")
    CONSENT_MISSING = "consent_missing", _("Membre d’un groupe sans consentement")


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("À surveiller")
    PROBLEM = "problem", _("À régler")


SEVERITY_ORDER = {Severity.PROBLEM: 0, Severity.WARNING: 1, Severity.INFO: 2}


class AlertQuerySet(models.QuerySet):
    def open(self) -> AlertQuerySet:
        return self.filter(resolved_at__isnull=True)

    def for_program(self, program: Program) -> AlertQuerySet:
        return self.filter(program=program)


class Alert(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="alerts")
    group = models.ForeignKey(
        "mentoring.Group",
        verbose_name=_("groupe"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    cause_key = models.CharField(
        _("cause"),
        max_length=200,
        help_text=_("Identifie ce qui a déclenché l’alerte : jamais deux envois pour une cause."),
    )
    severity = models.CharField(
        _("gravité"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    evidence = models.JSONField(_("constat"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    first_seen_on = models.DateField(_("constatée le"))
    last_seen_on = models.DateField(_("dernière vérification"))
    resolved_at = models.DateTimeField(_("résolue le"), null=True, blank=True)
    recipients = models.ManyToManyField(
        Person, through="AlertRecipient", related_name="alerts", verbose_name=_("destinataires")
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["resolved_at", "-first_seen_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "kind", "cause_key"], name="one_alert_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.group or self.program}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    def describe(self) -> str:
        """What triggered the alert, in the active language (evidence is stored as figures)."""
        from .kinds import describe

        return describe(self)


class AlertRecipient(models.Model):
    """One person an alert concerns: the e-mail is sent once (claimed by `sent_at`)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    muted = models.BooleanField(_("mise en sourdine"), default=False)
    language = models.CharField(_("langue"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("destinataire d’une alerte")
        verbose_name_plural = _("destinataires d’une alerte")
        constraints = [
            models.UniqueConstraint(fields=["alert", "person"], name="one_delivery_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.person}"


class DailyRun(models.Model):
    """The days `run_daily` already computed, so that an hourly loop computes each day once."""

    day = models.DateField(_("jour"), unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    programs = models.PositiveIntegerField(default=0)
    alerts_open = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("calcul quotidien")
        verbose_name_plural = _("calculs quotidiens")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class Digest(models.Model):
    """One daily digest e-mail to a person, and what it listed: a message or an alert is in
    one digest at most, and a person gets one digest a day at most."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    messages = models.ManyToManyField(
        "mentoring.GroupMessage", related_name="digests", verbose_name=_("messages")
    )
    alerts = models.ManyToManyField(
        AlertRecipient, related_name="digests", verbose_name=_("alertes")
    )

    class Meta:
        verbose_name = _("résumé du jour")
        verbose_name_plural = _("résumés du jour")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="one_digest_a_day")]

    def __str__(self) -> str:
        return f"{self.person} — {self.day}"

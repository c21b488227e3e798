"""Shared measurement of a network (collective impact, seed 001).

A backbone organization runs a network; member organizations' programs feed common indicators,
compared with a baseline and with the original plan (targets by date). Numeric targets of a
collective (seed 004: tonnes, points of sale, agreements) are entered indicators with a unit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized
from maillage.core.models import JoinInvitation, Organization, Person
from maillage.programs.models import Program


class NetworkQuerySet(models.QuerySet):
    def of_user(self, user: Any, *kinds: str) -> NetworkQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        roles = NetworkRole.objects.filter(person__user=user)
        if kinds:
            roles = roles.filter(kind__in=kinds)
        return self.filter(pk__in=roles.values("network"))


class Network(models.Model):
    backbone = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="networks_led",
        verbose_name=_("organisation de soutien (backbone)"),
    )
    name = models.CharField(_("nom"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when staff ask for fresh figures, cleared by the task once they are stored: the page
    # says a refresh is under way meanwhile.
    figures_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when that refresh failed (cleared by the next one asked for or done): staff see it
    # failed and may ask again, instead of « en cours » until REFRESH_PATIENCE.
    figures_failed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="network_memberships"
    )
    joined_on = models.DateField(_("membre depuis"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation membre")
        verbose_name_plural = _("organisations membres")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"], name="unique_member_per_network"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)


class NetworkRole(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Équipe de l’organisation de soutien")
        STEERING = "steering", _("Comité directeur")
        FUNDER = "funder", _("Bailleur de fonds")
        # A member's coordinator enters figures for their own organization only.
        MEMBER = "member", _("Coordination d’une organisation membre")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_roles")
    kind = models.CharField(_("rôle"), max_length=20, choices=Kind.choices)
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coordinators",
        verbose_name=_("organisation membre"),
    )

    class Meta:
        verbose_name = _("rôle dans un réseau")
        verbose_name_plural = _("rôles dans un réseau")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "person", "kind"], name="unique_role_per_network"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()}"


class MemberProgram(models.Model):
    """A member's program that feeds the network, with its coordinator's recorded consent."""

    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="programs")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="network_links")
    consent_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consentement donné par"),
    )
    consent_at = models.DateTimeField(_("consentement donné le"))

    class Meta:
        verbose_name = _("programme d’un membre")
        verbose_name_plural = _("programmes des membres")
        constraints = [
            models.UniqueConstraint(fields=["member", "program"], name="unique_program_per_member")
        ]

    def __str__(self) -> str:
        return str(self.program)


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COMPUTED = "computed", _("Calculé à partir des programmes")
        ENTERED = "entered", _("Saisi par les membres")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Somme")
        MEAN = "mean", _("Moyenne")
        RATE = "rate", _("Taux (moyenne pondérée)")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=60)
    label_fr = models.CharField(_("libellé (français)"), max_length=300)
    label_en = models.CharField(_("libellé (anglais)"), max_length=300, blank=True)
    unit = models.CharField(
        _("unité"), max_length=40, blank=True, help_text=_("Par exemple : t, points de vente, %")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.ENTERED)
    source_key = models.CharField(
        _("clé de l’indicateur de programme"),
        max_length=80,
        blank=True,
        help_text=_("Pour un indicateur calculé : la clé dans les indicateurs de programme."),
    )
    aggregation = models.CharField(
        _("agrégation"), max_length=5, choices=Aggregation.choices, default=Aggregation.SUM
    )
    counts_people = models.BooleanField(
        _("compte des personnes ou des organisations"),
        default=False,
        help_text=_("Les cellules sous le seuil de confidentialité sont alors masquées."),
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("indicateur commun")
        verbose_name_plural = _("indicateurs communs")
        ordering = ["network", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="unique_indicator_code")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class Baseline(models.Model):
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="baseline")
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("valeur de référence")
        verbose_name_plural = _("valeurs de référence")

    def __str__(self) -> str:
        return f"{self.indicator} : {self.value} ({self.date})"


class PlanTarget(models.Model):
    """The original plan: the value the network meant to reach by a date."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("cible"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("cible du plan")
        verbose_name_plural = _("cibles du plan")
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "date"], name="unique_target_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} : {self.value} ({self.date})"


class Measurement(models.Model):
    """A value for a period: entered by a member, or a snapshot of a computed indicator taken
    when the period closed (so that later corrections in a program don't rewrite history)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="measurements")
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    is_snapshot = models.BooleanField(default=False, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mesure")
        verbose_name_plural = _("mesures")
        ordering = ["indicator", "period_end", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "member", "program", "period_start", "period_end"],
                name="unique_measurement_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="measurement_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} : {self.value} ({self.period_start} – {self.period_end})"


class ProgramFigures(models.Model):
    """A program's figures (``reports.indicators.program_indicators``, JSON) as of `computed_at`.

    The network page reads its live column from here instead of computing every member program
    on each view; the daily job and the staff's « Mettre à jour » refresh it in the background.
    The whole dict is kept, not only the keys a network uses today: computing it costs the same,
    an indicator defined later shows at once, and a program shared with several networks has
    one row. Raw counts: the small-cell rule applies when the page aggregates them."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="network_figures"
    )
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("calculés le"))

    class Meta:
        verbose_name = _("chiffres d’un programme")
        verbose_name_plural = _("chiffres des programmes")

    def __str__(self) -> str:
        return f"{self.program} ({self.computed_at:%Y-%m-%d %H:%M})"


class NetworkInvitation(JoinInvitation):
    """An invitation to take a role in a network, for someone Maillage knows from elsewhere.

    The network's staff who typed the address get a stand-in holding only what they typed, with
    the role; the person is invited by e-mail and on « Mes programmes », and their own record
    replaces the stand-in only when they accept (as `programs.ProgramInvitation` does).
    """

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_invitations")

    class Meta(JoinInvitation.Meta):
        verbose_name = _("invitation à rejoindre un réseau")
        verbose_name_plural = _("invitations à rejoindre un réseau")

    def __str__(self) -> str:
        return f"{self.person} — {self.network}"

    SALT = "maillage.measurement.invitation"
    PLACE = "network"

    def offered_roles(self) -> list[NetworkRole]:
        if self.stand_in_id is None:
            return []
        return list(self.network.roles.filter(person_id=self.stand_in_id))

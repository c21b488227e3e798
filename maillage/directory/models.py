"""The directory of a network's member organizations (issue 15): who they are, where, at which
maturity phase and since when, and what each organization lets whom see.

An organization's identity (name, kind, sector, territory, phase, antennas) lives in core; what
the directory adds is the dated history of phases and, per membership, the organization's own
choice of audience for each part of its profile.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organization
from maillage.measurement.models import Network, NetworkMember


class Audience(models.TextChoices):
    """Who sees a part of a profile, narrowest first. The network's staff and the organization's
    own coordinators always see everything: they are the ones who edit it."""

    PRIVATE = "private", _("Équipe du réseau et organisation")
    NETWORK = "network", _("Membres du réseau")
    PUBLIC = "public", _("Tout le monde (page publique)")


AUDIENCE_RANK = {Audience.PRIVATE: 0, Audience.NETWORK: 1, Audience.PUBLIC: 2}

# The parts of a profile an organization shows or hides, in the order of the form. The name is
# not among them: a directory lists names, and a name shown nowhere would be no entry at all.
FIELDS: list[tuple[str, str]] = [
    ("region", _("Région administrative")),
    ("mrc", _("MRC")),
    ("kind", _("Type d’organisation")),
    ("sector", _("Secteur")),
    ("phase", _("Phase de maturité et son historique")),
    ("description", _("Ce que fait l’organisation (description et domaines)")),
    ("website", _("Site web")),
    ("programs", _("Programmes partagés avec le réseau")),
    ("collective", _("Collectif et antennes")),
]
FIELD_NAMES = [name for name, _label in FIELDS]

# Minimum by default: the name (always) and the region, to every audience of the directory
# (the public page too, once the network publishes it); the rest stays with the network's staff
# and the organization until it decides otherwise.
DEFAULT_VISIBILITY: dict[str, str] = {name: Audience.PRIVATE for name in FIELD_NAMES} | {
    "region": Audience.PUBLIC
}


class Profile(models.Model):
    """One organization's choices of audience in one network's directory."""

    member = models.OneToOneField(
        NetworkMember, on_delete=models.CASCADE, related_name="directory_profile"
    )
    visibility = models.JSONField(_("visibilité"), default=dict)
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fiche d’annuaire")
        verbose_name_plural = _("fiches d’annuaire")

    def __str__(self) -> str:
        return str(self.member)

    def audience_of(self, field: str) -> str:
        value = (self.visibility or {}).get(field)
        return value if value in AUDIENCE_RANK else DEFAULT_VISIBILITY[field]


class DirectoryOptions(models.Model):
    """A network's choice to publish its directory on a page open to anyone (no sign-in)."""

    network = models.OneToOneField(
        Network, on_delete=models.CASCADE, related_name="directory_options"
    )
    public = models.BooleanField(
        _("annuaire public"),
        default=False,
        help_text=_(
            "Une page ouverte à tous, sans connexion, avec les seuls renseignements que chaque "
            "organisation a choisi de rendre publics."
        ),
    )
    intro = models.TextField(_("présentation (page publique)"), blank=True)

    class Meta:
        verbose_name = _("options de l’annuaire")
        verbose_name_plural = _("options des annuaires")

    def __str__(self) -> str:
        return str(self.network)


class PhaseChange(models.Model):
    """A dated step in an organization's maturity (incubation → pre-start → development →
    active, or back), with a note saying what made it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="phase_changes"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Organization.Phase.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("changement de phase")
        verbose_name_plural = _("changements de phase")
        ordering = ["organization", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} : {self.get_phase_display()} ({self.on})"

"""Mutualized resources of a network (seed 004, Les Complices Alimentaires): what member
organizations offer and need — physical (trucks, kitchens, cold rooms), human (staff,
volunteers, people in socio-professional integration), financial and organizational — matched
organization to organization by `jumelage.resources`; a match becomes a usage agreement signed by
both sides (the pilot's truck-sharing protocol, seed 000, Tableau 3) whose uses are recorded and
feed the network's shared measurement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person, Territory
from maillage.measurement.models import Indicator, Network, NetworkMember


class Kind(models.TextChoices):
    PHYSICAL = "physical", _("Physique")
    HUMAN = "human", _("Humaine")
    FINANCIAL = "financial", _("Financière")
    ORGANIZATIONAL = "organizational", _("Organisationnelle")


# Categories by kind, from seed 004's « Ressources mutualisables ».
CATEGORIES: dict[str, list[tuple[str, Any]]] = {
    Kind.PHYSICAL: [
        ("camion_refrigere", _("Camion réfrigéré")),
        ("camion", _("Camion ou fourgonnette")),
        ("cuisine", _("Cuisine de transformation")),
        ("chambre_froide", _("Chambre froide")),
        ("congelateur", _("Congélateur")),
        ("entreposage", _("Espace d’entreposage")),
        ("equipement", _("Équipement de transformation")),
        ("local", _("Local ou salle")),
        ("physique_autre", _("Autre ressource physique")),
    ],
    Kind.HUMAN: [
        ("benevoles", _("Bénévoles")),
        ("personnel", _("Personnel salarié")),
        ("insertion", _("Personnes en insertion socioprofessionnelle")),
        ("consultation", _("Consultant·e ou expertise")),
        ("chauffeur", _("Chauffeur·e")),
        ("humaine_autre", _("Autre ressource humaine")),
    ],
    Kind.FINANCIAL: [
        ("subvention", _("Subvention ou financement partagé")),
        ("pret", _("Prêt ou avance de fonds")),
        ("achat_groupe", _("Achat groupé")),
        ("financiere_autre", _("Autre ressource financière")),
    ],
    Kind.ORGANIZATIONAL: [
        ("guide", _("Guide de démarrage")),
        ("outils_gestion", _("Outils de gestion")),
        ("image_marque", _("Image de marque")),
        ("formation", _("Formation")),
        ("accompagnement", _("Accompagnement, coaching ou mentorat")),
        ("organisationnelle_autre", _("Autre ressource organisationnelle")),
    ],
}
CATEGORY_CHOICES = [item for items in CATEGORIES.values() for item in items]
KIND_OF_CATEGORY = {code: kind for kind, items in CATEGORIES.items() for code, _label in items}


class Unit(models.TextChoices):
    UNIT = "unite", _("unités")
    KM = "km", _("kilomètres")
    HOUR = "h", _("heures")
    DAY = "jour", _("jours")
    TONNE = "t", _("tonnes")
    PERSON = "personne", _("personnes")
    DOLLAR = "dollar", _("dollars")
    CUBIC = "m3", _("mètres cubes")


class Reach(models.TextChoices):
    MRC = "mrc", _("Dans la même MRC")
    REGION = "region", _("Dans la même région")
    NEIGHBOURS = "neighbours", _("Jusqu’aux régions voisines")
    PROVINCE = "province", _("Partout au Québec")


WEEKDAYS = [
    ("lun", _("lundi")),
    ("mar", _("mardi")),
    ("mer", _("mercredi")),
    ("jeu", _("jeudi")),
    ("ven", _("vendredi")),
    ("sam", _("samedi")),
    ("dim", _("dimanche")),
]


class ResourceQuerySet(models.QuerySet):
    def open(self) -> ResourceQuerySet:
        return self.filter(status=Resource.Status.OPEN)

    def offers(self) -> ResourceQuerySet:
        return self.filter(direction=Resource.Direction.OFFER)

    def needs(self) -> ResourceQuerySet:
        return self.filter(direction=Resource.Direction.NEED)


class Resource(models.Model):
    """An offer or a need, posted by a member organization of a network."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("Offre")
        NEED = "need", _("Besoin")

    class Status(models.TextChoices):
        OPEN = "open", _("Publiée")
        PAUSED = "paused", _("En pause")
        CLOSED = "closed", _("Fermée")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="resources")
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.CASCADE,
        related_name="resources",
        verbose_name=_("organisation"),
    )
    direction = models.CharField(_("sens"), max_length=5, choices=Direction.choices)
    kind = models.CharField(_("type de ressource"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("catégorie"), max_length=30, choices=CATEGORY_CHOICES)
    title = models.CharField(_("titre"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(
        _("quantité"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("organisations servies à la fois"),
        default=1,
        help_text=_("Pour une offre : combien d’organisations peuvent l’utiliser en même temps."),
    )
    available_from = models.DateField(_("à partir du"), null=True, blank=True)
    available_until = models.DateField(_("jusqu’au"), null=True, blank=True)
    days = models.JSONField(_("jours de la semaine"), default=list, blank=True)
    cost = models.CharField(
        _("coût"), max_length=200, blank=True, help_text=_("Par exemple : gratuit, 0,45 $/km")
    )
    insurance_required = models.BooleanField(_("assurance exigée de l’utilisateur"), default=False)
    operator_included = models.BooleanField(
        _("chauffeur ou opérateur fourni"),
        default=False,
        help_text=_("Pour une offre : la personne qui conduit ou opère vient avec la ressource."),
    )
    conditions = models.TextField(_("autres conditions"), blank=True)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territoire (MRC ou région)"),
    )
    reach = models.CharField(
        _("jusqu’où"), max_length=12, choices=Reach.choices, default=Reach.REGION
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN)
    contact = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne à joindre"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource mutualisée")
        verbose_name_plural = _("ressources mutualisées")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_until__isnull=True)
                | models.Q(available_from__isnull=True)
                | models.Q(available_until__gte=models.F("available_from")),
                name="resource_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_offer(self) -> bool:
        return self.direction == self.Direction.OFFER

    def days_display(self) -> str:
        names = dict(WEEKDAYS)
        return ", ".join(str(names[d]) for d in self.days if d in names)

    def place(self) -> Territory | None:
        """Where it is: the territory chosen, else the organization's."""
        return self.territory or self.member.organization.territory


class Proposal(models.Model):
    """A pair the engine proposed; kept when declined (never proposed again) or agreed."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        DECLINED = "declined", _("Décliné")
        AGREED = "agreed", _("Entente en cours")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    offer = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="as_offer")
    need = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="as_need")
    score = models.FloatField(editable=False)  # for ordering only: never shown
    criteria = models.JSONField(default=dict, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    declined_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jumelage proposé")
        verbose_name_plural = _("jumelages proposés")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "need"], name="unique_proposal_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.offer} → {self.need}"


class Agreement(models.Model):
    """A usage agreement: who lends what to whom, when, on what terms (the pilot's
    truck-sharing protocol). Signed by each side's coordinator; any change of its terms voids a
    signature already given, so that both sign the same text."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("À signer")
        SIGNED = "signed", _("Signée")
        ENDED = "ended", _("Terminée")
        CANCELLED = "cancelled", _("Annulée")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements"
    )
    offer = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="lent_in")
    need = models.ForeignKey(
        Resource, on_delete=models.PROTECT, null=True, blank=True, related_name="met_in"
    )
    lender = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="agreements_lent",
        verbose_name=_("organisation qui prête"),
    )
    borrower = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="agreements_borrowed",
        verbose_name=_("organisation qui utilise"),
    )
    title = models.CharField(_("ressource prêtée"), max_length=160)
    quantity = models.DecimalField(
        _("quantité prévue"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, blank=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    schedule = models.CharField(
        _("horaire"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : mardis et jeudis, de 8 h à 16 h"),
    )
    cost = models.CharField(_("coût convenu"), max_length=200, blank=True)
    insurance = models.CharField(
        _("assurances"),
        max_length=300,
        blank=True,
        help_text=_("Qui assure la ressource et ce que l’utilisateur doit fournir."),
    )
    operator = models.CharField(
        _("chauffeur ou opérateur"),
        max_length=200,
        blank=True,
        help_text=_("Fourni par le prêteur, ou conditions pour l’utilisateur (permis, formation)."),
    )
    responsibilities = models.TextField(
        _("responsabilités de chacun"),
        blank=True,
        help_text=_("Entretien, nettoyage, carburant, chaîne du froid, bris et dommages."),
    )
    conditions = models.TextField(_("autres conditions"), blank=True)
    lender_contact = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne-ressource du prêteur"),
    )
    borrower_contact = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personne-ressource de l’utilisateur"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    lender_signed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lender_signed_at = models.DateTimeField(null=True, blank=True)
    borrower_signed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    borrower_signed_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("raison"), max_length=300, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entente d’utilisation")
        verbose_name_plural = _("ententes d’utilisation")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.lender} → {self.borrower}"

    def side_of(self, member_ids: set[int]) -> list[str]:
        """The sides (« lender », « borrower ») that these members hold."""
        return [
            side
            for side, member_id in (("lender", self.lender_id), ("borrower", self.borrower_id))
            if member_id in member_ids
        ]

    def signatures(self) -> int:
        return int(self.lender_signed_at is not None) + int(self.borrower_signed_at is not None)

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.SIGNED


class Use(models.Model):
    """One use of the resource under a signed agreement: a trip, a day in the kitchen."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="uses")
    on = models.DateField(_("date"))
    quantity = models.DecimalField(
        _("quantité"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, blank=True)
    tonnes = models.DecimalField(
        _("denrées déplacées ou transformées (t)"),
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utilisation")
        verbose_name_plural = _("utilisations")
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement.title} ({self.on})"


class IndicatorFeed(models.Model):
    """Which entered indicator of the network receives a figure of the resources: the agreements
    signed, the uses, the tonnes moved. No row: not set yet (made at the first signature); a row
    without an indicator: the staff chose not to feed that figure."""

    class Source(models.TextChoices):
        AGREEMENTS = "agreements", _("Ententes d’utilisation signées")
        USES = "uses", _("Utilisations de ressources partagées")
        TONNES = "tonnes", _("Denrées déplacées ou transformées grâce aux ressources partagées")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicateur alimenté par les ressources")
        verbose_name_plural = _("indicateurs alimentés par les ressources")
        constraints = [
            models.UniqueConstraint(fields=["network", "source"], name="unique_feed_per_source")
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} → {self.indicator or '—'}"


def month_of(on: date) -> tuple[date, date]:
    """The calendar month of a day: the period the shared measurement receives it in."""
    start = on.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)

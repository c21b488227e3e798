"""Collective governance of a network (issue 15; seeds 004 and 001).

A network's governance model has versions (the Complices' model 1 of 2019, then model 2): each
version holds instances (committees, circles, a board, action teams…) with their mandate, their
seats by kind of member and the people in them for a term, and the accountability links between
instances. A new version starts as a copy of the current one; instances keep a `lineage` across
copies so that the comparison tells a renamed instance from a new one.

Meetings and decisions, ideas that become action teams (seed 001: teams formed around ideas, not
organizations) and the conflict-resolution process (seed 004: conflicts had no process) hang on
the network and its instances.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.measurement.models import Network, NetworkMember


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        ADOPTED = "adopted", _("Adopté")
        SUPERSEDED = "superseded", _("Remplacé")

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="governance_versions"
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("copié de"),
    )
    adopted_on = models.DateField(_("adopté le"), null=True, blank=True)
    superseded_on = models.DateField(_("remplacé le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("version du modèle de gouvernance")
        verbose_name_plural = _("versions du modèle de gouvernance")
        ordering = ["network", "number"]
        constraints = [
            models.UniqueConstraint(fields=["network", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def is_editable(self) -> bool:
        # A superseded model is history: it stays as it was when it was replaced.
        return self.status != self.Status.SUPERSEDED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def previous(self) -> Version | None:
        if self.based_on_id:
            return self.based_on
        return (
            Version.objects.filter(network_id=self.network_id, number__lt=self.number)
            .order_by("-number")
            .first()
        )


class Instance(models.Model):
    class Kind(models.TextChoices):
        BOARD = "board", _("Conseil d’administration")
        COMMITTEE = "committee", _("Comité")
        CIRCLE = "circle", _("Cercle")
        ACTION_TEAM = "action_team", _("Équipe d’action")
        ASSEMBLY = "assembly", _("Assemblée")
        STAFF = "staff", _("Poste ou équipe")
        OTHER = "other", _("Autre")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="instances")
    # The same instance across versions (kept by the copy): renamed, not new.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.COMMITTEE)
    mandate = models.TextField(_("mandat"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("instance")
        verbose_name_plural = _("instances")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "lineage"], name="unique_lineage_per_version"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """Seats of one kind in an instance (3 for member organizations, 1 for youth…)."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Organisations membres")
        YOUTH = "youth", _("Jeunes")
        USER = "user", _("Personnes usagères")
        FUNDER = "funder", _("Bailleurs de fonds")
        STAFF = "staff", _("Équipe de soutien")
        PARTNER = "partner", _("Partenaires du milieu")
        EXPERT = "expert", _("Expertise externe")

    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="seats")
    kind = models.CharField(_("sièges pour"), max_length=10, choices=Kind.choices)
    count = models.PositiveSmallIntegerField(_("nombre de sièges"), default=1)

    class Meta:
        verbose_name = _("sièges")
        verbose_name_plural = _("sièges")
        ordering = ["instance", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "kind"], name="unique_seat_kind"),
            models.CheckConstraint(condition=models.Q(count__gte=1), name="seat_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.instance} — {self.get_kind_display()} ({self.count})"

    def current_holders(self, on: date | None = None) -> list[SeatHolder]:
        on = on or date.today()
        return [h for h in self.holders.all() if h.is_current(on)]

    def vacant(self, on: date | None = None) -> int:
        return max(0, self.count - len(self.current_holders(on)))


class SeatHolder(models.Model):
    """A person in a seat for a term (start and end dates)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="holders")
    name = models.CharField(_("nom"), max_length=200)
    member = models.ForeignKey(
        NetworkMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation représentée"),
    )
    starts_on = models.DateField(_("début du mandat"))
    ends_on = models.DateField(_("fin du mandat"), null=True, blank=True)

    class Meta:
        verbose_name = _("personne siégeant")
        verbose_name_plural = _("personnes siégeant")
        ordering = ["seat", "starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="seat_term_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def is_expired(self, on: date) -> bool:
        return self.ends_on is not None and self.ends_on < on


class Link(models.Model):
    """An accountability link between two instances of the same version."""

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", _("rend compte à")
        ADVISES = "advises", _("conseille")
        DELEGATES_TO = "delegates_to", _("délègue à")

    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(
        _("type de lien"), max_length=12, choices=Kind.choices, default=Kind.REPORTS_TO
    )

    class Meta:
        verbose_name = _("lien de redevabilité")
        verbose_name_plural = _("liens de redevabilité")
        ordering = ["version", "source__order", "source_id", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_link"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"

    def superior_and_subordinate(self) -> tuple[Instance, Instance] | None:
        """Who answers to whom: A reports to B and B delegates to A both put A under B."""
        if self.kind == self.Kind.REPORTS_TO:
            return self.target, self.source
        if self.kind == self.Kind.DELEGATES_TO:
            return self.source, self.target
        return None


class Meeting(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    attendees = models.TextField(_("personnes présentes"), help_text=_("Une par ligne."))
    notes = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("rencontre d’une instance")
        verbose_name_plural = _("rencontres des instances")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.instance} — {self.held_on}"

    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class Decision(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("À faire")
        DONE = "done", _("Fait")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    follow_up_by = models.CharField(_("suivi par"), max_length=200, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("fait le"), null=True, blank=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    def is_late(self, on: date | None = None) -> bool:
        on = on or date.today()
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < on


class Idea(models.Model):
    """An idea a member proposes; others join it; staff may turn it into an action team."""

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        FORMED = "formed", _("Équipe d’action formée")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"))
    proposed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(Person, related_name="governance_ideas", blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    team = models.ForeignKey(
        Instance, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idée")
        verbose_name_plural = _("idées")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Disagreement(models.Model):
    """A disagreement a member raises, taken through the network's defined steps."""

    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        RESOLVED = "resolved", _("Réglé")
        UNRESOLVED = "unresolved", _("Clos sans entente")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="disagreements")
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    with_member = models.ForeignKey(
        NetworkMember,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avec l’organisation membre"),
    )
    subject = models.CharField(_("objet"), max_length=200)
    description = models.TextField(_("description"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_on = models.DateField(_("soulevé le"), default=date.today)

    class Meta:
        verbose_name = _("différend")
        verbose_name_plural = _("différends")
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return self.subject

    def current_step(self) -> DisagreementStep | None:
        return self.steps.filter(ended_on__isnull=True).first()


class DisagreementStep(models.Model):
    class Kind(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialogue entre les parties")
        FACILITATION = "facilitation", _("Facilitation")
        DECISION = "decision", _("Décision d’une instance")
        APPEAL = "appeal", _("Appel")

    ORDER = [Kind.DIALOGUE, Kind.FACILITATION, Kind.DECISION, Kind.APPEAL]

    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("étape"), max_length=12, choices=Kind.choices)
    started_on = models.DateField(_("commencée le"))
    ended_on = models.DateField(_("terminée le"), null=True, blank=True)
    outcome = models.TextField(_("résultat"), blank=True)
    instance = models.ForeignKey(
        Instance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("instance qui tranche"),
    )

    class Meta:
        verbose_name = _("étape d’un différend")
        verbose_name_plural = _("étapes d’un différend")
        ordering = ["disagreement", "started_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def next_kind(self) -> str | None:
        order = [str(k) for k in self.ORDER]
        at = order.index(self.kind)
        return order[at + 1] if at + 1 < len(order) else None

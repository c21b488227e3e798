"""Communities of practice of a network (seed 002: Mentorat Québec's « Jasettes mentoriales »,
series of 7 monthly meetings on themes, with articles and tools).

A series belongs to a network and is run by its backbone staff; facilitators lead its meetings.
Who may register: every person with a role in the network other than funder (staff, steering
committee, member coordinators) and every person whose organization is a member of the network
(`eligible_people`). That is the network's members as the seed means it (the people of member
organizations), with nothing to invite by hand; funders see aggregates only.

A person registers for the whole series (a community meets again and again with the same
people); past the capacity they wait in line, and the first in line takes a freed seat.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.measurement.models import Network, NetworkRole


def eligible_people(network: Network) -> models.QuerySet[Person]:
    """The network's members who may register (see the module's docstring)."""
    roles = NetworkRole.objects.filter(network=network).exclude(kind=NetworkRole.Kind.FUNDER)
    return Person.objects.filter(
        Q(pk__in=roles.values("person"))
        | Q(organization__in=network.members.values("organization"))
    ).distinct()


class SeriesQuerySet(models.QuerySet):
    def of_network(self, network: Network) -> SeriesQuerySet:
        return self.filter(network=network)

    def for_member(self, user: Any) -> SeriesQuerySet:
        """Series of every network in which the user may register (not as a funder only)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        person = getattr(user, "person", None)
        if person is None:
            return self.none()
        roles = NetworkRole.objects.filter(person=person).exclude(kind=NetworkRole.Kind.FUNDER)
        networks = Q(network__in=roles.values("network"))
        if person.organization_id:
            networks |= Q(network__members__organization_id=person.organization_id)
        return self.filter(networks).distinct()


class Series(models.Model):
    class Survey(models.TextChoices):
        EACH = "each", _("Après chaque rencontre")
        END = "end", _("À la fin de la série")
        NONE = "none", _("Aucun questionnaire")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="practice_series")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        default=20,
        help_text=_("Au-delà, les personnes s’inscrivent sur la liste d’attente."),
    )
    facilitators = models.ManyToManyField(
        Person, blank=True, related_name="practice_series_led", verbose_name=_("animation")
    )
    survey = models.CharField(
        _("questionnaire de satisfaction"),
        max_length=5,
        choices=Survey.choices,
        default=Survey.EACH,
    )
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("série d’une communauté de pratique")
        verbose_name_plural = _("séries des communautés de pratique")
        ordering = ["network", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def confirmed(self) -> models.QuerySet[Registration]:
        return self.registrations.filter(status=Registration.Status.CONFIRMED)

    def waiting(self) -> models.QuerySet[Registration]:
        return self.registrations.filter(status=Registration.Status.WAITING).order_by(
            "requested_at", "pk"
        )

    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed().count())

    def next_meeting(self) -> Meeting | None:
        return self.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()

    def is_led_by(self, person: Person | None) -> bool:
        return person is not None and self.facilitators.filter(pk=person.pk).exists()


def resource_name(instance: Resource, filename: str) -> str:
    """A random name under practice/: the person's file name is kept for the download only."""
    return f"practice/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Meeting(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("numéro"))
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    theme = models.CharField(_("thème"), max_length=300)
    online_url = models.URLField(
        _("lien de la visioconférence"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["https"])],
    )
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    # The facilitators' notes, shared with the registered people after the meeting.
    notes = models.TextField(_("notes de la rencontre"), blank=True)
    attendance_taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    uid = models.CharField(max_length=200, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("rencontre d’une communauté de pratique")
        verbose_name_plural = _("rencontres des communautés de pratique")
        ordering = ["series", "number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="unique_practice_number")
        ]

    def __str__(self) -> str:
        return f"{self.series} — {self.number}. {self.theme}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.uid:
            self.uid = f"practice-{uuid.uuid4().hex}@maillage"
        super().save(*args, **kwargs)

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def location(self) -> str:
        return " — ".join(part for part in (self.place, self.online_url) if part)

    def previous(self) -> Meeting | None:
        return self.series.meetings.filter(number__lt=self.number).order_by("-number").first()

    def next(self) -> Meeting | None:
        return self.series.meetings.filter(number__gt=self.number).order_by("number").first()


class Resource(models.Model):
    """An article or a tool for a meeting's theme: a link or a stored document."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("titre"), max_length=300)
    url = models.URLField(
        _("lien"), max_length=1000, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    file = models.FileField(_("document"), upload_to=resource_name, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["meeting", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrit·e")
        WAITING = "waiting", _("Sur la liste d’attente")
        CANCELLED = "cancelled", _("Annulée")

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="practice_registrations"
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    # When the person last asked for a seat: the waiting list's order.
    requested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["series", "requested_at", "pk"]
        # One row per person and series, whatever the clicks: cancelling and registering again
        # reuse it.
        constraints = [
            models.UniqueConstraint(fields=["series", "person"], name="unique_practice_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.series} ({self.get_status_display()})"

    def waiting_rank(self) -> int | None:
        if self.status != self.Status.WAITING:
            return None
        return (
            self.series.registrations.filter(status=self.Status.WAITING)
            .filter(
                Q(requested_at__lt=self.requested_at)
                | Q(requested_at=self.requested_at, pk__lt=self.pk)
            )
            .count()
            + 1
        )


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("présent·e"), default=False)
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_practice_presence")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class Question(models.Model):
    """A question left open at a meeting: it shows on every later meeting's page until it is
    answered, so that the community comes back to it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("réponse"), blank=True)
    answered_in = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("question en suspens")
        verbose_name_plural = _("questions en suspens")
        ordering = ["meeting__number", "asked_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class Feedback(models.Model):
    """A participant's answers to the satisfaction questionnaire, for one meeting or (when the
    series asks at the end) for the whole series (`meeting` empty)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="feedback")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appréciation")
        verbose_name_plural = _("appréciations")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "meeting", "person"], name="unique_practice_feedback"
            ),
            models.UniqueConstraint(
                fields=["series", "person"],
                condition=Q(meeting__isnull=True),
                name="unique_practice_series_feedback",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting or self.series}"

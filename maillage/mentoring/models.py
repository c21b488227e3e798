"""Mentoring groups: one mentor side and its mentees, formed when a person approves a proposal.

Everything of the running mentoring hangs on `Group`: the agreement and its acceptances, one
action plan per mentee (needs, objectives, steps), meetings (attendance, confidential notes,
iCalendar identity), the hours bank (time entries) and update messages.

The hours bank is the mentor side's offer (seed 000: « les mentor·es offriraient une banque de
20 heures »): every person's time is recorded, but only the mentor side's time draws on it.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person, Team
from maillage.programs.models import Program, Role, Track


class GroupQuerySet(models.QuerySet):
    def active(self) -> GroupQuerySet:
        return self.filter(status=Group.Status.ACTIVE)

    def of_user(self, user: Any) -> GroupQuerySet:
        """Groups the user belongs to, through one of their roles."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(members__role__person__user=user).distinct()


class Group(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Actif")
        CLOSED = "closed", _("Terminé")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("nom"), max_length=300, blank=True)
    mentor_team = models.ForeignKey(
        Team,
        verbose_name=_("équipe mentore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentoring_groups",
        help_text=_("Quand le côté mentor est une équipe."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # The account may be erased later (a deletion request, a departure): the link then goes,
    # but the name of who approved stays with the group, so that an approval is never lost.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approuvé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by_name = models.CharField(_("approuvé par (nom)"), max_length=200)
    approved_at = models.DateTimeField(_("approuvé le"))
    created_from = models.ForeignKey(
        "matching.Proposal",
        verbose_name=_("proposition d’origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )
    hours_bank = models.DecimalField(
        _("banque d’heures"),
        max_digits=5,
        decimal_places=1,
        blank=True,
        help_text=_("Par défaut, celle du programme."),
    )
    observer_allowed = models.BooleanField(
        _("le groupe accepte une personne observatrice"),
        default=False,
        help_text=_("Sans cet accord, l’observation ne voit pas les notes des rencontres."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Changes, to a new random value, whenever anything the pages show about the group changes
    # (the group, its members and their names, meetings, hours, agreement, alerts: see
    # mentoring/revisions.py): the key of its cached fragments (rows of the dashboard and of
    # the groups list). Random rather than counted, so that a save of an instance read before a
    # change can never bring back a value an older fragment is stored under.
    content_revision = models.BigIntegerField(default=0, editable=False)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("groupe de mentorat")
        verbose_name_plural = _("groupes de mentorat")
        ordering = ["program", "track__order", "name", "id"]
        constraints = [
            # No group exists without the name of the person who approved it.
            models.CheckConstraint(
                condition=~models.Q(approved_by_name=""), name="group_approved_by_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.hours_bank is None:
            self.hours_bank = self.program.hours_bank
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        if self.hours_bank is None and self.program_id:
            self.hours_bank = self.program.hours_bank
        super().clean_fields(exclude=exclude)

    # Hours bank -------------------------------------------------------------------------
    def bank_entries(self) -> models.QuerySet:
        """Time entries that draw on the bank: the mentor side's."""
        return self.time_entries.filter(
            person__roles__group_memberships__group=self,
            person__roles__group_memberships__side=GroupMember.Side.MENTOR,
        ).distinct()

    def hours_used(self) -> Decimal:
        minutes = sum(self.bank_entries().values_list("minutes", flat=True))
        return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))

    def hours_remaining(self) -> Decimal:
        return Decimal(self.hours_bank or 0) - self.hours_used()

    # Meetings ---------------------------------------------------------------------------
    def first_meeting_at(self) -> datetime | None:
        first = self.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at").first()
        return first.starts_at if first else None

    def last_meeting_at(self) -> datetime | None:
        last = self.meetings.filter(status=Meeting.Status.HELD).order_by("starts_at").last()
        return last.starts_at if last else None

    # Agreement --------------------------------------------------------------------------
    def current_agreement(self) -> Agreement | None:
        return self.agreements.order_by("-version").first()

    def agreement_missing_sides(self) -> list[GroupMember]:
        """Who still has to accept the current agreement: the mentor side once (any of its
        people), each mentee separately (each is its own organization)."""
        agreement = self.current_agreement()
        members = list(self.members.select_related("role__person"))
        if agreement is None:
            return members
        accepted = set(agreement.acceptances.values_list("person_id", flat=True))
        return missing_sides(members, accepted)

    def agreement_complete(self) -> bool:
        return self.current_agreement() is not None and not self.agreement_missing_sides()

    def mentor_roles(self) -> list[Role]:
        return [m.role for m in self.members.all() if m.side == GroupMember.Side.MENTOR]

    def mentee_roles(self) -> list[Role]:
        return [m.role for m in self.members.all() if m.side == GroupMember.Side.MENTEE]


def missing_sides(members: list[GroupMember], accepted: set[int]) -> list[GroupMember]:
    """Of a group's `members`, who has not accepted yet, given the people (`accepted`) who
    accepted its current agreement: the mentor side counts once, each mentee alone."""
    missing: list[GroupMember] = []
    mentors = [m for m in members if m.side == GroupMember.Side.MENTOR]
    if not any(m.role.person_id in accepted for m in mentors):
        missing.extend(mentors)
    missing.extend(
        m for m in members if m.side == GroupMember.Side.MENTEE and m.role.person_id not in accepted
    )
    return missing


class GroupMember(models.Model):
    class Side(models.TextChoices):
        MENTOR = "mentor", _("Côté mentor")
        MENTEE = "mentee", _("Personne mentorée")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="group_memberships")
    side = models.CharField(_("côté"), max_length=10, choices=Side.choices)
    is_designated = models.BooleanField(
        _("personne désignée en poste"),
        default=True,
        help_text=_(
            "Pour une organisation mentorée : la personne qui recevra le mentorat est-elle en "
            "poste ?"
        ),
    )
    designation_note = models.CharField(_("note sur la désignation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membre d’un groupe")
        verbose_name_plural = _("membres d’un groupe")
        ordering = ["group", "side", "role__person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "role"], name="unique_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.role.person} — {self.group}"

    @property
    def program_id(self) -> int:
        return self.group.program_id

    @property
    def person(self) -> Person:
        return self.role.person


# --- Agreement ------------------------------------------------------------------------------


class Agreement(models.Model):
    """One version of a group's agreement: the program's six points with the group's
    specifics, frozen. A new version needs new acceptances."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField(_("version"))
    template_version = models.PositiveIntegerField(_("version du modèle du programme"), default=1)
    points = models.JSONField(
        _("les six points"), default=list, help_text=_("Liste de [intitulé, texte].")
    )
    # Counts the saves of the group's text across its versions, for the edit form's stale check
    # (core.locking); `version` is what each side accepts.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("entente")
        verbose_name_plural = _("ententes")
        ordering = ["group", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["group", "version"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.group} — v{self.version}"


class AgreementAcceptance(models.Model):
    class How(models.TextChoices):
        # Empty: the person accepted it themselves, in Maillage.
        KICKOFF = "kickoff", _("à la rencontre de démarrage")
        PAPER = "paper", _("sur papier")
        EMAIL = "email", _("par courriel")
        OTHER = "other", _("autrement")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="acceptances")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(_("côté"), max_length=10, choices=GroupMember.Side.choices)
    version = models.PositiveIntegerField(_("version acceptée"))
    # Not auto_now_add: an acceptance given at the kickoff meeting is dated the day it was given.
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)
    how = models.CharField(_("de quelle façon"), max_length=10, choices=How.choices, blank=True)
    how_detail = models.CharField(_("précision"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Person,
        verbose_name=_("consignée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("La coordination, quand la personne a accepté hors de Maillage."),
    )

    class Meta:
        verbose_name = _("acceptation de l’entente")
        verbose_name_plural = _("acceptations de l’entente")
        ordering = ["agreement", "accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "person"], name="unique_acceptance")
        ]

    def __str__(self) -> str:
        return f"{self.person} — v{self.version}"

    def how_text(self) -> str:
        """How it was given, as the page says it (« sur papier »); empty when in Maillage."""
        if self.how == self.How.OTHER:
            return self.how_detail
        return str(self.get_how_display()) if self.how else ""


# --- Action plan ----------------------------------------------------------------------------


class ActionPlan(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="action_plans")
    mentee = models.OneToOneField(GroupMember, on_delete=models.CASCADE, related_name="action_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan d’action")
        verbose_name_plural = _("plans d’action")

    def __str__(self) -> str:
        return f"{self.mentee.role.person} — {self.group}"


class Need(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("À travailler")
        ADDRESSED = "addressed", _("Répondu")
        DROPPED = "dropped", _("Plus d’actualité")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="needs")
    text = models.TextField(_("besoin"))
    # Suggested by the fit score, decided by people: None until someone ticks.
    fit = models.FloatField(_("adéquation suggérée"), null=True, blank=True)
    # "semantic" or "lexical": their scores spread differently, so thresholds differ.
    fit_encoder = models.CharField(max_length=20, blank=True)
    inside_expertise = models.BooleanField(
        _("dans l’expertise du côté mentor"), null=True, blank=True
    )
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("priorité"), default=0)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # When the need was noted, which a program entered after the fact gives (not auto_now_add):
    # the needs-drift alert reads the needs of its window by this date.
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["plan", "priority", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Objective(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("En cours")
        REACHED = "reached", _("Atteint")
        DROPPED = "dropped", _("Abandonné")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField(_("objectif"))
    due = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reached_at = models.DateTimeField(_("atteint le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objectif")
        verbose_name_plural = _("objectifs")
        ordering = ["plan", "due", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Step(models.Model):
    class Status(models.TextChoices):
        TO_DO = "todo", _("À faire")
        DOING = "doing", _("En cours")
        DONE = "done", _("Fait")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("étape"), max_length=500)
    due = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.TO_DO
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["objective", "due", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# --- Meetings -------------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def planned(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.PLANNED)

    def of_person(self, person: Person) -> MeetingQuerySet:
        """Meetings of every group the person belongs to."""
        return self.filter(group__members__role__person=person).distinct()


class Meeting(models.Model):
    class Kind(models.TextChoices):
        KICKOFF = "kickoff", _("Rencontre de démarrage")
        COLLECTIVE = "collective", _("Rencontre collective")
        INDIVIDUAL = "individual", _("Rencontre individuelle")

    class Mode(models.TextChoices):
        ONLINE = "online", _("En ligne")
        IN_PERSON = "in_person", _("En personne (visite)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        HELD = "held", _("Tenue")
        CANCELLED = "cancelled", _("Annulée")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.COLLECTIVE)
    mode = models.CharField(_("format"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    individual_with = models.ForeignKey(
        GroupMember,
        verbose_name=_("avec (rencontre individuelle)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="individual_meetings",
    )
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=120)
    location = models.CharField(
        _("lieu ou lien"),
        max_length=500,
        blank=True,
        help_text=_("Adresse de la visite ou lien de la visioconférence."),
    )
    agenda = models.TextField(_("ordre du jour"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("raison de l’annulation"), blank=True)
    reschedule_reason = models.TextField(_("raison du dernier report"), blank=True)
    # iCalendar identity (RFC 5545): the UID never changes, SEQUENCE grows with each update.
    uid = models.CharField(max_length=200, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["group", "starts_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.group}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@maillage"
        super().save(*args, **kwargs)

    @property
    def ends_at(self) -> datetime:
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def invitees(self) -> list[GroupMember]:
        """The group for a collective meeting; the mentor side and one mentee otherwise."""
        members = list(self.group.members.select_related("role__person"))
        if self.kind == Meeting.Kind.INDIVIDUAL and self.individual_with_id:
            return [
                m
                for m in members
                if m.side == GroupMember.Side.MENTOR or m.pk == self.individual_with_id
            ]
        return members


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("présent·e"), default=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"


class MeetingNote(models.Model):
    """Confidential: the group and the coordinator; an observer only if the group agreed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("notes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note de rencontre")
        verbose_name_plural = _("notes de rencontre")
        ordering = ["meeting", "created_at"]

    def __str__(self) -> str:
        return f"{self.meeting} — {self.created_at:%Y-%m-%d}"


# --- Hours bank -----------------------------------------------------------------------------


class TimeEntry(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Rencontre")
        PREPARATION = "preparation", _("Préparation de contenu")
        ACTION_PLAN = "action_plan", _("Plan d’action")
        COMMUNICATION = "communication", _("Communications")
        TOOLS = "tools", _("Outils")
        OTHER = "other", _("Autre")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="time_entries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    kind = models.CharField(_("type de temps"), max_length=15, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="time_entries"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("temps consigné")
        verbose_name_plural = _("temps consignés")
        ordering = ["group", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(meeting__isnull=False),
                name="one_time_entry_per_meeting_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.date} — {self.minutes} min"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / Decimal(60)).quantize(Decimal("0.01"))


# --- Updates --------------------------------------------------------------------------------


class UpdateMessage(models.Model):
    class Kind(models.TextChoices):
        MENTEE_UPDATE = "mentee_update", _("Où en sont mes besoins")
        MENTOR_NEXT_MEETING = "mentor_next_meeting", _("Contenu prévu de la prochaine rencontre")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("message"))
    next_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    needs_addressed = models.ManyToManyField(Need, blank=True, related_name="+")
    needs_changed = models.ManyToManyField(Need, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message de suivi")
        verbose_name_plural = _("messages de suivi")
        ordering = ["group", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.group}"


class UpdateReply(models.Model):
    """A mentee's quick check on the mentor's planned content."""

    class Answer(models.TextChoices):
        RELEVANT = "relevant", _("Toujours pertinent")
        NOT_NEEDED = "not_needed", _("Plus nécessaire")

    message = models.ForeignKey(UpdateMessage, on_delete=models.CASCADE, related_name="replies")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("réponse"), max_length=12, choices=Answer.choices)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "person"], name="unique_update_reply")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.answer}"


# --- Calendar feed --------------------------------------------------------------------------


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address: no login, so the token is the secret."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.person)


# --- Messages -------------------------------------------------------------------------------


class GroupMessageQuerySet(models.QuerySet):
    def shown(self) -> GroupMessageQuerySet:
        """Messages still standing: not withdrawn by their author, not hidden by the
        coordination (the thread shows those as « message retiré »)."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

    def unread_by(self, person: Person) -> GroupMessageQuerySet:
        """Others' standing messages after the person's read marker in each group."""
        marker = MessageRead.objects.filter(group=models.OuterRef("group"), person=person).values(
            "last_read_id"
        )[:1]
        return (
            self.shown()
            .exclude(author=person)
            .annotate(_read_up_to=Coalesce(models.Subquery(marker), 0))
            .filter(pk__gt=models.F("_read_up_to"))
        )


class GroupMessage(models.Model):
    """One message of a group's thread, written by a member or the coordination.

    Never deleted: its author withdraws it (`deleted_at`) or the coordination hides it with a
    reason (`hidden_at`); the thread then shows « message retiré » in its place, so that the
    answers around it still make sense."""

    # Within this delay after sending, the author may correct a message.
    EDIT_WINDOW = timedelta(minutes=15)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="messages")
    # A person erased from Maillage leaves their messages in the thread, unsigned (as updates).
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(_("raison"), max_length=300, blank=True)
    # One per rendered form: the same form sent twice (a double tap, a resend after a timeout)
    # finds the message it already made.
    form_token = models.UUIDField(null=True, blank=True, editable=False)

    objects = GroupMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message de groupe")
        verbose_name_plural = _("messages de groupe")
        ordering = ["group", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "author", "form_token"], name="one_message_per_form"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} — {self.author} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None or self.hidden_at is not None

    def editable_until(self) -> datetime:
        return self.created_at + self.EDIT_WINDOW

    def can_edit(self, person: Person | None, now: datetime | None = None) -> bool:
        return (
            person is not None
            and person.pk == self.author_id
            and not self.is_removed
            and (now or timezone.now()) <= self.editable_until()
        )


class MessageRead(models.Model):
    """How far a person has read a group's thread: every message after it is unread."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lecture des messages")
        verbose_name_plural = _("lectures des messages")
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="one_read_marker")]

    def __str__(self) -> str:
        return f"{self.person} — {self.group} — {self.last_read_id}"

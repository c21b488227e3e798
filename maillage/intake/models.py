"""Recruiting: interest forms (with consent), applications, and the list of potential mentors."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized, localized_text
from maillage.core.models import Language, Organization, Person, Sector, Territory
from maillage.programs.models import Consent, Program, Track

from .duplicates import email_keys, normalise_organization_name


def new_token() -> str:
    return secrets.token_urlsafe(12)


class InterestForm(models.Model):
    """A program's public form. Anyone with the link can answer; no account needed."""

    class Audience(models.TextChoices):
        MENTEE = "mentee", _("Personnes ou organisations à mentorer")
        MENTOR = "mentor", _("Mentor·es")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="forms")
    audience = models.CharField(
        _("public visé"), max_length=10, choices=Audience.choices, default=Audience.MENTEE
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("présentation (français)"), blank=True)
    intro_en = models.TextField(_("présentation (anglais)"), blank=True)
    # Law 25: say why the information is collected and who will see it, before asking for it.
    purpose_fr = models.TextField(_("pourquoi ces renseignements et qui les verra (français)"))
    purpose_en = models.TextField(
        _("pourquoi ces renseignements et qui les verra (anglais)"), blank=True
    )
    consent_fr = models.TextField(_("texte du consentement (français)"))
    consent_en = models.TextField(_("texte du consentement (anglais)"), blank=True)
    consent_version = models.PositiveIntegerField(_("version du texte de consentement"), default=1)
    is_open = models.BooleanField(_("ouvert aux réponses"), default=True)
    closes_at = models.DateTimeField(_("fermeture"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("formulaire d’intérêt")
        verbose_name_plural = _("formulaires d’intérêt")
        ordering = ["program", "audience", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    def is_accepting(self) -> bool:
        """Open, and not past its closing time."""
        if self.program.is_closed():
            return False
        return self.is_open and (self.closes_at is None or self.closes_at > timezone.now())

    def get_public_url(self) -> str:
        """The absolute link a coordinator copies into an e-mail or a newsletter."""
        return settings.SITE_URL + reverse("intake:public_form", args=[self.token])


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        EMAIL = "email", _("Courriel")
        PHONE = "phone", _("Téléphone")
        NUMBER = "number", _("Nombre")
        YES_NO = "yes_no", _("Oui ou non")
        CHOICE = "choice", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiples")
        REGION = "region", _("Région administrative")
        SECTOR = "sector", _("Secteur d’activité")

    class Maps(models.TextChoices):
        # Answers that fill the application's own columns (for duplicates, contact, matching).
        NONE = "", _("—")
        ORGANIZATION = "organization_name", _("Nom de l’organisation")
        CONTACT_NAME = "contact_name", _("Personne contact")
        EMAIL = "email", _("Courriel de la personne contact")
        PHONE = "phone", _("Téléphone")
        REGION = "region", _("Région")
        SECTOR = "sector", _("Secteur de l’organisation")
        NEEDS = "needs", _("Besoins (pour le jumelage)")
        CAN_DECIDE = "can_decide", _("Capacité à revoir ses façons de faire")
        # What matching reads of the person, copied to her profile when she is selected.
        LANGUAGES = "languages", _("Langues parlées")
        AVAILABILITY = "availability", _("Disponibilités")
        WORKING_STYLE = "working_style", _("Style de travail")
        POSITION = "position", _("Poste")

    form = models.ForeignKey(InterestForm, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    key = models.SlugField(_("clé"), max_length=60)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    label_fr = models.CharField(_("question (français)"), max_length=500)
    label_en = models.CharField(_("question (anglais)"), max_length=500, blank=True)
    help_fr = models.CharField(_("aide (français)"), max_length=500, blank=True)
    help_en = models.CharField(_("aide (anglais)"), max_length=500, blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)
    choices = models.JSONField(
        _("choix"), default=list, blank=True, help_text=_('[{"value": "…", "fr": "…", "en": "…"}]')
    )
    maps_to = models.CharField(
        _("remplit le champ"), max_length=30, choices=Maps.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="unique_question_key")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")

    def has_choices(self) -> bool:
        return self.kind in (self.Kind.CHOICE, self.Kind.MULTIPLE)

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(value, label in the active language) for choice kinds."""
        return [
            (str(c["value"]), str(localized_text(c.get("fr") or c["value"], c.get("en"))))
            for c in self.choices or []
        ]


class ApplicationQuerySet(models.QuerySet):
    def for_program(self, program: Program) -> ApplicationQuerySet:
        return self.filter(program=program)


class DuplicateReason(models.TextChoices):
    SAME_EMAIL = "same_email", _("même courriel")
    SAME_DOMAIN = "same_domain", _("même domaine de courriel")
    SAME_NAME = "same_name", _("même nom d’organisation")


class Application(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Reçue")
        IN_REVIEW = "in_review", _("En évaluation")
        SELECTED = "selected", _("Retenue")
        WAITLISTED = "waitlisted", _("En attente")
        DECLINED = "declined", _("Non retenue")
        WITHDRAWN = "withdrawn", _("Retirée")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    form = models.ForeignKey(
        InterestForm, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    submitted_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    # The name as the duplicate check compares it (`normalise_organization_name`), kept by
    # save() so that the check is an indexed lookup instead of reading every earlier name.
    organization_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation (annuaire)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    contact_name = models.CharField(_("personne contact"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    # The address and its domain as the duplicate check compares them (`email_keys`), kept by
    # save() like `organization_key`: the check reads three index entries instead of every
    # earlier application of the program (a LIKE '%@domain' cannot use an index).
    email_key = models.CharField(max_length=254, blank=True, default="", editable=False)
    email_domain = models.CharField(max_length=254, blank=True, default="", editable=False)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    region = models.ForeignKey(
        Territory,
        verbose_name=_("région"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("secteur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("personne"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("doublon possible de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="possible_duplicates",
    )
    duplicate_reason = models.CharField(
        _("raison du doublon possible"),
        max_length=20,
        choices=DuplicateReason.choices,
        blank=True,
        default="",
    )
    consent_given = models.BooleanField(_("consentement donné"), default=False)
    consent_version = models.PositiveIntegerField(_("version du consentement"), null=True)
    consent_language = models.CharField(_("langue du consentement"), max_length=2, blank=True)
    consent_at = models.DateTimeField(_("consentement le"), null=True, blank=True)
    # How the consent was given (`programs.Consent.Source`): it follows the person at selection.
    consent_source = models.CharField(
        _("consentement donné par"), max_length=12, choices=Consent.Source.choices, blank=True
    )
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Counts the changes of its decision: the decision form carries the one it was shown with,
    # so that two people deciding at once never silently overwrite each other (core.locking).
    revision = models.PositiveIntegerField(default=0, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["program", "organization_key", "submitted_at", "id"],
                name="intake_app_same_name",
            ),
            models.Index(
                fields=["program", "email_key", "submitted_at", "id"],
                name="intake_app_same_email",
            ),
            models.Index(
                fields=["program", "email_domain", "submitted_at", "id"],
                name="intake_app_same_domain",
            ),
        ]

    def __str__(self) -> str:
        return self.organization_name or self.contact_name or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.organization_key = normalise_organization_name(self.organization_name)
        self.email_key, self.email_domain = email_keys(self.email)
        fields = kwargs.get("update_fields")
        if fields is not None and "organization_name" in fields:
            fields = kwargs["update_fields"] = {*fields, "organization_key"}
        if fields is not None and "email" in fields:
            kwargs["update_fields"] = {*fields, "email_key", "email_domain"}
        super().save(*args, **kwargs)


class PotentialMentor(models.Model):
    """The pilot's list of sector leaders: people who could mentor, and how contacting them went."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Repéré·e")
        CONTACTED = "contacted", _("Contacté·e")
        ACCEPTED = "accepted", _("A accepté")
        DECLINED = "declined", _("A décliné")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="potential_mentors")
    person = models.ForeignKey(
        Person, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="+"
    )
    expertise = models.TextField(_("expertise"), blank=True)
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacité (personnes mentorées)"), default=2)
    status = models.CharField(
        _("statut"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED
    )
    suggested_by = models.CharField(_("suggéré·e par"), max_length=200, blank=True)
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentor·e potentiel·le")
        verbose_name_plural = _("mentor·es potentiel·les")
        ordering = ["program", "person__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="unique_potential_mentor")
        ]

    def __str__(self) -> str:
        return str(self.person)


class MentorContact(models.Model):
    """One exchange with a potential mentor (the pilot contacted them in May 2022)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Courriel")
        PHONE = "phone", _("Téléphone")
        MEETING = "meeting", _("Rencontre")
        OTHER = "other", _("Autre")

    potential_mentor = models.ForeignKey(
        PotentialMentor, on_delete=models.CASCADE, related_name="contacts"
    )
    at = models.DateTimeField(_("date"))
    channel = models.CharField(_("moyen"), max_length=10, choices=Channel.choices)
    summary = models.TextField(_("résumé"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_channel_display()}"

    @property
    def program_id(self) -> int:
        return self.potential_mentor.program_id

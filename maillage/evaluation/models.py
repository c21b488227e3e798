"""Evaluation: questionnaires and their rounds, answers, final interviews, observer notes, quotes.

Built so that reports aggregate without parsing: every answer keeps a number (`value_number`, for
scales and numbers) and a text (`value_text`, for choices and text) beside its raw JSON value,
and the standard questions carry an `indicator` tag (satisfaction, would mentor again, would
recommend). See `selectors.py` for the figures.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import is_english, localized, localized_text
from maillage.core.models import Person
from maillage.programs.models import Program, Role

LANGS = ("fr", "en")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PersonalLink(models.Model):
    """A link that opens one object for one person without a password.

    The token is an HMAC of a random nonce with the site's secret key: the database holds only
    the nonce and the token's hash, so a copy of the database alone opens nothing, and the link
    can be rebuilt for a reminder without storing it.
    """

    nonce = models.CharField(max_length=64, editable=False, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False, blank=True)

    LINK_SALT = "maillage.evaluation.link"
    LINK_URL_NAME = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.nonce:
            self.nonce = secrets.token_hex(32)
            self.token_hash = hash_token(self.token)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        return salted_hmac(self.LINK_SALT, self.nonce, algorithm="sha256").hexdigest()

    def get_link_url(self) -> str:
        return settings.SITE_URL + reverse(self.LINK_URL_NAME, args=[self.token])

    @classmethod
    def from_token(cls, token: str) -> Any:
        if not token or len(token) > 128:
            return None
        return cls.objects.filter(token_hash=hash_token(token)).first()


class Audience(models.TextChoices):
    MENTORS = "mentors", _("Mentor·es")
    MENTEES = "mentees", _("Personnes mentorées")
    BOTH = "both", _("Mentor·es et personnes mentorées")

    @classmethod
    def includes(cls, audience: str, kind: str) -> bool:
        if audience == cls.BOTH:
            return kind in (Role.Kind.MENTOR, Role.Kind.MENTEE)
        return (audience == cls.MENTORS and kind == Role.Kind.MENTOR) or (
            audience == cls.MENTEES and kind == Role.Kind.MENTEE
        )

    @classmethod
    def for_kind(cls, kind: str) -> list[str]:
        return [cls.BOTH, cls.MENTORS if kind == Role.Kind.MENTOR else cls.MENTEES]


# --- Questionnaires ----------------------------------------------------------------------------


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Suivi mensuel")
        FINAL = "final", _("Évaluation finale")
        OTHER = "other", _("Autre")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    intro_fr = models.TextField(_("introduction (français)"), blank=True)
    intro_en = models.TextField(_("introduction (anglais)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["program", "kind", "id"]

    def __str__(self) -> str:
        return self.title_fr

    def title(self, language: str | None = None) -> str:
        return localized(self, "title", language)

    def intro(self, language: str | None = None) -> str:
        return localized(self, "intro", language)


class Indicator(models.TextChoices):
    """What the programs publish (seed 002); reports compute them from tagged questions."""

    SATISFACTION = "satisfaction", _("Satisfait·e ou très satisfait·e")
    WOULD_MENTOR_AGAIN = "would_mentor_again", _("Serait mentor·e à nouveau")
    WOULD_RECOMMEND = "would_recommend", _("Recommanderait le programme")


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Échelle de 1 à 5")
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiples")
        NUMBER = "number", _("Nombre")
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        OBJECTIVE_PROGRESS = "objective_progress", _("Progression de chaque objectif")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    SCALE_KINDS = (Kind.SCALE, Kind.OBJECTIVE_PROGRESS)

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type de question"), max_length=20, choices=Kind.choices)
    label_fr = models.CharField(_("question (français)"), max_length=500)
    label_en = models.CharField(_("question (anglais)"), max_length=500, blank=True)
    help_fr = models.CharField(_("aide (français)"), max_length=500, blank=True)
    help_en = models.CharField(_("aide (anglais)"), max_length=500, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    audience = models.CharField(
        _("destinataires"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    choices = models.JSONField(
        _("choix"),
        default=list,
        blank=True,
        help_text=_('Liste de {"value", "fr", "en"} pour les choix.'),
    )
    scale_low_fr = models.CharField(_("libellé du 1 (français)"), max_length=100, blank=True)
    scale_low_en = models.CharField(_("libellé du 1 (anglais)"), max_length=100, blank=True)
    scale_high_fr = models.CharField(_("libellé du 5 (français)"), max_length=100, blank=True)
    scale_high_en = models.CharField(_("libellé du 5 (anglais)"), max_length=100, blank=True)
    objectives_fallback = models.TextField(
        _("objectifs (un par ligne)"),
        blank=True,
        help_text=_("Utilisés tant que les objectifs des plans d’action ne sont pas disponibles."),
    )
    indicator = models.CharField(
        _("indicateur publié"), max_length=30, choices=Indicator.choices, blank=True
    )
    theme = models.CharField(
        _("thème"),
        max_length=30,
        blank=True,
        help_text=_("Pour regrouper les réponses dans le rapport (apprentissages, objectifs…)."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "id"]

    def __str__(self) -> str:
        return self.label_fr

    def label(self, language: str | None = None) -> str:
        return localized(self, "label", language)

    def help(self, language: str | None = None) -> str:
        return localized(self, "help", language)

    def scale_ends(self, language: str | None = None) -> tuple[str, str]:
        return localized(self, "scale_low", language), localized(self, "scale_high", language)

    def choice_pairs(self, language: str | None = None) -> list[tuple[str, str]]:
        return [
            (
                str(c.get("value")),
                str(localized_text(c.get("fr") or c.get("value"), c.get("en"), language)),
            )
            for c in self.choices
        ]

    def choice_label(self, value: str, language: str | None = None) -> str:
        return dict(self.choice_pairs(language)).get(value, value)

    def fallback_objectives(self) -> list[str]:
        return [line.strip() for line in self.objectives_fallback.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind in self.CHOICE_KINDS:
            values = [str(c.get("value", "")).strip() for c in self.choices if isinstance(c, dict)]
            if len(values) < 2 or not all(values) or len(set(values)) != len(values):
                raise ValidationError(
                    {"choices": _("Donnez au moins deux choix, chacun différent.")}
                )


# --- Rounds and invitations --------------------------------------------------------------------


class RoundQuerySet(models.QuerySet):
    def due(self, today: datetime.date) -> RoundQuerySet:
        return self.filter(send_on__lte=today, closes_on__gte=today, cancelled=False)

    def open_on(self, today: datetime.date) -> RoundQuerySet:
        return self.due(today)

    def with_counts(self) -> RoundQuerySet:
        # Meta.ordering is dropped from GROUP BY queries: order again.
        return self.order_by("send_on", "id").annotate(
            n_invited=models.Count(
                "invitations", filter=models.Q(invitations__sent_at__isnull=False)
            ),
            n_answered=models.Count(
                "invitations",
                filter=models.Q(
                    invitations__sent_at__isnull=False, invitations__submitted_at__isnull=False
                ),
            ),
        )


class Round(models.Model):
    """A questionnaire sent on a date to the program's mentors and/or mentees, open until a date."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="evaluation_rounds")
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    audience = models.CharField(
        _("destinataires"), max_length=10, choices=Audience.choices, default=Audience.BOTH
    )
    send_on = models.DateField(_("envoi le"))
    closes_on = models.DateField(_("fermeture le"))
    reminder_after_days = models.PositiveSmallIntegerField(
        _("rappel après (jours)"),
        default=7,
        help_text=_("Un seul rappel, aux personnes qui n’ont pas répondu. 0 : pas de rappel."),
    )
    cancelled = models.BooleanField(_("annulé"), default=False)
    first_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("envoi de questionnaire")
        verbose_name_plural = _("envois de questionnaires")
        ordering = ["program", "send_on", "id"]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.send_on}"

    def clean(self) -> None:
        if self.send_on and self.closes_on and self.closes_on < self.send_on:
            raise ValidationError({"closes_on": _("La fermeture doit suivre l’envoi.")})
        if (
            self.questionnaire_id
            and self.program_id
            and (self.questionnaire.program_id != self.program_id)
        ):
            raise ValidationError(
                {"questionnaire": _("Ce questionnaire est d’un autre programme.")}
            )

    def is_closed(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.closes_on

    def response_rate(self) -> tuple[int, int, float | None]:
        """(answered, invited, rate 0–1 or None): only invitations actually sent count."""
        sent = self.invitations.filter(sent_at__isnull=False)
        invited = sent.count()
        answered = sent.filter(submitted_at__isnull=False).count()
        return answered, invited, (answered / invited if invited else None)


class InvitationQuerySet(models.QuerySet):
    def sent(self) -> InvitationQuerySet:
        return self.filter(sent_at__isnull=False)

    def submitted(self) -> InvitationQuerySet:
        return self.filter(submitted_at__isnull=False)

    def of_user(self, user: Any) -> InvitationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(person__user=user)


class Invitation(PersonalLink):
    """One person invited to one round; holds the state of their response."""

    LINK_SALT = "maillage.evaluation.invitation"
    LINK_URL_NAME = "evaluation:answer"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    # Empty once the retention period is over (privacy.retention): the answers stay as
    # anonymous figures for the report, detached from whoever gave them.
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
    )
    role_kind = models.CharField(_("rôle"), max_length=20, choices=Role.Kind.choices)
    group = models.ForeignKey(
        "mentoring.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifié le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation à répondre")
        verbose_name_plural = _("invitations à répondre")
        ordering = ["round", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="unique_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.round}"

    @property
    def language(self) -> str:
        return self.person.language if self.person.language in LANGS else "fr"

    def questions(self) -> models.QuerySet[Question]:
        side = Role.Kind.MENTOR if self.role_kind == Role.Kind.MENTOR else Role.Kind.MENTEE
        return self.round.questionnaire.questions.filter(audience__in=Audience.for_kind(side))

    def link_expired(self) -> bool:
        days = getattr(settings, "EVALUATION_LINK_DAYS_AFTER_CLOSE", 60)
        return timezone.localdate() > self.round.closes_on + datetime.timedelta(days=days)


class Answer(models.Model):
    """One answer to one question. `value` is the raw value; the two columns beside it are for
    aggregation (for objective progress, `value_number` is the mean of the objectives)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    value_number = models.FloatField(null=True, blank=True)
    value_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["invitation", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="unique_answer")
        ]

    def __str__(self) -> str:
        return f"{self.question} — {self.invitation.person}"

    def display(self, language: str | None = None) -> str:
        q, v = self.question, self.value
        if v in (None, "", []):
            return ""
        if q.kind == Question.Kind.SINGLE:
            return q.choice_label(str(v), language)
        if q.kind == Question.Kind.MULTIPLE:
            return ", ".join(q.choice_label(str(x), language) for x in v)
        if q.kind == Question.Kind.OBJECTIVE_PROGRESS and isinstance(v, dict):
            return " · ".join(f"{k} : {n}/5" for k, n in v.items())
        if q.kind == Question.Kind.SCALE:
            return f"{v}/5"
        return str(v)


# --- Final evaluation interviews ---------------------------------------------------------------


class FinalInterviewQuerySet(models.QuerySet):
    def validated(self) -> FinalInterviewQuerySet:
        """Only these count: the participant has read and validated what was written."""
        return self.filter(validated_at__isnull=False)


class FinalInterview(PersonalLink):
    """The one-hour final evaluation interview (seed 000, 1.4), validated by the participant."""

    LINK_SALT = "maillage.evaluation.interview"
    LINK_URL_NAME = "evaluation:interview_review"
    THEMES = ("learning", "objectives", "appreciation", "recommendations")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SENT = "sent", _("En attente de validation")
        CORRECTIONS = "corrections", _("Corrections demandées")
        VALIDATED = "validated", _("Validée par la personne")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="final_interviews")
    participant = models.ForeignKey(
        Role,
        verbose_name=_("participant·e"),
        on_delete=models.CASCADE,
        related_name="final_interviews",
    )
    interviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="interviews_conducted"
    )
    held_on = models.DateField(_("date de l’entrevue"))
    learning = models.TextField(_("apprentissages"), blank=True)
    objectives = models.TextField(_("atteinte des objectifs"), blank=True)
    appreciation = models.TextField(_("appréciation du programme"), blank=True)
    recommendations = models.TextField(_("recommandations"), blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    participant_comment = models.TextField(_("demande de correction"), blank=True)
    validated_at = models.DateTimeField(_("validée le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FinalInterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrevue d’évaluation finale")
        verbose_name_plural = _("entrevues d’évaluation finale")
        ordering = ["program", "-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.participant.person} — {self.held_on}"

    def clean(self) -> None:
        if (
            self.participant_id
            and self.program_id
            and self.participant.program_id != self.program_id
        ):
            raise ValidationError({"participant": _("Cette personne n’est pas de ce programme.")})
        if self.participant_id and self.participant.kind not in (
            Role.Kind.MENTOR,
            Role.Kind.MENTEE,
        ):
            raise ValidationError(
                {"participant": _("L’entrevue est avec un·e mentor·e ou une personne mentorée.")}
            )

    def themes(self) -> list[tuple[str, str, str]]:
        return [
            (name, str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.THEMES
        ]


# --- Observer notes ----------------------------------------------------------------------------


class ObserverNote(models.Model):
    """What an observer saw at a meeting (seed 000: observing meetings enriched the evaluation).

    Points at the recorded meeting when there is one; otherwise at the group, with the meeting
    named in `meeting_ref` (a date, « rencontre 3 »…), for meetings held outside the platform.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="observer_notes")
    meeting = models.ForeignKey(
        "mentoring.Meeting",
        verbose_name=_("rencontre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observer_notes",
    )
    group = models.ForeignKey(
        "mentoring.Group",
        verbose_name=_("groupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observer_notes",
    )
    meeting_ref = models.CharField(
        _("rencontre (si elle n’est pas inscrite)"), max_length=200, blank=True
    )
    observed_on = models.DateField(_("date"))
    observer = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="observer_notes")
    notes = models.TextField(_("observations"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note d’observation")
        verbose_name_plural = _("notes d’observation")
        ordering = ["program", "-observed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.observed_on} — {self.group or self.meeting_ref}"

    def clean(self) -> None:
        if self.group_id and self.program_id and self.group.program_id != self.program_id:
            raise ValidationError({"group": _("Ce groupe est d’un autre programme.")})
        if self.meeting_id:
            if self.meeting.group.program_id != self.program_id:
                raise ValidationError({"meeting": _("Cette rencontre est d’un autre programme.")})
            if self.group_id and self.group_id != self.meeting.group_id:
                raise ValidationError({"meeting": _("Cette rencontre est d’un autre groupe.")})
        if not (self.meeting_id or self.group_id or self.meeting_ref.strip()):
            raise ValidationError(
                {"meeting": _("Choisissez la rencontre, ou le groupe et le nom de la rencontre.")}
            )


# --- Quotes ------------------------------------------------------------------------------------


class QuoteQuerySet(models.QuerySet):
    def publishable(self) -> QuoteQuerySet:
        return self.filter(status=Quote.Status.CONSENTED)


class Quote(PersonalLink):
    """A passage that may be published without name or organization, once its author consents."""

    LINK_SALT = "maillage.evaluation.quote"
    LINK_URL_NAME = "evaluation:quote_consent"

    class Status(models.TextChoices):
        MARKED = "marked", _("Repérée")
        REQUESTED = "requested", _("Consentement demandé")
        CONSENTED = "consented", _("Consentement donné")
        REFUSED = "refused", _("Refusée")
        WITHDRAWN = "withdrawn", _("Consentement retiré")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(
        Role, verbose_name=_("auteur·e"), on_delete=models.CASCADE, related_name="quotes"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    interview = models.ForeignKey(
        FinalInterview, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    passage = models.TextField(_("passage"))
    topic_fr = models.CharField(_("sujet (français)"), max_length=200)
    topic_en = models.CharField(_("sujet (anglais)"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.MARKED
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    consented_at = models.DateTimeField(_("consentement le"), null=True, blank=True)
    # Exactly what the person agreed to (passage and attribution in both languages), and which
    # version of the passage: editing the passage voids the consent.
    consent_text = models.TextField(blank=True)
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    answered_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["program", "-created_at"]

    def __str__(self) -> str:
        return self.passage[:60]

    def is_publishable(self) -> bool:
        return self.status == self.Status.CONSENTED and self.consent_version == self.version

    def attribution(self, language: str | None = None) -> str:
        """How the quote is signed (in `language`, the active one when None): a role and a
        topic, never a name or an organization.

        Fixed wording per language rather than the catalogue: it is part of what the person
        consents to, and a later change of translation must not change it behind their back.
        """
        topic = localized(self, "topic", language)
        mentor = self.speaker.kind == Role.Kind.MENTOR
        if is_english(language):
            who = "a mentor" if mentor else "a mentee"
            return f"— {who}, on {topic}"
        who = "un·e mentor·e" if mentor else "une personne mentorée"
        return f"— {who}, sur {topic}"

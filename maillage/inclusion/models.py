"""Inclusion: the groups a program tracks (women, Indigenous peoples, newcomers…) with its
objectives, and what each person chooses to declare about themselves, for one purpose at a time.

Two purposes, two consents (Québec's Law 25 asks for one consent per purpose):
- *objectives*: the declaration is counted, never shown; the coordination sees totals only,
  never one under the small-cell threshold;
- *matching*: the groups a person belongs to (so that someone's request can be honoured) and the
  groups they wish the other side to belong to; the engine's « Préférences déclarées » weight
  reads them.

A withdrawal deletes the declarations (not a flag): they leave the person's data, the matching
inputs and every count at once. The consent record stays, dated, as the proof of what was
agreed to and until when; it names the purpose, never a group.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized
from maillage.core.models import Person
from maillage.programs.models import Program


class Purpose(models.TextChoices):
    OBJECTIVES = "objectives", _("Objectifs d’inclusion du programme (comptée seulement)")
    MATCHING = "matching", _("Préférences de jumelage")


class InclusionGroup(models.Model):
    """A group the program tracks, with its objectives: the share of each stage's people the
    program aims at (40 % of the selected mentees are women)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="inclusion_groups")
    # The default list's code ("women"), or "own-…" for a group the coordination named.
    key = models.SlugField(_("code"), max_length=40)
    label_fr = models.CharField(_("nom (français)"), max_length=120)
    label_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    target_applicants = models.PositiveSmallIntegerField(
        _("objectif parmi les candidatures (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    target_selected = models.PositiveSmallIntegerField(
        _("objectif parmi les personnes sélectionnées (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    target_matched = models.PositiveSmallIntegerField(
        _("objectif parmi les personnes mentorées jumelées (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    target_mentors = models.PositiveSmallIntegerField(
        _("objectif parmi les mentor·es jumelé·es (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("groupe suivi pour l’inclusion")
        verbose_name_plural = _("groupes suivis pour l’inclusion")
        ordering = ["program", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="unique_inclusion_group_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    def targets(self) -> dict[str, int | None]:
        """The objective of each stage (None: none set), keyed as the indicators' stages."""
        return {
            "applicants": self.target_applicants,
            "selected": self.target_selected,
            "matched": self.target_matched,
            "mentors": self.target_mentors,
        }


class InclusionConsentQuerySet(models.QuerySet):
    def valid(self) -> InclusionConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def of(self, person: Person, program: Program, purpose: str) -> InclusionConsentQuerySet:
        return self.filter(person=person, program=program, purpose=purpose)


class InclusionConsent(models.Model):
    """One consent to one purpose, as `programs.Consent` records the consent to take part: the
    purpose, the exact text and its version, the language, how and when; a withdrawal dates it.

    Its own table rather than a row of `programs.Consent`: every check that a person may take
    part (`Consent.objects.valid()`, the roster of matching) reads that table, and a consent to be
    counted must never pass for a consent to take part."""

    class Source(models.TextChoices):
        OWN_PAGE = "own_page", _("Sur sa propre page, en cochant la case")
        DEMO = "demo", _("Données de démonstration")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("fin"), max_length=20, choices=Purpose.choices)
    text = models.TextField(_("texte consenti"))
    version = models.PositiveIntegerField(_("version du texte"))
    language = models.CharField(_("langue"), max_length=2)
    source = models.CharField(_("comment"), max_length=12, choices=Source.choices)
    given_at = models.DateTimeField(_("donné le"))
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = InclusionConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentement à l’auto-identification")
        verbose_name_plural = _("consentements à l’auto-identification")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.program} ({self.get_purpose_display()})"


class Declaration(models.Model):
    """One thing a person chose to say about themselves, for one purpose. Never audited field by
    field, never shown to anyone but the person, deleted on withdrawal."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("J’en fais partie")
        WISH = "wish", _("Je souhaite que l’autre côté en fasse partie")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(InclusionGroup, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    consent = models.ForeignKey(InclusionConsent, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("déclaration")
        verbose_name_plural = _("déclarations")
        ordering = ["group__position", "group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group", "purpose", "kind"], name="unique_declaration"
            )
        ]

    def __str__(self) -> str:
        # No group here: a string of a declaration can end up in a log line or an error page.
        return f"{self.get_purpose_display()} #{self.pk}"


class Declined(models.Model):
    """« Je préfère ne pas répondre »: kept so that nobody asks again; the question stays open
    on the person's page if they change their mind."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("préfère ne pas répondre")
        verbose_name_plural = _("préfèrent ne pas répondre")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program", "purpose"], name="unique_inclusion_declined"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_purpose_display()}"

"""Programs: theme, tracks, period, parameters (the pilot's defaults), agreement template, roles."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Domain, JoinInvitation, Organization, Person, Sector, Team


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ProgramQuerySet:
        """Programs in which the user holds a role; everything for a superuser."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(roles__person__user=user).distinct()

    def with_role(self, user: Any, *kinds: str) -> ProgramQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(roles__person__user=user, roles__kind__in=kinds).distinct()


class Program(models.Model):
    class Status(models.TextChoices):
        DESIGN = "design", _("Conception")
        RECRUITING = "recruiting", _("Recrutement")
        SELECTING = "selecting", _("Sélection")
        MATCHING = "matching", _("Jumelage")
        RUNNING = "running", _("Mentorat en cours")
        EVALUATING = "evaluating", _("Évaluation")
        CLOSED = "closed", _("Terminé")

    class MeetingFormat(models.TextChoices):
        ONLINE = "online", _("En ligne")
        IN_PERSON = "in_person", _("En personne")
        HYBRID = "hybrid", _("Mixte")

    class RegionRule(models.TextChoices):
        DIFFERENT_REGION = "different_region", _("Mentor et mentoré·e de régions différentes")
        SAME_REGION_DIFFERENT_MRC = (
            "same_region_different_mrc",
            _("Proximité : même région, MRC différentes"),
        )
        ANY = "any", _("Aucune règle de territoire")

    title = models.CharField(_("titre"), max_length=200)
    theme = models.CharField(_("thème"), max_length=300)
    description = models.TextField(_("description et objectifs"), blank=True)
    coordinating_organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation coordonnatrice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_programs",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("secteur visé"), null=True, blank=True, on_delete=models.PROTECT
    )
    domain = models.ForeignKey(
        Domain,
        verbose_name=_("domaine d’activité"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("étape"), max_length=20, choices=Status.choices, default=Status.DESIGN
    )
    start_date = models.DateField(_("début du mentorat"), null=True, blank=True)
    end_date = models.DateField(_("fin du mentorat"), null=True, blank=True)
    # When the program was last closed: the retention periods of its people's data start here
    # (privacy.retention). Cleared on reopening.
    closed_at = models.DateTimeField(_("terminé le"), null=True, blank=True, editable=False)

    # Parameters: the pilot's figures (seed 000) are the defaults.
    hours_bank = models.DecimalField(
        _("banque d’heures par groupe"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    mentees_per_group = models.PositiveSmallIntegerField(
        _("personnes mentorées par groupe"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    mentor_sides_per_group = models.PositiveSmallIntegerField(
        _("côtés mentors par groupe"), default=1, validators=[MinValueValidator(1)]
    )
    meeting_every_min_weeks = models.PositiveSmallIntegerField(
        _("rencontre au moins toutes les (semaines, minimum)"), default=2
    )
    meeting_every_max_weeks = models.PositiveSmallIntegerField(
        _("rencontre au plus tard toutes les (semaines)"), default=4
    )
    meeting_duration_hours = models.DecimalField(
        _("durée d’une rencontre (heures)"), max_digits=4, decimal_places=1, default=Decimal("2")
    )
    meeting_format = models.CharField(
        _("format des rencontres"),
        max_length=20,
        choices=MeetingFormat.choices,
        default=MeetingFormat.ONLINE,
    )
    update_every_min_days = models.PositiveSmallIntegerField(
        _("message de suivi : tous les (jours, minimum)"), default=7
    )
    update_every_max_days = models.PositiveSmallIntegerField(
        _("message de suivi : au plus tard tous les (jours)"), default=14
    )
    compensation_per_mentor = models.DecimalField(
        _("compensation par mentor ($)"), max_digits=9, decimal_places=2, default=Decimal("2500")
    )
    coordination_budget = models.DecimalField(
        _("budget de coordination ($)"), max_digits=10, decimal_places=2, default=Decimal("10000")
    )

    # Matching policy (the engine's hard rules).
    region_rule = models.CharField(
        _("règle de territoire"),
        max_length=30,
        choices=RegionRule.choices,
        default=RegionRule.DIFFERENT_REGION,
    )
    mentees_from_different_regions = models.BooleanField(
        _("personnes mentorées d’un groupe de régions différentes"), default=True
    )
    allow_mentor_from_other_sector = models.BooleanField(
        _("permettre un mentor d’un autre secteur"), default=False
    )
    matching_weights = models.JSONField(_("poids du jumelage"), default=dict, blank=True)

    # The six points of the agreement template (seed 000, conclusion).
    agreement_responsibilities = models.TextField(
        _("responsabilités de chaque participant·e"), blank=True
    )
    agreement_objectives = models.TextField(_("objectifs du programme"), blank=True)
    agreement_referents = models.TextField(
        _("personne-référence dans chaque organisation"), blank=True
    )
    agreement_period = models.TextField(_("période couverte par le programme"), blank=True)
    agreement_meetings = models.TextField(
        _("fréquence, durée et format des rencontres"), blank=True
    )
    agreement_communication = models.TextField(
        _("canaux et fréquence des communications"), blank=True
    )
    agreement_version = models.PositiveIntegerField(_("version de l’entente"), default=1)
    # Counts the saves of the settings: an edit form rendered from an older one is refused
    # rather than overwrite what someone else saved meanwhile (core.locking).
    revision = models.PositiveIntegerField(default=0, editable=False)

    # The one-time token of the page that created the program: a double click on « Créer »
    # sends it twice, and the second request finds the program the first one made.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "title"]

    def __str__(self) -> str:
        return self.title

    AGREEMENT_POINTS = (
        "agreement_responsibilities",
        "agreement_objectives",
        "agreement_referents",
        "agreement_period",
        "agreement_meetings",
        "agreement_communication",
    )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            errors["end_date"] = _("La fin doit suivre le début.")
        if self.meeting_every_max_weeks < self.meeting_every_min_weeks:
            errors["meeting_every_max_weeks"] = _(
                "Le maximum ne peut pas être plus petit que le minimum."
            )
        if self.update_every_max_days < self.update_every_min_days:
            errors["update_every_max_days"] = _(
                "Le maximum ne peut pas être plus petit que le minimum."
            )
        if errors:
            raise ValidationError(errors)

    def agreement_points(self) -> list[tuple[str, str]]:
        """The six points with their labels, in the order of the seed's conclusion."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.AGREEMENT_POINTS
        ]

    def agreement_points_missing(self) -> list[str]:
        return [label for label, text in self.agreement_points() if not text.strip()]

    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_before(self, stage: str) -> bool:
        """True when the program has not reached `stage` yet (stages in lifecycle order)."""
        order = list(self.Status.values)
        return order.index(self.status) < order.index(stage)

    def period_weeks(self) -> float | None:
        if not (self.start_date and self.end_date):
            return None
        return (self.end_date - self.start_date).days / 7


class Track(models.Model):
    """A track of a program (the pilot's « Logistique » and « Synergies »)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("volet")
        verbose_name_plural = _("volets")
        ordering = ["program", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_track_name")
        ]

    def __str__(self) -> str:
        return self.name


class RoleQuerySet(models.QuerySet):
    def of_user(self, user: Any) -> RoleQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(person__user=user)

    def _consent(self) -> models.Exists:
        return models.Exists(
            Consent.objects.filter(
                person=models.OuterRef("person"),
                program=models.OuterRef("program"),
                withdrawn_at__isnull=True,
            )
        )

    def consented(self) -> RoleQuerySet:
        """Roles whose person has a valid consent for the role's program (Law 25): the only
        ones matching, self-matching, speed dating and groups may process."""
        return self.filter(self._consent())

    def with_consent(self) -> RoleQuerySet:
        """Each role with `has_consent`, whether `consented()` keeps it, in the same query."""
        return self.annotate(has_consent=self._consent())

    def without_consent(self) -> RoleQuerySet:
        """Roles whose person never consented for the role's program, or withdrew."""
        return self.filter(~self._consent())


class Role(models.Model):
    """What a person is in one program. Permissions are per program, from these roles."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordination")
        MENTOR = "mentor", _("Mentor·e")
        MENTEE = "mentee", _("Personne mentorée")
        OBSERVER = "observer", _("Observation et évaluation")
        COMMITTEE = "committee", _("Comité consultatif")
        FUNDER = "funder", _("Bailleur de fonds")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("rôle"), max_length=20, choices=Kind.choices)
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("équipe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Quand ce côté de la relation est une équipe."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacité (personnes mentorées)"),
        null=True,
        blank=True,
        help_text=_("Pour un côté mentor : combien de personnes mentorées au plus."),
    )
    needs = models.TextField(
        _("besoins (pour le jumelage)"),
        blank=True,
        help_text=_(
            "Pour une personne mentorée : ce qu’elle veut apprendre ou régler, en quelques phrases. "
            "Le jumelage les compare à l’expertise des mentor·es."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        ordering = ["program", "kind", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "kind"], name="unique_role_per_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_kind_display()} ({self.program})"


class ProgramInvitationQuerySet(models.QuerySet):
    def pending(self) -> ProgramInvitationQuerySet:
        return self.filter(status=ProgramInvitation.Status.PENDING)

    def for_user(self, user: Any) -> ProgramInvitationQuerySet:
        """The invitations addressed to this account's person."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(person__user=user)


class ProgramInvitation(JoinInvitation):
    """An invitation to join a program, for someone Maillage already knows from elsewhere.

    A coordinator who types the e-mail of a person they cannot see (another program's mentor)
    gets a record of their own, `stand_in`, holding only what they typed, with the roles they
    gave; the person, `person`, is invited by e-mail and on their « Mes programmes » page. Until
    they accept, nothing of their record reaches the program; on acceptance the roles move to
    their own record (`accept_invitation`). The coordinator is never told which happened.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="program_invitations")

    objects = ProgramInvitationQuerySet.as_manager()

    class Meta(JoinInvitation.Meta):
        verbose_name = _("invitation à rejoindre un programme")
        verbose_name_plural = _("invitations à rejoindre un programme")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "stand_in"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_stand_in",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.program}"

    SALT = "maillage.programs.invitation"
    PLACE = "program"

    def offered_roles(self) -> list[Role]:
        """The roles waiting on the stand-in in this program."""
        if self.stand_in_id is None:
            return []
        return list(self.program.roles.filter(person_id=self.stand_in_id).select_related("track"))


class ConsentQuerySet(models.QuerySet):
    def valid(self) -> ConsentQuerySet:
        """Given and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def of(self, person: Person, program: Program) -> ConsentQuerySet:
        return self.filter(person=person, program=program)


class Consent(models.Model):
    """A person's consent to the processing of their personal information by one program
    (Québec's Law 25, s. 14): who, for what purpose, which version of the text, when, and how
    it was given. One record per giving; a withdrawal dates the record, it never deletes it.
    Selection, matching and groups take nobody without a valid one."""

    class Source(models.TextChoices):
        FORM = "form", _("Formulaire d’intérêt")
        IMPORT = "import", _("Importation (consentement donné dans le fichier)")
        VERBAL = "verbal", _("Ajouté par la coordination sur la parole de la personne")
        LINK = "link", _("Demande de consentement acceptée")
        INVITATION = "invitation", _("Invitation acceptée")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("fin"), max_length=300)
    text = models.TextField(_("texte consenti"), blank=True)
    version = models.PositiveIntegerField(_("version du texte"), null=True, blank=True)
    language = models.CharField(_("langue"), max_length=2, blank=True)
    source = models.CharField(_("comment"), max_length=12, choices=Source.choices)
    given_at = models.DateTimeField(_("donné le"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inscrit par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.program} ({self.get_source_display()})"

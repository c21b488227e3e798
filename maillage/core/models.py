"""Who and where: territories, sectors, organizations, people, teams, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillage.core.i18n import localized


class Bilingual(models.Model):
    """A name kept in French and English; `name` answers in the active language."""

    name_fr = models.CharField(_("nom (français)"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Territory(Bilingual):
    """A place in a hierarchy: country > province > administrative region > MRC (or equivalent)."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Pays")
        PROVINCE = "province", _("Province ou État")
        REGION = "region", _("Région administrative")
        MRC = "mrc", _("MRC")
        TE = "te", _("Territoire équivalent à une MRC")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["code"]

    def region(self) -> Territory | None:
        """The administrative region this territory is in (itself for a region)."""
        node: Territory | None = self
        while node is not None and node.kind not in (self.Kind.REGION,):
            node = node.parent
        return node

    def mrc(self) -> Territory | None:
        return self if self.kind in (self.Kind.MRC, self.Kind.TE) else None


class Sector(Bilingual):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        ordering = ["name_fr"]


class Domain(Bilingual):
    """A domain of activity inside sectors, e.g. « réemploi alimentaire »."""

    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("domaine d’activité")
        verbose_name_plural = _("domaines d’activité")
        ordering = ["name_fr"]


class OrganizationQuerySet(models.QuerySet):
    def in_region(self, region: Territory) -> OrganizationQuerySet:
        return self.filter(models.Q(territory=region) | models.Q(territory__parent=region))


class Organization(models.Model):
    class Kind(models.TextChoices):
        NONPROFIT = "nonprofit", _("Organisme à but non lucratif")
        COOPERATIVE = "coop", _("Coopérative")
        MUNICIPALITY = "municipality", _("Municipalité ou MRC")
        PUBLIC_BODY = "public", _("Organisme public")
        SCHOOL = "school", _("Établissement d’enseignement")
        BUSINESS = "business", _("Entreprise")
        NETWORK = "network", _("Regroupement ou réseau")
        OTHER = "other", _("Autre")

    class Phase(models.TextChoices):
        # The maturity phases of the Complices Alimentaires antennas (seed 004).
        INCUBATION = "incubation", _("Incubation")
        PRE_START = "pre_start", _("Prédémarrage")
        DEVELOPMENT = "development", _("Développement")
        ACTIVE = "active", _("Actif")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.NONPROFIT)
    sector = models.ForeignKey(
        Sector, verbose_name=_("secteur"), null=True, blank=True, on_delete=models.PROTECT
    )
    domains = models.ManyToManyField(Domain, verbose_name=_("domaines d’activité"), blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire (MRC ou région)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    phase = models.CharField(
        _("phase de maturité"), max_length=20, choices=Phase.choices, blank=True
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # A local antenna belongs to its collective (seed 004: the Complices' antennas).
    parent = models.ForeignKey(
        "self",
        verbose_name=_("collectif (pour une antenne)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="antennas",
    )
    # The directory's edit form carries it, so that two people editing one profile never
    # overwrite each other (core.locking).
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def region(self) -> Territory | None:
        return self.territory.region() if self.territory_id else None


class Language(models.TextChoices):
    FR = "fr", _("Français")
    EN = "en", _("Anglais")


class WorkingStyle(models.TextChoices):
    STRUCTURED = "structured", _("Structuré")
    INTUITIVE = "intuitive", _("Intuitif")


AVAILABILITY_SLOTS: list[tuple[str, str]] = [
    (f"{day}-{part}", f"{day_label} {part_label}")
    for day, day_label in [
        ("mon", _("lundi")),
        ("tue", _("mardi")),
        ("wed", _("mercredi")),
        ("thu", _("jeudi")),
        ("fri", _("vendredi")),
    ]
    for part, part_label in [("am", _("matin")), ("pm", _("après-midi"))]
]


class PersonQuerySet(models.QuerySet):
    def without_account(self) -> PersonQuerySet:
        """People who could be invited for the first time: an e-mail, no account, no invitation."""
        return self.filter(user__isnull=True, invited_at__isnull=True).exclude(email="")


class Person(models.Model):
    """Anyone Maillage knows: applicant, mentor, mentee, coordinator, reviewer, funder…"""

    class Account(models.TextChoices):
        ACTIVE = "active", _("Compte actif")
        INVITED = "invited", _("Invitation envoyée")
        NONE = "none", _("Pas encore de compte")
        NO_EMAIL = "no_email", _("Pas de courriel")
        DISABLED = "disabled", _("Compte désactivé")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("courriel"))
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    position = models.CharField(_("poste"), max_length=200, blank=True)
    can_decide = models.BooleanField(
        _("peut décider et appliquer des changements"),
        default=False,
        help_text=_(
            "Direction ou coordination du projet : un critère de sélection du projet pilote."
        ),
    )
    language = models.CharField(
        _("langue de communication"), max_length=2, choices=Language.choices, default=Language.FR
    )
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    working_style = models.CharField(
        _("style de travail"), max_length=20, choices=WorkingStyle.choices, blank=True
    )
    availability = models.JSONField(_("disponibilités"), default=list, blank=True)
    expertise = models.TextField(_("expertise"), blank=True)
    # Accounts are opened by invitation (sign-up is closed): when and by whom the last one went.
    invited_at = models.DateTimeField(_("invitation envoyée le"), null=True, blank=True)
    invited_by = models.ForeignKey(
        "self",
        verbose_name=_("invitation envoyée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the retention job or a deletion request anonymized this record (privacy app):
    # the row stays so that counts hold, with no name, contact or free text left.
    anonymized_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def spoken_languages(self) -> list[str]:
        return list(self.languages) or [self.language]

    def account_state(self) -> str:
        """Whether this person can sign in, was invited to, or has no account yet (Account)."""
        user = self.user
        if user is not None and not user.is_active:
            return self.Account.DISABLED
        if user is not None and user.has_usable_password():
            return self.Account.ACTIVE
        if not self.email:
            return self.Account.NO_EMAIL
        if self.invited_at is not None:
            return self.Account.INVITED
        return self.Account.NONE


class Team(models.Model):
    """One side of a mentoring relation made of several people.

    Two mentors of one organization taking turns, or a city team (municipality, civil society,
    an association) as in the city-to-city programs.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Équipe d’une organisation")
        CITY = "city", _("Équipe de ville ou de territoire")
        OTHER = "other", _("Autre équipe")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(
        _("type"), max_length=20, choices=Kind.choices, default=Kind.ORGANIZATION
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    members = models.ManyToManyField(
        Person, through="TeamMember", related_name="teams", verbose_name=_("membres")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("équipe")
        verbose_name_plural = _("équipes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team_memberships")
    is_referent = models.BooleanField(_("personne-référence"), default=False)
    note = models.CharField(_("rôle dans l’équipe"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membre d’équipe")
        verbose_name_plural = _("membres d’équipe")
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="unique_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.team}"


class ReminderMute(models.Model):
    """A person who does not want e-mails of one kind of reminder (the pages still show them).

    The kinds belong to the apps that send reminders (the follow-up's alerts, mentoring's update
    messages); each app checks its own kinds when a person changes their choices.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminder_mutes")
    kind = models.CharField(_("type"), max_length=30)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Moved from the follow-up app: the table keeps its name.
        db_table = "alerts_remindermute"
        verbose_name = _("rappel en sourdine")
        verbose_name_plural = _("rappels en sourdine")
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_mute_per_kind")]

    def __str__(self) -> str:
        return f"{self.person} — {self.kind}"


class AuditEntry(models.Model):
    """Who created, changed or deleted which personal data, and when (Law 25 accountability)."""

    class Action(models.TextChoices):
        CREATE = "create", _("création")
        UPDATE = "update", _("modification")
        DELETE = "delete", _("suppression")
        EXPORT = "export", _("exportation")
        IMPORT = "import", _("importation")
        INVITE = "invite", _("invitation")

    at = models.DateTimeField(_("moment"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # One of Action, or a named transition that matters (« program.closed », « round.sent_now »).
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    model = models.CharField(_("type d’objet"), max_length=100)
    object_id = models.CharField(_("identifiant"), max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    changes = models.JSONField(_("champs modifiés"), default=dict, blank=True)
    program_id = models.BigIntegerField(_("programme"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("entrée du journal d’audit")
        verbose_name_plural = _("journal d’audit")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_id}"


class JoinInvitation(models.Model):
    """What an invitation to join a place (a program, a network) has, whatever the place: for
    someone Maillage already knows from elsewhere, whose stand-in (`stand_in`, holding only what
    the inviter typed) carries the roles offered until they answer. Subclasses add the place,
    the invited `person`, `SALT` and `PLACE` (the place's field name)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Refusée")

    SALT = ""
    PLACE = ""
    LIFETIME = 60 * 60 * 24 * 60  # seconds a link answers: two months

    stand_in = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def token(self) -> str:
        """The link's key: signed, so that only the e-mail sent to the person carries it."""
        return signing.dumps(self.pk, salt=self.SALT)

    @classmethod
    def from_token(cls, token: str) -> JoinInvitation | None:
        try:
            pk = signing.loads(token, salt=cls.SALT, max_age=cls.LIFETIME)
        except signing.BadSignature:
            return None
        return cls.objects.select_related(cls.PLACE, "person__user").filter(pk=pk).first()


class NotificationPreference(models.Model):
    """How a person wants to hear about each topic by e-mail. No row: at once, for everything
    (what people expect of a messaging tool). The pages show everything whatever is chosen."""

    class When(models.TextChoices):
        IMMEDIATELY = "immediately", _("Tout de suite")
        DAILY = "daily", _("Un résumé par jour")
        NEVER = "never", _("Jamais (je regarde dans Maillage)")

    # The topics, each a field below, as the unsubscribe links name them.
    TOPICS = ("messages", "alerts")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_preference"
    )
    messages = models.CharField(
        _("messages de mes groupes"),
        max_length=12,
        choices=When.choices,
        default=When.IMMEDIATELY,
    )
    alerts = models.CharField(
        _("alertes de suivi"), max_length=12, choices=When.choices, default=When.IMMEDIATELY
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférence de courriels")
        verbose_name_plural = _("préférences de courriels")

    def __str__(self) -> str:
        return f"{self.person} — {self.messages}/{self.alerts}"

    @classmethod
    def of(cls, person: Person, topic: str) -> str:
        """What `person` chose for `topic` (« immediately » when they never chose)."""
        if topic not in cls.TOPICS:
            raise ValueError(topic)
        chosen = cls.objects.filter(person=person).values_list(topic, flat=True).first()
        return chosen or cls.When.IMMEDIATELY


class FormSubmission(models.Model):
    """A create form's token and where its first submission led (`core.once`).

    Each rendered create form carries a fresh token; the first POST that brings it claims this
    row (unique on `token`) and records the page it redirected to; every repeat (a double click,
    a re-sent request, the back button) is answered with that same page and creates nothing."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(max_length=500)
    # Empty while the first submission is still being answered.
    result = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.path} → {self.result or '…'}"


class RateCount(models.Model):
    """A rate limit's count for one key in one window (`core.ratelimit.hit`), when the shared
    cache is the database: one upsert per use instead of the database cache's five to ten
    queries (a count of the whole cache table before each write, savepoints, read, write).
    Rows of past windows are deleted by the daily job."""

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class ScheduledRun(models.Model):
    """One scheduled job queued for one period (`core.schedule`): the row is the lock.

    Schedulers on several machines (a systemd timer on each, the Compose service, `./run`) may
    all wake up at once; the first to insert (job, period) queues the job, the others meet the
    unique constraint and queue nothing. The table is also the operator's record of what ran."""

    job = models.CharField(max_length=64)
    # The period's start in the platform's time zone, as text: « 2026-12-07 » for a daily job,
    # « 2026-12-07T08 » for an hourly one.
    period = models.CharField(max_length=32)
    queued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="core_scheduledrun_once")
        ]
        ordering = ["-queued_at"]

    def __str__(self) -> str:
        return f"{self.job} {self.period}"

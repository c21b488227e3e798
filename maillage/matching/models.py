"""Matching: the runs of the engine, their proposed groups, the coordinator's pair constraints,
declared conflicts, cached text vectors and the human approval of each group."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.programs.models import Program, Role, Track


class MatchRunQuerySet(models.QuerySet):
    def done(self) -> MatchRunQuerySet:
        """The engine's finished runs (self-matching's records are never the latest run)."""
        return self.filter(status=MatchRun.Status.DONE).exclude(mode=MatchRun.Mode.SELF)

    def engine(self) -> MatchRunQuerySet:
        return self.exclude(mode=MatchRun.Mode.SELF)


class MatchRun(models.Model):
    """One call of the engine: the inputs exactly as given to it, and what it answered."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En file d’attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Impossible à calculer")

    class Mode(models.TextChoices):
        EXACT = "exact", _("Exact (meilleurs groupes prouvés)")
        LARGE = "large", _("Grand volume")
        STABLE = "stable", _("Stable (choix mutuels)")
        # Not the engine's: the record of a group the participants chose themselves, so that
        # its approval keeps the same trail as the engine's proposals.
        SELF = "self", _("Choisi par les participant·es")

    PENDING = (Status.QUEUED, Status.RUNNING)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.EXACT)
    seed = models.PositiveIntegerField(_("graine"), default=0)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    engine_version = models.CharField(_("version du moteur"), max_length=40)
    fit_encoder = models.CharField(_("calcul de proximité des textes"), max_length=200, blank=True)
    instance = models.JSONField(_("données soumises au moteur"), default=dict)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    certificate = models.JSONField(_("certificat"), default=dict, blank=True)
    problems = models.JSONField(_("problèmes"), default=list, blank=True)
    seconds = models.FloatField(_("durée (secondes)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lancé le"), auto_now_add=True)
    # When the engine took it (a worker, or the request itself for a small program): the
    # progress bar counts from here toward the engine's time limit.
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("exécution du jumelage")
        verbose_name_plural = _("exécutions du jumelage")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One run under way per program: a second launch is refused, never queued beside
            # the first (services._start_run says so in words).
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(status__in=["queued", "running"]) & ~models.Q(mode="self"),
                name="matching_one_pending_run",
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    @property
    def launched_by(self) -> str:
        """Who launched the run, for the pages: « — » for a run the platform queued itself."""
        user = self.created_by
        if user is None:
            return "—"
        person = getattr(user, "person", None)
        return (person.full_name if person else "") or user.email or "—"

    def is_lost(self, *, now: Any = None) -> bool:
        """Under way for longer than any run takes: its process died with it (a worker's
        task is put back in the queue and finished, see core.heartbeat; a web request's is
        not)."""
        lost_after = timedelta(seconds=getattr(settings, "MATCHING_LOST_AFTER", 1800))
        return (
            self.status in self.PENDING and self.created_at < (now or timezone.now()) - lost_after
        )

    @property
    def solve_limit(self) -> int:
        """The engine's time limit in seconds: `--time-limit` is a promise (jumelage's README),
        so a run under way ends about then with the best proved groups found."""
        return max(1, round(float(getattr(settings, "MATCHING_TIME_LIMIT", 20))))

    def elapsed_seconds(self, *, now: Any = None) -> int | None:
        """Whole seconds since the engine took the run, None before."""
        if self.started_at is None:
            return None
        return max(0, int(((now or timezone.now()) - self.started_at).total_seconds()))

    @property
    def progress_value(self) -> int:
        """The bar's value: the seconds spent, held just under the limit while the answer is
        written (the bar never says « done » before the groups are there)."""
        return min(self.elapsed_seconds() or 0, self.solve_limit - 1 if self.solve_limit > 1 else 0)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    def labels(self) -> dict[str, str]:
        """Display names of every participant of the run, by engine id."""
        out: dict[str, str] = {}
        for side in ("mentors", "mentees"):
            for person in self.instance.get(side, []):
                out[person["id"]] = person.get("label") or person["id"]
        return out

    def participant(self, key: str) -> dict[str, Any] | None:
        for side in ("mentors", "mentees"):
            for person in self.instance.get(side, []):
                if person["id"] == key:
                    return person
        return None


class Proposal(models.Model):
    """One group the engine proposed: a mentor side and its mentees, with the explanation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposé")
        ACCEPTED = "accepted", _("Accepté")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    order = models.PositiveIntegerField(_("ordre"), default=0)
    mentor_key = models.CharField(_("côté mentor"), max_length=40)
    mentor_label = models.CharField(_("nom du côté mentor"), max_length=300, blank=True)
    mentee_keys = models.JSONField(_("personnes mentorées"), default=list)
    track = models.ForeignKey(
        Track, verbose_name=_("volet"), null=True, blank=True, on_delete=models.SET_NULL
    )
    score = models.FloatField(_("score"), default=0.0)
    explanation = models.JSONField(_("explication"), default=dict)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )

    class Meta:
        verbose_name = _("groupe proposé")
        verbose_name_plural = _("groupes proposés")
        ordering = ["run", "order", "id"]

    def __str__(self) -> str:
        return self.mentor_label or self.mentor_key

    @property
    def program_id(self) -> int:
        return self.run.program_id

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def pair(self, mentee_key: str) -> dict[str, Any] | None:
        """The explanation of one mentee's pair with the mentor side."""
        for pair in self.explanation.get("pairs", []):
            if pair.get("mentee") == mentee_key:
                return pair
        return None


class Approval(models.Model):
    """A person approved a proposed group (Québec's Law 25: a decision about people made with an
    automated tool keeps who decided, when, on which inputs, with which factors and tool version,
    so that each person can learn the principal factors of the decision about them)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="approval")
    run = models.ForeignKey(MatchRun, on_delete=models.PROTECT, related_name="approvals")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approuvé par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approuvé le"), default=timezone.now)
    engine_version = models.CharField(_("version du moteur"), max_length=40)
    inputs = models.JSONField(_("données du groupe soumises au moteur"), default=dict)
    factors = models.JSONField(_("facteurs de la décision"), default=dict)

    class Meta:
        verbose_name = _("approbation d’un groupe")
        verbose_name_plural = _("approbations de groupes")
        ordering = ["-approved_at"]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.approved_at:%Y-%m-%d}"

    @property
    def program_id(self) -> int:
        return self.run.program_id


class PairQuerySet(models.QuerySet):
    def for_program(self, program: Program) -> PairQuerySet:
        return self.filter(program=program).select_related(
            "mentor__person", "mentor__team", "mentee__person"
        )


class PairConstraint(models.Model):
    """A pair the coordinator imposed or forbade. A team side is stood for by one of its
    members' mentor roles (the services always store the same one)."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("Paire imposée")
        FORBID = "forbid", _("Paire interdite")

    class Source(models.TextChoices):
        COORDINATOR = "coordinator", _("Décision de la coordination")
        MOVE = "move", _("Déplacement d’une personne")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pair_constraints")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    mentor = models.ForeignKey(
        Role, verbose_name=_("côté mentor"), on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        Role, verbose_name=_("personne mentorée"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(
        _("origine"), max_length=20, choices=Source.choices, default=Source.COORDINATOR
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("paire imposée ou interdite")
        verbose_name_plural = _("paires imposées ou interdites")
        ordering = ["program", "kind", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"], name="one_constraint_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.mentee.person} – {self.mentor.person}"


class Exclusion(models.Model):
    """A conflict of interest or a competition between a mentor side and a mentee, declared by
    either side (the coordinator enters it on their behalf) or by the coordinator."""

    class Reason(models.TextChoices):
        CONFLICT = "conflict_of_interest", _("Conflit d’intérêts")
        COMPETITION = "competition", _("Situation de concurrence")

    class DeclaredBy(models.TextChoices):
        MENTOR = "mentor", _("Le côté mentor")
        MENTEE = "mentee", _("La personne mentorée")
        COORDINATOR = "coordinator", _("La coordination")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="exclusions")
    mentor = models.ForeignKey(
        Role, verbose_name=_("côté mentor"), on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        Role, verbose_name=_("personne mentorée"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=30, choices=Reason.choices)
    declared_by = models.CharField(_("déclaré par"), max_length=20, choices=DeclaredBy.choices)
    note = models.TextField(_("précisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflit déclaré")
        verbose_name_plural = _("conflits déclarés")
        ordering = ["program", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"], name="one_exclusion_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} : {self.mentee.person} – {self.mentor.person}"


class TextVector(models.Model):
    """A participant's needs or expertise text encoded once: re-encoded only when the text (its
    hash) or the encoder (its fingerprint) changes. Deleted with the program."""

    class Side(models.TextChoices):
        NEEDS = "needs", _("Besoins")
        EXPERTISE = "expertise", _("Expertise")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="text_vectors")
    key = models.CharField(_("participant"), max_length=40)
    side = models.CharField(_("texte"), max_length=10, choices=Side.choices)
    encoder = models.CharField(_("encodeur"), max_length=200)
    text_hash = models.CharField(_("empreinte du texte"), max_length=64)
    dim = models.PositiveIntegerField(_("dimensions"))
    vector = models.BinaryField(_("vecteur"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vecteur de texte")
        verbose_name_plural = _("vecteurs de texte")
        constraints = [
            models.UniqueConstraint(fields=["program", "key", "side"], name="one_vector_per_text")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.side} ({self.encoder})"


# --- Speed dating mentoral (issue 13) ---------------------------------------------------------


class SpeedDatingEventQuerySet(models.QuerySet):
    def live(self) -> SpeedDatingEventQuerySet:
        return self.exclude(status=SpeedDatingEvent.Status.CANCELLED)


class SpeedDatingEvent(models.Model):
    """A « speed dating mentoral »: short rounds where mentee sides meet mentor sides, then each
    ranks the people they met and the stable mode forms the groups from those rankings."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("En personne")
        ONLINE = "online", _("En ligne")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planifié (horaires non envoyés)")
        PUBLISHED = "published", _("Publié (horaires envoyés)")
        CANCELLED = "cancelled", _("Annulé")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="speed_dating_events"
    )
    title = models.CharField(_("titre"), max_length=200)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    starts_at = models.DateTimeField(_("début"))
    rounds = models.PositiveSmallIntegerField(_("nombre de tours"), default=4)
    round_minutes = models.PositiveSmallIntegerField(_("minutes par tour"), default=8)
    break_minutes = models.PositiveSmallIntegerField(
        _("pause entre les tours (minutes)"), default=2
    )
    places = models.JSONField(_("salles ou liens"), default=list)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    mentee_keys = models.JSONField(_("côtés mentorés invités"), default=list)
    mentor_keys = models.JSONField(_("côtés mentors invités"), default=list)
    ranking_deadline = models.DateTimeField(_("classements attendus avant le"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    rotation = models.JSONField(_("rotation"), default=dict, blank=True)
    match_run = models.ForeignKey(
        MatchRun,
        verbose_name=_("jumelage formé des classements"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = SpeedDatingEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("speed dating mentoral")
        verbose_name_plural = _("speed datings mentoraux")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return self.format == self.Format.ONLINE

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def round_start(self, number: int) -> Any:
        """When round `number` (0-based) starts."""
        from datetime import timedelta

        return self.starts_at + timedelta(
            minutes=number * (self.round_minutes + self.break_minutes)
        )

    def round_end(self, number: int) -> Any:
        from datetime import timedelta

        return self.round_start(number) + timedelta(minutes=self.round_minutes)

    @property
    def ends_at(self) -> Any:
        return self.round_end(max(self.rounds - 1, 0))

    def place(self, table: int) -> str:
        """The room or video link of a table (0-based)."""
        return self.places[table] if 0 <= table < len(self.places) else ""

    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    def ranking_open(self) -> bool:
        """Rankings are taken from the end of the event until the deadline."""
        now = timezone.now()
        return self.status == self.Status.PUBLISHED and self.ends_at <= now <= self.ranking_deadline


class SpeedDatingMeeting(models.Model):
    """One meeting of the rotation: a round, a table, a mentee side and a mentor side."""

    event = models.ForeignKey(SpeedDatingEvent, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField(_("tour"))
    table = models.PositiveSmallIntegerField(_("table"))
    mentee_key = models.CharField(_("côté mentoré"), max_length=40)
    mentor_key = models.CharField(_("côté mentor"), max_length=40)
    mentee_label = models.CharField(_("nom du côté mentoré"), max_length=300, blank=True)
    mentor_label = models.CharField(_("nom du côté mentor"), max_length=300, blank=True)
    fit = models.CharField(_("proximité en mots"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("rencontre de speed dating")
        verbose_name_plural = _("rencontres de speed dating")
        ordering = ["event", "round", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mentee_key", "mentor_key"], name="speed_dating_pair_once"
            ),
            models.UniqueConstraint(
                fields=["event", "round", "mentee_key"], name="speed_dating_mentee_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["event", "round", "mentor_key"], name="speed_dating_mentor_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.round + 1} : {self.mentee_label} / {self.mentor_label}"


class SpeedDatingRanking(models.Model):
    """A side's ranking of the people it met, best first (engine ids). A team side ranks once:
    any of its members may send it; the latest one counts."""

    class SideKind(models.TextChoices):
        MENTOR = "mentor", _("Côté mentor")
        MENTEE = "mentee", _("Côté mentoré")

    event = models.ForeignKey(SpeedDatingEvent, on_delete=models.CASCADE, related_name="rankings")
    side_key = models.CharField(_("côté"), max_length=40)
    side_kind = models.CharField(_("rôle"), max_length=10, choices=SideKind.choices)
    order = models.JSONField(_("classement"), default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("classement de speed dating")
        verbose_name_plural = _("classements de speed dating")
        ordering = ["event", "side_kind", "side_key"]
        constraints = [
            models.UniqueConstraint(fields=["event", "side_key"], name="one_ranking_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.event} — {self.side_key}"


# --- Self-matching ----------------------------------------------------------------------------


class SelfMatching(models.Model):
    """The coordinator opened self-matching in a program: mentee sides browse the mentor sides'
    profiles and ask one of them, until the deadline."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="self_matching")
    is_open = models.BooleanField(_("auto-jumelage ouvert"), default=False)
    closes_at = models.DateTimeField(
        _("date limite des demandes et des réponses"), null=True, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("auto-jumelage")
        verbose_name_plural = _("auto-jumelages")

    def __str__(self) -> str:
        return str(self.program)

    def is_running(self, now: Any = None) -> bool:
        """Open and before the deadline: requests and answers are taken."""
        now = now or timezone.now()
        return self.is_open and (self.closes_at is None or now < self.closes_at)


def photo_name(card: ProfileCard, filename: str) -> str:
    """A random name: the person's name never appears in a stored file's path."""
    return f"profiles/{card.program_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


class ProfileCard(models.Model):
    """What one participant lets the other side of a program see of her. By default only her
    name and track: each other item is shown once she ticks it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="profile_cards")
    person = models.ForeignKey(
        "core.Person", on_delete=models.CASCADE, related_name="profile_cards"
    )
    intro = models.TextField(_("présentation en quelques mots"), blank=True, max_length=600)
    photo = models.ImageField(_("photo"), upload_to=photo_name, blank=True, max_length=200)
    show_photo = models.BooleanField(_("montrer ma photo"), default=False)
    show_text = models.BooleanField(_("montrer mon expertise ou mes besoins"), default=False)
    show_organization = models.BooleanField(
        _("montrer mon organisation et son secteur"), default=False
    )
    show_region = models.BooleanField(_("montrer ma région"), default=False)
    show_languages = models.BooleanField(_("montrer mes langues"), default=False)
    show_availability = models.BooleanField(_("montrer mes disponibilités"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    SHOWN = (
        "show_photo",
        "show_text",
        "show_organization",
        "show_region",
        "show_languages",
        "show_availability",
    )

    class Meta:
        verbose_name = _("fiche visible")
        verbose_name_plural = _("fiches visibles")
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_card_per_program")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.program})"


class MatchRequestQuerySet(models.QuerySet):
    def live(self) -> MatchRequestQuerySet:
        return self.filter(status__in=MatchRequest.LIVE)


class MatchRequest(models.Model):
    """A mentee side asks a mentor side to form a group. Pending and accepted requests hold a
    seat of the mentor side until the coordinator approves the group (or someone withdraws)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée, en attente d’approbation")
        DECLINED = "declined", _("Déclinée")
        WITHDRAWN = "withdrawn", _("Retirée")
        CANCELLED = "cancelled", _("Annulée par la coordination")
        APPROVED = "approved", _("Groupe approuvé")

    LIVE = (Status.PENDING, Status.ACCEPTED)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_requests")
    mentee_key = models.CharField(_("côté mentoré"), max_length=40)
    mentor_key = models.CharField(_("côté mentor"), max_length=40)
    mentee_role = models.ForeignKey(
        Role, verbose_name=_("personne mentorée"), on_delete=models.CASCADE, related_name="+"
    )
    mentor_role = models.ForeignKey(
        Role, verbose_name=_("côté mentor"), on_delete=models.CASCADE, related_name="+"
    )
    mentee_label = models.CharField(_("nom du côté mentoré"), max_length=300)
    mentor_label = models.CharField(_("nom du côté mentor"), max_length=300)
    message = models.TextField(_("message"), max_length=2000)
    answer = models.TextField(_("réponse"), blank=True, max_length=2000)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    # When the coordination stepped in (answered, cancelled) on the participants' behalf: why.
    coordinator_reason = models.TextField(_("motif de la coordination"), blank=True)
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de jumelage")
        verbose_name_plural = _("demandes de jumelage")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live request per mentee side: a double click or two tabs create one.
            models.UniqueConstraint(
                fields=["program", "mentee_key"],
                condition=models.Q(status__in=["pending", "accepted"]),
                name="one_live_request_per_mentee_side",
            )
        ]

    def __str__(self) -> str:
        return f"{self.mentee_label} → {self.mentor_label} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

"""Training modules for a program's people, and the guided implementation path of an
organization that starts a program (seed 002: micro-trainings; « Parcours en mentorat
inclusif », 15–20 h of personalised support, post-deployment follow-up).

A module belongs to one program (a coordinator writes it, or copies one of the starter set in
`starter.py`); it is assigned to a role of the program (every mentor, every mentee…) or to
named people, with a due date. A person's `Completion` of a module records the quiz's best
result and when they marked it done. The path is one per program: steps, hours of support used
against a budget, follow-up dates.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Person
from maillage.programs.models import Program, Role


def stored_name(instance: Module, filename: str) -> str:
    """A random name under training/: the uploaded name is kept for the download only."""
    return f"training/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class ModuleQuerySet(models.QuerySet):
    def active(self) -> ModuleQuerySet:
        return self.filter(archived_at__isnull=True)

    def assigned_to(self, person: Person, program: Program) -> ModuleQuerySet:
        """The modules of `program` assigned to `person`, by name or through one of their roles
        (archived modules included: what was followed stays readable)."""
        kinds = list(program.roles.filter(person=person).values_list("kind", flat=True))
        mine = Assignment.objects.filter(module__program=program).filter(
            Q(people=person) | Q(kind__in=kinds, named=False)
        )
        return self.filter(program=program, assignments__in=mine).distinct()


class Module(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Texte dans la page")
        VIDEO = "video", _("Vidéo (lien)")
        DOCUMENT = "document", _("Document à télécharger")
        LINK = "link", _("Lien externe")

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), max_length=1000)
    kind = models.CharField(_("type de contenu"), max_length=10, choices=Kind.choices)
    body = models.TextField(
        _("texte du module"),
        blank=True,
        help_text=_(
            "Le contenu lui-même, ou une présentation de la vidéo, du document ou du lien."
        ),
    )
    url = models.URLField(
        _("lien"),
        max_length=1000,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("L’adresse de la vidéo ou de la page externe."),
    )
    file = models.FileField(_("document"), upload_to=stored_name, blank=True, max_length=200)
    original_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("durée estimée (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FR
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("seuil de réussite du questionnaire (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    # The starter module it was copied from (starter.STARTERS' key), so the library can say so.
    starter = models.CharField(max_length=60, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module de formation")
        verbose_name_plural = _("modules de formation")
        ordering = ["program", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def has_quiz(self) -> bool:
        return self.questions.exists()


class Question(models.Model):
    """A multiple-choice question of a module's quiz: one or several right choices."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    explanation = models.TextField(
        _("explication montrée après la réponse"), blank=True, max_length=1000
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("question de questionnaire")
        verbose_name_plural = _("questions de questionnaire")
        ordering = ["module", "order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def program_id(self) -> int:
        return self.module.program_id

    def right_ids(self) -> set[int]:
        return {c.pk for c in self.choices.all() if c.correct}

    def several_right(self) -> bool:
        return len(self.right_ids()) > 1


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("choix"), max_length=300)
    correct = models.BooleanField(_("bonne réponse"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("choix de réponse")
        verbose_name_plural = _("choix de réponse")
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text


# The roles a module can be assigned to (observers, committee and funders follow no training).
AUDIENCES = (Role.Kind.MENTOR, Role.Kind.MENTEE, Role.Kind.COORDINATOR)


class Assignment(models.Model):
    """A module given to every person of one role in the program (including those who join
    later), or to the named people only (`named`, with `people`)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(
        _("rôle"), max_length=20, choices=[(k.value, k.label) for k in AUDIENCES]
    )
    named = models.BooleanField(_("seulement les personnes nommées"), default=False)
    people = models.ManyToManyField(Person, blank=True, related_name="training_assignments")
    due_on = models.DateField(_("à faire d’ici le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("assignation de formation")
        verbose_name_plural = _("assignations de formation")
        ordering = ["module", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.module} — {self.get_kind_display()}"

    @property
    def program_id(self) -> int:
        return self.module.program_id

    def persons(self) -> models.QuerySet[Person]:
        """Who this assignment reaches today."""
        if self.named:
            return self.people.all()
        return Person.objects.filter(
            roles__program_id=self.module.program_id, roles__kind=self.kind
        ).distinct()


class Completion(models.Model):
    """Where one person stands on one module: the quiz's best result, when it was done."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="completions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="completions")
    opened_at = models.DateTimeField(_("ouvert le"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("essais au questionnaire"), default=0)
    best_score = models.PositiveSmallIntegerField(_("meilleur résultat (%)"), null=True, blank=True)
    passed_at = models.DateTimeField(_("questionnaire réussi le"), null=True, blank=True)
    completed_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("suivi d’un module")
        verbose_name_plural = _("suivis des modules")
        constraints = [
            models.UniqueConstraint(fields=["module", "person"], name="one_completion_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.module}"

    @property
    def program_id(self) -> int:
        return self.module.program_id

    @property
    def passed(self) -> bool:
        return self.passed_at is not None


class QuizAttempt(models.Model):
    """One try at a module's quiz: the choices made and the result (kept for the coordinator;
    the participant is shown words, never the number)."""

    completion = models.ForeignKey(Completion, on_delete=models.CASCADE, related_name="tries")
    answers = models.JSONField(default=dict)  # question id (str) → list of choice ids
    score = models.PositiveSmallIntegerField()  # percentage of questions answered right
    passed = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("essai au questionnaire")
        verbose_name_plural = _("essais au questionnaire")
        ordering = ["completion", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.completion} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def program_id(self) -> int:
        return self.completion.module.program_id


class Reminder(models.Model):
    """The one reminder a person gets before an assignment's due date (unique: a second run of
    the daily job, or a second worker, sends nothing more)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "person"], name="one_training_reminder")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.assignment}"

    @property
    def program_id(self) -> int:
        return self.assignment.module.program_id


class ImplementationPath(models.Model):
    """« Parcours d’implantation »: how an organization starting the program is accompanied."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="implementation_path"
    )
    budget_hours = models.DecimalField(
        _("heures d’accompagnement prévues"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("500"))],
        help_text=_("Le Parcours en mentorat inclusif prévoit de 15 à 20 h par organisation."),
    )
    accompanied_by = models.CharField(
        _("accompagnement offert par"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : Mentorat Québec, conseillère Julie Tremblay."),
    )
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parcours d’implantation")
        verbose_name_plural = _("parcours d’implantation")

    def __str__(self) -> str:
        return str(self.program)

    def hours_used(self) -> Decimal:
        total = SupportEntry.objects.filter(step__path=self).aggregate(t=models.Sum("hours"))["t"]
        return total or Decimal("0")

    def hours_remaining(self) -> Decimal:
        return self.budget_hours - self.hours_used()

    def hours_over(self) -> Decimal:
        """How far the support went past the budget (0 within it)."""
        return max(Decimal("0"), -self.hours_remaining())


class PathStep(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("À venir")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Terminée")

    path = models.ForeignKey(ImplementationPath, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("étape"), max_length=200)
    description = models.TextField(_("ce que l’étape couvre"), blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.TODO)
    notes = models.TextField(_("notes"), blank=True)
    done_on = models.DateField(_("terminée le"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("étape du parcours")
        verbose_name_plural = _("étapes du parcours")
        ordering = ["path", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def program_id(self) -> int:
        return self.path.program_id

    def hours_used(self) -> Decimal:
        return self.support.aggregate(t=models.Sum("hours"))["t"] or Decimal("0")


class SupportEntry(models.Model):
    """Hours of personalised support spent on a step (a meeting with the adviser, a review)."""

    step = models.ForeignKey(PathStep, on_delete=models.CASCADE, related_name="support")
    on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("heures"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("24"))],
    )
    note = models.CharField(_("ce qui a été fait"), max_length=300, blank=True)
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("heures d’accompagnement")
        verbose_name_plural = _("heures d’accompagnement")
        ordering = ["step", "-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.step} — {self.hours} h"

    @property
    def program_id(self) -> int:
        return self.step.path.program_id


class FollowUp(models.Model):
    """A post-deployment follow-up date (a call three months after the launch…)."""

    path = models.ForeignKey(
        ImplementationPath, on_delete=models.CASCADE, related_name="follow_ups"
    )
    on = models.DateField(_("date du suivi"))
    note = models.CharField(_("objet du suivi"), max_length=300, blank=True)
    done_at = models.DateTimeField(_("fait le"), null=True, blank=True)

    class Meta:
        verbose_name = _("suivi post-déploiement")
        verbose_name_plural = _("suivis post-déploiement")
        ordering = ["path", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} {self.note}"

    @property
    def program_id(self) -> int:
        return self.path.program_id

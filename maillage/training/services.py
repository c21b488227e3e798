"""Writes of training modules, assignments, completions and the implementation path.

Every write refuses on a closed program (`ensure_open`); state changes that matter carry a
named audit entry (`training.quiz_passed`, `training.completed`, `path.hours_recorded`…) on top
of the rows' own create/update entries.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.core.locking import locked, save_versioned
from maillage.core.models import NotificationPreference, Person
from maillage.core.notifications import wants
from maillage.core.uploads import check_upload
from maillage.programs.models import Program
from maillage.programs.services import ensure_open

from . import starter as starters
from .emails import TOPIC
from .errors import TrainingError
from .models import (
    AUDIENCES,
    Assignment,
    Choice,
    Completion,
    FollowUp,
    ImplementationPath,
    Module,
    PathStep,
    Question,
    QuizAttempt,
    Reminder,
    SupportEntry,
)

# How many days before the due date the one reminder goes out.
REMINDER_DAYS = 3

# The default path of the « Parcours en mentorat inclusif » (seed 002), in order.
DEFAULT_STEPS: tuple[tuple[str, str], ...] = (
    (
        "Diagnostic",
        "Portrait de l’organisation, de ses besoins et de ses objectifs d’inclusion.",
    ),
    (
        "Conception",
        "Objectifs du programme, critères de sélection, outils adaptés, entente de mentorat.",
    ),
    ("Recrutement", "Appel aux mentor·es et aux personnes mentorées, sélection."),
    ("Jumelage", "Jumelages stratégiques favorisant l’inclusion, formation des participant·es."),
    ("Déploiement", "Démarrage des groupes, rencontres, accompagnement de la coordination."),
    ("Suivi post-déploiement", "Bilan, évaluation des résultats, ajustements pour la suite."),
)


# -- Modules ---------------------------------------------------------------------------------


def _content(module: Module, *, file: UploadedFile | None) -> None:
    """Check that the module has what its kind needs; store a new document's details."""
    module.url = module.url.strip()
    if module.kind in (Module.Kind.VIDEO, Module.Kind.LINK) and not module.url:
        raise TrainingError(_("Indiquez le lien de la vidéo ou de la page."), field="url")
    if module.kind == Module.Kind.TEXT and not module.body.strip():
        raise TrainingError(_("Écrivez le texte du module."), field="body")
    if module.kind == Module.Kind.DOCUMENT and not file and not module.file:
        raise TrainingError(_("Joignez le document du module."), field="file")
    if module.kind != Module.Kind.DOCUMENT and file:
        raise TrainingError(
            _("Un document se joint seulement à un module de type « Document »."), field="file"
        )
    if module.kind not in (Module.Kind.VIDEO, Module.Kind.LINK):
        module.url = ""
    if file:
        checked = check_upload(file, error=TrainingError)
        module.original_name = checked.original_name
        module.content_type = checked.content_type
        module.size = checked.size


def _save_file(module: Module, file: UploadedFile | None) -> None:
    if file:
        # Django's storage API picks the random name (upload_to); nothing serves MEDIA_ROOT.
        module.file.save(module.original_name, file, save=False)


def create_module(
    *,
    program: Program,
    by: Any,
    title: str,
    summary: str,
    kind: str,
    body: str = "",
    url: str = "",
    file: UploadedFile | None = None,
    minutes: int = 15,
    language: str = Module.Language.FR,
    pass_mark: int = 80,
) -> Module:
    """A new module in the program's library (its quiz is added afterwards)."""
    ensure_open(program, error=TrainingError)
    module = Module(
        program=program,
        title=title.strip(),
        summary=summary.strip(),
        kind=kind,
        body=body.strip(),
        url=url,
        minutes=minutes,
        language=language,
        pass_mark=pass_mark,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _content(module, file=file)
    TrainingError.check(module, exclude=["file"])
    with transaction.atomic():
        _save_file(module, file)
        module.save()
    return module


MODULE_FIELDS = ("title", "summary", "kind", "body", "url", "minutes", "language", "pass_mark")


def update_module(
    *, module: Module, seen: int | None, file: UploadedFile | None = None, **values: Any
) -> Module:
    """Save the module's edit form if nobody saved it meanwhile (`seen`: its revision)."""
    ensure_open(module.program, error=TrainingError)
    for name in MODULE_FIELDS:
        if name in values:
            value = values[name]
            setattr(module, name, value.strip() if isinstance(value, str) else value)
    _content(module, file=file)
    TrainingError.check(module, exclude=["file"])
    old_file = None
    if module.kind != Module.Kind.DOCUMENT and module.file:
        old_file, module.file = module.file.name, ""
        module.original_name, module.content_type, module.size = "", "", None
    with transaction.atomic():
        if file and module.file:
            old_file = module.file.name
        _save_file(module, file)
        save_versioned(module, seen=seen)
    if old_file and not Module.objects.filter(file=old_file).exists():
        # A new edition's copy may share the file (program_duplicated): kept while it does.
        storage = module.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return module


@transaction.atomic
def archive_module(*, module: Module, archived: bool = True) -> Module:
    """Take the module out of the library (or put it back). Its assignments and completions stay:
    what people followed stays readable, and a participant still finds it."""
    ensure_open(module.program, error=TrainingError)
    current = locked(module)
    if current.is_archived == archived:
        return current
    current.archived_at = timezone.now() if archived else None
    current.save(update_fields=["archived_at"])
    record(
        action="training.archived" if archived else "training.restored",
        instance=current,
        program_id=current.program_id,
    )
    return current


@transaction.atomic
def copy_starter(*, program: Program, key: str, by: Any) -> Module:
    """A copy of a starter module, with its quiz, in the program's library."""
    ensure_open(program, error=TrainingError)
    found = starters.starter(key)
    if found is None:
        raise TrainingError(_("Ce module de départ n’existe pas."))
    module = Module(
        program=program,
        title=found.title,
        summary=found.summary,
        kind=Module.Kind.TEXT,
        body=found.body,
        minutes=found.minutes,
        language=Module.Language.FR,
        starter=found.key,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    TrainingError.check(module, exclude=["file"])
    module.save()
    for order, q in enumerate(found.questions):
        question = Question.objects.create(
            module=module, text=q.text, explanation=q.explanation, order=order
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, correct=correct, order=i)
            for i, (text, correct) in enumerate(q.choices)
        )
    return module


@transaction.atomic
def add_question(
    *, module: Module, text: str, choices: list[tuple[str, bool]], explanation: str = ""
) -> Question:
    """A multiple-choice question: two choices at least, one right at least."""
    ensure_open(module.program, error=TrainingError)
    choices = [(t.strip(), bool(ok)) for t, ok in choices if t and t.strip()]
    if not text.strip():
        raise TrainingError(_("Écrivez la question."), field="text")
    if len(choices) < 2:
        raise TrainingError(_("Donnez au moins deux choix de réponse."), field="choice_1")
    if not any(ok for _t, ok in choices):
        raise TrainingError(_("Cochez au moins une bonne réponse."), field="choice_1")
    if len({t.casefold() for t, _ok in choices}) < len(choices):
        raise TrainingError(_("Deux choix ont le même texte."), field="choice_1")
    order = (module.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    question = Question(module=module, text=text.strip(), explanation=explanation.strip())
    question.order = order
    TrainingError.check(question)
    question.save()
    created = Choice.objects.bulk_create(
        Choice(question=question, text=t, correct=ok, order=i) for i, (t, ok) in enumerate(choices)
    )
    record(
        action="training.question_added",
        instance=question,
        program_id=module.program_id,
        changes={"choices": len(created)},
    )
    return question


def delete_question(*, question: Question) -> None:
    ensure_open(question.module.program, error=TrainingError)
    question.delete()


# -- Assignments -----------------------------------------------------------------------------


@transaction.atomic
def assign_module(
    *,
    module: Module,
    by: Any,
    kind: str,
    people: list[Person] | None = None,
    due_on: datetime.date | None = None,
) -> Assignment:
    """Give the module to every person of role `kind` (now and later), or to `people` of it."""
    ensure_open(module.program, error=TrainingError)
    if module.is_archived:
        raise TrainingError(_("Ce module est archivé : remettez-le dans la bibliothèque d’abord."))
    if kind not in AUDIENCES:
        raise TrainingError(
            _("Choisissez les mentor·es, les personnes mentorées ou la coordination."), field="kind"
        )
    if due_on is not None and due_on < timezone.localdate():
        raise TrainingError(_("La date d’échéance est déjà passée."), field="due_on")
    people = list(people or [])
    allowed = set(module.program.roles.filter(kind=kind).values_list("person_id", flat=True))
    if any(p.pk not in allowed for p in people):
        raise TrainingError(
            _("Une des personnes choisies n’a pas ce rôle dans le programme."), field="people"
        )
    assignment = Assignment.objects.create(
        module=module,
        kind=kind,
        named=bool(people),
        due_on=due_on,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if people:
        assignment.people.set(people)
    record(
        action="training.assigned",
        instance=assignment,
        program_id=module.program_id,
        changes={"kind": kind, "people": [p.pk for p in people], "due_on": str(due_on or "")},
    )
    return assignment


def cancel_assignment(*, assignment: Assignment) -> None:
    """Withdraw an assignment; what people already completed stays."""
    ensure_open(assignment.module.program, error=TrainingError)
    assignment.delete()


# -- Participants ----------------------------------------------------------------------------


def _completion(module: Module, person: Person) -> Completion:
    completion, _created = Completion.objects.get_or_create(module=module, person=person)
    return completion


def open_module(*, module: Module, person: Person) -> Completion:
    """The person opened the module: the first time is noted (« commencé »)."""
    completion = _completion(module, person)
    if completion.opened_at is None:
        completion.opened_at = timezone.now()
        completion.save(update_fields=["opened_at"])
    return completion


def grade(module: Module, answers: dict[int, set[int]]) -> tuple[int, dict[int, bool]]:
    """The percentage of questions answered exactly right, and each question's verdict."""
    verdicts = {}
    questions = list(module.questions.prefetch_related("choices"))
    for question in questions:
        verdicts[question.pk] = answers.get(question.pk, set()) == question.right_ids()
    right = sum(verdicts.values())
    return (round(100 * right / len(questions)) if questions else 0), verdicts


@transaction.atomic
def submit_quiz(*, module: Module, person: Person, answers: dict[int, set[int]]) -> QuizAttempt:
    """Grade one try; the best result is kept. Every question needs an answer."""
    ensure_open(module.program, error=TrainingError)
    questions = list(module.questions.values_list("pk", flat=True))
    if not questions:
        raise TrainingError(_("Ce module n’a pas de questionnaire."))
    if any(not answers.get(pk) for pk in questions):
        raise TrainingError(_("Répondez à chaque question avant d’envoyer."))
    score, _verdicts = grade(module, answers)
    passed = score >= module.pass_mark
    completion = locked(_completion(module, person))
    attempt = QuizAttempt.objects.create(
        completion=completion,
        answers={str(k): sorted(v) for k, v in answers.items() if k in questions},
        score=score,
        passed=passed,
    )
    completion.attempts += 1
    completion.best_score = max(completion.best_score or 0, score)
    completion.opened_at = completion.opened_at or timezone.now()
    if passed and completion.passed_at is None:
        completion.passed_at = timezone.now()
    completion.save(update_fields=["attempts", "best_score", "opened_at", "passed_at"])
    record(
        action="training.quiz_passed" if passed else "training.quiz_failed",
        instance=completion,
        program_id=module.program_id,
    )
    return attempt


@transaction.atomic
def complete_module(*, module: Module, person: Person) -> Completion:
    """Mark the module done; a module with a quiz needs the quiz passed first."""
    ensure_open(module.program, error=TrainingError)
    completion = locked(_completion(module, person))
    if completion.completed_at is not None:
        return completion
    if module.has_quiz() and completion.passed_at is None:
        raise TrainingError(_("Réussissez le questionnaire avant de marquer le module terminé."))
    completion.completed_at = timezone.now()
    completion.opened_at = completion.opened_at or completion.completed_at
    completion.save(update_fields=["completed_at", "opened_at"])
    record(action="training.completed", instance=completion, program_id=module.program_id)
    return completion


# -- Reminders -------------------------------------------------------------------------------


def send_due_reminders(*, today: datetime.date | None = None) -> int:
    """One e-mail to each person who has not completed a module due within REMINDER_DAYS, unless
    they chose never to receive follow-up e-mails. The unique Reminder row makes it once."""
    from .tasks import send_reminder

    today = today or timezone.localdate()
    due = Assignment.objects.filter(
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        module__archived_at__isnull=True,
    ).exclude(module__program__status=Program.Status.CLOSED)
    sent = 0
    for assignment in due.select_related("module__program"):
        done = set(
            Completion.objects.filter(
                module=assignment.module, completed_at__isnull=False
            ).values_list("person_id", flat=True)
        )
        for person in assignment.persons().exclude(email=""):
            if person.pk in done:
                continue
            if wants(person, TOPIC) == NotificationPreference.When.NEVER:
                continue
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(assignment=assignment, person=person)
            except IntegrityError:
                continue  # reminded already (for this assignment)
            transaction.on_commit(lambda pk=reminder.pk: send_reminder.enqueue(reminder_id=pk))
            sent += 1
    return sent


# -- The implementation path -----------------------------------------------------------------


@transaction.atomic
def start_path(*, program: Program, budget_hours: Decimal = Decimal("20")) -> ImplementationPath:
    """The program's path with the six default steps (once: a second click finds it)."""
    ensure_open(program, error=TrainingError)
    locked(program)
    path = ImplementationPath.objects.filter(program=program).first()
    if path is not None:
        return path
    path = ImplementationPath.objects.create(program=program, budget_hours=budget_hours)
    for order, (title, description) in enumerate(DEFAULT_STEPS):
        PathStep.objects.create(path=path, order=order, title=title, description=description)
    record(action="path.started", instance=path, program_id=program.pk)
    return path


@transaction.atomic
def update_path(
    *, path: ImplementationPath, seen: int | None, budget_hours: Decimal, accompanied_by: str
) -> ImplementationPath:
    ensure_open(path.program, error=TrainingError)
    path.budget_hours = budget_hours
    path.accompanied_by = accompanied_by.strip()
    TrainingError.check(path)
    return save_versioned(path, seen=seen, fields=["budget_hours", "accompanied_by"])


@transaction.atomic
def update_step(*, step: PathStep, seen: int | None, status: str, notes: str) -> PathStep:
    ensure_open(step.path.program, error=TrainingError)
    before = locked(step).status
    step.status = status
    step.notes = notes.strip()
    if status == PathStep.Status.DONE and step.done_on is None:
        step.done_on = timezone.localdate()
    elif status != PathStep.Status.DONE:
        step.done_on = None
    TrainingError.check(step)
    save_versioned(step, seen=seen, fields=["status", "notes", "done_on"])
    if before != status:
        record(
            action="path.step_status",
            instance=step,
            program_id=step.program_id,
            changes={"status": [before, status]},
        )
    return step


@transaction.atomic
def record_support(
    *, step: PathStep, by: Person | None, on: datetime.date, hours: Decimal, note: str = ""
) -> SupportEntry:
    """Hours of support spent on a step. Going over the budget is allowed (the page says it):
    the support happened, and the coordinator and the adviser decide what follows."""
    ensure_open(step.path.program, error=TrainingError)
    if on > timezone.localdate():
        raise TrainingError(
            _("Les heures se notent une fois faites : la date est à venir."), field="on"
        )
    entry = SupportEntry(step=step, by=by, on=on, hours=hours, note=note.strip())
    TrainingError.check(entry)
    entry.save()
    record(
        action="path.hours_recorded",
        instance=entry,
        program_id=step.program_id,
        changes={"hours": str(hours)},
    )
    return entry


def delete_support(*, entry: SupportEntry) -> None:
    ensure_open(entry.step.path.program, error=TrainingError)
    entry.delete()


def add_follow_up(*, path: ImplementationPath, on: datetime.date, note: str = "") -> FollowUp:
    ensure_open(path.program, error=TrainingError)
    follow_up = FollowUp(path=path, on=on, note=note.strip())
    TrainingError.check(follow_up)
    follow_up.save()
    return follow_up


@transaction.atomic
def mark_follow_up(*, follow_up: FollowUp, done: bool = True) -> FollowUp:
    ensure_open(follow_up.path.program, error=TrainingError)
    current = locked(follow_up)
    current.done_at = timezone.now() if done else None
    current.save(update_fields=["done_at"])
    return current

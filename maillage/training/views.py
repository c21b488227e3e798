"""Training pages: the coordinator's library, a module's quiz and assignments, who did what
(and its download); the participant's « Mes formations »; the implementation path.

Every page gets its program through `get_program` (404 without the right role) and its object
through the program, so that another program's module or step is a 404 too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillage.core.audit import record
from maillage.core.locking import StaleEdit
from maillage.core.models import Person
from maillage.core.tables import table_download
from maillage.programs.access import INSIDE, STAFF, get_program, post_only
from maillage.programs.models import Program

from . import selectors, services
from .errors import TrainingError
from .forms import (
    AssignForm,
    FollowUpForm,
    ModuleForm,
    PathForm,
    QuestionForm,
    StepForm,
    SupportForm,
    answers_from,
)
from .models import Assignment, FollowUp, ImplementationPath, Module, PathStep, QuizAttempt
from .starter import STARTERS

FILE_AGAIN = gettext_lazy(
    "Ce que vous avez écrit est conservé ; le fichier, lui, doit être choisi de nouveau."
)


def _person(request: HttpRequest) -> Person:
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    return person


def _module(program: Program, module_pk: int) -> Module:
    return get_object_or_404(Module, pk=module_pk, program=program)


def _error(form, error: TrainingError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# -- The coordinator's library ---------------------------------------------------------------


@login_required
def library(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    archived = request.GET.get("archives") == "1"
    copied = set(program.modules.exclude(starter="").values_list("starter", flat=True))
    return render(
        request,
        "training/library.html",
        {
            "program": program,
            "rows": selectors.module_rows(program, include_archived=archived),
            "archived_count": program.modules.exclude(archived_at=None).count(),
            "show_archived": archived,
            "starters": [(s, s.key in copied) for s in STARTERS],
            "summary": selectors.completion_summary(program),
            "section": "training",
        },
    )


@login_required
def module_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = ModuleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            values = {k: v for k, v in form.values().items() if k != "file"}
            file = form.cleaned_data["file"]
            module = services.create_module(program=program, by=request.user, file=file, **values)
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Module « %(t)s » créé.") % {"t": module.title})
            return redirect("training:module", pk=program.pk, module_pk=module.pk)
    if request.FILES.get("file") and form.errors:
        form.add_error(None, FILE_AGAIN)
    return render(
        request,
        "training/module_form.html",
        {"program": program, "form": form, "section": "training", "creating": True},
    )


@login_required
def copy_starter(request: HttpRequest, pk: int, starter: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    try:
        module = services.copy_starter(program=program, key=starter, by=request.user)
    except TrainingError as error:
        messages.error(request, error.message)
        return redirect("training:library", pk=program.pk)
    messages.success(
        request,
        _("« %(t)s » est copié dans votre bibliothèque : relisez-le, puis assignez-le.")
        % {"t": module.title},
    )
    return redirect("training:module", pk=program.pk, module_pk=module.pk)


def _module_page(request, program, module, *, question_form=None, assign_form=None, status=200):
    return render(
        request,
        "training/module.html",
        {
            "program": program,
            "module": module,
            "questions": module.questions.prefetch_related("choices"),
            "question_form": question_form or QuestionForm(),
            "assign_form": assign_form or AssignForm(program=program),
            "assignments": module.assignments.prefetch_related("people"),
            "dues": [d for d in selectors.assigned(program) if d.module.pk == module.pk],
            "section": "training",
        },
        status=status,
    )


@login_required
def module(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    return _module_page(request, program, _module(program, module_pk))


@login_required
def module_edit(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    form = ModuleForm(request.POST or None, request.FILES or None, instance=module)
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if k != "file"}
        try:
            services.update_module(
                module=module,
                seen=form.cleaned_data["revision"],
                file=form.cleaned_data["file"],
                **values,
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Module enregistré."))
            return redirect("training:module", pk=program.pk, module_pk=module.pk)
    if request.FILES.get("file") and (form.errors or conflict is not None):
        form.add_error(None, FILE_AGAIN)
    return render(
        request,
        "training/module_form.html",
        {
            "program": program,
            "module": module,
            "form": form,
            "conflict": conflict,
            "section": "training",
        },
    )


@login_required
def module_archive(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    if request.method != "POST":
        return post_only()
    archived = request.POST.get("archived") != "0"
    try:
        services.archive_module(module=module, archived=archived)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Module archivé : il ne figure plus dans la bibliothèque.")
            if archived
            else _("Module remis dans la bibliothèque."),
        )
    return redirect("training:module", pk=program.pk, module_pk=module.pk)


@login_required
def question_add(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    if request.method != "POST":
        return post_only()
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.add_question(
                module=module,
                text=form.cleaned_data["text"],
                choices=form.choices(),
                explanation=form.cleaned_data["explanation"],
            )
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Question ajoutée au questionnaire."))
            return redirect(f"{module_url(program, module)}#questionnaire")
    return _module_page(request, program, module, question_form=form, status=400)


@login_required
def question_delete(
    request: HttpRequest, pk: int, module_pk: int, question_pk: int
) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    question = get_object_or_404(module.questions, pk=question_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.delete_question(question=question)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Question retirée."))
    return redirect(f"{module_url(program, module)}#questionnaire")


@login_required
def assign(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    if request.method != "POST":
        return post_only()
    form = AssignForm(request.POST, program=program)
    if form.is_valid():
        try:
            assignment = services.assign_module(module=module, by=request.user, **form.cleaned_data)
        except TrainingError as error:
            _error(form, error)
        else:
            n = assignment.persons().count()
            messages.success(request, _assigned_message(n))
            return redirect(f"{module_url(program, module)}#assignations")
    return _module_page(request, program, module, assign_form=form, status=400)


def _assigned_message(n: int) -> str:
    return ngettext(
        "Module assigné : %(n)s personne le voit dans « Mes formations ».",
        "Module assigné : %(n)s personnes le voient dans « Mes formations ».",
        n,
    ) % {"n": n}


@login_required
def assignment_cancel(
    request: HttpRequest, pk: int, module_pk: int, assignment_pk: int
) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    module = _module(program, module_pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, module=module)
    if request.method != "POST":
        return post_only()
    try:
        services.cancel_assignment(assignment=assignment)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assignation retirée ; ce qui a été fait reste noté."))
    return redirect(f"{module_url(program, module)}#assignations")


def module_url(program: Program, module: Module) -> str:
    return reverse("training:module", args=[program.pk, module.pk])


@login_required
def document(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    """The only way a module's stored document leaves the server: the coordination, or a person
    the module is assigned to."""
    program = get_program(request, pk, INSIDE)
    if "coordinator" in request.program_roles:
        module = _module(program, module_pk)
    else:
        module = get_object_or_404(
            Module.objects.assigned_to(_person(request), program), pk=module_pk
        )
    if not module.file:
        raise Http404
    try:
        handle = module.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(action="download", instance=module, program_id=program.pk)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=module.original_name or "document",
        content_type=module.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# -- Who did what ----------------------------------------------------------------------------


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dues = selectors.assigned(program)
    people: dict[int, dict] = {}
    for due in dues:
        row = people.setdefault(due.person.pk, {"person": due.person, "dues": []})
        row["dues"].append(due)
    return render(
        request,
        "training/progress.html",
        {"program": program, "people": list(people.values()), "section": "training"},
    )


STATUS_WORDS = {
    "done": gettext_lazy("Terminé"),
    "passed": gettext_lazy("Questionnaire réussi"),
    "started": gettext_lazy("Commencé"),
    "todo": gettext_lazy("À faire"),
}


@login_required
def progress_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    rows = []
    for due in selectors.assigned(program):
        c = due.completion
        rows.append(
            [
                due.person.last_name,
                due.person.first_name,
                str(dict(Assignment._meta.get_field("kind").choices)[due.kind]),
                due.module.title,
                due.due_on.isoformat() if due.due_on else "",
                str(STATUS_WORDS[due.status]),
                c.attempts if c else 0,
                c.best_score if c and c.best_score is not None else "",
                c.passed_at.date().isoformat() if c and c.passed_at else "",
                c.completed_at.date().isoformat() if c and c.completed_at else "",
            ]
        )
    headers = [
        _("Nom"),
        _("Prénom"),
        _("Rôle"),
        _("Module"),
        _("Échéance"),
        _("État"),
        _("Essais au questionnaire"),
        _("Meilleur résultat (%)"),
        _("Questionnaire réussi le"),
        _("Terminé le"),
    ]
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("formations"),
        instance=program,
        by=request.user,
        kind="training",
    )


# -- The participant's « Mes formations » ------------------------------------------------------


@login_required
def my_trainings(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    dues = selectors.assigned(program, person=_person(request))
    return render(
        request,
        "training/my_trainings.html",
        {
            "program": program,
            "todo": [d for d in dues if d.waiting],
            "done": [d for d in dues if d.status == "done"],
            "section": "my_trainings",
        },
    )


@login_required
def my_module(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    person = _person(request)
    module = get_object_or_404(Module.objects.assigned_to(person, program), pk=module_pk)
    error = None
    if request.method == "POST":
        try:
            attempt = services.submit_quiz(
                module=module, person=person, answers=answers_from(request.POST, module)
            )
        except TrainingError as refused:
            error = refused.message
        else:
            return redirect(f"{request.path}?essai={attempt.pk}#resultat")
    completion = (
        services.open_module(module=module, person=person)
        if not program.is_closed()
        else module.completions.filter(person=person).first()
    )
    attempt = _attempt(request, completion)
    return render(
        request,
        "training/my_module.html",
        {
            "program": program,
            "module": module,
            "completion": completion,
            "questions": _quiz(module, attempt, request.POST if error else None),
            "attempt": attempt,
            "error": error,
            "section": "my_trainings",
        },
        status=400 if error else 200,
    )


def _attempt(request: HttpRequest, completion) -> QuizAttempt | None:
    raw = request.GET.get("essai", "")
    if completion is None or not raw.isdigit():
        return None
    return completion.tries.filter(pk=int(raw)).first()


def _quiz(module: Module, attempt: QuizAttempt | None, posted) -> list[dict]:
    """Each question with its choices, what was chosen (after a try, or as posted) and, after
    a try, whether it was right: the participant sees the right answers, never a number."""
    rows = []
    for question in module.questions.prefetch_related("choices"):
        if attempt is not None:
            chosen = set(attempt.answers.get(str(question.pk), []))
        elif posted is not None:
            chosen = {int(v) for v in posted.getlist(f"q{question.pk}") if v.isdigit()}
        else:
            chosen = set()
        rows.append(
            {
                "question": question,
                "multiple": question.several_right(),
                "choices": [(c, c.pk in chosen) for c in question.choices.all()],
                "right": chosen == question.right_ids() if attempt is not None else None,
            }
        )
    return rows


@login_required
def my_module_done(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    program = get_program(request, pk, INSIDE)
    person = _person(request)
    module = get_object_or_404(Module.objects.assigned_to(person, program), pk=module_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.complete_module(module=module, person=person)
    except TrainingError as error:
        messages.error(request, error.message)
        return redirect("training:my_module", pk=program.pk, module_pk=module.pk)
    messages.success(request, _("Bravo : « %(t)s » est terminé.") % {"t": module.title})
    return redirect("training:mine", pk=program.pk)


# -- The implementation path -----------------------------------------------------------------


def _path(program: Program) -> ImplementationPath:
    path = ImplementationPath.objects.filter(program=program).first()
    if path is None:
        raise Http404
    return path


@login_required
def path(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method == "POST":
        try:
            services.start_path(program=program)
        except TrainingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Parcours commencé avec les six étapes du Parcours en mentorat inclusif."),
            )
        return redirect("training:path", pk=program.pk)
    found = ImplementationPath.objects.filter(program=program).first()
    steps = found.steps.prefetch_related("support") if found else []
    return render(
        request,
        "training/path.html",
        {
            "program": program,
            "path": found,
            "steps": steps,
            "follow_ups": found.follow_ups.all() if found else [],
            "follow_up_form": FollowUpForm(),
            "section": "path",
        },
    )


@login_required
def path_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    found = _path(program)
    form = PathForm(request.POST or None, instance=found)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_path(
                path=found,
                seen=form.cleaned_data["revision"],
                budget_hours=form.cleaned_data["budget_hours"],
                accompanied_by=form.cleaned_data["accompanied_by"],
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Parcours enregistré."))
            return redirect("training:path", pk=program.pk)
    return render(
        request,
        "training/path_edit.html",
        {"program": program, "path": found, "form": form, "conflict": conflict, "section": "path"},
    )


@login_required
def step(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    found = get_object_or_404(PathStep, pk=step_pk, path__program=program)
    form = StepForm(request.POST if "status" in request.POST else None, instance=found)
    support_form = SupportForm(request.POST if "hours" in request.POST else None)
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            services.update_step(
                step=found,
                seen=form.cleaned_data["revision"],
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Étape « %(t)s » enregistrée.") % {"t": found.title})
            return redirect("training:path", pk=program.pk)
    if support_form.is_bound and support_form.is_valid():
        try:
            services.record_support(
                step=found,
                by=Person.objects.filter(user=request.user).first(),
                **support_form.cleaned_data,
            )
        except TrainingError as error:
            _error(support_form, error)
        else:
            messages.success(request, _hours_message(found.path))
            return redirect("training:step", pk=program.pk, step_pk=found.pk)
    return render(
        request,
        "training/step.html",
        {
            "program": program,
            "path": found.path,
            "step": found,
            "form": form,
            "support_form": support_form,
            "conflict": conflict,
            "section": "path",
        },
        status=400 if (form.errors or support_form.errors) else 200,
    )


def _hours_message(found: ImplementationPath) -> str:
    remaining = found.hours_remaining()
    if remaining < 0:
        return _("Heures notées. Le budget d’accompagnement est dépassé de %(h)s h.") % {
            "h": floatformat(found.hours_over(), "-1")
        }
    return _("Heures notées. Il reste %(h)s h d’accompagnement.") % {
        "h": floatformat(remaining, "-1")
    }


@login_required
def support_delete(request: HttpRequest, pk: int, step_pk: int, entry_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    found = get_object_or_404(PathStep, pk=step_pk, path__program=program)
    entry = get_object_or_404(found.support, pk=entry_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.delete_support(entry=entry)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Heures retirées."))
    return redirect("training:step", pk=program.pk, step_pk=found.pk)


@login_required
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    found = _path(program)
    if request.method != "POST":
        return post_only()
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(path=found, **form.cleaned_data)
        except TrainingError as error:
            _error(form, error)
        else:
            messages.success(request, _("Suivi post-déploiement planifié."))
            return redirect(f"{_path_url(program)}#suivis")
    return render(
        request,
        "training/path.html",
        {
            "program": program,
            "path": found,
            "steps": found.steps.prefetch_related("support"),
            "follow_ups": found.follow_ups.all(),
            "follow_up_form": form,
            "section": "path",
        },
        status=400,
    )


@login_required
def follow_up_done(request: HttpRequest, pk: int, follow_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    follow_up = get_object_or_404(FollowUp, pk=follow_pk, path__program=program)
    if request.method != "POST":
        return post_only()
    try:
        services.mark_follow_up(follow_up=follow_up, done=request.POST.get("done") != "0")
    except TrainingError as error:
        messages.error(request, error.message)
    return redirect(f"{_path_url(program)}#suivis")


def _path_url(program: Program) -> str:
    return reverse("training:path", args=[program.pk])

"""Pages of inclusion: the coordination's groups, objectives and indicators; each person's own
self-identification, from « Mon compte » and from the program."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.locking import StaleEdit
from maillage.core.models import Person
from maillage.core.smallcell import small_cell_k
from maillage.core.tables import table_download
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program, Role

from . import selectors, services
from .defaults import DEFAULT_GROUPS
from .errors import InclusionError
from .forms import DeclareForm, GroupAddForm, GroupForm
from .models import InclusionConsent, InclusionGroup, Purpose

PARTICIPANTS = (Role.Kind.MENTOR, Role.Kind.MENTEE)


def _show(form: Any, error: InclusionError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- The coordination ---------------------------------------------------------------------------


def _home(request: HttpRequest, program: Program, add_form: GroupAddForm | None = None):
    tracked = set(program.inclusion_groups.values_list("key", flat=True))
    return render(
        request,
        "inclusion/home.html",
        {
            "program": program,
            "section": "inclusion",
            "groups": program.inclusion_groups.all(),
            "defaults": [g for g in DEFAULT_GROUPS if g["key"] not in tracked],
            "add_form": add_form or GroupAddForm(),
            "ind": selectors.indicators(program),
        },
    )


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    """The groups the program tracks, its objectives, and the indicators against them."""
    return _home(request, get_program(request, pk, STAFF))


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The indicators as the page shows them, as CSV or Excel (« x » where the page masks)."""
    program = get_program(request, pk, STAFF)
    headers, rows = selectors.indicators_table(selectors.indicators(program))
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("indicateurs d’inclusion"),
        instance=program,
        by=request.user,
        kind="inclusion_indicators",
    )


@login_required
def group_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    form = GroupAddForm(request.POST if "key" not in request.POST else None)
    key = request.POST.get("key", "")
    if key or form.is_valid():
        data = {"key": key} if key else form.cleaned_data
        try:
            group = services.add_group(program=program, by=request.user, **data)
            messages.success(request, _("Groupe ajouté : %(g)s.") % {"g": group.label})
            return redirect("inclusion:home", pk=program.pk)
        except InclusionError as error:
            if key:
                messages.error(request, error.message)
                return redirect("inclusion:home", pk=program.pk)
            _show(form, error)
    return _home(request, program, add_form=form)


@login_required
def group_edit(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    group = get_object_or_404(InclusionGroup, pk=group_pk, program=program)
    form = GroupForm(request.POST or None, instance=group)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            services.update_group(
                group=group, by=request.user, seen=form.cleaned_data["revision"], **data
            )
            messages.success(request, _("Groupe et objectifs enregistrés."))
            return redirect("inclusion:home", pk=program.pk)
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except InclusionError as error:
            _show(form, error)
    context = {"program": program, "group": group, "form": form, "conflict": conflict}
    return render(request, "inclusion/group.html", {**context, "section": "inclusion"})


@login_required
def group_remove(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    group = get_object_or_404(InclusionGroup, pk=group_pk, program=program)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_group(group=group, by=request.user)
        messages.success(request, _("Le programme ne suit plus ce groupe : %(g)s.") % {"g": group})
    except InclusionError as error:
        messages.error(request, error.message)
    return redirect("inclusion:home", pk=program.pk)


# --- The person ----------------------------------------------------------------------------------


def _own(request: HttpRequest, pk: int) -> tuple[Program, Person, list[str]]:
    """The program and the person, who must be a mentor or a mentee in it (else 404)."""
    program = get_program(request, pk, PARTICIPANTS)
    person = getattr(request.user, "person", None)
    kinds = list(
        program.roles.of_user(request.user)
        .filter(kind__in=PARTICIPANTS)
        .values_list("kind", flat=True)
    )
    if person is None or not kinds:  # a superuser without a role of her own here
        raise Http404
    return program, person, kinds


def _mine(request: HttpRequest, program: Program, person: Person, kinds: list[str], forms=None):
    answers = selectors.answers_of(person, program)
    forms = forms or {}
    for purpose, answer in answers.items():
        initial = {"members": answer.members, "wishes": answer.wishes}
        forms.setdefault(purpose, DeclareForm(program=program, purpose=purpose, initial=initial))
    k = small_cell_k()
    sections = [
        {
            "answer": answers[p],
            "form": forms[p],
            "text": services.consent_text(program, p, k=k),
        }
        for p in Purpose.values
    ]
    context = {
        "program": program,
        "section": "my_inclusion",
        "sections": sections,
        "is_mentee": Role.Kind.MENTEE in kinds,
        "has_groups": program.inclusion_groups.exists(),
        "k": k,
    }
    return render(request, "inclusion/mine.html", context)


@login_required
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """« Mon auto-identification »: optional, one purpose at a time, visible to the person only."""
    program, person, kinds = _own(request, pk)
    if request.method != "POST":
        return _mine(request, program, person, kinds)
    # Each purpose's form has its prefix: its hidden field says which one was sent.
    purpose = next((p for p in Purpose.values if request.POST.get(f"{p}-purpose") == p), None)
    if purpose is None:
        raise Http404
    form = DeclareForm(request.POST, program=program, purpose=purpose)
    if form.is_valid():
        try:
            services.declare(
                person=person,
                program=program,
                purpose=purpose,
                by=request.user,
                members=list(form.cleaned_data["members"]),
                wishes=list(form.cleaned_data.get("wishes") or []),
                consented=form.cleaned_data["consent"],
                k=small_cell_k(),
            )
            messages.success(request, _("Votre réponse est enregistrée. Merci."))
            return redirect("inclusion:mine", pk=program.pk)
        except InclusionError as error:
            _show(form, error)
    return _mine(request, program, person, kinds, forms={purpose: form})


def _answer(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    program, person, _kinds = _own(request, pk)
    if request.method != "POST":
        return post_only()
    purpose = request.POST.get("purpose", "")
    if purpose not in Purpose.values:
        raise Http404
    try:
        action(person=person, program=program, purpose=purpose, by=request.user)
        messages.success(request, done)
    except InclusionError as error:
        messages.error(request, error.message)
    return redirect("inclusion:mine", pk=program.pk)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request, pk, services.withdraw, _("Votre réponse est retirée et effacée. Merci.")
    )


@login_required
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        services.decline,
        _("C’est noté : vous préférez ne pas répondre. Nous ne vous le demanderons plus."),
    )


@login_required
def my_account(request: HttpRequest) -> HttpResponse:
    """From « Mon compte »: the programs where the person may answer, and what they answered."""
    person = getattr(request.user, "person", None)
    rows = selectors.my_programs(person) if person is not None else []
    return render(request, "inclusion/my_account.html", {"rows": rows})


@login_required
def withdraw_consent(request: HttpRequest, consent_pk: int) -> HttpResponse:
    """From « Mes consentements »: withdraw one consent, as the program's own page does (the
    answers given under it are deleted). Another person's consent is a 404."""
    person = getattr(request.user, "person", None)
    consent = get_object_or_404(
        InclusionConsent.objects.select_related("program"), pk=consent_pk, person=person
    )
    if request.method != "POST":
        return post_only()
    if consent.withdrawn_at is not None:  # a second click: the first one did it
        messages.info(request, _("Ce consentement est déjà retiré."))
        return redirect("programs:my_consents")
    try:
        services.withdraw(
            person=person, program=consent.program, purpose=consent.purpose, by=request.user
        )
        messages.success(request, _("Votre consentement est retiré et vos réponses sont effacées."))
    except InclusionError as error:
        messages.error(request, error.message)
    return redirect("programs:my_consents")

"""Pages of recruiting: the form builder and the potential mentors (coordination only), and the
public interest form (anyone with its link)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core.ratelimit import client_address
from maillage.core.tables import table_download
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program

from . import selectors, services
from .errors import IntakeError, SubmissionLimited
from .forms import (
    FormTextsForm,
    MentorContactForm,
    PotentialMentorAddForm,
    PotentialMentorEditForm,
    PublicForm,
    QuestionForm,
    StatusForm,
    field_name,
)
from .models import InterestForm, PotentialMentor, Question
from .rendering import cached_page
from .rendering import public_form as public_form_of


def _show_error(form, error: IntakeError, names: dict[str, str] | None = None) -> None:
    """Put a service's error next to the field it is about, or at the top of the form."""
    field = (names or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


# --- The builder -------------------------------------------------------------------------------


def _program_form(request: HttpRequest, pk: int, form_pk: int) -> tuple[Program, InterestForm]:
    program = get_program(request, pk, STAFF)
    return program, get_object_or_404(InterestForm, pk=form_pk, program=program)


@login_required
def forms_list(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    forms = selectors.forms_of(program)
    return render(
        request, "intake/forms_list.html", {"program": program, "forms": forms, "section": "forms"}
    )


@login_required
def forms_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    headers, rows = selectors.forms_table(program)
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("formulaires"),
        instance=program,
        by=request.user,
    )


@login_required
def form_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    audience = request.POST.get("audience", InterestForm.Audience.MENTEE)
    if audience not in InterestForm.Audience.values:
        audience = InterestForm.Audience.MENTEE
    form = services.create_default_form(program=program, audience=audience)
    messages.success(
        request,
        _(
            "Formulaire créé à partir du modèle du projet pilote. Il est fermé : ouvrez-le quand il est prêt."
        )
        if not form.is_open
        else _("Formulaire créé à partir du modèle du projet pilote."),
    )
    return redirect("intake:form_edit", pk=program.pk, form_pk=form.pk)


@login_required
def form_toggle(request: HttpRequest, pk: int, form_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    if request.method != "POST":
        return post_only()
    services.set_form_open(form=form, is_open=not form.is_open)
    messages.success(
        request, _("Le formulaire est ouvert.") if form.is_open else _("Le formulaire est fermé.")
    )
    return redirect("intake:forms", pk=program.pk)


@login_required
def form_edit(request: HttpRequest, pk: int, form_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    # The ModelForm works on a copy: the service compares the old texts with the new ones.
    texts = FormTextsForm(request.POST or None, instance=InterestForm.objects.get(pk=form.pk))
    if request.method == "POST" and texts.is_valid():
        version = form.consent_version
        try:
            services.update_form_texts(form=form, **texts.cleaned_data)
        except IntakeError as error:
            _show_error(texts, error)
        else:
            messages.success(request, _("Textes enregistrés."))
            if form.consent_version != version:
                messages.info(
                    request,
                    _("Nouvelle version du consentement : %(v)s.") % {"v": form.consent_version},
                )
            return redirect("intake:form_edit", pk=program.pk, form_pk=form.pk)
    return render(
        request,
        "intake/form_edit.html",
        {
            "program": program,
            "interest_form": form,
            "texts": texts,
            "questions": form.questions.all(),
            "section": "forms",
        },
    )


@login_required
def form_edit_export(request: HttpRequest, pk: int, form_pk: int, fmt: str) -> HttpResponse:
    _program, form = _program_form(request, pk, form_pk)
    headers, rows = selectors.questions_table(form)
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=_("questions"), instance=form, by=request.user
    )


@login_required
def form_preview(request: HttpRequest, pk: int, form_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    lang = _visitor_language(request)
    with translation.override(lang):
        public = PublicForm(interest_form=form)
        response = render(
            request,
            "intake/public_form.html",
            {
                "interest_form": form,
                "form": public,
                "lang": lang,
                "preview": True,
                "program": program,
            },
        )
    response["Content-Language"] = lang
    return response


def _questions_response(request: HttpRequest, program: Program, form: InterestForm) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return render(
            request,
            "intake/includes/questions.html",
            {"program": program, "interest_form": form, "questions": form.questions.all()},
        )
    return redirect(f"{_edit_url(program, form)}#questions")


def _edit_url(program: Program, form: InterestForm) -> str:
    return reverse("intake:form_edit", kwargs={"pk": program.pk, "form_pk": form.pk})


@login_required
def question_add(request: HttpRequest, pk: int, form_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    question_form = QuestionForm(request.POST or None)
    if request.method == "POST" and question_form.is_valid():
        try:
            services.add_question(form=form, **question_form.service_fields())
        except IntakeError as error:
            _show_error(question_form, error, {"choices": "choices_text"})
        else:
            messages.success(request, _("Question ajoutée."))
            return redirect(f"{_edit_url(program, form)}#questions")
    return render(
        request,
        "intake/question_form.html",
        {"program": program, "interest_form": form, "form": question_form, "section": "forms"},
    )


@login_required
def question_edit(request: HttpRequest, pk: int, form_pk: int, question_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    question = get_object_or_404(Question, pk=question_pk, form=form)
    question_form = QuestionForm(
        request.POST or None, instance=Question.objects.get(pk=question.pk)
    )
    if request.method == "POST" and question_form.is_valid():
        try:
            services.update_question(question=question, **question_form.service_fields())
        except IntakeError as error:
            _show_error(question_form, error, {"choices": "choices_text"})
        else:
            messages.success(request, _("Question enregistrée."))
            return redirect(f"{_edit_url(program, form)}#questions")
    return render(
        request,
        "intake/question_form.html",
        {
            "program": program,
            "interest_form": form,
            "form": question_form,
            "question": question,
            "section": "forms",
        },
    )


@login_required
def question_delete(request: HttpRequest, pk: int, form_pk: int, question_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    question = get_object_or_404(Question, pk=question_pk, form=form)
    if request.method != "POST":
        return post_only()
    services.delete_question(question=question)
    if not request.headers.get("HX-Request"):
        messages.success(
            request, _("Question supprimée. Les réponses déjà reçues sont conservées.")
        )
    return _questions_response(request, program, form)


@login_required
def question_move(request: HttpRequest, pk: int, form_pk: int, question_pk: int) -> HttpResponse:
    program, form = _program_form(request, pk, form_pk)
    question = get_object_or_404(Question, pk=question_pk, form=form)
    if request.method != "POST":
        return post_only()
    try:
        services.move_question(
            question=question, direction=request.POST.get("direction", ""), by=request.user
        )
    except IntakeError as error:
        messages.error(request, error.message)
    return _questions_response(request, program, form)


# --- The public form ---------------------------------------------------------------------------


def _visitor_language(request: HttpRequest) -> str:
    """French unless the visitor asked for English, by the link or the site's language switch."""
    for choice in (
        request.GET.get("lang"),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
    ):
        if choice in ("fr", "en"):
            return choice
    return "fr"


def public_form(request: HttpRequest, token: str) -> HttpResponse:
    interest_form = public_form_of(token)
    lang = _visitor_language(request)
    with translation.override(lang):
        context = {"interest_form": interest_form, "lang": lang}
        if not interest_form.is_accepting():
            response = render(request, "intake/public_closed.html", context, status=410)
        elif request.method != "POST":
            response = cached_page(
                request,
                page="form",
                interest_form=interest_form,
                lang=lang,
                render=lambda marks: render(
                    request,
                    "intake/public_form.html",
                    {**context, "form": PublicForm(interest_form=interest_form), **marks},
                ),
            )
        else:
            form = PublicForm(request.POST, interest_form=interest_form)
            response = _submit(request, form, lang) or render(
                request, "intake/public_form.html", {**context, "form": form}
            )
    response["Content-Language"] = lang
    return response


def _submit(request: HttpRequest, form: PublicForm, lang: str) -> HttpResponse | None:
    """Save a valid answer and show the thanks page; None to show the form again."""
    if form.is_bot():
        return _thanks(request, form.interest_form, lang)  # Say nothing to a bot.
    if not form.is_valid():
        return None
    try:
        services.submit_application(
            form=form.interest_form,
            questions=form.questions,
            answers=form.answers(),
            consent=True,
            language=lang,
            client=client_address(request),
        )
    except SubmissionLimited as error:
        # What was typed stays in the form; 429 tells scripts (and tests) what happened.
        form.add_error(None, error.message)
        context = {"interest_form": form.interest_form, "lang": lang, "form": form, "limited": True}
        return render(request, "intake/public_form.html", context, status=429)
    except IntakeError as error:
        names = {q.key: field_name(q) for q in form.questions}
        _show_error(form, error, names)
        return None
    return _thanks(request, form.interest_form, lang)


def _thanks(request: HttpRequest, interest_form: InterestForm, lang: str) -> HttpResponse:
    """The thanks page as the answer to the POST itself, not a redirect to it: one request
    fewer per answer (issue 14: three requests were the public form's ceiling), the same page
    as `public_thanks`. The page puts the thanks address in the address bar (`replace-url.js`),
    so that a reload reads that page; a browser without script that sends the form again gets
    the same page and a word that nothing was doubled (`core.once`: `once_result` is where a
    repeat goes)."""
    where = f"{_thanks_url(interest_form)}?lang={lang}"
    response = _thanks_page(request, interest_form, lang, where)
    response.once_result = where
    return response


def _thanks_url(interest_form: InterestForm) -> str:
    return _thanks_address(get_script_prefix(), interest_form.token)


@functools.lru_cache(maxsize=1024)
def _thanks_address(prefix: str, token: str) -> str:
    """`reverse` once per form (and script prefix) in a process, not at every answer: a
    twentieth of an answer's Python (issue 14). The prefix is in the key, since it comes from
    the request (SCRIPT_NAME); a token never changes its address."""
    return reverse("intake:public_thanks", args=[token])


def public_thanks(request: HttpRequest, token: str) -> HttpResponse:
    interest_form = public_form_of(token)
    lang = _visitor_language(request)
    with translation.override(lang):
        response = _thanks_page(request, interest_form, lang, "")
    response["Content-Language"] = lang
    return response


def _thanks_page(
    request: HttpRequest, interest_form: InterestForm, lang: str, where: str
) -> HttpResponse:
    """`where`: the thanks page's own address when it answers the form's POST."""
    context = {"interest_form": interest_form, "lang": lang, "thanks_url": where}
    if where:
        # The language switch comes back to the thanks page, not to the form it answered.
        context["language_next"] = _thanks_url(interest_form)
    return cached_page(
        request,
        page=f"thanks:{interest_form.program.updated_at.isoformat()}",
        interest_form=interest_form,
        lang=lang,
        render=lambda marks: render(request, "intake/public_thanks.html", {**context, **marks}),
    )


# --- Potential mentors -------------------------------------------------------------------------


@login_required
def potential_mentors(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    return render(
        request,
        "intake/potential_mentors.html",
        {
            "program": program,
            "mentors": selectors.potential_mentors_of(program),
            "section": "mentors",
        },
    )


@login_required
def potential_mentors_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    headers, rows = selectors.potential_mentors_table(program)
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("mentors potentiels"),
        instance=program,
        by=request.user,
    )


@login_required
def potential_mentor_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = PotentialMentorAddForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            mentor = services.add_potential_mentor(
                program=program, by=request.user, **form.service_fields()
            )
        except IntakeError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("%(name)s ajouté·e à la liste.") % {"name": mentor.person})
            return redirect("intake:potential_mentors", pk=program.pk)
    return render(
        request,
        "intake/potential_mentor_add.html",
        {"program": program, "form": form, "section": "mentors"},
    )


def _program_mentor(
    request: HttpRequest, pk: int, mentor_pk: int
) -> tuple[Program, PotentialMentor]:
    program = get_program(request, pk, STAFF)
    mentor = get_object_or_404(
        PotentialMentor.objects.select_related("person__organization", "track"),
        pk=mentor_pk,
        program=program,
    )
    return program, mentor


@login_required
def potential_mentor(request: HttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    program, mentor = _program_mentor(request, pk, mentor_pk)
    form = PotentialMentorEditForm(
        request.POST or None, program=program, initial=PotentialMentorEditForm.initial_for(mentor)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_potential_mentor(potential_mentor=mentor, **form.service_fields())
        except IntakeError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Fiche enregistrée."))
            return redirect("intake:potential_mentor", pk=program.pk, mentor_pk=mentor.pk)
    return _mentor_page(request, program, mentor, form=form)


def _mentor_page(request, program, mentor, *, form=None, contact_form=None, status=200):
    return render(
        request,
        "intake/potential_mentor.html",
        {
            "program": program,
            "mentor": mentor,
            "form": form
            or PotentialMentorEditForm(
                program=program, initial=PotentialMentorEditForm.initial_for(mentor)
            ),
            "contact_form": contact_form or MentorContactForm(prefix="contact"),
            "contacts": mentor.contacts.select_related("by__person"),
            "statuses": PotentialMentor.Status.choices,
            "section": "mentors",
        },
        status=status,
    )


@login_required
def potential_mentor_export(
    request: HttpRequest, pk: int, mentor_pk: int, fmt: str
) -> HttpResponse:
    _program, mentor = _program_mentor(request, pk, mentor_pk)
    headers, rows = selectors.contacts_table(mentor)
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=_("contacts"), instance=mentor, by=request.user
    )


@login_required
def potential_mentor_contact(request: HttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    program, mentor = _program_mentor(request, pk, mentor_pk)
    if request.method != "POST":
        return post_only()
    form = MentorContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.log_mentor_contact(
                potential_mentor=mentor, by=request.user, **form.cleaned_data
            )
        except IntakeError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Contact ajouté à l’historique."))
            return redirect("intake:potential_mentor", pk=program.pk, mentor_pk=mentor.pk)
    return _mentor_page(request, program, mentor, contact_form=form, status=400)


@login_required
def potential_mentor_status(request: HttpRequest, pk: int, mentor_pk: int) -> HttpResponse:
    program, mentor = _program_mentor(request, pk, mentor_pk)
    if request.method != "POST":
        return post_only()
    form = StatusForm(request.POST)
    if form.is_valid():
        services.set_potential_mentor_status(potential_mentor=mentor, **form.cleaned_data)
        if mentor.status == PotentialMentor.Status.ACCEPTED:
            messages.success(
                request,
                _("%(name)s est maintenant mentor·e du programme.") % {"name": mentor.person},
            )
        else:
            messages.success(
                request, _("Statut enregistré : %(s)s.") % {"s": mentor.get_status_display()}
            )
    else:
        messages.error(request, _("Choisissez un statut."))
    return redirect("intake:potential_mentor", pk=program.pk, mentor_pk=mentor.pk)

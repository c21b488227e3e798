"""Pages of evaluation. Program pages go through `get_program` (404 for anyone without the
right role); personal-link pages through the token alone, scoped to one person and one object."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.audit import record_view
from maillage.core.tables import table_download
from maillage.programs.access import get_program, post_only
from maillage.programs.models import Program, Role

from . import selectors, services
from .errors import EvaluationError
from .forms import (
    AnswerForm,
    CorrectionForm,
    InterviewForm,
    ObserverNoteForm,
    QuestionForm,
    QuestionnaireForm,
    QuoteForm,
    RoundForm,
)
from .models import (
    Answer,
    FinalInterview,
    Invitation,
    Question,
    Questionnaire,
    Quote,
    Round,
)

Kind = Role.Kind
COORDINATION = (Kind.COORDINATOR,)
# Those who read answers and notes, record interviews and mark quotes.
EVALUATORS = (Kind.COORDINATOR, Kind.OBSERVER)
PARTICIPANTS = (Kind.MENTOR, Kind.MENTEE)
EVERYONE = EVALUATORS + PARTICIPANTS


# Model fields edited through another form field.
FORM_FIELD = {"choices": "choices_text"}


def _show_error(form: Any, error: EvaluationError) -> None:
    field = FORM_FIELD.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


def _page(request: HttpRequest, template: str, program: Program, **context: Any) -> HttpResponse:
    return render(
        request, f"evaluation/{template}", {"program": program, "section": "evaluation", **context}
    )


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    return person


# --- Home --------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, EVERYONE)
    if not request.program_roles & set(EVALUATORS):
        return _page(
            request,
            "my_evaluation.html",
            program,
            invitations=Invitation.objects.of_user(request.user)
            .filter(round__program=program, sent_at__isnull=False)
            .select_related("round__questionnaire"),
            today=timezone.localdate(),
            interviews=FinalInterview.objects.filter(
                program=program, participant__person__user=request.user
            ).exclude(status=FinalInterview.Status.DRAFT),
            quotes=Quote.objects.filter(
                program=program, speaker__person__user=request.user
            ).exclude(status=Quote.Status.MARKED),
        )
    return _page(
        request,
        "home.html",
        program,
        questionnaires=program.questionnaires.all(),
        rounds=selectors.program_rounds(program),
        indicators=selectors.program_indicators(program),
        interviews=program.final_interviews.select_related("participant__person"),
        quotes=program.quotes.select_related("speaker"),
        is_coordinator=Kind.COORDINATOR in request.program_roles,
    )


def _download(request: HttpRequest, fmt: str, table: Any, name: str, instance: Any) -> Any:
    headers, rows = table
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=name, instance=instance, by=request.user
    )


@login_required
def rounds_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    return _download(request, fmt, selectors.rounds_table(program), _("envois"), program)


@login_required
def interviews_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    return _download(request, fmt, selectors.interviews_table(program), _("entrevues"), program)


# --- Questionnaire builder (coordination) ------------------------------------------------------


@login_required
def questionnaire_template(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    if request.method != "POST":
        return post_only()
    try:
        questionnaire = services.create_questionnaire_from_template(
            program=program, kind=request.POST.get("kind", "")
        )
    except EvaluationError as error:
        messages.error(request, error.message)
        return redirect("evaluation:home", program.pk)
    messages.success(request, _("Questionnaire créé à partir du modèle du projet pilote."))
    return redirect("evaluation:questionnaire", program.pk, questionnaire.pk)


@login_required
def questionnaire_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.create_questionnaire(program=program, **form.cleaned_data)
        messages.success(request, _("Questionnaire créé. Ajoutez-y des questions."))
        return redirect("evaluation:questionnaire", program.pk, questionnaire.pk)
    return _page(request, "questionnaire_new.html", program, form=form)


@login_required
def questionnaire(request: HttpRequest, pk: int, q_pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    item = get_object_or_404(Questionnaire, pk=q_pk, program=program)
    form = QuestionnaireForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.update_questionnaire(questionnaire=item, **form.cleaned_data)
        messages.success(request, _("Questionnaire enregistré."))
        return redirect("evaluation:questionnaire", program.pk, item.pk)
    return _page(
        request,
        "questionnaire.html",
        program,
        questionnaire=item,
        form=form,
        questions=item.questions.all(),
        question_form=QuestionForm(prefix="new"),
    )


@login_required
def question_edit(
    request: HttpRequest, pk: int, q_pk: int, question_pk: int | None = None
) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    item = get_object_or_404(Questionnaire, pk=q_pk, program=program)
    question = (
        get_object_or_404(Question, pk=question_pk, questionnaire=item) if question_pk else None
    )
    prefix = None if question else "new"
    form = QuestionForm(request.POST or None, instance=question, prefix=prefix)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_question(questionnaire=item, question=question, **form.service_fields())
        except EvaluationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Question enregistrée."))
            return redirect("evaluation:questionnaire", program.pk, item.pk)
    return _page(
        request, "question_form.html", program, questionnaire=item, question=question, form=form
    )


@login_required
def question_delete(request: HttpRequest, pk: int, q_pk: int, question_pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    question = get_object_or_404(
        Question, pk=question_pk, questionnaire__pk=q_pk, questionnaire__program=program
    )
    if request.method != "POST":
        return post_only()
    try:
        services.delete_question(question=question)
        messages.success(request, _("Question retirée."))
    except EvaluationError as error:
        messages.error(request, error.message)
    return redirect("evaluation:questionnaire", program.pk, q_pk)


@login_required
def question_move(request: HttpRequest, pk: int, q_pk: int, question_pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    question = get_object_or_404(
        Question, pk=question_pk, questionnaire__pk=q_pk, questionnaire__program=program
    )
    if request.method != "POST":
        return post_only()
    try:
        services.move_question(
            question=question, direction=request.POST.get("direction", "down"), by=request.user
        )
    except EvaluationError as error:
        messages.error(request, error.message)
    return redirect("evaluation:questionnaire", program.pk, q_pk)


@login_required
def questionnaire_preview(request: HttpRequest, pk: int, q_pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    item = get_object_or_404(Questionnaire, pk=q_pk, program=program)
    questions = list(item.questions.all())
    objectives = {q.pk: q.fallback_objectives() for q in questions}
    form = AnswerForm(
        questions=questions,
        objectives=objectives,
        language=translation.get_language(),
        disabled=True,
    )
    return _page(request, "questionnaire_preview.html", program, questionnaire=item, form=form)


# --- Rounds ------------------------------------------------------------------------------------


@login_required
def rounds_default(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    if request.method != "POST":
        return post_only()
    try:
        created = services.create_default_rounds(program=program)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d envoi planifié sur la période du programme.",
                "%(n)d envois planifiés sur la période du programme.",
                len(created),
            )
            % {"n": len(created)},
        )
    return redirect("evaluation:home", program.pk)


@login_required
def round_edit(request: HttpRequest, pk: int, round_pk: int | None = None) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    item = get_object_or_404(Round, pk=round_pk, program=program) if round_pk else None
    form = RoundForm(request.POST or None, instance=item, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.save_round(program=program, round=item, **form.cleaned_data)
        except EvaluationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Envoi enregistré."))
            return redirect("evaluation:round", program.pk, item.pk)
    return _page(request, "round_form.html", program, round=item, form=form)


@login_required
def round_send_now(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    program = get_program(request, pk, COORDINATION)
    item = get_object_or_404(Round, pk=round_pk, program=program)
    if request.method != "POST":
        return post_only()
    try:
        sent = services.send_round_now(round=item, by=request.user)
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "Questionnaire envoyé maintenant : %(n)d invitation part par courriel.",
                "Questionnaire envoyé maintenant : %(n)d invitations partent par courriel.",
                len(sent),
            )
            % {"n": len(sent)},
        )
    return redirect("evaluation:round", program.pk, item.pk)


@login_required
def round_detail(request: HttpRequest, pk: int, round_pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    item = get_object_or_404(
        Round.objects.select_related("questionnaire"), pk=round_pk, program=program
    )
    answered, invited, rate = item.response_rate()
    return _page(
        request,
        "round.html",
        program,
        round=item,
        answered=answered,
        invited=invited,
        rate=rate,
        invitations=item.invitations.select_related("person", "group"),
        indicators=selectors.indicators(Answer.objects.filter(invitation__round=item)),
        is_coordinator=Kind.COORDINATOR in request.program_roles,
    )


@login_required
def round_export(request: HttpRequest, pk: int, round_pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    item = get_object_or_404(Round, pk=round_pk, program=program)
    return _download(request, fmt, selectors.invitations_table(item), _("invitations"), program)


@login_required
def response_detail(request: HttpRequest, pk: int, inv_pk: int) -> HttpResponse:
    """An evaluator reads one person's answers (and may mark a passage as a quote)."""
    program = get_program(request, pk, EVALUATORS)
    invitation = get_object_or_404(
        Invitation.objects.select_related("person", "round__questionnaire"),
        pk=inv_pk,
        round__program=program,
    )
    answers = invitation.answers.select_related("question")
    record_view(instance=invitation, by=request.user, what="answers", program_id=program.pk)
    return _page(request, "response.html", program, invitation=invitation, answers=answers)


@login_required
def my_answer(request: HttpRequest, pk: int, inv_pk: int) -> HttpResponse:
    """From the account: a person's own invitation opens through their personal link."""
    program = get_program(request, pk, PARTICIPANTS)
    invitation = get_object_or_404(
        Invitation.objects.of_user(request.user).filter(sent_at__isnull=False),
        pk=inv_pk,
        round__program=program,
    )
    if not (invitation.round.is_closed() or invitation.round.cancelled):
        return redirect("evaluation:answer", invitation.token)
    # Closed: read here, through the account, since the personal link expires some time after
    # the round closes and would answer 404.
    return render(
        request,
        "evaluation/answer.html",
        {
            "invitation": invitation,
            "form": _answer_form(invitation),
            "closed": True,
            "title": invitation.round.questionnaire.title(invitation.language),
            "language": invitation.language,
        },
    )


# --- Answering through the personal link -------------------------------------------------------


def _invitation(token: str) -> Invitation:
    invitation = Invitation.from_token(token)
    if invitation is None or invitation.sent_at is None or invitation.link_expired():
        raise Http404
    return invitation


def _answer_form(invitation: Invitation, data: Any = None) -> AnswerForm:
    questions = list(invitation.questions())
    objectives = {
        q.pk: services.objectives_for(invitation.person, invitation.group, q)
        for q in questions
        if q.kind == Question.Kind.OBJECTIVE_PROGRESS
    }
    answers = {a.question_id: a.value for a in invitation.answers.all()}
    closed = invitation.round.is_closed() or invitation.round.cancelled
    return AnswerForm(
        data,
        questions=questions,
        objectives=objectives,
        language=invitation.language,
        answers=answers,
        disabled=closed,
    )


def answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    translation.activate(invitation.language)
    request.LANGUAGE_CODE = invitation.language
    form = _answer_form(invitation, request.POST or None)
    closed = invitation.round.is_closed() or invitation.round.cancelled
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.save_answers(invitation=invitation, values=form.values(), submit=True)
        except EvaluationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Merci ! Vos réponses sont enregistrées. Vous pouvez les corriger jusqu’au %(d)s."
                )
                % {"d": date_format(invitation.round.closes_on, "j F Y")},
            )
            return redirect("evaluation:answer", token)
    return render(
        request,
        "evaluation/answer.html",
        {
            "invitation": invitation,
            "form": form,
            "closed": closed,
            "token": token,
            "title": invitation.round.questionnaire.title(invitation.language),
            "intro": invitation.round.questionnaire.intro(invitation.language),
            "language": invitation.language,
        },
    )


def answer_autosave(request: HttpRequest, token: str) -> HttpResponse:
    """htmx: save one question as soon as it changes; answer with a short status."""
    invitation = _invitation(token)
    if request.method != "POST":
        return post_only()
    translation.activate(invitation.language)
    form = _answer_form(invitation, request.POST)
    question = next((q for q in form.questions if str(q.pk) == request.POST.get("question")), None)
    if question is None:
        raise Http404
    value, errors = form.draft_value(question)
    if not errors:
        try:
            services.save_answers(invitation=invitation, values={question: value})
        except EvaluationError as error:
            errors = [error.message]
    return render(
        request,
        "evaluation/includes/autosave_status.html",
        {"errors": errors, "saved_at": timezone.localtime()},
    )


# --- Final interviews --------------------------------------------------------------------------


@login_required
def interview_edit(request: HttpRequest, pk: int, iv_pk: int | None = None) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    item = get_object_or_404(FinalInterview, pk=iv_pk, program=program) if iv_pk else None
    form = InterviewForm(request.POST or None, instance=item, program=program)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "participant"}
        try:
            if item is None:
                item = services.record_interview(
                    program=program,
                    participant=form.cleaned_data["participant"],
                    interviewer=_person(request),
                    **data,
                )
            else:
                services.update_interview(interview=item, **data)
        except EvaluationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Entrevue enregistrée."))
            return redirect("evaluation:interview", program.pk, item.pk)
    if item is not None and request.method == "GET":
        record_view(instance=item, by=request.user, what="interview", program_id=program.pk)
    return _page(request, "interview_form.html", program, interview=item, form=form)


@login_required
def interview_send(request: HttpRequest, pk: int, iv_pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    item = get_object_or_404(FinalInterview, pk=iv_pk, program=program)
    if request.method != "POST":
        return post_only()
    try:
        services.send_interview_for_validation(interview=item)
        messages.success(request, _("Envoyée à la personne pour validation."))
    except EvaluationError as error:
        messages.error(request, error.message)
    return redirect("evaluation:interview", program.pk, item.pk)


@login_required
def my_interview(request: HttpRequest, pk: int, iv_pk: int) -> HttpResponse:
    program = get_program(request, pk, PARTICIPANTS)
    item = get_object_or_404(
        FinalInterview, pk=iv_pk, program=program, participant__person__user=request.user
    )
    return redirect("evaluation:interview_review", item.token)


def interview_review(request: HttpRequest, token: str) -> HttpResponse:
    """The participant reads the notes, then validates them or asks for a correction."""
    interview = FinalInterview.from_token(token)
    if interview is None or interview.status == FinalInterview.Status.DRAFT:
        raise Http404
    language = interview.participant.person.language
    translation.activate(language if language in ("fr", "en") else "fr")
    form = CorrectionForm(request.POST if request.POST.get("action") == "correct" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "validate":
                services.validate_interview(interview=interview)
                messages.success(request, _("Merci, vos notes d’entrevue sont validées."))
                return redirect("evaluation:interview_review", token)
            if form.is_valid():
                services.request_interview_corrections(
                    interview=interview, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Votre demande de correction est transmise."))
                return redirect("evaluation:interview_review", token)
        except EvaluationError as error:
            _show_error(form, error)
    return render(
        request, "evaluation/interview_review.html", {"interview": interview, "form": form}
    )


# --- Observer notes ----------------------------------------------------------------------------


@login_required
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    form = ObserverNoteForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_observer_note(
                program=program, observer=_person(request), **form.cleaned_data
            )
        except EvaluationError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Note d’observation enregistrée."))
            return redirect("evaluation:notes", program.pk)
    items = program.observer_notes.select_related("group", "observer")
    record_view(instance=program, by=request.user, what="observer_notes")
    return _page(request, "notes.html", program, form=form, notes=items)


# --- Quotes ------------------------------------------------------------------------------------


@login_required
def quote_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    answer_obj = interview = None
    source = request.GET.get("answer") or request.POST.get("answer")
    if source:
        answer_obj = get_object_or_404(Answer, pk=source, invitation__round__program=program)
    else:
        interview = get_object_or_404(
            FinalInterview,
            pk=request.GET.get("interview") or request.POST.get("interview") or 0,
            program=program,
        )
    form = QuoteForm(request.POST or None, initial={"topic_fr": _default_topic(answer_obj)})
    if request.method == "POST" and form.is_valid():
        try:
            services.mark_quote(
                program=program,
                by=request.user,
                answer=answer_obj,
                interview=interview,
                **form.cleaned_data,
            )
        except EvaluationError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Passage repéré. Demandez maintenant le consentement de la personne.")
            )
            return redirect("evaluation:quotes", program.pk)
    return _page(
        request, "quote_form.html", program, form=form, answer=answer_obj, interview=interview
    )


def _default_topic(answer: Answer | None) -> str:
    return answer.question.label("fr")[:200] if answer else ""


@login_required
def quotes(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    return _page(request, "quotes.html", program, quotes=program.quotes.select_related("speaker"))


@login_required
def quotes_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    return _download(request, fmt, selectors.quotes_table(program), _("citations"), program)


@login_required
def quote_request(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    program = get_program(request, pk, EVALUATORS)
    quote = get_object_or_404(Quote, pk=quote_pk, program=program)
    if request.method != "POST":
        return post_only()
    try:
        services.request_quote_consent(quote=quote)
        messages.success(request, _("Demande de consentement envoyée."))
    except EvaluationError as error:
        messages.error(request, error.message)
    return redirect("evaluation:quotes", program.pk)


def quote_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The author sees the exact passage and attribution, and consents, refuses or withdraws."""
    quote = Quote.from_token(token)
    if quote is None or quote.status == Quote.Status.MARKED:
        raise Http404
    language = (
        quote.speaker.person.language if quote.speaker.person.language in ("fr", "en") else "fr"
    )
    translation.activate(language)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.withdraw_quote_consent(quote=quote)
                messages.success(
                    request, _("Votre consentement est retiré : le passage ne sera pas publié.")
                )
            else:
                services.answer_quote_request(quote=quote, consent=action == "consent")
                messages.success(request, _("Merci, votre réponse est enregistrée."))
        except EvaluationError as error:
            messages.error(request, error.message)
        return redirect("evaluation:quote_consent", token)
    return render(
        request,
        "evaluation/quote_consent.html",
        {"quote": quote, "attribution": quote.attribution(language)},
    )

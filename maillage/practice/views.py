from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.evaluation.forms import AnswerForm as SurveyForm
from maillage.programs.access import post_only
from maillage.reports.suppression import small_cell_k

from . import calendar, emails, selectors, services, survey
from .access import get_meeting, get_network, get_series
from .errors import PracticeError, StalePractice
from .forms import (
    AnswerForm,
    AttendanceForm,
    CapacityForm,
    MeetingForm,
    QuestionForm,
    ResourceForm,
    SeriesForm,
)
from .models import (
    Attendance,
    Feedback,
    Question,
    Registration,
    Resource,
    Series,
    eligible_people,
)


def _show(form, error: PracticeError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """« Communautés de pratique »: the series of my networks, mine first."""
    person = getattr(request.user, "person", None)
    series = list(Series.objects.for_member(request.user).select_related("network"))
    registrations = {
        r.series_id: r
        for r in Registration.objects.filter(person=person, series__in=series).exclude(
            status=Registration.Status.CANCELLED
        )
    }
    rows = [(s, registrations.get(s.pk)) for s in series]
    rows.sort(key=lambda row: (row[1] is None, row[0].network.name, row[0].title))
    return render(request, "practice/mine.html", {"rows": rows})


@login_required
def network(request: HttpRequest, pk: int) -> HttpResponse:
    """A network's communities: staff run them, members register, funders read aggregates."""
    network, where = get_network(request, pk)
    series = list(network.practice_series.prefetch_related("meetings"))
    figures = selectors.network_figures(series) if (where.staff or where.funder) else []
    context = {"network": network, "where": where, "series": series, "figures": figures}
    context["k"] = small_cell_k()
    return render(request, "practice/network.html", context)


@login_required
def series_new(request: HttpRequest, pk: int) -> HttpResponse:
    network, _where = get_network(request, pk, staff=True)
    form = SeriesForm(request.POST or None, people=eligible_people(network))
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(
                network=network, by=request.user, **form.service_fields()
            )
        except PracticeError as error:
            _show(form, error)
        else:
            count = series.meetings.count()
            messages.success(
                request,
                ngettext(
                    "Série créée avec %(n)d rencontre.", "Série créée avec %(n)d rencontres.", count
                )
                % {"n": count},
            )
            return redirect("practice:series", series_pk=series.pk)
    return render(request, "practice/series_new.html", {"network": network, "form": form})


@login_required
def series(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, where = get_series(request, series_pk)
    registration = selectors.registration_of(series, where.person)
    context = {
        "series": series,
        "network": series.network,
        "where": where,
        "registration": registration,
        "meetings": series.meetings.prefetch_related("resources"),
        "feed_url": request.build_absolute_uri(
            reverse("practice:feed", args=[emails.feed_token(where.person)])
        )
        if registration and registration.status == Registration.Status.CONFIRMED
        else "",
        "facilitators": series.facilitators.all(),
    }
    return render(request, "practice/series.html", context)


@login_required
def register(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, where = get_series(request, series_pk)
    if request.method != "POST":
        return post_only()
    try:
        registration = services.register(series=series, person=where.person, by=request.user)
    except PracticeError as error:
        messages.error(request, error.message)
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request,
                _("Inscription confirmée. Un courriel avec les rencontres (.ics) vous est envoyé."),
            )
        else:
            messages.info(
                request,
                _("La série est complète : vous êtes sur la liste d’attente (rang %(rank)s).")
                % {"rank": registration.waiting_rank()},
            )
    return redirect("practice:series", series_pk=series.pk)


@login_required
def cancel(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, where = get_series(request, series_pk)
    if request.method != "POST":
        return post_only()
    registration = selectors.registration_of(series, where.person)
    if registration is None:
        raise Http404
    services.cancel_registration(registration=registration, by=request.user)
    messages.success(request, _("Inscription annulée : votre place est libérée."))
    return redirect("practice:series", series_pk=series.pk)


@login_required
def series_ics(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, _where = get_series(request, series_pk)
    return _ics(calendar.series_file(series, get_language() or "fr"), f"serie-{series.pk}")


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed a calendar program subscribes to: no session, the signed token."""
    person = emails.feed_person(token)
    if person is None:
        raise Http404
    return _ics(calendar.feed(person), "communautes-de-pratique")


@login_required
def registrations(request: HttpRequest, series_pk: int) -> HttpResponse:
    """Staff: who is registered, who waits, the capacity, opening and closing."""
    series, where = get_series(request, series_pk)
    if not where.staff:
        raise Http404
    form = CapacityForm(request.POST or None, initial={"capacity": series.capacity})
    if request.method == "POST" and "open" in request.POST:
        services.set_registration_open(
            series=series, open=request.POST["open"] == "1", by=request.user
        )
        messages.success(request, _("Inscriptions mises à jour."))
        return redirect("practice:registrations", series_pk=series.pk)
    if request.method == "POST" and form.is_valid():
        promoted = services.set_capacity(series=series, by=request.user, **form.cleaned_data)
        messages.success(
            request,
            ngettext(
                "Places enregistrées ; %(n)d personne passe de la liste d’attente à la série.",
                "Places enregistrées ; %(n)d personnes passent de la liste d’attente à la série.",
                len(promoted),
            )
            % {"n": len(promoted)},
        )
        return redirect("practice:registrations", series_pk=series.pk)
    context = {
        "series": series,
        "network": series.network,
        "form": form,
        "confirmed": series.confirmed().select_related("person__organization"),
        "waiting": series.waiting().select_related("person__organization"),
    }
    return render(request, "practice/registrations.html", context)


@login_required
def results(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, _where = get_series(request, series_pk, runs=True)
    context = {"series": series, "network": series.network, "rows": selectors.results(series)}
    context["k"] = small_cell_k()
    return render(request, "practice/results.html", context)


@login_required
def meeting(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, where = get_meeting(request, meeting_pk)
    registration = selectors.registration_of(meeting.series, where.person)
    seated = registration is not None and registration.status == Registration.Status.CONFIRMED
    context = {
        "meeting": meeting,
        "series": meeting.series,
        "network": meeting.series.network,
        "where": where,
        "seated": seated,
        "carried": selectors.carried_questions(meeting),
        "questions": meeting.questions.select_related("asked_by", "answered_in"),
        "answered_here": selectors.answered_here(meeting),
        "resources": meeting.resources.all(),
        "question_form": QuestionForm(),
        "answer_form": AnswerForm(),
        "may_ask": where.runs or seated,
        "previous": meeting.previous(),
        "next": meeting.next(),
        "answered": Feedback.objects.filter(meeting=meeting, person=where.person).exists(),
    }
    return render(request, "practice/meeting.html", context)


@login_required
def meeting_edit(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, where = get_meeting(request, meeting_pk, runs=True)
    if not where.staff:
        raise Http404
    form = MeetingForm(request.POST or None, instance=meeting)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            services.update_meeting(
                meeting=meeting, by=request.user, seen=form.cleaned_data.get("revision"), **data
            )
        except StalePractice as error:
            form.add_error(None, error.message)
            conflict = form.conflict(error.current)
        except PracticeError as error:
            _show(form, error)
        else:
            messages.success(request, _("Rencontre enregistrée."))
            return redirect("practice:meeting", meeting_pk=meeting.pk)
    context = {
        "meeting": meeting,
        "series": meeting.series,
        "network": meeting.series.network,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "practice/meeting_edit.html", context)


@login_required
def resource_new(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, _where = get_meeting(request, meeting_pk, runs=True)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_resource(meeting=meeting, by=request.user, **form.cleaned_data)
        except PracticeError as error:
            _show(form, error)
        else:
            messages.success(request, _("Ressource ajoutée."))
            return redirect("practice:meeting", meeting_pk=meeting.pk)
    context = {"meeting": meeting, "series": meeting.series, "network": meeting.series.network}
    context["form"] = form
    return render(request, "practice/resource_new.html", context)


@login_required
def resource(request: HttpRequest, meeting_pk: int, res_pk: int) -> HttpResponse:
    meeting, _where = get_meeting(request, meeting_pk)
    item = get_object_or_404(Resource, pk=res_pk, meeting=meeting)
    if not item.file:
        if item.url:
            return redirect(item.url)
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record(action="download", instance=item)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name or "document",
        content_type=item.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def resource_remove(request: HttpRequest, meeting_pk: int, res_pk: int) -> HttpResponse:
    meeting, _where = get_meeting(request, meeting_pk, runs=True)
    item = get_object_or_404(Resource, pk=res_pk, meeting=meeting)
    if request.method != "POST":
        return post_only()
    services.remove_resource(resource=item, by=request.user)
    messages.success(request, _("Ressource retirée."))
    return redirect("practice:meeting", meeting_pk=meeting.pk)


@login_required
def attendance(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    """The facilitator's list on a phone: one big checkbox per registered person, the notes."""
    meeting, _where = get_meeting(request, meeting_pk, runs=True)
    rows = selectors.attendance_rows(meeting)
    initial = {"present": [str(p.pk) for p, here in rows if here], "notes": meeting.notes}
    form = AttendanceForm(request.POST or None, people=[p for p, _ in rows], initial=initial)
    if request.method == "POST" and form.is_valid():
        count = services.take_attendance(
            meeting=meeting,
            present=form.present_people(),
            notes=form.cleaned_data["notes"],
            by=request.user,
        )
        messages.success(
            request,
            ngettext(
                "Présences enregistrées : %(n)d personne présente.",
                "Présences enregistrées : %(n)d personnes présentes.",
                count,
            )
            % {"n": count},
        )
        return redirect("practice:meeting", meeting_pk=meeting.pk)
    context = {"meeting": meeting, "series": meeting.series, "network": meeting.series.network}
    context.update(form=form, rows=rows)
    return render(request, "practice/attendance.html", context)


@login_required
def question_new(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, where = get_meeting(request, meeting_pk)
    registration = selectors.registration_of(meeting.series, where.person)
    seated = registration is not None and registration.status == Registration.Status.CONFIRMED
    if not (where.runs or seated):
        raise Http404
    if request.method != "POST":
        return post_only()
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.ask_question(meeting=meeting, by=request.user, **form.cleaned_data)
        except PracticeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Question notée : elle suivra aux prochaines rencontres."))
    else:
        messages.error(request, _("Écrivez la question (2 000 caractères au plus)."))
    return redirect("practice:meeting", meeting_pk=meeting.pk)


@login_required
def question_answer(request: HttpRequest, meeting_pk: int, q_pk: int) -> HttpResponse:
    meeting, _where = get_meeting(request, meeting_pk, runs=True)
    question = get_object_or_404(Question, pk=q_pk, meeting__series=meeting.series)
    if request.method != "POST":
        return post_only()
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(
                question=question, in_meeting=meeting, by=request.user, **form.cleaned_data
            )
        except PracticeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Réponse enregistrée : la question est close."))
    else:
        messages.error(request, _("Écrivez la réponse."))
    return redirect("practice:meeting", meeting_pk=meeting.pk)


def _feedback(request: HttpRequest, series: Series, meeting, where) -> HttpResponse:  # noqa: ANN001
    """Evaluation's answer form on evaluation's standard questions; once per person."""
    # Asked of the people who came (to this meeting, or to the series).
    came = Attendance.objects.filter(meeting__series=series, person=where.person, present=True)
    if not came.filter(**({"meeting": meeting} if meeting else {})).exists():
        raise Http404
    language = get_language() or "fr"
    form = SurveyForm(
        request.POST or None, questions=survey.questions(), objectives={}, language=language
    )
    done = Feedback.objects.filter(series=series, meeting=meeting, person=where.person).exists()
    if request.method == "POST" and not done and form.is_valid():
        try:
            services.give_feedback(
                series=series,
                meeting=meeting,
                person=where.person,
                answers=survey.keyed(form.values()),
            )
        except PracticeError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, _("Merci ! Vos réponses sont enregistrées."))
        if meeting is not None:
            return redirect("practice:meeting", meeting_pk=meeting.pk)
        return redirect("practice:series", series_pk=series.pk)
    context = {
        "series": series,
        "meeting": meeting,
        "form": form,
        "language": language,
        "done": done,
        "k": small_cell_k(),
    }
    return render(request, "practice/feedback.html", context)


@login_required
def feedback(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting, where = get_meeting(request, meeting_pk)
    if meeting.series.survey != Series.Survey.EACH or not meeting.attendance_taken_at:
        raise Http404
    return _feedback(request, meeting.series, meeting, where)


@login_required
def series_feedback(request: HttpRequest, series_pk: int) -> HttpResponse:
    series, where = get_series(request, series_pk)
    if series.survey != Series.Survey.END:
        raise Http404
    return _feedback(request, series, None, where)

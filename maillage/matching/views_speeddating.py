"""Speed dating pages: the coordinator plans an event, follows the rankings and forms the groups;
each invited person reads their timetable on a phone, adds it to a calendar and ranks the people
they met."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.programs.access import ANY, STAFF, can, get_program, post_only
from maillage.programs.models import Program

from . import speeddating as sd
from .errors import MatchingError
from .forms_speeddating import EventForm, RankingForm
from .models import SpeedDatingEvent
from .selectors_speeddating import event_page, grouped_keys


def _event(program: Program, event_pk: int) -> SpeedDatingEvent:
    return get_object_or_404(SpeedDatingEvent, pk=event_pk, program=program)


def staff_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A coordinator's action on an event: access first (404), then the method (405)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
        program = get_program(request, pk, STAFF)
        event = _event(program, event_pk)
        if request.method != "POST":
            return post_only()
        return view(request, program, event)

    return wrapper


def _errors(request: HttpRequest, error: MatchingError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem.get("message", ""))


@login_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    return render(
        request,
        "matching/speeddating/events.html",
        {
            "program": program,
            "section": "matching",
            "events": program.speed_dating_events.all(),
        },
    )


def _form_page(
    request: HttpRequest, program: Program, form: EventForm, event: SpeedDatingEvent | None
) -> HttpResponse:
    return render(
        request,
        "matching/speeddating/event_form.html",
        {"program": program, "section": "matching", "form": form, "event": event},
    )


@login_required
def event_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    people = sd.invitable(program)
    form = EventForm(request.POST or None, people=people, grouped=grouped_keys(program))
    if program.is_closed():
        messages.info(
            request, _("Ce programme est terminé : aucun événement ne peut y être ajouté.")
        )
        return redirect("matching:sd_events", pk=program.pk)
    if request.method == "POST" and form.is_valid():
        try:
            event = sd.plan_event(program=program, plan=form.plan(), by=request.user)
        except MatchingError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Événement planifié : voici la rotation."))
            return redirect("matching:sd_event", pk=program.pk, event_pk=event.pk)
    return _form_page(request, program, form, None)


@login_required
def event_edit(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    event = _event(program, event_pk)
    form = EventForm(request.POST or None, people=sd.invitable(program), event=event)
    if request.method == "POST" and form.is_valid():
        try:
            sd.update_event(event=event, plan=form.plan(), by=request.user)
        except MatchingError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Événement modifié : la rotation est recalculée."))
            return redirect("matching:sd_event", pk=program.pk, event_pk=event.pk)
    return _form_page(request, program, form, event)


@login_required
def event_detail(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    event = _event(program, event_pk)
    context = event_page(event)
    context.update(program=program, section="matching", event=event)
    return render(request, "matching/speeddating/event.html", context)


def _action(
    request: HttpRequest, event: SpeedDatingEvent, action: Callable[..., Any], done: str
) -> HttpResponse:
    try:
        action(event=event, by=request.user)
    except MatchingError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return redirect("matching:sd_event", pk=event.program_id, event_pk=event.pk)


@staff_post
def event_publish(request: HttpRequest, program: Program, event: SpeedDatingEvent) -> HttpResponse:
    return _action(
        request, event, sd.publish_event, _("Horaires envoyés à chaque personne invitée.")
    )


@staff_post
def event_cancel(request: HttpRequest, program: Program, event: SpeedDatingEvent) -> HttpResponse:
    return _action(request, event, sd.cancel_event, _("Événement annulé."))


@staff_post
def event_form_groups(
    request: HttpRequest, program: Program, event: SpeedDatingEvent
) -> HttpResponse:
    return _action(
        request,
        event,
        sd.form_groups,
        _("Groupes formés à partir des classements : approuvez-les sur la page du jumelage."),
    )


# --- Participants -----------------------------------------------------------------------------


def _mine(request: HttpRequest, pk: int, event_pk: int) -> tuple[Program, Any, tuple[str, str]]:
    """The event of a person invited to it; anyone else gets 404 (a coordinator sees the
    coordinator's page instead)."""
    program = get_program(request, pk, ANY)
    event = _event(program, event_pk)
    side = sd.side_of(program, request.user, event)
    if side is None:
        raise Http404
    return program, event, side


@login_required
def mine(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    program, event, (key, kind) = _mine(request, pk, event_pk)
    ranking = event.rankings.filter(side_key=key).first()
    meetings = sd.met_by(event, key, kind)
    form = RankingForm(
        request.POST or None,
        meetings=meetings,
        kind=kind,
        order=ranking.order if ranking else [],
    )
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Vérifiez vos rangs ci-dessous."))
        else:
            try:
                sd.submit_ranking(
                    event=event, key=key, kind=kind, order=form.order(), by=request.user
                )
            except MatchingError as error:
                _errors(request, error)
            else:
                messages.success(request, _("Merci : votre classement est enregistré."))
                return redirect("matching:sd_mine", pk=program.pk, event_pk=event.pk)
    return render(
        request,
        "matching/speeddating/mine.html",
        {
            "program": program,
            "section": "speed_dating",
            "event": event,
            "kind": kind,
            "slots": sd.timetable(event, key, kind),
            "form": form,
            "ranking": ranking,
            "is_staff": can(request.user, program, STAFF),
            "deadline_passed": timezone.now() > event.ranking_deadline,
        },
    )


@login_required
def mine_ics(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    program, event, (key, kind) = _mine(request, pk, event_pk)
    person = request.user.person if hasattr(request.user, "person") else None
    language = getattr(person, "language", "") or "fr"
    body = sd.calendar_for(event, key, kind, language)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="speed-dating-{event.pk}.ics"'
    return response

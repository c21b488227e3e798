"""Matching pages: the coordinator's page (who, rules, weights, proposals, constraints,
approval) and a participant's own group with the principal factors of the decision."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.locking import StaleEdit
from maillage.core.tables import table_download
from maillage.inclusion import engine_inputs
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program, Role
from maillage.programs.services import has_consent

from . import selectors, services
from .errors import MatchingError
from .forms import (
    AnswerForm,
    ApproveForm,
    CancelForm,
    ExclusionForm,
    MoveForm,
    PairForm,
    ProfileCardForm,
    RequestForm,
    RunForm,
    SelfMatchingForm,
    SettingsForm,
)
from .models import Exclusion, MatchRequest, MatchRun, PairConstraint, ProfileCard, Proposal


def coordinator_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A coordinator's action: the program is checked before the method, so that anyone
    without the right gets 404 whatever they send (never a 405 that confirms the page)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        program = get_program(request, pk, STAFF)
        if request.method != "POST":
            return post_only()
        return view(request, program)

    return wrapper


def _posted(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _page(request: HttpRequest, program: Program, **forms: Any) -> HttpResponse:
    context = selectors.overview(program)
    context.update(
        program=program,
        section="matching",
        settings_form=forms.get("settings_form") or SettingsForm(program=program),
        conflict=forms.get("conflict"),
        run_form=forms.get("run_form") or RunForm(),
        exclusion_form=forms.get("exclusion_form") or ExclusionForm(people=context["people"]),
        self_form=SelfMatchingForm(initial=selectors.self_matching_initial(program)),
        self_matching=getattr(program, "self_matching", None),
        self_requests=program.match_requests.count(),
    )
    return render(request, "matching/home.html", context)


def _error(request: HttpRequest, error: MatchingError) -> None:
    messages.error(request, error.message)
    for problem in error.problems:
        messages.error(request, problem.get("message", ""))


def _back(program: Program, anchor: str = "") -> HttpResponse:
    response = redirect("matching:home", pk=program.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, get_program(request, pk, STAFF))


@login_required
def home_export(request: HttpRequest, pk: int, fmt: str, table: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    name, (headers, rows) = selectors.home_table(program, table)
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=name, instance=program, by=request.user
    )


@coordinator_post
def settings_update(request: HttpRequest, program: Program) -> HttpResponse:
    form = SettingsForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, _("Vérifiez les réglages signalés ci-dessous."))
        return _page(request, program, settings_form=form)
    try:
        services.update_matching_settings(program=program, **form.service_kwargs())
    except StaleEdit as stale:
        saved = SettingsForm(program=stale.current).initial
        return _page(
            request, program, settings_form=form, conflict=form.conflict(stale.current, saved)
        )
    except MatchingError as error:
        _error(request, error)
        return _page(request, program, settings_form=form)
    messages.success(
        request, _("Règles et poids enregistrés : relancez le jumelage pour en tenir compte.")
    )
    return _back(program, "reglages")


@coordinator_post
def run(request: HttpRequest, program: Program) -> HttpResponse:
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un mode de jumelage valide."))
        return _page(request, program, run_form=form)
    try:
        done = services.run_matching(
            program=program,
            by=request.user,
            mode=form.cleaned_data["mode"],
            seed=form.cleaned_data["seed"] or 0,
        )
    except MatchingError as error:
        _error(request, error)
        return _back(program, "resultat")
    if done.status == MatchRun.Status.QUEUED:
        messages.info(
            request,
            _(
                "Le jumelage se calcule en arrière-plan : cette page suit son avancement, et "
                "vous pouvez la quitter et revenir."
            ),
        )
    else:
        messages.success(request, _("Jumelage calculé : voici les groupes proposés."))
    return _back(program, "resultat")


@login_required
def run_status(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    """The progress of a run solved in the background, polled by the matching page (htmx):
    the coordinator can leave and come back; once the run is done or failed the page reloads
    itself on its results."""
    program = get_program(request, pk, STAFF)
    run = get_object_or_404(program.match_runs.engine(), pk=run_pk)
    if run.status not in MatchRun.PENDING or run.is_lost():
        if request.headers.get("HX-Request"):
            # A new address (not only a new #fragment), so that the browser loads the page.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = (
                reverse("matching:home", args=[program.pk]) + f"?execution={run.pk}#resultat"
            )
            return response
        return _back(program, "resultat")
    if not request.headers.get("HX-Request"):
        return _back(program, "resultat")
    return render(
        request, "matching/includes/run_progress.html", {"program": program, "pending": run}
    )


def _pair_action(
    request: HttpRequest, program: Program, action: Callable[..., Any], done: str
) -> HttpResponse:
    form = PairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une paire."))
        return _back(program, "resultat")
    try:
        action(
            program=program,
            mentor_key=form.cleaned_data["mentor"],
            mentee_key=form.cleaned_data["mentee"],
            by=request.user,
        )
    except MatchingError as error:
        _error(request, error)
    else:
        messages.success(request, done)
    return _back(program, "resultat")


@coordinator_post
def lock(request: HttpRequest, program: Program) -> HttpResponse:
    return _pair_action(
        request,
        program,
        services.lock_pair,
        _("Paire imposée : elle sera gardée à chaque relance."),
    )


@coordinator_post
def forbid(request: HttpRequest, program: Program) -> HttpResponse:
    return _pair_action(
        request, program, services.forbid_pair, _("Paire interdite : elle ne sera plus proposée.")
    )


@coordinator_post
def move(request: HttpRequest, program: Program) -> HttpResponse:
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le côté mentor qui accueillera cette personne."))
        return _back(program, "resultat")
    try:
        services.move_mentee(
            program=program,
            by=request.user,
            **{
                "mentee_key": form.cleaned_data["mentee"],
                "to_mentor_key": form.cleaned_data["to_mentor"],
            },
        )
    except MatchingError as error:
        _error(request, error)
    else:
        messages.success(request, _("Personne déplacée et jumelage recalculé."))
    return _back(program, "resultat")


@coordinator_post
def constraint_remove(request: HttpRequest, program: Program) -> HttpResponse:
    constraint = get_object_or_404(
        PairConstraint, pk=_posted(request, "constraint"), program=program
    )
    services.remove_constraint(constraint=constraint)
    messages.success(request, _("Contrainte retirée."))
    return _back(program, "contraintes")


@coordinator_post
def constraints_clear(request: HttpRequest, program: Program) -> HttpResponse:
    services.clear_constraints(program=program)
    messages.success(request, _("Toutes les paires imposées ou interdites sont retirées."))
    return _back(program, "contraintes")


@coordinator_post
def exclusion_add(request: HttpRequest, program: Program) -> HttpResponse:
    form = ExclusionForm(request.POST, people=selectors.roster(program))
    if not form.is_valid():
        messages.error(request, _("Vérifiez le conflit déclaré ci-dessous."))
        return _page(request, program, exclusion_form=form)
    data = form.cleaned_data
    try:
        services.declare_exclusion(
            program=program,
            mentor_key=data["mentor"],
            mentee_key=data["mentee"],
            reason=data["reason"],
            declared_by=data["declared_by"],
            note=data["note"],
            by=request.user,
        )
    except MatchingError as error:
        _error(request, error)
        return _page(request, program, exclusion_form=form)
    messages.success(request, _("Conflit enregistré : cette paire ne sera jamais proposée."))
    return _back(program, "conflits")


@coordinator_post
def exclusion_remove(request: HttpRequest, program: Program) -> HttpResponse:
    exclusion = get_object_or_404(Exclusion, pk=_posted(request, "exclusion"), program=program)
    services.remove_exclusion(exclusion=exclusion)
    messages.success(request, _("Conflit retiré."))
    return _back(program, "conflits")


@coordinator_post
def accept(request: HttpRequest, program: Program) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=_posted(request, "proposal"), run__program=program)
    try:
        group = services.accept_proposal(proposal=proposal, by=request.user)
    except MatchingError as error:
        _error(request, error)
    else:
        messages.success(request, _("Groupe « %(name)s » accepté.") % {"name": group.name})
    return _back(program, "resultat")


@coordinator_post
def accept_all(request: HttpRequest, program: Program) -> HttpResponse:
    match_run = get_object_or_404(MatchRun, pk=_posted(request, "run"), program=program)
    try:
        groups = services.accept_run(run=match_run, by=request.user)
    except MatchingError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            ngettext("%(n)s groupe accepté.", "%(n)s groupes acceptés.", len(groups))
            % {"n": len(groups)},
        )
    return _back(program, "resultat")


@login_required
def run_inputs(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's inputs as given to the engine (the latest run unless ?execution=<id>):
    `jumelage solve` reproduces the run from this file."""
    program = get_program(request, pk, STAFF)
    wanted = request.GET.get("execution", "")
    runs = program.match_runs.engine()
    match_run = get_object_or_404(runs, pk=int(wanted)) if wanted.isdigit() else runs.first()
    if match_run is None:
        raise Http404
    # Without the self-identification people declared for matching: it is theirs only (see
    # inclusion.engine_inputs). A run that used some is then reproduced without them.
    data = dict(match_run.instance)
    for side in ("mentors", "mentees"):
        data[side] = [engine_inputs.strip(p) for p in data.get(side, [])]
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jumelage-{match_run.pk}.json"'
    return response


# --- Self-matching ----------------------------------------------------------------------------

ASKERS = (Role.Kind.COORDINATOR, Role.Kind.MENTOR, Role.Kind.MENTEE)
SIDES = (Role.Kind.MENTOR, Role.Kind.MENTEE)


def _profiles(
    request: HttpRequest, program: Program, failed: dict[str, Any] | None = None
) -> HttpResponse:
    filters = {k: request.GET.get(k, "")[:100] for k in selectors.PROFILE_FILTERS}
    context = selectors.profiles_page(program, request.user, filters)
    context.update(program=program, section="self_matching", failed=failed or {})
    return render(request, "matching/profiles.html", context, status=400 if failed else 200)


@login_required
def profiles(request: HttpRequest, pk: int) -> HttpResponse:
    """The other side's profiles, with filters; a mentee side asks from here."""
    return _profiles(request, get_program(request, pk, ASKERS))


@login_required
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, (Role.Kind.MENTEE,))
    if request.method != "POST":
        return post_only()
    form = RequestForm(request.POST)
    key = request.POST.get("mentor", "")[:40]
    try:
        if not form.is_valid():
            raise MatchingError(next(iter(form.errors.values()))[0])
        services.send_match_request(
            program=program,
            user=request.user,
            mentor_key=form.cleaned_data["mentor"],
            message=form.cleaned_data["message"],
        )
    except MatchingError as error:
        messages.error(request, error.message)
        typed = request.POST.get("message", "")
        return _profiles(request, program, {"key": key, "message": typed, "error": error})
    messages.success(request, _("Demande envoyée : le côté mentor a reçu votre message."))
    return redirect("matching:my_requests", pk=program.pk)


@login_required
def my_card(request: HttpRequest, pk: int) -> HttpResponse:
    """« Ma fiche visible »: what the other side of the program may see of me."""
    program = get_program(request, pk, SIDES)
    roles = list(program.roles.of_user(request.user).filter(kind__in=SIDES))
    if not roles:
        raise Http404
    person = roles[0].person
    card = ProfileCard.objects.filter(program=program, person=person).first()
    card = card or ProfileCard(program=program, person=person)
    mentor = any(r.kind == Role.Kind.MENTOR for r in roles)
    form = ProfileCardForm(
        request.POST or None, request.FILES or None, instance=card, mentor=mentor
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile_card(program=program, person=person, **form.service_kwargs())
            messages.success(request, _("Fiche enregistrée : voici ce que l’autre côté voit."))
            return redirect("matching:my_card", pk=program.pk)
        except MatchingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    card.refresh_from_db() if card.pk else None
    return render(
        request,
        "matching/my_card.html",
        {
            "program": program,
            "form": form,
            "card": card,
            "section": "self_matching",
            "consent_url": selectors.consent_link(program, request.user),
        },
    )


@login_required
def card_photo(request: HttpRequest, pk: int, card_pk: int) -> HttpResponse:
    """A shown profile photo, to the people of the program only."""
    program = get_program(request, pk, ASKERS)
    card = get_object_or_404(ProfileCard, pk=card_pk, program=program)
    own = card.person.user_id == request.user.pk
    if not card.photo or not (card.show_photo or own):
        raise Http404
    if not own and not has_consent(card.person, program):
        raise Http404  # the card of someone who withdrew their consent is shown to nobody
    response = FileResponse(card.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def my_requests(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, SIDES)
    context = selectors.my_requests(program, request.user)
    context.update(program=program, section="self_matching", answer_form=AnswerForm())
    return render(request, "matching/my_requests.html", context)


def _request_action(request: HttpRequest, pk: int, req_pk: int, kinds: tuple) -> Any:
    program = get_program(request, pk, kinds)
    req = get_object_or_404(MatchRequest, pk=req_pk, program=program)
    return program, req


def _after(request: HttpRequest, program: Program) -> HttpResponse:
    if "coordinator" in request.program_roles:
        return redirect("matching:requests", pk=program.pk)
    return redirect("matching:my_requests", pk=program.pk)


@login_required
def request_answer(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    program, req = _request_action(request, pk, req_pk, (Role.Kind.COORDINATOR, Role.Kind.MENTOR))
    if request.method != "POST":
        return post_only()
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez d’accepter ou de décliner."))
        return _after(request, program)
    try:
        services.answer_match_request(
            request=req,
            user=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            answer=form.cleaned_data["answer"],
            reason=form.cleaned_data["reason"],
        )
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Réponse envoyée à la personne."))
    return _after(request, program)


@login_required
def request_withdraw(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    program, req = _request_action(request, pk, req_pk, (Role.Kind.COORDINATOR, Role.Kind.MENTEE))
    if request.method != "POST":
        return post_only()
    form = CancelForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_match_request(
            request=req, user=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Demande retirée : la place est libérée."))
    return _after(request, program)


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator's page: every request of the program, stepping in, approving."""
    program = get_program(request, pk, STAFF)
    context = selectors.requests_overview(program)
    context.update(
        program=program,
        section="matching",
        self_form=SelfMatchingForm(initial=selectors.self_matching_initial(program)),
    )
    return render(request, "matching/requests.html", context)


@coordinator_post
def request_approve(request: HttpRequest, program: Program) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez le groupe à approuver."))
        return redirect("matching:requests", pk=program.pk)
    try:
        group = services.approve_self_matched_group(
            program=program, mentor_key=form.cleaned_data["mentor"], by=request.user
        )
    except MatchingError as error:
        _error(request, error)
    else:
        messages.success(request, _("Groupe « %(name)s » approuvé et formé.") % {"name": group})
    return redirect("matching:requests", pk=program.pk)


@coordinator_post
def self_matching_settings(request: HttpRequest, program: Program) -> HttpResponse:
    form = SelfMatchingForm(request.POST)
    try:
        if not form.is_valid():
            raise MatchingError(_("Vérifiez la date limite : jour et heure."))
        services.open_self_matching(program=program, by=request.user, **form.cleaned_data)
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        if form.cleaned_data["is_open"]:
            messages.success(request, _("Auto-jumelage ouvert aux personnes mentorées."))
        else:
            messages.success(request, _("Auto-jumelage fermé."))
    return redirect("matching:requests", pk=program.pk)

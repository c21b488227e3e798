"""Governance at work: meetings and decisions of instances and their follow-up, ideas that become
action teams, and the conflict-resolution process. Members take part; staff run it; funders and
outsiders get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.services import person_for_account
from maillage.programs.access import post_only

from . import selectors, services
from .access import PARTICIPANTS, STAFF, instance_for, is_staff, network_for
from .errors import GovernanceError
from .forms import DecisionForm, DisagreementForm, IdeaForm, MeetingForm, StepForm, TeamForm
from .models import Decision, DisagreementStep, Idea, Meeting, Version


def _show(form: Any, error: GovernanceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _meeting_for(request: HttpRequest, network: Any, meeting_pk: int) -> Meeting:
    meetings = Meeting.objects.filter(instance__version__network=network).select_related(
        "instance__version"
    )
    if not is_staff(request):
        meetings = meetings.filter(instance__version__status=Version.Status.ADOPTED)
    return get_object_or_404(meetings, pk=meeting_pk)


@login_required
def meeting_new(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    instance = instance_for(request, network, instance_pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.record_meeting(instance=instance, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Rencontre consignée : ajoutez ses décisions."))
            return redirect("governance:meeting", pk=network.pk, meeting_pk=meeting.pk)
    context = {"network": network, "instance": instance, "form": form, "section": "governance"}
    return render(request, "governance/meeting_new.html", context)


def _meeting_page(request: HttpRequest, network: Any, meeting: Meeting, form: Any = None):
    context = {
        "network": network,
        "meeting": meeting,
        "instance": meeting.instance,
        "decisions": meeting.decisions.all(),
        "staff": is_staff(request),
        "form": form or (DecisionForm() if is_staff(request) else None),
        "section": "governance",
    }
    return render(request, "governance/meeting.html", context)


@login_required
def meeting(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    return _meeting_page(request, network, _meeting_for(request, network, meeting_pk))


@login_required
def decision_add(request: HttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    meeting = _meeting_for(request, network, meeting_pk)
    if request.method != "POST":
        return post_only()
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.add_decision(meeting=meeting, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Décision ajoutée."))
            return redirect("governance:meeting", pk=network.pk, meeting_pk=meeting.pk)
    return _meeting_page(request, network, meeting, form)


@login_required
def decision_status(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    decision = get_object_or_404(
        Decision, pk=decision_pk, meeting__instance__version__network=network
    )
    if request.method != "POST":
        return post_only()
    done = request.POST.get("done") == "1"
    services.set_decision_status(decision=decision, done=done)
    messages.success(request, _("Décision faite.") if done else _("Décision rouverte."))
    back = request.POST.get("back")
    if back == "follow_ups":
        return redirect("governance:follow_ups", pk=network.pk)
    return redirect("governance:meeting", pk=network.pk, meeting_pk=decision.meeting_id)


@login_required
def follow_ups(request: HttpRequest, pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    show = request.GET.get("statut", "open")
    context = {
        "network": network,
        "decisions": selectors.follow_ups(network, status=None if show == "all" else show),
        "show": show,
        "section": "governance",
    }
    return render(request, "governance/follow_ups.html", context)


@login_required
def ideas(request: HttpRequest, pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_idea(
                network=network, by=person_for_account(request.user), **form.cleaned_data
            )
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(
                request, _("Idée proposée : les membres du réseau peuvent la rejoindre.")
            )
            return redirect("governance:ideas", pk=network.pk)
    context = {
        "network": network,
        "ideas": selectors.ideas_of(network),
        "me": person_for_account(request.user),
        "staff": is_staff(request),
        "form": form,
        "minimum": services.IDEA_TEAM_MINIMUM,
        "section": "governance",
    }
    return render(request, "governance/ideas.html", context)


@login_required
def idea_join(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    idea = get_object_or_404(Idea, pk=idea_pk, network=network)
    if request.method != "POST":
        return post_only()
    person = person_for_account(request.user)
    leave = request.POST.get("leave") == "1"
    try:
        if leave:
            services.leave_idea(idea=idea, person=person)
        else:
            services.join_idea(idea=idea, person=person)
    except GovernanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (
                _("Vous avez quitté l’idée « %(title)s ».")
                if leave
                else _("Vous avez rejoint l’idée « %(title)s ».")
            )
            % {"title": idea.title},
        )
    return redirect("governance:ideas", pk=network.pk)


@login_required
def idea_team(request: HttpRequest, pk: int, idea_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    idea = get_object_or_404(Idea, pk=idea_pk, network=network)
    current = services.current_version(network)
    form = TeamForm(request.POST or None, version=current)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.form_action_team(idea=idea, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(
                request, _("Équipe d’action « %(name)s » formée.") % {"name": team.name}
            )
            return redirect("governance:instance", pk=network.pk, instance_pk=team.pk)
    context = {
        "network": network,
        "idea": idea,
        "current": current,
        "form": form,
        "people": idea.members.order_by("last_name", "first_name"),
        "minimum": services.IDEA_TEAM_MINIMUM,
        "section": "governance",
    }
    return render(request, "governance/idea_team.html", context)


@login_required
def disagreements(request: HttpRequest, pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    form = DisagreementForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            disagreement = services.raise_disagreement(
                network=network, by=person_for_account(request.user), **form.cleaned_data
            )
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(
                request, _("Différend soulevé : l’équipe de soutien l’accompagne à partir d’ici.")
            )
            return redirect("governance:disagreement", pk=network.pk, dis_pk=disagreement.pk)
    context = {
        "network": network,
        "disagreements": selectors.disagreements_seen_by(
            request.user, network, staff=is_staff(request)
        ),
        "form": form,
        "steps": DisagreementStep.ORDER,
        "staff": is_staff(request),
        "section": "governance",
    }
    return render(request, "governance/disagreements.html", context)


def _disagreement_for(request: HttpRequest, network: Any, dis_pk: int):
    seen = selectors.disagreements_seen_by(request.user, network, staff=is_staff(request))
    disagreement = seen.filter(pk=dis_pk).first()
    if disagreement is None:
        raise Http404
    return disagreement


def _disagreement_page(request: HttpRequest, network: Any, disagreement: Any, form: Any = None):
    staff = is_staff(request)
    open_ = disagreement.status == disagreement.Status.OPEN
    context = {
        "network": network,
        "disagreement": disagreement,
        "steps": disagreement.steps.select_related("instance"),
        "all_steps": DisagreementStep.ORDER,
        "current": disagreement.current_step(),
        "staff": staff,
        "form": (form or StepForm(network=network)) if staff and open_ else None,
        "section": "governance",
    }
    return render(request, "governance/disagreement.html", context)


@login_required
def disagreement(request: HttpRequest, pk: int, dis_pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    return _disagreement_page(request, network, _disagreement_for(request, network, dis_pk))


@login_required
def disagreement_step(request: HttpRequest, pk: int, dis_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    disagreement = _disagreement_for(request, network, dis_pk)
    if request.method != "POST":
        return post_only()
    form = StepForm(request.POST, network=network)
    if form.is_valid():
        try:
            services.close_step(disagreement=disagreement, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Étape consignée."))
            return redirect("governance:disagreement", pk=network.pk, dis_pk=disagreement.pk)
    return _disagreement_page(request, network, disagreement, form)

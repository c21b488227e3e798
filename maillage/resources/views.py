from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.locking import StaleEdit
from maillage.programs.access import post_only

from . import selectors, services
from .access import (
    acting_person,
    get_agreement,
    get_own_resource,
    get_resource,
    get_resources_network,
    may_manage,
    postable_members,
)
from .errors import ResourceError
from .forms import AgreementForm, EndForm, FeedForm, ResourceForm, SignForm, StatusForm, UseForm
from .models import Agreement, Kind, Proposal, Resource, Use


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # The staff's section bar marks « Ressources partagées » as the current section.
    return render(request, template, {"section": "resources", **context})


def _form_error(form: Any, error: ResourceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _mine(request: HttpRequest) -> set[int] | None:
    """Members whose proposals and agreements this person follows (None: all, for staff)."""
    return None if request.is_network_staff else request.my_member_ids


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    kind = request.GET.get("type", "")
    kind = kind if kind in Kind.values else ""
    mine = _mine(request)
    agreements = list(selectors.agreements_for(network, member_ids=mine))
    for agreement in agreements:
        agreement.waits_for_me = selectors.waiting_signature(agreement, request.my_member_ids)
    context = {
        "network": network,
        "kinds": Kind.choices,
        "kind": kind,
        "offers": selectors.listed_resources(network, direction="offer", kind=kind),
        "needs": selectors.listed_resources(network, direction="need", kind=kind),
        "own": selectors.own_resources(network, request.my_member_ids),
        "proposals": selectors.explained(
            selectors.proposals_for(network, member_ids=mine), request.my_member_ids
        ),
        "agreements": agreements,
        "may_post": postable_members(request, network).exists(),
    }
    return _render(request, "resources/home.html", context)


@login_required
def resource_new(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    network = get_resources_network(request, pk)
    members = postable_members(request, network)
    if not members.exists():
        raise Http404
    form = ResourceForm(request.POST or None, members=members, direction=direction)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("revision", None)
        try:
            resource = services.post_resource(
                network=network, direction=direction, by=acting_person(request), **data
            )
        except ResourceError as error:
            _form_error(form, error)
        else:
            found = len(selectors.proposals_for(network, member_ids=None, resource=resource))
            messages.success(request, _published(resource, found))
            return redirect("resources:resource", pk=network.pk, res_pk=resource.pk)
    return render(
        request,
        "resources/resource_form.html",
        {"network": network, "form": form, "direction": direction, "resource": None},
    )


def _published(resource: Resource, found: int) -> str:
    head = _("Offre publiée.") if resource.is_offer else _("Besoin publié.")
    if not found:
        return (
            head
            + " "
            + _("Aucun jumelage pour l’instant : vous serez proposé dès qu’il y en aura un.")
        )
    return (
        head
        + " "
        + ngettext(
            "%(n)d jumelage proposé ci-dessous.", "%(n)d jumelages proposés ci-dessous.", found
        )
        % {"n": found}
    )


@login_required
def resource(request: HttpRequest, pk: int, res_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    item = get_resource(request, network, res_pk)
    manage = may_manage(request, item)
    if item.status != Resource.Status.OPEN and not manage:
        raise Http404  # paused and closed resources stay with their organization
    # The two sides (and staff) see the proposals that name this resource.
    proposals = selectors.proposals_for(network, member_ids=_mine(request), resource=item)
    context = {
        "network": network,
        "resource": item,
        "manage": manage,
        "proposals": selectors.explained(proposals, request.my_member_ids),
        "agreements": selectors.agreements_for(network, member_ids=_mine(request)).filter(
            **({"offer": item} if item.is_offer else {"need": item})
        ),
    }
    return _render(request, "resources/resource.html", context)


@login_required
def resource_edit(request: HttpRequest, pk: int, res_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    item = get_own_resource(request, network, res_pk)
    members = postable_members(request, network)
    form = ResourceForm(
        request.POST or None, instance=item, members=members, direction=item.direction
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision", None)
        try:
            services.update_resource(
                resource=item, by=acting_person(request), revision=revision, **data
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except ResourceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Modifications enregistrées."))
            return redirect("resources:resource", pk=network.pk, res_pk=item.pk)
    return render(
        request,
        "resources/resource_form.html",
        {
            "network": network,
            "form": form,
            "direction": item.direction,
            "resource": item,
            "conflict": conflict,
        },
    )


@login_required
def resource_status(request: HttpRequest, pk: int, res_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    item = get_own_resource(request, network, res_pk)
    if request.method != "POST":
        return post_only()
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_resource_status(
                resource=item, status=form.cleaned_data["status"], by=acting_person(request)
            )
        except ResourceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("État changé : %(status)s.")
                % {"status": Resource.Status(form.cleaned_data["status"]).label},
            )
    return redirect("resources:resource", pk=network.pk, res_pk=item.pk)


def _proposal(request: HttpRequest, network: Any, prop_pk: int) -> Proposal:
    """A proposal one of this person's organizations is part of."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("offer__member", "need__member"),
        pk=prop_pk,
        network=network,
    )
    if not {proposal.offer.member_id, proposal.need.member_id} & request.my_member_ids:
        raise Http404
    return proposal


@login_required
def proposal_agree(request: HttpRequest, pk: int, prop_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    proposal = _proposal(request, network, prop_pk)
    if request.method != "POST":
        return post_only()
    try:
        agreement = services.start_agreement(proposal=proposal, by=acting_person(request))
    except ResourceError as error:
        messages.error(request, error.message)
        return redirect("resources:home", pk=network.pk)
    messages.success(
        request,
        _(
            "Entente préparée à partir du jumelage : relisez ses conditions, complétez-les, puis signez."
        ),
    )
    return redirect("resources:agreement", pk=network.pk, agr_pk=agreement.pk)


@login_required
def proposal_decline(request: HttpRequest, pk: int, prop_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    proposal = _proposal(request, network, prop_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.decline_proposal(proposal=proposal, by=acting_person(request))
    except ResourceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Jumelage décliné : il ne vous sera plus proposé."))
    return redirect("resources:home", pk=network.pk)


def _agreement_page(
    request: HttpRequest, network: Any, agreement: Agreement, **forms: Any
) -> HttpResponse:
    sides = agreement.side_of(request.my_member_ids)
    context = {
        "network": network,
        "agreement": agreement,
        "sides": sides,
        "to_sign": [s for s in sides if getattr(agreement, f"{s}_signed_at") is None],
        "uses": agreement.uses.select_related("recorded_by"),
        "use_form": forms.get("use_form") or UseForm(agreement=agreement),
        "end_form": forms.get("end_form") or EndForm(),
        "stale": forms.get("stale", False),
    }
    return _render(request, "resources/agreement.html", context)


@login_required
def agreement(request: HttpRequest, pk: int, agr_pk: int) -> HttpResponse:
    network = get_resources_network(request, pk)
    return _agreement_page(request, network, get_agreement(request, network, agr_pk))


def _party(request: HttpRequest, pk: int, agr_pk: int) -> tuple[Any, Agreement]:
    """An agreement this person signs for (staff who are not a side only read it)."""
    network = get_resources_network(request, pk)
    found = get_agreement(request, network, agr_pk)
    if not found.side_of(request.my_member_ids):
        raise Http404
    return network, found


@login_required
def agreement_edit(request: HttpRequest, pk: int, agr_pk: int) -> HttpResponse:
    network, item = _party(request, pk, agr_pk)
    if item.status != Agreement.Status.DRAFT:
        messages.info(request, _("Une entente signée ne se modifie plus."))
        return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)
    form = AgreementForm(request.POST or None, instance=item)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        revision = data.pop("revision", None)
        try:
            services.update_agreement(
                agreement=item, by=acting_person(request), revision=revision, **data
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except ResourceError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Conditions enregistrées. Chaque organisation signe cette version.")
            )
            return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)
    return render(
        request,
        "resources/agreement_form.html",
        {"network": network, "agreement": item, "form": form, "conflict": conflict},
    )


@login_required
def agreement_sign(request: HttpRequest, pk: int, agr_pk: int) -> HttpResponse:
    network, item = _party(request, pk, agr_pk)
    if request.method != "POST":
        return post_only()
    form = SignForm(request.POST)
    if not form.is_valid():
        return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)
    try:
        signed = services.sign_agreement(
            agreement=item,
            by=acting_person(request),
            revision=form.cleaned_data["revision"],
            side=form.cleaned_data["side"] or None,
        )
    except StaleEdit as stale:
        messages.error(request, stale.message)
        return _agreement_page(request, network, stale.current, stale=True)
    except ResourceError as error:
        messages.error(request, error.message)
    else:
        if signed.status == Agreement.Status.SIGNED:
            messages.success(
                request, _("Entente signée par les deux organisations : elle est en vigueur.")
            )
        else:
            messages.success(request, _("Signature enregistrée. L’autre organisation est avisée."))
    return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)


@login_required
def use_new(request: HttpRequest, pk: int, agr_pk: int) -> HttpResponse:
    network, item = _party(request, pk, agr_pk)
    if request.method != "POST":
        return post_only()
    form = UseForm(request.POST, agreement=item)
    if form.is_valid():
        try:
            services.record_use(agreement=item, by=acting_person(request), **form.cleaned_data)
        except ResourceError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Utilisation notée : les chiffres du réseau sont à jour."))
            return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)
    return _agreement_page(request, network, item, use_form=form)


@login_required
def use_delete(request: HttpRequest, pk: int, agr_pk: int, use_pk: int) -> HttpResponse:
    network, item = _party(request, pk, agr_pk)
    use = get_object_or_404(Use, pk=use_pk, agreement=item)
    if request.method != "POST":
        return post_only()
    try:
        services.delete_use(use=use, by=acting_person(request))
    except ResourceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Utilisation retirée."))
    return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)


@login_required
def agreement_end(request: HttpRequest, pk: int, agr_pk: int) -> HttpResponse:
    network, item = _party(request, pk, agr_pk)
    if request.method != "POST":
        return post_only()
    form = EndForm(request.POST)
    if form.is_valid():
        ended = services.end_agreement(
            agreement=item, by=acting_person(request), reason=form.cleaned_data["reason"]
        )
        if ended.status == Agreement.Status.ENDED:
            messages.success(request, _("Entente terminée. Ses utilisations restent comptées."))
        else:
            messages.success(request, _("Entente annulée avant sa signature."))
    return redirect("resources:agreement", pk=network.pk, agr_pk=item.pk)


@login_required
def feeds(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff choose which indicators the agreements, uses and tonnes feed."""
    network = get_resources_network(request, pk)
    if not request.is_network_staff:
        raise Http404
    current = services.feeds(network)
    form = FeedForm(request.POST or None, network=network, current=current)
    if request.method == "POST" and form.is_valid():
        for source, indicator in form.cleaned_data.items():
            if indicator != current.get(source):
                services.set_feed(
                    network=network, source=source, indicator=indicator, by=acting_person(request)
                )
        messages.success(request, _("Indicateurs alimentés enregistrés."))
        return redirect("resources:feeds", pk=network.pk)
    return _render(request, "resources/feeds.html", {"network": network, "form": form})

"""The directory's pages. Every page goes through an access helper (404 for anyone without a
role in the network; the public page 404 unless the network published it) and shows entries
masked for its viewer (selectors.entries)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.locking import StaleEdit
from maillage.core.tables import table_download
from maillage.measurement.models import Network
from maillage.measurement.selectors import directory_for
from maillage.programs.access import post_only

from . import cartogram, selectors, services
from .access import get_directory, get_editable_member, get_public_directory, get_staff_directory
from .errors import DirectoryError
from .forms import (
    FilterForm,
    NewOrganizationForm,
    OptionsForm,
    OrganizationForm,
    PhaseForm,
    VisibilityForm,
)
from .models import AUDIENCE_RANK, FIELDS
from .visibility import Viewer

PER_PAGE = 12


def _show(form: Any, error: DirectoryError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _browse(request: HttpRequest, network: Network, viewer: Viewer) -> dict[str, Any]:
    """Search, filters, map and one page of cards: the same for members and for the public."""
    every = selectors.entries(network, viewer)
    form = FilterForm(request.GET or None, found=every)
    # A choice no longer offered (an old link) finds nothing rather than everything.
    raw = {name: request.GET.get(name, "").strip()[:100] for name in FilterForm.base_fields}
    filters = selectors.Filters(**(form.cleaned_data if form.is_valid() else raw))
    found = selectors.search(every, filters)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The map's links choose a place: they keep the other filters, not the place chosen before.
    elsewhere = query.copy()
    for key in ("region", "mrc"):
        elsewhere.pop(key, None)
    return {
        "network": network,
        "viewer": viewer,
        "form": form,
        "filters": filters,
        "found": found,
        "total": len(every),
        "page": page,
        "query": query.urlencode(),
        "query_elsewhere": elsewhere.urlencode(),
        "map": cartogram.draw(found),
        "legend": cartogram.legend(),
        "mrcs": cartogram.mrc_counts(found, filters.region) if filters.region else [],
        "options": selectors.options_of(network),
    }


@login_required
def directory(request: HttpRequest, pk: int) -> HttpResponse:
    network, viewer = get_directory(request, pk)
    context = _browse(request, network, viewer)
    context["section"] = "directory"
    context["own"] = [e for e in context["found"] if e.member_id in viewer.own]
    query = f"?{context['query']}" if context["query"] else ""
    context["export_urls"] = {
        fmt: reverse("directory:export", args=[network.pk, fmt]) + query for fmt in ("csv", "xlsx")
    }
    return render(request, "directory/directory.html", context)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The entries of the page (its filters too), masked the same way."""
    network, viewer = get_directory(request, pk)
    found = _browse(request, network, viewer)["found"]
    headers, rows = selectors.directory_table(found)
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("annuaire"),
        instance=network,
        by=request.user,
        kind="directory",
    )


def public(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's public directory: no sign-in, public parts only."""
    network, viewer = get_public_directory(pk)
    return render(request, "directory/public.html", _browse(request, network, viewer))


@login_required
def organization(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    network, viewer = get_directory(request, pk)
    entry = selectors.entry_of(network, viewer, org_pk)
    if entry is None:
        raise Http404
    context = {"network": network, "entry": entry, "section": "directory", "viewer": viewer}
    if entry.editable:
        context["phase_form"] = PhaseForm()
        context["seen_by"] = _seen_by(network, org_pk)
        context["options_public"] = selectors.options_of(network).public
    return render(request, "directory/organization.html", context)


def _seen_by(network: Network, org_pk: int) -> dict[str, list[str]]:
    """For the people who edit a profile: which parts the members and the public see."""
    member = network.members.filter(organization_id=org_pk).first()
    profile = services.profile_of(member)
    rank = {"network": 1, "public": 2}
    return {
        audience: [
            str(label) for name, label in FIELDS if AUDIENCE_RANK[profile.audience_of(name)] >= need
        ]
        for audience, need in rank.items()
    }


@login_required
def organization_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_staff_directory(request, pk)
    form = NewOrganizationForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.add_organization(
                network=network, by=request.user, **form.cleaned_data
            )
        except DirectoryError as error:
            _show(form, error)
        else:
            name = member.organization.name
            messages.success(
                request, _("« %(name)s » est maintenant dans l’annuaire.") % {"name": name}
            )
            return redirect("directory:organization", pk=network.pk, org_pk=member.organization_id)
    known = directory_for(network)
    context = {"network": network, "form": form, "section": "directory", "known": known}
    return render(request, "directory/organization_new.html", context)


@login_required
def organization_edit(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    network, member, viewer = get_editable_member(request, pk, org_pk)
    org = member.organization
    form = OrganizationForm(request.POST or None, instance=org, network=network)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(organization=org, by=request.user, **form.cleaned_data)
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except DirectoryError as error:
            _show(form, error)
        else:
            messages.success(request, _("Fiche enregistrée."))
            return redirect("directory:organization", pk=network.pk, org_pk=org.pk)
    context = {"network": network, "member": member, "form": form, "conflict": conflict}
    return render(request, "directory/organization_edit.html", {**context, "section": "directory"})


@login_required
def visibility(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    network, member, viewer = get_editable_member(request, pk, org_pk)
    profile = services.profile_of(member)
    form = VisibilityForm(request.POST or None, profile=profile)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.set_visibility(
                member=member,
                visibility=form.visibility(),
                revision=form.cleaned_data["revision"],
                by=request.user,
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current, theirs=_choices_of(stale.current))
        else:
            messages.success(request, _("Vos choix de visibilité sont enregistrés."))
            return redirect("directory:organization", pk=network.pk, org_pk=member.organization_id)
    context = {"network": network, "member": member, "form": form, "conflict": conflict}
    context["options_public"] = selectors.options_of(network).public
    return render(request, "directory/visibility.html", {**context, "section": "directory"})


def _choices_of(profile: Any) -> dict[str, str]:
    return {name: profile.audience_of(name) for name, _label in FIELDS}


@login_required
def phase(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    network, member, viewer = get_editable_member(request, pk, org_pk)
    if request.method != "POST":
        return post_only()
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.record_phase(
                organization=member.organization, by=request.user, **form.cleaned_data
            )
        except DirectoryError as error:
            _show(form, error)
        else:
            messages.success(request, _("Changement de phase enregistré."))
            return redirect("directory:organization", pk=network.pk, org_pk=member.organization_id)
    entry = selectors.entry_of(network, viewer, member.organization_id)
    context = {"network": network, "entry": entry, "phase_form": form, "section": "directory"}
    return render(request, "directory/organization.html", {**context, "viewer": viewer})


@login_required
def options(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_staff_directory(request, pk)
    form = OptionsForm(request.POST or None, instance=selectors.options_of(network))
    if request.method == "POST" and form.is_valid():
        services.set_directory_options(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, _("Options de l’annuaire enregistrées."))
        return redirect("directory:directory", pk=network.pk)
    context = {"network": network, "form": form, "section": "directory"}
    return render(request, "directory/options.html", context)

"""The governance model's pages: the network's governance home, a version with its diagram,
findings and comparison, its instances (mandate, seats, terms) and links.

Staff of the backbone manage everything from here; members and funders see the adopted model
(the network page links here for every role); anyone else gets 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from maillage.core.locking import StaleEdit
from maillage.programs.access import post_only

from . import services
from .access import (
    PARTICIPANTS,
    STAFF,
    instance_for,
    is_participant,
    is_staff,
    network_for,
    version_for,
)
from .analysis import check_version, compare_versions
from .diagram import link_sentence, render_svg
from .errors import GovernanceError
from .forms import (
    AdoptForm,
    HolderForm,
    InstanceForm,
    LinkForm,
    MeetingForm,
    SeatForm,
    VersionForm,
    VersionNewForm,
)
from .models import Instance, Link, Seat, SeatHolder, Version


def _show(form: Any, error: GovernanceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def drawing(version: Version, *, staff: bool, id_prefix: str = "gov") -> dict[str, Any]:
    """The diagram of a version with what changed highlighted (and, for staff, what the checks
    flag), the same links in words, and the comparison with the previous version."""
    comparison = compare_versions(version)
    findings = check_version(version) if staff else []
    badges: dict[int, str] = {}
    for instance in comparison.added:
        badges[instance.pk] = _("nouvelle")
    for _before, after in comparison.renamed:
        badges[after.pk] = _("renommée")
    for after, _words in comparison.seats_changed:
        badges.setdefault(after.pk, _("sièges modifiés"))
    flagged = {
        pk
        for f in findings
        if f.code in ("unlinked", "cycle", "two_superiors")
        for pk in f.instance_ids
    }
    svg = render_svg(
        version,
        id_prefix=id_prefix,
        highlight_instances={i.pk for i in comparison.added},
        changed_instances=comparison.changed_instance_ids - {i.pk for i in comparison.added},
        highlight_links=comparison.added_link_ids if comparison.previous else set(),
        flagged=flagged,
        badges=badges if comparison.previous else {},
    )
    links = list(version.links.select_related("source", "target"))
    return {
        "svg": mark_safe(svg),  # built with ElementTree: every text is escaped
        "link_sentences": [(link, link_sentence(link)) for link in links],
        "comparison": comparison,
        "findings": findings,
        "flagged": flagged,
    }


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    network = network_for(request, pk)
    staff = is_staff(request)
    current = services.current_version(network)
    context: dict[str, Any] = {
        "network": network,
        "staff": staff,
        "participant": is_participant(request),
        "funder_only": not is_participant(request),
        "current": current,
        "section": "governance",
    }
    if current is not None:
        context.update(drawing(current, staff=False))
        context["instances"] = current.instances.prefetch_related("seats__holders")
    if staff:
        context["versions"] = network.governance_versions.all()
        context["new_form"] = VersionNewForm(
            initial={"name": _("Modèle %(n)s") % {"n": len(context["versions"]) + 1}}
        )
    return render(request, "governance/home.html", context)


@login_required
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    form = VersionNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.create_version(network=network, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Modèle « %(name)s » créé.") % {"name": version.name})
            return redirect("governance:version", pk=network.pk, version_pk=version.pk)
    context = {"network": network, "form": form, "section": "governance"}
    return render(request, "governance/version_new.html", context)


@login_required
def version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk)
    version = version_for(request, network, version_pk)
    staff = is_staff(request)
    context: dict[str, Any] = {
        "network": network,
        "version": version,
        "staff": staff,
        "participant": is_participant(request),
        "instances": version.instances.prefetch_related("seats__holders"),
        "section": "governance",
        **drawing(version, staff=staff),
    }
    previous = context["comparison"].previous
    if previous is not None and (staff or previous.status == Version.Status.ADOPTED):
        context["previous_svg"] = mark_safe(render_svg(previous, id_prefix="gov-prev"))
    if staff:
        context["next_name"] = _("Modèle %(n)s") % {"n": network.governance_versions.count() + 1}
    if staff and version.is_draft:
        context["instance_form"] = InstanceForm(prefix="new")
        context["link_form"] = LinkForm(version=version)
        context["adopt_form"] = AdoptForm()
    return render(request, "governance/version.html", context)


@login_required
def version_svg(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk)
    version = version_for(request, network, version_pk)
    svg = render_svg(version, id_prefix=f"gov-{version.pk}")
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + svg, content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'inline; filename="gouvernance-{version.number}.svg"'
    return response


@login_required
def version_edit(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    version = version_for(request, network, version_pk)
    form = VersionForm(request.POST or None, instance=version)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_version(
                version=version, name=data["name"], notes=data["notes"], seen=data["revision"]
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Modèle enregistré."))
            return redirect("governance:version", pk=network.pk, version_pk=version.pk)
    context = {"network": network, "version": version, "form": form, "conflict": conflict}
    return render(request, "governance/version_edit.html", {**context, "section": "governance"})


@login_required
def version_adopt(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    version = version_for(request, network, version_pk)
    if request.method != "POST":
        return post_only()
    form = AdoptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date d’adoption."))
    else:
        try:
            services.adopt_version(version=version, on=form.cleaned_data["adopted_on"])
        except GovernanceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("« %(name)s » est le modèle en vigueur.") % {"name": version.name}
            )
    return redirect("governance:version", pk=network.pk, version_pk=version.pk)


@login_required
def version_delete(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    version = version_for(request, network, version_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.delete_version(version=version)
    except GovernanceError as error:
        messages.error(request, error.message)
        return redirect("governance:version", pk=network.pk, version_pk=version.pk)
    messages.success(request, _("Brouillon supprimé."))
    return redirect("governance:home", pk=network.pk)


@login_required
def instance_new(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    version = version_for(request, network, version_pk)
    form = InstanceForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instance = services.add_instance(
                version=version, name=data["name"], kind=data["kind"], mandate=data["mandate"]
            )
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                _("Instance « %(name)s » ajoutée : ouvrez-la pour définir ses sièges.")
                % {"name": instance.name},
            )
            return redirect("governance:version", pk=network.pk, version_pk=version.pk)
    context = {"network": network, "version": version, "form": form, "section": "governance"}
    return render(request, "governance/instance_new.html", context)


def _instance_page(request: HttpRequest, network: Any, instance: Instance, **forms: Any):
    # Seats and links change in a draft; the people in the seats in the model in force too.
    staff = is_staff(request) and instance.version.is_draft
    people = is_staff(request) and instance.version.is_editable
    context = {
        "network": network,
        "instance": instance,
        "version": instance.version,
        "staff": is_staff(request),
        "editable": staff,
        "people_editable": people,
        "seats": instance.seats.prefetch_related("holders__member__organization"),
        "links_out": instance.links_out.select_related("target"),
        "links_in": instance.links_in.select_related("source"),
        "meetings": instance.meetings.prefetch_related("decisions"),
        "today": date.today(),
        "section": "governance",
    }
    if staff:
        context["seat_form"] = forms.get("seat_form") or SeatForm()
    if people:
        context["holder_form"] = forms.get("holder_form") or HolderForm(instance=instance)
    if is_staff(request):
        context["meeting_form"] = forms.get("meeting_form") or MeetingForm()
    return render(request, "governance/instance.html", context)


@login_required
def instance(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, PARTICIPANTS)
    return _instance_page(request, network, instance_for(request, network, instance_pk))


@login_required
def instance_edit(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    instance = instance_for(request, network, instance_pk)
    form = InstanceForm(request.POST or None, instance=instance)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_instance(
                instance=instance,
                name=data["name"],
                kind=data["kind"],
                mandate=data["mandate"],
                seen=data["revision"],
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Instance enregistrée."))
            return redirect("governance:instance", pk=network.pk, instance_pk=instance.pk)
    context = {"network": network, "instance": instance, "form": form, "conflict": conflict}
    return render(request, "governance/instance_edit.html", {**context, "section": "governance"})


@login_required
def instance_remove(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    instance = instance_for(request, network, instance_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_instance(instance=instance)
    except GovernanceError as error:
        messages.error(request, error.message)
        return redirect("governance:instance", pk=network.pk, instance_pk=instance.pk)
    messages.success(request, _("Instance « %(name)s » retirée.") % {"name": instance.name})
    return redirect("governance:version", pk=network.pk, version_pk=instance.version_id)


@login_required
def seat_set(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    instance = instance_for(request, network, instance_pk)
    if request.method != "POST":
        return post_only()
    form = SeatForm(request.POST)
    if form.is_valid():
        try:
            services.set_seats(instance=instance, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Sièges enregistrés."))
            return redirect("governance:instance", pk=network.pk, instance_pk=instance.pk)
    return _instance_page(request, network, instance, seat_form=form)


@login_required
def seat_remove(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    seat = get_object_or_404(Seat, pk=seat_pk, instance__version__network=network)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_seat(seat=seat)
    except GovernanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Sièges retirés."))
    return redirect("governance:instance", pk=network.pk, instance_pk=seat.instance_id)


@login_required
def holder_add(request: HttpRequest, pk: int, instance_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    instance = instance_for(request, network, instance_pk)
    if request.method != "POST":
        return post_only()
    form = HolderForm(request.POST, instance=instance)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_holder(
                seat=data["seat"],
                name=data["name"],
                member=data["member"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("%(name)s siège maintenant.") % {"name": data["name"]})
            return redirect("governance:instance", pk=network.pk, instance_pk=instance.pk)
    return _instance_page(request, network, instance, holder_form=form)


@login_required
def holder_remove(request: HttpRequest, pk: int, holder_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    holder = get_object_or_404(
        SeatHolder.objects.select_related("seat"),
        pk=holder_pk,
        seat__instance__version__network=network,
    )
    if request.method != "POST":
        return post_only()
    try:
        services.remove_holder(holder=holder)
    except GovernanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s ne siège plus.") % {"name": holder.name})
    return redirect("governance:instance", pk=network.pk, instance_pk=holder.seat.instance_id)


@login_required
def link_add(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    version = version_for(request, network, version_pk)
    form = LinkForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.add_link(version=version, **form.cleaned_data)
        except GovernanceError as error:
            _show(form, error)
        else:
            messages.success(request, _("Lien ajouté : %(link)s.") % {"link": link_sentence(link)})
            return redirect("governance:version", pk=network.pk, version_pk=version.pk)
    context = {"network": network, "version": version, "form": form, "section": "governance"}
    return render(request, "governance/link_new.html", context)


@login_required
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    network = network_for(request, pk, STAFF)
    link = get_object_or_404(
        Link.objects.select_related("source", "target"), pk=link_pk, version__network=network
    )
    if request.method != "POST":
        return post_only()
    try:
        services.remove_link(link=link)
    except GovernanceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Lien retiré : %(link)s.") % {"link": link_sentence(link)})
    return redirect("governance:version", pk=network.pk, version_pk=link.version_id)

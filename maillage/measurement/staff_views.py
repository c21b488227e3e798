"""The backbone staff's pages to run a network: its member organizations and who holds which
role. Everyone else gets 404, as on every page of a network they may not open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.views import invite_and_tell
from maillage.programs.access import post_only

from . import services
from .access import STAFF, get_network
from .errors import MeasurementError
from .forms import MemberForm, NetworkRoleForm
from .models import NetworkRole
from .selectors import directory_for, members_of, members_table, roles_of, roles_table
from .views import download_table


def _show(form, error: MeasurementError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def members(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.join_network(network=network, **form.cleaned_data)
        except MeasurementError as error:
            _show(form, error)
        else:
            name = member.organization.name
            messages.success(
                request, _("« %(name)s » est maintenant membre du réseau.") % {"name": name}
            )
            return redirect("measurement:members", pk=network.pk)
    context = {
        "network": network,
        "members": members_of(network),
        "directory": directory_for(network),
        "form": form,
        "section": "members",
    }
    return render(request, "measurement/members.html", context)


@login_required
def members_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    return download_table(request, fmt, members_table(members_of(network)), _("membres"), network)


@login_required
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    member = get_object_or_404(members_of(network), pk=member_pk)
    if request.method == "POST":
        try:
            services.remove_member(member=member)
        except MeasurementError as error:
            messages.error(request, error.message)
        else:
            name = member.organization.name
            messages.success(
                request, _("« %(name)s » ne fait plus partie du réseau.") % {"name": name}
            )
        return redirect("measurement:members", pk=network.pk)
    context = {"network": network, "member": member, "section": "members"}
    return render(request, "measurement/member_remove.html", context)


@login_required
def roles(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    form = NetworkRoleForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.assign_network_role_by_email(
                network=network, by=request.user, **form.cleaned_data
            )
        except MeasurementError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                _("%(person)s : %(role)s.")
                % {"person": role.person.full_name, "role": role.get_kind_display()},
            )
            return redirect("measurement:roles", pk=network.pk)
    context = {
        "network": network,
        "roles": roles_of(network),
        "form": form,
        "kinds": NetworkRole.Kind,
        "section": "roles",
    }
    return render(request, "measurement/roles.html", context)


@login_required
def roles_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    return download_table(request, fmt, roles_table(roles_of(network)), _("rôles"), network)


@login_required
def role_remove(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    role = get_object_or_404(network.roles.select_related("person"), pk=role_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_network_role(role=role)
    except MeasurementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Rôle retiré : %(person)s, %(role)s.")
            % {"person": role.person.full_name, "role": role.get_kind_display()},
        )
    return redirect("measurement:roles", pk=network.pk)


@login_required
def role_invite(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    """Invite the person holding this role to sign in (or send the invitation again)."""
    network = get_network(request, pk, STAFF)
    role = get_object_or_404(network.roles.select_related("person"), pk=role_pk)
    if request.method != "POST":
        return post_only()
    invite_and_tell(request, role.person, network=network)
    return redirect("measurement:roles", pk=network.pk)

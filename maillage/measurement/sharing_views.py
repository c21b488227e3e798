"""The program side of shared measurement: a coordinator shares the program with a network its
organization belongs to (their consent is recorded), or withdraws the sharing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.programs.access import STAFF, get_program, post_only
from maillage.reports.suppression import small_cell_k

from . import services
from .errors import MeasurementError
from .models import MemberProgram, NetworkMember
from .selectors import memberships_of


@login_required
def program_networks(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    context = {
        "program": program,
        "memberships": memberships_of(program),
        "k": small_cell_k(),
        "section": "settings",
    }
    return render(request, "measurement/program_networks.html", context)


@login_required
def program_share(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    member = get_object_or_404(
        NetworkMember.objects.select_related("network"),
        pk=member_pk,
        organization_id=program.coordinating_organization_id,
    )
    if request.method != "POST":
        return post_only()
    try:
        services.attach_program(
            member=member, program=program, consent_by=getattr(request.user, "person", None)
        )
    except MeasurementError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Programme partagé avec « %(network)s ».") % {"network": member.network.name},
        )
    return redirect("measurement:program_networks", pk=program.pk)


@login_required
def program_unshare(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    link = get_object_or_404(
        MemberProgram.objects.select_related("member__network", "consent_by"),
        member_id=member_pk,
        program=program,
    )
    if request.method == "POST":
        try:
            services.detach_program(link=link, by=getattr(request.user, "person", None))
        except MeasurementError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Le programme n’alimente plus « %(network)s ».")
                % {"network": link.member.network.name},
            )
        return redirect("measurement:program_networks", pk=program.pk)
    context = {"program": program, "link": link, "section": "settings"}
    return render(request, "measurement/program_unshare.html", context)

"""Network staff appoint the network's assessors (the network is the accreditation body)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.measurement.access import STAFF, get_network
from maillage.programs.access import post_only

from . import services
from .errors import AccreditationError
from .forms import AppointForm
from .models import Assessor


@login_required
def assessors(request: HttpRequest, network_pk: int) -> HttpResponse:
    network = get_network(request, network_pk, STAFF)
    form = AppointForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            assessor = services.appoint_assessor(
                network=network, person=form.cleaned_data["person"], by=request.user
            )
        except AccreditationError as error:
            form.add_error("person", error.message)
        else:
            messages.success(
                request,
                _("%(person)s évalue désormais pour ce réseau.")
                % {"person": assessor.person.full_name},
            )
            return redirect("accreditation:assessors", network_pk=network.pk)
    context = {
        "network": network,
        "form": form,
        "assessors": Assessor.objects.filter(network=network)
        .select_related("person")
        .order_by("ended_at", "person__last_name"),
    }
    return render(request, "accreditation/assessors.html", context)


@login_required
def assessor_end(request: HttpRequest, network_pk: int, assessor_pk: int) -> HttpResponse:
    network = get_network(request, network_pk, STAFF)
    assessor = get_object_or_404(Assessor.objects.active(), network=network, pk=assessor_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.end_assessor(assessor=assessor, by=request.user)
    except AccreditationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Mandat terminé : %(person)s.") % {"person": assessor.person.full_name}
        )
    return redirect("accreditation:assessors", network_pk=network.pk)

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.portability.writing import CSV_TYPE, XLSX_TYPE, to_csv, to_xlsx
from maillage.programs.access import post_only

from . import services
from .access import STAFF, Kind, get_network, own_members
from .aggregation import export_rows, network_page, network_views
from .errors import MeasurementError
from .forms import BaselineForm, IndicatorForm, MeasurementForm, TargetForm
from .models import Indicator, Network


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.of_user(request.user)
    return render(request, "measurement/list.html", {"networks": networks})


@login_required
def network(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_network(request, pk)
    is_staff = Kind.STAFF in request.network_roles
    # Programs just shared have no stored figures yet: computed once here, read from then on.
    services.ensure_figures(network=network)
    # Only backbone staff see figures by member, and then through the small-cell rule.
    page = network_page(network, with_members=is_staff)
    return render(
        request,
        "measurement/network.html",
        {
            "network": network,
            "views": page.views,
            "figures": page.figures,
            "refresh_pending": services.refresh_pending(network),
            "is_staff": is_staff,
            "may_enter": own_members(request, network).exists(),
        },
    )


@login_required
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff's « Mettre à jour les chiffres »: queue the background refresh."""
    network = get_network(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    if services.request_figures_refresh(network=network):
        messages.success(
            request,
            _("Mise à jour des chiffres lancée : elle se fait en arrière-plan."),
        )
    else:
        messages.info(request, _("Une mise à jour des chiffres est déjà en cours."))
    return redirect("measurement:network", pk=network.pk)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    network = get_network(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    headers = [
        _("Code"),
        _("Indicateur"),
        _("Unité"),
        _("Date"),
        _("Réel"),
        _("Cible du plan"),
        _("Valeur de référence"),
    ]
    rows = export_rows(network_views(network, with_members=False))
    record(action="export", instance=network)
    if fmt == "csv":
        response = HttpResponse(to_csv(headers, rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(to_xlsx(headers, rows, title=network.name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="reseau-{network.pk}.{fmt}"'
    return response


@login_required
def indicator_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.define_indicator(network=network, **form.cleaned_data)
        except MeasurementError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Indicateur ajouté."))
            return redirect("measurement:plan", pk=network.pk, ind_pk=indicator.pk)
    return render(request, "measurement/indicator_form.html", {"network": network, "form": form})


@login_required
def plan(request: HttpRequest, pk: int, ind_pk: int) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    indicator = get_object_or_404(Indicator, pk=ind_pk, network=network)
    baseline_form = BaselineForm(request.POST if "baseline" in request.POST else None)
    target_form = TargetForm(request.POST if "target" in request.POST else None)
    if request.method == "POST":
        if "baseline" in request.POST and baseline_form.is_valid():
            services.set_baseline(indicator=indicator, **baseline_form.cleaned_data)
            messages.success(request, _("Valeur de référence enregistrée."))
            return redirect("measurement:plan", pk=pk, ind_pk=ind_pk)
        if "target" in request.POST and target_form.is_valid():
            services.set_target(indicator=indicator, **target_form.cleaned_data)
            messages.success(request, _("Cible enregistrée."))
            return redirect("measurement:plan", pk=pk, ind_pk=ind_pk)
    context = {
        "network": network,
        "indicator": indicator,
        "baseline_form": baseline_form,
        "target_form": target_form,
        "targets": indicator.targets.all(),
    }
    return render(request, "measurement/plan.html", context)


@login_required
def enter(request: HttpRequest, pk: int, ind_pk: int) -> HttpResponse:
    network = get_network(request, pk)
    indicator = get_object_or_404(
        Indicator, pk=ind_pk, network=network, kind=Indicator.Kind.ENTERED
    )
    members = own_members(request, network)
    if not members.exists():
        raise Http404
    form = MeasurementForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_measurement(indicator=indicator, user=request.user, **form.cleaned_data)
        except MeasurementError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Valeur enregistrée."))
            return redirect("measurement:network", pk=network.pk)
    recent = indicator.measurements.filter(member__in=members, program=None).select_related(
        "member__organization"
    )
    return render(
        request,
        "measurement/enter.html",
        {"network": network, "indicator": indicator, "form": form, "recent": recent},
    )

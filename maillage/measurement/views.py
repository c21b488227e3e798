from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.tables import table_download
from maillage.programs.access import post_only
from maillage.programs.views import answer_invitation_page

from . import selectors, services
from .access import STAFF, Kind, get_network, own_members
from .aggregation import network_page, network_views
from .errors import MeasurementError
from .forms import BaselineForm, IndicatorForm, MeasurementForm, NetworkStartForm, TargetForm
from .models import Indicator, Network, NetworkInvitation


def download_table(request: HttpRequest, fmt: str, table: Any, name: str, instance: Any) -> Any:
    headers, rows = table
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=name, instance=instance, by=request.user
    )


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    networks = Network.objects.of_user(request.user)
    return render(request, "measurement/list.html", {"networks": networks})


@login_required
def network_new(request: HttpRequest) -> HttpResponse:
    """« Créer un réseau »: the platform's administrator only; the person named runs it."""
    if not request.user.is_superuser:
        raise Http404
    form = NetworkStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.start_network(by=request.user, **form.cleaned_data)
        except MeasurementError as error:
            field = {"name": "backbone_name"}.get(error.field or "", error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Réseau créé. Invitez maintenant son équipe à se connecter depuis la page Rôles."
                ),
            )
            return redirect("measurement:network", pk=network.pk)
    return render(request, "measurement/network_new.html", {"form": form})


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
            "progress": services.refresh_progress(network) if is_staff else None,
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
    if services.request_figures_refresh(network=network, by=request.user):
        messages.success(
            request,
            _("Mise à jour des chiffres lancée : elle se fait en arrière-plan."),
        )
    else:
        messages.info(request, _("Une mise à jour des chiffres est déjà en cours."))
    return redirect("measurement:network", pk=network.pk)


@login_required
def refresh_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The refresh's progress, polled by the network page (htmx); once done the page reloads
    itself on the new figures. Staff only, like the button."""
    network = get_network(request, pk, STAFF)
    progress = services.refresh_progress(network)
    if progress is None or not request.headers.get("HX-Request"):
        target = reverse("measurement:network", args=[network.pk])
        if not request.headers.get("HX-Request"):
            return redirect(target)
        response = HttpResponse(status=204)
        # A new address (not the same one), so that the browser loads the page again.
        done = "echec" if network.figures_failed_at else "a-jour"
        response["HX-Redirect"] = f"{target}?chiffres={done}"
        return response
    return render(
        request,
        "measurement/includes/refresh_progress.html",
        {"network": network, "progress": progress},
    )


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The aggregates, for every role (funders too): never a member's figures."""
    network = get_network(request, pk)
    table = selectors.network_table(network_views(network, with_members=False))
    return download_table(request, fmt, table, _("indicateurs communs"), network)


@login_required
def member_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The staff's tables by member organization, through the small-cell rule like the page."""
    network = get_network(request, pk, STAFF)
    services.ensure_figures(network=network)
    table = selectors.member_figures_table(network_views(network, with_members=True))
    return download_table(request, fmt, table, _("chiffres par organisation membre"), network)


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
def plan_export(request: HttpRequest, pk: int, ind_pk: int, fmt: str) -> HttpResponse:
    network = get_network(request, pk, STAFF)
    indicator = get_object_or_404(Indicator, pk=ind_pk, network=network)
    return download_table(request, fmt, selectors.targets_table(indicator), _("cibles"), indicator)


def _entry(request: HttpRequest, pk: int, ind_pk: int) -> tuple[Network, Indicator, Any]:
    """An entered indicator and the members whose values this person enters (and sees): all
    for staff, their own for a member's coordinator, 404 for anyone else."""
    network = get_network(request, pk)
    indicator = get_object_or_404(
        Indicator, pk=ind_pk, network=network, kind=Indicator.Kind.ENTERED
    )
    members = own_members(request, network)
    if not members.exists():
        raise Http404
    return network, indicator, members


@login_required
def enter(request: HttpRequest, pk: int, ind_pk: int) -> HttpResponse:
    network, indicator, members = _entry(request, pk, ind_pk)
    form = MeasurementForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_measurement(indicator=indicator, user=request.user, **form.cleaned_data)
        except MeasurementError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Valeur enregistrée."))
            return redirect("measurement:network", pk=network.pk)
    recent = selectors.recent_values(indicator, members)
    return render(
        request,
        "measurement/enter.html",
        {"network": network, "indicator": indicator, "form": form, "recent": recent},
    )


@login_required
def enter_export(request: HttpRequest, pk: int, ind_pk: int, fmt: str) -> HttpResponse:
    _network, indicator, members = _entry(request, pk, ind_pk)
    table = selectors.recent_table(indicator, selectors.recent_values(indicator, members))
    return download_table(request, fmt, table, _("valeurs saisies"), indicator)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = NetworkInvitation.from_token(token)
    name = found.network.name if found is not None else ""
    return answer_invitation_page(
        request,
        token,
        found,
        answer=services.answer_network_invitation,
        error=MeasurementError,
        url_name="measurement:invitation",
        heading=_("Invitation à rejoindre le réseau « %(name)s »") % {"name": name},
        accepted=_("Vous faites maintenant partie du réseau « %(network)s ».") % {"network": name},
        declined=_("Invitation refusée : rien de votre fiche n’a été transmis au réseau."),
        privacy=_(
            "Tant que vous n’avez pas accepté, l’équipe de ce réseau ne voit rien de votre "
            "fiche Maillage (organisation, coordonnées)."
        ),
    )

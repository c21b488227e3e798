"""The privacy page (public) and the privacy officer's reading of the audit trail."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import record_view
from maillage.core.tables import FORMATS, table_download
from maillage.portability.services import my_data_csv, my_data_json
from maillage.portability.views import attachment

from . import retention, selectors, services
from .access import is_privacy_officer, require_officer
from .errors import PrivacyError
from .forms import (
    AnswerForm,
    DestructionFilterForm,
    IncidentForm,
    RequestForm,
    TrailFilterForm,
)
from .models import Incident, PrivacyRequest

PAGE_SIZE = 50


def policy(request: HttpRequest) -> HttpResponse:
    """What Maillage collects and why, the person in charge, and the rights of everyone."""
    officer = {
        "name": settings.PRIVACY_OFFICER_NAME,
        "title": settings.PRIVACY_OFFICER_TITLE,
        "email": settings.PRIVACY_OFFICER_EMAIL,
        "phone": settings.PRIVACY_OFFICER_PHONE,
        "address": settings.PRIVACY_OFFICER_ADDRESS,
    }
    return render(
        request,
        "privacy/policy.html",
        {
            "officer": officer,
            "is_officer": is_privacy_officer(request.user),
            "rules": retention.RULES,
        },
    )


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    """The audit trail, filtered by person, object, action and dates; 50 entries a page."""
    require_officer(request)
    form = TrailFilterForm(
        request.GET or None,
        models=selectors.models_in_trail(),
        actions=selectors.actions_in_trail(),
        programs=selectors.programs_in_trail(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.trail(**{k: v for k, v in filters.items() if v})
    listing = _log_listing(
        request, entries, selectors.trail_table, _("journal d’audit"), "audit-trail"
    )
    if isinstance(listing, HttpResponse):
        return listing
    for entry in listing["page"]:
        entry.who = selectors.actor_name(entry)
        entry.label = selectors.action_label(entry.action)
    return render(request, "privacy/trail.html", {"form": form, **listing})


def _log_listing(
    request: HttpRequest, entries: Any, table: Any, name: str, kind: str
) -> HttpResponse | dict[str, Any]:
    """A log's download (`?format=csv|xlsx`, the filtered entries) or its page of 50 with the
    query string that keeps the filters."""
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        headers, rows = table(entries[:50000])
        return table_download(
            fmt=fmt,
            headers=headers,
            rows=rows,
            name=name,
            instance=request.user,
            by=request.user,
            kind=kind,
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": query.urlencode()}


def _show_error(form: Any, error: PrivacyError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    """« Mes demandes » : a person files a request about their information and follows it."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_request(person=person, by=request.user, **form.cleaned_data)
        except PrivacyError as error:
            _show_error(form, error)
        else:
            messages.success(
                request, _("Demande reçue : la personne responsable vous répond dans les 30 jours.")
            )
            return redirect("privacy:my_requests")
    items = PrivacyRequest.objects.filter(person=person).order_by("-filed_at")
    return render(request, "privacy/my_requests.html", {"form": form, "items": items})


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The officer's register: open requests first, the overdue ones marked."""
    require_officer(request)
    items = PrivacyRequest.objects.select_related("handled_by__person").order_by(
        "status", "due_on", "id"
    )
    today = timezone.localdate()
    for item in items:
        item.overdue = item.is_overdue(today)
    return render(
        request,
        "privacy/register.html",
        {"items": items, "overdue": PrivacyRequest.objects.overdue(today).count()},
    )


@login_required
def register_item(request: HttpRequest, item_pk: int) -> HttpResponse:
    require_officer(request)
    item = get_object_or_404(PrivacyRequest, pk=item_pk)
    form = AnswerForm(request.POST or None, initial={"status": item.status, "answer": item.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_request(item=item, by=request.user, **form.cleaned_data)
        except PrivacyError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Demande mise à jour."))
            return redirect("privacy:register")
    record_view(instance=item, by=request.user)
    return render(
        request,
        "privacy/register_item.html",
        {
            "item": item,
            "form": form,
            "overdue": item.is_overdue(),
            "erased": item.destructions.exists(),
            "kinds": PrivacyRequest.Kind,
        },
    )


@login_required
def register_data(request: HttpRequest, item_pk: int, fmt: str) -> HttpResponse:
    """The officer's copy of the person's data, to answer an access or portability request."""
    require_officer(request)
    item = get_object_or_404(PrivacyRequest, pk=item_pk, person__isnull=False)
    makers = {"json": my_data_json, "csv": my_data_csv}
    if fmt not in makers:
        raise Http404
    return attachment(makers[fmt](person=item.person, by=request.user, request_pk=item.pk))


@login_required
def register_erase(request: HttpRequest, item_pk: int) -> HttpResponse:
    """A deletion request answered: the person is anonymized now, the log names the request."""
    require_officer(request)
    item = get_object_or_404(PrivacyRequest, pk=item_pk)
    if request.method != "POST":
        return redirect("privacy:register_item", item.pk)
    try:
        services.erase_person_for_request(item=item, by=request.user)
    except PrivacyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Renseignements effacés ; la destruction est inscrite au journal. Inscrivez la réponse donnée."
            ),
        )
    return redirect("privacy:register_item", item.pk)


@login_required
def incidents(request: HttpRequest) -> HttpResponse:
    """The incident register: the list, and a new incident entered below it."""
    require_officer(request)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_incident(by=request.user, **form.cleaned_data)
        except PrivacyError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Incident inscrit au registre."))
            return redirect("privacy:incidents")
    return render(
        request, "privacy/incidents.html", {"form": form, "items": Incident.objects.all()}
    )


@login_required
def incident(request: HttpRequest, item_pk: int) -> HttpResponse:
    require_officer(request)
    item = get_object_or_404(Incident, pk=item_pk)
    form = IncidentForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incident(incident=item, by=request.user, **form.cleaned_data)
        except PrivacyError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Incident mis à jour."))
            return redirect("privacy:incidents")
    return render(request, "privacy/incident.html", {"form": form, "item": item})


@login_required
def retention_page(request: HttpRequest) -> HttpResponse:
    """The retention rules, what the next daily run would destroy (a dry run: counts only),
    and the destruction log, filtered and downloadable."""
    require_officer(request)
    form = DestructionFilterForm(request.GET or None, rules=selectors.rule_choices())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.destructions(**{k: v for k, v in filters.items() if v})
    listing = _log_listing(
        request,
        entries,
        selectors.destructions_table,
        _("journal des destructions"),
        "destruction-log",
    )
    if isinstance(listing, HttpResponse):
        return listing
    for entry in listing["page"]:
        entry.who = selectors.destroyed_by(entry)
        entry.label = retention.rule_label(entry.rule)
    outcomes = services.apply_retention(dry_run=True)
    return render(
        request, "privacy/retention.html", {"form": form, "outcomes": outcomes, **listing}
    )

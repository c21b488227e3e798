"""The privacy page (public) and the privacy officer's reading of the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from maillage.core.tables import FORMATS, table_download

from . import selectors
from .access import is_privacy_officer, require_officer
from .forms import TrailFilterForm

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
        {"officer": officer, "is_officer": is_privacy_officer(request.user)},
    )


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    """The audit trail, filtered by person, object, action and dates; 50 entries a page."""
    require_officer(request)
    form = TrailFilterForm(
        request.GET or None,
        models=selectors.models_in_trail(),
        actions=selectors.actions_in_trail(),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.trail(**{k: v for k, v in filters.items() if v})
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        headers, rows = selectors.trail_table(entries[:50000])
        return table_download(
            fmt=fmt,
            headers=headers,
            rows=rows,
            name=_("journal d’audit"),
            instance=request.user,
            by=request.user,
            kind="audit-trail",
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.who = selectors.actor_name(entry)
        entry.label = selectors.action_label(entry.action)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "privacy/trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )

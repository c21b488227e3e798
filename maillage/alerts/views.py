"""Pages of the follow-up: the coordinator's dashboard and health check, each person's mutes.

The dashboard and the health check are the coordination's (404 for anyone else); reminders that
concern mentors and mentees reach them by e-mail, and each person chooses which kinds to mute.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import ReminderMute
from maillage.mentoring.models import Group
from maillage.programs.access import STAFF, get_program

from . import health as program_health
from . import selectors, services
from .errors import AlertError
from .forms import MuteForm
from .models import Kind


def _today(request: HttpRequest) -> date:
    return timezone.localdate()


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    today = _today(request)
    viewer = ",".join(sorted(request.program_roles))
    rows = selectors.dashboard_fragments(program, today=today, viewer=viewer)
    context = {
        "program": program,
        "section": "follow_up",
        "rows": rows,
        "today": today,
        "open_count": sum(r.data["alerts"] for r in rows),
    }
    return render(request, "alerts/dashboard.html", context)


@login_required
def close_group(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)  # access first: an outsider gets 404, not 405
    if request.method != "POST":
        raise Http404
    group = get_object_or_404(Group, pk=group_pk, program=program)
    try:
        services.close_inactive_group(group=group, by=request.user)
    except AlertError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Le groupe « %(group)s » est terminé.") % {"group": group})
    return redirect("alerts:dashboard", pk=program.pk)


@login_required
def health(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    checks = program_health.run_checks(program, today=_today(request))
    context = {
        "program": program,
        "section": "health",
        "steps": program_health.by_step(checks),
        "problems": sum(c.status == program_health.PROBLEM for c in checks),
        "warnings": sum(c.status == program_health.WARNING for c in checks),
    }
    return render(request, "alerts/health.html", context)


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    if request.method == "POST":
        form = MuteForm(request.POST)
        if form.is_valid():
            try:
                services.set_mutes(person=person, kinds=form.cleaned_data["muted"])
            except AlertError as exc:
                form.add_error("muted", str(exc))
            else:
                messages.success(request, _("Vos préférences de rappels sont enregistrées."))
                return redirect("alerts:preferences")
    else:
        muted = list(ReminderMute.objects.filter(person=person).values_list("kind", flat=True))
        form = MuteForm(initial={"muted": muted})
    return render(request, "alerts/preferences.html", {"form": form, "kinds": Kind})

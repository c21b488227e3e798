"""Selection pages: criteria, the ranked applications, one application with its reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.audit import record_view
from maillage.core.tables import table_download
from maillage.intake.models import Application
from maillage.programs.access import REVIEWERS, STAFF, get_program, post_only
from maillage.programs.models import Program

from . import selectors, services
from .errors import DecisionChanged, SelectionError
from .forms import (
    CriterionFormSet,
    DecisionForm,
    FilterForm,
    NewCriterionForm,
    OpinionForm,
    ReviewForm,
)
from .models import Criterion, Decision, Review

# --- Criteria (coordination only) -----------------------------------------------------------


@login_required
def criteria(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    formset = CriterionFormSet(
        request.POST or None, queryset=program.criteria.active(), prefix="criteres"
    )
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                for form in formset.forms:
                    if form.has_changed():
                        services.update_criterion(criterion=form.instance, **form.values())
        except SelectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Critères enregistrés."))
            return redirect("selection:criteria", pk=program.pk)
    return _criteria_page(request, program, formset=formset, new_form=NewCriterionForm())


@login_required
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    form = NewCriterionForm(request.POST)
    if form.is_valid():
        try:
            services.add_criterion(program=program, **form.values())
            messages.success(request, _("Critère ajouté."))
            return redirect("selection:criteria", pk=program.pk)
        except SelectionError as error:
            messages.error(request, error.message)
    formset = CriterionFormSet(queryset=program.criteria.active(), prefix="criteres")
    return _criteria_page(request, program, formset=formset, new_form=form)


@login_required
def criterion_remove(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, program=program)
    if request.method != "POST":
        return post_only()
    if services.remove_criterion(criterion=criterion):
        messages.success(request, _("Critère supprimé."))
    else:
        messages.warning(
            request,
            _(
                "Ce critère a déjà été noté : il est archivé plutôt que supprimé. Les notes "
                "données restent au dossier mais ne comptent plus dans le classement."
            ),
        )
    return redirect("selection:criteria", pk=program.pk)


@login_required
def criterion_restore(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    criterion = get_object_or_404(Criterion, pk=criterion_pk, program=program)
    if request.method != "POST":
        return post_only()
    services.restore_criterion(criterion=criterion)
    messages.success(request, _("Critère rétabli : ses notes comptent de nouveau."))
    return redirect("selection:criteria", pk=program.pk)


def _criteria_page(request: HttpRequest, program: Program, **forms: Any) -> HttpResponse:
    context = {
        "program": program,
        "section": "criteria",
        "archived": program.criteria.filter(archived_at__isnull=False),
        "scored_ids": set(
            program.criteria.filter(scores__isnull=False).values_list("pk", flat=True)
        ),
        **forms,
    }
    return render(request, "selection/criteria.html", context)


# --- Applications (coordination and committee) ----------------------------------------------


@login_required
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    filters = FilterForm(request.GET or None, program=program)
    rows = selectors.ranked_applications(program=program, **filters.filters())
    criteria = selectors.criteria_in_use(program=program)
    pending = [
        d
        for d in Decision.objects.filter(application__program=program).exclude(
            application__email=""
        )
        if d.needs_notice()
    ]
    context = {
        "program": program,
        "section": "applications",
        "rows": rows,
        "filters": filters,
        "filtered": bool(filters.filters()),
        # The download carries the page's filters: the file holds the rows on the screen.
        "export_query": f"?{request.GET.urlencode()}" if filters.filters() else "",
        "total": program.applications.count(),
        "criteria": criteria,
        "weights": sorted({c.weight for c in criteria}),
        "pending_notices": len(pending),
    }
    return render(request, "selection/applications.html", context)


@login_required
def applications_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    filters = FilterForm(request.GET or None, program=program)
    headers, rows = selectors.applications_table(program=program, **filters.filters())
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("candidatures"),
        instance=program,
        by=request.user,
    )


def _detail(request: HttpRequest, program: Program, application: Application, **forms: Any):
    criteria = selectors.criteria_in_use(program=program)
    reviewer = getattr(request.user, "person", None)
    mine = Review.objects.filter(application=application, reviewer=reviewer).first()
    if "review_form" not in forms:
        initial = {"comment": mine.comment} if mine else {}
        if mine:
            initial.update({f"c{s.criterion_id}": s.value for s in mine.scores.all()})
        forms["review_form"] = ReviewForm(criteria=criteria, initial=initial)
    forms.setdefault("opinion_form", OpinionForm())
    duplicate_of, duplicates = selectors.duplicates_of(application)
    decision = getattr(application, "decision", None)
    forms.setdefault(
        "decision_form", DecisionForm(program=program, instance=decision, application=application)
    )
    context = {
        "program": program,
        "section": "applications",
        "application": application,
        "answers": selectors.answers_of(application),
        "duplicate_of": duplicate_of,
        "duplicates": duplicates,
        "table": selectors.reviews_table(application=application),
        "my_review": mine,
        "can_review": reviewer is not None,
        "opinions": application.committee_opinions.select_related("recorded_by__person"),
        "decision": decision,
        "is_staff": "coordinator" in request.program_roles,
        **forms,
    }
    return render(request, "selection/application.html", context)


def _application(program: Program, app_pk: int) -> Application:
    # Scoped to the program: an application of A under B's address is a 404.
    return get_object_or_404(
        Application.objects.select_related("region", "duplicate_of", "form", "track", "person"),
        pk=app_pk,
        program=program,
    )


@login_required
def application(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    application = _application(program, app_pk)
    record_view(instance=application, by=request.user)
    return _detail(request, program, application)


@login_required
def application_export(request: HttpRequest, pk: int, app_pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    application = _application(program, app_pk)
    headers, rows = selectors.reviews_sheet(application=application)
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=_("évaluations"),
        instance=application,
        by=request.user,
    )


@login_required
def review(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    application = _application(program, app_pk)
    if request.method != "POST":
        return post_only()
    criteria = selectors.criteria_in_use(program=program)
    form = ReviewForm(request.POST, criteria=criteria)
    reviewer = getattr(request.user, "person", None)
    if form.is_valid() and reviewer is not None:
        try:
            services.save_review(
                application=application,
                reviewer=reviewer,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Votre évaluation est enregistrée."))
            return redirect("selection:application", pk=program.pk, app_pk=application.pk)
        except SelectionError as error:
            form.add_error(None, error.message)
    return _detail(request, program, application, review_form=form)


@login_required
def opinion(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    program = get_program(request, pk, REVIEWERS)
    application = _application(program, app_pk)
    if request.method != "POST":
        return post_only()
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.record_opinion(application=application, by=request.user, **form.cleaned_data)
            messages.success(request, _("L’avis du comité est enregistré."))
            return redirect("selection:application", pk=program.pk, app_pk=application.pk)
        except SelectionError as error:
            form.add_error(None, error.message)
    return _detail(request, program, application, opinion_form=form)


@login_required
def decide(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    application = _application(program, app_pk)
    if request.method != "POST":
        return post_only()
    form = DecisionForm(request.POST, program=program)
    if form.is_valid():
        try:
            services.decide_application(
                application=application, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Décision enregistrée."))
            return redirect("selection:application", pk=program.pk, app_pk=application.pk)
        except DecisionChanged as error:
            # Shown with the decision saved now; sent again, it is a deliberate change.
            form.add_error(None, error.message)
            application.refresh_from_db()
            form.data = form.data.copy()
            form.data[form.add_prefix("seen_revision")] = str(application.revision)
        except SelectionError as error:
            form.add_error(None, error.message)
    return _detail(request, program, application, decision_form=form)


@login_required
def notify(request: HttpRequest, pk: int, app_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    application = _application(program, app_pk)
    if request.method != "POST":
        return post_only()
    decision = get_object_or_404(Decision, application=application)
    try:
        services.notify_decision(decision=decision)
        messages.success(
            request, _("Le courriel d’avis part à %(email)s.") % {"email": application.email}
        )
    except SelectionError as error:
        messages.error(request, error.message)
    if request.POST.get("next") == "list":
        return redirect("selection:applications", pk=program.pk)
    return redirect("selection:application", pk=program.pk, app_pk=application.pk)


@login_required
def notify_all(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    count = services.notify_pending(program=program)
    if count:
        messages.success(
            request,
            ngettext("%(n)s courriel d’avis en route.", "%(n)s courriels d’avis en route.", count)
            % {"n": count},
        )
    else:
        messages.info(request, _("Toutes les personnes ont déjà été avisées de leur décision."))
    return redirect("selection:applications", pk=program.pk)

"""Indicators and impact report pages.

Who sees what: the coordinator and observers see the indicators; the coordinator edits the
draft report and publishes it; observers and funders see only a published report (funders see
aggregates and published reports, nothing row-level). Everyone else gets 404.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core.audit import record
from maillage.core.locking import StaleEdit
from maillage.core.tables import table_download
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program, Role, Track

from . import selectors, services
from .content import export_rows
from .errors import ReportError
from .forms import RecommendationsForm
from .indicators import program_indicators
from .models import Report
from .pdf import render_pdf
from .suppression import small_cell_k

INDICATOR_READERS = (Role.Kind.COORDINATOR, Role.Kind.OBSERVER)
REPORT_READERS = (Role.Kind.COORDINATOR, Role.Kind.OBSERVER, Role.Kind.FUNDER)
EXPORT_FORMATS = ("csv", "xlsx")

logger = logging.getLogger(__name__)


def _report(request: HttpRequest, program: Program) -> Report:
    """The version asked for (?version=), else the latest one this person may read: the
    coordinator's draft (created on first visit), or for anyone else the last published one."""
    language = services.report_language(program, request.GET.get("lang"))
    is_coordinator = Role.Kind.COORDINATOR in request.program_roles
    reports = Report.objects.of(program, language)
    if not is_coordinator:
        reports = reports.published()
    version = request.GET.get("version", "")
    if version.isdigit():
        return get_object_or_404(reports, version=int(version))
    if is_coordinator:
        return services.get_or_create_draft(program=program, language=language)
    report = reports.first()
    if report is None and not request.GET.get("lang"):
        # Published in the other language only: the reader gets that one rather than a 404.
        report = Report.objects.of(program, "en" if language == "fr" else "fr").published().first()
    if report is None:
        raise Http404
    return report


def _versions(request: HttpRequest, report: Report) -> dict[str, Any]:
    """Every version this person may read, and the one readers see now (for the banners)."""
    versions = Report.objects.of(report.program, report.language)
    if Role.Kind.COORDINATOR not in request.program_roles:
        versions = versions.published()
    versions = list(versions.only("pk", "version", "status", "published_at", "language"))
    current = next((v for v in versions if v.is_published), None)
    other = "en" if report.language == "fr" else "fr"
    # A reader is offered the other language only when it is published (else it would be a 404).
    other_available = Role.Kind.COORDINATOR in request.program_roles or (
        Report.objects.of(report.program, other).published().exists()
    )
    return {
        "versions": versions if len(versions) > 1 else [],
        "latest": versions[0] if versions else None,
        "current_published": current,
        "other_language": other if other_available else None,
    }


def _track(request: HttpRequest, program: Program) -> Track | None:
    """The track asked for (?volet=), of this program only; none for the whole program."""
    if not request.GET.get("volet"):
        return None
    return get_object_or_404(Track, pk=request.GET["volet"], program=program)


@login_required
def indicators(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, INDICATOR_READERS)
    track = _track(request, program)
    k = small_cell_k()
    ind = program_indicators(program, track=track)
    charts, months = selectors.indicator_charts(ind, translation.get_language() or "fr")
    context = {
        "program": program,
        "section": "reports",
        "track": track,
        "tracks": program.tracks.order_by("order", "pk"),
        "k": k,
        "rows": selectors.indicator_rows(ind, k),
        "by_track": selectors.track_table(program, k) if track is None else None,
        "charts": charts,
        "months": months,
        "volet_query": f"?volet={track.pk}" if track else "",
    }
    return render(request, "reports/indicators.html", context)


@login_required
def indicators_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The indicators page's figures (suppressed as on the page) for the same track."""
    program = get_program(request, pk, INDICATOR_READERS)
    track = _track(request, program)
    ind = program_indicators(program, track=track)
    rows = selectors.indicator_rows(ind, small_cell_k())
    headers, rows = selectors.indicator_table(rows, selectors.month_rows(ind))
    name = _("indicateurs") + (f" {track.name}" if track else "")
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=name, instance=program, by=request.user
    )


@login_required
def indicators_tracks_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    program = get_program(request, pk, INDICATOR_READERS)
    headers, rows = selectors.track_rows(selectors.track_table(program, small_cell_k()))
    return table_download(
        fmt=fmt, headers=headers, rows=rows, name=_("par volet"), instance=program, by=request.user
    )


def _page(
    request: HttpRequest, program: Program, report: Report, form: RecommendationsForm | None
) -> dict[str, Any]:
    """What the report page shows, for its first view and when the recommendations come back
    with an error."""
    data = selectors.report_data(report)
    return {
        "program": program,
        "section": "reports",
        "report": report,
        "data": data,
        "charts": selectors.report_charts(data),
        "form": form,
        **_versions(request, report),
    }


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, REPORT_READERS)
    if Role.Kind.COORDINATOR not in request.program_roles and not request.GET:
        if not Report.objects.filter(program=program).published().exists():
            # The menu and the home link here before anything is published: say so, not 404.
            return render(
                request,
                "reports/not_published.html",
                {"program": program, "section": "report_pending"},
            )
    report = _report(request, program)
    started = time.perf_counter()
    form = None
    if Role.Kind.COORDINATOR in request.program_roles and not report.is_published:
        form = RecommendationsForm(
            initial={"recommendations": report.recommendations, "revision": report.revision}
        )
    context = _page(request, program, report, form)
    context["seconds"] = round(time.perf_counter() - started, 2)
    return render(request, "reports/report.html", context)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's PDF is rendered now (its figures change); a published version's is rendered
    once by the worker and served from the storage, with a page that follows its progress."""
    program = get_program(request, pk, REPORT_READERS)
    report = _report(request, program)
    if not report.is_published:
        return _pdf_response(
            request, program, report, render_pdf(report, base_url=request.build_absolute_uri("/"))
        )
    if request.method == "POST":  # « Réessayer » on the page of a PDF that could not be made
        services.request_report_pdf(report=report, retry=True)
        return redirect(request.get_full_path())
    report = services.request_report_pdf(report=report)
    finished = (Report.PdfState.READY, Report.PdfState.UNAVAILABLE)
    if report.pdf_state in finished and request.headers.get("HX-Request"):
        # The progress page polled: load the PDF (or the page that says it cannot be made).
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.get_full_path()
        return response
    if report.pdf_state == Report.PdfState.READY:
        return _pdf_response(request, program, report, report.pdf.open("rb"))
    if report.pdf_state == Report.PdfState.UNAVAILABLE:
        return _pdf_response(request, program, report, None)
    context = {"program": program, "section": "reports", "report": report}
    template = (
        "reports/pdf_progress.html"
        if request.headers.get("HX-Request")
        else "reports/pdf_pending.html"
    )
    return render(request, template, context)


def _pdf_response(
    request: HttpRequest, program: Program, report: Report, pdf: bytes | Any | None
) -> HttpResponse:
    if pdf is None:
        context = {"program": program, "section": "reports", "report": report}
        return render(request, "reports/pdf_unavailable.html", context, status=503)
    record(action="export", instance=report)
    name = f"rapport-{program.pk}-{report.language}-v{report.version}.pdf"
    if isinstance(pdf, bytes):
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    return FileResponse(pdf, content_type="application/pdf", as_attachment=False, filename=name)


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    program = get_program(request, pk, REPORT_READERS)
    report = _report(request, program)
    data = selectors.report_data(report)
    with translation.override(report.language):
        headers = [_("Section"), _("Indicateur"), _("Valeur"), _("Sur"), _("Pourcentage")]
        rows = export_rows(data)
        name = _("rapport v%(n)s") % {"n": report.version}
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=name,
        instance=program,
        by=request.user,
        kind="report",
    )


@login_required
def edit_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    # Access first, so that someone without the right learns nothing, not even the method.
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    report = get_object_or_404(Report, pk=request.POST.get("report"), program=program)
    form = RecommendationsForm(request.POST)
    conflict = None
    if form.is_valid():
        try:
            services.update_recommendations(
                report=report,
                text=form.cleaned_data["recommendations"],
                by=request.user,
                revision=form.cleaned_data["revision"],
            )
        except StaleEdit as stale:
            conflict = form.conflict(stale.current)
        except ReportError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Recommandations enregistrées."))
            return redirect(f"{_url(program)}?lang={report.language}")
    context = {**_page(request, program, report, form), "conflict": conflict}
    return render(request, "reports/report.html", context, status=409 if conflict else 400)


@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    report = get_object_or_404(Report, pk=request.POST.get("report"), program=program)
    try:
        services.publish_report(report=report, by=request.user)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Rapport publié : ses chiffres sont désormais figés."))
    return redirect(f"{_url(program)}?lang={report.language}")


@login_required
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    report = get_object_or_404(Report, pk=request.POST.get("report"), program=program)
    try:
        draft = services.start_new_version(report=report, by=request.user)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect(f"{_url(program)}?lang={report.language}")
    messages.success(
        request,
        _(
            "Version %(n)s en préparation : les chiffres sont de nouveau calculés à partir des "
            "données. La version publiée reste visible jusqu’à la publication de celle-ci."
        )
        % {"n": draft.version},
    )
    return redirect(f"{_url(program)}?lang={draft.language}")


def _url(program: Program) -> str:
    from django.urls import reverse

    return reverse("reports:report", args=[program.pk])

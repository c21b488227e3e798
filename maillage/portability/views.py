"""Import (upload, then a page that follows the job: reading, preview, confirm, result),
export, templates, and a person's own data.

The request only keeps the file and queues its reading; the worker reads it once, and the job's
page shows the progress, then the preview to confirm, then the result (`portability.jobs`). The
coordinator can leave and come back: the import page lists the program's imports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from maillage.core.tables import table_download
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program

from . import jobs, selectors, services, vocabulary
from .errors import PortabilityError
from .forms import ImportForm
from .models import ImportJob
from .selectors import person_data

# The preview and the result list this many rows; the errors are all listed.
ROWS_SHOWN = 500


def attachment(download: services.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


def import_context(program: Program, **extra: Any) -> dict[str, Any]:
    return {
        "program": program,
        "section": "people",
        "people_columns": vocabulary.PEOPLE_COLUMNS,
        "application_columns": vocabulary.APPLICATION_COLUMNS,
        "imports": ImportJob.objects.of_program(program)[:20],
        **extra,
    }


@login_required
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.start_import(
                program=program,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                skip_bad_rows=form.cleaned_data["skip_bad_rows"],
                by=request.user,
            )
        except PortabilityError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(job_url(job))
    return render(request, "portability/import.html", import_context(program, form=form))


def job_url(job: ImportJob) -> str:
    return reverse("portability:import_job", args=[job.program_id, job.pk])


def _job(request: HttpRequest, pk: int, job_pk: int) -> tuple[Program, ImportJob]:
    program = get_program(request, pk, STAFF)
    return program, get_object_or_404(ImportJob.objects.of_program(program), pk=job_pk)


@login_required
def import_job(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """One import: its progress while the worker has it, then its preview or its result."""
    program, job = _job(request, pk, job_pk)
    report = jobs.report_of(job.result or job.preview)
    return render(
        request,
        "portability/job.html",
        import_context(
            program,
            job=job,
            report=report,
            rows_shown=report.rows[:ROWS_SHOWN] if report else [],
            rows_limit=ROWS_SHOWN,
        ),
    )


@login_required
def import_job_status(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The progress, polled by the job's page (htmx); once the worker is done with the step,
    the page loads itself again on the preview or the result."""
    program = get_program(request, pk, STAFF)
    # Polled every 2 s: the job's state only, not its reports.
    jobs_of = ImportJob.objects.of_program(program).defer("preview", "result")
    job = get_object_or_404(jobs_of, pk=job_pk)
    if not request.headers.get("HX-Request"):
        return redirect(job_url(job))
    if not job.is_running:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = job_url(job)
        return response
    return render(
        request, "portability/includes/job_progress.html", {"program": program, "job": job}
    )


def _revision(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


@login_required
def import_confirm(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    program, job = _job(request, pk, job_pk)
    if request.method != "POST":  # after the access check: an outsider gets 404, not 405
        return post_only()
    try:
        job, queued = jobs.confirm_import(
            job=job,
            revision=_revision(request),
            by=request.user,
            skip_bad_rows=bool(request.POST.get("skip_bad_rows")),
        )
    except PortabilityError as error:
        messages.error(request, error.message)
    else:
        if queued:
            messages.success(
                request,
                _("Importation confirmée : l’enregistrement est en cours, suivi sur cette page."),
            )
        else:
            messages.info(
                request, _("Cette importation a déjà été confirmée : voici où elle en est.")
            )
    return redirect(job_url(job))


@login_required
def import_cancel(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    program, job = _job(request, pk, job_pk)
    if request.method != "POST":
        return post_only()
    job, cancelled = jobs.cancel_import(job=job, revision=_revision(request), by=request.user)
    if cancelled:
        messages.info(
            request, _("Importation annulée : rien n’a été enregistré, le fichier est supprimé.")
        )
        return redirect("portability:import", pk=program.pk)
    messages.info(request, _("Cette importation ne peut plus être annulée : voici où elle en est."))
    return redirect(job_url(job))


@login_required
def template_download(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if what not in services.KINDS or fmt not in services.FORMATS:
        raise Http404
    return attachment(services.template_file(program=program, kind=what, fmt=fmt))


@login_required
def export(request: HttpRequest, pk: int, what: str, fmt: str) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if what not in services.KINDS:
        raise Http404
    headers, rows = (
        selectors.people_table(program)
        if what == services.PEOPLE
        else selectors.applications_table(program)
    )
    return table_download(
        fmt=fmt,
        headers=headers,
        rows=rows,
        name=services.kind_label(what),
        instance=program,
        by=request.user,
        kind=what,
    )


def own_person(request: HttpRequest):
    try:
        return request.user.person
    except ObjectDoesNotExist:
        return None


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    return render(
        request, "portability/my_data.html", {"person": person, "data": person_data(person)}
    )


@login_required
def my_data_json(request: HttpRequest) -> HttpResponse:
    return attachment(services.my_data_json(person=own_person(request), by=request.user))


@login_required
def my_data_csv(request: HttpRequest) -> HttpResponse:
    return attachment(services.my_data_csv(person=own_person(request), by=request.user))

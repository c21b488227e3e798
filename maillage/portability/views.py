"""Import (upload, preview, confirm), export, templates, and a person's own data.

The uploaded file is read once; its rows wait in the session between the preview and the
confirmation, so the coordinator never uploads it twice and nothing is saved before they agree.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from maillage.core.tables import table_download
from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program

from . import selectors, services, vocabulary
from .forms import ImportForm
from .reading import Row, Sheet
from .selectors import person_data

PENDING = "portability-import-{pk}"


def attachment(download: services.Download) -> HttpResponse:
    response = HttpResponse(download.content, content_type=download.content_type)
    response["Content-Disposition"] = content_disposition_header(True, download.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # personal data: never kept by a shared cache
    return response


def run(program: Program, request: HttpRequest, pending: dict[str, Any], *, dry_run: bool):
    sheet = Sheet(
        headers=pending["headers"],
        rows=[Row(line=line, values=values) for line, values in pending["rows"]],
    )
    importer = (
        services.import_people
        if pending["kind"] == services.PEOPLE
        else services.import_applications
    )
    return importer(
        program=program,
        rows=sheet,
        skip_bad_rows=pending["skip"],
        by=request.user,
        dry_run=dry_run,
        filename=pending["filename"],
    )


def import_context(program: Program, **extra: Any) -> dict[str, Any]:
    return {
        "program": program,
        "section": "people",
        "people_columns": vocabulary.PEOPLE_COLUMNS,
        "application_columns": vocabulary.APPLICATION_COLUMNS,
        **extra,
    }


@login_required
def import_file(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        sheet: Sheet = form.cleaned_data["file"]
        pending = {
            "kind": form.cleaned_data["kind"],
            "skip": form.cleaned_data["skip_bad_rows"],
            "filename": request.FILES["file"].name,
            "headers": sheet.headers,
            "rows": [[row.line, row.values] for row in sheet.rows],
            # Two tabs, two files: the confirmation must be for the file this preview showed.
            "token": secrets.token_urlsafe(8),
        }
        request.session[PENDING.format(pk=program.pk)] = pending
        report = run(program, request, pending, dry_run=True)
        return render(
            request,
            "portability/report.html",
            import_context(
                program, report=report, filename=pending["filename"], token=pending["token"]
            ),
        )
    return render(request, "portability/import.html", import_context(program, form=form))


@login_required
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":  # after the access check: an outsider gets 404, not 405
        return post_only()
    pending = request.session.get(PENDING.format(pk=program.pk))
    if pending is None or pending.get("token") != request.POST.get("token"):
        messages.warning(request, _("Aucun fichier en attente : choisissez-le de nouveau."))
        return redirect("portability:import", pk=program.pk)
    del request.session[PENDING.format(pk=program.pk)]
    if request.POST.get("cancel"):
        messages.info(request, _("Importation annulée : rien n’a été enregistré."))
        return redirect("portability:import", pk=program.pk)
    if request.POST.get("skip_bad_rows"):
        # Asked from a preview with errors: import the valid rows without uploading again.
        pending["skip"] = True
    report = run(program, request, pending, dry_run=False)
    if report.saved:
        messages.success(request, _("Importation terminée."))
    return render(
        request,
        "portability/report.html",
        import_context(program, report=report, filename=pending["filename"]),
    )


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

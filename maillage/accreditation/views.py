"""The coordinator's pages: the program's dossiers, one dossier with its evidence, comments,
documents and completeness, the submission to an assessor, and what came back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from maillage.programs.access import STAFF, get_program, post_only
from maillage.programs.models import Program

from . import selectors, services
from .errors import AccreditationError
from .forms import DocumentForm, NoteForm, StartForm, SubmitForm
from .models import Document, Dossier
from .pdf_views import pdf_response


def _show(form: Any, error: AccreditationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _dossier(program: Program, dossier_pk: int) -> Dossier:
    return get_object_or_404(
        Dossier.objects.select_related("program"), program=program, pk=dossier_pk
    )


@login_required
def home(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    context = {
        "program": program,
        "section": "accreditation",
        "frameworks": selectors.dossiers_of(program),
        "assessors": selectors.assessors_for(program).exists(),
    }
    return render(request, "accreditation/home.html", context)


@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    form = StartForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        dossier = services.start_dossier(program=program, by=request.user, **form.cleaned_data)
    except AccreditationError as error:
        messages.error(request, error.message)
        return redirect("accreditation:home", pk=program.pk)
    return redirect("accreditation:dossier", pk=program.pk, dossier_pk=dossier.pk)


def dossier_page(
    request: HttpRequest, program: Program, dossier: Dossier, **forms: Any
) -> HttpResponse:
    """The dossier page; `forms` holds a bound form shown again with its errors or conflict."""
    rows = selectors.live_rows(dossier) if dossier.is_editable else None
    last = dossier.last_submission()
    if rows is None and last is not None:
        rows = selectors.frozen_rows(last)
        if last.is_pending:
            for row in rows:
                row.rating = None  # the coordinator reads the ratings once the assessor is done
    context = {
        "program": program,
        "section": "accreditation",
        "dossier": dossier,
        "framework": dossier.get_framework(),
        "part": dossier.get_part(),
        "rows": rows or [],
        "gauge": selectors.gauge(rows or []),
        "missing_rows": [r for r in rows or [] if r.coverage != selectors.COVERED]
        if dossier.is_editable
        else [],
        "last": last,
        "submissions": dossier.submissions.select_related("assessor__person").order_by("-number"),
        **forms,
    }
    return render(request, "accreditation/dossier.html", context)


@login_required
def dossier(request: HttpRequest, pk: int, dossier_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    return dossier_page(request, program, _dossier(program, dossier_pk))


@login_required
def note(request: HttpRequest, pk: int, dossier_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    if request.method != "POST":
        return post_only()
    form = NoteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.save_note(
                dossier=dossier,
                criterion=data["criterion"],
                comment=data["comment"],
                seen=data["revision"],
                by=request.user,
            )
        except services.StaleNote as stale:
            rows = form.conflict(stale.current)
            return dossier_page(
                request,
                program,
                dossier,
                conflict=rows,
                conflict_criterion=data["criterion"],
                conflict_text=data["comment"],
                conflict_revision=stale.current.revision,
            )
        except AccreditationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Commentaire enregistré."))
    return redirect(f"{dossier_url(program, dossier)}#critere-{request.POST.get('criterion', '')}")


def dossier_url(program: Program, dossier: Dossier) -> str:
    from django.urls import reverse

    return reverse("accreditation:dossier", args=[program.pk, dossier.pk])


@login_required
def document_add(request: HttpRequest, pk: int, dossier_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    if request.method != "POST":
        return post_only()
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_document(dossier=dossier, by=request.user, **form.cleaned_data)
        except AccreditationError as error:
            _show(form, error)
        else:
            messages.success(request, _("Document ajouté : %(title)s.") % {"title": document.title})
            return redirect(f"{dossier_url(program, dossier)}#critere-{document.criterion}")
    return dossier_page(request, program, dossier, failed_document=form)


@login_required
def document(request: HttpRequest, pk: int, dossier_pk: int, doc_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    doc = get_object_or_404(Document, dossier=_dossier(program, dossier_pk), pk=doc_pk)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)


@login_required
def document_remove(request: HttpRequest, pk: int, dossier_pk: int, doc_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    doc = get_object_or_404(Document, dossier=dossier, pk=doc_pk, removed_at__isnull=True)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_document(document=doc, by=request.user)
    except AccreditationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Document retiré : %(title)s.") % {"title": doc.title})
    return redirect(f"{dossier_url(program, dossier)}#critere-{doc.criterion}")


@login_required
def submit(request: HttpRequest, pk: int, dossier_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    if not dossier.is_editable:
        return redirect("accreditation:dossier", pk=program.pk, dossier_pk=dossier.pk)
    assessors = selectors.assessors_for(program)
    form = SubmitForm(request.POST or None, assessors=assessors)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_dossier(
                dossier=dossier, assessor=form.cleaned_data["assessor"], by=request.user
            )
        except AccreditationError as error:
            _show(form, error)
        else:
            messages.success(
                request, _("Dossier soumis. Ses preuves sont figées pour l’évaluation.")
            )
            return redirect("accreditation:dossier", pk=program.pk, dossier_pk=dossier.pk)
    rows = selectors.live_rows(dossier)
    context = {
        "program": program,
        "section": "accreditation",
        "dossier": dossier,
        "part": dossier.get_part(),
        "form": form,
        "has_assessors": assessors.exists(),
        "gauge": selectors.gauge(rows),
        "incomplete": [r for r in rows if r.coverage != selectors.COVERED],
    }
    return render(request, "accreditation/submit.html", context)


@login_required
def reopen(request: HttpRequest, pk: int, dossier_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.reopen_dossier(dossier=dossier, by=request.user)
    except AccreditationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le dossier est de nouveau en préparation."))
    return redirect("accreditation:dossier", pk=program.pk, dossier_pk=dossier.pk)


@login_required
def submission_pdf(request: HttpRequest, pk: int, dossier_pk: int, sub_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    dossier = _dossier(program, dossier_pk)
    submission = get_object_or_404(dossier.submissions.all(), pk=sub_pk)
    back = dossier_url(program, dossier)
    return pdf_response(request, submission, back=back, base="program_base.html", program=program)

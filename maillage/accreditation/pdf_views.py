"""The PDF of a submission, for its program's coordinators and for its assessor: a pending
one is rendered now (ratings still change); a finished one is rendered once by the worker and
served from the storage, with a page that follows its progress (as reports do)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation

from maillage.core.audit import record

from . import services
from .models import Submission
from .pdf import render_pdf


def pdf_response(request: HttpRequest, submission: Submission, **context: Any) -> HttpResponse:
    language = "en" if translation.get_language() == "en" else "fr"
    if submission.is_pending:
        pdf = render_pdf(submission, base_url=request.build_absolute_uri("/"), language=language)
        return _send(request, submission, pdf, context, language=language)
    if request.method == "POST":  # « Réessayer » on the page of a PDF that could not be made
        services.request_submission_pdf(submission=submission, retry=True)
        return redirect(request.get_full_path())
    submission = services.request_submission_pdf(submission=submission)
    finished = (Submission.PdfState.READY, Submission.PdfState.UNAVAILABLE)
    if submission.pdf_state in finished and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = request.get_full_path()
        return response
    if submission.pdf_state == Submission.PdfState.READY:
        stored, language = submission.stored_pdf(language)
        return _send(request, submission, stored.open("rb"), context, language=language)
    if submission.pdf_state == Submission.PdfState.UNAVAILABLE:
        return _send(request, submission, None, context)
    template = (
        "accreditation/pdf_progress.html"
        if request.headers.get("HX-Request")
        else "accreditation/pdf_pending.html"
    )
    return render(
        request, template, {"submission": submission, "section": "accreditation", **context}
    )


def _send(
    request: HttpRequest,
    submission: Submission,
    pdf: Any,
    context: dict[str, Any],
    language: str = "fr",
) -> HttpResponse:
    if pdf is None:
        context = {"submission": submission, "section": "accreditation", **context}
        return render(request, "accreditation/pdf_unavailable.html", context, status=503)
    record(action="export", instance=submission, program_id=submission.dossier.program_id)
    name = submission.pdf_filename(language)
    if isinstance(pdf, bytes):
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    return FileResponse(pdf, content_type="application/pdf", as_attachment=False, filename=name)

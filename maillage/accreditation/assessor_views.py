"""The assessor's pages: the dossiers submitted to them, each as frozen at submission, with a
rating per criterion, a send-back and a decision. Anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.programs.access import post_only

from . import selectors, services
from .errors import AccreditationError
from .forms import DecisionForm, RatingForm, SendBackForm
from .models import Document, Rating, Submission
from .pdf_views import pdf_response


def _submission(request: HttpRequest, sub_pk: int) -> Submission:
    return get_object_or_404(selectors.submissions_for(request.user), pk=sub_pk)


def _show(form: Any, error: AccreditationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    submissions = selectors.submissions_for(request.user).order_by("outcome", "-submitted_at")
    person = getattr(request.user, "person", None)
    if not submissions.exists() and (person is None or not person.assessor_roles.exists()):
        raise Http404
    pending = [s for s in submissions if s.is_pending]
    done = [s for s in submissions if not s.is_pending]
    return render(request, "accreditation/reviews.html", {"pending": pending, "done": done})


def review_page(request: HttpRequest, submission: Submission, **forms: Any) -> HttpResponse:
    context = {
        "submission": submission,
        "dossier": submission.dossier,
        "program": submission.dossier.program,
        "framework": submission.dossier.get_framework(),
        "part": submission.dossier.get_part(),
        "rows": selectors.frozen_rows(submission),
        "rating_values": Rating.Value.choices,
        "send_back_form": SendBackForm(),
        "decision_form": DecisionForm(initial={"expires_on": services.default_expiry()}),
        **forms,
    }
    rows = context["rows"]
    context["rated"] = sum(1 for r in rows if r.rating)
    context["all_rated"] = bool(rows) and context["rated"] == len(rows)
    return render(request, "accreditation/review.html", context)


@login_required
def review(request: HttpRequest, sub_pk: int) -> HttpResponse:
    return review_page(request, _submission(request, sub_pk))


@login_required
def rate(request: HttpRequest, sub_pk: int) -> HttpResponse:
    submission = _submission(request, sub_pk)
    if request.method != "POST":
        return post_only()
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_criterion(submission=submission, by=request.user, **form.cleaned_data)
        except AccreditationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Appréciation enregistrée."))
    else:
        messages.error(request, _("Choisissez une appréciation pour ce critère."))
    anchor = request.POST.get("criterion", "")
    return redirect(reverse("accreditation:review", args=[submission.pk]) + f"#critere-{anchor}")


@login_required
def send_back(request: HttpRequest, sub_pk: int) -> HttpResponse:
    submission = _submission(request, sub_pk)
    if request.method != "POST":
        return post_only()
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            services.send_back(submission=submission, by=request.user, **form.cleaned_data)
        except AccreditationError as error:
            _show(form, error)
        else:
            messages.success(request, _("Dossier renvoyé à la coordination pour modifications."))
            return redirect("accreditation:review", sub_pk=submission.pk)
    return review_page(request, submission, send_back_form=form)


@login_required
def decide(request: HttpRequest, sub_pk: int) -> HttpResponse:
    submission = _submission(request, sub_pk)
    if request.method != "POST":
        return post_only()
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(
                submission=submission,
                accredited=data["outcome"] == "accredited",
                level=data["level"],
                expires_on=data["expires_on"],
                comment=data["comment"],
                by=request.user,
            )
        except AccreditationError as error:
            _show(form, error)
        else:
            messages.success(request, _("Décision enregistrée et transmise à la coordination."))
            return redirect("accreditation:review", sub_pk=submission.pk)
    return review_page(request, submission, decision_form=form)


@login_required
def review_document(request: HttpRequest, sub_pk: int, doc_pk: int) -> HttpResponse:
    """Only the documents the submission listed: a later upload was not submitted."""
    submission = _submission(request, sub_pk)
    listed = {
        d["pk"]
        for item in submission.snapshot.get("criteria", [])
        for d in item.get("documents", [])
    }
    if doc_pk not in listed:
        raise Http404
    doc = get_object_or_404(Document, dossier=submission.dossier, pk=doc_pk)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.original_name)


@login_required
def review_pdf(request: HttpRequest, sub_pk: int) -> HttpResponse:
    submission = _submission(request, sub_pk)
    back = reverse("accreditation:review", args=[submission.pk])
    return pdf_response(request, submission, back=back, base="base.html")

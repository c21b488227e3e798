"""Writes of the impact report: the draft, its recommendations, its publication."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record
from maillage.core.locking import StaleEdit, locked
from maillage.programs.models import Program

from .content import build_report, default_recommendations, redactor
from .errors import ReportError
from .models import Report


def report_language(program: Program, requested: str | None = None) -> str:
    """?lang= if it is one we write in, else the program's language (French by default)."""
    if requested in Report.Language.values:
        return requested
    language = getattr(program, "language", "") or "fr"
    return language if language in Report.Language.values else "fr"


@transaction.atomic
def get_or_create_draft(*, program: Program, language: str, today: date | None = None) -> Report:
    """The program's latest report in `language` (its draft, or its last published version when
    no new version is under way); a first one starts with the health check's advice."""
    report = Report.objects.of(program, language).first()
    if report is not None:
        return report
    report = Report(
        program=program,
        language=language,
        recommendations="\n".join(default_recommendations(program, language=language, today=today)),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def update_recommendations(
    *, report: Report, text: str, by: Any, revision: int | None = None
) -> Report:
    """The coordinator's own words, checked for names (the report names no one). `revision`
    is the one the form was rendered with: a save over a newer one raises `StaleEdit`."""
    current = locked(report)
    if revision is not None and current.revision != revision:
        raise StaleEdit(current)
    if current.is_published:
        raise ReportError(_("Ce rapport est publié : ses recommandations ne changent plus."))
    text = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    if redactor(report.program)(text) != text:
        raise ReportError(
            _(
                "Retirez les noms de personnes ou d’organisations : le rapport ne nomme "
                "personne sans consentement."
            ),
            field="recommendations",
        )
    report.recommendations = text
    report.recommendations_edited = True
    report.revision = current.revision + 1
    report.full_clean()
    with acting_as(by):
        report.save()
    return report


def publish_report(*, report: Report, by: Any, today: date | None = None) -> Report:
    """Freeze every figure as it is now; the published report never changes afterwards."""
    if report.is_published:
        raise ReportError(_("Ce rapport est déjà publié."))
    report.snapshot = build_report(
        report.program,
        language=report.language,
        recommendations=report.recommendation_list(),
        today=today,
    )
    report.status = Report.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = by if getattr(by, "is_authenticated", False) else None
    report.full_clean()
    with acting_as(by):
        report.save()
    if settings.MAILLAGE_REPORT_PDF_ON_PUBLISH:
        # Ready before the first reader asks for it.
        request_report_pdf(report=report)
    return report


# A rendering takes seconds; one still waiting after this was lost with its worker.
PDF_LOST_AFTER = timedelta(minutes=10)


def request_report_pdf(*, report: Report, retry: bool = False) -> Report:
    """Queue the rendering of a published version's PDF, unless it is stored or on its way
    (many readers asking at once queue one rendering: the report's row lock). One that could
    not be made is tried again only when a reader asks for it (`retry`, a button): otherwise
    the page polling it would queue it again and again and never say it failed. Returns the
    report as it now stands."""
    from .tasks import render_report_pdf

    with transaction.atomic():
        current = Report.objects.select_for_update().get(pk=report.pk)
        waiting = (Report.PdfState.QUEUED, Report.PdfState.RENDERING)
        lost = (
            current.pdf_state in waiting
            and current.pdf_requested_at is not None
            and timezone.now() - current.pdf_requested_at > PDF_LOST_AFTER
        )
        if not current.is_published or current.pdf_state == Report.PdfState.READY:
            return current
        if current.pdf_state in waiting and not lost:
            return current
        if current.pdf_state == Report.PdfState.UNAVAILABLE and not retry:
            return current
        Report.objects.filter(pk=report.pk).update(
            pdf_state=Report.PdfState.QUEUED, pdf_requested_at=timezone.now()
        )
        record(
            action="report.pdf_queued",
            instance=current,
            changes={"from": current.pdf_state, "lost": lost, "retry": retry},
        )
        # Queued inside the transaction: the database backend's task row commits with the
        # state, so a worker never sees one without the other.
        render_report_pdf.enqueue(report_id=report.pk)
    current.refresh_from_db()
    return current


def store_report_pdf(*, report: Report, content: bytes) -> Report:
    """Keep the rendered PDF of a published version in the storage (once: the version is
    frozen, so the file never goes stale; a new version gets its own)."""
    report.pdf.save("rapport.pdf", ContentFile(content), save=False)
    Report.objects.filter(pk=report.pk).update(pdf=report.pdf.name, pdf_state=Report.PdfState.READY)
    report.pdf_state = Report.PdfState.READY
    record(
        action="report.pdf_stored",
        instance=report,
        changes={"file": report.pdf.name, "size": len(content)},
    )
    return report


@transaction.atomic
def start_new_version(*, report: Report, by: Any) -> Report:
    """A new draft after a publication: live figures again, the published recommendations to
    start from. The published version stays what readers see until the new one is published."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    latest = Report.objects.of(report.program, report.language).first()
    if latest.pk != report.pk or not report.is_published:
        raise ReportError(
            _("Une nouvelle version est déjà en préparation : modifiez ce brouillon.")
            if not latest.is_published
            else _("Seule la dernière version publiée peut servir de point de départ.")
        )
    draft = Report(
        program=report.program,
        language=report.language,
        version=report.version + 1,
        recommendations=report.recommendations,
        recommendations_edited=report.recommendations_edited,
    )
    draft.full_clean()
    with acting_as(by):
        draft.save()
    return draft

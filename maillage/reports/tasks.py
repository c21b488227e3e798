"""Background work of reports: a published version's PDF, rendered once and stored."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from maillage.core.dbwait import lost_database

from .models import Report
from .pdf import render_pdf
from .services import store_report_pdf

log = logging.getLogger(__name__)


@task()
def render_report_pdf(*, report_id: int) -> str:
    """Render and store the PDF of a published version, unless it is stored already (a second
    request while the first was queued, or a task run twice, renders nothing)."""
    report = Report.objects.published().filter(pk=report_id).first()
    if report is None:
        return "gone"
    if report.pdf_state == Report.PdfState.READY and report.pdf:
        return "stored"
    Report.objects.filter(pk=report_id).update(pdf_state=Report.PdfState.RENDERING)
    try:
        content = render_pdf(report, base_url=settings.SITE_URL + "/")
    except Exception as error:
        if lost_database(error):
            raise  # the worker runs it again once the database is back (core.worker)
        # Any other failure: the reader's page says so and offers to try again, rather than
        # showing « en préparation » until PDF_LOST_AFTER.
        log.exception("report %s: the PDF could not be rendered", report_id)
        content = None
    if content is None:
        Report.objects.filter(pk=report_id).update(pdf_state=Report.PdfState.UNAVAILABLE)
        return "unavailable"
    store_report_pdf(report=report, content=content)
    return "stored"

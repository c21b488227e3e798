"""Background work of accreditation: the e-mails of a submission's steps, and a finished
submission's PDF, rendered once and stored."""

from __future__ import annotations

import logging

from django.conf import settings
from django_tasks import task

from maillage.core.dbwait import lost_database

from .models import Submission

# Every finished submission is stored in both languages of the site, so that each reader (the
# coordinator, the assessor) gets the dossier in theirs without a second rendering.
PDF_LANGUAGES = ("fr", "en")

log = logging.getLogger(__name__)


@task()
def send_submission_notice(*, submission_id: int, what: str) -> int:
    """Tell the assessor a dossier is waiting (`submitted`), or the program's coordinators
    that it came back (`sent_back`) or was decided (`decided`). Returns the e-mails sent."""
    from .emails import notice_messages

    submission = (
        Submission.objects.select_related("dossier__program", "assessor__person")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None:
        return 0
    sent = 0
    for message in notice_messages(submission, what):
        message.send()
        sent += 1
    return sent


@task()
def render_submission_pdf(*, submission_id: int) -> str:
    from .pdf import render_pdf
    from .services import store_submission_pdf

    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or submission.is_pending:
        return "gone"
    if submission.pdf_state == Submission.PdfState.READY and submission.pdf:
        return "stored"
    Submission.objects.filter(pk=submission_id).update(pdf_state=Submission.PdfState.RENDERING)
    files = {}
    for language in PDF_LANGUAGES:
        try:
            content = render_pdf(submission, base_url=settings.SITE_URL + "/", language=language)
        except Exception as error:
            if lost_database(error):
                raise  # the worker runs it again once the database is back (core.worker)
            # The reader's page says it failed and offers to try again (as reports do).
            log.exception("submission %s: the PDF could not be rendered", submission_id)
            content = None
        if content is None:
            Submission.objects.filter(pk=submission_id).update(
                pdf_state=Submission.PdfState.UNAVAILABLE
            )
            return "unavailable"
        files[language] = content
    store_submission_pdf(submission=submission, files=files)
    return "stored"

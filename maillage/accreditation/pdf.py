"""The PDF of a submission (the dossier as submitted, the ratings and the decision):
WeasyPrint over the print template."""

from __future__ import annotations

import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .models import Submission

logger = logging.getLogger(__name__)
STYLE = str(Path(__file__).with_name("pdf.css"))


def render_pdf(submission: Submission, *, base_url: str, language: str = "fr") -> bytes | None:
    """The PDF worded in `language`, or None when this machine cannot make one (WeasyPrint's
    system libraries)."""
    with translation.override(language):
        html = render_to_string(
            "accreditation/submission_pdf.html",
            {
                "submission": submission,
                "dossier": submission.dossier,
                "rows": selectors.frozen_rows(submission),
            },
        )
    try:
        from weasyprint import CSS, HTML

        # The style comes from a file beside this one, not a <style> in the template: no
        # template holds inline style (the strict CSP test reads them all).
        return HTML(string=html, base_url=base_url).write_pdf(stylesheets=[CSS(filename=STYLE)])
    except (ImportError, OSError):
        logger.exception("PDF rendering is not available (WeasyPrint's system libraries)")
        return None

"""The PDF of a report: WeasyPrint over the print template, in the report's language."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import translation

from . import selectors
from .models import Report

logger = logging.getLogger(__name__)


def render_pdf(report: Report, *, base_url: str) -> bytes | None:
    """The PDF of this version, or None when this machine cannot make one: WeasyPrint needs
    Pango and fonts from the system (scripts/system.sh installs them), and a missing library
    shows only when it is imported or used."""
    data = selectors.report_data(report)
    with translation.override(report.language):
        html = render_to_string(
            "reports/report_pdf.html",
            {"data": data, "charts": selectors.report_charts(data), "report": report},
        )
    try:
        from weasyprint import HTML

        return HTML(string=html, base_url=base_url).write_pdf()
    except (ImportError, OSError):
        logger.exception("PDF rendering is not available (WeasyPrint's system libraries)")
        return None

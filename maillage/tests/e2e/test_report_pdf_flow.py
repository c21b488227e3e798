"""In French, the demo's published 2025 report: a funder asks for its PDF before the worker has
rendered it, sees the progress (htmx polling, under the page's own scripts only), may leave;
when the worker is done the download starts by itself; the page passes axe-core at 1280 and
390 px and does not scroll sideways on a phone."""

from __future__ import annotations

from unittest import mock

from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.pilot import build_past_edition
from maillage.reports import tasks
from maillage.reports.models import Report

from .conftest import axe_violations, shoot, sign_in


def test_the_pdf_is_prepared_once_while_the_page_shows_its_progress(page, phone, demo):
    past = build_past_edition()
    report = Report.objects.of(past, "fr").published().first()
    url = f"/programmes/{past.pk}/rapport/pdf/?version={report.version}"
    worker = tasks.render_report_pdf

    with mock.patch.object(tasks, "render_report_pdf"):  # the worker has not run yet
        sign_in(page, "robert.morin@demo.maillage.org", DEMO_PASSWORD)
        page.goto(page.base + url)
        expect(page.get_by_role("heading", name="PDF en préparation")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("Étape 1 sur 2")
        expect(page.get_by_text("Vous pouvez quitter cette page")).to_be_visible()
        assert axe_violations(page) == []
        shoot(page, "report-pdf-pending-1280")

        sign_in(phone, "robert.morin@demo.maillage.org", DEMO_PASSWORD)
        phone.goto(phone.base + url)
        expect(phone.get_by_role("heading", name="PDF en préparation")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(phone) == []
        shoot(phone, "report-pdf-pending-390")

    # The worker renders it; the page, still polling, starts the download.
    def is_the_pdf(response) -> bool:
        return response.headers.get("content-type") == "application/pdf"

    with page.expect_response(is_the_pdf, timeout=60_000) as pdf:
        worker.call(report_id=report.pk)
    assert pdf.value.status == 200
    assert f"-v{report.version}.pdf" in pdf.value.headers["content-disposition"]
    report.refresh_from_db()
    assert report.pdf_state == Report.PdfState.READY and report.pdf

"""A published version's PDF that could not be made says so once, and is made again only
when the reader asks (issue 14): before, every poll of the progress page queued it again, so
a page with a broken renderer showed « en préparation » for ever. A renderer that raises ends
in the same plain page, never in a PDF stuck « en préparation »."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.reports import services, tasks
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def held(held_tasks):
    return held_tasks


@pytest.fixture
def published(program_a, coordinator, settings):
    settings.MAILLAGE_REPORT_PDF_ON_PUBLISH = False
    report = services.get_or_create_draft(program=program_a, language="fr")
    return services.publish_report(report=report, by=coordinator.user)


def _url(report) -> str:
    return reverse("reports:pdf", args=[report.program_id]) + f"?version={report.version}"


def test_a_renderer_that_raises_ends_in_the_page_with_a_retry(
    client, published, coordinator, held, monkeypatch
):
    def broken(report, *, base_url):
        raise RuntimeError("a bug in a chart")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    login(client, coordinator)
    assert "PDF en préparation" in client.get(_url(published)).content.decode()
    assert len(held.results) == 1
    tasks.render_report_pdf.call(report_id=published.pk)  # the worker
    published.refresh_from_db()
    assert published.pdf_state == Report.PdfState.UNAVAILABLE

    poll = client.get(_url(published), **HTMX)  # the page polls: it loads the failure page
    assert poll["HX-Redirect"] == _url(published)
    page = client.get(_url(published))
    assert page.status_code == 503
    html = page.content.decode()
    assert "n’a pas pu être fabriqué" in html and "Réessayer de fabriquer le PDF" in html
    assert "a bug in a chart" not in html
    assert len(held.results) == 1  # reading the failure queued nothing


def test_retry_queues_it_once_more(client, published, coordinator, held):
    Report.objects.filter(pk=published.pk).update(pdf_state=Report.PdfState.UNAVAILABLE)
    login(client, coordinator)
    for _ in range(3):  # the failure page, read and polled, queues nothing
        client.get(_url(published), **HTMX)
        client.get(_url(published))
    assert len(held.results) == 0
    response = client.post(_url(published))
    assert response.status_code == 302 and response["Location"] == _url(published)
    client.post(_url(published))  # a double click: the first retry is on its way
    assert len(held.results) == 1
    published.refresh_from_db()
    assert published.pdf_state == Report.PdfState.QUEUED
    assert AuditEntry.objects.filter(action="report.pdf_queued").count() == 1
    assert "PDF en préparation" in client.get(_url(published)).content.decode()


def test_an_outsider_cannot_retry(client, published, outsider, held):
    Report.objects.filter(pk=published.pk).update(pdf_state=Report.PdfState.UNAVAILABLE)
    login(client, outsider)
    assert client.post(_url(published)).status_code == 404
    assert len(held.results) == 0

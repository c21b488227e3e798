"""A published version's PDF is rendered once, by a task, kept in the storage and served from
it; a new version gets its own; a reader who comes before it is ready sees its progress
(issue 14: the PDF was rendered again on every request, 3–8 s)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.reports import services, tasks
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 rapport"


def _publish(program, coordinator, text="Recruter tôt"):
    report = services.get_or_create_draft(program=program, language="fr")
    services.update_recommendations(report=report, text=text, by=coordinator.user)
    return services.publish_report(report=report, by=coordinator.user)


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Count the renderings (WeasyPrint itself is tested by the demo's report test)."""
    done: list[int] = []

    def render(report, *, base_url):
        done.append(report.version)
        return FAKE_PDF + f" v{report.version}".encode()

    monkeypatch.setattr(tasks, "render_pdf", render)
    monkeypatch.setattr("maillage.reports.views.render_pdf", render)
    return done


def _pdf_url(program, **query) -> str:
    url = reverse("reports:pdf", args=[program.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_published_version_is_rendered_once_and_then_served_from_the_storage(
    client, program_a, coordinator, renders
):
    _publish(program_a, coordinator)
    login(client, coordinator)
    first = client.get(_pdf_url(program_a, version=1))
    second = client.get(_pdf_url(program_a, version=1))
    assert first.status_code == second.status_code == 200
    assert b"".join(second.streaming_content) == FAKE_PDF + b" v1"
    assert second["Content-Type"] == "application/pdf"
    assert "-v1.pdf" in second["Content-Disposition"]
    assert renders == [1]
    report = Report.objects.get(version=1)
    assert report.pdf_state == Report.PdfState.READY
    assert default_storage.exists(report.pdf.name)
    assert AuditEntry.objects.filter(action="report.pdf_stored").count() == 1
    assert AuditEntry.objects.filter(action="export").count() == 2  # each reading is recorded


def test_publishing_renders_it_when_the_setting_is_on(settings, program_a, coordinator, renders):
    settings.MAILLAGE_REPORT_PDF_ON_PUBLISH = True
    report = _publish(program_a, coordinator)
    report.refresh_from_db()
    assert renders == [1]
    assert report.pdf_state == Report.PdfState.READY


def test_a_new_version_gets_its_own_pdf_and_the_first_keeps_its_own(
    client, program_a, coordinator, renders
):
    first = _publish(program_a, coordinator, "Une")
    login(client, coordinator)
    client.get(_pdf_url(program_a, version=1))
    draft = services.start_new_version(report=first, by=coordinator.user)
    services.publish_report(report=draft, by=coordinator.user)
    client.get(_pdf_url(program_a, version=2))
    client.get(_pdf_url(program_a, version=1))
    client.get(_pdf_url(program_a, version=2))
    assert renders == [1, 2]
    names = {r.version: r.pdf.name for r in Report.objects.all()}
    assert names[1] != names[2]
    assert default_storage.open(names[1]).read() == FAKE_PDF + b" v1"


def test_a_draft_is_rendered_on_each_request_and_never_stored(
    client, program_a, coordinator, renders
):
    login(client, coordinator)
    assert client.get(_pdf_url(program_a)).status_code == 200
    assert client.get(_pdf_url(program_a)).status_code == 200
    assert len(renders) == 2
    assert not Report.objects.get().pdf


def test_before_it_is_ready_the_page_shows_its_progress_and_polls(
    client, program_a, coordinator, renders
):
    _publish(program_a, coordinator)
    login(client, coordinator)
    worker = tasks.render_report_pdf
    with mock.patch.object(tasks, "render_report_pdf") as queued:  # no worker yet
        page = client.get(_pdf_url(program_a, version=1))
        client.get(_pdf_url(program_a, version=1))
    assert queued.enqueue.call_count == 1, "two readers queue one rendering"
    html = page.content.decode()
    assert page.status_code == 200
    assert "PDF en préparation" in html
    assert 'hx-trigger="every 2s"' in html and "<progress" in html
    assert "style=" not in html
    assert "Vous pouvez quitter cette page" in html

    poll = client.get(_pdf_url(program_a, version=1), headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert "<progress" in poll.content.decode() and "<html" not in poll.content.decode()

    worker.call(report_id=Report.objects.get().pk)  # the worker's turn
    done = client.get(_pdf_url(program_a, version=1), headers={"HX-Request": "true"})
    assert done.status_code == 204
    assert done["HX-Redirect"] == _pdf_url(program_a, version=1)
    assert renders == [1]


def test_a_rendering_lost_with_its_worker_is_queued_again(client, program_a, coordinator, renders):
    report = _publish(program_a, coordinator)
    login(client, coordinator)
    with mock.patch.object(tasks, "render_report_pdf"):  # queued, then the worker dies
        client.get(_pdf_url(program_a, version=1))
    waiting = client.get(_pdf_url(program_a, version=1))
    assert "PDF en préparation" in waiting.content.decode(), "not lost yet: it waits"
    assert renders == []
    Report.objects.filter(pk=report.pk).update(
        pdf_state=Report.PdfState.RENDERING,
        pdf_requested_at=timezone.now() - services.PDF_LOST_AFTER - timedelta(seconds=1),
    )
    response = client.get(_pdf_url(program_a, version=1))
    assert response["Content-Type"] == "application/pdf"
    assert renders == [1]


def test_a_task_run_twice_renders_once(program_a, coordinator, renders):
    report = _publish(program_a, coordinator)
    tasks.render_report_pdf.call(report_id=report.pk)
    tasks.render_report_pdf.call(report_id=report.pk)
    assert renders == [1]


def test_outsider_gets_404_on_a_stored_pdf(client, program_a, coordinator, outsider, renders):
    _publish(program_a, coordinator)
    login(client, coordinator)
    client.get(_pdf_url(program_a, version=1))
    login(client, outsider)
    assert client.get(_pdf_url(program_a, version=1)).status_code == 404

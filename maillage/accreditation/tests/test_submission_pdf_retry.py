"""A decided submission's PDF that could not be made says so once, with a way to try again
(issue 14): the coordinator's page no longer queues it again on every poll, and a renderer
that raises ends in that page rather than in « en préparation » for ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.accreditation import services, tasks
from maillage.accreditation.models import Submission
from maillage.core.models import AuditEntry

from .conftest import rate_all

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def decided(dossier, assessor, coordinator, held_tasks):
    submission = services.submit_dossier(dossier=dossier, assessor=assessor, by=coordinator.user)
    user = assessor.person.user
    rate_all(submission, user)
    services.decide(
        submission=submission,
        accredited=True,
        level="initial",
        expires_on=timezone.localdate() + timedelta(days=300),
        comment="",
        by=user,
    )
    held_tasks.clear()  # the decision's e-mails
    return submission


def _url(submission) -> str:
    dossier = submission.dossier
    return (
        f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}"
        f"/soumissions/{submission.pk}/pdf/"
    )


def _renderings(backend) -> int:
    return sum(r.task.name == "render_submission_pdf" for r in backend.results)


def test_a_renderer_that_raises_ends_in_a_page_with_a_retry(
    client, decided, coordinator, held_tasks, monkeypatch
):
    from maillage.accreditation import pdf as pdf_module

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a table")

    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    client.force_login(coordinator.user)
    assert "PDF en préparation" in client.get(_url(decided)).content.decode()
    tasks.render_submission_pdf.call(submission_id=decided.pk)  # the worker
    decided.refresh_from_db()
    assert decided.pdf_state == Submission.PdfState.UNAVAILABLE
    assert client.get(_url(decided), **HTMX)["HX-Redirect"] == _url(decided)
    page = client.get(_url(decided))
    html = page.content.decode()
    assert page.status_code == 503 and "Réessayer de fabriquer le PDF" in html
    assert "a bug in a table" not in html
    assert _renderings(held_tasks) == 1  # the failure page queued nothing more

    assert client.post(_url(decided)).status_code == 302
    client.post(_url(decided))  # a double click
    assert _renderings(held_tasks) == 2
    assert AuditEntry.objects.filter(action="accreditation.pdf_queued").count() == 2


def test_an_outsider_cannot_retry(client, decided, outsider, held_tasks):
    Submission.objects.filter(pk=decided.pk).update(pdf_state=Submission.PdfState.UNAVAILABLE)
    client.force_login(outsider.user)
    assert client.post(_url(decided)).status_code == 404
    assert _renderings(held_tasks) == 0

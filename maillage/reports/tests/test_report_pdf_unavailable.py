"""Without WeasyPrint's system libraries the PDF link answers a page that says so, not a 500."""

from __future__ import annotations

import sys

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_missing_library_gives_a_page_that_leads_back_to_the_report(
    client, monkeypatch, program_a, coordinator
):
    # What a machine without Pango does: importing weasyprint fails.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    login(client, coordinator)
    response = client.get(reverse("reports:pdf", args=[program_a.pk]))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "PDF non disponible" in page
    assert reverse("reports:report", args=[program_a.pk]) in page
    assert not AuditEntry.objects.filter(action="export").exists()  # nothing was exported


def test_a_library_failing_at_render_time_gives_the_page_too(
    client, monkeypatch, program_a, coordinator
):
    import weasyprint

    def broken(*args, **kwargs):
        raise OSError("cannot load library 'libgobject-2.0-0'")

    monkeypatch.setattr(weasyprint, "HTML", broken)
    login(client, coordinator)
    response = client.get(reverse("reports:pdf", args=[program_a.pk]))
    assert response.status_code == 503
    assert "PDF non disponible" in response.content.decode()
    assert "libgobject" not in response.content.decode()  # no stack trace, no library names


def test_outsider_gets_404_even_without_the_library(client, monkeypatch, program_a, outsider):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    login(client, outsider)
    assert client.get(reverse("reports:pdf", args=[program_a.pk])).status_code == 404

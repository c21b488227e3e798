"""« Clôturer le programme »: confirmed, logged, and the public form stops taking answers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import AuditEntry
from maillage.programs.models import Program

pytestmark = pytest.mark.django_db


def test_coordinator_confirms_and_the_program_is_closed(as_coordinator, program_a, client):
    url = reverse("programs:close", args=[program_a.pk])
    assert "Oui, clôturer" in as_coordinator.get(url).content.decode()
    page = as_coordinator.post(url, follow=True).content.decode()
    program_a.refresh_from_db()
    assert program_a.status == Program.Status.CLOSED
    assert "Programme clôturé" in page
    assert AuditEntry.objects.filter(action="program.closed", object_id=str(program_a.pk)).exists()
    form = program_a.forms.get()
    assert client.get(reverse("intake:public_form", args=[form.token])).status_code == 410


def test_outsider_gets_404(as_outsider, program_a):
    url = reverse("programs:close", args=[program_a.pk])
    assert as_outsider.get(url).status_code == 404
    assert as_outsider.post(url).status_code == 404
    program_a.refresh_from_db()
    assert program_a.status != Program.Status.CLOSED


def test_a_mentor_gets_404(client, mentor, program_a):
    from maillage.conftest import login

    login(client, mentor)
    assert client.post(reverse("programs:close", args=[program_a.pk])).status_code == 404

"""The directory's create forms count once, whatever the clicks (core.once): a new
organization, a phase change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Organization
from maillage.directory.models import PhaseChange
from maillage.tests.test_create_forms_once import form_fields

pytestmark = pytest.mark.django_db


def _twice(client, page, action, typed):
    fields = form_fields(client.get(page).content.decode(), action)
    assert "form_token" in fields
    data = {**fields, **typed}
    first = client.post(action or page, data)
    again = client.post(action or page, data)
    assert first.status_code == 302, (
        getattr(first, "context", None) and first.context["form"].errors
    )
    assert again.status_code == 302 and again["Location"] == first["Location"]


def test_a_double_click_adds_one_organization(client, network, staff, region_qc):
    client.force_login(staff.user)
    page = reverse("directory:organization_new", args=[network.pk])
    before = Organization.objects.count()
    _twice(
        client, page, None, {"name": "Cuisine du Fjord (fictive)", "territory": str(region_qc.pk)}
    )
    assert Organization.objects.count() == before + 1


def test_a_double_click_notes_one_phase_change(client, network, staff, collective):
    client.force_login(staff.user)
    org = collective.organization_id
    page = reverse("directory:organization", args=[network.pk, org])
    action = reverse("directory:phase", args=[network.pk, org])
    before = PhaseChange.objects.count()
    _twice(client, page, action, {"phase": "active", "note": "Ouverture"})
    assert PhaseChange.objects.count() == before + 1


def test_bad_input_is_explained_and_kept(client, network, staff, collective):
    client.force_login(staff.user)
    org = collective.organization_id
    response = client.post(
        reverse("directory:phase", args=[network.pk, org]),
        {"phase": "active", "on": "2999-01-01", "note": "Ouverture prévue"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "la date est dans le futur" in html and "Ouverture prévue" in html
    response = client.post(
        reverse("directory:organization_new", args=[network.pk]),
        {"name": "Nouvelle cuisine (fictive)", "kind": "nonprofit"},
    )
    html = response.content.decode()
    assert "Nouvelle cuisine (fictive)" in html and "errorlist" in html

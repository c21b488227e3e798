"""« Créer un réseau »: the platform's administrator makes a network and names its backbone staff."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from maillage.core.models import AuditEntry
from maillage.measurement.models import Network, NetworkRole

pytestmark = pytest.mark.django_db

URL = reverse("measurement:new")


@pytest.fixture
def as_admin(client):
    admin = get_user_model().objects.create_superuser("admin@exemple.org", "admin@exemple.org", "x")
    client.force_login(admin)
    return client


def test_administrator_creates_a_network_run_by_a_new_person(as_admin, org_a):
    assert "Créer un réseau" in as_admin.get(reverse("measurement:list")).content.decode()
    response = as_admin.post(
        URL,
        {
            "name": "Réseau du réemploi",
            "backbone": org_a.pk,
            "email": "julie.soutien@exemple.org",
            "first_name": "Julie",
            "last_name": "Soutien",
        },
    )
    network = Network.objects.get(name="Réseau du réemploi")
    assert response.url == reverse("measurement:network", args=[network.pk])
    assert network.backbone == org_a
    role = network.roles.get()
    assert (role.kind, role.person.email) == (NetworkRole.Kind.STAFF, "julie.soutien@exemple.org")
    assert AuditEntry.objects.filter(action="network.created").exists()


def test_a_new_backbone_by_name_and_an_unknown_person_without_names(as_admin):
    data = {"name": "Réseau", "backbone_name": "Soutien (fictif)", "email": "x@exemple.org"}
    response = as_admin.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "indiquez son prénom et son nom" in page
    assert 'value="Soutien (fictif)"' in page
    assert not Network.objects.exists()


def test_a_coordinator_gets_404(as_coordinator):
    assert as_coordinator.get(URL).status_code == 404
    assert as_coordinator.post(URL, {"name": "R"}).status_code == 404


def test_outsider_gets_404(as_outsider):
    assert as_outsider.get(URL).status_code == 404

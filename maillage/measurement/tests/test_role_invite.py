"""Backbone staff invite a person with a role in the network to sign in; a funder cannot (404)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.measurement import services
from maillage.measurement.models import NetworkRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def gisele(network):
    person = make_person("Gisèle", "Nouvelle", user=False)
    services.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STEERING)
    return person


def _url(network, person) -> str:
    role = network.roles.get(person=person)
    return reverse("measurement:role_invite", args=[network.pk, role.pk])


def test_staff_invite_a_person_without_an_account(
    client, staff, network, gisele, django_capture_on_commit_callbacks
):
    login(client, staff)
    page = client.get(reverse("measurement:roles", args=[network.pk])).content.decode()
    assert _url(network, gisele) in page and "demandez à l’administration" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(network, gisele), follow=True)
    assert [m.to for m in mail.outbox] == [[gisele.email]]
    body = mail.outbox[0].body
    assert "Béatrice Soutien vous invite" in body
    assert "pour le réseau « Les Complices (fictif) »" in body
    assert "Invitation envoyée à Gisèle Nouvelle" in response.content.decode()
    gisele.refresh_from_db()
    assert gisele.user is not None and gisele.invited_by == staff


@pytest.mark.parametrize("who", ["funder", "member_coordinator"])
def test_others_in_the_network_get_404(
    client, request, network, gisele, who, django_capture_on_commit_callbacks
):
    login(client, request.getfixturevalue(who))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url(network, gisele)).status_code == 404
        assert client.get(_url(network, gisele)).status_code == 404
    gisele.refresh_from_db()
    assert gisele.user is None and mail.outbox == []

"""Backbone staff give a person a role in the network by e-mail, and take it back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import AuditEntry, Person
from maillage.measurement.models import NetworkRole

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


def _url(network) -> str:
    return reverse("measurement:roles", args=[network.pk])


def test_staff_give_a_role_to_a_person_they_already_see(
    client, staff, network, coordinator, funder
):
    # Camille coordinates a program; Béatrice sees her once she has a role in the network.
    from maillage.measurement.services import assign_network_role

    assign_network_role(network=network, person=coordinator, kind=Kind.FUNDER)
    login(client, staff)
    response = client.post(
        _url(network), {"email": coordinator.email.upper(), "kind": Kind.STEERING}
    )
    assert response.status_code == 302
    assert network.roles.filter(person=coordinator, kind=Kind.STEERING).exists()
    assert Person.objects.filter(email__iexact=coordinator.email).count() == 1
    assert AuditEntry.objects.filter(model="measurement.NetworkRole", action="create").exists()


def test_staff_give_a_role_to_a_new_person_with_their_names(client, staff, network):
    login(client, staff)
    data = {
        "email": "gisele.nouvelle@exemple.org",
        "first_name": "Gisèle",
        "last_name": "Nouvelle",
        "kind": Kind.FUNDER,
    }
    assert client.post(_url(network), data).status_code == 302
    person = Person.objects.get(email="gisele.nouvelle@exemple.org")
    assert person.full_name == "Gisèle Nouvelle"
    assert network.roles.filter(person=person, kind=Kind.FUNDER).exists()
    # No account yet: the page says so rather than letting staff believe she can sign in.
    assert "Pas encore de compte" in client.get(_url(network)).content.decode()


def test_an_unknown_email_without_names_asks_for_them_and_keeps_the_form(client, staff, network):
    login(client, staff)
    response = client.post(_url(network), {"email": "inconnue@exemple.org", "kind": Kind.STEERING})
    html = response.content.decode()
    assert response.status_code == 200
    assert "indiquez son prénom et son nom" in html
    assert 'value="inconnue@exemple.org"' in html
    assert '<option value="steering" selected>' in html
    assert not Person.objects.filter(email="inconnue@exemple.org").exists()


def test_a_malformed_email_is_refused_in_french_and_kept(client, staff, network):
    login(client, staff)
    response = client.post(
        _url(network), {"email": "julie@", "first_name": "Julie", "kind": Kind.STAFF}
    )
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    assert 'value="julie@"' in html and 'value="Julie"' in html


def test_a_member_coordinator_needs_their_member(client, staff, network, members, coordinator):
    login(client, staff)
    data = {"email": coordinator.email, "kind": Kind.MEMBER, "first_name": "C", "last_name": "C"}
    response = client.post(_url(network), data)
    assert "Indiquez l’organisation membre." in response.content.decode()
    assert not network.roles.filter(kind=Kind.MEMBER).exists()
    response = client.post(_url(network), {**data, "member": members[1].pk})
    assert response.status_code == 302
    assert network.roles.get(kind=Kind.MEMBER).member == members[1]


def test_a_member_is_kept_only_for_a_member_coordinator(client, staff, network, members):
    login(client, staff)
    fanny = make_person("Fanny", "Bailleur")
    data = {"email": fanny.email, "kind": Kind.FUNDER, "member": members[0].pk}
    client.post(_url(network), {**data, "first_name": "Fanny", "last_name": "B."})
    assert network.roles.get(person__email=fanny.email).member is None


def test_staff_remove_a_role(client, staff, network, funder):
    role = network.roles.get(person=funder)
    login(client, staff)
    url = reverse("measurement:role_remove", args=[network.pk, role.pk])
    assert client.get(url).status_code == 405  # an action: by POST only, after the access check
    assert client.post(url).status_code == 302
    assert not NetworkRole.objects.filter(pk=role.pk).exists()


def test_the_last_staff_role_stays_with_a_french_message(client, staff, network):
    role = network.roles.get(person=staff)
    login(client, staff)
    url = reverse("measurement:role_remove", args=[network.pk, role.pk])
    response = client.post(url, follow=True)
    assert "Un réseau garde au moins une personne dans l’équipe" in response.content.decode()
    assert NetworkRole.objects.filter(pk=role.pk).exists()


def test_a_role_of_another_network_is_404(client, staff, network, backbone):
    from maillage.measurement import services

    other = services.create_network(backbone=backbone, name="Autre réseau")
    foreign = services.assign_network_role(
        network=other, person=make_person("Oscar", "Ailleurs"), kind=Kind.STAFF
    )
    login(client, staff)
    url = reverse("measurement:role_remove", args=[network.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert NetworkRole.objects.filter(pk=foreign.pk).exists()

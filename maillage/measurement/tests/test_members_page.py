"""Backbone staff add and remove the network's member organizations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry, Organization
from maillage.measurement import services
from maillage.measurement.models import NetworkMember

pytestmark = pytest.mark.django_db


def _url(network) -> str:
    return reverse("measurement:members", args=[network.pk])


def test_staff_see_members_with_their_shared_programs_and_who_consented(
    client, staff, network, fed, program_a, coordinator
):
    login(client, staff)
    html = client.get(_url(network)).content.decode()
    assert "Marché solidaire (fictif)" in html and "Vivre Ensemble (fictif)" in html
    assert program_a.title in html and "Programme B2" in html
    assert f"consentement de {coordinator.full_name}" in html


def test_staff_add_an_organization_of_the_directory_by_its_name(client, staff, network, org_b):
    login(client, staff)
    response = client.post(_url(network), {"name": "marché solidaire (FICTIF)"})
    assert response.status_code == 302
    assert network.members.get().organization == org_b
    assert Organization.objects.filter(name__iexact=org_b.name).count() == 1
    assert AuditEntry.objects.filter(model="measurement.NetworkMember", action="create").exists()


def test_staff_add_a_new_organization_with_its_region(client, staff, network, region_qc):
    login(client, staff)
    response = client.post(
        _url(network), {"name": "Épicerie mobile (fictive)", "region": region_qc.pk}
    )
    assert response.status_code == 302
    member = network.members.get()
    assert member.organization.name == "Épicerie mobile (fictive)"
    assert member.organization.territory == region_qc


def test_an_unknown_name_without_region_is_refused_in_french_and_kept(client, staff, network):
    login(client, staff)
    response = client.post(_url(network), {"name": "Épicerie mobile (fictive)"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucune organisation de ce nom dans Maillage" in html
    assert 'value="Épicerie mobile (fictive)"' in html
    assert not network.members.exists()
    assert not Organization.objects.filter(name="Épicerie mobile (fictive)").exists()


def test_an_organization_already_member_is_not_added_twice(client, staff, network, members, org_a):
    login(client, staff)
    response = client.post(_url(network), {"name": org_a.name})
    assert "est déjà membre du réseau" in response.content.decode()
    assert network.members.count() == 2


def test_the_add_form_proposes_organizations_that_are_not_members_yet(
    client, staff, network, members, backbone
):
    login(client, staff)
    html = client.get(_url(network)).content.decode()
    datalist = html.split('<datalist id="organisations">')[1].split("</datalist>")[0]
    assert backbone.name in datalist
    assert "Marché solidaire (fictif)" not in datalist


def test_staff_remove_a_member_without_values_after_confirming(
    client, staff, network, fed, program_a
):
    member = fed[0]
    login(client, staff)
    url = reverse("measurement:member_remove", args=[network.pk, member.pk])
    confirm = client.get(url).content.decode()
    assert "son programme partagé cessera d’alimenter le réseau" in confirm
    assert NetworkMember.objects.filter(pk=member.pk).exists()  # a GET removes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert not NetworkMember.objects.filter(pk=member.pk).exists()
    assert program_a.network_links.count() == 0
    assert AuditEntry.objects.filter(
        model="measurement.NetworkMember", action="delete", object_id=str(member.pk)
    ).exists()


def test_a_member_with_values_stays_with_a_french_message(client, staff, network, members):
    member = members[0]
    indicator = services.define_indicator(network=network, code="t", label_fr="Tonnes", unit="t")
    services.record_measurement(
        indicator=indicator,
        member=member,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        value=Decimal(3),
    )
    login(client, staff)
    url = reverse("measurement:member_remove", args=[network.pk, member.pk])
    confirm = client.get(url).content.decode()
    assert (
        "a déjà une valeur dans le réseau" in confirm
        and "Retirer du réseau</button>" not in confirm
    )
    response = client.post(url, follow=True)
    assert "La retirer effacerait ces chiffres de l’historique du réseau" in (
        response.content.decode()
    )
    assert NetworkMember.objects.filter(pk=member.pk).exists()


def test_a_member_of_another_network_is_404(client, staff, network, backbone, org_a):
    other = services.create_network(backbone=backbone, name="Autre réseau")
    foreign = services.add_member(network=other, organization=org_a)
    login(client, staff)
    url = reverse("measurement:member_remove", args=[network.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert NetworkMember.objects.filter(pk=foreign.pk).exists()

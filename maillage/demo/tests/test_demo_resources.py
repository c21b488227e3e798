"""The demo network's shared resources: offers and needs, one truck-sharing agreement signed by
both sides with its trips, and the network's figures fed by them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import fresh, shared_data
from maillage.demo.network import build_demo_network
from maillage.demo.resources import build_demo_resources
from maillage.measurement.aggregation import network_views
from maillage.resources.models import Agreement, Resource, Use

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    from maillage.demo.editions import build_demo

    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        network = build_demo_network(build_demo())
        build_demo_resources(network)
        yield network


@pytest.fixture
def demo(built, db):
    return fresh(built)


def test_the_demo_has_offers_needs_and_a_signed_truck_agreement_with_trips(demo):
    assert Resource.objects.filter(network=demo, direction="offer").count() == 3
    assert Resource.objects.filter(network=demo, direction="need").count() == 2
    agreement = Agreement.objects.get(network=demo)
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.offer.category == "camion_refrigere"
    assert Use.objects.filter(agreement=agreement).count() == 3


def test_building_it_twice_changes_nothing(demo):
    before = (Resource.objects.count(), Agreement.objects.count(), Use.objects.count())
    build_demo_resources(demo)
    assert (Resource.objects.count(), Agreement.objects.count(), Use.objects.count()) == before


def test_the_network_figures_count_the_agreement_and_the_tonnes(demo):
    views = {v.indicator.code: v for v in network_views(demo, with_members=False)}
    last = [p.actual for p in views["ententes-utilisation"].points if p.actual is not None][-1]
    tonnes = [p.actual for p in views["tonnes-ressources-partagees"].points if p.actual is not None]
    assert last == 1 and tonnes[-1] == pytest.approx(3.9)


def test_marc_reaches_the_agreement_from_his_home_page(client, demo):
    from maillage.core.models import Person

    marc = Person.objects.get(email__startswith="marc.tremblay@")
    client.force_login(marc.user)
    home = client.get(reverse("programs:dashboard")).content.decode()
    url = reverse("resources:home", args=[demo.pk])
    assert url in home
    page = client.get(url).content.decode()
    assert "Protocole de mutualisation du camion réfrigéré" in page

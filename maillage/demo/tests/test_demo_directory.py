"""The demo network's directory: a collective with five antennas at different phases, each
with its history, a dozen organizations across the regions, a published public page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Organization
from maillage.demo.directory import COLLECTIVE, build_demo_directory
from maillage.directory.models import PhaseChange
from maillage.directory.selectors import entries
from maillage.directory.visibility import PUBLIC, STAFF

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    from maillage.measurement import services

    backbone = Organization.objects.create(name="Soutien (fictif)")
    return services.create_network(backbone=backbone, name="Réseau démo")


def test_the_collective_has_five_antennas_at_its_four_phases_with_histories(network):
    build_demo_directory(network)
    collective = Organization.objects.get(name=COLLECTIVE)
    antennas = list(collective.antennas.all())
    assert len(antennas) == 5
    assert {a.phase for a in antennas} == set(Organization.Phase.values)
    assert all(PhaseChange.objects.filter(organization=a).exists() for a in antennas)
    assert max(PhaseChange.objects.filter(organization=a).count() for a in antennas) >= 3


def test_a_dozen_organizations_across_regions_and_a_public_page(client, network):
    build_demo_directory(network)
    found = entries(network, STAFF)
    assert len(found) >= 12
    assert len({e.region.code for e in found if e.region}) >= 8
    public = entries(network, PUBLIC)
    assert any(e.description for e in public) and not all(e.description for e in public)
    assert client.get(reverse("directory:public", args=[network.pk])).status_code == 200


def test_building_again_changes_nothing(network):
    build_demo_directory(network)
    counts = (network.members.count(), PhaseChange.objects.count())
    build_demo_directory(network)
    assert (network.members.count(), PhaseChange.objects.count()) == counts

"""A network with a community of practice: staff Béatrice runs it, Camille (of member
organization A) and Denis (of member B) are members, Fanny funds the network, Olivier coordinates
a program elsewhere and must see nothing."""

from __future__ import annotations

from datetime import date, time

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.measurement import services as network_services
from maillage.measurement.models import NetworkRole
from maillage.practice import services


@pytest.fixture
def backbone(db, region_qc, community) -> Organization:
    return Organization.objects.create(
        name="Mentorat (fictif)", sector=community, territory=region_qc
    )


@pytest.fixture
def org_b(db, region_qc, community) -> Organization:
    return Organization.objects.create(
        name="Marché solidaire (fictif)", sector=community, territory=region_qc
    )


@pytest.fixture
def network(db, backbone, org_a, org_b):
    network = network_services.create_network(backbone=backbone, name="Réseau (fictif)")
    network_services.add_member(network=network, organization=org_a)
    network_services.add_member(network=network, organization=org_b)
    return network


@pytest.fixture
def staff(network):
    person = make_person("Béatrice", "Soutien")
    network_services.assign_network_role(
        network=network, person=person, kind=NetworkRole.Kind.STAFF
    )
    return person


@pytest.fixture
def funder(network):
    person = make_person("Fanny", "Bailleur")
    network_services.assign_network_role(
        network=network, person=person, kind=NetworkRole.Kind.FUNDER
    )
    return person


@pytest.fixture
def member(network, coordinator):
    """Camille works for member organization A: a member of the network."""
    return coordinator


@pytest.fixture
def member_b(network, org_b):
    return make_person("Denis", "Membre", org=org_b)


@pytest.fixture
def facilitator(network, org_b):
    return make_person("Fatou", "Animation", org=org_b)


THEMES = [
    "Recruter des mentor·es",
    "Jumeler",
    "Former",
    "Accompagner",
    "Évaluer",
    "Reconnaître",
    "Financer",
]


@pytest.fixture
def series(network, staff, facilitator):
    return services.create_series(
        network=network,
        title="Jasettes mentoriales",
        first_day=date(2026, 1, 14),
        start_time=time(12, 0),
        themes=THEMES,
        online_url="https://visio.exemple.org/jasettes",
        capacity=2,
        facilitators=[facilitator],
        by=staff.user,
    )

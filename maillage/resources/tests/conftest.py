"""A network of three antennas of a food collective in Montérégie (seed 004): Roussillon,
Beauharnois-Salaberry and Le Haut-Saint-Laurent, each with its coordinator (Rosalie, Benoît,
Hélène), the backbone staff Sophie and the funder Fanny."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization, Territory
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.resources import services


@pytest.fixture
def antennas(db, community):
    def org(name: str, mrc: str) -> Organization:
        return Organization.objects.create(
            name=name, sector=community, territory=Territory.objects.get(code=mrc)
        )

    return {
        "roussillon": org("Complices de Roussillon (fictif)", "QC-MRC-670"),
        "beauharnois": org("Complices de Beauharnois (fictif)", "QC-MRC-700"),
        "hsl": org("Complices du Haut-Saint-Laurent (fictif)", "QC-MRC-690"),
    }


@pytest.fixture
def network(db, antennas):
    backbone = Organization.objects.create(name="Complices Alimentaires (fictif)")
    return measurement.create_network(backbone=backbone, name="Les Complices (fictif)")


@pytest.fixture
def members(network, antennas):
    return {
        key: measurement.add_member(network=network, organization=org)
        for key, org in antennas.items()
    }


def _coordinator(network, member, first: str, last: str):
    person = make_person(first, last, org=member.organization)
    measurement.assign_network_role(
        network=network, person=person, kind=NetworkRole.Kind.MEMBER, member=member
    )
    return person


@pytest.fixture
def rosalie(network, members):
    return _coordinator(network, members["roussillon"], "Rosalie", "Roussillon")


@pytest.fixture
def benoit(network, members):
    return _coordinator(network, members["beauharnois"], "Benoît", "Beauharnois")


@pytest.fixture
def helene(network, members):
    return _coordinator(network, members["hsl"], "Hélène", "Haut")


@pytest.fixture
def staff(network):
    person = make_person("Sophie", "Soutien")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STAFF)
    return person


@pytest.fixture
def funder(network):
    person = make_person("Fanny", "Bailleur")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.FUNDER)
    return person


def post_truck(network, member, by, *, direction: str, **extra):
    fields = {
        "category": "camion_refrigere",
        "title": "Camion réfrigéré" if direction == "offer" else "Besoin d’un camion réfrigéré",
        "quantity": Decimal(400) if direction == "offer" else Decimal(200),
        "unit": "km",
        "available_from": date(2026, 1, 1),
        "available_until": date(2026, 12, 31),
        "reach": "neighbours",
        **extra,
    }
    return services.post_resource(
        network=network, member=member, direction=direction, by=by, **fields
    )


@pytest.fixture
def truck_offer(network, members, benoit):
    return post_truck(network, members["beauharnois"], benoit, direction="offer", cost="0,45 $/km")


@pytest.fixture
def truck_need(network, members, rosalie, truck_offer):
    return post_truck(network, members["roussillon"], rosalie, direction="need")


@pytest.fixture
def agreement(truck_need, rosalie):
    proposal = truck_need.as_need.get()
    return services.start_agreement(proposal=proposal, by=rosalie)


@pytest.fixture
def signed(agreement, rosalie, benoit):
    services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    agreement.refresh_from_db()
    return services.sign_agreement(agreement=agreement, by=benoit, revision=agreement.revision)

"""A network for the measurement tests: a backbone, two members with one program each, and the
people who look at it (staff Béatrice, funder Fanny, member coordinator Camille of program A)."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.intake.models import Application
from maillage.measurement import services
from maillage.measurement.models import NetworkRole
from maillage.programs.services import create_program


@pytest.fixture
def backbone(db, region_qc, community) -> Organization:
    return Organization.objects.create(
        name="Table de concertation (fictive)", sector=community, territory=region_qc
    )


@pytest.fixture
def org_b(db, region_qc, community) -> Organization:
    return Organization.objects.create(
        name="Marché solidaire (fictif)", sector=community, territory=region_qc
    )


@pytest.fixture
def network(db, backbone):
    return services.create_network(backbone=backbone, name="Les Complices (fictif)")


@pytest.fixture
def members(network, org_a, org_b):
    return (
        services.add_member(network=network, organization=org_a),
        services.add_member(network=network, organization=org_b),
    )


@pytest.fixture
def program_b2(db, org_b):
    person = make_person("Bruno", "Coord", org=org_b)
    return create_program(
        by=person, title="Programme B2", theme="Cuisine", coordinating_organization=org_b
    )


@pytest.fixture
def fed(members, program_a, program_b2, coordinator):
    """Both programs feed the network, each with its coordinator's consent."""
    member_a, member_b = members
    services.attach_program(member=member_a, program=program_a, consent_by=coordinator)
    bruno = program_b2.roles.get(kind="coordinator").person
    services.attach_program(member=member_b, program=program_b2, consent_by=bruno)
    return members


@pytest.fixture
def staff(network):
    person = make_person("Béatrice", "Soutien")
    services.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STAFF)
    return person


@pytest.fixture
def funder(network):
    person = make_person("Fanny", "Bailleur")
    services.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.FUNDER)
    return person


@pytest.fixture
def member_coordinator(network, members, coordinator):
    services.assign_network_role(
        network=network, person=coordinator, kind=NetworkRole.Kind.MEMBER, member=members[0]
    )
    return coordinator


def add_applications(program, n: int) -> None:
    Application.objects.bulk_create(
        Application(program=program, contact_name=f"Personne {i}", answers={}) for i in range(n)
    )


@pytest.fixture
def today() -> date:
    return date.today()

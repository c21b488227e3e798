"""A network for the governance tests: the measurement fixtures (backbone, two members, staff
Béatrice, funder Fanny, member coordinator Camille) plus a second member's coordinator, Bruno,
and a model 1 built like the Complices' first model (seed 004)."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.conftest import make_person
from maillage.governance import services
from maillage.governance.models import Instance, Link, Seat
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.measurement.tests import conftest as measurement_fixtures

# The measurement tests' network and its people, shared rather than copied.
backbone = measurement_fixtures.backbone
org_b = measurement_fixtures.org_b
network = measurement_fixtures.network
members = measurement_fixtures.members
staff = measurement_fixtures.staff
funder = measurement_fixtures.funder
member_coordinator = measurement_fixtures.member_coordinator


@pytest.fixture
def second_member(network, members):
    person = make_person("Bruno", "Partenaire")
    measurement.assign_network_role(
        network=network, person=person, kind=NetworkRole.Kind.MEMBER, member=members[1]
    )
    return person


@pytest.fixture
def model_1(network):
    """Partners' committee ← coordination committee ← antenna committee; one circle unlinked."""
    version = services.create_version(network=network, name="Modèle 1 (2019)")
    partners = services.add_instance(
        version=version, name="Comité des partenaires", kind=Instance.Kind.COMMITTEE
    )
    coco = services.add_instance(
        version=version, name="Comité de coordination", kind=Instance.Kind.COMMITTEE
    )
    antenna = services.add_instance(
        version=version, name="Comité d’antenne", kind=Instance.Kind.COMMITTEE
    )
    services.add_instance(version=version, name="Cercle orphelin", kind=Instance.Kind.CIRCLE)
    services.add_link(version=version, source=coco, target=partners, kind=Link.Kind.REPORTS_TO)
    services.add_link(version=version, source=antenna, target=coco, kind=Link.Kind.REPORTS_TO)
    seat = services.set_seats(instance=partners, kind=Seat.Kind.MEMBER, count=2)
    services.add_holder(seat=seat, name="Aline Antenne", starts_on=date(2019, 9, 1))
    return version

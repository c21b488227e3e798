"""The measurement network (staff Béatrice, funder Fanny, Camille coordinating member A) plus a
collective with an antenna, each with distinctive words that a test can look for in a page."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.core.models import Domain, Organization, Sector, Territory
from maillage.directory import services
from maillage.measurement.tests import conftest as network_fixtures

# The measurement tests' network and personas, shared rather than copied.
backbone = network_fixtures.backbone
funder = network_fixtures.funder
member_coordinator = network_fixtures.member_coordinator
members = network_fixtures.members
network = network_fixtures.network
org_b = network_fixtures.org_b
staff = network_fixtures.staff


@pytest.fixture
def mrc_kamouraska(db) -> Territory:
    return Territory.objects.get(code="QC-MRC-140")


@pytest.fixture
def collective(network, staff, mrc_kamouraska):
    """« Complices du Kamouraska » with every part filled, and one antenna, all private."""
    member = services.add_organization(
        network=network,
        by=staff.user,
        name="Complices du Kamouraska",
        territory=mrc_kamouraska,
        kind=Organization.Kind.COOPERATIVE,
        sector=Sector.objects.get(code="communautaire"),
        phase=Organization.Phase.DEVELOPMENT,
        description="Cuisine collective zygomatique",
    )
    org = member.organization
    org.website = "https://complices.example.org"
    org.save()
    org.domains.set(Domain.objects.all()[:1])
    return member


@pytest.fixture
def antenna(network, staff, collective, mrc_kamouraska):
    member = services.add_organization(
        network=network,
        by=staff.user,
        name="Antenne de Saint-Pacôme",
        territory=mrc_kamouraska,
        parent=collective.organization,
        phase=Organization.Phase.INCUBATION,
        description="Frigo partagé",
    )
    services.record_phase(
        organization=member.organization,
        phase=Organization.Phase.PRE_START,
        on=date.today(),
        note="Local trouvé",
        by=staff.user,
    )
    return member


def open_all(member, audience: str, by=None) -> None:
    from maillage.directory.models import FIELD_NAMES

    services.set_visibility(member=member, visibility=dict.fromkeys(FIELD_NAMES, audience), by=by)

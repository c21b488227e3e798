"""The demo network of `./run`: built around the demo program, once, and readable by the demo's
backbone staff (Julie) and funder (Robert, totals only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import fresh, shared_data
from maillage.core.models import Organization, Person
from maillage.demo.network import DEMO_NETWORK, build_demo_network
from maillage.measurement.models import (
    Indicator,
    Measurement,
    MemberProgram,
    Network,
    NetworkMember,
    NetworkRole,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module; each test runs in its own savepoint."""
    from maillage.demo.editions import build_demo

    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        program = build_demo()
        yield program, build_demo_network(program)


@pytest.fixture
def demo(built, db):
    return fresh(built)


def _counts() -> list[int]:
    models = (Network, NetworkMember, NetworkRole, MemberProgram, Indicator, Measurement)
    return [m.objects.count() for m in models] + [
        Person.objects.count(),
        Organization.objects.count(),
    ]


def test_building_it_twice_changes_nothing(demo):
    program, network = demo
    before = _counts()
    assert build_demo_network(program) == network
    assert _counts() == before
    assert Network.objects.filter(name=DEMO_NETWORK).count() == 1


def test_the_demo_program_is_shared_with_camilles_consent(demo):
    program, network = demo
    link = MemberProgram.objects.get(program=program)
    assert link.member.network == network
    assert link.consent_by.email == "camille.gagnon@demo.maillage.org"
    assert network.members.count() >= 3
    assert network.indicators.filter(kind="computed").count() >= 3
    tonnes = network.indicators.get(kind="entered")
    assert tonnes.unit == "t" and tonnes.targets.count() >= 2 and tonnes.baseline
    assert tonnes.measurements.values("member").distinct().count() >= 3


def _login(client, email: str) -> None:
    from maillage.demo.editions import DEMO_PASSWORD

    user = Person.objects.get(email=email).user
    assert user.check_password(DEMO_PASSWORD)  # the login ./run prints works
    client.force_login(user)


def test_julie_runs_the_network_and_sees_figures_by_member(client, demo):
    _program, network = demo
    _login(client, "julie.bergeron@demo.maillage.org")
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "Fruits et légumes offerts à prix social" in html
    assert "Par organisation membre" in html and "Villes Vivantes" in html
    members = client.get(reverse("measurement:members", args=[network.pk]))
    assert members.status_code == 200
    assert "consentement de Camille Gagnon" in members.content.decode()


def test_robert_the_funder_sees_totals_and_no_member(client, demo):
    _program, network = demo
    _login(client, "robert.morin@demo.maillage.org")
    response = client.get(reverse("measurement:network", args=[network.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fruits et légumes offerts à prix social" in html
    assert "Par organisation membre" not in html
    named = [m.organization.name for m in network.members.all() if m.organization.name in html]
    assert not named, named
    assert client.get(reverse("measurement:members", args=[network.pk])).status_code == 404

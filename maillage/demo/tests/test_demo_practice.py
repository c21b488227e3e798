"""The demo network's Jasettes: 7 meetings with their themes and resources, the first 3 past
with attendance and notes, an open question carried to the next one; loaded once."""

from __future__ import annotations

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.demo.practice import JASETTES, build_demo_practice
from maillage.measurement import services as network_services
from maillage.measurement.models import NetworkRole
from maillage.practice import selectors
from maillage.practice.models import Resource, Series

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(org_a, coordinator, region_qc, community):
    backbone = Organization.objects.create(name="Soutien (fictif)", territory=region_qc)
    network = network_services.create_network(backbone=backbone, name="Démo (fictif)")
    network_services.add_member(network=network, organization=org_a)
    network_services.assign_network_role(
        network=network, person=make_person("Julie", "Soutien"), kind=NetworkRole.Kind.STAFF
    )
    make_person("Nora", "Membre", org=org_a)
    return network


def test_the_demo_jasettes(network):
    series = build_demo_practice(network)
    assert series.title == JASETTES
    meetings = list(series.meetings.order_by("number"))
    assert len(meetings) == 7
    past = [m for m in meetings if m.starts_at < timezone.now()]
    assert len(past) == 3
    assert all(m.attendance_taken_at and m.notes and m.attendance.exists() for m in past)
    assert Resource.objects.filter(meeting__series=series).count() == 14
    assert series.confirmed().count() == 3  # Julie, Camille, Nora
    assert [q.text for q in selectors.carried_questions(meetings[3])] == [
        "Qui aurait une formation sur les biais à partager avec les autres membres ?"
    ]


def test_loading_twice_changes_nothing(network):
    build_demo_practice(network)
    before = Series.objects.count(), Resource.objects.count()
    build_demo_practice(network)
    assert (Series.objects.count(), Resource.objects.count()) == before == (2, 14)

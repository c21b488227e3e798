"""The network page reads each program's stored figures: as many queries for 12 programs as for
3, the date they stand at on the page, and a program just shared computed once on first view."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login, make_person
from maillage.core.models import Organization
from maillage.measurement import services
from maillage.measurement.models import ProgramFigures
from maillage.programs.services import create_program

from .conftest import add_applications

pytestmark = pytest.mark.django_db


def _cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", html, flags=re.S)]


def _computed(network):
    """One indicator of people (small-cell rule, member table) and one of hours."""
    services.define_indicator(
        network=network,
        code="candidatures",
        label_fr="Candidatures reçues",
        kind="computed",
        source_key="applications_received",
        counts_people=True,
    )
    services.define_indicator(
        network=network, code="heures", label_fr="Heures", kind="computed", source_key="hours.used"
    )


def _grow(network, region, sector, n: int, start: int = 0) -> None:
    """n more member organizations, each sharing one program with 6 applications."""
    for i in range(start, start + n):
        org = Organization.objects.create(name=f"Membre {i}", sector=sector, territory=region)
        person = make_person(f"Coord{i}", "Membre", user=False)
        program = create_program(
            by=person, title=f"Programme {i}", theme="Réemploi", coordinating_organization=org
        )
        add_applications(program, 6)
        member = services.add_member(network=network, organization=org)
        services.attach_program(member=member, program=program, consent_by=person)


def _page_queries(client, network) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("measurement:network", args=[network.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_page_queries_do_not_grow_with_the_programs(client, staff, network, region_qc, community):
    _computed(network)
    login(client, staff)
    _grow(network, region_qc, community, 3)
    services.refresh_figures(network=network)
    with_3, html = _page_queries(client, network)
    assert "18" in _cells(html)  # 3 programs × 6 applications, from the stored figures

    _grow(network, region_qc, community, 9, start=3)
    services.refresh_figures(network=network)
    with_12, html = _page_queries(client, network)
    assert "72" in _cells(html)
    assert with_12 == with_3


def test_stale_figures_are_shown_with_their_date(client, staff, network, fed, program_a):
    _computed(network)
    login(client, staff)
    services.refresh_figures(network=network)
    at = timezone.make_aware(datetime(2026, 11, 20, 3, 0))  # Montréal time
    ProgramFigures.objects.update(computed_at=at)
    add_applications(program_a, 9)  # after the figures: not on the page until a refresh

    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "Chiffres du 20 novembre 2026 à 3 h 00." in html
    assert "20 novembre 2026" in re.findall(r'<th scope="row">(.*?)</th>', html)  # the column
    assert "9" not in _cells(html) and "0" in _cells(html)


def test_freshness_is_that_of_the_oldest_program(client, staff, network, fed, program_b2):
    _computed(network)
    login(client, staff)
    services.refresh_figures(network=network)
    ProgramFigures.objects.filter(program=program_b2).update(
        computed_at=timezone.make_aware(datetime(2026, 11, 2, 14, 5))
    )
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "Chiffres du 2 novembre 2026 à 14 h 05." in html


def test_missing_figures_are_computed_on_first_view_then_read(
    client, funder, network, fed, program_a, program_b2
):
    _computed(network)
    add_applications(program_a, 7)
    add_applications(program_b2, 5)
    login(client, funder)
    assert not ProgramFigures.objects.exists()  # just shared: nothing stored yet

    first, html = _page_queries(client, network)
    assert "12" in _cells(html)
    stored = ProgramFigures.objects.get(program=program_a)
    assert stored.figures["applications_received"] == 7

    second, html = _page_queries(client, network)
    assert "12" in _cells(html)
    assert second < first - 20  # two programs' computation (about 20 queries each) is gone
    assert ProgramFigures.objects.get(program=program_a).computed_at == stored.computed_at


def test_live_computation_gives_the_same_page_as_stored_figures(network, fed, program_a):
    from maillage.measurement.aggregation import network_views

    _computed(network)
    add_applications(program_a, 8)
    services.refresh_figures(network=network)
    stored = network_views(network, with_members=True)
    live = network_views(network, with_members=True, live=True)
    assert [v.points for v in stored] == [v.points for v in live]
    assert [v.member_rows for v in stored] == [v.member_rows for v in live]

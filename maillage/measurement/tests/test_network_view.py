from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.measurement import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_indicator(network, members):
    """Members report how many young people joined: member A has only 3, member B 20."""
    indicator = services.define_indicator(
        network=network, code="jeunes", label_fr="Jeunes rejoints", counts_people=True
    )
    for member, n in zip(members, (3, 20), strict=True):
        services.record_measurement(
            indicator=indicator,
            member=member,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            value=Decimal(n),
        )
    services.record_measurement(
        indicator=indicator,
        member=members[1],
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        value=Decimal(11),
    )
    return indicator


def _cells(html: str) -> list[str]:
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", html, flags=re.S)]


def test_member_with_three_participants_never_appears_as_three(client, staff, people_indicator):
    login(client, staff)
    html = client.get(reverse("measurement:network", args=[people_indicator.network.pk])).content
    cells = _cells(html.decode())
    assert "3" not in cells
    # Complementary suppression: B's 20 would give A's 3 back from the network total of 23.
    assert "20" not in cells and "23" in cells
    assert "Marché solidaire (fictif)" in html.decode()  # staff see the rows, masked


def test_funder_sees_aggregates_but_no_member_row(client, funder, people_indicator, org_a, org_b):
    login(client, funder)
    response = client.get(reverse("measurement:network", args=[people_indicator.network.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert org_a.name not in html and org_b.name not in html
    assert "Jeunes rejoints" in html
    assert "34" in _cells(html)  # 23 then 11 more: the cumulative network figure


def test_outsider_gets_404_on_the_network_pages(client, outsider, network, people_indicator):
    login(client, outsider)
    pk = network.pk
    for url in (
        reverse("measurement:network", args=[pk]),
        reverse("measurement:export", args=[pk, "csv"]),
        reverse("measurement:indicator_new", args=[pk]),
        reverse("measurement:plan", args=[pk, people_indicator.pk]),
        reverse("measurement:enter", args=[pk, people_indicator.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert network.name not in client.get(reverse("measurement:list")).content.decode()


def test_funder_cannot_define_indicators_or_enter_values(client, funder, network, people_indicator):
    login(client, funder)
    assert client.get(reverse("measurement:indicator_new", args=[network.pk])).status_code == 404
    assert (
        client.get(reverse("measurement:plan", args=[network.pk, people_indicator.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("measurement:enter", args=[network.pk, people_indicator.pk])).status_code
        == 404
    )


def test_member_coordinator_enters_for_own_organization_only(
    client, member_coordinator, network, members, people_indicator
):
    login(client, member_coordinator)
    url = reverse("measurement:enter", args=[network.pk, people_indicator.pk])
    data = {"period_start": "2026-07-01", "period_end": "2026-09-30", "value": "12"}
    response = client.post(url, {**data, "member": members[1].pk})
    assert response.status_code == 200  # not a choice: the form says so and keeps the values
    assert 'value="2026-09-30"' in response.content.decode()
    response = client.post(url, {**data, "member": members[0].pk})
    assert response.status_code == 302
    assert people_indicator.measurements.filter(member=members[0], value=12).exists()


def test_staff_defines_indicator_baseline_and_plan(client, staff, network):
    login(client, staff)
    response = client.post(
        reverse("measurement:indicator_new", args=[network.pk]),
        {
            "code": "ententes",
            "label_fr": "Ententes signées",
            "unit": "ententes",
            "kind": "entered",
            "aggregation": "sum",
            "order": 0,
        },
    )
    assert response.status_code == 302
    indicator = network.indicators.get(code="ententes")
    plan = reverse("measurement:plan", args=[network.pk, indicator.pk])
    client.post(plan, {"baseline": "1", "value": "2", "on": "2025-12-31", "source": "Plan"})
    client.post(plan, {"target": "1", "value": "10", "on": "2026-12-31"})
    indicator.refresh_from_db()
    assert indicator.baseline.value == 2
    assert indicator.targets.get().value == 10
    page = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "<svg" in page and "Ententes signées" in page


def test_computed_indicator_without_source_key_is_a_field_error(client, staff, network):
    login(client, staff)
    response = client.post(
        reverse("measurement:indicator_new", args=[network.pk]),
        {"code": "x", "label_fr": "Groupes", "kind": "computed", "aggregation": "sum", "order": 0},
    )
    assert response.status_code == 200
    assert "indicateur de programme" in response.content.decode()


def test_header_shows_networks_only_to_their_people(client, funder, outsider, network):
    login(client, funder)
    assert reverse("measurement:list") in client.get(reverse("programs:dashboard")).content.decode()
    login(client, outsider)
    assert (
        reverse("measurement:list")
        not in client.get(reverse("programs:dashboard")).content.decode()
    )

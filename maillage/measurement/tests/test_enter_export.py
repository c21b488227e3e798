"""The values already entered (the entry page's table) as a file: all members for staff, their
own organization's for a member's coordinator, 404 for anyone who may not enter values."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.measurement import services
from maillage.measurement.models import NetworkRole

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


@pytest.fixture
def entered(network, members):
    indicator = services.define_indicator(
        network=network, code="pdv", label_fr="Points de vente", unit="@points"
    )
    for member, value in zip(members, ("4", "12.5"), strict=True):
        services.record_measurement(
            indicator=indicator,
            member=member,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            value=Decimal(value),
        )
    return indicator


def _url(indicator, fmt: str) -> str:
    return reverse("measurement:enter_export", args=[indicator.network_id, indicator.pk, fmt])


def _page(client, indicator) -> str:
    url = reverse("measurement:enter", args=[indicator.network_id, indicator.pk])
    return html.unescape(client.get(url).content.decode())


def test_member_coordinator_downloads_their_own_values_only(
    client, member_coordinator, entered, org_a, org_b
):
    login(client, member_coordinator)
    page = _page(client, entered)
    rows = csv_rows(client.get(_url(entered, "csv")))
    assert rows[0][:4] == ["Organisation", "Début de la période", "Fin de la période", "Valeur"]
    assert rows[1:] == [[org_a.name, "2026-01-01", "2026-03-31", "4", "'@points"]]
    assert org_b.name not in page and f'<th scope="row">{org_a.name}</th>' in page
    assert "4,00 @points" in page  # the page shows the stored decimal; the file, the number


def test_staff_download_every_member_with_numbers(client, staff, entered, org_a, org_b):
    login(client, staff)
    rows = xlsx_rows(client.get(_url(entered, "xlsx")))
    assert {r[0]: r[3] for r in rows[1:]} == {org_a.name: 4, org_b.name: 12.5}
    page = _page(client, entered)
    assert org_a.name in page and org_b.name in page


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, None])
def test_who_may_not_enter_gets_404(client, network, entered, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(network=network, person=person, kind=kind)
    login(client, person)
    assert client.get(_url(entered, "csv")).status_code == 404


def test_outsider_coordinator_gets_404(client, outsider, entered):
    login(client, outsider)
    assert client.get(_url(entered, "csv")).status_code == 404


def test_unknown_format_is_404(client, staff, entered):
    login(client, staff)
    assert client.get(_url(entered, "json")).status_code == 404

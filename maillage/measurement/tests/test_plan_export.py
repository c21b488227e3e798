"""The plan's targets as a file, for backbone staff only."""

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
def planned(network):
    indicator = services.define_indicator(
        network=network, code="t", label_fr='=HYPERLINK("http://x")', unit="tonnes"
    )
    services.set_target(indicator=indicator, on=date(2026, 12, 31), value=Decimal("7.5"))
    services.set_target(indicator=indicator, on=date(2026, 6, 30), value=Decimal(3))
    return indicator


def _url(indicator, fmt: str) -> str:
    return reverse("measurement:plan_export", args=[indicator.network_id, indicator.pk, fmt])


def test_files_hold_the_targets_the_page_shows(client, staff, planned):
    login(client, staff)
    page = html.unescape(
        client.get(
            reverse("measurement:plan", args=[planned.network_id, planned.pk])
        ).content.decode()
    )
    assert _url(planned, "csv") in page
    assert "7,50" in page and "3,00" in page
    rows = csv_rows(client.get(_url(planned, "csv")))
    assert rows == [["Date", "Cible"], ["2026-06-30", "3"], ["2026-12-31", "7.5"]]
    assert xlsx_rows(client.get(_url(planned, "xlsx")))[1:] == [
        ["2026-06-30", 3],
        ["2026-12-31", 7.5],
    ]


def test_sheet_named_after_a_formula_like_indicator_holds_no_formula(client, staff, planned):
    login(client, staff)
    response = client.get(_url(planned, "xlsx"))
    assert response.status_code == 200
    assert "hyperlink" in response["Content-Disposition"].lower()
    assert all(not str(c).startswith("=") for r in xlsx_rows(response) for c in r)


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER, None])
def test_only_staff_download_the_plan(client, network, members, planned, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(
            network=network,
            person=person,
            kind=kind,
            member=members[0] if kind == Kind.MEMBER else None,
        )
    login(client, person)
    assert client.get(_url(planned, "csv")).status_code == 404


def test_unknown_format_is_404(client, staff, planned):
    login(client, staff)
    assert client.get(_url(planned, "txt")).status_code == 404

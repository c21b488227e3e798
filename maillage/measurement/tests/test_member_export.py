"""The staff's download of the network page's tables by member organization: the page's cells,
x exactly where the page shows x, numbers as numbers, and for backbone staff only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.measurement import services
from maillage.measurement.models import NetworkRole
from maillage.reports.selectors import plain

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


def _record(indicator, member, end: date, value: str) -> None:
    services.record_measurement(
        indicator=indicator,
        member=member,
        period_start=end.replace(day=1),
        period_end=end,
        value=Decimal(value),
    )


@pytest.fixture
def people(network, members):
    """Member A has 3 young people (hidden), B 20 (hidden too: it would give A's 3 back)."""
    indicator = services.define_indicator(
        network=network, code="jeunes", label_fr="Jeunes rejoints", counts_people=True
    )
    _record(indicator, members[0], date(2026, 3, 31), "3")
    _record(indicator, members[1], date(2026, 3, 31), "20")
    _record(indicator, members[1], date(2026, 6, 30), "11")
    return indicator


@pytest.fixture
def tonnes(network, members):
    indicator = services.define_indicator(
        network=network, code="t", label_fr="@SUM(A1)", unit="tonnes"
    )
    _record(indicator, members[0], date(2026, 3, 31), "2.5")
    _record(indicator, members[1], date(2026, 3, 31), "1200")
    return indicator


def _url(network, fmt: str) -> str:
    return reverse("measurement:member_export", args=[network.pk, fmt])


def _page_cells(client, network) -> list[list[str]]:
    """The member tables as the page shows them: code, organization, date, shown cell."""
    views = client.get(reverse("measurement:network", args=[network.pk])).context["views"]
    cells = []
    for view in views:
        names = [name for name, _cells in view.member_rows]
        grid = [c for _name, c in view.member_rows]
        if view.member_totals:
            names.append("Réseau, sur la période")
            grid.append(view.member_totals)
        for name, row in zip(names, grid, strict=True):
            for on, shown in zip(view.columns, row, strict=True):
                cells.append([view.indicator.code, name, on.isoformat(), shown])
    return cells


def test_csv_holds_the_page_cells_with_x_where_the_page_shows_x(
    client, staff, network, people, tonnes, org_a, org_b
):
    login(client, staff)
    page = _page_cells(client, network)
    rows = csv_rows(client.get(_url(network, "csv")))
    assert rows[0] == ["Code", "Indicateur", "Unité", "Organisation membre", "Date", "Valeur"]
    exported = [[r[0], r[3], r[4], r[5]] for r in rows[1:]]
    assert [[c, n, d, str(plain(s))] for c, n, d, s in page] == exported
    jeunes = {(r[3], r[4]): r[5] for r in rows[1:] if r[0] == "jeunes"}
    assert jeunes[(org_a.name, "2026-03-31")] == "x"
    assert jeunes[(org_b.name, "2026-03-31")] == "x"  # complementary, as on the page
    assert jeunes[("Réseau, sur la période", "2026-03-31")] == "23"
    assert "3" not in jeunes.values() and "20" not in jeunes.values()
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "<td>x</td>" in html


def test_xlsx_numbers_are_numbers_and_formulas_are_neutralised(
    client, staff, network, tonnes, org_a, org_b
):
    login(client, staff)
    rows = xlsx_rows(client.get(_url(network, "xlsx")))
    values = {r[3]: r[5] for r in rows[1:]}
    # The page shows « 2,5 » and « 1 200 »: the file holds the numbers behind them.
    assert values[org_a.name] == 2.5 and values[org_b.name] == 1200
    assert {r[2] for r in rows[1:]} == {"tonnes"}
    assert {r[1] for r in rows[1:]} == {"'@SUM(A1)"}


def test_csv_neutralises_an_organization_named_like_a_formula(client, staff, network, tonnes):
    org = tonnes.network.members.first().organization
    org.name = '=HYPERLINK("http://x")'
    org.save()
    login(client, staff)
    names = {r[3] for r in csv_rows(client.get(_url(network, "csv")))[1:]}
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(n.startswith(("=", "@")) for n in names)


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER, None])
def test_only_staff_download_the_figures_by_member(client, network, members, people, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(
            network=network,
            person=person,
            kind=kind,
            member=members[0] if kind == Kind.MEMBER else None,
        )
    login(client, person)
    for fmt in ("csv", "xlsx"):
        assert client.get(_url(network, fmt)).status_code == 404


def test_outsider_coordinator_gets_404(client, outsider, network, people):
    login(client, outsider)
    assert client.get(_url(network, "csv")).status_code == 404


def test_unknown_format_is_404(client, staff, network, people):
    login(client, staff)
    assert client.get(_url(network, "pdf")).status_code == 404


def test_staff_see_the_link_and_a_funder_does_not(client, staff, funder, network, people):
    url = reverse("measurement:network", args=[network.pk])
    assert _url(network, "xlsx") in login(client, staff).get(url).content.decode()
    assert _url(network, "xlsx") not in login(client, funder).get(url).content.decode()

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.measurement import services
from maillage.portability.reading import read_csv, read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(network, members):
    indicator = services.define_indicator(
        network=network, code="pdv", label_fr='=HYPERLINK("http://x")', unit="@points"
    )
    services.record_measurement(
        indicator=indicator,
        member=members[0],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        value=Decimal(4),
    )
    return indicator


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_formulas_and_names_no_member(
    client, funder, network, hostile, fmt, org_a
):
    login(client, funder)
    response = client.get(reverse("measurement:export", args=[network.pk, fmt]))
    assert response.status_code == 200
    rows = (read_csv if fmt == "csv" else read_xlsx)(response.content)
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'@points" in cells
    assert not any(str(c).startswith(("=", "@")) for c in cells)
    assert org_a.name not in " ".join(map(str, cells))


def test_export_of_unknown_format_is_404(client, staff, network):
    login(client, staff)
    assert client.get(reverse("measurement:export", args=[network.pk, "pdf"])).status_code == 404


def test_export_holds_the_page_figures_as_numbers(client, funder, network, members):
    indicator = services.define_indicator(network=network, code="t", label_fr="Tonnes")
    services.set_target(indicator=indicator, on=date(2026, 3, 31), value=Decimal(10))
    services.record_measurement(
        indicator=indicator,
        member=members[0],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        value=Decimal("2.5"),
    )
    login(client, funder)
    views = client.get(reverse("measurement:network", args=[network.pk])).context["views"]
    page = [(p.on.isoformat(), p.actual, p.plan) for p in views[0].points]
    rows = xlsx_rows(client.get(reverse("measurement:export", args=[network.pk, "xlsx"])))
    assert rows[0][:6] == ["Code", "Indicateur", "Unité", "Date", "Réel", "Cible du plan"]
    assert [(r[3], r[4], r[5]) for r in rows[1:]] == page == [("2026-03-31", 2.5, 10.0)]
    csv = csv_rows(client.get(reverse("measurement:export", args=[network.pk, "csv"])))
    assert [r[4] for r in csv[1:]] == ["2.5"]

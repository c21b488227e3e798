from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from maillage.measurement import services
from maillage.measurement.aggregation import indicator_view
from maillage.measurement.errors import MeasurementError

pytestmark = pytest.mark.django_db


@pytest.fixture
def tonnes(network):
    # Seed 004: tonnes of fruit and vegetables offered at social prices.
    indicator = services.define_indicator(
        network=network, code="tonnes", label_fr="Tonnes offertes à prix social", unit="t"
    )
    services.set_baseline(
        indicator=indicator, value=Decimal(30), on=date(2025, 12, 31), source="Étude de cas"
    )
    services.set_target(indicator=indicator, on=date(2026, 6, 30), value=Decimal(40))
    services.set_target(indicator=indicator, on=date(2026, 12, 31), value=Decimal(60))
    return indicator


def test_entered_values_accumulate_per_period_against_plan_and_baseline(tonnes, members):
    a, b = members
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    q2 = (date(2026, 4, 1), date(2026, 6, 30))
    services.record_measurement(
        indicator=tonnes, member=a, period_start=q1[0], period_end=q1[1], value=Decimal("4.5")
    )
    services.record_measurement(
        indicator=tonnes, member=b, period_start=q1[0], period_end=q1[1], value=Decimal("3")
    )
    services.record_measurement(
        indicator=tonnes, member=a, period_start=q2[0], period_end=q2[1], value=Decimal("5")
    )
    view = indicator_view(tonnes, with_members=True)
    by_date = {p.on: p for p in view.points}
    assert view.baseline == 30
    assert by_date[q1[1]].actual == 7.5
    assert by_date[q2[1]].actual == 12.5
    assert by_date[q2[1]].plan == 40
    assert by_date[date(2026, 12, 31)].actual is None and by_date[date(2026, 12, 31)].plan == 60
    assert view.chart["plan"] and view.chart["actual"] and view.chart["baseline_y"]


def test_points_of_sale_and_agreements_keep_their_units(network, members):
    points = services.define_indicator(
        network=network, code="pdv", label_fr="Points de vente", unit="points de vente"
    )
    deals = services.define_indicator(
        network=network, code="ententes", label_fr="Ententes signées", unit="ententes"
    )
    services.record_measurement(
        indicator=points,
        member=members[0],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        value=Decimal(3),
    )
    assert indicator_view(points, with_members=False).indicator.unit == "points de vente"
    assert indicator_view(deals, with_members=False).points == []


def test_a_period_ending_before_it_starts_is_refused(tonnes, members):
    with pytest.raises(MeasurementError) as error:
        services.record_measurement(
            indicator=tonnes,
            member=members[0],
            period_start=date(2026, 2, 1),
            period_end=date(2026, 1, 1),
            value=Decimal(1),
        )
    assert error.value.field == "period_end"


def test_a_computed_indicator_cannot_be_entered(network, members):
    indicator = services.define_indicator(
        network=network, code="g", label_fr="Groupes", kind="computed", source_key="groups"
    )
    with pytest.raises(MeasurementError):
        services.record_measurement(
            indicator=indicator,
            member=members[0],
            period_start=date(2026, 1, 1),
            period_end=date(2026, 1, 31),
            value=Decimal(1),
        )

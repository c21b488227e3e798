from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.measurement import services
from maillage.measurement.aggregation import indicator_view
from maillage.measurement.errors import MeasurementError

from .conftest import add_applications

pytestmark = pytest.mark.django_db


def test_computed_indicator_sums_every_member_program(network, fed, program_a, program_b2):
    add_applications(program_a, 12)
    add_applications(program_b2, 15)
    indicator = services.define_indicator(
        network=network,
        code="candidatures",
        label_fr="Candidatures reçues",
        kind="computed",
        source_key="applications",
        counts_people=True,
    )
    view = indicator_view(indicator, with_members=True)
    assert view.points[-1].actual == 27
    assert [row[1][-1] for row in view.member_rows] == ["12", "15"]


def test_program_without_consent_of_its_coordinator_is_refused(members, program_a, mentor):
    with pytest.raises(MeasurementError):
        services.attach_program(member=members[0], program=program_a, consent_by=mentor)


def test_close_period_freezes_computed_values(network, fed, program_a, program_b2):
    add_applications(program_a, 10)
    indicator = services.define_indicator(
        network=network, code="c", label_fr="C", kind="computed", source_key="applications"
    )
    end = timezone.localdate()
    assert (
        services.close_period(
            network=network, period_start=end - timedelta(days=30), period_end=end
        )
        == 2
    )
    add_applications(program_a, 5)  # after the close: the snapshot keeps the period's figure
    services.refresh_figures(network=network)  # even over stored figures of the same day
    view = indicator_view(indicator, with_members=False)
    assert [p.on for p in view.points] == [end]
    assert view.points[-1].actual == 10


def test_mean_aggregation_averages_members(network, fed):
    indicator = services.define_indicator(
        network=network, code="taux", label_fr="Satisfaction", unit="%", aggregation="mean"
    )
    for member, value in zip(fed, (Decimal(80), Decimal(90)), strict=True):
        services.record_measurement(
            indicator=indicator,
            member=member,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31),
            value=value,
        )
    view = indicator_view(indicator, with_members=False)
    assert view.points[0].actual == 85


def test_a_baseline_counting_few_people_is_hidden_like_any_cell(network, fed):
    from maillage.measurement.aggregation import export_rows

    people = services.define_indicator(
        network=network,
        code="p",
        label_fr="Personnes",
        kind="computed",
        source_key="groups",
        counts_people=True,
    )
    tonnes = services.define_indicator(network=network, code="t", label_fr="Tonnes", unit="t")
    for indicator in (people, tonnes):
        services.set_baseline(indicator=indicator, value=Decimal(4), on=date(2025, 12, 31))
    hidden = indicator_view(people, with_members=False)
    assert hidden.baseline is None and hidden.baseline_suppressed and hidden.any_suppressed
    assert all(row[-1] == "x" for row in export_rows([hidden]))
    shown = indicator_view(tonnes, with_members=False)
    assert shown.baseline == 4 and not shown.baseline_suppressed
    services.set_baseline(indicator=people, value=Decimal(12), on=date(2025, 12, 31))
    people.refresh_from_db()
    assert indicator_view(people, with_members=False).baseline == 12

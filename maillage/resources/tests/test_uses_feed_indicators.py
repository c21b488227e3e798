"""Signed agreements, uses and tonnes are written in the network's entered indicators, month by
month for the organization that uses the resource, and the network page shows them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.measurement import services as measurement
from maillage.measurement.aggregation import network_views
from maillage.measurement.models import Measurement
from maillage.resources import services
from maillage.resources.errors import ResourceError
from maillage.resources.models import IndicatorFeed

pytestmark = pytest.mark.django_db


def _total(network, code: str) -> float | None:
    view = next(v for v in network_views(network, with_members=False) if v.indicator.code == code)
    actual = [p.actual for p in view.points if p.actual is not None]
    return actual[-1] if actual else None


def test_the_first_signature_makes_the_indicators_and_counts_the_agreement(
    signed, network, members
):
    assert IndicatorFeed.objects.filter(network=network).count() == 3
    assert _total(network, "ententes-utilisation") == 1
    row = Measurement.objects.get(indicator__code="ententes-utilisation")
    assert row.member == members["roussillon"]
    start = timezone.localdate().replace(day=1)
    assert row.period_start == start


def test_uses_and_tonnes_feed_their_indicators_and_a_removed_use_takes_them_back(
    signed, rosalie, network
):
    today = timezone.localdate()
    use = services.record_use(
        agreement=signed, by=rosalie, on=today, quantity=Decimal(120), tonnes=Decimal("1.5")
    )
    services.record_use(
        agreement=signed, by=rosalie, on=today, quantity=Decimal(80), tonnes=Decimal("0.75")
    )
    assert _total(network, "utilisations-ressources") == 2
    assert _total(network, "tonnes-ressources-partagees") == 2.25
    assert use.unit == "km"
    services.delete_use(use=use, by=rosalie)
    assert _total(network, "utilisations-ressources") == 1
    assert _total(network, "tonnes-ressources-partagees") == 0.75


def test_a_use_needs_an_agreement_in_force_and_a_date_in_its_period(
    agreement, signed, rosalie, helene
):
    with pytest.raises(ResourceError) as caught:
        services.record_use(agreement=signed, by=rosalie, on=date(2025, 6, 1), quantity=Decimal(1))
    assert caught.value.field == "on"
    with pytest.raises(ResourceError):
        services.record_use(
            agreement=signed, by=helene, on=timezone.localdate(), quantity=Decimal(1)
        )
    services.end_agreement(agreement=signed, by=rosalie)
    with pytest.raises(ResourceError):
        services.record_use(
            agreement=signed, by=rosalie, on=timezone.localdate(), quantity=Decimal(1)
        )


def test_staff_can_point_a_figure_at_their_own_indicator(signed, network, staff):
    mine = measurement.define_indicator(
        network=network, code="ententes-3", label_fr="Ententes (cible 3)"
    )
    services.set_feed(network=network, source="agreements", indicator=mine, by=staff)
    assert _total(network, "ententes-3") == 1
    services.set_feed(network=network, source="uses", indicator=None, by=staff)
    services.record_use(
        agreement=signed, by=signed.borrower_contact, on=timezone.localdate(), tonnes=Decimal(1)
    )
    assert _total(network, "utilisations-ressources") is None


def test_the_network_page_shows_the_figures(client, signed, network, funder):
    client.force_login(funder.user)
    html = client.get(reverse("measurement:network", args=[network.pk])).content.decode()
    assert "Ententes d’utilisation d’infrastructures et d’équipements signées" in html
    assert "Complices de Roussillon" not in html  # a funder sees totals, never a member

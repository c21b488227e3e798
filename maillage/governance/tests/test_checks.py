"""The checks flag what seed 004 found wrong in the Complices' first model."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from maillage.governance import services
from maillage.governance.analysis import check_version
from maillage.governance.models import Instance, Link, Seat

pytestmark = pytest.mark.django_db


def codes(version):
    return sorted(f.code for f in check_version(version))


def test_an_unlinked_instance_and_a_vacant_seat_are_flagged(model_1):
    findings = check_version(model_1)
    unlinked = [f for f in findings if f.code == "unlinked"]
    assert [f.instance_ids for f in unlinked] == [
        [model_1.instances.get(name="Cercle orphelin").pk]
    ]
    assert "Cercle orphelin" in unlinked[0].message
    assert [f.code for f in findings].count("vacant") == 1  # 2 seats, 1 person


def test_a_well_linked_fully_seated_model_has_no_finding(model_1):
    circle = model_1.instances.get(name="Cercle orphelin")
    partners = model_1.instances.get(name="Comité des partenaires")
    services.add_link(version=model_1, source=circle, target=partners, kind=Link.Kind.ADVISES)
    services.add_holder(seat=partners.seats.get(), name="Bea", starts_on=date(2020, 1, 1))
    assert codes(model_1) == []


def test_a_cycle_is_flagged_once_with_its_chain(model_1):
    partners = model_1.instances.get(name="Comité des partenaires")
    antenna = model_1.instances.get(name="Comité d’antenne")
    # The partners' committee delegates to… and reports to the antenna: a loop of three.
    services.add_link(version=model_1, source=partners, target=antenna, kind=Link.Kind.REPORTS_TO)
    cycles = [f for f in check_version(model_1) if f.code == "cycle"]
    assert len(cycles) == 1
    assert len(cycles[0].instance_ids) == 3
    assert "→" in cycles[0].message


def test_delegation_counts_as_the_other_way_round(model_1):
    coco = model_1.instances.get(name="Comité de coordination")
    antenna = model_1.instances.get(name="Comité d’antenne")
    # Coordination delegates to the antenna = antenna under coordination: same as its link.
    services.add_link(version=model_1, source=coco, target=antenna, kind=Link.Kind.DELEGATES_TO)
    assert "cycle" not in codes(model_1)
    assert "two_superiors" not in codes(model_1)


def test_an_instance_reporting_to_two_others_is_flagged(model_1):
    antenna = model_1.instances.get(name="Comité d’antenne")
    partners = model_1.instances.get(name="Comité des partenaires")
    services.add_link(version=model_1, source=antenna, target=partners, kind=Link.Kind.REPORTS_TO)
    two = [f for f in check_version(model_1) if f.code == "two_superiors"]
    assert [f.instance_ids for f in two] == [[antenna.pk]]
    assert "Comité de coordination" in two[0].message and "Comité des partenaires" in two[0].message


def test_advice_is_not_a_second_superior(model_1):
    antenna = model_1.instances.get(name="Comité d’antenne")
    partners = model_1.instances.get(name="Comité des partenaires")
    services.add_link(version=model_1, source=antenna, target=partners, kind=Link.Kind.ADVISES)
    assert "two_superiors" not in codes(model_1)


def test_an_expired_term_is_flagged_and_leaves_its_seat_vacant(model_1):
    board = services.add_instance(version=model_1, name="CA", kind=Instance.Kind.BOARD)
    seat = services.set_seats(instance=board, kind=Seat.Kind.YOUTH, count=1)
    services.add_holder(
        seat=seat,
        name="Jeune Ancien",
        starts_on=date.today() - timedelta(days=400),
        ends_on=date.today() - timedelta(days=1),
    )
    findings = [f for f in check_version(model_1) if f.instance_ids == [board.pk]]
    assert sorted(f.code for f in findings) == ["expired", "unlinked", "vacant"]
    assert any("Jeune Ancien" in f.message for f in findings)


def test_a_full_seat_refuses_one_more_person(model_1):
    partners = model_1.instances.get(name="Comité des partenaires")
    seat = partners.seats.get()
    services.add_holder(seat=seat, name="Deux", starts_on=date(2020, 1, 1))
    from maillage.governance.errors import GovernanceError

    with pytest.raises(GovernanceError):
        services.add_holder(seat=seat, name="Trois", starts_on=date(2020, 1, 1))

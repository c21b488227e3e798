from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from maillage.core.locking import StaleEdit
from maillage.core.models import AuditEntry
from maillage.resources import services
from maillage.resources.errors import ResourceError
from maillage.resources.models import Proposal, Resource

from .conftest import post_truck

pytestmark = pytest.mark.django_db


def test_a_need_is_posted_with_its_organizations_territory_and_audited(
    truck_offer, members, rosalie, network
):
    need = post_truck(network, members["roussillon"], rosalie, direction="need")
    assert need.kind == "physical"
    assert need.territory.code == "QC-MRC-670"
    assert need.contact == rosalie
    assert AuditEntry.objects.filter(action="resource.need_posted", object_id=str(need.pk)).exists()


def test_posting_finds_the_proposal_at_once(truck_offer, truck_need):
    proposal = Proposal.objects.get(need=truck_need)
    assert proposal.offer == truck_offer
    assert proposal.criteria["category"]["code"] == "same_category"
    assert proposal.criteria["distance"]["code"] == "same_region"


def test_only_the_organizations_coordinator_or_staff_posts_for_it(network, members, rosalie, staff):
    with pytest.raises(ResourceError):
        post_truck(network, members["beauharnois"], rosalie, direction="offer")
    assert post_truck(network, members["beauharnois"], staff, direction="offer").pk


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"category": "licorne"}, "category"),
        ({"quantity": Decimal(0)}, "quantity"),
        ({"unit": ""}, "unit"),
        (
            {"available_from": date(2026, 5, 1), "available_until": date(2026, 4, 1)},
            "available_until",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_named(network, members, rosalie, bad, field):
    with pytest.raises(ResourceError) as caught:
        post_truck(network, members["roussillon"], rosalie, direction="need", **bad)
    assert caught.value.field == field
    assert not Resource.objects.exists()


def test_a_stale_edit_overwrites_nothing(truck_offer, benoit):
    seen = truck_offer.revision
    services.update_resource(resource=truck_offer, by=benoit, revision=seen, title="Camion A")
    other = Resource.objects.get(pk=truck_offer.pk)
    with pytest.raises(StaleEdit):
        services.update_resource(resource=other, by=benoit, revision=seen, title="Camion B")
    assert Resource.objects.get(pk=truck_offer.pk).title == "Camion A"


def test_a_paused_offer_is_no_longer_proposed_and_a_closed_one_does_not_reopen(
    truck_offer, truck_need, benoit
):
    services.set_resource_status(resource=truck_offer, status="paused", by=benoit)
    assert not Proposal.objects.filter(status="proposed").exists()
    services.set_resource_status(resource=truck_offer, status="open", by=benoit)
    assert Proposal.objects.filter(status="proposed", offer=truck_offer).exists()
    services.set_resource_status(resource=truck_offer, status="closed", by=benoit)
    with pytest.raises(ResourceError):
        services.set_resource_status(resource=truck_offer, status="open", by=benoit)

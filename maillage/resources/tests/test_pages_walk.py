"""Every page of a network's resources, walked by who may and may not open it. Routes are read
from the URL configuration: a new page under /reseaux/<pk>/ressources/ is walked too, and fails
until it has a sample and a rule here."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.resources import services
from maillage.resources.models import Agreement, Proposal, Resource, Use
from maillage.tests.test_outsider_walk import _routes

pytestmark = pytest.mark.django_db

PREFIX = "reseaux/<int:pk>/ressources/"
# What a member's coordinator of a third organization may open: the network's offers and needs.
ANY_MEMBER = {"resources:home", "resources:resource", "resources:offer_new", "resources:need_new"}


def resource_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if route.startswith(PREFIX)]


@pytest.fixture
def samples(signed, rosalie):
    use = services.record_use(
        agreement=signed, by=rosalie, on=timezone.localdate(), quantity=Decimal(10)
    )
    proposal = Proposal.objects.get(offer=signed.offer, need=signed.need)
    return {
        "pk": signed.network_id,
        "res_pk": signed.offer_id,
        "prop_pk": proposal.pk,
        "agr_pk": signed.pk,
        "use_pk": use.pk,
    }


def _urls(samples: dict[str, int], names: set[str] | None = None) -> list[tuple[str, str]]:
    urls = []
    for route, name in resource_routes():
        if names is not None and name not in names:
            continue
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        assert "<" not in url, f"add a sample for {url} ({name})"
        urls.append(("/" + url, name))
    return urls


def test_the_walk_covers_every_page():
    names = {name for _route, name in resource_routes()}
    assert len(names) >= 14
    assert {"resources:agreement_sign", "resources:use_new", "resources:feeds"} <= names


def _leaks(client, urls) -> list[str]:
    leaks = []
    for url, name in urls:
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                leaks.append(f"{method.upper()} {url} ({name}) gave {status}")
    return leaks


def _snapshot() -> tuple:
    return (
        Resource.objects.count(),
        list(Resource.objects.values_list("status", flat=True)),
        list(Agreement.objects.values_list("status", "revision", "lender_signed_at")),
        Use.objects.count(),
        list(Proposal.objects.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("who", ["outsider", "funder", "other_network_staff"])
def test_everyone_outside_gets_404_on_every_page(client, samples, network, who):
    person = make_person("Pat", "Autre")
    if who == "funder":
        measurement.assign_network_role(
            network=network, person=person, kind=NetworkRole.Kind.FUNDER
        )
    elif who == "other_network_staff":
        other = measurement.create_network(
            backbone=Organization.objects.create(name="Autre réseau"), name="Autre"
        )
        measurement.assign_network_role(network=other, person=person, kind=NetworkRole.Kind.STAFF)
    client.force_login(person.user)
    before = _snapshot()
    leaks = _leaks(client, _urls(samples))
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(client, samples):
    for url, name in _urls(samples):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], (url, name)


def test_a_third_organizations_coordinator_sees_the_offers_but_not_the_agreement(
    client, samples, helene
):
    client.force_login(helene.user)
    for url, _name in _urls(samples, ANY_MEMBER):
        assert client.get(url).status_code == 200, url
    others = {name for _r, name in resource_routes()} - ANY_MEMBER
    before = _snapshot()
    leaks = _leaks(client, _urls(samples, others))
    assert not leaks, "\n".join(leaks)
    assert _snapshot() == before


def test_a_member_sees_no_personal_data_of_another_organizations_offer(
    client, samples, helene, benoit
):
    client.force_login(helene.user)
    html = client.get(f"/reseaux/{samples['pk']}/ressources/{samples['res_pk']}/").content.decode()
    assert "Coordination de Complices de Beauharnois" in html
    assert benoit.email not in html
    assert benoit.full_name not in html


# Staff read every agreement but act for no side: a side's pages are 404 for them.
SIDES_ONLY = {
    "resources:proposal_agree",
    "resources:proposal_decline",
    "resources:agreement_edit",
    "resources:agreement_sign",
    "resources:use_new",
    "resources:use_delete",
    "resources:agreement_end",
}


def test_staff_open_every_page_but_act_for_no_side(client, samples, staff):
    client.force_login(staff.user)
    for url, name in _urls(samples):
        status = client.get(url).status_code
        if name in SIDES_ONLY:
            assert status == 404, url
        elif name == "resources:resource_status":
            assert status == 405, url
        else:
            assert status == 200, url


def test_the_two_sides_open_their_agreement(client, samples, rosalie, benoit):
    for person in (rosalie, benoit):
        client.force_login(person.user)
        url = f"/reseaux/{samples['pk']}/ressources/ententes/{samples['agr_pk']}/"
        assert client.get(url).status_code == 200

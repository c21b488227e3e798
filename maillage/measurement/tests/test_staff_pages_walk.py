"""The pages that run a network (members, roles, indicators, plan) are for its backbone staff:
a funder, a steering committee member, a member's coordinator and an outsider get 404 on each,
by GET and by POST, and nothing changes. Routes are read from the URL configuration, so a new
page under /reseaux/<pk>/ is walked too."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from maillage.conftest import make_person
from maillage.measurement import services
from maillage.measurement.models import NetworkMember, NetworkRole
from maillage.tests.test_outsider_walk import _routes

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind

# Pages of a network that someone other than its staff may open: the aggregates (every role)
# and the entry of values (a member's coordinator, for their own organization), with their files.
NOT_STAFF_ONLY = {
    "measurement:network",
    "measurement:export",
    "measurement:enter",
    "measurement:enter_export",
    # The directory: every role reads it; a member's coordinator edits their own profile
    # (directory/tests/test_directory_walk.py walks who gets what).
    "directory:directory",
    "directory:export",
    "directory:organization",
    "directory:organization_edit",
    "directory:visibility",
    "directory:phase",
}


def staff_routes() -> list[tuple[str, str]]:
    return [
        (route, name)
        for route, name in _routes()
        # Measurement's and the directory's staff pages; resources, practice and governance
        # have pages for members too and walk them with their own rules.
        if route.startswith("reseaux/<int:pk>/")
        and name.startswith(("measurement:", "directory:"))
        and name not in NOT_STAFF_ONLY
    ]


@pytest.fixture
def samples(network, members, staff):
    indicator = services.define_indicator(network=network, code="t", label_fr="Tonnes")
    services.record_measurement(
        indicator=indicator,
        member=members[1],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        value=Decimal(2),
    )
    return {
        "pk": network.pk,
        "ind_pk": indicator.pk,
        "member_pk": members[0].pk,
        "org_pk": members[0].organization_id,
        "role_pk": network.roles.get(person=staff).pk,
    }


def _urls(samples: dict[str, int]) -> list[str]:
    urls = []
    for route, name in staff_routes():
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        # A download is walked in both formats: an unknown one would be 404 for staff too.
        for fmt in ("csv", "xlsx") if "<str:fmt>" in url else ("",):
            url_fmt = url.replace("<str:fmt>", fmt)
            assert "<" not in url_fmt, f"add a sample for {url_fmt} ({name})"
            urls.append("/" + url_fmt)
    return urls


def test_the_walk_covers_the_pages_that_run_a_network():
    names = {name for _route, name in staff_routes()}
    assert {
        "measurement:members",
        "measurement:member_remove",
        "measurement:roles",
        "measurement:role_remove",
        "measurement:indicator_new",
        "measurement:plan",
        "measurement:plan_export",
        "measurement:members_export",
        "measurement:member_export",
        "measurement:roles_export",
        "directory:options",
        "directory:organization_new",
    } <= names


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER, None])
def test_everyone_but_staff_gets_404_on_every_staff_page(client, network, members, samples, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(
            network=network,
            person=person,
            kind=kind,
            member=members[0] if kind == Kind.MEMBER else None,
        )
    client.force_login(person.user)
    before = (NetworkMember.objects.count(), NetworkRole.objects.count())
    leaks = []
    for url in _urls(samples):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                leaks.append(f"{method.upper()} {url} gave {status}")
    assert not leaks, "\n".join(leaks)
    assert (NetworkMember.objects.count(), NetworkRole.objects.count()) == before


# Polled by the network page while a refresh runs; opened by hand with nothing under way, it
# sends staff back to the network page.
BACK_TO_THE_PAGE = {"/reseaux/{pk}/chiffres/avancement/"}


def test_staff_open_every_staff_page(client, staff, samples):
    client.force_login(staff.user)
    back = {url.format(**samples) for url in BACK_TO_THE_PAGE}
    for url in _urls(samples):
        response = client.get(url)
        if url in back:
            assert response.status_code == 302, url
            assert response["Location"] == f"/reseaux/{samples['pk']}/"
        else:
            assert response.status_code in (200, 405), url

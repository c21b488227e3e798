"""Every URL of the directory, walked by who may and who may not: an outsider (signed in, with a
role in another network) and a person with no role get 404 on every page by GET and POST; an
anonymous visitor is sent to sign in, except on the public page (404 until published); a
funder and a member's coordinator read the directory but edit nothing but, for the
coordinator, their own organization. Routes are read from the URL configuration, so a new
directory page is walked too."""

from __future__ import annotations

import re

import pytest

from maillage.conftest import make_person
from maillage.core.models import Organization
from maillage.directory.models import PhaseChange, Profile
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.tests.test_outsider_walk import _routes

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind

PUBLIC = {"directory:public"}
READ = {"directory:directory", "directory:export", "directory:organization"}
OWN = {"directory:organization_edit", "directory:visibility", "directory:phase"}
STAFF_ONLY = {"directory:options", "directory:organization_new"}


def directory_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if name.startswith("directory:")]


def _urls(samples: dict[str, int], names: set[str] | None = None) -> list[tuple[str, str]]:
    urls = []
    for route, name in directory_routes():
        if names is not None and name not in names:
            continue
        url = route
        for param in re.findall(r"<int:(\w+)>", route):
            assert param in samples, f"add a sample for <int:{param}> ({name})"
            url = url.replace(f"<int:{param}>", str(samples[param]))
        for fmt in ("csv", "xlsx") if "<str:fmt>" in url else ("",):
            filled = url.replace("<str:fmt>", fmt)
            assert "<" not in filled, f"add a sample for {filled} ({name})"
            urls.append(("/" + filled, name))
    return urls


@pytest.fixture
def samples(network, members, collective):
    return {"pk": network.pk, "org_pk": members[0].organization_id}


def _state() -> tuple[int, ...]:
    return (
        Organization.objects.count(),
        PhaseChange.objects.count(),
        Profile.objects.count(),
        sum(o.revision for o in Organization.objects.all()),
    )


def test_the_walk_knows_every_directory_page():
    names = {name for _route, name in directory_routes()}
    assert names == PUBLIC | READ | OWN | STAFF_ONLY


@pytest.mark.parametrize("who", ["other_network", "no_role"])
def test_outsiders_get_404_everywhere(client, samples, backbone, who):
    person = make_person("Olga", "Ailleurs")
    if who == "other_network":
        other = measurement.create_network(backbone=backbone, name="Autre réseau")
        measurement.assign_network_role(network=other, person=person, kind=Kind.STAFF)
    client.force_login(person.user)
    before = _state()
    leaks = []
    for url, _name in _urls(samples):
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 404:
                leaks.append(f"{method.upper()} {url} gave {status}")
    assert not leaks, "\n".join(leaks)
    assert _state() == before


def test_anonymous_is_sent_to_sign_in_except_on_the_public_page(client, samples):
    for url, name in _urls(samples):
        response = client.get(url)
        if name in PUBLIC:
            assert response.status_code == 404, url  # not published
        else:
            assert response.status_code == 302 and "/comptes/" in response["Location"], url


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER])
def test_readers_read_and_edit_nothing_but_their_own(client, network, members, samples, kind):
    person = make_person("Rita", "Lectrice")
    # A member's coordinator of the other member: organization members[0] is not theirs.
    measurement.assign_network_role(
        network=network,
        person=person,
        kind=kind,
        member=members[1] if kind == Kind.MEMBER else None,
    )
    client.force_login(person.user)
    before = _state()
    for url, _name in _urls(samples, READ):
        assert client.get(url).status_code == 200, url
    for url, _name in _urls(samples, OWN | STAFF_ONLY):
        for method in ("get", "post"):
            assert getattr(client, method)(url).status_code == 404, f"{method} {url}"
    assert _state() == before


def test_a_member_coordinator_edits_their_own_organization(
    client, network, members, member_coordinator
):
    client.force_login(member_coordinator.user)
    samples = {"pk": network.pk, "org_pk": members[0].organization_id}
    for url, _name in _urls(samples, OWN):
        assert client.get(url).status_code in (200, 405), url
    for url, _name in _urls(samples, STAFF_ONLY):
        assert client.get(url).status_code == 404, url


def test_staff_open_every_page(client, staff, samples):
    client.force_login(staff.user)
    for url, name in _urls(samples):
        expected = (404,) if name in PUBLIC else (200, 405)
        assert client.get(url).status_code in expected, url

"""Walk every page as each role of the demo program, with the second factor required and not
(MAILLAGE_MFA_REQUIRED): no page answers 500; staff without a second factor are sent to
« Sécurité du compte » from every page but the open ones, and once enrolled see exactly what they
saw with the requirement off; participants are never sent there.

The URL list is the outsider walk's (every route of the site, its parameters filled with real
objects of the demo program), plus the routes without a parameter and a network's routes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.urls import resolve

from maillage.conftest import make_person
from maillage.core.mfa import _is_open
from maillage.measurement.models import Indicator, Network, NetworkMember, NetworkRole
from maillage.measurement.services import assign_network_role
from maillage.programs.models import Program
from maillage.tests.test_outsider_walk import (
    TEXT_SAMPLES,
    _fill,
    _int_samples,
    _routes,
    demo_program,  # noqa: F401 (a fixture)
    program_routes,
)

pytestmark = pytest.mark.django_db

SETUP = "/comptes/2fa/"
PARTICIPANT_KINDS = ("mentor", "mentee", "observer", "committee", "funder")
# Pages whose GET acts (signing out ends the walk's session) or needs a token from an e-mail.
SKIP = {"account_logout"}


def _network_urls(network: Network) -> Iterator[str]:
    ints = {
        "pk": network.pk,
        "ind_pk": getattr(Indicator.objects.filter(network=network).first(), "pk", None),
        "member_pk": getattr(NetworkMember.objects.filter(network=network).first(), "pk", None),
        "role_pk": getattr(NetworkRole.objects.filter(network=network).first(), "pk", None),
    }
    for route, _name in _routes():
        if not route.startswith("reseaux/<int:pk>/"):
            continue
        urls = ["/" + route]
        for converter, param in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            placeholder = f"<{converter + ':' if converter else ''}{param}>"
            if converter == "int":
                if ints.get(param) is None:
                    urls = []
                urls = [u.replace(placeholder, str(ints.get(param)), 1) for u in urls]
            else:
                urls = [u.replace(placeholder, v, 1) for u in urls for v in TEXT_SAMPLES[param]]
        yield from urls


def _all_urls(program: Program) -> list[str]:
    ints = _int_samples(program)
    urls = [url for route, name in program_routes() for url in _fill(route, name, ints)]
    urls += [
        "/" + route
        for route, name in _routes()
        if "<" not in route and name not in SKIP and not route.startswith("admin/")
    ]
    urls += ["/admin/"]
    network = Network.objects.filter(members__programs__program=program).first()
    urls += list(_network_urls(network))
    return urls


@pytest.fixture
def walk(demo_program):  # noqa: F811
    urls = _all_urls(demo_program)
    network = Network.objects.filter(members__programs__program=demo_program).first()
    with_account = demo_program.roles.filter(person__user__isnull=False)
    people = {
        kind: with_account.filter(kind=kind).first().person
        for kind in (*PARTICIPANT_KINDS, "coordinator")
    }
    staff = NetworkRole.objects.filter(network=network, kind="staff").first()
    if staff is None:
        staff = assign_network_role(
            network=network, person=make_person("Sam", "Soutien"), kind="staff"
        )
    people["network_staff"] = staff.person
    return urls, people


def _statuses(client, urls: list[str]) -> dict[str, tuple[int, str]]:
    seen = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} gave {response.status_code}"
        seen[url] = (response.status_code, response.get("Location", ""))
    return seen


def test_the_walk_covers_the_site(walk):
    urls, people = walk
    assert len(urls) > 100
    assert any(u.startswith("/reseaux/") for u in urls)
    assert "/mon-compte/" in urls and SETUP in urls
    assert not any(p.user is None for p in people.values())


@pytest.mark.parametrize("role", ["coordinator", "network_staff"])
def test_staff_walk_with_mfa_off_then_required_then_enrolled(client, settings, walk, role):
    urls, people = walk
    user = people[role].user
    client.force_login(user)

    settings.MAILLAGE_MFA_REQUIRED = False
    before = _statuses(client, urls)

    settings.MAILLAGE_MFA_REQUIRED = True
    required = _statuses(client, urls)
    closed = 0
    for url, (status, location) in required.items():
        request = type("R", (), {"path_info": url})()
        if _is_open(request):
            assert (status, location) == before[url], url  # the requirement changes nothing
        else:
            assert (status, location) == (302, SETUP), f"GET {url} gave {status} {location}"
            closed += 1
    assert closed > 100

    TOTP.activate(user, generate_totp_secret())
    enrolled = _statuses(client, urls)
    changed = {
        url
        for url in urls
        if enrolled[url] != before[url] and not resolve(url).url_name.startswith("mfa_")
    }
    assert not changed, sorted(changed)[:10]


def test_participants_are_never_sent_to_setup(client, settings, walk):
    urls, people = walk
    settings.MAILLAGE_MFA_REQUIRED = True
    for kind in PARTICIPANT_KINDS:
        client.force_login(people[kind].user)
        for url, (_status, location) in _statuses(client, urls).items():
            assert location != SETUP, f"{kind}: GET {url} sent to setup"


def test_an_administrator_without_a_program_is_sent_to_setup(client, settings, walk):
    urls, _people = walk
    settings.MAILLAGE_MFA_REQUIRED = True
    admin = get_user_model().objects.create_superuser("ada@exemple.org", "ada@exemple.org", "x")
    client.force_login(admin)
    for url in ("/programmes/", "/admin/", "/mon-compte/", "/reseaux/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, SETUP), url

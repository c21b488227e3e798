"""A funder sees aggregates and published reports, never a row: every row-level page is a 404.

The rule: a person whose only role in a program is funder (programs' Role funder) or whose only
role in a network is funder (NetworkRole funder) gets 404 on every page under
/programmes/<pk>/… except those in FUNDER_ALLOWED (pages that show figures only, never a name),
and on every page of a network except its aggregate page and its aggregate export, and its
directory of organizations, which a funder reads as members do (the organizations' names and the
parts each opened to the network: directory/tests/test_visibility.py). The walk
reuses the site-wide outsider walker, so a route added anywhere is walked here too.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import make_person
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.programs.models import Program, Role
from maillage.programs.services import assign_role
from maillage.tests.test_outsider_walk import _fill, _int_samples, program_routes

pytestmark = pytest.mark.django_db

# Pages a funder may open: aggregates with no person's or organization's name. Grows only with a
# review that the page names no one to a funder (the overview: dates, parameters, tracks).
# The published report (HTML, PDF, tables) is for funders by design; reports tests its anonymity.
FUNDER_ALLOWED: set[str] = {"programs:detail", "reports:report", "reports:pdf", "reports:export"}
KNOWN_LEAKS: set[str] = set()


@pytest.fixture
def demo_program(db) -> Program:
    from maillage.demo.editions import build_demo

    return build_demo()


@pytest.fixture
def program_funder(demo_program):
    person = make_person("Fanny", "Bailleur")
    assign_role(program=demo_program, person=person, kind=Role.Kind.FUNDER)
    return person


def test_funder_gets_404_on_every_row_level_page_of_the_program(
    client, program_funder, demo_program
):
    client.force_login(program_funder.user)
    ints = _int_samples(demo_program)
    # An app newer than the outsider walker's samples still gets walked on its <pk>-only routes.
    for _route, name in program_routes():
        ints.setdefault(name.split(":")[0], {"pk": demo_program.pk})
    leaks: list[str] = []
    walked = 0
    for route, name in program_routes():
        if name in FUNDER_ALLOWED | KNOWN_LEAKS:
            continue
        for url in _fill(route, name, ints):
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                walked += 1
                # A POST-only view answers a GET with 405 before any lookup, for any pk (even
                # one that does not exist): that tells nothing about the program.
                if status == 405 and method == "get":
                    continue
                if status != 404:
                    leaks.append(f"{method.upper()} {url} ({name}) gave {status}")
    assert walked > 20
    assert not leaks, "\n".join(leaks)


def test_funder_sees_only_the_aggregate_pages_of_a_network(client, db, region_qc, community):
    from maillage.core.models import Organization

    backbone = Organization.objects.create(name="Soutien", sector=community, territory=region_qc)
    network = measurement.create_network(backbone=backbone, name="Réseau")
    indicator = measurement.define_indicator(network=network, code="t", label_fr="Tonnes")
    person = make_person("Fanny", "Bailleur")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.FUNDER)
    client.force_login(person.user)
    assert client.get(reverse("measurement:network", args=[network.pk])).status_code == 200
    assert client.get(reverse("measurement:export", args=[network.pk, "csv"])).status_code == 200
    assert client.get(reverse("directory:directory", args=[network.pk])).status_code == 200
    for url in (
        reverse("measurement:indicator_new", args=[network.pk]),
        reverse("measurement:plan", args=[network.pk, indicator.pk]),
        reverse("measurement:enter", args=[network.pk, indicator.pk]),
        reverse("directory:organization_new", args=[network.pk]),
        reverse("directory:options", args=[network.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def _names(program: Program) -> list[str]:
    from maillage.core.models import Organization, Person

    people = Person.objects.filter(roles__program=program).exclude(roles__kind=Role.Kind.FUNDER)
    orgs = Organization.objects.exclude(name="")
    return [p.full_name for p in people if p.full_name] + [o.name for o in orgs]


def test_the_program_overview_names_no_one_to_a_funder(client, program_funder, demo_program):
    client.force_login(program_funder.user)
    _int_samples(demo_program)  # groups, meetings, tools, quotes: everything a page could show
    html = client.get(reverse("programs:detail", args=[demo_program.pk])).content.decode()
    named = [n for n in _names(demo_program) if n in html]
    assert not named, named


def test_funder_gets_404_on_the_program_shared_tools(client, program_funder, demo_program):
    from maillage.tools.models import Tool

    client.force_login(program_funder.user)
    _int_samples(demo_program)
    Tool.objects.filter(group__program=demo_program).update(reuse=Tool.Reuse.PROGRAM)
    sharer = Tool.objects.filter(group__program=demo_program).first().shared_by.full_name
    response = client.get(reverse("tools:reusable", args=[demo_program.pk]))
    assert response.status_code == 404
    assert sharer not in response.content.decode()

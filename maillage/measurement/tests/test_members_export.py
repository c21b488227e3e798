"""The members page as a file: each member, the programs it shares with who consented and
when, for backbone staff only."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login, make_person
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.measurement import services
from maillage.measurement.models import NetworkRole

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


def _url(network, fmt: str) -> str:
    return reverse("measurement:members_export", args=[network.pk, fmt])


def test_csv_holds_the_members_and_consents_the_page_shows(
    client, staff, network, fed, org_a, org_b, program_a, program_b2, coordinator
):
    member_a, member_b = fed
    services.assign_network_role(
        network=network, person=coordinator, kind=Kind.MEMBER, member=member_a
    )
    login(client, staff)
    page = html.unescape(
        client.get(reverse("measurement:members", args=[network.pk])).content.decode()
    )
    rows = csv_rows(client.get(_url(network, "csv")))
    assert rows[0][:4] == [
        "Organisation",
        "Territoire",
        "Membre depuis",
        "Programme partagé avec le réseau",
    ]
    bruno = program_b2.roles.get(kind="coordinator").person
    on = timezone.localdate().isoformat()
    assert [r[0] for r in rows[1:]] == [org_b.name, org_a.name]  # by name, as on the page
    by_org = {r[0]: r for r in rows[1:]}
    a = by_org[org_a.name]
    assert a[3:7] == [program_a.title, coordinator.full_name, on, coordinator.full_name]
    assert a[7] == "0"
    assert by_org[org_b.name][3:5] == [program_b2.title, bruno.full_name]
    for cell in (org_a.name, org_b.name, program_a.title, program_b2.title, bruno.full_name):
        assert cell in page
    assert str(org_a.territory) in page and a[1] == str(org_a.territory)


def test_a_member_sharing_nothing_has_one_row_and_formulas_are_neutralised(
    client, staff, network, members, org_a
):
    org_a.name = '=HYPERLINK("http://x")'
    org_a.save()
    login(client, staff)
    rows = xlsx_rows(client.get(_url(network, "xlsx")))
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://x")' in names and len(names) == 2
    shared = {r[0]: r[3] for r in rows[1:]}
    assert shared['\'=HYPERLINK("http://x")'] is None
    assert all(isinstance(r[7], int) for r in rows[1:])


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER, None])
def test_only_staff_download_the_members(client, network, members, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(
            network=network,
            person=person,
            kind=kind,
            member=members[0] if kind == Kind.MEMBER else None,
        )
    login(client, person)
    assert client.get(_url(network, "csv")).status_code == 404


def test_unknown_format_is_404(client, staff, network):
    login(client, staff)
    assert client.get(_url(network, "ods")).status_code == 404

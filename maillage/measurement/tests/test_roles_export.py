"""The roles page as a file: who holds which role, for backbone staff only."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.measurement import services
from maillage.measurement.models import NetworkRole

pytestmark = pytest.mark.django_db
Kind = NetworkRole.Kind


def _url(network, fmt: str) -> str:
    return reverse("measurement:roles_export", args=[network.pk, fmt])


def test_csv_holds_the_roles_in_the_page_order(
    client, staff, funder, member_coordinator, network, org_a
):
    no_account = make_person("Sans", "Compte", user=False)
    services.assign_network_role(network=network, person=no_account, kind=Kind.STEERING)
    login(client, staff)
    page = html.unescape(
        client.get(reverse("measurement:roles", args=[network.pk])).content.decode()
    )
    rows = csv_rows(client.get(_url(network, "csv")))
    assert rows[0] == ["Personne", "Courriel", "Rôle", "Organisation membre", "Compte Maillage"]
    people = [r[0] for r in rows[1:]]
    assert people == [
        staff.full_name,
        no_account.full_name,
        funder.full_name,
        member_coordinator.full_name,
    ]
    assert all(page.index(a) < page.index(b) for a, b in zip(people, people[1:], strict=False))
    by_person = {r[0]: r for r in rows[1:]}
    assert by_person[member_coordinator.full_name][3] == org_a.name
    assert by_person[no_account.full_name][4] == "Pas encore de compte"
    assert by_person[staff.full_name][4] == "Compte actif"
    for row in rows[1:]:
        assert row[1] in page and row[2] in page


def test_a_person_named_like_a_formula_is_neutralised(client, staff, network):
    person = make_person("Zed", "Formule")
    person.first_name = "@SUM(A1)"
    person.save()
    services.assign_network_role(network=network, person=person, kind=Kind.FUNDER)
    login(client, staff)
    names = [r[0] for r in xlsx_rows(client.get(_url(network, "xlsx")))[1:]]
    assert "'@SUM(A1) Formule" in names


@pytest.mark.parametrize("kind", [Kind.FUNDER, Kind.STEERING, Kind.MEMBER, None])
def test_only_staff_download_the_roles(client, network, members, kind):
    person = make_person("Pat", "Autre")
    if kind is not None:
        services.assign_network_role(
            network=network,
            person=person,
            kind=kind,
            member=members[0] if kind == Kind.MEMBER else None,
        )
    login(client, person)
    assert client.get(_url(network, "xlsx")).status_code == 404


def test_unknown_format_is_404(client, staff, network):
    login(client, staff)
    assert client.get(_url(network, "pdf")).status_code == 404

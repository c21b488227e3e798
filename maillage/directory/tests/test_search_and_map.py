from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Territory
from maillage.directory import services
from maillage.directory.cartogram import GRID, draw, mrc_counts
from maillage.directory.models import Audience
from maillage.directory.selectors import Filters, entries, search
from maillage.directory.views import PER_PAGE
from maillage.directory.visibility import STAFF, Viewer

from .conftest import open_all

pytestmark = pytest.mark.django_db


def test_the_grid_places_every_region_once(db):
    assert len(GRID) == 17
    assert len({(c, r) for c, r, _s in GRID.values()}) == 17
    assert set(GRID) == set(
        Territory.objects.filter(kind=Territory.Kind.REGION).values_list("code", flat=True)
    )


def test_the_map_counts_organizations_by_region_and_shows_a_count_of_one(
    network, collective, antenna, members
):
    # Counts of organizations are not about people and each one counted is listed by name on
    # the same page: a 1 is shown, not suppressed (cartogram's docstring).
    found = entries(network, STAFF)
    counts = {t.code: t.count for t in draw(found).tiles}
    assert counts["QC-01"] == 2
    assert counts["QC-03"] == 2  # org_a and org_b, in Capitale-Nationale
    assert sum(counts.values()) == 4
    services.set_visibility(member=members[0], visibility={"region": Audience.PRIVATE}, by=None)
    counts = {t.code: t.count for t in draw(entries(network, Viewer(Audience.NETWORK))).tiles}
    assert counts["QC-03"] == 1  # a single organization: shown as 1, not hidden
    assert dict((m.code, n) for m, n in mrc_counts(found, "QC-01"))["QC-MRC-140"] == 2


def test_search_is_without_accents_or_case(network, collective):
    open_all(collective, Audience.NETWORK)
    found = entries(network, Viewer(Audience.NETWORK))
    assert [e.name for e in search(found, Filters(q="ZYGOMATIQUE cuisine"))] == [
        "Complices du Kamouraska"
    ]
    assert [e.name for e in search(found, Filters(q="complices kamouraska"))] == [
        "Complices du Kamouraska"
    ]
    assert search(found, Filters(q="introuvable")) == []


def test_filters_by_sector_region_mrc_phase_and_kind(network, collective, antenna):
    found = entries(network, STAFF)
    assert {e.name for e in search(found, Filters(phase="pre_start"))} == {
        "Antenne de Saint-Pacôme"
    }
    assert {e.name for e in search(found, Filters(kind="coop"))} == {"Complices du Kamouraska"}
    assert len(search(found, Filters(region="QC-01", mrc="QC-MRC-140"))) == 2
    assert {e.name for e in search(found, Filters(sector="communautaire"))} >= {
        "Complices du Kamouraska"
    }


def test_the_directory_is_paginated(client, network, staff, region_qc):
    for i in range(PER_PAGE + 3):
        services.add_organization(
            network=network, by=staff.user, name=f"Organisme {i:02d}", territory=region_qc
        )
    client.force_login(staff.user)
    url = reverse("directory:directory", args=[network.pk])
    first = client.get(url).content.decode()
    assert "Organisme 00" in first and f"Organisme {PER_PAGE + 2:02d}" not in first
    assert "Page 1 sur 2" in first
    second = client.get(url + "?page=2").content.decode()
    assert f"Organisme {PER_PAGE + 2:02d}" in second
    # A filter keeps to its results, and the map follows them.
    one = client.get(url + "?q=organisme+07").content.decode()
    assert "Organisme 07" in one and "Organisme 08" not in one
    assert "1 organisation sur" in one


def test_the_export_follows_the_filters(client, network, staff, collective, antenna):
    client.force_login(staff.user)
    url = reverse("directory:export", args=[network.pk, "csv"])
    body = client.get(url + "?phase=incubation").content.decode()
    assert "Complices du Kamouraska" not in body and "Saint-Pacôme" not in body
    body = client.get(url + "?phase=pre_start").content.decode()
    lines = [line for line in body.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[1].startswith("Antenne de Saint-Pacôme")

"""A hidden part of a profile never reaches an audience that may not see it: not in a page, not
in the export, not as a search result, not in a filter's choices, not in a map's count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import make_person
from maillage.directory import services
from maillage.directory.models import Audience
from maillage.directory.selectors import Filters, entries, search
from maillage.directory.visibility import PUBLIC, Viewer
from maillage.measurement.models import NetworkRole

from .conftest import open_all

pytestmark = pytest.mark.django_db

# Words that only hidden parts hold (description, website, sector, MRC, phase, collective).
SECRETS = ["zygomatique", "complices.example.org", "Kamouraska", "Développement", "Coopérative"]


@pytest.fixture
def member_viewer(network, members):
    person = make_person("Mia", "Membre")
    measurement_role(network, person, members[1])
    return person


def measurement_role(network, person, member):
    from maillage.measurement import services as measurement

    measurement.assign_network_role(
        network=network, person=person, kind=NetworkRole.Kind.MEMBER, member=member
    )


def _pages(client, network, collective) -> dict[str, str]:
    org_pk = collective.organization_id
    urls = {
        "directory": reverse("directory:directory", args=[network.pk]),
        "search": reverse("directory:directory", args=[network.pk]) + "?q=zygomatique",
        "organization": reverse("directory:organization", args=[network.pk, org_pk]),
        "csv": reverse("directory:export", args=[network.pk, "csv"]),
    }
    out = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        out[name] = response.content.decode()
    return out


def test_by_default_members_see_the_name_and_the_region_only(
    client, network, collective, member_viewer
):
    client.force_login(member_viewer.user)
    pages = _pages(client, network, collective)
    for name, html in pages.items():
        if name != "search":
            assert "Complices du Kamouraska" in html, name
        assert "Bas-Saint-Laurent" in html or name == "search", name
        # The search box keeps what was typed: that is the viewer's word, not the profile's.
        shown = html.replace("Complices du Kamouraska", "").replace('value="zygomatique"', "")
        shown = shown.replace("q=zygomatique", "")
        leaked = [word for word in SECRETS if word in shown]
        assert not leaked, (name, leaked)
    # The description is hidden, so searching for its words does not find the organization.
    assert "Complices du Kamouraska" not in pages["search"]


def test_funders_see_what_members_see(client, network, collective, funder):
    client.force_login(funder.user)
    pages = _pages(client, network, collective)
    assert "Complices du Kamouraska" in pages["directory"]
    for html in pages.values():
        assert "zygomatique" not in html.replace('value="zygomatique"', "").replace(
            "q=zygomatique", ""
        )


def test_parts_opened_to_the_network_show_to_members(client, network, collective, member_viewer):
    open_all(collective, Audience.NETWORK)
    client.force_login(member_viewer.user)
    pages = _pages(client, network, collective)
    for word in SECRETS:
        assert word in pages["organization"], word
    assert "Complices du Kamouraska" in pages["search"]
    assert "zygomatique" in pages["csv"]


def test_staff_and_the_own_coordinator_see_everything(
    client, network, collective, staff, coordinator, org_a
):
    from maillage.measurement import services as measurement

    own = measurement.add_member(network=network, organization=org_a)
    org_a.description = "Atelier zygomatique"
    org_a.save()
    measurement.assign_network_role(
        network=network, person=coordinator, kind=NetworkRole.Kind.MEMBER, member=own
    )
    client.force_login(staff.user)
    assert "zygomatique" in _pages(client, network, collective)["organization"]
    client.force_login(coordinator.user)
    mine = client.get(reverse("directory:organization", args=[network.pk, org_a.pk]))
    assert "Atelier zygomatique" in mine.content.decode()
    # …but not another organization's private parts.
    theirs = _pages(client, network, collective)["organization"]
    assert "Cuisine collective zygomatique" not in theirs


def test_the_public_page_shows_public_parts_only(client, network, collective, staff):
    services.set_directory_options(network=network, public=True, by=staff.user)
    services.set_visibility(
        member=collective,
        visibility={"region": Audience.PUBLIC, "description": Audience.NETWORK},
        by=staff.user,
    )
    url = reverse("directory:public", args=[network.pk])
    html = client.get(url).content.decode()
    assert "Complices du Kamouraska" in html and "Bas-Saint-Laurent" in html
    assert "zygomatique" not in html
    assert "Complices du Kamouraska" not in client.get(url + "?q=zygomatique").content.decode()
    services.set_visibility(
        member=collective, visibility={"description": Audience.PUBLIC}, by=staff.user
    )
    assert "zygomatique" in client.get(url).content.decode()


def test_filters_and_the_map_ignore_hidden_parts(network, collective, antenna):
    viewer = Viewer(Audience.NETWORK)
    found = entries(network, viewer)
    # Both in Kamouraska, but the MRC, sector and phase are private: no filter finds them.
    assert search(found, Filters(mrc="QC-MRC-140")) == []
    assert search(found, Filters(sector="communautaire")) == []
    assert search(found, Filters(phase="development")) == []
    assert len(search(found, Filters(region="QC-01"))) == 2
    services.set_visibility(member=collective, visibility={"region": Audience.PRIVATE}, by=None)
    found = entries(network, viewer)
    assert [e.name for e in search(found, Filters(region="QC-01"))] == ["Antenne de Saint-Pacôme"]
    from maillage.directory.cartogram import draw

    tiles = {t.code: t.count for t in draw(found).tiles}
    assert tiles["QC-01"] == 1
    assert draw(found).unplaced >= 1


def test_an_antenna_decides_whether_its_link_to_the_collective_shows(network, collective, antenna):
    viewer = Viewer(Audience.NETWORK)
    by_name = {e.name: e for e in entries(network, viewer)}
    assert by_name["Complices du Kamouraska"].antennas == []
    services.set_visibility(member=antenna, visibility={"collective": Audience.NETWORK}, by=None)
    by_name = {e.name: e for e in entries(network, viewer)}
    assert [a.name for a in by_name["Complices du Kamouraska"].antennas] == [
        "Antenne de Saint-Pacôme"
    ]
    # Its phase stays hidden until the antenna opens it too.
    assert by_name["Antenne de Saint-Pacôme"].phase == ""
    assert [
        a.name
        for a in {e.name: e for e in entries(network, PUBLIC)}["Complices du Kamouraska"].antennas
    ] == []


def test_the_public_page_is_404_until_published(client, network, collective):
    assert client.get(reverse("directory:public", args=[network.pk])).status_code == 404

"""The pages where a profile is edited: who sees what, said to its editors; a stale save of the
choices shows both versions and overwrites nothing; the coordinator edits her own profile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.core.models import Organization
from maillage.directory import services
from maillage.directory.models import Audience, Profile

pytestmark = pytest.mark.django_db


def test_editors_are_told_what_members_and_the_public_see(client, network, staff, collective):
    services.set_visibility(
        member=collective,
        visibility={"description": Audience.NETWORK, "phase": Audience.PUBLIC},
        by=staff.user,
    )
    client.force_login(staff.user)
    html = client.get(
        reverse("directory:organization", args=[network.pk, collective.organization_id])
    ).content.decode()
    members_line = html.split("<dt>Membres du réseau</dt>")[1].split("</dd>")[0]
    public_line = html.split("<dt>Page publique</dt>")[1].split("</dd>")[0]
    assert "Ce que fait l’organisation" in members_line and "Phase de maturité" in members_line
    assert "Ce que fait l’organisation" not in public_line and "Phase de maturité" in public_line
    assert "la page publique n’est pas publiée" in public_line


def test_a_stale_save_of_the_choices_shows_both_and_overwrites_nothing(
    client, network, staff, collective
):
    client.force_login(staff.user)
    url = reverse("directory:visibility", args=[network.pk, collective.organization_id])
    services.set_visibility(member=collective, visibility={"phase": Audience.NETWORK}, by=None)
    seen = Profile.objects.get(member=collective).revision
    services.set_visibility(member=collective, visibility={"phase": Audience.PUBLIC}, by=None)
    data = {"revision": seen, "region": "public", "mrc": "private", "kind": "private"}
    data |= {"sector": "private", "phase": "private", "description": "private"}
    data |= {"website": "private", "programs": "private", "collective": "private"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Modifié par quelqu’un d’autre" in response.content.decode()
    assert Profile.objects.get(member=collective).audience_of("phase") == Audience.PUBLIC


def test_the_coordinator_edits_her_own_profile(client, network, members, member_coordinator, org_a):
    client.force_login(member_coordinator.user)
    url = reverse("directory:organization_edit", args=[network.pk, org_a.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "revision": org_a.revision,
            "name": org_a.name,
            "kind": "nonprofit",
            "territory": org_a.territory_id,
            "description": "Ateliers de cuisine",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.get(pk=org_a.pk).description == "Ateliers de cuisine"

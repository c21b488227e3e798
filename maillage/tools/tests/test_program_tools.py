from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool


def test_the_coordinator_sees_all_groups_tools_by_track(
    client, program_a, group, other_group, mentor, other_mentor, coordinator
):
    add_tool(
        group=group,
        shared_by=mentor,
        title="Calculateur de GES",
        type="calculator",
        url="https://exemple.org/ges",
    )
    add_tool(
        group=other_group,
        shared_by=other_mentor,
        title="Guide de gouvernance",
        type="guide",
        url="https://exemple.org/gouv",
    )
    login(client, coordinator)
    page = client.get(reverse("tools:program", args=[program_a.pk])).content.decode()
    assert "Calculateur de GES" in page and "Guide de gouvernance" in page
    assert "Logistique" in page and "Synergies" in page
    assert '<th scope="col">' in page


def test_mentors_and_mentees_get_404(client, program_a, group, mentor, mentee):
    for person in (mentor, mentee):
        login(client, person)
        assert client.get(reverse("tools:program", args=[program_a.pk])).status_code == 404

from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool


def test_only_tools_opened_to_the_program_are_listed(
    client, program_a, group, other_group, mentor, other_mentee
):
    link = {"type": "guide", "url": "https://exemple.org"}
    add_tool(group=group, shared_by=mentor, title="Outil privé du groupe", **link)
    add_tool(
        group=group,
        shared_by=mentor,
        title="Guide événement écoresponsable",
        reuse="program",
        **link,
    )
    add_tool(
        group=group, shared_by=mentor, title="Guide de tarification sociale", reuse="public", **link
    )
    login(client, other_mentee)
    page = client.get(reverse("tools:reusable", args=[program_a.pk])).content.decode()
    assert "Guide événement écoresponsable" in page
    assert "Guide de tarification sociale" in page
    assert "Outil privé du groupe" not in page

from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool


def test_the_coordinator_confirms_a_public_tool(client, program_a, group, mentor, coordinator):
    tool = add_tool(
        group=group,
        shared_by=mentor,
        title="Guide de tri",
        type="guide",
        url="https://exemple.org",
        reuse="public",
    )
    login(client, coordinator)
    page = client.get(reverse("tools:program", args=[program_a.pk])).content.decode()
    assert "Diffusion publique à confirmer" in page
    client.post(reverse("tools:confirm_public", args=[program_a.pk, tool.pk]))
    tool.refresh_from_db()
    assert tool.is_public and tool.public_confirmed_by == coordinator.user


def test_a_group_tool_cannot_be_made_public(client, program_a, group, mentor, coordinator):
    tool = add_tool(
        group=group, shared_by=mentor, title="Privé", type="guide", url="https://exemple.org"
    )
    login(client, coordinator)
    response = client.post(
        reverse("tools:confirm_public", args=[program_a.pk, tool.pk]), follow=True
    )
    assert "ne l’ont pas ouvert au public" in response.content.decode()
    tool.refresh_from_db()
    assert tool.public_confirmed_at is None


def test_the_author_cannot_confirm_it_alone(client, program_a, group, mentor):
    tool = add_tool(
        group=group,
        shared_by=mentor,
        title="Guide",
        type="guide",
        url="https://exemple.org",
        reuse="public",
    )
    login(client, mentor)
    response = client.post(reverse("tools:confirm_public", args=[program_a.pk, tool.pk]))
    assert response.status_code == 404

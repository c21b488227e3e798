from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool

from .conftest import PDF_BYTES, pdf


@pytest.fixture
def tool(group, mentor):
    return add_tool(
        group=group,
        shared_by=mentor,
        title="Gestion des risques",
        type="template",
        file=pdf("Gestion des risques été.pdf"),
    )


def url(tool):
    return reverse("tools:download", args=[tool.group.program_id, tool.pk])


def test_a_member_downloads_with_safe_headers(client, tool, mentee):
    login(client, mentee)
    response = client.get(url(tool))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Gestion%20des%20risques%20%C3%A9t%C3%A9.pdf" in disposition
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_coordinator_downloads(client, tool, coordinator):
    login(client, coordinator)
    assert client.get(url(tool)).status_code == 200


def test_another_groups_member_gets_404(client, tool, other_group, other_mentee):
    login(client, other_mentee)
    assert client.get(url(tool)).status_code == 404


def test_an_outsider_gets_404(client, tool, outsider):
    login(client, outsider)
    assert client.get(url(tool)).status_code == 404


def test_the_tool_is_not_found_through_another_program(client, tool, outsider):
    from maillage.programs.models import Program

    login(client, outsider)
    program_b = Program.objects.get(title="Programme B")
    other = reverse("tools:download", args=[program_b.pk, tool.pk])
    assert client.get(other).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, tool):
    response = client.get(url(tool))
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_a_tool_opened_to_the_program_is_downloadable_by_other_groups(
    client, group, mentor, other_group, other_mentee
):
    shared = add_tool(
        group=group,
        shared_by=mentor,
        title="Plan d’action",
        type="plan",
        file=pdf("plan.pdf"),
        reuse="program",
    )
    login(client, other_mentee)
    assert client.get(url(shared)).status_code == 200


def test_no_media_url_serves_the_stored_file(client, tool, mentee):
    login(client, mentee)
    assert client.get("/" + tool.file.name).status_code == 404
    assert client.get("/media/" + tool.file.name).status_code == 404

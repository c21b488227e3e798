"""Olivier (program B) gets 404 on every tools URL of program A; anonymous goes to the login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool

from .conftest import pdf


@pytest.fixture
def urls(program_a, group, mentor):
    tool = add_tool(
        group=group, shared_by=mentor, title="Outil", type="guide", file=pdf(), reuse="public"
    )
    pk = program_a.pk
    return {
        "group": reverse("tools:group", args=[pk, group.pk]),
        "program": reverse("tools:program", args=[pk]),
        "reusable": reverse("tools:reusable", args=[pk]),
        "download": reverse("tools:download", args=[pk, tool.pk]),
        "confirm_public": reverse("tools:confirm_public", args=[pk, tool.pk]),
        "complete": reverse("tools:complete", args=[pk, tool.pk]),
        "remove": reverse("tools:remove", args=[pk, tool.pk]),
    }


@pytest.mark.parametrize(
    "name", ["group", "program", "reusable", "download", "confirm_public", "complete", "remove"]
)
def test_outsider_gets_404(client, urls, outsider, name):
    login(client, outsider)
    assert client.get(urls[name]).status_code == 404
    assert client.post(urls[name]).status_code == 404


@pytest.mark.parametrize(
    "name", ["group", "program", "reusable", "download", "confirm_public", "complete", "remove"]
)
def test_anonymous_is_sent_to_the_login_page(client, urls, name):
    response = client.get(urls[name])
    assert response.status_code == 302 and response["Location"].startswith("/comptes/")


@pytest.mark.parametrize("name", ["group", "download", "confirm_public", "complete", "remove"])
def test_outsider_gets_404_with_own_program_and_a_tool_of_a(
    client, urls, outsider, program_a, name
):
    from maillage.programs.models import Program

    login(client, outsider)
    own = Program.objects.get(title="Programme B")
    crossed = urls[name].replace(f"/programmes/{program_a.pk}/", f"/programmes/{own.pk}/", 1)
    assert crossed != urls[name]
    assert client.get(crossed).status_code == 404
    assert client.post(crossed).status_code == 404

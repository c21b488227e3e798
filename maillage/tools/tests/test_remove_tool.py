from __future__ import annotations

from pathlib import Path

from django.urls import reverse

from maillage.conftest import login
from maillage.tools.models import Tool
from maillage.tools.services import add_tool

from .conftest import pdf


def test_the_author_removes_a_tool_and_its_file(
    client, program_a, group, mentor, django_capture_on_commit_callbacks
):
    tool = add_tool(group=group, shared_by=mentor, title="Gabarit", type="template", file=pdf())
    stored = Path(tool.file.path)
    login(client, mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tools:remove", args=[program_a.pk, tool.pk]))
    assert not Tool.objects.exists() and not stored.exists()


def test_another_member_cannot_remove_it(client, program_a, group, mentor, mentee):
    tool = add_tool(
        group=group, shared_by=mentor, title="Gabarit", type="template", url="https://exemple.org"
    )
    login(client, mentee)
    assert client.post(reverse("tools:remove", args=[program_a.pk, tool.pk])).status_code == 404
    assert Tool.objects.exists()

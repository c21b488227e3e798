from __future__ import annotations

from pathlib import Path

import pytest

from maillage.tools.errors import ToolError
from maillage.tools.models import Tool
from maillage.tools.services import add_tool

from .conftest import EXE_BYTES, pdf


def test_a_link_tool_is_shared_in_the_group(group, mentor):
    tool = add_tool(
        group=group,
        shared_by=mentor,
        title="Calculateur de GES",
        type=Tool.Type.CALCULATOR,
        theme="Transport",
        url="https://exemple.org/ges",
    )
    assert tool.url == "https://exemple.org/ges" and not tool.file
    assert tool.reuse == Tool.Reuse.GROUP  # private by default


def test_a_file_tool_is_stored_under_a_random_name_in_media_root(group, mentor, settings):
    tool = add_tool(
        group=group,
        shared_by=mentor,
        title="Gabarit de gestion des risques",
        type=Tool.Type.TEMPLATE,
        file=pdf("../Gestion des risques.pdf"),
    )
    stored = Path(tool.file.path)
    assert stored.is_file() and stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "risques" not in stored.name and stored.suffix == ".pdf"
    assert tool.original_name == "Gestion des risques.pdf"
    assert tool.content_type == "application/pdf" and tool.size == stored.stat().st_size


def test_a_renamed_executable_is_refused_and_nothing_is_stored(group, mentor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ToolError) as caught:
        add_tool(
            group=group,
            shared_by=mentor,
            title="Calculateur",
            type=Tool.Type.CALCULATOR,
            file=SimpleUploadedFile("calculateur.pdf", EXE_BYTES),
        )
    assert caught.value.field == "file"
    assert not Tool.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://exemple.org/x", "file:///etc/passwd"]
)
def test_only_web_links_are_accepted(group, mentor, url):
    with pytest.raises(ToolError) as caught:
        add_tool(group=group, shared_by=mentor, title="Lien", type=Tool.Type.OTHER, url=url)
    assert caught.value.field == "url"


def test_a_file_and_a_link_together_are_refused(group, mentor):
    with pytest.raises(ToolError):
        add_tool(
            group=group,
            shared_by=mentor,
            title="Les deux",
            type=Tool.Type.GUIDE,
            file=pdf(),
            url="https://exemple.org",
        )


def test_neither_file_nor_link_is_refused_unless_the_tool_is_to_come(group, mentor):
    with pytest.raises(ToolError):
        add_tool(group=group, shared_by=mentor, title="Vide", type=Tool.Type.GUIDE)
    tool = add_tool(
        group=group, shared_by=mentor, title="Guide de gouvernance", type="guide", planned=True
    )
    assert tool.planned


def test_direction_follows_the_sharers_side(
    group, other_group, mentor, mentee, other_mentee, coordinator
):
    def direction(g, person):
        return add_tool(
            group=g, shared_by=person, title="x", type="other", url="https://a.org"
        ).direction

    assert direction(group, mentor) == Tool.Direction.MENTOR_TO_MENTEE
    # Élise shares with her mentor and Inès, the other mentee: the whole group.
    assert direction(group, mentee) == Tool.Direction.MENTEE_TO_GROUP
    # Théo is the only mentee of his group: he shares with his mentor.
    assert direction(other_group, other_mentee) == Tool.Direction.MENTEE_TO_MENTOR
    assert direction(group, coordinator) == Tool.Direction.COORDINATION

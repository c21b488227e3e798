from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.conftest import login
from maillage.tools.services import add_tool

from .conftest import EXE_BYTES, pdf


@pytest.fixture
def planned(group, mentee):
    return add_tool(
        group=group, shared_by=mentee, title="Sondage partenaires", type="survey", planned=True
    )


def url(tool):
    return reverse("tools:complete", args=[tool.group.program_id, tool.pk])


def test_the_author_adds_the_file_of_a_tool_to_come(client, planned, mentee):
    login(client, mentee)
    client.post(url(planned), {"file": pdf("sondage.pdf"), "url": ""})
    planned.refresh_from_db()
    assert not planned.planned and planned.original_name == "sondage.pdf"


def test_a_renamed_executable_is_refused_here_too(client, planned, mentee):
    login(client, mentee)
    response = client.post(
        url(planned), {"file": SimpleUploadedFile("sondage.pdf", EXE_BYTES)}, follow=True
    )
    assert "ne correspond pas" in response.content.decode()
    planned.refresh_from_db()
    assert planned.planned and not planned.file


def test_another_member_cannot_complete_it(client, planned, mentor):
    login(client, mentor)
    response = client.post(url(planned), {"url": "https://exemple.org/sondage"})
    assert response.status_code == 404
    planned.refresh_from_db()
    assert planned.planned


def test_the_outsider_gets_404(client, planned, outsider):
    login(client, outsider)
    assert client.post(url(planned), {"url": "https://exemple.org"}).status_code == 404

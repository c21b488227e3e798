from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.conftest import login
from maillage.tools.models import Tool
from maillage.tools.services import add_tool

from .conftest import EXE_BYTES, pdf


def url(group):
    return reverse("tools:group", args=[group.program_id, group.pk])


def form(**values):
    data = {
        "title": "Guide de tri",
        "type": "guide",
        "theme": "Tri des matières",
        "description": "Étapes du tri",
        "url": "",
        "reuse": "group",
    }
    data.update(values)
    return data


def test_a_member_adds_a_link_tool(client, group, mentee):
    login(client, mentee)
    response = client.post(url(group), form(url="https://exemple.org/tri"), follow=True)
    assert "Outil « Guide de tri » partagé." in response.content.decode()
    tool = Tool.objects.get()
    assert (tool.group, tool.shared_by, tool.url) == (group, mentee, "https://exemple.org/tri")
    assert tool.direction == Tool.Direction.MENTEE_TO_GROUP


def test_a_member_adds_a_file_tool_and_the_page_never_shows_the_stored_path(client, group, mentor):
    login(client, mentor)
    client.post(url(group), form(file=pdf("Plan d’aménagement.pdf")))
    tool = Tool.objects.get()
    page = client.get(url(group)).content.decode()
    assert "Plan d’aménagement.pdf" in page
    assert reverse("tools:download", args=[group.program_id, tool.pk]) in page
    assert tool.file.name not in page and tool.file.name.split("/")[-1] not in page


def test_a_refused_file_keeps_every_other_value(client, group, mentor):
    login(client, mentor)
    exe = SimpleUploadedFile("calculateur.pdf", EXE_BYTES)
    response = client.post(url(group), form(title="Calculateur GES", file=exe))
    page = response.content.decode()
    assert response.status_code == 200 and not Tool.objects.exists()
    assert "ne correspond pas à un fichier PDF" in page
    assert 'value="Calculateur GES"' in page and "Étapes du tri" in page
    assert "choisi de nouveau" in page


def test_the_size_limit_is_explained(client, group, mentor, settings):
    settings.MAILLAGE_UPLOAD_MAX_MB = 1
    login(client, mentor)
    big = pdf(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    page = client.post(url(group), form(file=big)).content.decode()
    assert "la limite est de 1 Mo" in page and not Tool.objects.exists()


def test_a_wrong_type_is_explained(client, group, mentor):
    login(client, mentor)
    page = client.post(
        url(group), form(file=SimpleUploadedFile("page.html", b"<html></html>"))
    ).content.decode()
    assert "ne sont pas acceptés" in page and not Tool.objects.exists()


def test_a_bad_link_gets_a_clear_message(client, group, mentor):
    login(client, mentor)
    page = client.post(url(group), form(url="javascript:alert(1)")).content.decode()
    assert "adresse web complète" in page and not Tool.objects.exists()


def test_the_page_follows_the_chosen_language(client, group, mentor):
    login(client, mentor)
    client.cookies["django_language"] = "en"
    response = client.get(url(group))
    assert response.status_code == 200 and '<html lang="en">' in response.content.decode()


def test_tools_are_listed_by_theme_with_type_and_direction(client, group, mentor, mentee):
    add_tool(
        group=group,
        shared_by=mentor,
        title="Calculateur de GES",
        type="calculator",
        theme="Transport",
        url="https://exemple.org/ges",
    )
    add_tool(
        group=group,
        shared_by=mentee,
        title="Sondage partenaires",
        type="survey",
        theme="Gouvernance",
        planned=True,
    )
    login(client, mentee)
    page = client.get(url(group)).content.decode()
    assert page.index("Gouvernance") < page.index("Transport")
    assert "Calculateur ou application" in page and "À venir" in page
    assert "Mentor·e → personnes mentorées" in page


def test_the_coordinator_sees_and_may_add(client, group, coordinator):
    login(client, coordinator)
    assert client.get(url(group)).status_code == 200
    client.post(url(group), form(url="https://exemple.org/guide"))
    assert Tool.objects.get().direction == Tool.Direction.COORDINATION


def test_another_groups_member_gets_404(client, group, other_group, other_mentee):
    login(client, other_mentee)
    assert client.get(url(group)).status_code == 404
    assert client.post(url(group), form(url="https://exemple.org")).status_code == 404
    assert not Tool.objects.exists()


def test_committee_member_without_a_group_gets_404(client, group, committee_member):
    login(client, committee_member)
    assert client.get(url(group)).status_code == 404

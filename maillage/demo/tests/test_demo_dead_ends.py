"""On the demo, no link a person is offered leads nowhere, and each role's « Mes programmes »
says what to do next (issue 10's dead ends)."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import shared_data
from maillage.core.models import Person
from maillage.demo.editions import DEMO_TITLE, PAST_DEMO_TITLE
from maillage.evaluation.models import Invitation
from maillage.mentoring.models import Group, Meeting
from maillage.mentoring.services import edit_agreement
from maillage.programs.models import Program

pytestmark = pytest.mark.django_db

DOMAIN = "demo.maillage.org"
PERSONAS = {
    "coordinator": "camille.gagnon",
    "mentor": "marc.tremblay",
    "mentee": "sophie.lavoie",
    "observer": "laurence.pelletier",
    "funder": "robert.morin",
    "network staff": "julie.bergeron",
}
DEAD = {404, 405, 500}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        call_command("load_demo", stdout=StringIO())
        yield (
            Program.objects.get(title=DEMO_TITLE).pk,
            Program.objects.get(title=PAST_DEMO_TITLE).pk,
        )


def _client(client, persona: str):
    client.force_login(Person.objects.get(email=f"{PERSONAS[persona]}@{DOMAIN}").user)
    return client


def _links(html: str, pattern: str) -> list[str]:
    block = re.search(pattern, html, re.S)
    return re.findall(r'href="(/[^"#]*)', block.group(0)) if block else []


def _home_items(client) -> dict[str, str]:
    html = client.get(reverse("programs:dashboard")).content.decode()
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    return {
        label: url for url, label in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', main)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_menu_or_group_tab_leads_nowhere(client, demo, persona):
    _client(client, persona)
    dead = []
    for pk in demo:
        overview = client.get(reverse("programs:detail", args=[pk]))
        links = set(_links(overview.content.decode(), r'<nav class="program-nav".*?</nav>'))
        for group in Group.objects.filter(program_id=pk):
            page = client.get(reverse("mentoring:group", args=[pk, group.pk]))
            if page.status_code == 200:
                links |= set(_links(page.content.decode(), r'<nav class="actions".*?</nav>'))
        for url in sorted(links):
            if client.get(url).status_code in DEAD:
                dead.append(url)
    assert dead == []


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_no_questionnaire_link_leads_nowhere(client, demo, persona):
    _client(client, persona)
    for pk in demo:
        html = client.get(reverse("evaluation:home", args=[pk])).content.decode()
        for url in _links(html, r"<main.*?</main>"):
            assert client.get(url).status_code not in DEAD, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_home_item_opens(client, demo, persona):
    _client(client, persona)
    for label, url in _home_items(client).items():
        assert client.get(url, follow=True).status_code == 200, label


def test_the_funder_and_the_evaluator_find_the_published_report(client, demo):
    _current, past = demo
    report = reverse("reports:report", args=[past])
    for persona in ("funder", "observer"):
        _client(client, persona)
        assert report in _home_items(client).values()
        overview = client.get(reverse("programs:detail", args=[past])).content.decode()
        assert report in _links(overview, r'<nav class="program-nav".*?</nav>')


def test_network_staff_find_their_network(client, demo):
    items = _home_items(_client(client, "network staff"))
    assert any(label.startswith("Suivre la mesure partagée du réseau") for label in items)
    # Their network's pages, the page where they appoint its accreditation assessors, and its
    # communities of practice (the demo's Jasettes).
    prefixes = ("/reseaux/", "/accreditation/reseaux/", "/pratique/")
    assert all(url.startswith(prefixes) for url in items.values())
    assert "/pratique/" in items.values()


def test_mentor_and_mentee_of_a_finished_program_are_told_nothing_waits(client, demo):
    for persona in ("mentor", "mentee"):
        html = _client(client, persona).get(reverse("programs:dashboard")).content.decode()
        assert "Rien ne vous attend dans ce programme pour l’instant." in html


def test_mentor_and_mentee_see_the_meeting_the_agreement_and_the_questionnaire(client, demo):
    _current, past = demo
    Program.objects.filter(pk=past).update(status=Program.Status.RUNNING)
    sophie = Person.objects.get(email=f"sophie.lavoie@{DOMAIN}")
    group = Group.objects.get(program_id=past, members__role__person=sophie)
    for persona in ("mentor", "mentee"):
        items = _home_items(_client(client, persona))
        assert items[f"Aucune rencontre prévue avec « {group} » : planifier la prochaine"] == (
            reverse("mentoring:meeting_add", args=[past, group.pk])
        )
    meeting = Meeting.objects.create(
        group=group, starts_at=timezone.now() + timedelta(days=9), kind=Meeting.Kind.COLLECTIVE
    )
    current = group.current_agreement()
    edit_agreement(group=group, by=None, texts=[t + " (révisé)" for _label, t in current.points])
    invitation = Invitation.objects.filter(person=sophie, submitted_at__isnull=True).first()
    invitation.round.closes_on = timezone.localdate() + timedelta(days=5)
    invitation.round.save()
    for persona in ("mentor", "mentee"):
        items = _home_items(_client(client, persona))
        urls = set(items.values())
        assert reverse("mentoring:meeting", args=[past, group.pk, meeting.pk]) in urls
        assert any(label.startswith("Prochaine rencontre : ") for label in items)
        assert items[f"Accepter l’entente du groupe « {group} »"] == reverse(
            "mentoring:agreement", args=[past, group.pk]
        )
        for url in urls:
            assert client.get(url, follow=True).status_code == 200, url
    mine = reverse("evaluation:my_answer", args=[past, invitation.pk])
    assert mine in _home_items(_client(client, "mentee")).values()
    assert mine not in _home_items(_client(client, "mentor")).values()

"""The coordinator invites, from the people page, one person or everyone without an account;
nobody else can (404), and a GET changes nothing."""

from __future__ import annotations

import html

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from maillage.conftest import login, make_person
from maillage.core.models import AuditEntry, Person
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomers(program_a):
    """Two people added to program A (an import, a selection) without an account."""
    people = [
        make_person("Nora", "Nouvelle", user=False, language="en"),
        make_person("Paul", "Sanscompte", user=False),
    ]
    for person in people:
        assign_role(program=program_a, person=person, kind="mentee")
    return people


def _people(client, program) -> str:
    return html.unescape(client.get(reverse("programs:people", args=[program.pk])).content.decode())


def _said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_offers_to_invite_people_without_an_account(
    as_coordinator, program_a, mentor, newcomers
):
    page = _people(as_coordinator, program_a)
    assert "Inviter toutes les personnes sans compte (2)" in page
    assert page.count(">Inviter à se connecter<") == 2
    assert "Compte actif" in page  # Marc can already sign in: no button for him
    role = program_a.roles.get(person=newcomers[0])
    assert reverse("programs:role_invite", args=[program_a.pk, role.pk]) in page


def test_inviting_one_person_sends_one_email_and_shows_the_resend_button(
    as_coordinator, program_a, newcomers, django_capture_on_commit_callbacks
):
    nora = newcomers[0]
    role = program_a.roles.get(person=nora)
    url = reverse("programs:role_invite", args=[program_a.pk, role.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[nora.email]]
    assert any("Invitation envoyée à Nora Nouvelle" in m for m in _said(response))
    nora.refresh_from_db()
    assert nora.user is not None
    page = _people(as_coordinator, program_a)
    assert "Invitation envoyée le" in page and "Renvoyer l’invitation" in page
    assert "Inviter toutes les personnes sans compte (1)" in page

    with django_capture_on_commit_callbacks(execute=True):
        again = as_coordinator.post(url)
    assert len(mail.outbox) == 1
    assert any("vous pourrez la renvoyer à partir de" in m for m in _said(again))


def test_inviting_everyone_without_an_account(
    as_coordinator, program_a, mentor, newcomers, django_capture_on_commit_callbacks
):
    url = reverse("programs:people_invite", args=[program_a.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(url)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in newcomers)
    assert "2 invitations envoyées." in _said(response)
    assert AuditEntry.objects.filter(action="invite", program_id=program_a.pk).count() == 2
    assert "Inviter toutes les personnes sans compte" not in _people(as_coordinator, program_a)


def test_an_existing_account_gets_a_message_and_no_email(as_coordinator, program_a, mentor):
    role = program_a.roles.get(person=mentor)
    response = as_coordinator.post(reverse("programs:role_invite", args=[program_a.pk, role.pk]))
    assert any("a déjà un compte" in m for m in _said(response))
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee"])
def test_only_the_coordinator_may_invite(
    client, request, program_a, newcomers, who, django_capture_on_commit_callbacks
):
    login(client, request.getfixturevalue(who))
    role = program_a.roles.get(person=newcomers[0])
    with django_capture_on_commit_callbacks(execute=True):
        for url in (
            reverse("programs:role_invite", args=[program_a.pk, role.pk]),
            reverse("programs:people_invite", args=[program_a.pk]),
        ):
            assert client.post(url).status_code == 404
            assert client.get(url).status_code == 404
    assert mail.outbox == []
    assert not Person.objects.filter(pk__in=[p.pk for p in newcomers], user__isnull=False).exists()


def test_a_get_invites_nobody(as_coordinator, program_a, newcomers):
    role = program_a.roles.get(person=newcomers[0])
    url = reverse("programs:role_invite", args=[program_a.pk, role.pk])
    assert as_coordinator.get(url).status_code == 405
    assert (
        as_coordinator.get(reverse("programs:people_invite", args=[program_a.pk])).status_code
        == 405
    )
    assert mail.outbox == [] and Person.objects.filter(invited_at__isnull=False).count() == 0


def test_a_role_of_another_program_is_404(client, outsider, program_a, newcomers):
    from maillage.programs.models import Program

    own = Program.objects.get(title="Programme B")
    role = program_a.roles.get(person=newcomers[0])
    login(client, outsider)
    assert client.post(reverse("programs:role_invite", args=[own.pk, role.pk])).status_code == 404
    assert mail.outbox == []

"""Inviting a person opens their account without a password and e-mails them, in their language,
a link to choose one (allauth's reset-from-key page); they then sign in and reach their program.
"""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from maillage.conftest import PASSWORD, make_person
from maillage.core.errors import AccountError
from maillage.core.models import AuditEntry, Person
from maillage.core.services import invite_person
from maillage.programs.services import assign_role

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Un-mot-de-passe-neuf-2026"


@pytest.fixture
def nora(program_a) -> Person:
    """Added to program A as a mentee by an import: an e-mail, no account."""
    person = make_person("Nora", "Nouvelle", user=False, language="en")
    assign_role(program=program_a, person=person, kind="mentee")
    return person


def _invite(person, coordinator, program, capture):
    with capture(execute=True):
        return invite_person(person=person, by=coordinator.user, program=program)


def _received(mailbox, to):
    envelopes = [e for e in mailbox.envelopes if e.rcpt_tos == [to]]
    assert len(envelopes) == 1
    return email.message_from_bytes(envelopes[0].content, policy=email.policy.default)


def _link(body: str) -> str:
    return re.search(r"http://testserver(/comptes/\S+)", body).group(1)


def test_invitation_opens_the_account_and_mails_a_link_in_her_language(
    nora, coordinator, program_a, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    assert _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks) is True
    nora.refresh_from_db()
    user = nora.user
    assert user is not None and user.email == nora.email and not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, email=nora.email, verified=True).exists()
    assert nora.invited_at is not None and nora.invited_by == coordinator

    message = _received(smtp_server, nora.email)
    assert message["Content-Language"] == "en"
    assert message["Reply-To"] == coordinator.email
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Camille Coordination" in body and "Programme A" in body
    assert "Mentee" in body  # her role, from the English catalogue
    assert "/comptes/password/reset/key/" in _link(body)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    assert f"{days} " in body


def test_french_person_gets_a_french_email(
    program_a, coordinator, django_capture_on_commit_callbacks
):
    person = make_person("Paul", "Sanscompte", user=False, language="fr")
    assign_role(program=program_a, person=person, kind="mentor")
    _invite(person, coordinator, program_a, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [person.email] and message.extra_headers["Content-Language"] == "fr"
    assert message.subject == "Votre accès à Maillage : programme « Programme A »"
    assert "Bonjour Paul," in message.body
    assert "Camille Coordination vous invite à vous connecter à Maillage" in message.body
    assert "Mentor·e" in message.body
    assert "ne fonctionne qu’une seule fois et expire dans 3 jours" in message.body


def test_the_link_sets_a_password_once_then_she_signs_in_to_her_program(
    nora, coordinator, program_a, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks)
    link = _link(mail.outbox[0].body)
    client = Client()

    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key out of the address
    form_url = response["Location"]
    assert "set-password" in form_url
    page = client.get(form_url)
    assert page.status_code == 200 and "password1" in page.content.decode()
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    # Straight on to her program, signed in: no second sign-in with the password just chosen.
    assert done["Location"] == reverse("programs:detail", args=[program_a.pk])
    landed = client.get(done["Location"])
    assert landed.status_code == 200 and "Programme A" in landed.content.decode()
    assert landed.wsgi_request.user.email == nora.email

    again = Client().get(link)
    assert again.status_code == 200 and again.context["token_fail"]
    nora.refresh_from_db()
    assert nora.account_state() == Person.Account.ACTIVE


def test_resending_within_ten_minutes_is_refused_then_allowed(
    nora, coordinator, program_a, django_capture_on_commit_callbacks
):
    _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks)
    with pytest.raises(AccountError, match="vous pourrez la renvoyer à partir de"):
        _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    nora.refresh_from_db()
    Person.objects.filter(pk=nora.pk).update(invited_at=nora.invited_at - timedelta(minutes=11))
    nora.refresh_from_db()
    first_user = nora.user
    assert _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks) is True
    nora.refresh_from_db()
    assert len(mail.outbox) == 2 and nora.user == first_user  # same account, a fresh link
    assert get_user_model().objects.filter(email=nora.email).count() == 1


def test_someone_who_can_sign_in_gets_no_email(
    mentor, coordinator, program_a, django_capture_on_commit_callbacks
):
    with pytest.raises(AccountError, match="a déjà un compte"):
        _invite(mentor, coordinator, program_a, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_an_account_already_using_the_email_is_linked_without_email(
    program_a, coordinator, django_capture_on_commit_callbacks
):
    person = make_person("Lina", "Liee", user=False)
    assign_role(program=program_a, person=person, kind="mentee")
    user = get_user_model().objects.create_user(
        username="autre", email=person.email.upper(), password=PASSWORD
    )
    assert _invite(person, coordinator, program_a, django_capture_on_commit_callbacks) is False
    person.refresh_from_db()
    assert person.user == user and person.invited_at is None
    assert mail.outbox == []


def test_a_person_without_email_gets_a_clear_error(
    program_a, coordinator, django_capture_on_commit_callbacks
):
    person = make_person("Sam", "Sanscourriel", user=False)
    Person.objects.filter(pk=person.pk).update(email="")
    person.refresh_from_db()
    with pytest.raises(AccountError, match="n’a pas de courriel"):
        _invite(person, coordinator, program_a, django_capture_on_commit_callbacks)
    person.refresh_from_db()
    assert person.user is None and person.invited_at is None and mail.outbox == []


def test_the_invitation_is_in_the_audit_trail(
    nora, coordinator, program_a, django_capture_on_commit_callbacks
):
    _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.INVITE, object_id=str(nora.pk))
    assert entry.actor == coordinator.user and entry.program_id == program_a.pk
    assert entry.changes["email"] == nora.email and entry.changes["resent"] is False
    update = AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, model="core.Person", object_id=str(nora.pk)
    ).latest("id")
    assert update.actor == coordinator.user and "invited_at" in update.changes


def test_an_email_of_someone_elses_account_is_noted_as_invited_without_a_word_of_it(
    nora, coordinator, outsider, program_a, django_capture_on_commit_callbacks
):
    # Olivier (program B) signs in with this address; program A's coordinator types it for Nora.
    # Refusing would tell her the address is on the platform: it reads as an invitation sent,
    # and no account is opened or linked (Olivier is invited to join the program instead).
    Person.objects.filter(pk=nora.pk).update(email=outsider.user.email)
    nora.refresh_from_db()
    assert _invite(nora, coordinator, program_a, django_capture_on_commit_callbacks) is True
    nora.refresh_from_db()
    assert nora.user is None and mail.outbox == []
    assert nora.account_state() == Person.Account.INVITED


def test_a_mentees_invitation_links_to_her_matching_profile(
    program_a, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    person = make_person("Léonie", "Profil", user=False)
    assign_role(program=program_a, person=person, kind="mentee")
    _invite(person, coordinator, program_a, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    link = "http://testserver" + reverse("programs:my_profile", args=[program_a.pk])
    assert "profil de jumelage" in message.body and link in message.body


def test_a_committee_members_invitation_has_no_profile_link(
    program_a, coordinator, committee_member, django_capture_on_commit_callbacks
):
    committee_member.user.set_unusable_password()
    committee_member.user.save()
    _invite(committee_member, coordinator, program_a, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert "profil de jumelage" not in message.body

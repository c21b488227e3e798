"""Law 25 (issue 12, finding 10): a consent record for every way a person enters a program."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from maillage.programs.models import Consent, Role
from maillage.programs.services import has_consent

# How consent gets recorded is what this module tests: nobody consents by default here.
pytestmark = pytest.mark.without_default_consent


def _add(client, program, email, **extra):
    return client.post(
        reverse("programs:people", args=[program.pk]),
        {"first_name": "Nora", "last_name": "Nouvelle", "email": email, "kind": "mentee", **extra},
    )


def test_a_person_added_on_her_word_has_a_consent_record(as_coordinator, program_a, coordinator):
    _add(as_coordinator, program_a, "nora@exemple.org", consent="on")
    consent = Consent.objects.get(person__email="nora@exemple.org", program=program_a)
    assert consent.source == Consent.Source.VERBAL
    assert consent.recorded_by == coordinator.user and consent.version == 1
    assert "Nora" in consent.purpose or program_a.title in consent.purpose


def test_a_person_added_without_consent_is_asked_by_email_and_can_answer(
    client, as_coordinator, program_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _add(as_coordinator, program_a, "nora@exemple.org")
    person = program_a.roles.get(kind=Role.Kind.MENTEE, person__email="nora@exemple.org").person
    assert not has_consent(person, program_a)
    page = as_coordinator.get(reverse("programs:people", args=[program_a.pk])).content.decode()
    assert "sans consentement" in page
    [message] = [m for m in mail.outbox if m.to == ["nora@exemple.org"]]
    link = re.search(r"https?://\S+/programmes/consentement/\S+/", message.body).group(0)
    path = link.split("//", 1)[1].split("/", 1)[1]
    client.logout()
    shown = client.get("/" + path)
    assert shown.status_code == 200 and "Je consens" in shown.content.decode()
    client.post("/" + path, {"answer": "accept"})
    consent = Consent.objects.get(person=person, program=program_a)
    assert consent.source == Consent.Source.LINK and consent.text
    # Withdrawn later from the same page: dated, never deleted.
    client.post("/" + path, {"answer": "decline"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not has_consent(person, program_a)


def test_a_forged_consent_link_is_404(client):
    assert client.get("/programmes/consentement/pas-un-jeton/").status_code == 404


def test_an_outsider_cannot_ask_for_consent(as_outsider, program_a, mentee):
    role = program_a.roles.get(person=mentee)
    url = reverse("programs:consent_request", args=[program_a.pk, role.pk])
    assert as_outsider.post(url).status_code == 404

"""« Mes consentements » lists each consent to self-identification (purpose, text version,
language, date) beside the consents to take part, and withdrawing one there does what the
inclusion page does: the answers given under it are deleted, everywhere."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.inclusion import selectors
from maillage.inclusion.models import Declaration, InclusionConsent, Purpose
from maillage.programs.services import close_program

from .conftest import declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(program_a, mentee, women, newcomers):
    declare(mentee, program_a, members=[women, newcomers])
    declare(mentee, program_a, members=[women], purpose=Purpose.MATCHING)
    return mentee


def _page(client) -> str:
    return client.get(reverse("programs:my_consents")).content.decode()


def test_the_selector_gives_each_purpose_with_its_text_version_and_language(declared):
    rows = selectors.consents_of(declared)
    assert [(r["consent"].purpose, r["withdrawn"], r["holds_answers"]) for r in rows] == [
        (Purpose.MATCHING, False, True),
        (Purpose.OBJECTIVES, False, True),
    ]
    assert {r["language"] for r in rows} == {"Français"}
    assert all(r["own_page"] for r in rows)


def test_the_page_lists_both_consents_beside_the_one_to_take_part(client, declared):
    login(client, declared)
    page = _page(client)
    assert "Programme A" in page  # the consent to take part is still there
    assert "Auto-identification (inclusion)" in page
    assert "Pour les objectifs d’inclusion du programme" in page or "objectifs" in page
    assert page.count("version 1") == 2
    assert page.count(reverse("inclusion:mine", args=[declared.roles.first().program_id])) == 2
    for consent in InclusionConsent.objects.filter(person=declared):
        assert reverse("inclusion:withdraw_consent", args=[consent.pk]) in page


def test_withdrawing_from_the_page_deletes_the_answers(client, program_a, declared):
    login(client, declared)
    consent = InclusionConsent.objects.get(person=declared, purpose=Purpose.OBJECTIVES)
    response = client.post(reverse("inclusion:withdraw_consent", args=[consent.pk]), follow=True)
    html = response.content.decode()
    assert "Votre consentement est retiré et vos réponses sont effacées." in html
    assert not Declaration.objects.filter(person=declared, purpose=Purpose.OBJECTIVES).exists()
    assert Declaration.objects.filter(person=declared, purpose=Purpose.MATCHING).exists()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert AuditEntry.objects.filter(action="inclusion.withdrawn").count() == 1
    assert "Consentement retiré" in html and "Répondre de nouveau" in html
    assert selectors.indicators(program_a).respondents.count in (0, None)


def test_a_second_click_withdraws_once_and_says_so(client, declared):
    login(client, declared)
    consent = InclusionConsent.objects.get(person=declared, purpose=Purpose.MATCHING)
    url = reverse("inclusion:withdraw_consent", args=[consent.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Ce consentement est déjà retiré." in response.content.decode()
    assert AuditEntry.objects.filter(action="inclusion.withdrawn").count() == 1


def test_a_closed_program_still_lets_a_person_withdraw(client, program_a, declared):
    close_program(program=program_a)
    login(client, declared)
    consent = InclusionConsent.objects.get(person=declared, purpose=Purpose.OBJECTIVES)
    client.post(reverse("inclusion:withdraw_consent", args=[consent.pk]))
    assert not Declaration.objects.filter(person=declared, purpose=Purpose.OBJECTIVES).exists()


def test_someone_else_gets_404_and_an_anonymous_visitor_is_sent_to_sign_in(
    client, declared, mentor, outsider
):
    consent = InclusionConsent.objects.filter(person=declared).first()
    url = reverse("inclusion:withdraw_consent", args=[consent.pk])
    response = client.post(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for other in (mentor, outsider):
        login(client, other)
        assert client.post(url).status_code == 404
        assert "Auto-identification (inclusion)" not in _page(client)
    assert Declaration.objects.filter(person=declared).count() == 3


def test_nothing_declared_shows_no_inclusion_section(client, mentee):
    login(client, mentee)
    assert not re.search("Auto-identification", _page(client))

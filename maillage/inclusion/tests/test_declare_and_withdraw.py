"""A person declares only if they choose, for one purpose at a time, with a recorded consent,
and a withdrawal deletes the declaration everywhere (Done when, issue 16)."""

from __future__ import annotations

import json

import pytest

from maillage.core.models import AuditEntry
from maillage.inclusion import selectors, services
from maillage.inclusion.errors import InclusionError
from maillage.inclusion.models import Declaration, Declined, InclusionConsent, Purpose
from maillage.portability.selectors import person_data
from maillage.programs.services import close_program

from .conftest import K, declare, mentees

pytestmark = pytest.mark.django_db


def test_nothing_is_kept_without_the_consent_box(program_a, mentee, women):
    with pytest.raises(InclusionError) as error:
        services.declare(
            person=mentee,
            program=program_a,
            purpose=Purpose.OBJECTIVES,
            by=mentee.user,
            members=[women],
            consented=False,
            k=K,
        )
    assert error.value.field == "consent"
    assert not Declaration.objects.exists() and not InclusionConsent.objects.exists()


def test_the_consent_keeps_purpose_text_version_language_and_when(program_a, mentee, women):
    declare(mentee, program_a, members=[women])
    consent = InclusionConsent.objects.get(person=mentee)
    assert consent.purpose == Purpose.OBJECTIVES
    assert "compte ma réponse, sans mon nom" in consent.text and f"{K} personnes" in consent.text
    assert consent.version == services.CONSENT_VERSION
    assert consent.language == "fr" and consent.source == InclusionConsent.Source.OWN_PAGE
    assert consent.given_at and consent.withdrawn_at is None


def test_each_purpose_has_its_own_consent(program_a, mentee, women):
    declare(mentee, program_a, members=[women])
    declare(mentee, program_a, members=[women], wishes=[women], purpose=Purpose.MATCHING)
    assert set(InclusionConsent.objects.values_list("purpose", flat=True)) == set(Purpose.values)
    services.withdraw(person=mentee, program=program_a, purpose=Purpose.MATCHING, by=mentee.user)
    assert Declaration.objects.filter(purpose=Purpose.OBJECTIVES).count() == 1
    assert not Declaration.objects.filter(purpose=Purpose.MATCHING).exists()


def test_a_second_click_keeps_one_consent_and_one_answer(program_a, mentee, women):
    declare(mentee, program_a, members=[women])
    declare(mentee, program_a, members=[women])
    assert InclusionConsent.objects.count() == 1
    assert Declaration.objects.count() == 1


def test_a_withdrawn_declaration_leaves_the_data_the_counts_and_the_trail_never_held_it(
    program_a, coordinator, mentee, women
):
    others = mentees(program_a, K)  # enough people for the count to be shown
    for person in others:
        declare(person, program_a, members=[women])
    declare(mentee, program_a, members=[women])
    before = selectors.indicators(program_a)
    assert person_data(mentee)["inclusion"][0]["group"] == "Femmes"
    assert before.respondents.count == K + 1

    services.withdraw(person=mentee, program=program_a, purpose=Purpose.OBJECTIVES, by=mentee.user)

    assert not Declaration.objects.filter(person=mentee).exists()  # deleted, not flagged
    assert person_data(mentee)["inclusion"] == []
    assert selectors.indicators(program_a).respondents.count == K
    consent = InclusionConsent.objects.get(person=mentee)
    assert consent.withdrawn_at is not None  # the proof of what was agreed stays, dated
    entries = AuditEntry.objects.filter(action__startswith="inclusion.", object_id=str(mentee.pk))
    assert {e.action for e in entries} == {"inclusion.declared", "inclusion.withdrawn"}
    # The entries name the person and the purpose, never the group; no save of a declaration
    # is traced field by field.
    about = json.dumps(list(entries.values("object_repr", "changes")), default=str)
    assert "Femmes" not in about and "group" not in about
    assert not AuditEntry.objects.filter(
        model="inclusion.Declaration", action__in=["create", "update", "delete"]
    ).exists()


def test_my_data_export_shows_the_declaration_then_not(client, program_a, mentee, women):
    declare(mentee, program_a, members=[women])
    client.force_login(mentee.user)
    assert "Femmes" in client.get("/mes-donnees/json/").content.decode()
    services.withdraw(person=mentee, program=program_a, purpose=Purpose.OBJECTIVES, by=mentee.user)
    assert "Femmes" not in client.get("/mes-donnees/json/").content.decode()
    assert "Femmes" not in client.get("/mes-donnees/").content.decode()


def test_prefer_not_to_answer_is_kept_and_replaces_an_answer(program_a, mentee, women):
    declare(mentee, program_a, members=[women])
    services.decline(person=mentee, program=program_a, purpose=Purpose.OBJECTIVES, by=mentee.user)
    assert not Declaration.objects.exists()
    assert Declined.objects.filter(person=mentee, purpose=Purpose.OBJECTIVES).exists()
    assert not selectors.unanswered(mentee, program_a)
    declare(mentee, program_a, members=[women])  # a change of mind is always possible
    assert not Declined.objects.exists()


def test_a_group_of_another_program_is_refused(program_a, outsider, mentee):
    other = outsider.roles.first().program
    foreign = services.add_group(program=other, by=outsider.user, key="women")
    with pytest.raises(InclusionError):
        declare(mentee, program_a, members=[foreign])


def test_closed_program_refuses_new_answers_but_not_a_withdrawal(
    program_a, coordinator, mentee, women
):
    declare(mentee, program_a, members=[women])
    close_program(program=program_a)
    with pytest.raises(InclusionError):
        declare(mentee, program_a, members=[women])
    with pytest.raises(InclusionError):
        services.add_group(program=program_a, by=coordinator.user, key="youth")
    services.withdraw(person=mentee, program=program_a, purpose=Purpose.OBJECTIVES, by=mentee.user)
    assert not Declaration.objects.exists()


def test_removing_a_group_deletes_its_declarations(program_a, coordinator, mentee, women):
    declare(mentee, program_a, members=[women])
    services.remove_group(group=women, by=coordinator.user)
    assert not Declaration.objects.exists()

from __future__ import annotations

import pytest

from maillage.mentoring import services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import GroupMember


@pytest.fixture
def agreement(group, coordinator):
    return services.generate_agreement(group=group, by=coordinator)


def test_the_agreement_comes_from_the_program_template_with_the_group_specifics(
    group, agreement, program_a
):
    labels = [label for label, _text in agreement.points]
    assert labels == [label for label, _text in program_a.agreement_points()]
    referents = agreement.points[2][1]
    assert "Marc Mentor" in referents and "Élise Mentorée" in referents
    assert "1 juillet 2026" in agreement.points[3][1]  # the program's period
    assert "20" in agreement.points[4][1]  # the group's hours bank
    assert agreement.template_version == program_a.agreement_version


def test_an_undesignated_mentee_shows_in_the_referents(group, coordinator, second_mentee):
    member = group.members.get(role__person=second_mentee)
    services.set_designation(member=member, is_designated=False, note="Poste à combler")
    agreement = services.generate_agreement(group=group, by=coordinator)
    assert "personne désignée à confirmer" in agreement.points[2][1]


def test_each_side_accepts_and_the_agreement_is_complete(
    group, agreement, mentor, mentee, second_mentee
):
    assert not group.agreement_complete()
    acceptance = services.accept_agreement(group=group, person=mentor, version=1)
    assert acceptance.side == GroupMember.Side.MENTOR and acceptance.version == 1
    assert acceptance.accepted_at is not None
    services.accept_agreement(group=group, person=mentee, version=1)
    assert [m.role.person for m in group.agreement_missing_sides()] == [second_mentee]
    services.accept_agreement(group=group, person=second_mentee, version=1)
    assert group.agreement_complete()


def test_editing_before_any_acceptance_changes_the_draft(group, agreement, coordinator):
    texts = [text for _label, text in agreement.points]
    texts[0] = "Chacun arrive préparé."
    edited = services.edit_agreement(group=group, by=coordinator, texts=texts)
    assert edited.pk == agreement.pk and edited.version == 1
    assert edited.points[0][1] == "Chacun arrive préparé."


def test_a_new_version_needs_new_acceptances(
    group, agreement, coordinator, mentor, mentee, second_mentee
):
    for person in (mentor, mentee, second_mentee):
        services.accept_agreement(group=group, person=person, version=1)
    assert group.agreement_complete()
    texts = [text for _label, text in agreement.points]
    texts[5] = "Un courriel par semaine."
    second = services.edit_agreement(group=group, by=coordinator, texts=texts)
    assert second.version == 2
    assert not group.agreement_complete()
    assert agreement.acceptances.count() == 3  # the history stays
    with pytest.raises(MentoringError):
        services.accept_agreement(group=group, person=mentor, version=1)  # a stale page
    services.accept_agreement(group=group, person=mentor, version=2)
    assert second.acceptances.get().version == 2


def test_only_members_accept(group, agreement, coordinator, other_member):
    with pytest.raises(MentoringError):
        services.accept_agreement(group=group, person=other_member, version=1)


def test_the_agreement_page_shows_the_status_and_lets_a_member_accept(
    client, group, agreement, mentee
):
    from django.urls import reverse

    from maillage.conftest import login

    login(client, mentee)
    page_url = reverse("mentoring:agreement", args=[group.program_id, group.pk])
    assert "En attente d’acceptation" in client.get(page_url).content.decode()
    client.post(
        reverse("mentoring:agreement_accept", args=[group.program_id, group.pk]), {"version": "1"}
    )
    assert agreement.acceptances.get().person == mentee
    assert "Vous avez accepté cette version" in client.get(page_url).content.decode()

"""The group's thread (services): who writes, one message per form, the edit window, withdrawn
and hidden messages, read-only threads, unread counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.mentoring import selectors, services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import Group, GroupMessage
from maillage.programs.services import close_program


def test_a_member_posts_and_has_read_her_own_message(group, mentee, mentor):
    message = services.post_message(group=group, author=mentee, text="  Bonjour !  ")
    assert message.text == "Bonjour !"
    assert selectors.unread_counts(mentee, [group.pk]) == {}
    assert selectors.unread_counts(mentor, [group.pk]) == {group.pk: 1}


def test_the_same_form_sent_twice_makes_one_message(group, mentee):
    token = uuid.uuid4()
    first = services.post_message(group=group, author=mentee, text="Une fois", form_token=token)
    second = services.post_message(group=group, author=mentee, text="Une fois", form_token=token)
    assert first.pk == second.pk
    assert GroupMessage.objects.count() == 1
    services.post_message(group=group, author=mentee, text="Une fois", form_token=uuid.uuid4())
    assert GroupMessage.objects.count() == 2  # a new form is a new message


def test_the_coordinator_writes_but_not_a_member_of_another_group(
    group, coordinator, other_member, observer
):
    services.post_message(group=group, author=coordinator, text="Rappel : bilan vendredi")
    for stranger in (other_member, observer):
        with pytest.raises(MentoringError):
            services.post_message(group=group, author=stranger, text="Bonjour")


def test_an_empty_message_is_refused(group, mentee):
    with pytest.raises(MentoringError, match="Écrivez votre message"):
        services.post_message(group=group, author=mentee, text="   ")


def test_a_closed_program_and_an_ended_group_are_read_only(group, mentee):
    message = services.post_message(group=group, author=mentee, text="Avant")
    Group.objects.filter(pk=group.pk).update(status=Group.Status.CLOSED)
    group.refresh_from_db()
    with pytest.raises(MentoringError, match="terminé"):
        services.post_message(group=group, author=mentee, text="Après")
    Group.objects.filter(pk=group.pk).update(status=Group.Status.ACTIVE)
    group.refresh_from_db()
    close_program(program=group.program)
    group.refresh_from_db()
    with pytest.raises(MentoringError):
        services.post_message(group=group, author=mentee, text="Après")
    message.group = group
    with pytest.raises(MentoringError):
        services.delete_message(message=message, person=mentee)


def test_the_author_edits_within_the_window_only(group, mentee, mentor):
    message = services.post_message(group=group, author=mentee, text="Rencontre mardi")
    services.edit_message(message=message, person=mentee, text="Rencontre mercredi")
    message.refresh_from_db()
    assert message.text == "Rencontre mercredi" and message.edited_at is not None
    with pytest.raises(MentoringError):
        services.edit_message(message=message, person=mentor, text="Autre chose")
    GroupMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - GroupMessage.EDIT_WINDOW - timedelta(minutes=1)
    )
    message.refresh_from_db()
    with pytest.raises(MentoringError, match="minutes"):
        services.edit_message(message=message, person=mentee, text="Trop tard")


def test_a_withdrawn_message_stays_as_message_retire_and_is_not_unread(group, mentee, mentor):
    message = services.post_message(group=group, author=mentee, text="Oups")
    with pytest.raises(MentoringError):
        services.delete_message(message=message, person=mentor)
    services.delete_message(message=message, person=mentee)
    message.refresh_from_db()
    assert message.deleted_at is not None and message.text == "Oups"  # soft: kept
    assert selectors.unread_counts(mentor, [group.pk]) == {}
    assert AuditEntry.objects.filter(action="message.withdrawn", object_id=str(message.pk)).exists()


def test_the_coordinator_hides_a_message_with_a_reason_audited(group, mentee, mentor, coordinator):
    message = services.post_message(group=group, author=mentee, text="Propos déplacés")
    with pytest.raises(MentoringError):
        services.hide_message(message=message, by_person=mentor, reason="Non")
    with pytest.raises(MentoringError, match="pourquoi"):
        services.hide_message(message=message, by_person=coordinator, reason=" ")
    services.hide_message(
        message=message, by_person=coordinator, reason="Propos blessants", by=coordinator.user
    )
    message.refresh_from_db()
    assert message.hidden_reason == "Propos blessants" and message.hidden_by == coordinator
    entry = AuditEntry.objects.get(action="message.hidden", object_id=str(message.pk))
    assert entry.actor == coordinator.user and entry.changes == {"reason": "Propos blessants"}
    # The text itself never enters the audit trail.
    assert not AuditEntry.objects.filter(changes__icontains="déplacés").exists()


def test_reading_moves_the_marker_forward_only(group, mentee, mentor):
    first = services.post_message(group=group, author=mentee, text="Un")
    services.post_message(group=group, author=mentee, text="Deux")
    assert selectors.unread_counts(mentor, [group.pk]) == {group.pk: 2}
    services.mark_read(group=group, person=mentor)
    assert selectors.unread_counts(mentor, [group.pk]) == {}
    services.mark_read(group=group, person=mentor, up_to=first.pk)  # an older page
    assert selectors.unread_counts(mentor, [group.pk]) == {}


def test_the_thread_is_oldest_first_and_marks_where_new_messages_start(group, mentee, mentor):
    old = services.post_message(group=group, author=mentee, text="Ancien")
    services.mark_read(group=group, person=mentor)
    new = services.post_message(group=group, author=mentee, text="Nouveau")
    page = selectors.thread(group, mentor)
    assert [m.pk for m in page.messages] == [old.pk, new.pk]
    assert page.first_unread == new.pk and page.older is None
    assert page.messages[0].who == "Personne mentorée"


def test_a_long_thread_is_paged_from_the_newest(group, mentee):
    for n in range(selectors.THREAD_PAGE + 3):
        services.post_message(group=group, author=mentee, text=f"Message {n}")
    page = selectors.thread(group, mentee)
    assert len(page.messages) == selectors.THREAD_PAGE
    assert page.messages[-1].text == f"Message {selectors.THREAD_PAGE + 2}"
    older = selectors.thread(group, mentee, before=page.older)
    assert [m.text for m in older.messages] == ["Message 0", "Message 1", "Message 2"]


def test_her_messages_are_in_her_data_export_and_survive_her_erasure(group, mentee, mentor):
    from maillage.portability.selectors import mentoring_data

    message = services.post_message(group=group, author=mentee, text="Mes mots à moi")
    services.post_message(group=group, author=mentor, text="Pas les siens")
    written = mentoring_data(mentee)["group_messages_written"]
    assert [m["text"] for m in written] == ["Mes mots à moi"]
    mentee.delete()
    message.refresh_from_db()
    assert message.author is None  # the thread keeps its shape, unsigned

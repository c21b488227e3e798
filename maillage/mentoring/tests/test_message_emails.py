"""A new message e-mails the group's other members (Django's locmem outbox): in each one's
language, without the message's text, with a one-click unsubscribe, once until they read, and
as each chose (at once, in the daily digest, never)."""

from __future__ import annotations

import pytest
from django.core import mail

from maillage.core.models import NotificationPreference
from maillage.core.services import set_notification_preferences
from maillage.mentoring import services


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def post(group, author, text):
        with django_capture_on_commit_callbacks(execute=True):
            return services.post_message(group=group, author=author, text=text)

    return post


def test_the_others_get_a_notice_without_the_text(post, group, mentee):
    post(group, mentee, "Mon numéro personnel est le 418 555-0199")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "marc.mentor@exemple.org",
        "nadia.deuxieme@exemple.org",
    ]
    email = mail.outbox[0]
    assert email.subject == "Nouveau message de Élise Mentorée dans votre groupe « Logistique »"
    assert "555-0199" not in email.body and "555-0199" not in email.subject
    assert f"/groupes/{group.pk}/messages/#dernier" in email.body
    assert email.extra_headers["Content-Language"] == "fr"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert "/courriels/desabonnement/" in email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_each_notice_is_in_its_recipients_language(post, group, mentee, mentor):
    mentor.language = "en"
    mentor.save()
    post(group, mentee, "Bonjour")
    to_marc = next(m for m in mail.outbox if m.to == [mentor.email])
    to_nadia = next(m for m in mail.outbox if m.to != [mentor.email])
    assert to_marc.extra_headers["Content-Language"] == "en"
    assert to_nadia.extra_headers["Content-Language"] == "fr"
    assert "Bonjour Marc" not in to_marc.body  # the English template, not the French one
    assert "Bonjour Nadia" in to_nadia.body


def test_one_email_until_the_thread_is_read(post, group, mentee, mentor):
    post(group, mentee, "Un")
    post(group, mentee, "Deux")
    assert sum(m.to == [mentor.email] for m in mail.outbox) == 1
    services.mark_read(group=group, person=mentor)
    post(group, mentee, "Trois")
    assert sum(m.to == [mentor.email] for m in mail.outbox) == 2


def test_people_who_chose_the_digest_or_nothing_get_no_notice(
    post, group, mentee, mentor, second_mentee
):
    set_notification_preferences(person=mentor, by=None, messages=NotificationPreference.When.DAILY)
    set_notification_preferences(
        person=second_mentee, by=None, messages=NotificationPreference.When.NEVER
    )
    post(group, mentee, "Bonjour")
    assert mail.outbox == []


def test_the_coordinators_message_reaches_every_member(post, group, coordinator):
    post(group, coordinator, "Bilan vendredi")
    assert len(mail.outbox) == 3

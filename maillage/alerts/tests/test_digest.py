"""The daily digest: one e-mail a day to whoever chose it, listing their groups' unread
messages and their new alerts, in their language, with a one-click unsubscribe; nothing when
there is nothing new; nothing listed twice."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.alerts import digest
from maillage.alerts.models import Alert, AlertRecipient, Digest, Kind
from maillage.alerts.tasks import send_alert
from maillage.core.models import NotificationPreference
from maillage.core.services import set_notification_preferences
from maillage.mentoring import services as mentoring

DAILY = NotificationPreference.When.DAILY


def morning(days: int = 0, hour: int = 8) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def daily_mentor(group, mentor):
    set_notification_preferences(person=mentor, by=None, messages=DAILY, alerts=DAILY)
    return mentor


def alert_for(group, person, key="a") -> AlertRecipient:
    alert = Alert.objects.create(
        program=group.program,
        group=group,
        kind=Kind.MEETING_GAP,
        cause_key=f"test:{key}",
        first_seen_on=timezone.localdate(),
        last_seen_on=timezone.localdate(),
        evidence={"days": 40, "limit": 30},
    )
    return AlertRecipient.objects.create(alert=alert, person=person)


def test_nothing_new_sends_nothing(daily_mentor):
    assert digest.send_digests(now=morning()) == 0
    assert mail.outbox == [] and not Digest.objects.exists()


def test_one_email_lists_the_unread_messages_and_the_alerts(group, daily_mentor, mentee):
    mentoring.post_message(group=group, author=mentee, text="Secret du groupe")
    mentoring.post_message(group=group, author=mentee, text="Encore un secret")
    delivery = alert_for(group, daily_mentor)
    assert digest.send_digests(now=morning()) == 1
    [email] = mail.outbox
    assert email.to == [daily_mentor.email]
    assert "2 nouveaux messages" in email.subject
    assert "« Groupe test »" in email.body and "Élise Mentorée" in email.body
    assert "secret" not in email.body.lower()  # never the messages' text
    assert str(Kind.MEETING_GAP.label) in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    delivery.refresh_from_db()
    assert delivery.sent_at is not None  # never sent again one by one


def test_nothing_is_listed_twice(group, daily_mentor, mentee):
    mentoring.post_message(group=group, author=mentee, text="Un")
    assert digest.send_digests(now=morning()) == 1
    assert digest.send_digests(now=morning(hour=9)) == 0  # the hourly round, same day
    assert digest.send_digests(now=morning(days=1)) == 0  # still unread, already listed
    mentoring.post_message(group=group, author=mentee, text="Deux")
    assert digest.send_digests(now=morning(days=1)) == 1
    assert "1 nouveau message" in mail.outbox[-1].subject
    assert len(mail.outbox) == 2


def test_read_messages_are_not_listed(group, daily_mentor, mentee):
    mentoring.post_message(group=group, author=mentee, text="Un")
    mentoring.mark_read(group=group, person=daily_mentor)
    assert digest.send_digests(now=morning()) == 0


def test_not_before_the_morning(group, daily_mentor, mentee):
    mentoring.post_message(group=group, author=mentee, text="Un")
    assert digest.send_digests(now=morning(hour=digest.DIGEST_HOUR - 1)) == 0
    assert mail.outbox == []


def test_the_digest_is_in_the_recipients_language(group, mentee, second_mentee):
    set_notification_preferences(person=second_mentee, by=None, messages=DAILY)
    mentoring.post_message(group=group, author=mentee, text="Un")
    digest.send_digests(now=morning())
    [email] = mail.outbox
    assert email.to == [second_mentee.email]
    assert email.extra_headers["Content-Language"] == "en"


def test_people_who_want_alerts_at_once_are_not_in_the_digest(group, mentor, mentee):
    alert_for(group, mentor)
    mentoring.post_message(group=group, author=mentee, text="Un")
    assert digest.send_digests(now=morning()) == 0


def test_an_alert_waits_for_the_digest_or_is_muted_for_never(group, daily_mentor, mentee):
    waiting = alert_for(group, daily_mentor, "daily")
    assert send_alert.call(recipient_id=waiting.pk) is False
    waiting.refresh_from_db()
    assert waiting.sent_at is None and not waiting.muted and mail.outbox == []
    set_notification_preferences(person=mentee, by=None, alerts=NotificationPreference.When.NEVER)
    never = alert_for(group, mentee, "never")
    send_alert.call(recipient_id=never.pk)
    never.refresh_from_db()
    assert never.muted and mail.outbox == []


def test_an_alert_sent_at_once_carries_the_unsubscribe_header(group, mentor):
    delivery = alert_for(group, mentor)
    assert send_alert.call(recipient_id=delivery.pk) is True
    [email] = mail.outbox
    assert "/courriels/desabonnement/" in email.extra_headers["List-Unsubscribe"]


def test_the_command_sends_the_digests(group, daily_mentor, mentee, monkeypatch, capsys):
    monkeypatch.setattr(digest, "DIGEST_HOUR", 0)
    mentoring.post_message(group=group, author=mentee, text="Un")
    call_command("send_digests")
    assert "1 digest sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_hourly_round_sends_the_digests(group, daily_mentor, mentee, monkeypatch):
    from maillage.core.signals import daily_work_due

    monkeypatch.setattr(digest, "DIGEST_HOUR", 0)
    mentoring.post_message(group=group, author=mentee, text="Un")
    answers = dict(daily_work_due.send(sender=None))
    assert [n for r, n in answers.items() if r.__name__ == "send_digests"] == [1]
    assert Digest.objects.filter(person=daily_mentor).count() == 1

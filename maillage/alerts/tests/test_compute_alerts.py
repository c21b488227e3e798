"""compute_alerts: one alert and one e-mail per cause, auto-resolve, mutes, languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from maillage.alerts.models import Alert, AlertRecipient, Kind
from maillage.alerts.services import set_mutes
from maillage.core.services import should_send

from .conftest import APPROVED, held

pytestmark = pytest.mark.django_db

LATE = APPROVED + timedelta(days=25)  # no first meeting yet: slow start


def test_running_twice_keeps_one_alert_and_sends_once(
    compute, group, program_a, coordinator, mentor
):
    first = compute(program_a, LATE)
    sent = len(mail.outbox)
    second = compute(program_a, LATE + timedelta(days=1))
    assert first["created"] == 1 and second["created"] == 0
    assert Alert.objects.filter(kind=Kind.SLOW_START).count() == 1
    assert sent == 2  # the coordinator and the mentor, once each
    assert len(mail.outbox) == sent
    assert second["queued"] == 0


def test_figures_are_refreshed_while_the_cause_lasts(compute, group, program_a):
    compute(program_a, LATE)
    compute(program_a, LATE + timedelta(days=3))
    alert = Alert.objects.get(kind=Kind.SLOW_START)
    assert alert.evidence["days"] == 28
    assert alert.first_seen_on == LATE
    assert alert.last_seen_on == LATE + timedelta(days=3)


def test_alert_resolves_when_the_condition_clears(compute, group, program_a):
    compute(program_a, LATE)
    held(group, LATE + timedelta(days=1))
    result = compute(program_a, LATE + timedelta(days=2))
    alert = Alert.objects.get(kind=Kind.SLOW_START)
    assert result["resolved"] == 1
    assert alert.resolved_at is not None


def test_a_cause_that_comes_back_reopens_without_a_second_email(compute, group, program_a):
    compute(program_a, LATE)
    compute(program_a, APPROVED)  # a day when the condition does not hold
    assert Alert.objects.get(kind=Kind.SLOW_START).resolved_at is not None
    sent = len(mail.outbox)
    result = compute(program_a, LATE)
    assert result["reopened"] == 1
    assert Alert.objects.get(kind=Kind.SLOW_START).resolved_at is None
    assert len(mail.outbox) == sent


def test_a_muted_kind_is_not_emailed_but_still_shown(
    compute, group, program_a, mentor, coordinator
):
    set_mutes(person=mentor, kinds=[Kind.SLOW_START])
    assert not should_send(mentor, Kind.SLOW_START)
    assert should_send(mentor, Kind.MEETING_GAP)
    compute(program_a, LATE)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    delivery = AlertRecipient.objects.get(person=mentor)
    assert delivery.muted and delivery.sent_at is None
    assert Alert.objects.open().filter(kind=Kind.SLOW_START).exists()


def test_unmuting_restores_the_kind(compute, group, mentor):
    set_mutes(person=mentor, kinds=[Kind.SLOW_START, Kind.INACTIVE])
    set_mutes(person=mentor, kinds=[Kind.INACTIVE])
    assert should_send(mentor, Kind.SLOW_START)
    assert not should_send(mentor, Kind.INACTIVE)


def test_each_email_is_in_its_recipients_language(compute, group, program_a, second_mentee, mentee):
    # Both mentees are 7 weeks without an update: Élise reads French, Léa English.
    held(group, APPROVED + timedelta(days=7))
    held(group, date(2026, 8, 19))
    compute(program_a, date(2026, 8, 20))
    by_person = {m.to[0]: m for m in mail.outbox}
    english = by_person[second_mentee.email]
    french = by_person[mentee.email]
    assert english.extra_headers["Content-Language"] == "en"
    assert french.extra_headers["Content-Language"] == "fr"
    assert "message de suivi" in french.body
    assert "Bonjour Élise" in french.body
    # The evidence's dates follow the language (our own strings are translated at release).
    assert "9 juillet 2026" in french.body
    assert "9 July 2026" in english.body


def test_evidence_is_in_the_email(compute, group, program_a, coordinator):
    compute(program_a, LATE)
    message = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert "25 jours" in message.body
    assert "21" in message.body
    assert "/rappels/" in message.body


def test_closed_groups_lose_their_alerts(compute, group, program_a):
    compute(program_a, LATE)
    group.status = "closed"
    group.save()
    compute(program_a, LATE)
    assert not Alert.objects.open().exists()

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.evaluation import services
from maillage.evaluation.models import Invitation, Round


@pytest.fixture
def due_round(program_a, monthly, mentor, mentee, english_mentee, group):
    today = timezone.localdate()
    return Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today,
        closes_on=today + timedelta(days=14),
    )


def send(capture, **kwargs):
    with capture(execute=True):
        return services.send_due_rounds(**kwargs)


def test_each_person_gets_one_email_in_their_language(
    due_round, mentor, mentee, english_mentee, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentor.email, mentee.email, english_mentee.email]
    )
    by_person = {m.to[0]: m for m in mail.outbox}
    assert "Suivi mensuel" in by_person[mentee.email].subject
    assert by_person[english_mentee.email].subject.startswith("Monthly follow-up")
    assert by_person[english_mentee.email].extra_headers["Content-Language"] == "en"
    invitation = Invitation.objects.get(person=english_mentee)
    assert invitation.get_link_url() in by_person[english_mentee.email].body


def test_running_again_sends_nothing_twice(due_round, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    first = len(mail.outbox)
    send(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_rounds")
    assert len(mail.outbox) == first == 3


def test_a_person_who_joins_later_gets_the_open_round(
    due_round, program_a, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)
    from maillage.conftest import make_person
    from maillage.programs.services import assign_role

    newcomer = make_person("Nadia", "Nouvelle")
    assign_role(program=program_a, person=newcomer, kind="mentee")
    send(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox].count(newcomer.email) == 1
    assert len(mail.outbox) == 4


def test_future_closed_and_cancelled_rounds_are_not_sent(
    program_a, monthly, mentee, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today + timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )
    Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
    )
    Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=today,
        closes_on=today + timedelta(days=10),
        cancelled=True,
    )
    send(django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_mentor_only_round_skips_mentees(
    program_a, monthly, mentor, mentee, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        audience="mentors",
        send_on=today,
        closes_on=today + timedelta(days=10),
    )
    send(django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [mentor.email]


def test_reminder_goes_once_and_only_to_those_who_have_not_answered(
    due_round, mentor, mentee, english_mentee, django_capture_on_commit_callbacks
):
    send(django_capture_on_commit_callbacks)
    sent_at = timezone.now() - timedelta(days=8)
    due_round.invitations.update(sent_at=sent_at)
    Invitation.objects.filter(person=mentor).update(submitted_at=timezone.now())
    mail.outbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.send_due_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentee.email, english_mentee.email])
    english = next(m for m in mail.outbox if m.to[0] == english_mentee.email)
    assert english.subject.startswith("Reminder") or "Monthly follow-up" in english.subject


def test_no_reminder_before_the_delay(due_round, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 0
    assert mail.outbox == []


def test_the_command_takes_a_date(program_a, monthly, mentee, django_capture_on_commit_callbacks):
    from datetime import date

    Round.objects.create(
        program=program_a,
        questionnaire=monthly,
        send_on=date(2026, 8, 1),
        closes_on=date(2026, 8, 15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_rounds", "--date", "2026-07-31")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_rounds", "--date", "2026-08-01")
    assert [m.to[0] for m in mail.outbox] == [mentee.email]

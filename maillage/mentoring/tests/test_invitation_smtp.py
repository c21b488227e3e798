"""A meeting invitation through Django's SMTP backend to a real local SMTP server, read back:
headers, language, and the .ics parsed with icalendar; then the cancellation."""

from __future__ import annotations

import email
import email.policy

from icalendar import Calendar

from maillage.mentoring import services

from .conftest import later


def received(mailbox, to):
    envelope = next(e for e in mailbox.envelopes if e.rcpt_tos == [to])
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return message, part, Calendar.from_ical(part.get_payload(decode=True))


def test_invitation_and_cancellation_through_a_real_smtp_server(
    group, mentor, mentee, smtp_server, django_capture_on_commit_callbacks
):
    mentee.language = "en"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.schedule_meeting(
            group=group,
            by=mentor,
            starts_at=later(days=6),
            duration_minutes=120,
            agenda="Tournée de collecte — Québec",
        )
    assert len(smtp_server.envelopes) == 3
    message, part, cal = received(smtp_server, mentee.email)
    assert message["To"] == mentee.email
    assert message["Content-Language"] == "en"
    assert message["Subject"].startswith("Invitation")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Hello Élise" in body or "Bonjour Élise" in body
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    event = next(iter(cal.walk("VEVENT")))
    assert cal["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at
    assert {str(a) for a in event.get("ATTENDEE")} == {
        f"mailto:{m.role.person.email}" for m in group.members.all()
    }
    assert "Tournée de collecte — Québec" in str(event["DESCRIPTION"])  # accents survive
    french, _part, _cal = received(smtp_server, mentor.email)
    assert french["Content-Language"] == "fr"
    assert "Bonjour Marc" in french.get_body(preferencelist=("plain",)).get_content()

    smtp_server.envelopes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=meeting, by=mentor, reason="Tempête")
    message, part, cal = received(smtp_server, mentee.email)
    event = next(iter(cal.walk("VEVENT")))
    assert part.get_param("method") == "CANCEL" and cal["METHOD"] == "CANCEL"
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == 1

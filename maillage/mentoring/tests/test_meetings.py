"""Meeting lifecycle and its iCalendar identity: one UID, SEQUENCE up on each change."""

from __future__ import annotations

from datetime import UTC

import pytest
from django.core import mail
from icalendar import Calendar

from maillage.mentoring import calendar, services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import Attendance, Meeting, TimeEntry

from .conftest import ago, later


def ics_of(message) -> Calendar:
    part = next(
        a
        for a in message.attachments
        if getattr(a, "get_content_type", None) and a.get_content_type() == "text/calendar"
    )
    return part, Calendar.from_ical(part.get_payload(decode=True))


def event_of(cal: Calendar):
    return next(iter(cal.walk("VEVENT")))


@pytest.fixture
def planned(group, mentor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.schedule_meeting(
            group=group,
            by=mentor,
            starts_at=later(days=7),
            duration_minutes=120,
            agenda="Plan de tournée",
            location="https://visio.example/x",
        )


def test_an_invitation_goes_to_each_member_with_a_request(planned, group):
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        m.role.person.email for m in group.members.all()
    )
    part, cal = ics_of(mail.outbox[0])
    assert part.get_param("method") == "REQUEST"
    assert cal["METHOD"] == "REQUEST"
    event = event_of(cal)
    assert str(event["UID"]) == planned.uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == planned.starts_at.astimezone(UTC)
    assert planned.starts_at.astimezone(UTC).strftime("DTSTART:%Y%m%dT%H%M%SZ") in (
        part.get_payload(decode=True).decode()
    )
    assert event.decoded("DURATION").total_seconds() == 7200
    assert str(event["ORGANIZER"]) == "mailto:marc.mentor@exemple.org"
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert attendees == {f"mailto:{m.role.person.email}" for m in group.members.all()}
    assert "Plan de tournée" in str(event["DESCRIPTION"])


def test_reschedule_keeps_the_uid_and_raises_the_sequence(
    planned, mentor, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            meeting=planned, by=mentor, starts_at=later(days=9), reason="Congé férié"
        )
    _part, cal = ics_of(mail.outbox[0])
    event = event_of(cal)
    assert str(event["UID"]) == planned.uid and event["SEQUENCE"] == 1
    assert "Congé férié" in mail.outbox[0].body
    assert "modifiée" in mail.outbox[0].subject


def test_cancel_sends_a_cancel_with_the_same_uid_and_a_higher_sequence(
    planned, mentor, django_capture_on_commit_callbacks
):
    services.reschedule_meeting(meeting=planned, by=mentor, starts_at=later(days=8), reason="x")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(meeting=planned, by=mentor, reason="Tempête de neige")
    part, cal = ics_of(mail.outbox[0])
    assert part.get_param("method") == "CANCEL" and cal["METHOD"] == "CANCEL"
    event = event_of(cal)
    assert str(event["UID"]) == planned.uid and event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"
    with pytest.raises(MentoringError):
        services.reschedule_meeting(meeting=planned, by=mentor, starts_at=later(days=3), reason="y")


def test_reasons_are_required(planned, mentor):
    with pytest.raises(MentoringError):
        services.cancel_meeting(meeting=planned, by=mentor, reason=" ")
    with pytest.raises(MentoringError):
        services.reschedule_meeting(meeting=planned, by=mentor, starts_at=later(days=2), reason="")


def test_notes_never_travel_in_the_calendar(group, mentor, mentee):
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=1), duration_minutes=60, agenda="Ordre"
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor], notes="Très confidentiel")
    text = calendar.invitation(meeting, "REQUEST").decode()
    assert "Ordre" in text and "confidentiel" not in text


def test_a_held_meeting_logs_attendance_and_time(group, mentor, mentee, second_mentee):
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=1), duration_minutes=120
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor, mentee], minutes=90)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.duration_minutes == 90
    assert dict(Attendance.objects.values_list("person__first_name", "present")) == {
        "Marc": True,
        "Élise": True,
        "Nadia": False,
    }
    assert TimeEntry.objects.filter(meeting=meeting).count() == 2
    # Recording again replaces, never doubles.
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor], log_time=True)
    assert TimeEntry.objects.filter(meeting=meeting).count() == 1
    assert group.first_meeting_at() == meeting.starts_at == group.last_meeting_at()


def test_time_is_optional_when_recording(group, mentor):
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(hours=3), duration_minutes=60
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor], log_time=False)
    assert not TimeEntry.objects.exists()


def test_a_future_meeting_cannot_be_recorded_as_held(planned, mentor):
    with pytest.raises(MentoringError):
        services.record_meeting(meeting=planned, by=mentor, present=[mentor])


def test_an_individual_meeting_invites_the_mentor_side_and_one_mentee(
    group, mentor, mentee, second_mentee, django_capture_on_commit_callbacks
):
    member = group.members.get(role__person=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_meeting(
            group=group,
            by=mentor,
            starts_at=later(days=2),
            duration_minutes=60,
            kind=Meeting.Kind.INDIVIDUAL,
            individual_with=member,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])


def test_the_kickoff_is_planned_once_and_prepares_the_agreement(group, coordinator):
    services.schedule_kickoff(
        group=group, by=coordinator, starts_at=later(days=4), duration_minutes=90
    )
    assert group.current_agreement() is not None
    with pytest.raises(MentoringError):
        services.schedule_kickoff(
            group=group, by=coordinator, starts_at=later(days=5), duration_minutes=90
        )


def test_invitations_speak_each_persons_language(
    group, mentor, mentee, django_capture_on_commit_callbacks
):
    mentee.language = "en"
    mentee.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_meeting(
            group=group, by=mentor, starts_at=later(days=2), duration_minutes=60
        )
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person[mentee.email].subject.startswith("Invitation")
    assert by_person[mentee.email].extra_headers["Content-Language"] == "en"
    assert by_person[mentor.email].extra_headers["Content-Language"] == "fr"
    assert "Bonjour Marc" in by_person[mentor.email].body

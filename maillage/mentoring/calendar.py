"""iCalendar (RFC 5545) for meetings: invitations, cancellations and a person's private feed.

`new_event`, `calendar_file` and `attach` are the platform's one way to write iCalendar; the
communities of practice (a higher floor) build their meetings' events with them.

A meeting keeps one UID for its whole life; each change raises SEQUENCE so that calendar
programs replace the event instead of adding a second one. Notes never leave the platform:
SUMMARY and DESCRIPTION carry the agenda only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from maillage.core.models import Person

from .models import Meeting

PRODID = "-//Maillage//Mentorat//FR"


def _address(person: Person, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.full_name)
    if role:
        address.params["ROLE"] = vText(role)
    return address


def summary(meeting: Meeting) -> str:
    return f"{meeting.get_kind_display()} — {meeting.group}"


def description(meeting: Meeting) -> str:
    parts = []
    if meeting.agenda:
        parts.append(_("Ordre du jour :") + "\n" + meeting.agenda)
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        parts.append(_("Annulée : %(reason)s") % {"reason": meeting.cancel_reason})
    elif meeting.reschedule_reason and meeting.sequence:
        parts.append(_("Déplacée : %(reason)s") % {"reason": meeting.reschedule_reason})
    link = settings.SITE_URL + reverse(
        "mentoring:group", args=[meeting.group.program_id, meeting.group_id]
    )
    parts.append(_("Page du groupe : %(link)s") % {"link": link})
    return "\n\n".join(parts)


def new_event(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    minutes: int,
    summary: str,
    description: str,
    location: str = "",
    organizer: Person | None = None,
    attendees: list[Person] | tuple[Person, ...] = (),
    cancelled: bool = False,
) -> Event:
    """One VEVENT, the same way for every kind of meeting on the platform (mentoring groups,
    communities of practice): stable UID, SEQUENCE, UTC times, organizer, attendees, status."""
    item = Event()
    item.add("uid", uid)
    item.add("sequence", sequence)
    item.add("dtstamp", timezone.now().astimezone(UTC))
    item.add("dtstart", starts_at.astimezone(UTC))
    item.add("duration", timedelta(minutes=minutes))
    item.add("summary", summary)
    item.add("description", description)
    if location:
        item.add("location", location)
    if organizer is not None:
        item.add("organizer", _address(organizer))
    else:
        item.add(
            "organizer",
            vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}"),
        )
    for person in attendees:
        item.add("attendee", _address(person, "REQ-PARTICIPANT"), encode=0)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar_file(events: list[Event], *, method: str = "", name: str = "") -> bytes:
    """A VCALENDAR holding `events`: an invitation (METHOD) or a feed (its name)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(item)
    return cal.to_ical()


def event(meeting: Meeting, *, cancelled: bool = False) -> Event:
    return new_event(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        minutes=meeting.duration_minutes,
        summary=summary(meeting),
        description=description(meeting),
        location=meeting.location,
        organizer=meeting.created_by,
        attendees=[member.role.person for member in meeting.invitees()],
        cancelled=cancelled or meeting.status == Meeting.Status.CANCELLED,
    )


def invitation(meeting: Meeting, method: str, language: str = "fr") -> bytes:
    """One event with METHOD:REQUEST (new or changed) or METHOD:CANCEL."""
    with translation.override(language):
        return calendar_file([event(meeting, cancelled=method == "CANCEL")], method=method)


def feed(person: Person) -> bytes:
    """Every meeting of every group of the person (cancelled ones marked as such)."""
    with translation.override(person.language or "fr"):
        meetings = (
            Meeting.objects.of_person(person)
            .select_related("group", "created_by", "individual_with")
            .order_by("starts_at")
        )
        events = [
            event(meeting)
            for meeting in meetings
            if meeting.kind != Meeting.Kind.INDIVIDUAL
            or person.pk in {m.role.person_id for m in meeting.invitees()}
        ]
        return calendar_file(events, name=_("Maillage — mes rencontres"))


def attach(message: EmailMessage, ics: bytes, *, method: str, filename: str) -> EmailMessage:
    """Attach an iCalendar file as text/calendar with its METHOD, which mail programs read to
    offer « add to calendar »."""
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    message.attach(part)
    return message

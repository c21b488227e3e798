"""iCalendar (RFC 5545) for meetings: invitations, cancellations and a person's private feed.

A meeting keeps one UID for its whole life; each change raises SEQUENCE so that calendar
programs replace the event instead of adding a second one. Notes never leave the platform:
SUMMARY and DESCRIPTION carry the agenda only.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
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


def event(meeting: Meeting, *, cancelled: bool = False) -> Event:
    organizer = meeting.created_by
    item = Event()
    item.add("uid", meeting.uid)
    item.add("sequence", meeting.sequence)
    item.add("dtstamp", timezone.now().astimezone(UTC))
    item.add("dtstart", meeting.starts_at.astimezone(UTC))
    item.add("duration", timedelta(minutes=meeting.duration_minutes))
    item.add("summary", summary(meeting))
    item.add("description", description(meeting))
    if meeting.location:
        item.add("location", meeting.location)
    if organizer is not None:
        item.add("organizer", _address(organizer))
    else:
        item.add(
            "organizer",
            vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}"),
        )
    for member in meeting.invitees():
        item.add("attendee", _address(member.role.person, "REQ-PARTICIPANT"), encode=0)
    if cancelled or meeting.status == Meeting.Status.CANCELLED:
        item.add("status", "CANCELLED")
    else:
        item.add("status", "CONFIRMED")
    return item


def invitation(meeting: Meeting, method: str, language: str = "fr") -> bytes:
    """One event with METHOD:REQUEST (new or changed) or METHOD:CANCEL."""
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", method)
        cal.add_component(event(meeting, cancelled=method == "CANCEL"))
        return cal.to_ical()


def feed(person: Person) -> bytes:
    """Every meeting of every group of the person (cancelled ones marked as such)."""
    with translation.override(person.language or "fr"):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Maillage — mes rencontres"))
        meetings = (
            Meeting.objects.of_person(person)
            .select_related("group", "created_by", "individual_with")
            .order_by("starts_at")
        )
        for meeting in meetings:
            if meeting.kind == Meeting.Kind.INDIVIDUAL and person.pk not in {
                m.role.person_id for m in meeting.invitees()
            }:
                continue
            cal.add_component(event(meeting))
        return cal.to_ical()

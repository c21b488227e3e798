"""A series' meetings as iCalendar, written with mentoring's builders (one way on the platform)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillage.core.models import Person
from maillage.mentoring.calendar import calendar_file, new_event

from .models import Meeting, Series


def _description(meeting: Meeting) -> str:
    link = settings.SITE_URL + reverse("practice:meeting", args=[meeting.pk])
    parts = [_("Thème : %(theme)s") % {"theme": meeting.theme}]
    if meeting.online_url:
        parts.append(_("Lien de la visioconférence : %(url)s") % {"url": meeting.online_url})
    parts.append(_("Ressources et questions : %(link)s") % {"link": link})
    return "\n\n".join(parts)


def events(series: Series, *, cancelled: bool = False) -> list:
    return [
        new_event(
            uid=meeting.uid,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            minutes=meeting.duration_minutes,
            summary=f"{series.title} — {meeting.number}. {meeting.theme}",
            description=_description(meeting),
            location=meeting.location,
            organizer=series.created_by,
            cancelled=cancelled,
        )
        for meeting in series.meetings.order_by("number")
    ]


def series_file(series: Series, language: str = "fr", *, method: str = "PUBLISH") -> bytes:
    """Every meeting of the series: PUBLISH to add them, CANCEL once the person leaves."""
    with translation.override(language):
        return calendar_file(events(series, cancelled=method == "CANCEL"), method=method)


def feed(person: Person) -> bytes:
    """The person's subscribed calendar: the meetings of every series they hold a seat in."""
    with translation.override(person.language or "fr"):
        found = []
        for series in Series.objects.filter(
            registrations__person=person, registrations__status="confirmed"
        ).distinct():
            found.extend(events(series))
        return calendar_file(found, name=_("Maillage — communautés de pratique"))

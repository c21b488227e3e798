"""E-mails of the communities of practice, each in its recipient's language; the seat's
confirmation carries the series' meetings as an .ics file."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from maillage.core.emails import person_email
from maillage.core.models import Person
from maillage.mentoring.calendar import attach

from . import calendar
from .models import Meeting, Registration, Series

FEED_SALT = "maillage.practice.feed"


def feed_token(person: Person) -> str:
    return signing.dumps(person.pk, salt=FEED_SALT)


def feed_person(token: str) -> Person | None:
    try:
        pk = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    return Person.objects.filter(pk=pk).first()


def series_link(series: Series) -> str:
    return settings.SITE_URL + reverse("practice:series", args=[series.pk])


def _with_calendar(message: EmailMessage, series: Series, person: Person, method: str):
    language = message.extra_headers.get("Content-Language", "fr")
    ics = calendar.series_file(series, language, method=method)
    return attach(message, ics, method=method, filename="communaute-de-pratique.ics")


def registration_message(registration: Registration, *, promoted: bool = False) -> EmailMessage:
    series, person = registration.series, registration.person
    confirmed = registration.status == Registration.Status.CONFIRMED
    message = person_email(
        person,
        templates="practice/emails/registration",
        context=lambda: {
            "person": person,
            "series": series,
            "meetings": list(series.meetings.order_by("number")),
            "confirmed": confirmed,
            "promoted": promoted,
            "rank": registration.waiting_rank(),
            "link": series_link(series),
        },
    )
    if confirmed:
        _with_calendar(message, series, person, "PUBLISH")
    return message


def send_registration(registration: Registration, promoted: bool = False) -> None:
    registration.refresh_from_db()
    if registration.person.email:
        registration_message(registration, promoted=promoted).send()


def send_cancellation(registration: Registration) -> None:
    series, person = registration.series, registration.person
    if not person.email:
        return
    message = person_email(
        person,
        templates="practice/emails/cancelled",
        context=lambda: {"person": person, "series": series, "link": series_link(series)},
    )
    _with_calendar(message, series, person, "CANCEL").send()


def send_series_calendar(series: Series, people: list[Person], changed: bool = True) -> None:
    """The meetings again after a change of date or place: calendars update their events."""
    messages = []
    for person in people:
        if not person.email:
            continue
        message = person_email(
            person,
            templates="practice/emails/changed",
            context=lambda person=person: {
                "person": person,
                "series": series,
                "meetings": list(series.meetings.order_by("number")),
                "link": series_link(series),
            },
        )
        messages.append(_with_calendar(message, series, person, "PUBLISH"))
    if messages:
        get_connection().send_messages(messages)


def send_survey(series: Series, meeting: Meeting | None, people: list[Person]) -> None:
    """The satisfaction questionnaire, to the people who came."""
    if meeting is not None:
        path = reverse("practice:feedback", args=[meeting.pk])
    else:
        path = reverse("practice:series_feedback", args=[series.pk])
    messages = [
        person_email(
            person,
            templates="practice/emails/survey",
            context=lambda person=person: {
                "person": person,
                "series": series,
                "meeting": meeting,
                "link": settings.SITE_URL + path,
            },
        )
        for person in people
        if person.email
    ]
    if messages:
        get_connection().send_messages(messages)

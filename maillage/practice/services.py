"""Writes of the communities of practice: series and meetings, registrations with a waiting
list, attendance, notes and open questions, resources, satisfaction answers.

Each one validates, saves in a transaction, names its transition in the audit trail and sends
its e-mails once the transaction is committed."""

from __future__ import annotations

import calendar as months
from datetime import date, datetime, time
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.audit import acting_as, record
from maillage.core.locking import locked, save_versioned
from maillage.core.models import Person
from maillage.measurement.models import Network
from maillage.tools.errors import ToolError
from maillage.tools.uploads import check_upload

from . import emails
from .errors import PracticeError, StalePractice
from .models import (
    Attendance,
    Feedback,
    Meeting,
    Question,
    Registration,
    Resource,
    Series,
    eligible_people,
)

MAX_MEETINGS = 24


def _person(by: Any) -> Person | None:
    return getattr(by, "person", None) if by is not None else None


def add_months(day: date, count: int) -> date:
    """The same day `count` months later, or the month's last day (31 January → 28 February)."""
    month = day.month - 1 + count
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, months.monthrange(year, month)[1]))


@transaction.atomic
def create_series(
    *,
    network: Network,
    title: str,
    first_day: date,
    start_time: time,
    themes: list[str],
    by: Any,
    description: str = "",
    capacity: int = 20,
    duration_minutes: int = 90,
    every_months: int = 1,
    online_url: str = "",
    place: str = "",
    facilitators: list[Person] | None = None,
    survey: str = Series.Survey.EACH,
) -> Series:
    """A series with one meeting per theme, `every_months` apart (the Jasettes: 7, monthly)."""
    themes = [t.strip() for t in themes if t.strip()]
    if not themes:
        raise PracticeError(_("Donnez au moins un thème, un par ligne."), field="themes")
    if len(themes) > MAX_MEETINGS:
        raise PracticeError(
            _("Une série compte au plus %(n)d rencontres.") % {"n": MAX_MEETINGS}, field="themes"
        )
    if not online_url and not place:
        raise PracticeError(
            _("Indiquez le lien de la visioconférence, le lieu, ou les deux."), field="online_url"
        )
    facilitators = list(facilitators or [])
    allowed = set(eligible_people(network).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in facilitators):
        raise PracticeError(
            _("L’animation est confiée à des personnes du réseau."), field="facilitators"
        )
    series = Series(
        network=network,
        title=title.strip(),
        description=description.strip(),
        capacity=capacity,
        survey=survey,
        created_by=_person(by),
    )
    PracticeError.check(series)
    with acting_as(by):
        series.save()
        series.facilitators.set(facilitators)
        zone = timezone.get_current_timezone()
        for number, theme in enumerate(themes, start=1):
            day = add_months(first_day, (number - 1) * every_months)
            meeting = Meeting(
                series=series,
                number=number,
                starts_at=timezone.make_aware(datetime.combine(day, start_time), zone),
                duration_minutes=duration_minutes,
                theme=theme[:300],
                online_url=online_url,
                place=place,
            )
            PracticeError.check(meeting, exclude=["series", "uid"])
            meeting.save()
        record(
            action="practice.series_created",
            instance=series,
            changes={"meetings": len(themes), "network": network.pk},
        )
    return series


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    by: Any,
    seen: int | None,
    starts_at: datetime,
    duration_minutes: int,
    theme: str,
    online_url: str = "",
    place: str = "",
) -> Meeting:
    """Change a meeting's date, format or theme; registered people get the updated .ics when
    the time or the place moved (SEQUENCE goes up so calendars replace the event)."""
    if not online_url and not place:
        raise PracticeError(
            _("Indiquez le lien de la visioconférence, le lieu, ou les deux."), field="online_url"
        )
    moved = (
        starts_at != meeting.starts_at
        or duration_minutes != meeting.duration_minutes
        or online_url != meeting.online_url
        or place != meeting.place
    )
    meeting.starts_at = starts_at
    meeting.duration_minutes = duration_minutes
    meeting.theme = theme.strip()
    meeting.online_url = online_url
    meeting.place = place
    PracticeError.check(meeting, exclude=["series", "uid"])
    if moved:
        meeting.sequence += 1
    with acting_as(by):
        save_versioned(meeting, seen=seen, error=StalePractice)
        record(action="practice.meeting_changed", instance=meeting)
    if moved:
        people = [r.person for r in meeting.series.confirmed().select_related("person")]
        transaction.on_commit(lambda: emails.send_series_calendar(meeting.series, people, True))
    return meeting


@transaction.atomic
def add_resource(
    *,
    meeting: Meeting,
    title: str,
    by: Any,
    url: str = "",
    file: UploadedFile | None = None,
) -> Resource:
    """An article or a tool for the meeting's theme: a link, or a document checked like a
    shared tool (type, size, content) and stored under a random name."""
    if bool(url) == bool(file):
        raise PracticeError(_("Indiquez un lien ou joignez un document (un seul des deux)."), "url")
    try:
        checked = check_upload(file) if file else None
    except ToolError as error:
        raise PracticeError(error.message, field="file") from None
    resource = Resource(
        meeting=meeting,
        title=title.strip(),
        url=url,
        added_by=_person(by),
        original_name=checked.original_name if checked else "",
        content_type=checked.content_type if checked else "",
    )
    PracticeError.check(resource, exclude=["file"])
    with acting_as(by):
        if file and checked:
            resource.file.save(checked.original_name, file, save=False)
        resource.save()
        record(action="practice.resource_added", instance=resource)
    return resource


@transaction.atomic
def remove_resource(*, resource: Resource, by: Any) -> None:
    with acting_as(by):
        record(action="practice.resource_removed", instance=resource)
        stored = resource.file.name if resource.file else ""
        storage = resource.file.storage if resource.file else None
        resource.delete()
    if stored and storage is not None:
        transaction.on_commit(lambda: storage.delete(stored))


# --- Registrations ------------------------------------------------------------------------------


@transaction.atomic
def register(*, series: Series, person: Person, by: Any) -> Registration:
    """A seat if one is left, else a place on the waiting list. Registering again while
    registered changes nothing (a double click registers once)."""
    series = locked(series)
    if not series.registration_open:
        raise PracticeError(_("Les inscriptions à cette série sont fermées."))
    if not eligible_people(series.network).filter(pk=person.pk).exists():
        raise PracticeError(_("Cette série est réservée aux membres du réseau."))
    registration = Registration.objects.filter(series=series, person=person).first()
    if registration is not None and registration.status != Registration.Status.CANCELLED:
        return registration
    status = (
        Registration.Status.CONFIRMED if series.seats_left() > 0 else Registration.Status.WAITING
    )
    with acting_as(by):
        if registration is None:
            try:
                with transaction.atomic():
                    registration = Registration.objects.create(
                        series=series, person=person, status=status
                    )
            except IntegrityError:
                return Registration.objects.get(series=series, person=person)
        else:
            registration.status = status
            registration.requested_at = timezone.now()
            registration.save(update_fields=["status", "requested_at", "updated_at"])
        record(
            action="practice.registered"
            if status == Registration.Status.CONFIRMED
            else "practice.waiting",
            instance=registration,
        )
    transaction.on_commit(lambda: emails.send_registration(registration))
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by: Any) -> Registration | None:
    """Give the seat back; the first on the waiting list takes it (and is told, with the .ics).
    Returns the registration promoted, if any."""
    series = locked(registration.series)
    registration = locked(registration)
    if registration.status == Registration.Status.CANCELLED:
        return None
    had_seat = registration.status == Registration.Status.CONFIRMED
    with acting_as(by):
        registration.status = Registration.Status.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        record(action="practice.cancelled", instance=registration)
        promoted = _promote(series) if had_seat else None
    transaction.on_commit(lambda: emails.send_cancellation(registration))
    return promoted


def _promote(series: Series) -> Registration | None:
    if series.seats_left() <= 0:
        return None
    first = series.waiting().first()
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status", "updated_at"])
    record(action="practice.promoted", instance=first)
    transaction.on_commit(lambda: emails.send_registration(first, promoted=True))
    return first


@transaction.atomic
def set_capacity(*, series: Series, capacity: int, by: Any) -> list[Registration]:
    """More seats take people from the waiting list, in order; fewer never remove anyone."""
    series = locked(series)
    if capacity < 1:
        raise PracticeError(_("Prévoyez au moins une place."), field="capacity")
    promoted = []
    with acting_as(by):
        series.capacity = capacity
        series.save(update_fields=["capacity"])
        record(action="practice.capacity_changed", instance=series, changes={"capacity": capacity})
        while (first := _promote(series)) is not None:
            promoted.append(first)
    return promoted


@transaction.atomic
def set_registration_open(*, series: Series, open: bool, by: Any) -> Series:
    with acting_as(by):
        series.registration_open = open
        series.save(update_fields=["registration_open"])
        record(
            action="practice.registration_opened" if open else "practice.registration_closed",
            instance=series,
        )
    return series


# --- During and after a meeting -----------------------------------------------------------------


@transaction.atomic
def take_attendance(
    *, meeting: Meeting, present: list[Person], by: Any, notes: str | None = None
) -> int:
    """Who came, among the registered people, and the meeting's notes. Taken again (a late
    arrival), it replaces the earlier list. The first time, the satisfaction questionnaire goes
    to those present (after each meeting, or after the last one)."""
    meeting = locked(meeting)
    registered = {
        r.person_id: r.person for r in meeting.series.confirmed().select_related("person")
    }
    here = {p.pk for p in present}
    if here - set(registered):
        raise PracticeError(_("Seules les personnes inscrites peuvent être notées présentes."))
    first_time = meeting.attendance_taken_at is None
    recorder = _person(by)
    with acting_as(by):
        for person_id in registered:
            Attendance.objects.update_or_create(
                meeting=meeting,
                person_id=person_id,
                defaults={"present": person_id in here, "recorded_by": recorder},
            )
        meeting.attendance_taken_at = timezone.now()
        fields = ["attendance_taken_at"]
        if notes is not None:
            meeting.notes = notes.strip()
            fields.append("notes")
        meeting.save(update_fields=fields)
        record(
            action="practice.attendance_taken",
            instance=meeting,
            changes={"present": len(here), "registered": len(registered)},
        )
    series = meeting.series
    last = meeting.next() is None
    if first_time and (
        series.survey == Series.Survey.EACH or (series.survey == Series.Survey.END and last)
    ):
        people = [registered[pk] for pk in here]
        for_meeting = meeting if series.survey == Series.Survey.EACH else None
        transaction.on_commit(lambda: emails.send_survey(series, for_meeting, people))
    return len(here)


@transaction.atomic
def ask_question(*, meeting: Meeting, text: str, by: Any) -> Question:
    """A question left open: it shows on the next meetings' pages until answered."""
    text = text.strip()
    if not text:
        raise PracticeError(_("Écrivez la question."), field="text")
    question = Question(meeting=meeting, text=text, asked_by=_person(by))
    PracticeError.check(question)
    with acting_as(by):
        question.save()
        record(action="practice.question_asked", instance=question)
    return question


@transaction.atomic
def answer_question(*, question: Question, answer: str, in_meeting: Meeting, by: Any) -> Question:
    question = locked(question)
    answer = answer.strip()
    if not answer:
        raise PracticeError(_("Écrivez la réponse."), field="answer")
    if question.answered_at is not None:
        raise PracticeError(_("Cette question a déjà reçu une réponse."))
    with acting_as(by):
        question.answer = answer
        question.answered_in = in_meeting
        question.answered_at = timezone.now()
        question.save(update_fields=["answer", "answered_in", "answered_at"])
        record(action="practice.question_answered", instance=question)
    return question


@transaction.atomic
def give_feedback(
    *, series: Series, meeting: Meeting | None, person: Person, answers: dict[str, Any]
) -> Feedback:
    """Once per person (per meeting, or for the series): a second send keeps the first."""
    existing = Feedback.objects.filter(series=series, meeting=meeting, person=person).first()
    if existing is not None:
        raise PracticeError(_("Vous avez déjà répondu : merci !"))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                series=series, meeting=meeting, person=person, answers=answers
            )
    except IntegrityError:
        raise PracticeError(_("Vous avez déjà répondu : merci !")) from None
    record(action="practice.feedback_given", instance=feedback)
    return feedback

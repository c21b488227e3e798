"""Reads that span several models: a meeting's page, a series' results, a network's summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from maillage.reports.suppression import Cell, small_count

from . import survey
from .models import Attendance, Feedback, Meeting, Question, Registration, Series


def carried_questions(meeting: Meeting) -> list[Question]:
    """Questions of earlier meetings of the series still waiting for an answer."""
    return list(
        Question.objects.filter(
            meeting__series_id=meeting.series_id,
            meeting__number__lt=meeting.number,
            answered_at__isnull=True,
        ).select_related("meeting", "asked_by")
    )


def answered_here(meeting: Meeting) -> list[Question]:
    """Questions of earlier meetings answered at this one."""
    return list(meeting.answers.exclude(meeting=meeting).select_related("meeting", "asked_by"))


def registration_of(series: Series, person: Any) -> Registration | None:
    if person is None:
        return None
    return series.registrations.filter(person=person).first()


def attendance_rows(meeting: Meeting) -> list[tuple[Any, bool]]:
    """The registered people, and whether they were marked present (taken earlier)."""
    present = set(
        Attendance.objects.filter(meeting=meeting, present=True).values_list("person_id", flat=True)
    )
    registrations = (
        meeting.series.confirmed()
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )
    return [(r.person, r.person_id in present) for r in registrations]


def results(series: Series) -> list[survey.Result]:
    """Satisfaction by meeting (or for the series), each through the small-cell rule."""
    rows = []
    feedback = list(series.feedback.select_related("meeting"))
    if series.survey == Series.Survey.END:
        return [survey.result(_("Toute la série"), [f.answers for f in feedback])]
    for meeting in series.meetings.order_by("number"):
        answers = [f.answers for f in feedback if f.meeting_id == meeting.pk]
        if meeting.attendance_taken_at or answers:
            rows.append(survey.result(f"{meeting.number}. {meeting.theme}", answers))
    if len(rows) > 1:
        rows.append(survey.result(_("Toute la série"), [f.answers for f in feedback]))
    return rows


@dataclass(frozen=True)
class SeriesFigures:
    series: Series
    meetings: int
    held: int
    registered: Cell
    waiting: Cell
    attendance_rate: str  # « 75 % » or « x »
    satisfaction: survey.Result | None


def network_figures(series_list: list[Series]) -> list[SeriesFigures]:
    """What a funder may see of each series: counts of people through the small-cell rule."""
    rows = []
    counted = {
        s.pk: s
        for s in Series.objects.filter(pk__in=[s.pk for s in series_list]).annotate(
            n_meetings=Count("meetings", distinct=True),
            n_held=Count(
                "meetings", filter=Q(meetings__attendance_taken_at__isnull=False), distinct=True
            ),
            n_registered=Count(
                "registrations", filter=Q(registrations__status="confirmed"), distinct=True
            ),
            n_waiting=Count(
                "registrations", filter=Q(registrations__status="waiting"), distinct=True
            ),
        )
    }
    for series in series_list:
        s = counted[series.pk]
        marks = Attendance.objects.filter(meeting__series=series)
        total, present = marks.count(), marks.filter(present=True).count()
        if total and not small_count(present).suppressed:
            rate = f"{round(100 * present / total)}\u00a0%"
        else:
            rate = "x" if total else "—"
        answers = [f.answers for f in Feedback.objects.filter(series=series)]
        rows.append(
            SeriesFigures(
                series=series,
                meetings=s.n_meetings,
                held=s.n_held,
                registered=small_count(s.n_registered),
                waiting=small_count(s.n_waiting),
                attendance_rate=rate,
                satisfaction=survey.result(series.title, answers) if answers else None,
            )
        )
    return rows

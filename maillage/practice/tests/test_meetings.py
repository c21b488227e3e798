"""A series' meetings: monthly dates, attendance, open questions carried to the next meetings,
the satisfaction questionnaire after each meeting, results through the small-cell rule."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core import mail
from django.utils import timezone

from maillage.conftest import make_person
from maillage.practice import selectors, services
from maillage.practice.errors import PracticeError
from maillage.practice.models import Attendance, Feedback

pytestmark = pytest.mark.django_db


def test_a_series_gets_one_meeting_per_theme_a_month_apart(series):
    meetings = list(series.meetings.order_by("number"))
    assert len(meetings) == 7
    days = [timezone.localtime(m.starts_at).date() for m in meetings]
    assert days[:3] == [date(2026, 1, 14), date(2026, 2, 14), date(2026, 3, 14)]
    assert timezone.localtime(meetings[0].starts_at).time() == time(12, 0)
    assert len({m.uid for m in meetings}) == 7


def test_the_end_of_a_month_stays_in_its_month():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_a_series_needs_a_place_or_a_link(network, staff):
    with pytest.raises(PracticeError) as error:
        services.create_series(
            network=network,
            title="Sans lieu",
            first_day=date(2026, 1, 1),
            start_time=time(9),
            themes=["Un"],
            by=staff.user,
        )
    assert error.value.field == "online_url"


def test_a_facilitator_must_belong_to_the_network(network, staff, outsider):
    with pytest.raises(PracticeError):
        services.create_series(
            network=network,
            title="T",
            first_day=date(2026, 1, 1),
            start_time=time(9),
            themes=["Un"],
            place="Salle",
            facilitators=[outsider],
            by=staff.user,
        )


def test_an_open_question_shows_on_the_next_meetings_until_answered(series, facilitator):
    first, second, third = series.meetings.order_by("number")[:3]
    question = services.ask_question(
        meeting=first, text="Comment garder les mentor·es ?", by=facilitator.user
    )
    assert selectors.carried_questions(first) == []
    assert selectors.carried_questions(second) == [question]
    assert selectors.carried_questions(third) == [question]
    services.answer_question(
        question=question, answer="Les reconnaître.", in_meeting=second, by=facilitator.user
    )
    assert selectors.carried_questions(third) == []
    assert selectors.answered_here(second) == [question]
    with pytest.raises(PracticeError):
        services.answer_question(
            question=question, answer="Encore", in_meeting=third, by=facilitator.user
        )


def test_attendance_counts_registered_people_and_sends_the_questionnaire_once(
    series, member, member_b, facilitator, django_capture_on_commit_callbacks
):
    services.register(series=series, person=member, by=member.user)
    services.register(series=series, person=member_b, by=member_b.user)
    first = series.meetings.get(number=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = services.take_attendance(
            meeting=first, present=[member], notes="Tour de table.", by=facilitator.user
        )
    assert count == 1
    assert Attendance.objects.filter(meeting=first, present=True).get().person == member
    assert Attendance.objects.filter(meeting=first, present=False).get().person == member_b
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert f"/pratique/rencontres/{first.pk}/appreciation/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.take_attendance(meeting=first, present=[member, member_b], by=facilitator.user)
    assert mail.outbox == []  # corrected, not sent again
    first.refresh_from_db()
    assert first.notes == "Tour de table."


def test_only_registered_people_can_be_marked_present(series, facilitator, outsider):
    with pytest.raises(PracticeError):
        services.take_attendance(
            meeting=series.meetings.first(), present=[outsider], by=facilitator.user
        )


def test_feedback_is_kept_once(series, member):
    meeting = series.meetings.first()
    services.give_feedback(
        series=series, meeting=meeting, person=member, answers={"satisfaction": 5}
    )
    with pytest.raises(PracticeError):
        services.give_feedback(
            series=series, meeting=meeting, person=member, answers={"satisfaction": 1}
        )
    assert Feedback.objects.count() == 1


def test_results_hide_shares_under_ten_answers(series, member, org_a, facilitator):
    meeting = series.meetings.first()
    meeting.attendance_taken_at = timezone.now()
    meeting.save()
    people = [make_person(f"P{i}", "Membre", org=org_a) for i in range(10)]
    for person in people[:9]:
        services.give_feedback(
            series=series,
            meeting=meeting,
            person=person,
            answers={"satisfaction": 5, "would_recommend": "yes"},
        )
    row = selectors.results(series)[0]
    assert row.hidden and row.satisfied == "x"
    services.give_feedback(
        series=series,
        meeting=meeting,
        person=people[9],
        answers={"satisfaction": 2, "would_recommend": "no"},
    )
    row = selectors.results(series)[0]
    assert not row.hidden
    assert row.satisfied == "90\u00a0%" and row.recommend == "90\u00a0%"


def test_moving_a_meeting_sends_the_new_calendar(
    series, member, staff, django_capture_on_commit_callbacks
):
    services.register(series=series, person=member, by=member.user)
    meeting = series.meetings.get(number=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_meeting(
            meeting=meeting,
            by=staff.user,
            seen=meeting.revision,
            starts_at=meeting.starts_at + timezone.timedelta(days=1),
            duration_minutes=meeting.duration_minutes,
            theme=meeting.theme,
            online_url=meeting.online_url,
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert len(mail.outbox) == 1
    body = [a for a in mail.outbox[0].message().walk() if a.get_content_type() == "text/calendar"]
    assert "SEQUENCE:1" in body[0].get_payload(decode=True).decode()

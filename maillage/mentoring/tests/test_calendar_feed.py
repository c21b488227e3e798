from __future__ import annotations

from django.urls import reverse
from icalendar import Calendar

from maillage.conftest import login
from maillage.mentoring import services
from maillage.mentoring.models import Meeting

from .conftest import later


def test_the_feed_lists_the_persons_meetings_across_groups_without_login(
    client, group, mentor, mentee, other_member
):
    mine = services.schedule_meeting(
        group=group, by=mentor, starts_at=later(days=3), duration_minutes=60
    )
    other_group = other_member.roles.get().group_memberships.get().group
    services.schedule_meeting(
        group=other_group, by=None, starts_at=later(days=4), duration_minutes=60
    )
    feed = services.calendar_feed(person=mentee)
    response = client.get(reverse("mentoring:feed", args=[feed.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [mine.uid]


def test_a_wrong_token_is_a_404(client, group):
    assert client.get(reverse("mentoring:feed", args=["pas-le-bon"])).status_code == 404


def test_tokens_are_long_and_regenerating_revokes_the_old_one(client, mentee, group):
    feed = services.calendar_feed(person=mentee)
    assert len(feed.token) >= 40
    old = feed.token
    services.regenerate_calendar_token(person=mentee)
    assert client.get(reverse("mentoring:feed", args=[old])).status_code == 404
    fresh = services.calendar_feed(person=mentee).token
    assert fresh != old
    assert client.get(reverse("mentoring:feed", args=[fresh])).status_code == 200


def test_an_individual_meeting_of_someone_else_stays_out_of_the_feed(
    group, mentor, mentee, second_mentee
):
    services.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=later(days=2),
        duration_minutes=60,
        kind=Meeting.Kind.INDIVIDUAL,
        individual_with=group.members.get(role__person=mentee),
    )
    from maillage.mentoring import calendar

    assert b"VEVENT" not in calendar.feed(second_mentee)
    assert b"VEVENT" in calendar.feed(mentee)


def test_my_calendar_page_shows_the_address_and_regenerates(client, mentee):
    login(client, mentee)
    page = client.get(reverse("mentoring:my_calendar")).content.decode()
    token = services.calendar_feed(person=mentee).token
    assert token in page
    client.post(reverse("mentoring:my_calendar"))
    assert services.calendar_feed(person=mentee).token != token

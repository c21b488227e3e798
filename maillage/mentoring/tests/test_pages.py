"""The pages render for each kind of viewer and their forms do what they say."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring import services
from maillage.mentoring.models import Meeting, Need, TimeEntry, UpdateMessage

from .conftest import ago, later


def url(name, group, *args):
    return reverse(f"mentoring:{name}", args=[group.program_id, group.pk, *args])


@pytest.fixture
def busy_group(group, mentor, mentee, coordinator):
    services.schedule_kickoff(
        group=group, by=coordinator, starts_at=later(days=3), duration_minutes=90
    )
    held = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=10), duration_minutes=120
    )
    services.record_meeting(
        meeting=held, by=mentor, present=[mentor, mentee], notes="Secret du groupe"
    )
    plan = services.plan_for(member=group.members.get(role__person=mentee))
    services.add_need(plan=plan, by=mentee, text="Organiser le transport réfrigéré des denrées")
    services.post_update(group=group, author=mentee, text="Tout avance")
    return group


@pytest.mark.parametrize("who", ["coordinator", "mentor", "mentee", "observer"])
def test_every_page_renders_for_each_viewer(client, busy_group, who, request):
    person = request.getfixturevalue(who)
    login(client, person)
    meeting = busy_group.meetings.first()
    member = busy_group.members.get(role__person=request.getfixturevalue("mentee"))
    pages = [
        url("group", busy_group),
        url("agreement", busy_group),
        url("hours", busy_group),
        url("meeting", busy_group, meeting.pk),
        url("meeting_ics", busy_group, meeting.pk),
    ]
    if who != "observer":
        pages += [url("updates", busy_group), url("plan", busy_group, member.pk)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
    assert client.get(reverse("mentoring:groups", args=[busy_group.program_id])).status_code == 200


def test_my_groups_lists_mine_and_says_what_next_when_empty(client, group, mentee, coordinator):
    login(client, mentee)
    page = client.get(reverse("mentoring:mine")).content.decode()
    assert "Logistique" in page
    login(client, coordinator)
    page = client.get(reverse("mentoring:mine")).content.decode()
    assert "Vous ne faites partie d’aucun groupe" in page


def test_coordinator_schedules_the_kickoff_from_the_group_page(
    client, group, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    page = client.get(url("group", group)).content.decode()
    assert "Planifier la rencontre de démarrage" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("kickoff", group),
            {
                "mode": "online",
                "starts_at": later(days=5).strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "90",
                "location": "https://visio.example/abc",
                "agenda": "Tour de table",
            },
        )
    assert response.status_code == 302
    meeting = group.meetings.get()
    assert meeting.kind == Meeting.Kind.KICKOFF
    assert group.current_agreement().version == 1
    assert len(mailoutbox) == 3


def test_a_bad_meeting_form_keeps_the_values_and_says_why(client, group, mentor):
    login(client, mentor)
    response = client.post(
        url("meeting_add", group),
        {
            "kind": "individual",
            "mode": "online",
            "starts_at": "demain",
            "duration_minutes": "90",
            "agenda": "Mon ordre du jour",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mon ordre du jour" in page and "error-summary" in page
    assert "Choisissez la personne" in page


def test_mentor_logs_a_past_meeting_with_notes_and_time(client, group, mentor, mentee, mailoutbox):
    login(client, mentor)
    when = ago(days=2).strftime("%Y-%m-%dT%H:%M")
    client.post(
        url("meeting_add", group),
        {
            "kind": "collective",
            "mode": "in_person",
            "starts_at": when,
            "duration_minutes": "120",
        },
    )
    meeting = group.meetings.get()
    assert mailoutbox == []  # a meeting logged after the fact sends no invitation
    response = client.post(
        url("meeting", group, meeting.pk),
        {
            "present": [str(mentor.pk), str(mentee.pk)],
            "duration_minutes": "120",
            "log_time": "on",
            "notes": "On a revu le plan de tournée.",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.notes.get().text == "On a revu le plan de tournée."
    assert TimeEntry.objects.filter(meeting=meeting).count() == 2
    assert group.hours_used() == 2


def test_time_between_meetings_is_added_from_the_hours_page(client, group, mentor):
    login(client, mentor)
    response = client.post(
        url("hours", group),
        {
            "date": "2026-08-03",
            "hours": "1,5",
            "kind": "preparation",
            "note": "Gabarit",
        },
    )
    assert response.status_code == 302
    assert group.hours_used() == pytest.approx(1.5)
    page = client.get(url("hours", group)).content.decode()
    assert "<svg" in page and "Gabarit" in page


def test_need_decisions_and_order_through_the_plan_page(client, group, mentee):
    login(client, mentee)
    member = group.members.get(role__person=mentee)
    client.post(url("need_add", group, member.pk), {"text": "Transport réfrigéré"})
    client.post(url("need_add", group, member.pk), {"text": "Demandes de subvention"})
    first, second = Need.objects.order_by("priority")
    client.post(url("need_update", group, member.pk, second.pk), {"action": "up"})
    client.post(url("need_update", group, member.pk, second.pk), {"action": "outside"})
    second.refresh_from_db()
    assert second.priority == 0 and second.inside_expertise is False
    assert second.decided_by == mentee
    page = client.get(url("plan", group, member.pk)).content.decode()
    assert "(suggestion)" in page


def test_mentee_posts_an_update_and_answers_the_planned_content(client, group, mentor, mentee):
    services.post_update(group=group, author=mentor, text="Prochaine fois : la chaîne du froid")
    login(client, mentee)
    client.post(url("updates", group), {"text": "Le besoin de transport est réglé"})
    assert UpdateMessage.objects.filter(kind="mentee_update", author=mentee).exists()
    planned = UpdateMessage.objects.get(kind="mentor_next_meeting")
    client.post(url("update_reply", group, planned.pk), {"answer": "not_needed"})
    assert planned.replies.get().answer == "not_needed"


def test_a_finished_program_offers_no_new_meeting(client, group, coordinator):
    login(client, coordinator)
    add = url("meeting_add", group)
    assert add in client.get(url("group", group)).content.decode()
    group.program.status = "closed"
    group.program.save()
    body = client.get(url("group", group)).content.decode()
    assert add not in body
    assert "Ce programme est terminé" in body
    alerts = client.get(reverse("alerts:dashboard", args=[group.program_id])).content.decode()
    assert "ne sont plus recalculées" in alerts

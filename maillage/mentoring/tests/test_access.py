"""Every page of a group: 404 for an outsider (another program) and for a member of another
group of the same program, whatever the method."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring import services
from maillage.mentoring.models import Meeting

from .conftest import ago, later


@pytest.fixture
def urls(group, mentor, mentee, coordinator):
    services.generate_agreement(group=group, by=coordinator)
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=1), duration_minutes=60
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor], notes="n")
    member = group.members.get(role__person=mentee)
    plan = services.plan_for(member=member)
    need = services.add_need(plan=plan, by=mentee, text="Besoin")
    objective = services.add_objective(plan=plan, by=mentee, text="Objectif")
    step = services.add_step(objective=objective, by=mentee, text="Étape")
    update = services.post_update(group=group, author=mentor, text="Prévu")
    message = services.post_message(group=group, author=mentee, text="Bonjour")
    g = [group.program_id, group.pk]
    return [
        reverse("mentoring:group", args=g),
        reverse("mentoring:group_settings", args=g),
        reverse("mentoring:designation", args=[*g, member.pk]),
        reverse("mentoring:agreement", args=g),
        reverse("mentoring:agreement_accept", args=g),
        reverse("mentoring:agreement_record", args=g),
        reverse("mentoring:kickoff", args=g),
        reverse("mentoring:meeting_add", args=g),
        reverse("mentoring:meeting", args=[*g, meeting.pk]),
        reverse("mentoring:note_add", args=[*g, meeting.pk]),
        reverse("mentoring:meeting_reschedule", args=[*g, meeting.pk]),
        reverse("mentoring:meeting_cancel", args=[*g, meeting.pk]),
        reverse("mentoring:meeting_ics", args=[*g, meeting.pk]),
        reverse("mentoring:plan", args=[*g, member.pk]),
        reverse("mentoring:need_add", args=[*g, member.pk]),
        reverse("mentoring:need_update", args=[*g, member.pk, need.pk]),
        reverse("mentoring:objective_add", args=[*g, member.pk]),
        reverse("mentoring:objective_update", args=[*g, member.pk, objective.pk]),
        reverse("mentoring:step_update", args=[*g, member.pk, step.pk]),
        reverse("mentoring:hours", args=g),
        reverse("mentoring:updates", args=g),
        reverse("mentoring:update_reply", args=[*g, update.pk]),
        reverse("mentoring:messages", args=g),
        reverse("mentoring:message", args=[*g, message.pk]),
        reverse("mentoring:message_delete", args=[*g, message.pk]),
        reverse("mentoring:message_hide", args=[*g, message.pk]),
        reverse("mentoring:meetings_export", args=[*g, "csv"]),
        reverse("mentoring:plan_export", args=[*g, member.pk, "csv"]),
        reverse("mentoring:hours_export", args=[*g, "xlsx"]),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_member", "committee_member"])
def test_every_group_page_is_a_404_for_people_outside_the_group(client, urls, who, request):
    login(client, request.getfixturevalue(who))
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "version": "1", "action": "up"}).status_code == 404, (
            url
        )


def test_the_group_list_of_another_program_is_a_404(client, group, outsider):
    login(client, outsider)
    assert client.get(reverse("mentoring:groups", args=[group.program_id])).status_code == 404


def test_a_member_of_another_group_sees_only_their_own_in_the_list(client, group, other_member):
    login(client, other_member)
    page = client.get(reverse("mentoring:groups", args=[group.program_id])).content.decode()
    assert "Synergies" in page and "Logistique" not in page


def test_coordinator_only_pages_are_404_for_members(client, group, mentor):
    login(client, mentor)
    g = [group.program_id, group.pk]
    assert client.get(reverse("mentoring:group_settings", args=g)).status_code == 404
    assert client.get(reverse("mentoring:kickoff", args=g)).status_code == 404
    assert client.post(reverse("mentoring:agreement_record", args=g)).status_code == 404


def test_a_mentee_does_not_see_anothers_individual_meeting(
    client, group, mentor, mentee, second_mentee
):
    meeting = services.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=later(days=2),
        duration_minutes=60,
        kind=Meeting.Kind.INDIVIDUAL,
        individual_with=group.members.get(role__person=mentee),
    )
    login(client, second_mentee)
    url = reverse("mentoring:meeting", args=[group.program_id, group.pk, meeting.pk])
    assert client.get(url).status_code == 404
    login(client, mentee)
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, urls):
    response = client.get(urls[0])
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_the_walk_above_covers_every_group_route(urls):
    from django.urls import get_resolver, resolve

    walked = {resolve(url).url_name for url in urls}
    resolver = get_resolver().namespace_dict["mentoring"][1]
    group_routes = {p.name for p in resolver.url_patterns if "<int:group_pk>" in str(p.pattern)}
    assert group_routes == walked

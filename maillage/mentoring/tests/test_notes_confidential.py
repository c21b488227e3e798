"""Notes: the group and the coordinator; an observer only with the group's consent; nobody
else (another group of the same program, another program)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring import services

from .conftest import ago

SECRET = "Le financement de la banque alimentaire est fragile"


@pytest.fixture
def meeting(group, mentor, mentee):
    meeting = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=2), duration_minutes=120
    )
    services.record_meeting(meeting=meeting, by=mentor, present=[mentor, mentee], notes=SECRET)
    return meeting


def page(client, meeting):
    return client.get(
        reverse("mentoring:meeting", args=[meeting.group.program_id, meeting.group_id, meeting.pk])
    )


@pytest.mark.parametrize("who", ["mentor", "mentee", "second_mentee", "coordinator"])
def test_the_group_and_the_coordinator_read_the_notes(client, meeting, who, request):
    login(client, request.getfixturevalue(who))
    assert SECRET in page(client, meeting).content.decode()


def test_an_observer_without_the_groups_consent_does_not(client, meeting, observer):
    login(client, observer)
    response = page(client, meeting)
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "n’a pas accepté de personne observatrice" in response.content.decode()
    plan_member = meeting.group.members.filter(side="mentee").first()
    plan_url = reverse(
        "mentoring:plan", args=[meeting.group.program_id, meeting.group_id, plan_member.pk]
    )
    assert client.get(plan_url).status_code == 404
    updates_url = reverse("mentoring:updates", args=[meeting.group.program_id, meeting.group_id])
    assert client.get(updates_url).status_code == 404


def test_an_observer_with_the_groups_consent_does(client, meeting, observer):
    services.update_group_settings(
        group=meeting.group, hours_bank=meeting.group.hours_bank, observer_allowed=True
    )
    login(client, observer)
    assert SECRET in page(client, meeting).content.decode()


def test_an_observer_cannot_write_notes(client, meeting, observer):
    services.update_group_settings(
        group=meeting.group, hours_bank=meeting.group.hours_bank, observer_allowed=True
    )
    login(client, observer)
    url = reverse(
        "mentoring:note_add", args=[meeting.group.program_id, meeting.group_id, meeting.pk]
    )
    assert client.post(url, {"text": "Intrusion"}).status_code == 404


@pytest.mark.parametrize("who", ["other_member", "outsider", "committee_member"])
def test_others_get_404(client, meeting, who, request):
    login(client, request.getfixturevalue(who))
    assert page(client, meeting).status_code == 404


def test_notes_are_audited_without_their_text(meeting):
    import json

    from maillage.core.models import AuditEntry

    entries = list(AuditEntry.objects.values())
    assert any(
        "MeetingNote" in json.dumps(e, default=str) or "note" in json.dumps(e, default=str).lower()
        for e in entries
    )
    assert SECRET not in json.dumps(entries, default=str)

from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.evaluation.models import ObserverNote


def test_observer_writes_a_note_on_a_groups_meeting(client, observer, program_a, group):
    login(client, observer)
    url = reverse("evaluation:notes", args=[program_a.pk])
    response = client.post(
        url,
        {
            "group": group.pk,
            "meeting_ref": "Rencontre 3",
            "observed_on": "2026-09-15",
            "notes": "Bonne dynamique.",
        },
    )
    assert response.status_code == 302
    note = ObserverNote.objects.get()
    assert (note.group, note.observer, note.meeting_ref) == (group, observer, "Rencontre 3")
    assert "Bonne dynamique." in client.get(url).content.decode()


def test_a_note_without_text_says_why(client, observer, program_a):
    login(client, observer)
    response = client.post(
        reverse("evaluation:notes", args=[program_a.pk]),
        {"meeting_ref": "R1", "observed_on": "2026-09-15", "notes": ""},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert 'value="R1"' in response.content.decode()


def test_a_note_can_point_at_a_recorded_meeting(client, observer, program_a, group):
    from django.utils import timezone

    from maillage.mentoring.models import Meeting

    meeting = Meeting.objects.create(group=group, starts_at=timezone.now())
    login(client, observer)
    response = client.post(
        reverse("evaluation:notes", args=[program_a.pk]),
        {"meeting": meeting.pk, "observed_on": "2026-09-15", "notes": "Vu."},
    )
    assert response.status_code == 302
    note = ObserverNote.objects.get()
    assert (note.meeting, note.group) == (meeting, group)


def test_a_meeting_of_another_program_is_refused(observer, program_a, outsider):
    import pytest
    from django.utils import timezone

    from maillage.evaluation import services
    from maillage.evaluation.errors import EvaluationError
    from maillage.mentoring.models import Group, Meeting
    from maillage.programs.models import Program

    other = Group.objects.create(
        program=Program.objects.get(title="Programme B"),
        approved_at=timezone.now(),
        approved_by_name="Camille",
    )
    meeting = Meeting.objects.create(group=other, starts_at=timezone.now())
    with pytest.raises(EvaluationError):
        services.add_observer_note(
            program=program_a,
            observer=observer,
            meeting=meeting,
            observed_on=timezone.localdate(),
            notes="x",
        )

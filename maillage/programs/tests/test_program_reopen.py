"""« Rouvrir le programme », and the pages of a closed program: a banner says what is finished
and what can still be done, write buttons are gone, a write sent anyway becomes a message in
place (never a server error), and reopening brings everything back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.mentoring.services import create_group
from maillage.programs.models import Program, Role
from maillage.programs.services import close_program, reach_stage

pytestmark = pytest.mark.django_db

BANNER = "Ce programme est terminé"


@pytest.fixture
def group(program_a, mentor, mentee, coordinator):
    return create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
        name="Logistique",
    )


@pytest.fixture
def closed(program_a):
    reach_stage(program=program_a, stage=Program.Status.RUNNING)
    return close_program(program=program_a)


def test_coordinator_confirms_and_the_program_is_open_again(as_coordinator, closed):
    url = reverse("programs:reopen", args=[closed.pk])
    assert "Oui, rouvrir le programme" in as_coordinator.get(url).content.decode()
    page = as_coordinator.post(url, follow=True).content.decode()
    closed.refresh_from_db()
    # Back to the stage it had when it was closed.
    assert closed.status == Program.Status.RUNNING
    assert "Programme rouvert" in page and BANNER not in page
    entry = AuditEntry.objects.get(action="program.reopened", object_id=str(closed.pk))
    assert entry.changes == {"status": ["closed", "running"]}
    assert entry.actor is not None


def test_outsider_gets_404(as_outsider, closed):
    url = reverse("programs:reopen", args=[closed.pk])
    assert as_outsider.get(url).status_code == 404
    assert as_outsider.post(url).status_code == 404
    closed.refresh_from_db()
    assert closed.is_closed()


def test_a_mentor_gets_404_and_sees_no_reopen_button(client, mentor, group, closed):
    login(client, mentor)
    assert client.post(reverse("programs:reopen", args=[closed.pk])).status_code == 404
    page = client.get(reverse("mentoring:group", args=[closed.pk, group.pk])).content.decode()
    assert BANNER in page
    assert reverse("programs:reopen", args=[closed.pk]) not in page


def test_the_platform_administrator_can_reopen(client, closed, django_user_model):
    admin = django_user_model.objects.create_superuser("root@exemple.org", "root@exemple.org", "x")
    client.force_login(admin)
    client.post(reverse("programs:reopen", args=[closed.pk]))
    closed.refresh_from_db()
    assert not closed.is_closed()


def test_the_banner_says_what_can_still_be_done_and_offers_to_reopen(as_coordinator, closed):
    page = as_coordinator.get(reverse("programs:detail", args=[closed.pk])).content.decode()
    assert BANNER in page
    assert "rapport d’impact" in page
    assert reverse("programs:reopen", args=[closed.pk]) in page
    assert reverse("programs:close", args=[closed.pk]) not in page


def test_an_open_program_shows_no_banner(as_coordinator, program_a):
    page = as_coordinator.get(reverse("programs:detail", args=[program_a.pk])).content.decode()
    assert BANNER not in page


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("programs:people", "programs:team_create"),
        ("programs:people", "portability:import"),
        ("intake:potential_mentors", "intake:potential_mentor_add"),
        ("intake:forms", "intake:form_create"),
        ("selection:criteria", "selection:criterion_add"),
        ("matching:home", "matching:run"),
        ("evaluation:home", "evaluation:round_add"),
    ],
)
def test_a_closed_programs_pages_have_no_write_button(as_coordinator, closed, name, write):
    page = as_coordinator.get(reverse(name, args=[closed.pk])).content.decode()
    assert BANNER in page
    assert reverse(write, args=[closed.pk]) not in page


def test_a_closed_groups_pages_have_no_write_button(as_coordinator, group, closed):
    args = [closed.pk, group.pk]
    page = as_coordinator.get(reverse("mentoring:hours", args=args)).content.decode()
    assert "Ajouter le temps" not in page
    page = as_coordinator.get(reverse("mentoring:group", args=args)).content.decode()
    assert reverse("mentoring:meeting_add", args=args) not in page
    assert reverse("mentoring:kickoff", args=args) not in page
    page = as_coordinator.get(reverse("mentoring:group_settings", args=args)).content.decode()
    assert '<form method="post" novalidate>' not in page
    page = as_coordinator.get(reverse("tools:group", args=args)).content.decode()
    assert "Partager l’outil" not in page


def test_a_write_sent_anyway_keeps_what_was_entered_and_says_why(as_coordinator, group, closed):
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = as_coordinator.post(
        reverse("mentoring:meeting_add", args=[closed.pk, group.pk]),
        {
            "kind": "collective",
            "mode": "online",
            "starts_at": when,
            "duration_minutes": "90",
            "agenda": "Bilan de fin",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rouvrez-le" in page and "Bilan de fin" in page
    assert not group.meetings.exists()


def test_a_write_a_view_catches_becomes_a_message(as_coordinator, closed):
    response = as_coordinator.post(
        reverse("programs:track_add", args=[closed.pk]), {"name": "Volet tardif"}, follow=True
    )
    assert response.status_code == 200
    assert "Rouvrez-le" in response.content.decode()
    assert not closed.tracks.filter(name="Volet tardif").exists()


def test_reading_and_downloads_stay_open(as_coordinator, group, closed):
    for url in (
        reverse("mentoring:groups_export", args=[closed.pk, "csv"]),
        reverse("portability:export", args=[closed.pk, "people", "csv"]),
        reverse("reports:report", args=[closed.pk]),
        reverse("evaluation:home", args=[closed.pk]),
    ):
        assert as_coordinator.get(url).status_code == 200, url


def test_readers_roles_can_still_be_given(as_coordinator, closed):
    form = as_coordinator.get(reverse("programs:people", args=[closed.pk])).context["form"]
    kinds = {value for value, _label in form.fields["kind"].choices}
    assert Role.Kind.FUNDER in kinds and Role.Kind.OBSERVER in kinds
    assert Role.Kind.MENTEE not in kinds

"""The cached rows of the follow-up dashboard and of the groups list (core.fragments, issue 14).

A row is rendered once per group revision: every kind of change a row shows must give the group
a new revision, so that the very next page shows it; a row is never served to a reader of
another class; and a second visit costs fewer queries than the first.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.alerts.models import Alert
from maillage.alerts.services import run_daily
from maillage.conftest import login
from maillage.core.audit import record_bulk
from maillage.core.fragments import fragment_cache
from maillage.core.models import Person
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import Group, Meeting
from maillage.programs.models import Track
from maillage.tests.test_page_queries import build_groups


@pytest.fixture
def groups(program_a, coordinator):
    built = build_groups(program_a, coordinator, 3)
    run_daily(force=True)
    return built


def pages(program):
    return [
        reverse("alerts:dashboard", args=[program.pk]),
        reverse("mentoring:groups", args=[program.pk]),
    ]


def seen(client, program) -> list[str]:
    return [client.get(url).content.decode() for url in pages(program)]


def revision(group: Group) -> int:
    return Group.objects.values_list("content_revision", flat=True).get(pk=group.pk)


def test_a_renamed_person_shows_at_once_on_both_pages(client, program_a, coordinator, groups):
    login(client, coordinator)
    assert all("Mentor0 Groupe0" in page for page in seen(client, program_a))
    person = Person.objects.get(first_name="Mentor0")
    person.first_name = "Renommé"
    person.save()
    for page in seen(client, program_a):
        assert "Renommé Groupe0" in page and "Mentor0 Groupe0" not in page


def test_an_erased_person_leaves_the_rows_at_once(client, program_a, coordinator, groups):
    """A bulk write (no model signal) is heard through its audit entry: privacy first."""
    login(client, coordinator)
    seen(client, program_a)
    person = Person.objects.get(first_name="Mentee1x0")
    Person.objects.filter(pk=person.pk).update(first_name="Anonyme", last_name="Personne")
    record_bulk(action="retention.anonymized", model=Person, ids=[person.pk], by=None)
    for page in seen(client, program_a):
        assert "Mentee1x0" not in page and "Anonyme Personne" in page


def test_a_meeting_held_shows_at_once(client, program_a, coordinator, groups):
    login(client, coordinator)
    before = seen(client, program_a)
    group = groups[0]
    old = revision(group)
    mentor = group.members.get(side="mentor").role.person
    meeting = mentoring.schedule_meeting(
        group=group,
        by=coordinator,
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=60,
        kind=Meeting.Kind.COLLECTIVE,
    )
    mentoring.record_meeting(meeting=meeting, by=mentor, present=[mentor], notes="Bien.")
    assert revision(group) != old
    after = seen(client, program_a)
    assert "2 rencontres tenues" in after[0] and "2 rencontres tenues" not in before[0]
    assert after[1] != before[1]


def test_a_renamed_track_and_a_designation_show_at_once(client, program_a, coordinator, groups):
    login(client, coordinator)
    seen(client, program_a)
    group = groups[0]
    track = Track.objects.create(program=program_a, name="Volet export")
    Group.objects.filter(pk=group.pk).update(track=track)  # set up below, then renamed
    mentoring.set_designation(
        member=group.members.filter(side="mentee").first(), is_designated=False
    )
    dashboard, listing = seen(client, program_a)
    assert "personne désignée absente" in dashboard
    assert "Personne désignée à confirmer" in listing
    track.name = "Volet international"
    track.save()
    assert "Volet international" in seen(client, program_a)[0]


def test_an_alert_resolved_in_bulk_leaves_the_dashboard(client, program_a, coordinator, groups):
    login(client, coordinator)
    group = groups[0]
    alert = Alert.objects.create(
        program=program_a,
        group=group,
        kind="inactive",
        severity="warning",
        evidence={},
        first_seen_on=timezone.localdate(),
        last_seen_on=timezone.localdate(),
    )
    assert f'data-kind="{alert.kind}"' in seen(client, program_a)[0]
    Alert.objects.filter(pk=alert.pk).update(resolved_at=timezone.now())
    record_bulk(action="bulk_update", model=Alert, ids=[alert.pk], by=None)
    page = client.get(reverse("alerts:dashboard", args=[program_a.pk])).content.decode()
    section = page.split(f'id="groupe-{group.pk}"')[1].split("</section>")[0]
    assert 'data-kind="inactive"' not in section


def test_a_mentee_gets_only_their_row_after_the_coordinator_filled_the_cache(
    client, program_a, coordinator, groups
):
    login(client, coordinator)
    listing = seen(client, program_a)[1]
    assert all(f"Groupe {i}" in listing for i in range(3))
    mentee = groups[1].members.filter(side="mentee").first().role.person
    login(client, mentee)
    page = client.get(reverse("mentoring:groups", args=[program_a.pk])).content.decode()
    assert "Groupe 1" in page and "Groupe 0" not in page and "Groupe 2" not in page
    # and the coordination's own page stays closed to the mentee
    assert client.get(pages(program_a)[0]).status_code == 404


def test_rows_are_kept_per_reader_class_and_language(client, program_a, coordinator, groups):
    login(client, coordinator)
    seen(client, program_a)
    kept = len(fragment_cache()._cache)  # locmem in tests
    client.cookies["django_language"] = "en"
    client.get(pages(program_a)[1], HTTP_ACCEPT_LANGUAGE="en")
    mentee = groups[0].members.filter(side="mentee").first().role.person
    login(client, mentee)
    client.get(pages(program_a)[1])
    assert len(fragment_cache()._cache) > kept  # new keys, not the coordinator's French rows


@pytest.mark.parametrize("page", [0, 1])
def test_the_second_visit_costs_fewer_queries(client, program_a, coordinator, groups, page):
    login(client, coordinator)
    url = pages(program_a)[page]
    client.get(url)  # a first visit may write (a read marker)
    fragment_cache().clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm) < len(cold), (len(cold), len(warm))

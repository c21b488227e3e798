"""The group page's body, cached per group revision and reader (selectors.group_page_body).

Never a body to someone who may not read it: each test first fills the cache as one reader,
then reads as another. A change shows at once: each kind of change the body shows is made
after a first visit, and the next visit must show it. And a second visit costs fewer queries.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.fragments import fragment_cache
from maillage.core.models import Person
from maillage.mentoring import services
from maillage.mentoring.models import Meeting, TimeEntry
from maillage.programs.models import Program

from .conftest import ago, later

pytestmark = pytest.mark.django_db

PLANS = "Plans d’action"
FOLLOW_UP = "Messages de suivi"
KICKOFF = "Planifier la rencontre de démarrage"


def page(client, group) -> str:
    response = client.get(reverse("mentoring:group", args=[group.program_id, group.pk]))
    assert response.status_code == 200
    return response.content.decode()


def member(group, person):
    return group.members.get(role__person=person)


@pytest.fixture
def busy(group, mentor, mentee, coordinator):
    services.schedule_kickoff(
        group=group, by=coordinator, starts_at=later(days=3), duration_minutes=90
    )
    held = services.schedule_meeting(
        group=group, by=mentor, starts_at=ago(days=10), duration_minutes=120
    )
    services.record_meeting(meeting=held, by=mentor, present=[mentor, mentee], notes="Bien.")
    plan = services.plan_for(member=member(group, mentee))
    services.add_need(plan=plan, by=mentee, text="Organiser le transport réfrigéré")
    services.post_update(group=group, author=mentee, text="Tout avance bien")
    return group


# Never to someone who may not read it ---------------------------------------------------------


def test_an_observer_without_the_groups_consent_gets_no_plans_after_the_coordinator(
    client, busy, coordinator, observer
):
    login(client, coordinator)
    filled = page(client, busy)
    assert PLANS in filled and "Tout avance bien" in filled
    login(client, observer)
    seen = page(client, busy)
    assert PLANS not in seen and "Tout avance bien" not in seen and FOLLOW_UP not in seen
    assert "Membres" in seen  # the page itself, without the confidential parts
    # The group agrees: the observer reads them from the next page on.
    services.update_group_settings(group=busy, hours_bank=busy.hours_bank, observer_allowed=True)
    assert "Tout avance bien" in page(client, busy)
    # and stops reading them as soon as the group withdraws its consent
    services.update_group_settings(group=busy, hours_bank=busy.hours_bank, observer_allowed=False)
    assert "Tout avance bien" not in page(client, busy)


def test_a_mentee_never_sees_another_mentees_individual_meeting(
    client, busy, coordinator, mentee, second_mentee
):
    when = later(days=20).replace(hour=14, minute=35)
    services.schedule_meeting(
        group=busy,
        by=coordinator,
        starts_at=when,
        duration_minutes=45,
        kind=Meeting.Kind.INDIVIDUAL,
        individual_with=member(busy, second_mentee),
    )
    marker = f"({second_mentee.full_name})"
    login(client, second_mentee)
    assert marker in page(client, busy)
    login(client, coordinator)
    assert marker in page(client, busy)
    login(client, mentee)
    assert marker not in page(client, busy)


def test_the_coordinations_panel_is_not_served_to_the_group(client, group, coordinator, mentee):
    login(client, coordinator)
    assert KICKOFF in page(client, group)
    login(client, mentee)
    assert KICKOFF not in page(client, group)


def test_each_member_reads_their_own_acceptance(client, busy, mentor, mentee, second_mentee):
    agreement = busy.current_agreement()
    services.accept_agreement(group=busy, person=mentee, version=agreement.version)
    invite = "acceptez-la en un clic"
    login(client, mentee)
    assert invite not in page(client, busy)
    login(client, second_mentee)
    assert invite in page(client, busy)
    login(client, mentor)
    assert invite in page(client, busy)


def test_a_closed_program_offers_no_meeting_to_plan(client, busy, coordinator):
    login(client, coordinator)
    assert "Planifier ou consigner une rencontre" in page(client, busy)
    Program.objects.filter(pk=busy.program_id).update(status=Program.Status.CLOSED)
    seen = page(client, busy)
    assert "Planifier ou consigner une rencontre" not in seen
    assert "Ce programme est terminé" in seen


# A change shows at once ------------------------------------------------------------------------


@pytest.fixture
def warm(client, busy, coordinator):
    login(client, coordinator)
    page(client, busy)
    return busy


def test_a_meeting_planned_shows_at_once(client, warm, coordinator):
    services.schedule_meeting(
        group=warm,
        by=coordinator,
        starts_at=later(days=40).replace(hour=9, minute=5),
        duration_minutes=60,
        mode=Meeting.Mode.IN_PERSON,
    )
    assert "En personne (visite)" in page(client, warm)


def test_a_renamed_member_shows_at_once(client, warm, mentee):
    Person.objects.filter(pk=mentee.pk).update(first_name="Renommée")  # no signal…
    assert "Renommée" not in page(client, warm)  # …so the cached body, as expected
    mentee.refresh_from_db()
    mentee.save()  # a save through the model (services, admin, imports) is heard
    assert "Renommée" in page(client, warm)


def test_a_need_added_to_a_plan_shows_at_once(client, warm, mentee):
    assert "1 besoin à travailler" in page(client, warm)
    plan = services.plan_for(member=member(warm, mentee))
    services.add_need(plan=plan, by=mentee, text="Trouver un entrepôt")
    assert "2 besoins à travailler" in page(client, warm)


def test_a_follow_up_message_shows_at_once(client, warm, mentee):
    services.post_update(group=warm, author=mentee, text="Le camion est loué")
    assert "Le camion est loué" in page(client, warm)


def test_an_acceptance_shows_at_once(client, warm, mentee):
    before = page(client, warm)
    services.accept_agreement(group=warm, person=mentee, version=warm.current_agreement().version)
    after = page(client, warm)
    assert after != before
    missing = after.split("Il manque :")[1].split("</p>")[0]
    assert mentee.full_name not in missing


def test_time_logged_shows_in_the_bank_at_once(client, warm, mentor):
    before = page(client, warm)
    services.log_time(
        group=warm,
        person=mentor,
        on=timezone.localdate() - timedelta(days=1),
        minutes=600,
        kind=TimeEntry.Kind.PREPARATION,
    )
    assert page(client, warm) != before


def test_the_programs_rhythm_shows_at_once(client, group, coordinator):
    login(client, coordinator)
    page(client, group)
    program = group.program
    program.meeting_every_min_weeks, program.meeting_every_max_weeks = 7, 9
    program.save()
    assert "toutes les 7 à 9 semaines" in page(client, group)


def test_the_hours_bank_changed_in_the_settings_shows_at_once(client, warm):
    services.update_group_settings(
        group=warm, hours_bank=Decimal("99"), observer_allowed=warm.observer_allowed
    )
    assert "99,0&nbsp;h" in page(client, warm)


def test_a_meeting_whose_start_has_passed_moves_to_the_past(client, warm, monkeypatch):
    kickoff = warm.meetings.get(kind=Meeting.Kind.KICKOFF)
    assert "à consigner" not in page(client, warm)
    after_it = kickoff.starts_at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: after_it)
    assert "à consigner" in page(client, warm)


# Cheaper the second time -----------------------------------------------------------------------


def test_the_second_visit_costs_fewer_queries_and_the_same_page(client, warm):
    url = reverse("mentoring:group", args=[warm.program_id, warm.pk])
    fragment_cache().clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as hot:
        second = client.get(url).content.decode()
    assert len(hot) <= len(cold) - 8, (len(cold), len(hot))
    # The same body (the head differs: each page has its own masked CSRF token).
    assert first.split("<h1>", 1)[1] == second.split("<h1>", 1)[1]


def test_the_page_renders_when_the_shared_cache_is_out_of_reach(client, warm, settings):
    pytest.importorskip("redis")
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    assert "Tout avance bien" in page(client, warm)

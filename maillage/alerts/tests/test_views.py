"""Follow-up pages: the dashboard and the health check are the coordination's; everyone else
gets 404. Each person sets their own mutes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from maillage.alerts.models import Alert, Kind
from maillage.conftest import login
from maillage.core.models import ReminderMute
from maillage.mentoring.models import Group

from .conftest import APPROVED, held

pytestmark = pytest.mark.django_db


def urls(program, group):
    return [
        reverse("alerts:dashboard", args=[program.pk]),
        reverse("alerts:health", args=[program.pk]),
    ]


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee", "committee_member"])
def test_others_get_404_on_dashboard_and_health(client, request, program_a, group, who):
    login(client, request.getfixturevalue(who))
    for url in urls(program_a, group):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee"])
def test_others_get_404_on_close_group_whatever_the_method(client, request, program_a, group, who):
    login(client, request.getfixturevalue(who))
    url = reverse("alerts:close_group", args=[program_a.pk, group.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE


def test_anonymous_is_sent_to_login(client, program_a, group):
    for url in [*urls(program_a, group), reverse("alerts:preferences")]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/comptes/login/" in response["Location"]


def test_dashboard_shows_hours_meetings_and_alerts(as_coordinator, program_a, group, compute):
    held(group, APPROVED + timedelta(days=30), minutes=150)
    compute(program_a, APPROVED + timedelta(days=29))  # slow start on that day
    page = as_coordinator.get(reverse("alerts:dashboard", args=[program_a.pk])).content.decode()
    assert "Groupe test" in page
    assert "2,5 h sur 20,0 h" in page
    assert "17,5 h" in page
    assert "Démarrage lent" in page
    assert "29 jours sans première rencontre" in page
    assert reverse("mentoring:kickoff", args=[program_a.pk, group.pk]) in page


def test_close_group_after_90_days_without_activity(as_coordinator, program_a, group, compute):
    held(group, date(2026, 7, 10))
    compute(program_a, date(2026, 10, 9))
    alert = Alert.objects.get(kind=Kind.INACTIVE)
    assert alert.evidence["stage"] == "close"
    page = as_coordinator.get(reverse("alerts:dashboard", args=[program_a.pk])).content.decode()
    assert "Terminer ce groupe inactif" in page
    url = reverse("alerts:close_group", args=[program_a.pk, group.pk])
    response = as_coordinator.post(url)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Group.Status.CLOSED
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_an_active_group_is_not_closed(as_coordinator, program_a, group):
    from django.utils import timezone

    held(group, timezone.localdate() - timedelta(days=3))
    response = as_coordinator.post(
        reverse("alerts:close_group", args=[program_a.pk, group.pk]), follow=True
    )
    assert "pas inactif" in response.content.decode()
    group.refresh_from_db()
    assert group.status == Group.Status.ACTIVE


def test_a_group_of_another_program_is_404(as_outsider, outsider, program_a, group):
    other = outsider.roles.get().program
    url = reverse("alerts:close_group", args=[other.pk, group.pk])
    assert as_outsider.post(url).status_code == 404


def test_health_page_groups_checks_by_step(as_coordinator, program_a):
    page = as_coordinator.get(reverse("alerts:health", args=[program_a.pk])).content.decode()
    assert "Santé du programme" in page
    assert "Paramètres du programme" in page
    assert "Tableau 4" in page
    assert 'data-check="compensation"' in page


def test_preferences_save_the_mutes(client, mentee):
    login(client, mentee)
    url = reverse("alerts:preferences")
    assert client.get(url).status_code == 200
    response = client.post(url, {"muted": [Kind.UPDATE_OVERDUE, Kind.INACTIVE]})
    assert response.status_code == 302
    assert set(ReminderMute.objects.filter(person=mentee).values_list("kind", flat=True)) == {
        Kind.UPDATE_OVERDUE,
        Kind.INACTIVE,
    }
    page = client.get(url).content.decode()
    assert page.count(" checked") == 2


def test_preferences_refuse_an_unknown_kind_and_keep_the_form(client, mentee):
    login(client, mentee)
    response = client.post(reverse("alerts:preferences"), {"muted": ["nope"]})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ReminderMute.objects.exists()


def test_coordinator_nav_links(as_coordinator, program_a):
    page = as_coordinator.get(reverse("alerts:health", args=[program_a.pk])).content.decode()
    assert reverse("alerts:dashboard", args=[program_a.pk]) in page

"""A program entered after the fact: the coordinator dates what happened (the approval)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.mentoring import services
from maillage.mentoring.errors import MentoringError

pytestmark = pytest.mark.django_db
PAST = date(2026, 7, 3)


def settings_url(group):
    return reverse("mentoring:group_settings", args=[group.program.pk, group.pk])


def test_the_coordinator_dates_the_approval_and_the_trail_keeps_it(as_coordinator, group):
    response = as_coordinator.post(
        settings_url(group),
        {"hours_bank": "20", "approved_on": PAST.isoformat()},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert timezone.localdate(group.approved_at) == PAST
    entry = AuditEntry.objects.get(
        model="mentoring.Group", object_id=str(group.pk), action=AuditEntry.Action.UPDATE
    )
    assert entry.changes["approved_at"][1].startswith("2026-07-03")


def test_a_future_approval_date_is_refused_and_nothing_is_lost(as_coordinator, group):
    future = timezone.localdate() + timedelta(days=3)
    response = as_coordinator.post(
        settings_url(group), {"hours_bank": "17", "approved_on": future.isoformat()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "dans le futur" in page
    assert 'value="17"' in page
    group.refresh_from_db()
    assert timezone.localdate(group.approved_at) == timezone.localdate()


def test_an_empty_date_keeps_the_approval(as_coordinator, group):
    before = group.approved_at
    as_coordinator.post(settings_url(group), {"hours_bank": "20"})
    group.refresh_from_db()
    assert group.approved_at == before


def test_the_service_refuses_a_future_day(group):
    with pytest.raises(MentoringError):
        services.update_group_settings(
            group=group,
            hours_bank=group.hours_bank,
            observer_allowed=False,
            approved_on=timezone.localdate() + timedelta(days=1),
        )


def test_the_outsider_cannot_date_the_approval(as_outsider, group):
    response = as_outsider.post(
        settings_url(group), {"hours_bank": "20", "approved_on": "2026-07-03"}
    )
    assert response.status_code == 404
    group.refresh_from_db()
    assert timezone.localdate(group.approved_at) == timezone.localdate()


# --- Needs noted earlier ---------------------------------------------------------------------


def need_url(group, member):
    return reverse("mentoring:need_add", args=[group.program.pk, group.pk, member.pk])


def dated_group(group):
    services.update_group_settings(
        group=group, hours_bank=group.hours_bank, observer_allowed=False, approved_on=PAST
    )
    group.refresh_from_db()
    return group


def test_a_need_noted_at_the_kickoff_keeps_its_day_and_the_trail_says_it(client, group, mentee):
    from maillage.mentoring.models import Need

    dated_group(group)
    member = group.members.get(role__person=mentee)
    client.force_login(mentee.user)
    response = client.post(
        need_url(group, member), {"text": "Transport réfrigéré", "noted_on": "2026-07-10"}
    )
    assert response.status_code == 302
    need = Need.objects.get()
    assert timezone.localdate(need.created_at) == date(2026, 7, 10)
    entry = AuditEntry.objects.get(model="mentoring.Need", object_id=str(need.pk))
    assert entry.changes["created_at"].startswith("2026-07-10")
    assert entry.changes["text"] == "•••"


def test_a_need_dated_before_the_approval_is_refused_and_its_text_kept(client, group, mentee):
    from maillage.mentoring.models import Need

    dated_group(group)
    member = group.members.get(role__person=mentee)
    client.force_login(mentee.user)
    response = client.post(
        need_url(group, member), {"text": "Transport réfrigéré", "noted_on": "2026-06-01"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "avant l’approbation du groupe" in page
    assert "Transport réfrigéré" in page
    assert not Need.objects.exists()


def test_a_need_in_the_future_is_refused(client, group, mentee):
    member = group.members.get(role__person=mentee)
    client.force_login(mentee.user)
    future = timezone.localdate() + timedelta(days=1)
    response = client.post(
        need_url(group, member), {"text": "Besoin", "noted_on": future.isoformat()}
    )
    assert response.status_code == 200
    assert "dans le futur" in response.content.decode()


def test_the_outsider_cannot_add_a_dated_need(as_outsider, group, mentee):
    from maillage.mentoring.models import Need

    member = group.members.get(role__person=mentee)
    response = as_outsider.post(need_url(group, member), {"text": "x", "noted_on": "2026-07-10"})
    assert response.status_code == 404
    assert not Need.objects.exists()

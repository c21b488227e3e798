"""A program entered after the fact: the coordinator dates what happened (the approval)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.alerts.checks import no_designated
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


def test_no_designated_mentee_fires_for_a_past_period(group, second_mentee):
    member = group.members.get(role__person=second_mentee)
    services.set_designation(member=member, is_designated=False, note="Poste à combler")
    services.update_group_settings(
        group=group, hours_bank=group.hours_bank, observer_allowed=False, approved_on=PAST
    )
    group.refresh_from_db()
    findings = no_designated(group, PAST + timedelta(days=10), [])
    assert [f.evidence["member_id"] for f in findings] == [member.pk]
    assert findings[0].evidence["approved_on"] == PAST.isoformat()

"""A decision taken earlier is dated the day it was taken (a program entered after the fact),
without breaking the notice: a changed decision stays after the last notice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.selection.errors import SelectionError
from maillage.selection.models import Decision
from maillage.selection.services import decide_application

pytestmark = pytest.mark.django_db
PAST = date(2026, 6, 10)


def decide_url(application):
    return reverse("selection:decide", args=[application.program_id, application.pk])


def test_the_coordinator_dates_a_past_decision_and_the_trail_keeps_it(as_coordinator, application):
    response = as_coordinator.post(
        decide_url(application),
        {
            "decision-outcome": "declined",
            "decision-reason": "Hors territoire",
            "decision-decided_on": PAST.isoformat(),
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert timezone.localdate(decision.decided_at) == PAST
    entry = AuditEntry.objects.get(model="selection.Decision", object_id=str(decision.pk))
    assert entry.changes["decided_at"].startswith("2026-06-10")
    assert decision.needs_notice()


def test_a_future_date_is_refused_and_the_reason_is_kept(as_coordinator, application):
    future = timezone.localdate() + timedelta(days=1)
    response = as_coordinator.post(
        decide_url(application),
        {
            "decision-outcome": "declined",
            "decision-reason": "Hors territoire",
            "decision-decided_on": future.isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "dans le futur" in html and "Hors territoire" in html
    assert not Decision.objects.exists()


def test_an_empty_date_keeps_an_unchanged_decision_dated(application, coordinator):
    decide_application(
        application=application, outcome="declined", reason="R", by=None, decided_on=PAST
    )
    decide_application(application=application, outcome="declined", reason="R", by=None)
    assert timezone.localdate(Decision.objects.get().decided_at) == PAST


def test_a_change_dated_before_the_last_notice_is_refused(application):
    decision = decide_application(
        application=application, outcome="declined", reason="R", by=None, decided_on=PAST
    )
    Decision.objects.filter(pk=decision.pk).update(
        notified_at=timezone.make_aware(timezone.datetime(2026, 6, 20, 10)),
        notified_outcome="declined",
    )
    with pytest.raises(SelectionError, match="avisée"):
        decide_application(
            application=application,
            outcome="waitlisted",
            reason="R",
            by=None,
            decided_on=date(2026, 6, 15),
        )
    changed = decide_application(
        application=application,
        outcome="waitlisted",
        reason="R",
        by=None,
        decided_on=date(2026, 6, 20),
    )
    assert changed.needs_notice()


def test_the_outsider_cannot_decide(as_outsider, application):
    response = as_outsider.post(
        decide_url(application),
        {
            "decision-outcome": "declined",
            "decision-reason": "R",
            "decision-decided_on": "2026-06-10",
        },
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()

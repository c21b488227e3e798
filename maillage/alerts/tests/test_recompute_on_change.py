"""A change in a group brings its alerts up to date at once (group_changed → a background
recompute of that group), not at the next daily run. The day is today's: the group was approved
on 2 July 2026, long enough ago for a slow start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.alerts.models import Alert, Kind
from maillage.alerts.services import compute_alerts
from maillage.mentoring import services as mentoring

from .conftest import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Run the callbacks the change queued, as after a real commit (the recompute task)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def open_alerts(kind: str):
    return Alert.objects.filter(kind=kind, resolved_at__isnull=True)


def test_recording_a_past_meeting_resolves_the_slow_start_at_once(
    after_commit, group, program_a, mentor, mentee
):
    with after_commit():
        compute_alerts(program=program_a)
    assert open_alerts(Kind.SLOW_START).count() == 1
    sent = len(mail.outbox)
    meeting = mentoring.schedule_meeting(
        group=group,
        by=mentor,
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=60,
    )
    with after_commit():
        mentoring.record_meeting(meeting=meeting, by=mentor, present=[mentor, mentee])
    assert open_alerts(Kind.SLOW_START).count() == 0
    assert Alert.objects.get(kind=Kind.SLOW_START).resolved_at is not None
    # The alerts still true are not e-mailed a second time.
    assert len(mail.outbox) == sent


def test_a_designation_withdrawn_then_given_raises_then_resolves_its_alert(
    after_commit, group, mentee
):
    with after_commit():
        mentoring.set_designation(
            member=member(group, mentee), is_designated=False, note="embauche en cours"
        )
    alert = open_alerts(Kind.NO_DESIGNATED).get()
    assert alert.evidence["member_id"] == member(group, mentee).pk
    with after_commit():
        mentoring.set_designation(member=member(group, mentee), is_designated=True)
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_needs_marked_outside_the_expertise_raise_the_drift_alert(after_commit, group, mentee):
    plan = mentoring.plan_for(member=member(group, mentee))
    texts = ["Refaire notre site Web transactionnel", "Préparer notre demande au fédéral"]
    with after_commit():
        for text in texts:
            need = mentoring.add_need(plan=plan, by=mentee, text=text)
            mentoring.decide_need(need=need, by=mentee, inside=False)
    drift = open_alerts(Kind.NEEDS_DRIFT).get()
    assert drift.group == group
    assert len(drift.evidence["outside"]) == 2


def test_a_change_in_one_group_leaves_the_programs_other_alerts_alone(
    after_commit, group, program_a, mentor
):
    other = Alert.objects.create(
        program=program_a,
        kind=Kind.SLOW_START,
        cause_key="group:elsewhere:slow-start",
        first_seen_on=timezone.localdate(),
        last_seen_on=timezone.localdate(),
    )
    with after_commit():
        mentoring.log_time(
            group=group, person=mentor, on=timezone.localdate(), minutes=30, kind="preparation"
        )
    other.refresh_from_db()
    assert other.resolved_at is None

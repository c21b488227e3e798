"""A past program entered after the fact: the group is created today, then the coordinator
dates its approval; the health check and the alerts read the dates given."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from maillage.alerts import health
from maillage.alerts.models import Alert, Kind
from maillage.alerts.services import compute_alerts
from maillage.mentoring.services import create_group, set_designation, update_group_settings
from maillage.programs.models import Role

from .conftest import held

pytestmark = pytest.mark.django_db
APPROVED = date(2026, 7, 6)


@pytest.fixture
def entered_today(program_a, coordinator, mentor, mentee, second_mentee):
    roles = {
        r.person_id: r
        for r in program_a.roles.filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE])
    }
    group = create_group(
        program=program_a,
        mentor_roles=[roles[mentor.pk]],
        mentee_roles=[roles[mentee.pk], roles[second_mentee.pk]],
        approved_by=coordinator.user,
        name="Saisi après coup",
    )
    return group


def test_no_designated_fires_for_the_period_once_the_approval_is_dated(
    entered_today, second_mentee
):
    group = entered_today
    member = group.members.get(role__person=second_mentee)
    set_designation(member=member, is_designated=False, note="Poste à combler")
    day = APPROVED + timedelta(days=10)
    compute_alerts(program=group.program, today=day)
    assert not Alert.objects.filter(kind=Kind.NO_DESIGNATED).exists()  # approved "today"

    update_group_settings(
        group=group, hours_bank=group.hours_bank, observer_allowed=False, approved_on=APPROVED
    )
    compute_alerts(program=group.program, today=day)
    alert = Alert.objects.get(kind=Kind.NO_DESIGNATED)
    assert alert.first_seen_on == day
    assert alert.evidence["approved_on"] == APPROVED.isoformat()


def test_the_start_delay_reads_the_dated_approval_and_is_never_negative(entered_today):
    group = entered_today
    held(group, APPROVED + timedelta(days=12))
    day = APPROVED + timedelta(days=60)

    # Before the approval is dated, the meeting comes first: a warning about the dates.
    c = next(c for c in health.run_checks(group.program, today=day) if c.key == "start_delay")
    assert c.status == health.WARNING
    assert not any(" -" in line for line in c.evidence)

    update_group_settings(
        group=group, hours_bank=group.hours_bank, observer_allowed=False, approved_on=APPROVED
    )
    c = next(c for c in health.run_checks(group.program, today=day) if c.key == "start_delay")
    assert c.status == health.OK
    assert any("12 jours après l’approbation" in line for line in c.evidence)

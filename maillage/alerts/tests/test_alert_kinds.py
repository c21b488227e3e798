"""Each alert kind fires on its condition, with its evidence, and stays quiet otherwise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from maillage.alerts import checks
from maillage.alerts import kinds as k
from maillage.alerts.models import Kind
from maillage.core.textfit import outside_threshold
from maillage.mentoring.models import ActionPlan, Need
from maillage.mentoring.services import set_designation

from .conftest import APPROVED, held, member, planned, update, worked

pytestmark = pytest.mark.django_db


def found(group, today, kind):
    return [f for f in checks.findings_for(group.program, today) if f.kind == kind]


def test_no_designated_fires_for_the_missing_person_only(group, mentee, coordinator):
    set_designation(member=member(group, mentee), is_designated=False, note="embauche en cours")
    [f] = found(group, APPROVED, Kind.NO_DESIGNATED)
    assert f.evidence["person"] == mentee.full_name
    assert f.evidence["note"] == "embauche en cours"
    assert f.evidence["approved_on"] == APPROVED.isoformat()
    assert {p.pk for p in f.recipients} == {coordinator.pk, mentee.pk}


def test_no_designated_is_quiet_when_everyone_is_in_place(group):
    assert found(group, APPROVED + timedelta(days=30), Kind.NO_DESIGNATED) == []


def test_slow_start_after_three_weeks_without_a_meeting(group, mentor):
    planned(group, APPROVED + timedelta(days=30))
    assert found(group, APPROVED + timedelta(days=k.START_WITHIN_DAYS), Kind.SLOW_START) == []
    [f] = found(group, APPROVED + timedelta(days=22), Kind.SLOW_START)
    assert f.evidence["days"] == 22
    assert f.evidence["limit_days"] == 21
    assert f.evidence["next_meeting"] == (APPROVED + timedelta(days=30)).isoformat()
    assert mentor in f.recipients


def test_slow_start_clears_once_a_meeting_is_held(group):
    held(group, APPROVED + timedelta(days=25))
    assert found(group, APPROVED + timedelta(days=26), Kind.SLOW_START) == []


def test_meeting_gap_beyond_the_program_frequency_and_grace(group, program_a):
    last = date(2026, 8, 3)
    held(group, last)
    limit = program_a.meeting_every_max_weeks * 7 + k.MEETING_GAP_GRACE_DAYS
    assert found(group, last + timedelta(days=limit), Kind.MEETING_GAP) == []
    [f] = found(group, last + timedelta(days=limit + 1), Kind.MEETING_GAP)
    assert f.evidence["last_meeting"] == last.isoformat()
    assert f.evidence["days"] == limit + 1
    assert f.evidence["max_weeks"] == 4
    assert f.cause_key.endswith(last.isoformat())


def test_meeting_gap_is_quiet_after_the_program_ended(group, program_a):
    held(group, date(2026, 10, 1))
    assert found(group, program_a.end_date + timedelta(days=1), Kind.MEETING_GAP) == []


def test_hours_too_slow_in_the_last_part_of_the_period(group, program_a):
    held(group, date(2026, 7, 15), minutes=13 * 60)  # 13 of 20 h used: 7 h left
    [f] = found(group, program_a.end_date, Kind.HOURS_PACE)
    assert f.evidence["direction"] == "slow"
    assert f.evidence["remaining"] == 7.0
    assert f.evidence["elapsed_share"] == 1.0
    assert found(group, date(2026, 7, 20), Kind.HOURS_PACE) == []


def test_hours_not_too_slow_when_the_bank_is_nearly_used(group, program_a):
    held(group, date(2026, 7, 15), minutes=16 * 60)  # 4 h left: 20 %, under the 25 % line
    assert found(group, program_a.end_date, Kind.HOURS_PACE) == []


def test_hours_too_fast_when_projected_empty_before_80_percent(group):
    # 12 h in the first five weeks of a 24-week period: empty around week 10.
    worked(group, date(2026, 7, 20), 12 * 60)
    [f] = found(group, date(2026, 8, 15), Kind.HOURS_PACE)
    assert f.evidence["direction"] == "fast"
    assert f.evidence["projected_empty_on"] < "2026-11-01"


def test_hours_even_pace_is_quiet(group):
    # 7 h by 1 September (37 % of the period): 20 h would last until the end.
    worked(group, date(2026, 7, 20), 4 * 60)
    worked(group, date(2026, 8, 20), 3 * 60)
    assert found(group, date(2026, 9, 1), Kind.HOURS_PACE) == []


def test_update_overdue_per_mentee(group, mentee, second_mentee, program_a):
    held(group, date(2026, 7, 10))
    update(group, mentee, date(2026, 9, 1))
    update(group, second_mentee, date(2026, 9, 10))
    today = date(2026, 9, 1) + timedelta(days=program_a.update_every_max_days + 1)
    [f] = found(group, today, Kind.UPDATE_OVERDUE)
    assert f.evidence["person"] == mentee.full_name
    assert f.evidence["since"] == "2026-09-01"
    assert f.recipients == [mentee]


def test_update_overdue_waits_for_the_first_meeting(group):
    assert found(group, date(2026, 9, 12), Kind.UPDATE_OVERDUE) == []


def test_update_overdue_skips_a_mentee_not_designated(group, mentee, second_mentee):
    held(group, date(2026, 9, 1))
    set_designation(member=member(group, mentee), is_designated=False)
    update(group, second_mentee, date(2026, 9, 10))
    assert found(group, date(2026, 9, 12), Kind.UPDATE_OVERDUE) == []


def _needs(group, person, texts, inside=None, day=date(2026, 10, 1)):
    plan, _ = ActionPlan.objects.get_or_create(group=group, mentee=member(group, person))
    for text in texts:
        need = Need.objects.create(plan=plan, text=text, inside_expertise=inside)
        Need.objects.filter(pk=need.pk).update(created_at=checks_at(day))


def checks_at(day):
    from .conftest import at

    return at(day)


def test_needs_drift_from_human_marks(group, mentee):
    _needs(group, mentee, ["Choisir un logiciel de caisse", "Refaire le site web"], inside=False)
    [f] = found(group, date(2026, 10, 5), Kind.NEEDS_DRIFT)
    assert f.evidence["total"] == 2
    assert [o["marked"] for o in f.evidence["outside"]] == [False, False]


def test_needs_drift_from_the_fit(group, mentee):
    _needs(
        group,
        mentee,
        [
            "Concevoir le site web transactionnel et la base de données des commandes en ligne",
            "Choisir un logiciel comptable et former le conseil d’administration à la paie",
        ],
    )
    [f] = found(group, date(2026, 10, 5), Kind.NEEDS_DRIFT)
    assert f.evidence["encoder"] == "lexical"
    assert all(o["fit"] < outside_threshold("lexical") for o in f.evidence["outside"])


def test_needs_inside_expertise_do_not_drift(group, mentee):
    _needs(
        group,
        mentee,
        [
            "Optimiser nos tournées de collecte avec un camion réfrigéré",
            "Organiser l’entreposage au froid et le tri des aliments récupérés",
        ],
    )
    assert found(group, date(2026, 10, 5), Kind.NEEDS_DRIFT) == []


def test_old_needs_are_not_the_latest(group, mentee):
    _needs(group, mentee, ["Logiciel de caisse", "Site web"], inside=False, day=date(2026, 7, 5))
    assert found(group, date(2026, 10, 5), Kind.NEEDS_DRIFT) == []


def test_inactive_warns_at_60_days_then_proposes_closing_at_90(group, coordinator, mentee):
    held(group, date(2026, 7, 10))
    assert found(group, date(2026, 9, 7), Kind.INACTIVE) == []  # 59 days
    [warn] = found(group, date(2026, 9, 8), Kind.INACTIVE)  # 60 days
    assert warn.evidence["stage"] == "warn"
    assert mentee in warn.recipients
    [close] = found(group, date(2026, 10, 8), Kind.INACTIVE)  # 90 days
    assert close.evidence["stage"] == "close"
    assert close.evidence["days"] == 90
    assert close.recipients == [coordinator]


def test_a_time_entry_counts_as_activity(group):
    held(group, date(2026, 7, 10))
    worked(group, date(2026, 8, 20), 60)
    assert found(group, date(2026, 9, 8), Kind.INACTIVE) == []

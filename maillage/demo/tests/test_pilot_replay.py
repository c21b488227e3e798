"""The pilot replayed (seed 000, issue 4's "Done when"), through the services.

The replay is the demo's completed edition (maillage/demo/pilot.py: July–December 2025,
two groups, Logistique and Synergies). At the end date, the dashboard, the alerts and the health
check say what the pilot's report says.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from maillage.alerts import health, selectors
from maillage.alerts.models import Alert, Kind
from maillage.conftest import fresh, shared_data
from maillage.demo.pilot import APPROVED, END, Pilot, replay
from maillage.mentoring.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def replayed(django_db_setup, django_db_blocker, tmp_path_factory):
    """Replayed once for the module (the tests only read it). With a text fit the platform
    cannot load: the replay must read with its own encoder, never the setting's."""
    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        with override_settings(MATCHING_FIT_BACKEND="no-such-backend"):
            pilot = replay(Pilot())
        yield pilot


@pytest.fixture
def pilot(replayed, db):
    return fresh(replayed, replayed.encoder)


def open_kinds(group: Group) -> set[str]:
    return set(Alert.objects.filter(group=group).open().values_list("kind", flat=True))


def test_dashboard_hours_used_and_remaining_per_group(pilot, client):
    rows = {r.group.name: r for r in selectors.dashboard_rows(pilot.program, today=END)}
    lo, sy = rows["Logistique"], rows["Synergies"]
    # Logistique: 5 meetings × 2 h + 7 h 30 of preparation + 2 h 30 of tools = 20 h.
    assert (lo.bank, lo.used, lo.remaining) == (Decimal("20"), Decimal("20.00"), Decimal("0.00"))
    assert lo.percent_used == 100
    assert lo.meetings_held == 5
    assert lo.last_meeting == date(2025, 12, 2)
    # Synergies: 4 meetings × 2 h + 5 h of preparation = 13 h: 7 h left, as in the pilot.
    assert (sy.bank, sy.used, sy.remaining) == (Decimal("20"), Decimal("13.00"), Decimal("7.00"))
    assert sy.percent_used == 65
    assert sy.meetings_held == 4
    assert sy.last_meeting == date(2025, 11, 18)
    # The page, as Camille sees it.
    client.force_login(pilot.camille.user)
    page = client.get(reverse("alerts:dashboard", args=[pilot.program.pk])).content.decode()
    assert "20,0 h sur 20,0 h" in page and "13,0 h sur 20,0 h" in page
    assert "7,0 h" in page
    assert "Garde-Manger de la Petite-Nation" in page  # the organization without its person
    assert "n’a jamais été embauchée" in page
    assert "7,0 h sur 20,0 h restent" in page  # the slow bank's evidence


def test_alerts_that_apply_synergies_yes_logistique_no(pilot):
    assert {Kind.NO_DESIGNATED, Kind.HOURS_PACE, Kind.NEEDS_DRIFT} <= open_kinds(pilot.synergies)
    pace = Alert.objects.get(group=pilot.synergies, kind=Kind.HOURS_PACE)
    assert pace.evidence["direction"] == "slow"
    assert pace.evidence["remaining"] == 7.0
    drift = Alert.objects.get(group=pilot.synergies, kind=Kind.NEEDS_DRIFT)
    texts = " ".join(o["text"] for o in drift.evidence["outside"])
    assert "caisse" in texts and "site web" in texts
    assert len(drift.evidence["outside"]) >= drift.evidence["total"] / 2
    missing = Alert.objects.get(group=pilot.synergies, kind=Kind.NO_DESIGNATED)
    assert missing.evidence["person"] == pilot.p("Karim").full_name
    assert missing.first_seen_on == APPROVED
    # Logistique: none of them, and nothing open at the end.
    assert open_kinds(pilot.logistique) == set()
    assert not Alert.objects.filter(
        group=pilot.logistique,
        kind__in=[Kind.NO_DESIGNATED, Kind.HOURS_PACE, Kind.NEEDS_DRIFT, Kind.SLOW_START],
    ).exists()
    # Along the way: alerts sent once per cause and resolved when the condition cleared.
    # Synergies went six weeks without meeting (26 August → 7 October): flagged, then cleared.
    gaps = Alert.objects.filter(group=pilot.synergies, kind=Kind.MEETING_GAP)
    gap = next(a for a in gaps if a.evidence["last_meeting"] == "2025-08-26")
    assert gap.first_seen_on == date(2025, 10, 1)
    assert gap.resolved_at is not None
    assert not gaps.open().exists()
    # One alert per cause, one delivery per person and alert, whatever the number of runs.
    assert Alert.objects.filter(group=pilot.synergies, kind=Kind.NO_DESIGNATED).count() == 1
    karim_alert = Alert.objects.get(group=pilot.synergies, kind=Kind.NO_DESIGNATED)
    assert karim_alert.deliveries.count() == 2  # Camille and the org's contact, Karim


def test_health_check_findings(pilot, client):
    checks = {c.key: c for c in health.run_checks(pilot.program, today=END)}
    assert checks["designated_mentees"].status == health.PROBLEM
    assert any("Petite-Nation" in line for line in checks["designated_mentees"].evidence)
    assert checks["expertise_coverage"].status == health.PROBLEM
    assert any("Synergies" in line for line in checks["expertise_coverage"].evidence)
    assert checks["hours_period"].status == health.OK
    assert checks["group_size"].status == health.OK
    assert checks["meetings"].status == health.OK
    assert checks["start_delay"].status == health.OK  # 13 and 20 days after approval
    assert checks["agreement"].status == health.WARNING  # Karim's side never accepted
    assert checks["compensation"].status == health.WARNING
    assert "96,15" in " ".join(checks["compensation"].evidence)
    # The page: grouped by step, problems first.
    client.force_login(pilot.camille.user)
    page = client.get(reverse("alerts:health", args=[pilot.program.pk])).content.decode()
    assert page.index('data-check="designated_mentees"') < page.index('data-check="start_delay"')
    assert "Tableau 4" in page

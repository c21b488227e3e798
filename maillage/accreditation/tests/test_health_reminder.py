"""The program's health check (alerts, a lower floor) reminds before the accreditation expires,
through the check accreditation registers from its AppConfig."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from maillage.accreditation import services
from maillage.accreditation.models import Level
from maillage.alerts.health import REGISTERED, run_checks

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def _accredit(submission, assessor, days: int):
    rate_all(submission, assessor.person.user)
    services.decide(
        submission=submission,
        accredited=True,
        level=Level.INITIAL,
        expires_on=timezone.localdate() + timedelta(days=days),
        comment="",
        by=assessor.person.user,
    )


def _check(program, today=None):
    return next((c for c in run_checks(program, today=today) if c.key == "accreditation"), None)


def test_the_check_is_registered_from_the_app_config():
    from maillage.accreditation.health import check_accreditation

    assert check_accreditation in REGISTERED


def test_without_accreditation_the_health_check_says_nothing(program_a):
    assert _check(program_a) is None


def test_the_health_check_says_how_many_days_are_left(submission, assessor, program_a):
    _accredit(submission, assessor, days=400)
    assert _check(program_a).status == "ok"
    today = timezone.localdate() + timedelta(days=370)
    check = _check(program_a, today=today)
    assert check.status == "warning"
    assert "accréditation « Design » expire dans 30 jours" in check.evidence[0]


def test_the_health_page_shows_the_reminder(client, submission, assessor, program_a, coordinator):
    _accredit(submission, assessor, days=12)
    client.force_login(coordinator.user)
    page = client.get(f"/programmes/{program_a.pk}/sante/").content.decode()
    assert "accréditation « Design » expire dans 12 jours" in page


def test_an_expired_accreditation_is_a_problem(submission, assessor, program_a):
    _accredit(submission, assessor, days=10)
    check = _check(program_a, today=timezone.localdate() + timedelta(days=11))
    assert check.status == "problem"
    assert "a expiré" in check.evidence[0]


def test_mes_programmes_reminds_the_coordinator(client, submission, assessor, coordinator):
    _accredit(submission, assessor, days=20)
    client.force_login(coordinator.user)
    page = client.get("/programmes/").content.decode()
    assert "Renouveler l’accréditation : elle expire dans 20 jours" in page

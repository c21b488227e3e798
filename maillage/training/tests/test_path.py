from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from maillage.core.locking import StaleEdit
from maillage.core.models import AuditEntry
from maillage.programs.services import close_program
from maillage.training import services
from maillage.training.errors import TrainingError
from maillage.training.models import ImplementationPath, PathStep

pytestmark = pytest.mark.django_db


def test_the_default_path_has_the_six_steps_of_the_parcours(program_a):
    path = services.start_path(program=program_a)
    assert [s.title for s in path.steps.all()] == [
        "Diagnostic",
        "Conception",
        "Recrutement",
        "Jumelage",
        "Déploiement",
        "Suivi post-déploiement",
    ]
    assert path.budget_hours == Decimal("20")
    assert services.start_path(program=program_a) == path  # a second click finds it
    assert ImplementationPath.objects.count() == 1


def test_hours_used_and_remaining(program_a, coordinator):
    path = services.start_path(program=program_a)
    first, second = path.steps.all()[:2]
    today = timezone.localdate()
    services.record_support(step=first, by=coordinator, on=today, hours=Decimal("3.5"))
    services.record_support(step=second, by=coordinator, on=today, hours=Decimal("2"))
    assert path.hours_used() == Decimal("5.5")
    assert path.hours_remaining() == Decimal("14.5")
    assert first.hours_used() == Decimal("3.5")
    assert AuditEntry.objects.filter(action="path.hours_recorded").count() == 2


def test_going_over_the_budget_shows_by_how_much(program_a, coordinator):
    path = services.start_path(program=program_a)
    step = path.steps.first()
    for _ in range(2):
        services.record_support(
            step=step, by=coordinator, on=timezone.localdate(), hours=Decimal("12")
        )
    assert path.hours_remaining() == Decimal("-4")
    assert path.hours_over() == Decimal("4")


def test_hours_are_noted_once_done(program_a, coordinator):
    step = services.start_path(program=program_a).steps.first()
    with pytest.raises(TrainingError) as caught:
        services.record_support(
            step=step,
            by=coordinator,
            on=timezone.localdate() + timedelta(days=1),
            hours=Decimal("1"),
        )
    assert caught.value.field == "on"


def test_a_done_step_is_dated_and_audited(program_a):
    step = services.start_path(program=program_a).steps.first()
    services.update_step(step=step, seen=step.revision, status=PathStep.Status.DONE, notes="Fait")
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="path.step_status").exists()
    stale = PathStep.objects.get(pk=step.pk)
    with pytest.raises(StaleEdit):
        services.update_step(step=stale, seen=0, status=PathStep.Status.TODO, notes="")


def test_follow_ups_and_closed_program(program_a):
    path = services.start_path(program=program_a)
    follow_up = services.add_follow_up(path=path, on=timezone.localdate(), note="Bilan à 3 mois")
    assert services.mark_follow_up(follow_up=follow_up).done_at
    close_program(program=program_a)
    with pytest.raises(TrainingError):
        services.add_follow_up(path=path, on=timezone.localdate())

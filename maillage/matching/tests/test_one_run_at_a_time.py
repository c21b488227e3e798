"""One matching run under way per program (issue 14): a second click, a second tab or a
colleague while a run is queued or solving gets a plain refusal and the page of the first
run, never a second task; the database holds it too. A run left RUNNING by a dead worker is
solved when its task comes back; one lost with a web process no longer blocks a new launch."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.matching import tasks
from maillage.matching.errors import MatchingError
from maillage.matching.models import MatchRun
from maillage.matching.services import run_matching

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(cast, coordinator, settings):
    settings.MATCHING_SYNC_MAX = 3  # to the worker (its on-commit enqueue never runs here)
    return run_matching(program=cast["program"], by=coordinator.user)


def test_a_second_launch_while_one_is_queued_is_refused(cast, coordinator, queued):
    with pytest.raises(MatchingError) as refused:
        run_matching(program=cast["program"], by=coordinator.user)
    assert "déjà en cours" in str(refused.value.message)
    assert cast["program"].match_runs.engine().count() == 1


def test_the_second_click_shows_the_first_runs_progress(client, cast, coordinator, queued):
    program = cast["program"]
    login(client, coordinator)
    page = client.post(reverse("matching:run", args=[program.pk]), {"mode": "exact"}, follow=True)
    html = page.content.decode()
    assert "Un jumelage est déjà en cours" in html
    assert reverse("matching:run_status", args=[program.pk, queued.pk]) in html
    assert program.match_runs.engine().count() == 1


def test_the_database_refuses_a_second_pending_run(cast, queued):
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(
            program=cast["program"], engine_version="x", status=MatchRun.Status.RUNNING
        )


def test_a_run_left_running_by_a_dead_worker_is_solved_when_its_task_comes_back(queued):
    # The worker had marked it RUNNING and died; requeue_orphans gave the task back.
    queued.status = MatchRun.Status.RUNNING
    queued.save(update_fields=["status"])
    assert tasks.solve_run.call(queued.pk, "fr") == MatchRun.Status.DONE
    queued.refresh_from_db()
    assert queued.status == MatchRun.Status.DONE and queued.proposals.exists()
    assert tasks.solve_run.call(queued.pk, "fr") == "skipped"  # run once: not solved twice


def test_a_lost_run_stops_polling_and_no_longer_blocks(client, cast, coordinator, queued):
    program = cast["program"]
    MatchRun.objects.filter(pk=queued.pk).update(
        status=MatchRun.Status.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )
    login(client, coordinator)
    home = client.get(reverse("matching:home", args=[program.pk])).content.decode()
    assert "ne s’est jamais terminé" in home and 'id="run-progress"' not in home
    status = reverse("matching:run_status", args=[program.pk, queued.pk])
    assert "HX-Redirect" in client.get(status, HTTP_HX_REQUEST="true")  # polling stops

    again = run_matching(program=program, by=coordinator.user)
    queued.refresh_from_db()
    assert queued.status == MatchRun.Status.FAILED
    assert "interrompu" in queued.problems[0]["message"]
    assert again.status == MatchRun.Status.QUEUED

"""A run solved in the background shows its progress on the matching page (issue 14, « long
work off the request »): the page polls the run's state with htmx and reloads on the results
when the run is done; the coordinator can leave and come back; nobody else sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.matching.models import MatchRun
from maillage.matching.services import run_matching

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(cast, coordinator, settings):
    """A run waiting for the worker (its on-commit enqueue never ran in this test)."""
    settings.MATCHING_SYNC_MAX = 3
    run = run_matching(program=cast["program"], by=coordinator.user)
    assert run.status == MatchRun.Status.QUEUED
    return run


def test_the_page_follows_a_queued_run(client, cast, coordinator, queued):
    program = cast["program"]
    login(client, coordinator)
    html = client.get(reverse("matching:home", args=[program.pk])).content.decode()
    status_url = reverse("matching:run_status", args=[program.pk, queued.pk])
    assert f'hx-get="{status_url}"' in html and 'hx-trigger="every 2s"' in html
    assert "Étape 1 sur 2" in html and "<progress" in html

    queued.status = MatchRun.Status.RUNNING
    queued.save(update_fields=["status"])
    part = client.get(status_url, **HTMX)
    assert part.status_code == 200 and "Étape 2 sur 2" in part.content.decode()
    assert "<html" not in part.content.decode()  # a fragment, swapped in place


def test_a_finished_run_reloads_the_page_on_its_results(client, cast, coordinator, queued):
    program = cast["program"]
    login(client, coordinator)
    queued.status = MatchRun.Status.DONE
    queued.save(update_fields=["status"])
    status_url = reverse("matching:run_status", args=[program.pk, queued.pk])
    response = client.get(status_url, **HTMX)
    home = reverse("matching:home", args=[program.pk])
    assert response["HX-Redirect"] == f"{home}?execution={queued.pk}#resultat"
    # Opened without htmx (a bookmark): back to the page.
    assert client.get(status_url)["Location"].endswith("#resultat")


def test_only_the_programs_staff_sees_a_run(client, cast, queued, outsider, mentee):
    program = cast["program"]
    status_url = reverse("matching:run_status", args=[program.pk, queued.pk])
    for person in (outsider, mentee):
        login(client, person)
        assert client.get(status_url, **HTMX).status_code == 404
        client.logout()


def test_a_running_run_counts_its_seconds_toward_the_engines_limit(
    client, cast, coordinator, queued, settings
):
    """The engine promises to end within its time limit: the bar is the seconds spent out of
    that limit, and never says « done » before the groups are written."""
    from datetime import timedelta

    from django.utils import timezone

    settings.MATCHING_TIME_LIMIT = 20
    program = cast["program"]
    login(client, coordinator)
    status_url = reverse("matching:run_status", args=[program.pk, queued.pk])
    queued.status = MatchRun.Status.RUNNING
    queued.started_at = timezone.now() - timedelta(seconds=7)
    queued.save(update_fields=["status", "started_at"])
    html = client.get(status_url, **HTMX).content.decode()
    assert "Commencé il y a 7 secondes" in html
    assert 'max="20" value="7"' in html

    queued.started_at = timezone.now() - timedelta(seconds=45)  # writing the answer
    queued.save(update_fields=["started_at"])
    html = client.get(status_url, **HTMX).content.decode()
    assert 'max="20" value="19"' in html and "Commencé il y a 45 secondes" in html


def test_the_worker_dates_the_start(cast, coordinator, queued, monkeypatch):
    from maillage.matching import tasks

    seen = {}
    monkeypatch.setattr(tasks, "execute_run", lambda *, run, lang: seen.setdefault("run", run))
    tasks.solve_run.call(queued.pk)
    queued.refresh_from_db()
    assert queued.status == MatchRun.Status.RUNNING and queued.started_at is not None
    assert seen["run"].started_at == queued.started_at


def test_a_run_solved_in_the_request_is_dated_too(cast, coordinator):
    run = run_matching(program=cast["program"], by=coordinator.user)
    assert run.started_at is not None
    assert abs((run.started_at - run.created_at).total_seconds()) < 1

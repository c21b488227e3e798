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

"""In French, on the demo: the coordinator launches matching for a program big enough to be
solved in the background (issue 14). The matching page shows the run's progress (htmx polling
under the strict scripts), she may leave and come back, and when the worker is done the page
reloads itself on the proposed groups. axe-core passes at 1280 px; the tablet width fits."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone
from playwright.sync_api import expect

from maillage.demo.editions import DEMO_PASSWORD
from maillage.matching import tasks
from maillage.matching.models import MatchRun

from .conftest import axe_violations, shoot, sign_in


def test_a_background_run_shows_its_progress_then_its_groups(page, demo, settings):
    settings.MATCHING_SYNC_MAX = 1  # the demo's six sides go to the worker
    worker = tasks.solve_run
    with mock.patch.object(tasks, "solve_run"):  # the worker has not picked it up yet
        sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
        page.get_by_role("link", name=demo.title).first.click()
        page.get_by_role("link", name="Jumelage", exact=True).first.click()
        page.get_by_role("button", name="Lancer le jumelage").click()
        page.wait_for_load_state("networkidle")
        progress = page.locator("#run-progress")
        expect(progress).to_contain_text("Étape 1 sur 2")
        expect(progress).to_contain_text("Vous pouvez quitter cette page")
        assert axe_violations(page) == []
        shoot(page, "matching-progress-1280")

        # She leaves and comes back: the page still follows the same run.
        page.goto(page.base + "/programmes/")
        page.go_back()
        expect(page.locator("#run-progress")).to_contain_text("Étape 1 sur 2")

    run = MatchRun.objects.filter(program=demo).exclude(mode="self").latest("pk")
    assert run.status == MatchRun.Status.QUEUED
    # The worker takes it: the next poll says how long it has been computing, out of the
    # engine's time limit (a promise: it answers by then).
    run.status, run.started_at = MatchRun.Status.RUNNING, timezone.now() - timedelta(seconds=5)
    run.save(update_fields=["status", "started_at"])
    progress = page.locator("#run-progress")
    expect(progress).to_contain_text("Étape 2 sur 2", timeout=10_000)
    expect(progress).to_contain_text("Commencé il y a")
    assert page.locator("#run-progress progress").get_attribute("max") == str(run.solve_limit)
    assert axe_violations(page) == []
    shoot(page, "matching-progress-running-1280")
    worker.call(run.pk, "fr")  # the worker solves it; the polling page reloads on the results
    expect(page.locator("#run-progress")).to_have_count(0, timeout=20_000)
    expect(page.get_by_text("Télécharger les données soumises au moteur (JSON)")).to_be_visible()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet
    shoot(page, "matching-progress-done-820")

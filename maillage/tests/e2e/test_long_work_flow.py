"""In French, the long work done off the request (issue 14), as its users live it, each from
their own home page: the network's staff ask for fresh figures, the coordinator launches a
matching run. The worker has not picked the task up yet (tasks wait in the dummy backend), so
the page shows its progress bar, polled with htmx; they go back to their home page, come back
through its links and find the same task's progress (not a new one: a second click is refused
or impossible); when no worker beats, the page says so; once the worker has run, the polling
page loads the result by itself and stops. axe-core passes on the running and the done page."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from maillage.core import heartbeat
from maillage.demo.editions import DEMO_PASSWORD
from maillage.demo.network import build_demo_network
from maillage.matching import tasks as matching_tasks
from maillage.matching.models import MatchRun
from maillage.measurement import tasks as measurement_tasks

from .conftest import axe_violations, shoot, sign_in


@pytest.fixture
def held(settings, monkeypatch):
    """The worker is alive (it beats) but has not taken the task yet: tasks wait in the
    dummy backend. Each thread has its own backend (the live server's is not the test's), so
    what is queued is kept in one shared list."""
    from django_tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    waiting: list = []
    enqueue = DummyBackend.enqueue

    def keep(self, task, args, kwargs):
        result = enqueue(self, task, args, kwargs)
        waiting.append(result)
        return result

    monkeypatch.setattr(DummyBackend, "enqueue", keep)
    heartbeat.beat()
    yield waiting
    cache.delete(heartbeat.KEY)


def queued(waiting: list, name: str) -> list:
    return [r for r in waiting if r.task.name == name]


def test_network_staff_follow_a_refresh_leave_and_come_back(page, demo, held):
    network = build_demo_network(demo)
    held.clear()
    sign_in(page, "julie.bergeron@demo.maillage.org", DEMO_PASSWORD)
    page.get_by_role("link", name=network.name).first.click()
    page.get_by_role("button", name="Mettre à jour les chiffres").click()
    progress = page.locator("#refresh-progress")
    expect(progress).to_contain_text("Mise à jour des chiffres en cours")
    expect(
        page.get_by_role("progressbar", name="Mise à jour des chiffres en cours")
    ).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "long-work-refresh-running-1280")

    # She goes home and comes back: the same refresh, and no button to start a second one.
    page.get_by_role("link", name="Mes programmes").first.click()
    page.get_by_role("link", name=network.name).first.click()
    expect(page.locator("#refresh-progress")).to_be_visible()
    expect(page.get_by_role("button", name="Mettre à jour les chiffres")).to_have_count(0)
    assert len(queued(held, "refresh_network_figures")) == 1

    # The worker does it; the polling page reloads on the new figures and stops polling.
    task = queued(held, "refresh_network_figures")[0]
    measurement_tasks.refresh_network_figures.call(**task.kwargs)
    expect(page.locator("#refresh-progress")).to_have_count(0, timeout=20_000)
    expect(page.get_by_text("Recalculés chaque jour.")).to_be_visible()
    expect(page.get_by_role("button", name="Mettre à jour les chiffres")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "long-work-refresh-done-1280")


def test_a_coordinators_matching_run_is_one_task_she_can_leave_and_find_again(
    page, demo, held, settings
):
    settings.MATCHING_SYNC_MAX = 1  # the demo's sides go to the worker
    held.clear()
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.get_by_role("link", name=demo.title).first.click()
    page.get_by_role("link", name="Jumelage", exact=True).first.click()
    page.get_by_role("button", name="Lancer le jumelage").click()
    expect(page.locator("#run-progress")).to_contain_text("Étape 1 sur 2")
    expect(page.get_by_role("progressbar", name="Étape 1 sur 2")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "long-work-matching-running-1280")

    # A second click while it waits: refused in words, the first run's progress still shown.
    page.get_by_role("button", name="Lancer le jumelage").click()
    expect(page.get_by_text("Un jumelage est déjà en cours de calcul")).to_be_visible()
    expect(page.locator("#run-progress")).to_be_visible()
    assert MatchRun.objects.filter(program=demo).exclude(mode="self").count() == 1
    assert len(queued(held, "solve_run")) == 1

    # Home, then back through the program's links: the same run.
    page.get_by_role("link", name="Mes programmes").first.click()
    page.get_by_role("link", name=demo.title).first.click()
    page.get_by_role("link", name="Jumelage", exact=True).first.click()
    expect(page.locator("#run-progress")).to_contain_text("Étape 1 sur 2")

    # The worker stops beating: the polled part says so instead of spinning in silence.
    heartbeat.beat(now=time.time() - 3600)
    expect(page.get_by_text("ne répond pas en ce moment")).to_be_visible(timeout=10_000)
    shoot(page, "long-work-matching-no-worker-1280")
    heartbeat.beat()

    run = MatchRun.objects.filter(program=demo).exclude(mode="self").get()
    matching_tasks.solve_run.call(*queued(held, "solve_run")[0].args)
    expect(page.locator("#run-progress")).to_have_count(0, timeout=20_000)
    expect(page.get_by_text("Télécharger les données soumises au moteur (JSON)")).to_be_visible()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert axe_violations(page) == []
    shoot(page, "long-work-matching-done-1280")


def test_the_coordinator_follows_the_decided_dossiers_pdf(page, reference_data, held):
    """The decision itself goes through the assessor's pages in test_accreditation_flow; here
    it is the starting point: Léa, whose Design dossier was decided, asks for its PDF."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.accreditation import services
    from maillage.accreditation import tasks as accreditation_tasks
    from maillage.accreditation.models import Assessor, Dossier, Submission
    from maillage.accreditation.tests.conftest import rate_all
    from maillage.core.models import Person

    from .test_accreditation_flow import PASSWORD, a_program_shared_with_a_network

    program, network = a_program_shared_with_a_network()
    lea = Person.objects.get(email="lea.coord@exemple.org")
    anne = Person.objects.get(email="anne.evaluatrice@exemple.org")
    sophie = Person.objects.get(email="sophie.soutien@exemple.org")
    assessor = services.appoint_assessor(network=network, person=anne, by=sophie.user)
    dossier = services.start_dossier(
        program=program, framework="mentorat-quebec", part="design", by=lea.user
    )
    submission = services.submit_dossier(dossier=dossier, assessor=assessor, by=lea.user)
    rate_all(submission, anne.user)
    services.decide(
        submission=submission,
        accredited=True,
        level="initial",
        expires_on=timezone.localdate() + timedelta(days=300),
        comment="",
        by=anne.user,
    )
    assert Assessor.objects.count() == 1 and Dossier.objects.count() == 1
    held.clear()

    sign_in(page, "lea.coord@exemple.org", PASSWORD)
    page.get_by_role("link", name="Mentorat inclusif 2026").click()
    page.get_by_role("link", name="Accréditation", exact=True).click()
    page.get_by_role("link", name="Ouvrir le dossier").first.click()
    page.get_by_role("link", name="PDF de la soumission 1").click()
    expect(page.get_by_role("heading", name="PDF en préparation")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Étape 1 sur 2")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "long-work-accreditation-pdf-running-1280")
    assert len(queued(held, "render_submission_pdf")) == 1

    # Home, then back through the dossier: the same rendering, not a second one.
    page.get_by_role("link", name="Mes programmes").first.click()
    page.get_by_role("link", name="Mentorat inclusif 2026").click()
    page.get_by_role("link", name="Accréditation", exact=True).click()
    page.get_by_role("link", name="Ouvrir le dossier").first.click()
    page.get_by_role("link", name="PDF de la soumission 1").click()
    expect(page.get_by_role("progressbar", name="Étape 1 sur 2")).to_be_visible()
    assert len(queued(held, "render_submission_pdf")) == 1

    def is_the_pdf(response) -> bool:
        return response.headers.get("content-type") == "application/pdf"

    with page.expect_response(is_the_pdf, timeout=60_000) as pdf:
        accreditation_tasks.render_submission_pdf.call(submission_id=submission.pk)
    assert pdf.value.status == 200
    submission.refresh_from_db()
    assert submission.pdf_state == Submission.PdfState.READY


def test_the_coordinator_follows_the_published_reports_pdf_from_her_home(page, demo, held):
    from maillage.demo.pilot import build_past_edition
    from maillage.reports import tasks as report_tasks
    from maillage.reports.models import Report

    past = build_past_edition()
    report = Report.objects.of(past, "fr").published().first()
    held.clear()
    sign_in(page, "camille.gagnon@demo.maillage.org", DEMO_PASSWORD)
    page.get_by_role("link", name=past.title).first.click()
    page.get_by_role("link", name="Rapport", exact=True).first.click()
    page.get_by_role("link", name="PDF", exact=True).click()
    expect(page.get_by_role("heading", name="PDF en préparation")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Étape 1 sur 2")).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "long-work-report-pdf-running-1280")

    page.get_by_role("link", name="Mes programmes").first.click()
    page.get_by_role("link", name=past.title).first.click()
    page.get_by_role("link", name="Rapport", exact=True).first.click()
    page.get_by_role("link", name="PDF", exact=True).click()
    expect(page.get_by_role("progressbar", name="Étape 1 sur 2")).to_be_visible()
    assert len(queued(held, "render_report_pdf")) == 1

    def is_the_pdf(response) -> bool:
        return response.headers.get("content-type") == "application/pdf"

    with page.expect_response(is_the_pdf, timeout=60_000) as pdf:
        report_tasks.render_report_pdf.call(report_id=report.pk)
    assert pdf.value.status == 200

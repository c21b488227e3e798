"""/healthz and /healthz/web: the database and the worker's heartbeat, in JSON, cheaply, and
nothing about anyone."""

from __future__ import annotations

import json
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maillage.core import heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_backend(settings):
    """The worker's backend: tasks wait for a worker, whose heartbeat then matters."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthy_when_the_database_answers_and_the_worker_beat(client, worker_backend):
    heartbeat.beat(now=time.time() - 5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["worker"] == "ok"
    assert 5 <= body["checks"]["worker_last_seen_seconds"] <= 7


def test_503_when_no_worker_ever_beat(client, worker_backend):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "worker": "missing"},
    }


def test_503_when_the_last_beat_is_too_old(client, worker_backend, settings):
    settings.MAILLAGE_HEARTBEAT_MAX_AGE = 120
    heartbeat.beat(now=time.time() - 121)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "stale"


def test_the_web_check_ignores_the_worker(client, worker_backend):
    response = client.get("/healthz/web")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_503_when_the_database_is_unreachable(client, monkeypatch):
    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


def test_without_a_worker_backend_the_worker_is_not_needed(client):
    # The suite's immediate backend runs tasks in the request: nothing waits for a worker.
    assert client.get("/healthz").json()["checks"]["worker"] == "not used"


def test_it_is_cheap_sessionless_and_says_nothing_about_anyone(client, coordinator, worker_backend):
    heartbeat.beat()
    client.force_login(coordinator.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    # SELECT 1; the heartbeat is in the cache (the database cache would add one read).
    assert len(queries) <= 2
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert response["Cache-Control"] == "no-store"
    assert coordinator.email not in response.content.decode()
    assert set(json.loads(response.content)) == {"status", "checks"}


def test_it_answers_a_probe_by_address_over_plain_http(client, settings):
    # A load balancer asks by IP, without HTTPS, whatever the site's host names and redirect.
    settings.ALLOWED_HOSTS = ["maillage.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/web", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_the_command_says_the_same_and_fails_when_unhealthy(worker_backend, capsys):
    with pytest.raises(CommandError):
        call_command("health")
    assert json.loads(capsys.readouterr().out)["worker"] == "missing"
    call_command("health", "--web")
    heartbeat.beat()
    call_command("health")


def test_the_worker_beats_from_its_thread(settings):
    settings.MAILLAGE_HEARTBEAT_SECONDS = 0.05
    stop = heartbeat.start_beating()
    try:
        first = heartbeat.last_beat()
        assert first is not None and time.time() - first < 2
        time.sleep(0.3)
        assert heartbeat.last_beat() > first
    finally:
        stop.set()


def _running(worker: str, *, started: float):
    from datetime import UTC, datetime

    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        task_path="maillage.core.tasks.daily_work",
        args_kwargs={"args": [], "kwargs": {}},
        status="RUNNING",
        worker_ids=[worker],
        backend_name="default",
        queue_name="default",
        run_after=datetime.fromtimestamp(started, UTC),
        started_at=datetime.fromtimestamp(started, UTC),
    )


@pytest.mark.django_db
def test_tasks_of_a_dead_worker_are_queued_again_once(settings):
    """bench/faults/run.sh worker: a worker killed mid-task left its task RUNNING forever."""
    settings.MAILLAGE_HEARTBEAT_MAX_AGE = 120
    now = time.time()
    heartbeat.beat_as("alive", now=now - 5)
    heartbeat.beat_as("dead", now=now - 300)
    alive = _running("alive", started=now - 600)
    dead = _running("dead", started=now - 600)
    silent = _running("never-beat", started=now - 600)
    just_claimed = _running("starting", started=now - 2)
    assert heartbeat.requeue_orphans(now=now) == 2
    for task, status in [(alive, "RUNNING"), (dead, "READY"), (silent, "READY")]:
        task.refresh_from_db()
        assert task.status == status
    just_claimed.refresh_from_db()
    assert just_claimed.status == "RUNNING"
    assert heartbeat.requeue_orphans(now=now) == 0

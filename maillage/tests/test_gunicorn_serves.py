"""gunicorn serves Maillage as in production (DEBUG off, collected static files, the database
cache, a worker beating): the home page, a signed-in person's page and /healthz, over HTTP."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone

from maillage.conftest import free_port
from maillage.core.models import Person

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.django_db


def get(url: str, cookie: str = "") -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


KEY = "a-test-only-secret-key-long-enough-for-django-0123456789"


@pytest.fixture
def served_database(tmp_path, settings):
    """A copy of the migrated test database, with one person signed in (a session row, signed
    with the served platform's key)."""
    settings.SECRET_KEY = KEY
    path = tmp_path / "served.sqlite3"
    if connections["default"].vendor != "sqlite":
        pytest.skip("a copy of the SQLite test database (the run on SQLite covers it)")
    # Its own connection: the test's holds a write transaction, which a backup would wait on.
    source = sqlite3.connect(connections["default"].settings_dict["NAME"])
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    default = connections["default"]
    connections["served"] = type(default)({**default.settings_dict, "NAME": str(path)}, "served")
    try:
        user = (
            get_user_model()
            .objects.db_manager("served")
            .create_user(
                username="ines@exemple.org", email="ines@exemple.org", password="x-long-password-1"
            )
        )
        Person.objects.using("served").create(
            user=user, first_name="Inès", last_name="Servie", email="ines@exemple.org"
        )
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        Session.objects.using("served").create(
            session_key="servedsession0000000000000000001",
            session_data=SessionStore().encode(data),
            expire_date=timezone.now() + timedelta(days=1),
        )
    finally:
        connections["served"].close()
        del connections["served"]
    return path


def test_gunicorn_serves_the_pages_and_healthz(served_database, tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAILLAGE_", "DJANGO_"))},
        "DATABASE_URL": f"sqlite:///{served_database}",
        "MAILLAGE_DEBUG": "0",
        "MAILLAGE_HTTPS": "0",
        "MAILLAGE_SECRET_KEY": KEY,
        "MAILLAGE_DATA_DIR": str(tmp_path),
        "MAILLAGE_STATIC_ROOT": str(tmp_path / "static"),
        "MAILLAGE_MFA_REQUIRED": "0",
        "MAILLAGE_HEARTBEAT_SECONDS": "2",
        "MAILLAGE_BIND": f"127.0.0.1:{port}",
        "MAILLAGE_WORKERS": "2",
    }
    manage = [str(BIN / "python"), str(ROOT / "manage.py")]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    worker = subprocess.Popen([*manage, "worker", "--interval", "1", "-v", "0"], env=env)
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "maillage.wsgi"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and status != 200:
            time.sleep(1)
            try:
                status, headers, body = get(f"{base}/healthz")
            except OSError:
                continue
        assert status == 200, body
        assert '"worker": "ok"' in body and '"database": "ok"' in body

        status, headers, body = get(f"{base}/")
        assert status == 200
        assert "Maillage" in body and len(headers["X-Request-ID"]) == 32
        status, _, css = get(f"{base}/static/maillage/maillage.css")
        assert status == 200 and css

        status, _, body = get(f"{base}/programmes/", "sessionid=servedsession0000000000000000001")
        assert status == 200
        assert "Inès" in body
        assert len(re.findall(r"<a class=\"who\"", body)) == 1
        status, _, body = get(f"{base}/programmes/")
        assert status == 200 and "Se connecter" in body  # the sign-in page, after a redirect
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

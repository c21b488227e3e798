"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "MAILLAGE_DEBUG": "0",
    "MAILLAGE_SECRET_KEY": "k3Yq9-production-like-secret-0f8a7d6c5b4a3928171615141312111009",
    "MAILLAGE_ALLOWED_HOSTS": "maillage.example.org",
    "MAILLAGE_SITE_URL": "https://maillage.example.org",
}


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MAILLAGE_") and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_environment():
    result = run_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_the_development_key():
    env = dict(PRODUCTION_ENV)
    del env["MAILLAGE_SECRET_KEY"]
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_run_serves_plain_http_locally_with_debug_off():
    """./run's environment: DEBUG off, but no HTTPS redirect nor secure-only cookies, which
    would lock everyone out of http://127.0.0.1."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MAILLAGE_") and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update({"MAILLAGE_DEBUG": "0", "MAILLAGE_HTTPS": "0", "MAILLAGE_SECRET_KEY": "x" * 50})
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.splitlines()[-1].split() == ["False", "False", "False", "False", "0"], (
        result.stderr
    )

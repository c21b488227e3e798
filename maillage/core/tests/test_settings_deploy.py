"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION_ENV = {
    "MAILLAGE_DEBUG": "0",
    "MAILLAGE_SECRET_KEY": "k3Yq9-production-like-secret-0f8a7d6c5b4a3928171615141312111009",
    "MAILLAGE_ALLOWED_HOSTS": "maillage.example.org",
    "MAILLAGE_SITE_URL": "https://maillage.example.org",
}


def clean_env(extra_env: dict[str, str]) -> dict[str, str]:
    """This machine's environment without Maillage's variables: what a fresh server has."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("MAILLAGE_") and k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
    }
    env.update(extra_env)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return manage("check", "--deploy", "--fail-level", "WARNING", env=extra_env)


def run_python(code: str, extra_env: dict[str, str]) -> str:
    """The last line `code` prints, run by `manage.py shell` with these variables."""
    result = manage("shell", "-c", code, env=extra_env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_passes_with_production_environment():
    result = run_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_the_development_key():
    env = dict(PRODUCTION_ENV)
    del env["MAILLAGE_SECRET_KEY"]
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_debug_is_off_unless_asked_for():
    shown = "from django.conf import settings as s; print(s.DEBUG)"
    assert run_python(shown, {"MAILLAGE_SECRET_KEY": "k" * 50}) == "False"
    assert run_python(shown, {"MAILLAGE_DEBUG": "1"}) == "True"


@pytest.mark.parametrize(
    "key", [None, "", "django-insecure-maillage-development-only"], ids=["unset", "empty", "public"]
)
def test_production_mode_refuses_to_start_without_its_own_key(key):
    """Not only `check --deploy`: any command (the web server, the worker, migrate) stops."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "MAILLAGE_SECRET_KEY"}
    if key is not None:
        env["MAILLAGE_SECRET_KEY"] = key
    for command in (["check"], ["migrate", "--check"]):
        result = manage(*command, env=env)
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "MAILLAGE_SECRET_KEY" in result.stderr


def test_a_developer_without_a_key_gets_the_development_key_with_debug_on():
    shown = "from django.conf import settings as s; print(s.SECRET_KEY)"
    assert run_python(shown, {"MAILLAGE_DEBUG": "1"}).startswith("django-insecure")


def test_check_deploy_passes_behind_a_proxy_with_the_forwarded_scheme():
    env = {**PRODUCTION_ENV, "MAILLAGE_PROXY_COUNT": "1"}
    assert run_check(env).returncode == 0
    shown = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    assert run_python(shown, env) == "('HTTP_X_FORWARDED_PROTO', 'https')"
    # Directly exposed, a client's X-Forwarded-Proto is not believed.
    assert run_python(shown, PRODUCTION_ENV) == "None"


def test_run_serves_plain_http_locally_with_debug_off():
    """./run's environment: DEBUG off, but no HTTPS redirect nor secure-only cookies, which
    would lock everyone out of http://127.0.0.1."""
    env = clean_env({"MAILLAGE_DEBUG": "0", "MAILLAGE_HTTPS": "0", "MAILLAGE_SECRET_KEY": "x" * 50})
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

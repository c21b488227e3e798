"""The server settings read from the environment: the connection pool, the read replica, object
storage for uploads, and Sentry without personal data."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from maillage.core.errortracking import init_sentry, scrub_event

SETTINGS = """
import json, maillage.settings as s
print(json.dumps({"db": s.DATABASES, "routers": getattr(s, "DATABASE_ROUTERS", []),
                  "middleware": s.MIDDLEWARE, "storage": s.STORAGES["default"]}, default=str))
"""


def settings_with(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAILLAGE_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS],
        env={**clean, "MAILLAGE_DEBUG": "1", **env},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return {"error": result.stderr}
    return json.loads(result.stdout)


def test_the_pool_is_psycopgs_and_replaces_persistent_connections():
    found = settings_with(
        DATABASE_URL="postgres://u:p@db:5432/maillage",
        MAILLAGE_DB_POOL="1",
        MAILLAGE_DB_POOL_MAX="20",
        MAILLAGE_DB_CONN_MAX_AGE="60",
    )
    default = found["db"]["default"]
    assert default["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 20, "timeout": 10}
    assert default["CONN_MAX_AGE"] == 0


def test_the_pool_on_sqlite_is_refused_with_a_clear_message():
    assert "needs PostgreSQL" in settings_with(MAILLAGE_DB_POOL="1")["error"]


def test_a_replica_url_adds_the_replica_its_router_and_middleware():
    found = settings_with(
        DATABASE_URL="postgres://u:p@primary:5432/maillage",
        MAILLAGE_REPLICA_URL="postgres://ro:p@replica:5432/maillage",
    )
    assert found["db"]["replica"]["HOST"] == "replica"
    assert found["db"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert found["routers"] == ["maillage.core.replica.ReplicaRouter"]
    assert "maillage.core.replica.ReplicaMiddleware" in found["middleware"]
    assert "replica" not in settings_with()["db"]


def test_uploads_go_to_object_storage_when_asked():
    found = settings_with(
        MAILLAGE_STORAGE="s3",
        MAILLAGE_S3_BUCKET="maillage-uploads",
        MAILLAGE_S3_ENDPOINT_URL="https://s3.example.org",
    )
    storage = found["storage"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "maillage-uploads"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] is None  # private, as on the local disk
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert "MAILLAGE_S3_BUCKET" in settings_with(MAILLAGE_STORAGE="s3")["error"]
    assert settings_with()["storage"]["BACKEND"].endswith("FileSystemStorage")


def test_the_s3_backend_builds_from_these_options(settings):
    pytest.importorskip("storages")
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "default": settings_with(MAILLAGE_STORAGE="s3", MAILLAGE_S3_BUCKET="b")["storage"],
    }
    storage = storages.create_storage(settings.STORAGES["default"])
    assert storage.bucket_name == "b" and storage.location == "uploads"


def test_a_sentry_event_leaves_without_personal_data():
    event = {
        "message": "Échec pour camille.gagnon@exemple.org",
        "user": {"id": 7, "email": "camille.gagnon@exemple.org", "ip_address": "10.1.2.3"},
        "request": {
            "url": "https://m.example.org/x?email=a@b.org",
            "data": {"first_name": "Camille"},
            "cookies": {"sessionid": "abc"},
            "query_string": "email=a@b.org",
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "X-Request-ID": "r1"},
        },
        "exception": {
            "values": [
                {
                    "value": "IntegrityError: key (email)=(x@y.org) exists",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"email": "x@y.org"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "SELECT … WHERE email = 'z@y.org'"}]},
    }
    scrubbed = json.dumps(scrub_event(event, {}))
    for secret in ("camille.gagnon", "x@y.org", "z@y.org", "a@b.org", "Camille", "abc", "10.1.2"):
        assert secret not in scrubbed, secret
    assert event["user"] == {"id": 7}
    assert event["request"]["headers"] == {"User-Agent": "Firefox", "X-Request-ID": "r1"}


def test_sentry_is_set_up_never_to_send_personal_data():
    sentry_sdk = pytest.importorskip("sentry_sdk")
    try:
        init_sentry(
            dsn="https://public@sentry.example.org/1",
            environment="test",
            release="",
            traces_sample_rate=0,
        )
        options = sentry_sdk.get_client().options
        assert options["send_default_pii"] is False
        assert options["before_send"] is scrub_event
        assert options["include_local_variables"] is False
    finally:
        sentry_sdk.init()  # no DSN: nothing is sent by the rest of the suite

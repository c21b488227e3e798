"""Logs with time, level, request id and user id (core.logs), in text or JSON."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re

import pytest

from maillage.core.logs import logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    """The platform's logging (settings.LOGGING) into a buffer: text and JSON."""

    def configure(fmt: str) -> io.StringIO:
        config = logging_config(fmt=fmt, level="INFO")
        buffer = io.StringIO()
        config["handlers"]["console"]["stream"] = buffer
        logging.config.dictConfig(config)
        return buffer

    yield configure
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def test_the_request_id_from_the_proxy_comes_back(client):
    response = client.get("/healthz/web", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_a_request_id_is_made_when_none_or_a_forged_one_comes(client):
    made = client.get("/healthz/web")["X-Request-ID"]
    assert len(made) == 32
    forged = client.get("/healthz/web", HTTP_X_REQUEST_ID="x\nFAKE ERROR line")
    assert "\n" not in forged["X-Request-ID"] and forged["X-Request-ID"] != made


def test_a_text_line_has_time_level_request_id_and_user_id_never_the_email(
    client, captured, coordinator
):
    buffer = captured("text")
    client.force_login(coordinator.user)
    client.get("/programmes/", HTTP_X_REQUEST_ID="req-42")
    line = next(x for x in buffer.getvalue().splitlines() if "req-42" in x)
    assert line[:4].isdigit()  # 2026-12-07 08:01:02,345
    assert " INFO [req-42] " in line
    assert f"user={coordinator.user.pk} " in line
    assert "GET programmes/ 200" in line
    # The wall time, then the CPU of the request's thread: what it waited for is the difference.
    assert re.search(r"GET programmes/ 200 \d+ ms cpu \d+ ms", line)
    assert coordinator.email not in buffer.getvalue()


def test_json_lines_for_a_log_collector(client, captured, coordinator):
    buffer = captured("json")
    client.force_login(coordinator.user)
    client.get("/programmes/", HTTP_X_REQUEST_ID="req-43")
    entries = [json.loads(x) for x in buffer.getvalue().splitlines()]
    entry = next(e for e in entries if e["request_id"] == "req-43")
    assert entry["level"] == "INFO"
    assert entry["user_id"] == coordinator.user.pk
    assert entry["status"] == 200
    assert 0 <= entry["cpu_ms"] <= entry["duration_ms"] + 1
    assert entry["time"].endswith("+00:00")
    assert coordinator.email not in buffer.getvalue()


def test_a_route_is_logged_never_a_path_with_its_token(client, captured):
    buffer = captured("text")
    client.get("/evaluation/r/un-jeton-secret-tres-long/")
    assert "evaluation/r/<str:token>/" in buffer.getvalue()
    assert "un-jeton-secret" not in buffer.getvalue()


def test_outside_a_request_the_ids_are_blank(captured):
    buffer = captured("json")
    logging.getLogger("maillage.test").warning("hors requête")
    entry = json.loads(buffer.getvalue().splitlines()[-1])
    assert entry["request_id"] == "-" and entry["user_id"] is None
    assert entry["message"] == "hors requête"

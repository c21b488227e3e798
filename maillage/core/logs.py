"""Logs that tie every line to its request: time, level, request id and user id, to stdout.

`RequestLogMiddleware` takes the request id from `X-Request-ID` (set by the reverse proxy) or
makes one, returns it in the response's `X-Request-ID` (a person reporting a problem can quote
it), and logs one line per request: method, the URL's route (its pattern, never the path, which
may hold a token), status, duration, and the CPU time the request's own thread spent (the wall
time minus the CPU time is what it waited: for a core, for the database, for the network).
`RequestContextFilter` adds the request id and the user
id to every line logged while the request runs, in any module. Never the e-mail nor a name: the
user id is enough to find the person, for whoever may.

MAILLAGE_LOG_FORMAT=json writes one JSON object a line (for Loki, Elasticsearch, CloudWatch…).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "maillage_request", default=None
)
# What a proxy may send as an id: no spaces nor control characters that could forge a log line.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

access_log = logging.getLogger("maillage.request")


def request_id_of(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _VALID_ID.match(given) else uuid.uuid4().hex


def current_ids(request: HttpRequest | None = None) -> tuple[str, int | None]:
    """The request id and user id of the request being answered ("-" and None outside one)."""
    request = request or _request.get()
    if request is None:
        return "-", None
    # Only a user already loaded by the request: reading `request.user` here would query the
    # session from inside a log call.
    user = request.__dict__.get("_cached_user")
    user_id = user.pk if user is not None and user.is_authenticated else None
    return getattr(request, "request_id", "-"), user_id


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_of(request)
        if "sentry_sdk" in sys.modules:  # an error report and the logs meet on this id
            sys.modules["sentry_sdk"].set_tag("request_id", request.request_id)
        token = _request.set(request)
        started, cpu_started = time.monotonic(), time.thread_time()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            match = getattr(request, "resolver_match", None)
            route = match.route if match is not None else "-"
            duration_ms = round((time.monotonic() - started) * 1000)
            cpu_ms = round((time.thread_time() - cpu_started) * 1000)
            access_log.info(
                "%s %s %s %d ms cpu %d ms",
                request.method,
                route or "/",
                response.status_code,
                duration_ms,
                cpu_ms,
                extra={
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "cpu_ms": cpu_ms,
                },
            )
            return response
        finally:
            _request.reset(token)


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a request's 4xx and 5xx after the middleware has returned, naming the
        # request in `extra`.
        request = _request.get() or getattr(record, "request", None)
        record.request_id, record.user_id = current_ids(request)
        if request is not None and isinstance(record.args, tuple) and request.path in record.args:
            # Django's own lines (« Not Found: /evaluation/r/<token>/ ») name the path: the
            # route instead, as in the request's line.
            match = getattr(request, "resolver_match", None)
            route = "/" + match.route if match is not None else "-"
            record.args = tuple(route if a == request.path else a for a in record.args)
        return True


class TextFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        # UTC with its offset: the same instant in every machine's logs, whatever its zone.
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", None),
        }
        for name in ("status", "duration_ms", "cpu_ms"):
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] user=%(user_id)s %(name)s: %(message)s"


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """settings.LOGGING: everything to stdout through one handler, in text or JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "maillage.core.logs.RequestContextFilter"}},
        "formatters": {
            "text": {"()": "maillage.core.logs.TextFormatter", "format": TEXT_FORMAT},
            "json": {"()": "maillage.core.logs.JSONFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["request"],
                "formatter": "json" if fmt == "json" else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own handlers (mail to admins, the runserver's) stay off: one stream.
            "django": {"handlers": ["console"], "level": level, "propagate": False},
        },
    }

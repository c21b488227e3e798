"""When the database is briefly out of reach (a restart, a failover, a dropped connection).

A reading request (GET, HEAD, OPTIONS) is tried once more on a fresh connection after a short
pause: a 6-second PostgreSQL restart then costs a reader a slower page, not an error. When the
second try fails too, or for a request that writes (its first write may have been kept: trying
it again could make two of a thing), the person gets a page that says so in plain words, with
status 503 and `Retry-After` so that proxies and scripts know to come back. A form that was
being sent comes back on that page with what the person typed, ready to send again as it was
(its `form_token` goes with it, so that a write the database did keep is not made twice).

The page is rendered without the database: no user, no session, no context processor.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

UNAVAILABLE = (OperationalError, InterfaceError)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Fields never written back into the page: secrets, and the CSRF token, which is sent again
# by its own hidden input.
_NOT_SHOWN = ("password", "csrfmiddlewaretoken", "otp", "code", "secret", "token")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether this error means the database could not be reached (not a wrong query)."""
    return isinstance(error, UNAVAILABLE) or (
        isinstance(error, DatabaseError) and isinstance(error.__cause__, UNAVAILABLE)
    )


class DatabaseRetryMiddleware:
    """Try a reading view once more when the database failed under it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        match = getattr(request, "resolver_match", None)
        if (
            not database_unavailable(exception)
            or request.method not in SAFE_METHODS
            or getattr(request, "_database_retried", False)
            or match is None
        ):
            return None
        request._database_retried = True  # type: ignore[attr-defined]
        log.warning("database unavailable on %s %s, trying once more", request.method, request.path)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                # A broken connection is not reused: the retry opens a new one.
                connection.close()
        time.sleep(settings.MAILLAGE_DB_RETRY_DELAY)
        # Raised again, the error goes to the handler below: the page that says so.
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            # The first try may have failed while its template was being rendered (a lazy
            # TemplateResponse): Django does not render what process_exception returns then,
            # which gave a bare 500 on the sign-in page during a PostgreSQL restart
            # (bench/faults/run.sh postgres).
            response = response.render()
        return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the « come back in a moment » page when the database is the cause, with
    the form that was being sent; Django's plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if not database_unavailable(error):
        return django_server_error(request, template_name=template_name)
    sending = request.method not in SAFE_METHODS
    context = {
        "sending": sending,
        "retry_after": settings.MAILLAGE_DB_RETRY_AFTER,
        "path": request.get_full_path(),
        "typed": _typed(request) if sending else [],
        "resend": _resend(request) if sending else [],
        "files": sending and bool(request.FILES),
    }
    try:
        body = loader.get_template("503.html").render(context)
    except Exception:  # the page must never fail in turn; the error is logged by Django
        log.exception("the database-unavailable page failed")
        return django_server_error(request, template_name=template_name)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.MAILLAGE_DB_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _hidden(name: str) -> bool:
    lowered = name.lower()
    return any(part in lowered for part in _NOT_SHOWN)


def _typed(request: HttpRequest) -> list[tuple[str, str]]:
    """What the person wrote (non-empty text answers), to read back or copy."""
    return [
        (name.replace("_", " ").replace("-", " "), value)
        for name, values in request.POST.lists()
        if not _hidden(name)
        for value in values
        if value.strip() and len(value) > 1
    ]


def _resend(request: HttpRequest) -> list[tuple[str, str]]:
    """Every field as it was sent (but passwords), to send again unchanged."""
    return [
        (name, value)
        for name, values in request.POST.lists()
        if "password" not in name.lower()
        for value in values
    ]

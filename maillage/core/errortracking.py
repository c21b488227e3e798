"""Optional error reports to Sentry (or a compatible service: GlitchTip, Bugsink) when
SENTRY_DSN is set; `pip install maillage[server]` brings sentry-sdk.

Nothing personal leaves: `send_default_pii=False` (no user e-mail, address nor cookies), and
`scrub_event` removes what the SDK would still send from a request (body, cookies, query
string, headers other than a few harmless ones) and masks e-mail addresses in messages,
exception values and breadcrumbs. The user is reported by id only, with the request id so that
a report and the logs meet.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
KEPT_HEADERS = {"host", "user-agent", "accept-language", "x-request-id", "content-type"}
MASK = "[filtered]"


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(MASK, value)
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send (and before_send_transaction): the event without personal data."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        if "url" in request:
            request["url"] = _mask(request["url"])
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("message", "logentry", "exception", "breadcrumbs", "extra"):
        if key in event:
            event[key] = _mask(event[key])
    # Local variables of each frame may hold anything (a form's cleaned data): never sent.
    for value in (event.get("exception") or {}).get("values", []) or []:
        for frame in ((value.get("stacktrace") or {}).get("frames")) or []:
            frame.pop("vars", None)
    return event


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError as error:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install 'maillage[server]'."
        ) from error
    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )

"""Request-scoped context: who is acting, for the audit trail; the net under the views; the
security headers of every page and the idle session timeout."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from .audit import acting_as
from .errors import DomainError


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


class DomainErrorMiddleware:
    """The safety net under the views: a `DomainError` that a view did not catch (a rule a
    service checks for every app, such as a closed program's freeze) becomes a message on the
    page the person came from, never a server error. Views still catch their app's error to
    show it in place, next to what was entered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        messages.error(request, exception.message)
        back = request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.path if request.method == "POST" else reverse("core:home")
        if request.headers.get("HX-Request"):
            # htmx swaps a fragment: send the whole page again, with the message on it.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = back
            return response
        return HttpResponseRedirect(back)


class SecurityHeadersMiddleware:
    """Headers every page of ours carries (static files are answered before this, by
    WhiteNoise): the Content Security Policy (our own scripts and styles only, none inline),
    `noindex` for search engines (a program's pages are nobody's business but its people's),
    and `no-store` so that no shared computer, proxy or back button keeps a page with personal
    data. A view that wants to be cached (robots.txt) sets its own Cache-Control, except for a
    signed-in person, whose pages are never stored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # What `patch_cache_control` gives a response without Cache-Control, computed once:
        # most pages have none, and parsing and rebuilding the header was per-request work
        # (issue 14, the public form's CPU).
        self.never_stored = _never_stored()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        if "Content-Security-Policy" not in headers and not (
            settings.DEBUG and response.status_code in (404, 500)
        ):
            # Django's debug pages (a developer's machine only) are styled inline.
            headers["Content-Security-Policy"] = settings.MAILLAGE_CSP
        if "X-Robots-Tag" not in headers:
            headers["X-Robots-Tag"] = "noindex, nofollow"
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = self.never_stored
            headers.pop("Expires", None)
        elif (user := getattr(request, "user", None)) is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, max_age=0, private=True)
            headers.pop("Expires", None)
        return response


def _never_stored() -> str:
    response = HttpResponse()
    patch_cache_control(response, no_store=True, no_cache=True, max_age=0, private=True)
    return response["Cache-Control"]


SEEN_KEY = "maillage_seen"


class IdleTimeoutMiddleware:
    """Sign a person out after MAILLAGE_IDLE_MINUTES without a request, unless they ticked
    « Se souvenir de moi » (allauth then gives the session a lifetime of its own, in days).
    The last request's time is written at most once a minute, not at every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _remembered(request):
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if seen and now - seen > settings.MAILLAGE_IDLE_MINUTES * 60:
                return _signed_out(request)
            if not seen or now - seen >= 60:
                request.session[SEEN_KEY] = now
        return self.get_response(request)


def start_idle_clock(*, request: HttpRequest | None = None, **_: object) -> None:
    """At sign-in: the idle time counts from now (and the first page writes nothing more)."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


def _remembered(request: HttpRequest) -> bool:
    # allauth sets an expiry in seconds when « remember me » is ticked, 0 when it is not.
    expiry = request.session.get("_session_expiry")
    return isinstance(expiry, int) and expiry > 0


def _signed_out(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    minutes = settings.MAILLAGE_IDLE_MINUTES
    messages.info(
        request,
        ngettext(
            "Par sécurité, votre session s’est fermée après %(n)s minute sans activité. "
            "Reconnectez-vous pour continuer.",
            "Par sécurité, votre session s’est fermée après %(n)s minutes sans activité. "
            "Reconnectez-vous pour continuer.",
            minutes,
        )
        % {"n": minutes},
    )
    target = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
    if request.method != "GET":
        target = reverse("account_login")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)

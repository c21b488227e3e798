"""The second factor (allauth.mfa) required of the people who hold other people's data:
administrators (`is_staff`, `is_superuser`), program coordinators, and a network's staff and
member coordinators. Participants (mentors, mentees, evaluators, committees, funders, the
public) are never forced, and may add one from « Mon compte ».

With `MAILLAGE_MFA_REQUIRED` on, such a person signed in without a second factor is sent to
« Sécurité du compte » (allauth's `mfa_index`, our template) on every page until they add an
authenticator app or a security key; signing out, the setup pages themselves, the privacy
page, the language switch and static files stay reachable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

# The role kinds (programs.Role.Kind, measurement.NetworkRole.Kind) that see other people's
# data: named here as strings, core sits below both apps.
STAFF_PROGRAM_ROLES = ("coordinator",)
STAFF_NETWORK_ROLES = ("staff", "member")

# Where a person who must still add a second factor may go.
OPEN_URL_NAMES = frozenset({"account_logout", "account_reauthenticate", "set_language"})
OPEN_URL_PREFIXES = ("mfa_",)
# The privacy policy only: the privacy officer's trail and register are staff pages like others.
OPEN_VIEW_NAMES = frozenset({"privacy:policy"})


def second_factor_required(user: Any) -> bool:
    """Whether this account must have a second factor (whatever the setting says)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    from .models import Person

    return (
        Person.objects.filter(user=user)
        .filter(
            Q(roles__kind__in=STAFF_PROGRAM_ROLES) | Q(network_roles__kind__in=STAFF_NETWORK_ROLES)
        )
        .exists()
    )


def has_second_factor(user: Any) -> bool:
    """An authenticator app or a security key: recovery codes alone are a spare, not a factor."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def must_enroll(user: Any) -> bool:
    return (
        settings.MAILLAGE_MFA_REQUIRED
        and second_factor_required(user)
        and not has_second_factor(user)
    )


def _is_open(request: HttpRequest) -> bool:
    if request.path_info.startswith(("/" + settings.STATIC_URL.lstrip("/"), "/robots.txt")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # the 404 page itself
    name = match.url_name or ""
    return (
        name in OPEN_URL_NAMES
        or name.startswith(OPEN_URL_PREFIXES)
        or match.view_name in OPEN_VIEW_NAMES
    )


class MFARequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or _is_open(request):
            return self.get_response(request)
        if not must_enroll(user):
            return self.get_response(request)
        target = reverse("mfa_index")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


def audit_authenticator(*, action: str, user: Any, authenticator: Any, **_: Any) -> None:
    """A factor added, removed or reset (new recovery codes) goes into the audit trail: who
    changed how an account is protected is a question a privacy officer asks after an incident.
    Never the secret: its kind and the account only."""
    from .audit import record

    record(
        action=action,
        model="mfa.Authenticator",
        object_id=str(authenticator.pk or ""),
        object_repr=f"{authenticator.type} — {user.email}",
        changes={"type": authenticator.type, "user": user.pk},
    )


def connect_audit() -> None:
    from functools import partial

    from allauth.mfa import signals

    for signal, action in (
        (signals.authenticator_added, "mfa.added"),
        (signals.authenticator_removed, "mfa.removed"),
        (signals.authenticator_reset, "mfa.reset"),
    ):
        signal.connect(
            partial(audit_authenticator, action=action),
            weak=False,
            dispatch_uid=f"core.audit.{action}",
        )

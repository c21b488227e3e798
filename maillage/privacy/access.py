"""Who is the privacy officer: the platform's administrator, the accounts named in settings
(`PRIVACY_OFFICER_ACCOUNTS`), and those an administrator gave the permission
« core.view_auditentry » in the admin (directly or through a group). Anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest


def is_privacy_officer(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        user.is_superuser
        or (user.email or "").lower() in settings.PRIVACY_OFFICER_ACCOUNTS
        or user.has_perm("core.view_auditentry")
    )


def require_officer(request: HttpRequest) -> None:
    if not is_privacy_officer(request.user):
        raise Http404

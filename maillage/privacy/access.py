"""Who is the privacy officer: the platform's administrator, the accounts named in settings
(`PRIVACY_OFFICER_ACCOUNTS`), and those an administrator gave the permission
« core.view_auditentry » in the admin (directly or through a group). Anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.http import Http404, HttpRequest


def is_privacy_officer(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (
        user.is_superuser
        or (user.email or "").lower() in settings.PRIVACY_OFFICER_ACCOUNTS
        or has_trail_permission(user)
    )


def has_trail_permission(user: Any) -> bool:
    """`user.has_perm("core.view_auditentry")` as Django's model backend answers it, asked once
    per request: every signed-in page asks for its menu. When the request has loaded the
    account's permissions already (`_perm_cache`), they answer; otherwise one query instead of
    the two that loading them takes."""
    if not hasattr(user, "_trail_permission"):
        if hasattr(user, "_perm_cache"):
            user._trail_permission = user.has_perm("core.view_auditentry")
        else:
            user._trail_permission = Permission.objects.filter(
                Q(user=user) | Q(group__user=user),
                content_type__app_label="core",
                codename="view_auditentry",
            ).exists()
    return user._trail_permission


def require_officer(request: HttpRequest) -> None:
    if not is_privacy_officer(request.user):
        raise Http404

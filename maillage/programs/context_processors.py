from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Program


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The programs the signed-in person can open, for the header menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_programs": []}
    return {"nav_programs": Program.objects.visible_to(user).only("id", "title")[:20]}

from __future__ import annotations

from typing import Any

from django import template

from maillage.privacy.access import is_privacy_officer

register = template.Library()


@register.simple_tag
def privacy_officer(user: Any) -> bool:
    """Whether the menu offers « Protection des renseignements »."""
    return is_privacy_officer(user)

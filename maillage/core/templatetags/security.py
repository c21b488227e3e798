"""« Sécurité du compte »: whether the signed-in person must have a second factor."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from ..mfa import has_second_factor, second_factor_required

register = template.Library()


@register.simple_tag
def second_factor_status(user: Any) -> dict[str, bool]:
    required = second_factor_required(user)
    enforced = settings.MAILLAGE_MFA_REQUIRED and required
    return {
        "required": required,
        "enforced": enforced,
        "blocking": enforced and not has_second_factor(user),
        "enabled": has_second_factor(user),
    }

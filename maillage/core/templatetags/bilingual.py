"""`{{ interest_form|localized:"intro" }}`: a bilingual field in the active language."""

from __future__ import annotations

from typing import Any

from django import template

from maillage.core.i18n import localized as pick

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    return pick(obj, field)

"""The one way to pick between a French and an English text (CONVENTIONS 11).

Bilingual content lives in `<field>_fr` / `<field>_en` pairs (and `{"fr", "en"}` choice dicts).
French is the source language and always filled in; English is optional. So the reader gets the
English text when they read English and someone wrote it, and the French one otherwise.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation


def is_english(language: str | None = None) -> bool:
    """Whether `language` (the active language when None) is English, regional variants included."""
    code = language or translation.get_language() or "fr"
    return code.lower().replace("_", "-").split("-")[0] == "en"


def localized_text(fr: str, en: str | None, language: str | None = None) -> str:
    """`en` when the language is English and `en` is not empty, else `fr`."""
    return en if en and is_english(language) else fr


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """`obj.<field>_en` or `obj.<field>_fr`, as `localized_text` decides."""
    return localized_text(
        getattr(obj, f"{field}_fr", "") or "", getattr(obj, f"{field}_en", "") or "", language
    )

"""French and English are complete: every string has its English translation, compiled."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def catalogue(lang: str) -> tuple[polib.POFile, polib.MOFile]:
    folder = LOCALE / lang / "LC_MESSAGES"
    return polib.pofile(str(folder / "django.po")), polib.mofile(str(folder / "django.mo"))


def test_english_catalogue_is_complete_and_not_fuzzy():
    po, _mo = catalogue("en")
    assert len(po) > 200
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_compiled_catalogues_match_their_sources():
    for lang in ("fr", "en"):
        po, mo = catalogue(lang)
        translated = {(e.msgctxt, e.msgid) for e in po.translated_entries()}
        compiled = {(e.msgctxt, e.msgid) for e in mo}
        assert translated <= compiled, f"{lang}: recompile the catalogue (scripts/i18n.sh)"

"""French is the source language: give each French entry its own text as translation, with
French plural forms, so the catalogue is complete and 0 takes the singular (« 0 candidature »)."""

from __future__ import annotations

from pathlib import Path

import polib

PO = (
    Path(__file__).resolve().parent.parent
    / "maillage"
    / "locale"
    / "fr"
    / "LC_MESSAGES"
    / "django.po"
)


def main() -> None:
    po = polib.pofile(str(PO))
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    po.metadata["Language"] = "fr"
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


if __name__ == "__main__":
    main()

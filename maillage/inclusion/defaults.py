"""The groups a program can track without typing them: the ones Québec's and Canada's
equity, diversity and inclusion programs name (Mentorat Québec's inclusive mentoring, the
federal EDI categories). A coordinator picks, renames in both languages, or adds their own."""

from __future__ import annotations

DEFAULT_GROUPS: list[dict[str, str]] = [
    {"key": "women", "label_fr": "Femmes", "label_en": "Women"},
    {
        "key": "gender-diverse",
        "label_fr": "Personnes non binaires ou de la diversité de genre",
        "label_en": "Non-binary or gender-diverse people",
    },
    {
        "key": "indigenous",
        "label_fr": "Personnes autochtones (Premières Nations, Inuit, Métis)",
        "label_en": "Indigenous people (First Nations, Inuit, Métis)",
    },
    {"key": "racialized", "label_fr": "Personnes racisées", "label_en": "Racialized people"},
    {
        "key": "disability",
        "label_fr": "Personnes en situation de handicap",
        "label_en": "People with a disability",
    },
    {"key": "2slgbtqi", "label_fr": "Personnes 2SLGBTQI+", "label_en": "2SLGBTQI+ people"},
    {
        "key": "newcomers",
        "label_fr": "Personnes immigrantes ou nouvellement arrivées",
        "label_en": "Immigrants and newcomers",
    },
    {"key": "youth", "label_fr": "Jeunes (moins de 35 ans)", "label_en": "Youth (under 35)"},
]


def default_group(key: str) -> dict[str, str] | None:
    return next((g for g in DEFAULT_GROUPS if g["key"] == key), None)

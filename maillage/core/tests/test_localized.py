"""The one helper that picks a bilingual field, and its template filter."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from maillage.core.i18n import localized, localized_text
from maillage.core.models import Sector

FORM = SimpleNamespace(
    intro_fr="Bienvenue", intro_en="Welcome", purpose_fr="Pourquoi", purpose_en=""
)


def test_french_active_gives_french():
    with translation.override("fr"):
        assert localized(FORM, "intro") == "Bienvenue"


def test_english_active_gives_english():
    with translation.override("en"):
        assert localized(FORM, "intro") == "Welcome"


def test_regional_english_counts_as_english():
    with translation.override("en-ca"):
        assert localized(FORM, "intro") == "Welcome"


def test_empty_english_falls_back_to_french():
    with translation.override("en"):
        assert localized(FORM, "purpose") == "Pourquoi"


def test_explicit_language_wins_over_the_active_one():
    with translation.override("fr"):
        assert localized(FORM, "intro", "en") == "Welcome"
    with translation.override("en"):
        assert localized(FORM, "intro", "fr") == "Bienvenue"


def test_choice_dicts_follow_the_same_rule():
    assert localized_text("Oui", "Yes", "en") == "Yes"
    assert localized_text("Oui", "", "en") == "Oui"
    assert localized_text("Oui", "Yes", "fr") == "Oui"


def test_template_filter_uses_the_active_language():
    template = Template('{% load bilingual %}{{ form|localized:"intro" }}')
    with translation.override("fr"):
        assert template.render(Context({"form": FORM})) == "Bienvenue"
    with translation.override("en"):
        assert template.render(Context({"form": FORM})) == "Welcome"


def test_bilingual_models_answer_through_the_helper():
    sector = Sector(name_fr="Agroalimentaire", name_en="Agri-food")
    with translation.override("en"):
        assert sector.name == "Agri-food"
    sector.name_en = ""
    with translation.override("en"):
        assert sector.name == "Agroalimentaire"

from __future__ import annotations

from django.utils import translation

from maillage.matching.presentation import (
    Factor,
    certificate_text,
    engine_message,
    pair_factors,
)


def test_an_optimal_certificate_says_nothing_does_better():
    text = certificate_text({"status": "optimal", "gap": 0.0})
    assert text.startswith("Optimal : aucune autre formation de groupes ne fait mieux")


def test_a_gap_is_given_in_percent():
    with translation.override("fr"):
        text = certificate_text({"status": "feasible", "gap": 0.0123})
    assert "Écart prouvé d’au plus 1,2 %" in text


def test_without_a_bound_the_text_says_so():
    assert "n’a pas pu être prouvé" in certificate_text({"status": "feasible", "gap": None})


def test_factors_are_sorted_by_contribution_and_skip_zero_weights():
    pair = {
        "criteria": {"fit": 0.4, "themes": 0.5, "style": 0.0, "ranking": 0.0, "preference": 0.0},
        "raw": {"fit": 0.4, "themes": 1.0, "style": 0.0, "ranking": 0.0, "preference": 0.0},
    }
    factors = pair_factors(pair, {"fit": 1.0, "themes": 0.5, "style": 0.2, "ranking": 0.0})
    assert [f.name for f in factors] == ["themes", "fit", "style"]
    assert factors[0].percent == 100 and factors[0].label == "Thèmes en commun"


def test_engine_messages_follow_the_readers_language():
    entry = {
        "code": "locked_pair_breaks_rule",
        "params": {
            "mentor": "R1",
            "mentor_label": "Marc",
            "mentee": "R2",
            "mentee_label": "Élise",
            "rule": "different_region",
        },
        "message": "…",
    }
    with translation.override("en"):
        assert "breaks the rule" in engine_message(entry)
    with translation.override("fr"):
        assert "enfreint la règle « mentor et mentoré de régions différentes »" in engine_message(
            entry
        )


def test_a_factor_reads_in_words_from_the_text_fit_thresholds():
    def fit(raw: float, kind: str = "semantic") -> str:
        return Factor("fit", "", "", raw, 0.5, 0.0, fit_kind=kind).words

    assert fit(0.6) == "correspond bien" and fit(0.40) == "correspond en partie"
    assert fit(0.3) == "correspond peu" and fit(0.3, "lexical") == "correspond en partie"
    themes = Factor("themes", "", "", 0.7, 0.2, 0.14)
    assert themes.words == "correspond bien" and themes.level == "good"

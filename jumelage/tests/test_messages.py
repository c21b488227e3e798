from __future__ import annotations

import re

import pytest

from jumelage import messages
from jumelage.cli import _ok_line
from jumelage.model import Certificate, Group, Result

BRACKETED_S = re.compile(r"\(s\)")


def test_every_code_has_french_and_english_text():
    for code, texts in messages.TEMPLATES.items():
        assert set(texts) == {"fr", "en"}, code
    for rule, texts in messages.RULE_NAMES.items():
        assert set(texts) == {"fr", "en"}, rule


def test_messages_name_people_by_label_and_the_rule_in_words():
    params = {
        "mentor": "M1",
        "mentor_label": "Marie",
        "mentee": "E2",
        "mentee_label": "Hugo",
        "rule": "same_sector",
    }
    fr = messages.render("locked_pair_breaks_rule", params, "fr")
    en = messages.render("locked_pair_breaks_rule", params, "en")
    assert "Marie" in fr and "Hugo" in fr and "même secteur" in fr
    assert "Marie" in en and "Hugo" in en and "same sector" in en


def test_messages_fall_back_to_the_id_without_a_label():
    assert "E7" in messages.render("not_selected", {"mentee": "E7"}, "fr")


def test_rule_counts_are_spelled_out():
    params = {"mentee": "E1", "excluded_by": {"different_region": 2, "same_sector": 3}}
    text = messages.render("no_compatible_mentor", params, "fr")
    assert "2 exclus par" in text and "3 exclus par" in text


def test_one_exclusion_is_singular_never_s_in_brackets():
    params = {"mentee": "E1", "excluded_by": {"same_sector": 1}}
    text = messages.render("no_compatible_mentor", params, "fr")
    assert "1 exclu par la règle" in text and not BRACKETED_S.search(text)
    assert "1 excluded by the rule" in messages.render("no_compatible_mentor", params, "en")


def test_an_unknown_code_does_not_crash():
    assert messages.render("no_such_code", {"x": 1}).startswith("no_such_code")


def test_attribute_names_are_translated():
    params = {"mentee": "E1", "attribute": "region", "compatible": 2}
    assert "même région" in messages.render("class_limit_full", params, "fr")


def test_plural_takes_the_singular_for_zero_and_one_in_french_only_one_in_english():
    assert [messages.plural(n, "place", "places", "fr") for n in (0, 1, 2)] == [
        "place",
        "place",
        "places",
    ]
    assert [messages.plural(n, "seat", "seats", "en") for n in (0, 1, 2)] == [
        "seats",
        "seat",
        "seats",
    ]


FRIDGE = {"mentor": "M1", "mentor_label": "Équipe Frigo"}

# (code, params with every count 1, the same with every count 2, French 1, French 2, English 1,
# English 2): each changed sentence, singular and plural, in both languages.
PLURAL_CASES = [
    (
        "capacity_full",
        {"mentee": "E1", "mentee_label": "Hugo", "compatible": 1},
        {"mentee": "E1", "mentee_label": "Hugo", "compatible": 2},
        "Hugo a 1 mentor compatible, déjà complet : ses places",
        "Hugo a 2 mentors compatibles, tous déjà complets : leurs places",
        "Hugo has 1 compatible mentor, already full: their seats",
        "Hugo has 2 compatible mentors, all already full: their seats",
    ),
    (
        "no_compatible_mentee",
        {**FRIDGE, "free": 1, "excluded_by": {"same_sector": 1}},
        {**FRIDGE, "free": 2, "excluded_by": {"same_sector": 2}},
        "Équipe Frigo a 1 place libre : aucun mentoré compatible (1 exclu par la règle",
        "Équipe Frigo a 2 places libres : aucun mentoré compatible (2 exclus par la règle",
        "Équipe Frigo has 1 free seat: no compatible mentee (1 excluded",
        "Équipe Frigo has 2 free seats: no compatible mentee (2 excluded",
    ),
    (
        "mentees_matched_elsewhere",
        {**FRIDGE, "free": 1, "compatible": 1},
        {**FRIDGE, "free": 2, "compatible": 2},
        "Équipe Frigo a 1 place libre : 1 mentoré compatible, jumelé ailleurs,",
        "Équipe Frigo a 2 places libres : 2 mentorés compatibles, tous jumelés ailleurs,",
        "Équipe Frigo has 1 free seat: 1 compatible mentee, matched elsewhere,",
        "Équipe Frigo has 2 free seats: 2 compatible mentees, all matched elsewhere,",
    ),
    (
        "over_capacity",
        {**FRIDGE, "count": 1, "capacity": 1},
        {**FRIDGE, "count": 2, "capacity": 2},
        "Équipe Frigo a 1 mentoré pour 1 place.",
        "Équipe Frigo a 2 mentorés pour 2 places.",
        "Équipe Frigo has 1 mentee for 1 seat.",
        "Équipe Frigo has 2 mentees for 2 seats.",
    ),
    (
        "lock_over_capacity",
        {**FRIDGE, "count": 1, "capacity": 1},
        {**FRIDGE, "count": 2, "capacity": 2},
        "Équipe Frigo a 1 mentoré imposé, mais seulement 1 place.",
        "Équipe Frigo a 2 mentorés imposés, mais seulement 2 places.",
        "Équipe Frigo has 1 locked mentee but only 1 seat.",
        "Équipe Frigo has 2 locked mentees but only 2 seats.",
    ),
]


@pytest.mark.parametrize("case", PLURAL_CASES, ids=[c[0] for c in PLURAL_CASES])
def test_each_count_agrees_with_its_noun(case):
    code, one, two, fr_one, fr_two, en_one, en_two = case
    rendered = {
        (params_name, lang): messages.render(code, params, lang)
        for params_name, params in (("one", one), ("two", two))
        for lang in ("fr", "en")
    }
    assert fr_one in rendered["one", "fr"]
    assert fr_two in rendered["two", "fr"]
    assert en_one in rendered["one", "en"]
    assert en_two in rendered["two", "en"]
    for text in rendered.values():
        assert not BRACKETED_S.search(text) and "{" not in text, text


def test_two_counts_in_one_sentence_agree_separately():
    params = {**FRIDGE, "free": 1, "compatible": 3}
    assert "a 1 place libre : 3 mentorés compatibles, tous jumelés" in messages.render(
        "mentees_matched_elsewhere", params, "fr"
    )
    params = {**FRIDGE, "count": 3, "capacity": 1}
    assert "has 3 mentees for 1 seat." in messages.render("over_capacity", params, "en")


def test_zero_is_singular_in_french_and_plural_in_english():
    params = {**FRIDGE, "count": 1, "capacity": 0}
    assert "a 1 mentoré pour 0 place." in messages.render("over_capacity", params, "fr")
    assert "has 1 mentee for 0 seats." in messages.render("over_capacity", params, "en")


def test_a_missing_count_stays_visible_instead_of_hiding_the_message():
    text = messages.render("over_capacity", {**FRIDGE, "count": 2}, "fr")
    assert text.startswith("Équipe Frigo a 2 mentorés pour {capacity}")


def _result(groups: int, mentees: int) -> Result:
    cert = Certificate(status="optimal", objective=1.5, bound=1.5, gap=0.0, solver="t", seconds=0)
    mentees_of = [[f"E{k}" for k in range(mentees)]] + [[] for _ in range(groups - 1)]
    return Result(
        mode="exact",
        groups=[Group(mentor=f"M{j}", mentees=mentees_of[j]) for j in range(groups)],
        unmatched=[],
        certificate=cert,
    )


def test_the_check_ok_line_agrees_with_its_counts():
    assert _ok_line(_result(1, 1), "fr").startswith("OK : 1 groupe, 1 mentoré jumelé, objectif")
    assert _ok_line(_result(2, 3), "fr").startswith("OK : 2 groupes, 3 mentorés jumelés, objectif")
    assert _ok_line(_result(1, 1), "en").startswith("OK: 1 group, 1 mentee matched, objective")
    assert _ok_line(_result(2, 3), "en").startswith("OK: 2 groups, 3 mentees matched, objective")


def test_other_counted_nouns_agree_too():
    one = messages.render("vector_dimension", {"id": "a", "got": 1, "expected": 3}, "fr")
    assert "a 1 dimension au lieu de 3" in one
    params = {**FRIDGE, "count": 1, "attribute": "region", "value": "x", "max": 0}
    assert "has 1 mentee with" in messages.render("class_limit_exceeded", params, "en")

from __future__ import annotations

from jumelage import messages


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
    assert "1 exclu par la règle" in text and "(s)" not in text
    assert "1 excluded by the rule" in messages.render("no_compatible_mentor", params, "en")


def test_an_unknown_code_does_not_crash():
    assert messages.render("no_such_code", {"x": 1}).startswith("no_such_code")


def test_attribute_names_are_translated():
    params = {"mentee": "E1", "attribute": "region", "compatible": 2}
    assert "même région" in messages.render("class_limit_full", params, "fr")

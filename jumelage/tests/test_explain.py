from __future__ import annotations

from jumelage import load_instance, solve


def _people():
    return {
        "policy": {"group_size": 2, "mentee_region_rule": "any"},
        "weights": {
            "fit": 0.0,
            "themes": 1.0,
            "style": 0.0,
            "ranking": 0.0,
            "preference": 0.0,
            "shared_themes": 0.5,
        },
        "mentors": [
            {
                "id": "M1",
                "label": "Marie",
                "region": "03",
                "sector": "a",
                "themes": ["froid", "transport"],
            },
            {"id": "M2", "label": "Luc", "region": "03", "sector": "b", "capacity": 1},
        ],
        "mentees": [
            {"id": "E1", "region": "05", "sector": "a", "themes": ["froid", "transport"]},
            {"id": "E2", "region": "05", "sector": "a", "themes": ["froid"]},
            {"id": "E3", "label": "Inès", "region": "05", "sector": "a", "themes": ["tri"]},
            {"id": "E4", "label": "Noé", "region": "03", "sector": "c"},
        ],
    }


def test_group_explanation_gives_each_criterion_and_the_shared_themes():
    result = solve(load_instance(_people()))
    group = next(g for g in result.groups if g.mentor == "M1")
    assert group.mentees == ["E1", "E2"]
    pair = group.explanation["pairs"][0]
    assert pair["criteria"]["themes"] == 1.0 and pair["raw"]["themes"] == 1.0
    assert group.explanation["shared_themes"] == {"bonus": 0.25, "themes": ["froid"]}
    assert abs(group.score - (1.0 + 0.5 + 0.25)) < 1e-9


def test_unmatched_mentee_with_no_compatible_mentor_gets_counts_per_rule():
    result = solve(load_instance(_people()))
    noe = next(u for u in result.unmatched if u.id == "E4")
    (reason,) = noe.reasons
    assert reason["code"] == "no_compatible_mentor"
    assert reason["params"]["excluded_by"] == {"different_region": 2, "same_sector": 2}
    assert "Noé" in reason["message"]


def test_unmatched_mentee_whose_compatible_mentors_are_full_is_told_so():
    result = solve(load_instance(_people()))
    ines = next(u for u in result.unmatched if u.id == "E3")
    assert ines.reasons[0]["code"] == "capacity_full"
    assert ines.reasons[0]["params"]["compatible"] == 1


def test_mentor_with_free_seats_is_explained():
    result = solve(load_instance(_people()), lang="en")
    luc = next(u for u in result.unmatched if u.id == "M2")
    assert luc.side == "mentor" and luc.free == 1
    assert luc.reasons[0]["code"] == "no_compatible_mentee"
    assert "Luc" in luc.reasons[0]["message"] and "free seat" in luc.reasons[0]["message"]


def test_locked_mentees_are_marked_in_the_explanation():
    data = _people() | {"locks": [{"mentor": "M1", "mentee": "E3"}]}
    result = solve(load_instance(data))
    group = next(g for g in result.groups if g.mentor == "M1")
    assert "E3" in group.mentees and group.explanation["locked"] == ["E3"]

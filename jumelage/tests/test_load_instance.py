from __future__ import annotations

import pytest

from jumelage import InstanceError, load_instance


def _base() -> dict:
    return {
        "policy": {"group_size": 2},
        "mentors": [
            {"id": "M1", "label": "Marie", "region": "03", "sector": "alimentation", "capacity": 2},
            {
                "id": "M2",
                "label": "Équipe Nord",
                "region": "02",
                "sector": "alimentation",
                "capacity": 0,
                "members": ["P1", "P2"],
            },
        ],
        "mentees": [
            {"id": "E1", "label": "Élise", "region": "05", "sector": "alimentation"},
            {"id": "E2", "label": "Hugo", "region": "03", "sector": "alimentation"},
            {"id": "E3", "label": "Inès", "region": "05", "sector": "logement"},
        ],
    }


def _codes(data: dict) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    return [p.code for p in caught.value.problems]


def test_a_valid_instance_loads_with_defaults():
    inst = load_instance(_base())
    assert inst.policy.region_rule == "different_region"
    assert inst.weights.fit == 1.0
    assert inst.capacity(inst.mentors[1]) == 0


def test_unknown_keys_are_ignored():
    data = _base() | {"program": "pilote"}
    data["mentees"][0]["shoe_size"] = 42
    load_instance(data)


def test_duplicate_id_is_named():
    data = _base()
    data["mentees"].append({"id": "E1"})
    assert _codes(data) == ["duplicate_id"]


def test_unknown_id_in_a_lock_is_named():
    data = _base() | {"locks": [{"mentor": "M9", "mentee": "E1"}]}
    assert _codes(data) == ["unknown_id"]


def test_unknown_id_in_a_ranking_is_named():
    data = _base()
    data["mentees"][0]["ranking"] = ["M1", "M7"]
    assert _codes(data) == ["unknown_id"]


def test_locked_pair_that_breaks_a_rule_names_the_rule_and_the_people():
    data = _base() | {"locks": [{"mentor": "M1", "mentee": "E2"}]}  # both in region 03
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    (problem,) = caught.value.problems
    assert problem.code == "locked_pair_breaks_rule"
    assert problem.params["rule"] == "different_region"
    assert (
        "Hugo" in problem.message
        and "Marie" in problem.message
        and "régions différentes" in problem.message
    )


def test_lock_over_capacity():
    data = _base()
    data["mentors"][0]["capacity"] = 1
    data["policy"]["mentee_region_rule"] = "any"
    data["mentees"].append({"id": "E4", "region": "01", "sector": "alimentation"})
    data["locks"] = [{"mentor": "M1", "mentee": "E1"}, {"mentor": "M1", "mentee": "E4"}]
    assert _codes(data) == ["lock_over_capacity"]


def test_lock_and_forbid_on_the_same_pair():
    data = _base() | {
        "locks": [{"mentor": "M1", "mentee": "E1"}],
        "forbidden": [{"mentor": "M1", "mentee": "E1"}],
    }
    assert _codes(data) == ["lock_and_forbid"]


def test_lock_on_a_mentor_without_seats():
    data = _base() | {"locks": [{"mentor": "M2", "mentee": "E1"}]}
    assert _codes(data) == ["capacity_zero"]


def test_lock_against_a_declared_conflict_of_interest():
    data = _base() | {
        "locks": [{"mentor": "M1", "mentee": "E1"}],
        "exclusions": [
            {
                "mentor": "M1",
                "mentee": "E1",
                "reason": "conflict_of_interest",
                "declared_by": "mentee",
            }
        ],
    }
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    assert [(p.code, p.params["rule"]) for p in caught.value.problems] == [
        ("locked_pair_breaks_rule", "conflict_of_interest")
    ]


def test_a_mentee_locked_to_two_mentors():
    data = _base()
    data["mentors"][1]["capacity"] = 2
    data["locks"] = [{"mentor": "M1", "mentee": "E1"}, {"mentor": "M2", "mentee": "E1"}]
    assert _codes(data) == ["mentee_locked_twice"]


def test_two_locked_mentees_of_one_region_break_the_group_rule():
    data = _base()
    data["mentees"].append({"id": "E4", "region": "05", "sector": "alimentation"})
    data["locks"] = [{"mentor": "M1", "mentee": "E1"}, {"mentor": "M1", "mentee": "E4"}]
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    assert [(p.code, p.params["rule"]) for p in caught.value.problems] == [
        ("locked_pair_breaks_rule", "mentee_class_limit")
    ]


def test_an_exclusion_may_name_a_member_of_a_team():
    data = _base()
    data["mentors"][1]["capacity"] = 2
    data["exclusions"] = [{"mentor": "P1", "mentee": "E1", "reason": "competition"}]
    inst = load_instance(data)
    assert inst.exclusions[0].mentor == "M2"


def test_schema_errors_give_one_problem_each_with_the_path():
    data = _base()
    data["mentors"][0]["capacity"] = -1
    data["policy"]["region_rule"] = "far_away"
    del data["mentees"][0]["id"]
    problems = _codes(data)
    assert sorted(problems) == ["invalid_value", "invalid_value", "missing_field"]


def test_every_problem_is_listed_not_only_the_first():
    data = _base() | {
        "locks": [{"mentor": "M1", "mentee": "E2"}, {"mentor": "M2", "mentee": "E3"}],
    }
    codes = _codes(data)
    assert "locked_pair_breaks_rule" in codes and "capacity_zero" in codes

from __future__ import annotations

import copy
import json
import random

import numpy as np

from jumelage import load_instance, solve
from jumelage.check import blocking_pairs, check
from jumelage.tests.factories import random_instance_data


def _solved():
    data = {
        "policy": {"group_size": 2, "mentee_region_rule": "different_region"},
        "mentors": [
            {"id": "M1", "region": "03", "sector": "a", "themes": ["froid"]},
            {"id": "M2", "region": "02", "sector": "a", "themes": ["tri"]},
        ],
        "mentees": [
            {"id": "E1", "region": "05", "sector": "a", "themes": ["froid"]},
            {"id": "E2", "region": "01", "sector": "a", "themes": ["tri"]},
            {"id": "E3", "region": "03", "sector": "a", "themes": ["froid"]},
        ],
        "weights": {"fit": 0},
        "locks": [{"mentor": "M2", "mentee": "E2"}],
    }
    inst = load_instance(data)
    return inst, solve(inst).to_dict()


def _codes(inst, result):
    return [p.code for p in check(inst, result)]


def test_a_solved_result_passes():
    inst, result = _solved()
    assert check(inst, result) == []


def test_it_catches_a_pair_that_breaks_a_rule():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    # E3 is from region 03 like M1: moving it there breaks "different regions".
    for g in tampered["groups"]:
        g["mentees"] = [e for e in g["mentees"] if e != "E3"]
    next(g for g in tampered["groups"] if g["mentor"] == "M1")["mentees"].append("E3")
    assert "pair_breaks_rule" in _codes(inst, tampered)


def test_it_catches_a_wrong_objective():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    tampered["certificate"]["objective"] += 0.5
    assert "score_mismatch" in _codes(inst, tampered)


def test_it_catches_a_wrong_group_score():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    tampered["groups"][0]["score"] += 0.1
    assert "score_mismatch" in _codes(inst, tampered)


def test_it_catches_a_missing_lock_and_over_capacity():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    for g in tampered["groups"]:
        g["mentees"] = [e for e in g["mentees"] if e != "E2"]
    tampered["groups"][0]["mentees"] += ["E2", "E3"]
    codes = _codes(inst, tampered)
    assert "lock_missing" in codes
    assert (
        "over_capacity" in codes or "class_limit_exceeded" in codes or "pair_breaks_rule" in codes
    )


def test_it_catches_a_mentee_in_two_groups_and_unknown_people():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    tampered["groups"][0]["mentees"].append(tampered["groups"][1]["mentees"][0])
    assert "mentee_assigned_twice" in _codes(inst, tampered)
    tampered["groups"][0]["mentees"].append("E99")
    assert "unknown_id" in _codes(inst, tampered)


def test_it_catches_a_bound_below_the_objective():
    inst, result = _solved()
    tampered = copy.deepcopy(result)
    tampered["certificate"]["bound"] = tampered["certificate"]["objective"] - 1
    assert "bound_below_objective" in _codes(inst, tampered)


def test_exact_results_on_random_instances_all_pass_check():
    for seed in range(15):
        inst = load_instance(random_instance_data(random.Random(seed), n_mentors=4, n_mentees=8))
        result = solve(inst)
        assert check(inst, json.loads(json.dumps(result.to_dict()))) == []


def test_blocking_pair_is_found_when_both_prefer_each_other():
    data = {
        "policy": {
            "group_size": 1,
            "region_rule": "any",
            "sector_rule": "any",
            "mentee_region_rule": "any",
        },
        "weights": {"fit": 0},
        "mentors": [{"id": "M1", "ranking": ["E1", "E2"]}, {"id": "M2", "ranking": ["E1", "E2"]}],
        "mentees": [{"id": "E1", "ranking": ["M1", "M2"]}, {"id": "E2", "ranking": ["M1", "M2"]}],
    }
    inst = load_instance(data)
    unstable = np.array([1, 0])  # E1 with M2, E2 with M1: E1 and M1 prefer each other
    assert blocking_pairs(inst, unstable) == [(0, 0)]
    assert blocking_pairs(inst, np.array([0, 1])) == []


def test_a_locked_mentee_never_makes_a_blocking_pair():
    data = {
        "policy": {
            "group_size": 1,
            "region_rule": "any",
            "sector_rule": "any",
            "mentee_region_rule": "any",
        },
        "weights": {"fit": 0},
        "mentors": [{"id": "M1", "ranking": ["E1", "E2"]}, {"id": "M2", "ranking": ["E1", "E2"]}],
        "mentees": [{"id": "E1", "ranking": ["M1", "M2"]}, {"id": "E2", "ranking": ["M1", "M2"]}],
        "locks": [{"mentor": "M2", "mentee": "E1"}],
    }
    inst = load_instance(data)
    assert blocking_pairs(inst, np.array([1, 0])) == []

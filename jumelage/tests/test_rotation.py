"""The speed-dating rotation: no repeated or forbidden pair, one meeting per person per round, no
round over the tables, and the lexicographic optimum (meetings, spread, score) against a brute
force on tiny instances."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jumelage.model import load_instance
from jumelage.rotation import SCALE, check_rotation, colour_rounds, plan_rotation, rotation


@st.composite
def tiny(draw):
    n_e = draw(st.integers(1, 4))
    n_m = draw(st.integers(1, 3))
    cells = [(i, j) for i in range(n_e) for j in range(n_m)]
    allowed = draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells)))
    scores = draw(st.lists(st.integers(0, 20), min_size=len(allowed), max_size=len(allowed)))
    rounds = draw(st.integers(1, 3))
    tables = draw(st.one_of(st.none(), st.integers(1, 3)))
    return n_e, n_m, allowed, [x / 10 for x in scores], rounds, tables


def _value(chosen, n_e, scores):
    per = np.bincount([c[0] for c in chosen], minlength=n_e) if chosen else np.zeros(n_e, int)
    spread = int(sum(d * (d - 1) // 2 for d in per))
    total = sum(int(round(scores[k] * SCALE)) for k in [c[2] for c in chosen])
    return (len(chosen), -spread, total)


def _brute(n_e, n_m, allowed, scores, rounds, tables):
    """The best (meetings, −spread, score) over every subset of allowed pairs within limits."""
    best = (0, 0, 0)
    edges = [(i, j, k) for k, (i, j) in enumerate(allowed)]
    cap = rounds * tables if tables is not None else len(edges)
    for size in range(1, min(len(edges), cap) + 1):
        for chosen in itertools.combinations(edges, size):
            de = np.bincount([c[0] for c in chosen], minlength=n_e)
            dm = np.bincount([c[1] for c in chosen], minlength=n_m)
            if de.max() > rounds or dm.max() > rounds:
                continue
            best = max(best, _value(list(chosen), n_e, scores))
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny())
def test_rotation_is_valid_and_optimal_against_brute_force(case):
    n_e, n_m, allowed, scores, rounds, tables = case
    ei = np.array([i for i, _ in allowed], np.int64)
    mj = np.array([j for _, j in allowed], np.int64)
    rot = plan_rotation(n_e, n_m, ei, mj, np.array(scores), rounds=rounds, tables=tables)
    assert check_rotation(rot, set(allowed), rounds=rounds, tables=tables) == []
    index = {p: k for k, p in enumerate(allowed)}
    chosen = [(m.mentee, m.mentor, index[(m.mentee, m.mentor)]) for m in rot.meetings]
    assert _value(chosen, n_e, scores) == _brute(n_e, n_m, allowed, scores, rounds, tables)
    assert rot.certificate.meetings == len(rot.meetings) <= rot.certificate.simple_bound


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 5), st.integers(0, 10_000))
def test_colouring_is_proper_and_equitable(n_e, n_m, rounds, seed):
    rng = np.random.default_rng(seed)
    # a random bipartite graph of max degree <= rounds
    de, dm, edges = np.zeros(n_e, int), np.zeros(n_m, int), []
    for i, j in rng.permutation([(i, j) for i in range(n_e) for j in range(n_m)]):
        if de[i] < rounds and dm[j] < rounds and rng.random() < 0.7:
            edges.append((i, j))
            de[i] += 1
            dm[j] += 1
    ei = np.array([e[0] for e in edges], np.int64)
    mj = np.array([e[1] for e in edges], np.int64)
    colour = colour_rounds(n_e, n_m, ei, mj, rounds)
    for r in range(rounds):
        here = colour == r
        assert len(set(ei[here])) == here.sum()
        assert len(set(mj[here])) == here.sum()
    if len(edges):
        sizes = np.bincount(colour, minlength=rounds)
        assert sizes.max() - sizes.min() <= 1


def test_tables_limit_the_rounds_and_nobody_meets_twice():
    # 5 mentees, 4 mentors, everyone allowed; 3 rounds of 2 tables: 6 meetings at most
    n_e, n_m = 5, 4
    allowed = [(i, j) for i in range(n_e) for j in range(n_m)]
    ei = np.array([a for a, _ in allowed])
    mj = np.array([b for _, b in allowed])
    rot = plan_rotation(n_e, n_m, ei, mj, np.ones(len(allowed)), rounds=3, tables=2)
    assert rot.certificate.meetings == 6
    assert check_rotation(rot, set(allowed), rounds=3, tables=2) == []
    # the spread tier: six meetings over five mentees, nobody gets two while one gets none
    per = np.bincount([m.mentee for m in rot.meetings], minlength=n_e)
    assert per.min() == 1 and per.max() == 2


def test_the_rules_of_the_instance_hold():
    """Regions must differ: a mentee never meets a mentor of her region; a forbidden pair and a
    declared conflict are never met; pairs already met are left out."""
    data = {
        "policy": {"group_size": 2, "region_rule": "different_region", "sector_rule": "any"},
        "mentors": [
            {"id": "A", "region": "05", "capacity": 2},
            {"id": "B", "region": "06", "capacity": 2},
            {"id": "C", "region": "16", "capacity": 2},
        ],
        "mentees": [
            {"id": "x", "region": "05"},
            {"id": "y", "region": "06"},
            {"id": "z", "region": "03"},
        ],
        "forbidden": [{"mentor": "C", "mentee": "y"}],
        "exclusions": [{"mentor": "B", "mentee": "z", "reason": "competition"}],
    }
    inst = load_instance(data)
    rot = rotation(inst, rounds=3, met={("C", "x")})
    pairs = {(inst.mentors[m.mentor].id, inst.mentees[m.mentee].id) for m in rot.meetings}
    assert pairs == {("B", "x"), ("A", "y"), ("A", "z"), ("C", "z")}
    assert rot.certificate.status == "optimal" and rot.certificate.meetings == 4

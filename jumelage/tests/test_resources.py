"""Offers matched to needs between organizations: rules never broken, scores as documented,
the assignment optimal (against brute force) and better than the naive first fit."""

from __future__ import annotations

import itertools
import random

import pytest

from jumelage.resources import DEFAULT_WEIGHTS, Item, explain_pair, first_fit, match_resources

NEIGHBOURS = {"16": ["05", "06", "17"], "05": ["16", "17"]}


def truck(id: str, owner: str, **kw) -> Item:
    base = dict(kind="physical", category="camion_refrigere", region="16", mrc="700")
    return Item(id=id, owner=owner, **{**base, **kw})


def test_a_perfect_pair_scores_one_and_says_why():
    offer = truck("O1", "A", quantity=300, unit="km", start="2026-05-01", end="2026-09-30")
    need = truck("N1", "B", quantity=200, unit="km", start="2026-06-01", end="2026-06-30")
    result = match_resources([offer], [need], neighbours=NEIGHBOURS)
    assert [(m.offer, m.need) for m in result.matches] == [("O1", "N1")]
    match = result.matches[0]
    assert match.score == pytest.approx(1.0)
    assert match.criteria["distance"]["code"] == "same_mrc"
    assert match.criteria["period"]["code"] == "whole_period"
    assert match.criteria["capacity"]["code"] == "enough_quantity"
    assert result.certificate["status"] == "optimal"


def test_each_criterion_lowers_the_score_as_documented():
    need = truck("N", "B", quantity=100, unit="km", start="2026-06-01", end="2026-06-10")
    cases = {
        "category": (truck("O", "A", category="camion"), 0.3),
        "distance": (truck("O", "A", mrc="760"), 0.7),  # same region 16, another MRC
        "period": (truck("O", "A", start="2026-06-06"), 0.5),  # half of the ten days
        "capacity": (truck("O", "A", quantity=25, unit="km"), 0.25),
    }
    for name, (offer, raw) in cases.items():
        criteria = explain_pair(offer, need, neighbours=NEIGHBOURS)
        assert criteria[name]["raw"] == pytest.approx(raw), name
        assert criteria[name]["weighted"] == pytest.approx(DEFAULT_WEIGHTS[name] * raw)


def test_neighbouring_and_far_regions():
    need = truck("N", "B", region="16", mrc="700", reach="province")
    near = explain_pair(truck("O", "A", region="05", mrc="450"), need, neighbours=NEIGHBOURS)
    far = explain_pair(truck("O", "A", region="01", mrc="070"), need, neighbours=NEIGHBOURS)
    assert near["distance"]["code"] == "neighbour_region"
    assert far["distance"]["code"] == "far"
    assert near["distance"]["raw"] > far["distance"]["raw"]


def test_hard_rules_are_never_broken_and_the_reason_is_given():
    need = truck("N", "B", reach="region")
    cases = {
        "no_offer_of_kind": truck("O", "A", kind="human", category="benevoles"),
        "own_offers_only": truck("O", "B"),
        "too_far": truck("O", "A", region="01", mrc="070"),
        "no_period_overlap": truck("O", "A", end="2026-01-31"),
    }
    need = truck("N", "B", reach="region", start="2026-03-01", end="2026-03-31")
    for code, offer in cases.items():
        result = match_resources([offer], [need], neighbours=NEIGHBOURS)
        assert result.matches == [], code
        assert [u.code for u in result.unmatched] == [code]


def test_recurring_days_must_meet():
    offer = truck("O", "A", days=("lun", "mar"))
    assert not match_resources([offer], [truck("N", "B", days=("sam",))]).matches
    half = match_resources([offer], [truck("N", "B", days=("mar", "mer"))]).matches[0]
    assert half.criteria["period"]["raw"] == pytest.approx(0.5)


def test_an_offer_serves_at_most_its_capacity_and_a_declined_pair_is_not_proposed_again():
    offer = truck("O", "A", capacity=2)
    needs = [truck(f"N{i}", f"B{i}") for i in range(3)]
    result = match_resources([offer], needs)
    assert len(result.matches) == 2
    assert [u.code for u in result.unmatched] == ["offers_taken"]
    again = match_resources([truck("O", "A")], [truck("N", "B")], forbidden=[("O", "N")])
    assert again.matches == [] and again.unmatched[0].code == "declined"


def test_the_engine_beats_first_fit_where_the_first_need_would_take_the_only_truck():
    """N1 comes first and slightly prefers O1 (same MRC); N2 can only use O1 (O2 is too far for
    it). First fit gives O1 to N1 and leaves N2 without a truck; the engine meets both."""
    o1 = truck("O1", "A", mrc="700", reach="mrc")
    o2 = truck("O2", "C", mrc="760", reach="mrc")
    n1 = truck("N1", "B", mrc="700", reach="region")
    n2 = truck("N2", "D", mrc="700", reach="mrc")
    naive = first_fit([o1, o2], [n1, n2], neighbours=NEIGHBOURS)
    assert [(o, n) for o, n, _score in naive] == [("O1", "N1")]
    result = match_resources([o1, o2], [n1, n2], neighbours=NEIGHBOURS)
    assert {(m.offer, m.need) for m in result.matches} == {("O2", "N1"), ("O1", "N2")}
    assert len(result.matches) > len(naive)
    assert result.certificate["objective"] > sum(s for _o, _n, s in naive)


def _brute_force(offers, needs):
    """Best (number met, total score) over every assignment, by enumeration."""
    scores = {}
    for o in offers:
        for n in needs:
            found = match_resources([o], [n], neighbours=NEIGHBOURS).matches
            if found:
                scores[(o.id, n.id)] = found[0].score
    best = (0, 0.0)
    choices = [[None] + [o for o in offers if (o.id, n.id) in scores] for n in needs]
    for pick in itertools.product(*choices):
        used: dict[str, int] = {}
        for o in pick:
            if o is not None:
                used[o.id] = used.get(o.id, 0) + 1
        if any(used[o.id] > o.capacity for o in offers if o.id in used):
            continue
        met = sum(o is not None for o in pick)
        total = sum(scores[(o.id, n.id)] for o, n in zip(pick, needs, strict=True) if o)
        best = max(best, (met, round(total, 3)))
    return best


@pytest.mark.parametrize("seed", range(12))
def test_the_assignment_is_optimal_against_brute_force(seed):
    rng = random.Random(seed)

    def item(prefix: str, i: int, capacity: int = 1) -> Item:
        return Item(
            id=f"{prefix}{i}",
            owner=rng.choice("ABCD"),
            kind=rng.choice(("physical", "human")),
            category=rng.choice(("x", "y")),
            quantity=rng.choice((None, 5, 10, 20)),
            unit="t",
            start=rng.choice((None, "2026-01-01", "2026-03-01")),
            end=rng.choice((None, "2026-02-15", "2026-06-30")),
            region=rng.choice(("16", "05", "01")),
            mrc=rng.choice(("700", "760", None)),
            reach=rng.choice(("mrc", "region", "neighbours", "province")),
            capacity=capacity,
        )

    offers = [item("O", i, rng.choice((1, 2))) for i in range(3)]
    needs = [item("N", i) for i in range(5)]
    result = match_resources(offers, needs, neighbours=NEIGHBOURS)
    met, total = _brute_force(offers, needs)
    assert len(result.matches) == met
    assert result.certificate["objective"] == pytest.approx(total, abs=0.01)
    room = {o.id: o.capacity for o in offers}
    for m in result.matches:
        room[m.offer] -= 1
    assert min(room.values(), default=0) >= 0

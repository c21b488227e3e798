"""Matching organizations' offers of resources to other organizations' needs (seed 004).

Organizations of a network lend each other trucks, kitchens, cold rooms, volunteers, funds or
know-how. Each **need** is met by at most one **offer**; an offer serves at most `capacity`
needs (a truck lent on different days to two antennas: capacity 2). Between an offer and a need
the score is the weighted sum of four criteria, each in [0, 1]:

| criterion | value |
| --- | --- |
| `category` | 1 same category (« camion réfrigéré »), 0.3 same kind but another category |
| `distance` | 1 same MRC, 0.7 same region, 0.4 neighbouring region, 0.1 farther |
| `period`   | share of the need's dates the offer covers × share of the need's days it covers |
| `capacity` | offered quantity ÷ needed quantity, at most 1, when both use one unit; 0.5 unknown |

Hard rules (the pair is never proposed): another kind (physical, human, financial,
organizational); the same organization on both sides; farther than both sides will go (`reach`:
`mrc`, `region`, `neighbours`, `province`); no date or day in common; a pair `forbidden` (one
side declined it already).

The assignment maximizes first the number of needs met, then the total score, **exactly**: a
maximum flow of minimum cost (OR-Tools) on source → need (1) → offer (capacity) → sink, over
every allowed pair. The result's certificate says so (`status: optimal`). `first_fit` is the
naive alternative (each need, in order, takes its best offer still free), kept for comparison.

Pure Python with numpy: no Django. Scores are computed in blocks of needs against all offers
(vectorized), and the words of each chosen pair by `explain_pair`, which reads the same rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

KINDS = ("physical", "human", "financial", "organizational")
REACH = {"mrc": 0, "region": 1, "neighbours": 2, "province": 3}
# Distance levels: same MRC, same region, neighbouring region, farther (or unknown).
DISTANCE_VALUE = (1.0, 0.7, 0.4, 0.1)
OTHER_CATEGORY = 0.3
UNKNOWN_CAPACITY = 0.5
DEFAULT_WEIGHTS = {"category": 0.35, "distance": 0.3, "period": 0.2, "capacity": 0.15}
DAYS = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
SCALE = 1000  # integer costs for the flow: scores are kept to 1/1000
BLOCK = 512  # needs scored at once against every offer
# Category codes by kind for generated instances (the platform's lists live in its models).
CATEGORIES_FOR_BENCH = {
    "physical": ("camion_refrigere", "camion", "cuisine", "chambre_froide", "congelateur"),
    "human": ("benevoles", "personnel", "insertion", "chauffeur"),
    "financial": ("subvention", "pret", "achat_groupe"),
    "organizational": ("guide", "outils_gestion", "formation", "accompagnement"),
}


@dataclass(frozen=True)
class Item:
    """An offer or a need. Dates are ISO strings or `date`s (None: open); `days` among DAYS
    (empty: any day); `region`/`mrc` codes (None: not given); `capacity` for offers only."""

    id: str
    owner: str
    kind: str
    category: str
    quantity: float | None = None
    unit: str = ""
    start: Any = None
    end: Any = None
    days: tuple[str, ...] = ()
    region: str | None = None
    mrc: str | None = None
    reach: str = "region"
    capacity: int = 1
    label: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Item:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["days"] = tuple(fields.get("days") or ())
        return cls(**fields)


@dataclass
class Match:
    offer: str
    need: str
    score: float
    criteria: dict[str, dict[str, Any]]


@dataclass
class Unmatched:
    need: str
    code: str  # no_offer_of_kind, too_far, no_period_overlap, own_offers_only, offers_taken
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ResourceResult:
    matches: list[Match]
    unmatched: list[Unmatched]
    certificate: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "matches": [m.__dict__ for m in self.matches],
            "unmatched": [u.__dict__ for u in self.unmatched],
            "certificate": self.certificate,
        }


def _ordinal(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.toordinal()


def _mask(days: Iterable[str]) -> int:
    bits = 0
    for day in days:
        if day in DAYS:
            bits |= 1 << DAYS.index(day)
    return bits


LOW, HIGH = -(10**7), 10**7


@dataclass
class _Arrays:
    kind: np.ndarray
    category: np.ndarray
    owner: np.ndarray
    region: np.ndarray
    mrc: np.ndarray
    reach: np.ndarray
    start: np.ndarray
    end: np.ndarray
    days: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray


class _Codes:
    """One integer per distinct string (shared by offers and needs); -1 for none."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def __call__(self, value: str | None) -> int:
        if value is None or value == "":
            return -1
        return self.codes.setdefault(value, len(self.codes))


def _arrays(items: list[Item], codes: dict[str, _Codes]) -> _Arrays:
    def column(name: str, values: Iterable[Any], dtype: Any) -> np.ndarray:
        return np.fromiter(values, dtype=dtype, count=len(items))

    return _Arrays(
        kind=column("kind", (codes["kind"](i.kind) for i in items), np.int32),
        category=column("category", (codes["category"](i.category) for i in items), np.int32),
        owner=column("owner", (codes["owner"](i.owner) for i in items), np.int32),
        region=column("region", (codes["region"](i.region) for i in items), np.int32),
        mrc=column("mrc", (codes["mrc"](i.mrc) for i in items), np.int32),
        reach=column("reach", (REACH.get(i.reach, 1) for i in items), np.int8),
        start=column("start", (_ordinal(i.start, LOW) for i in items), np.int64),
        end=column("end", (_ordinal(i.end, HIGH) for i in items), np.int64),
        days=column("days", (_mask(i.days) for i in items), np.int16),
        quantity=column(
            "quantity", (float(i.quantity) if i.quantity else np.nan for i in items), np.float64
        ),
        unit=column("unit", (codes["unit"](i.unit) for i in items), np.int32),
    )


def _take(arrays: _Arrays, index: np.ndarray) -> _Arrays:
    return _Arrays(**{name: value[index] for name, value in arrays.__dict__.items()})


def _popcount(values: np.ndarray) -> np.ndarray:
    out = np.zeros(values.shape, dtype=np.int16)
    for bit in range(len(DAYS)):
        out += (values >> bit) & 1
    return out


def _neighbour_matrix(neighbours: Mapping[str, Iterable[str]], regions: _Codes) -> np.ndarray:
    """Region adjacency by code index, with a last row and column for « unknown » (-1)."""
    size = len(regions.codes) + 1
    matrix = np.zeros((size, size), dtype=bool)
    for a, others in neighbours.items():
        if a not in regions.codes:
            continue
        for b in others:
            if b in regions.codes:
                matrix[regions.codes[a], regions.codes[b]] = True
                matrix[regions.codes[b], regions.codes[a]] = True
    return matrix


@dataclass
class _Block:
    """Scores of a block of needs (rows) against every offer (columns), and why pairs fail."""

    raw: dict[str, np.ndarray]
    score: np.ndarray
    allowed: np.ndarray
    same_kind: np.ndarray
    not_own: np.ndarray
    near: np.ndarray
    in_period: np.ndarray


def _score_block(
    o: _Arrays, n: _Arrays, rows: slice, adjacency: np.ndarray, weights: Mapping[str, float]
) -> _Block:
    nk = n.kind[rows, None]
    same_kind = o.kind[None, :] == nk
    not_own = o.owner[None, :] != n.owner[rows, None]
    category = np.where(o.category[None, :] == n.category[rows, None], 1.0, OTHER_CATEGORY)

    n_region, n_mrc = n.region[rows, None], n.mrc[rows, None]
    same_mrc = (o.mrc[None, :] == n_mrc) & (n_mrc >= 0)
    same_region = (o.region[None, :] == n_region) & (n_region >= 0)
    neighbour = adjacency[n.region[rows]][:, o.region]  # -1 indexes the « unknown » row
    level = np.where(same_mrc, 0, np.where(same_region, 1, np.where(neighbour, 2, 3)))
    near = level <= np.maximum(o.reach[None, :], n.reach[rows, None])
    distance = np.asarray(DISTANCE_VALUE)[level]

    ns, ne = n.start[rows, None], n.end[rows, None]
    lo, hi = np.maximum(o.start[None, :], ns), np.minimum(o.end[None, :], ne)
    overlap = hi >= lo
    bounded = (ns > LOW) & (ne < HIGH)
    dates = np.where(
        overlap,
        np.where(bounded, (hi - lo + 1) / np.where(bounded, ne - ns + 1, 1), 1.0),
        0.0,
    )
    nd = n.days[rows, None]
    common = o.days[None, :] & nd
    any_day = (nd == 0) | (o.days[None, :] == 0)
    days = np.where(any_day, 1.0, _popcount(common) / np.maximum(_popcount(nd), 1))
    period = dates * days

    nq, oq = n.quantity[rows, None], o.quantity[None, :]
    known = (o.unit[None, :] == n.unit[rows, None]) & (n.unit[rows, None] >= 0)
    known &= ~np.isnan(nq) & ~np.isnan(oq) & (np.nan_to_num(nq) > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(np.nan_to_num(oq / nq), 1.0)
    capacity = np.where(known, ratio, UNKNOWN_CAPACITY)

    raw = {"category": category, "distance": distance, "period": period, "capacity": capacity}
    score = sum(weights[name] * raw[name] for name in DEFAULT_WEIGHTS)
    in_period = period > 0
    allowed = same_kind & not_own & near & in_period
    return _Block(raw, score, allowed, same_kind, not_own, near, in_period)


def _distance_level(offer: Item, need: Item, neighbours: Mapping[str, Iterable[str]]) -> int:
    if need.mrc and offer.mrc == need.mrc:
        return 0
    if need.region and offer.region == need.region:
        return 1
    if (
        need.region
        and offer.region
        and (
            offer.region in set(neighbours.get(need.region, ()))
            or need.region in set(neighbours.get(offer.region, ()))
        )
    ):
        return 2
    return 3


def explain_pair(
    offer: Item,
    need: Item,
    *,
    neighbours: Mapping[str, Iterable[str]],
    weights: Mapping[str, float] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each criterion of one pair: its raw value, its weighted part and a `code` with `params`
    that the platform turns into words (the same numbers as the vectorized scoring)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    codes = {name: _Codes() for name in ("kind", "category", "owner", "region", "mrc", "unit")}
    o, n = _arrays([offer], codes), _arrays([need], codes)
    adjacency = _neighbour_matrix(neighbours, codes["region"])
    block = _score_block(o, n, slice(0, 1), adjacency, weights)
    level = _distance_level(offer, need, neighbours)
    out: dict[str, dict[str, Any]] = {}
    for name in DEFAULT_WEIGHTS:
        raw = float(block.raw[name][0, 0])
        out[name] = {"raw": round(raw, 4), "weighted": round(weights[name] * raw, 4)}
    out["category"]["code"] = "same_category" if offer.category == need.category else "same_kind"
    out["category"]["params"] = {"category": need.category, "offered": offer.category}
    out["distance"]["code"] = ("same_mrc", "same_region", "neighbour_region", "far")[level]
    out["distance"]["params"] = {"region": offer.region, "mrc": offer.mrc}
    period = out["period"]["raw"]
    out["period"]["code"] = "whole_period" if period >= 0.999 else "part_of_period"
    out["period"]["params"] = {"share": round(period, 2)}
    capacity = out["capacity"]["raw"]
    same_unit = offer.unit and offer.unit == need.unit and offer.quantity and need.quantity
    out["capacity"]["code"] = (
        "unknown_quantity"
        if not same_unit
        else ("enough_quantity" if capacity >= 0.999 else "part_of_quantity")
    )
    out["capacity"]["params"] = {
        "share": round(capacity, 2),
        "offered": offer.quantity,
        "needed": need.quantity,
        "unit": need.unit,
    }
    return out


@dataclass
class _Edges:
    offer: np.ndarray
    need: np.ndarray
    score: np.ndarray


def _edges(
    offers: list[Item],
    needs: list[Item],
    neighbours: Mapping[str, Iterable[str]],
    weights: Mapping[str, float],
    forbidden: set[tuple[str, str]],
) -> tuple[_Edges, list[Unmatched | None]]:
    """Every allowed pair with its score, and for each need without any, the first rule that
    left it alone (in the order a reader checks: kind, own organization, distance, dates)."""
    codes = {name: _Codes() for name in ("kind", "category", "owner", "region", "mrc", "unit")}
    o, n = _arrays(offers, codes), _arrays(needs, codes)
    adjacency = _neighbour_matrix(neighbours, codes["region"])
    offer_index = {item.id: j for j, item in enumerate(offers)}
    banned: dict[int, list[int]] = {}
    for offer_id, need_id in forbidden:
        if offer_id in offer_index:
            banned.setdefault(need_id, []).append(offer_index[offer_id])  # type: ignore[arg-type]
    parts_o, parts_n, parts_s = [], [], []
    alone: list[Unmatched | None] = [None] * len(needs)
    # Only offers of the need's kind can be allowed: each kind is scored apart (a quarter of
    # the pairs when the four kinds are even), with indices mapped back to the whole lists.
    for kind in np.unique(n.kind):
        need_ids = np.flatnonzero(n.kind == kind)
        offer_ids = np.flatnonzero(o.kind == kind)
        if not len(offer_ids):
            for i in need_ids:
                alone[i] = Unmatched(needs[i].id, "no_offer_of_kind", {"kind": needs[i].kind})
            continue
        o_k, n_k = _take(o, offer_ids), _take(n, need_ids)
        column = {int(j): c for c, j in enumerate(offer_ids)}
        for first in range(0, len(need_ids), BLOCK):
            rows = slice(first, min(first + BLOCK, len(need_ids)))
            block = _score_block(o_k, n_k, rows, adjacency, weights)
            allowed = block.allowed
            for r in range(rows.stop - rows.start):
                cut = banned.get(needs[need_ids[first + r]].id)  # type: ignore[call-overload]
                if cut:
                    allowed[r, [column[j] for j in cut if j in column]] = False
            r_idx, c_idx = np.nonzero(allowed)
            parts_n.append(need_ids[r_idx + first])
            parts_o.append(offer_ids[c_idx])
            parts_s.append(block.score[r_idx, c_idx])
            for r in np.flatnonzero(~allowed.any(axis=1)):
                i = int(need_ids[first + r])
                alone[i] = _why_alone(needs[i], block, r)
    edges = _Edges(
        offer=np.concatenate(parts_o) if parts_o else np.zeros(0, dtype=np.int64),
        need=np.concatenate(parts_n) if parts_n else np.zeros(0, dtype=np.int64),
        score=np.concatenate(parts_s) if parts_s else np.zeros(0),
    )
    return edges, alone


def _why_alone(need: Item, block: _Block, r: int) -> Unmatched:
    kind = block.same_kind[r]
    if not kind.any():
        return Unmatched(need.id, "no_offer_of_kind", {"kind": need.kind})
    mine = kind & block.not_own[r]
    if not mine.any():
        return Unmatched(need.id, "own_offers_only", {"kind": need.kind})
    near = mine & block.near[r]
    if not near.any():
        return Unmatched(need.id, "too_far", {"offers": int(mine.sum())})
    if not (near & block.in_period[r]).any():
        return Unmatched(need.id, "no_period_overlap", {"offers": int(near.sum())})
    return Unmatched(need.id, "declined", {"offers": int(near.sum())})


def _flow(edges: _Edges, offers: list[Item], n_needs: int) -> np.ndarray:
    """Which edges the maximum flow of minimum cost uses."""
    from ortools.graph.python import min_cost_flow

    n_offers = len(offers)
    source, sink = n_needs + n_offers, n_needs + n_offers + 1
    tails = np.concatenate(
        [np.full(n_needs, source), edges.need, n_needs + np.arange(n_offers)]
    ).astype(np.int32)
    heads = np.concatenate(
        [np.arange(n_needs), n_needs + edges.offer, np.full(n_offers, sink)]
    ).astype(np.int32)
    caps = np.concatenate(
        [
            np.ones(n_needs, dtype=np.int64),
            np.ones(len(edges.need), dtype=np.int64),
            np.fromiter((max(0, o.capacity) for o in offers), dtype=np.int64, count=n_offers),
        ]
    )
    costs = np.concatenate(
        [
            np.zeros(n_needs, dtype=np.int64),
            -np.rint(edges.score * SCALE).astype(np.int64),
            np.zeros(n_offers, dtype=np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = min(n_needs, int(caps[-n_offers:].sum())) if n_offers else 0
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # cannot happen on this network; say so rather than guess
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = n_needs
    return flow.flows(np.arange(first, first + len(edges.need))) > 0


def match_resources(
    offers: Iterable[Item | Mapping[str, Any]],
    needs: Iterable[Item | Mapping[str, Any]],
    *,
    neighbours: Mapping[str, Iterable[str]] | None = None,
    weights: Mapping[str, float] | None = None,
    forbidden: Iterable[tuple[str, str]] = (),
) -> ResourceResult:
    """The best assignment of offers to needs: most needs met, then the highest total score."""
    started = time.perf_counter()
    offers = [o if isinstance(o, Item) else Item.from_dict(o) for o in offers]
    needs = [n if isinstance(n, Item) else Item.from_dict(n) for n in needs]
    neighbours = neighbours or {}
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    edges, alone = _edges(offers, needs, neighbours, weights, set(forbidden))
    used = _flow(edges, offers, len(needs)) if len(edges.need) else np.zeros(0, dtype=bool)
    matches = []
    met = set()
    for k in np.flatnonzero(used):
        offer, need = offers[int(edges.offer[k])], needs[int(edges.need[k])]
        criteria = explain_pair(offer, need, neighbours=neighbours, weights=weights)
        matches.append(Match(offer.id, need.id, round(float(edges.score[k]), 4), criteria))
        met.add(int(edges.need[k]))
    unmatched = []
    per_need = np.bincount(edges.need, minlength=len(needs)) if len(needs) else []
    for i, need in enumerate(needs):
        if i in met:
            continue
        reason = alone[i]
        if reason is None:
            candidates = int(per_need[i])
            reason = Unmatched(need.id, "offers_taken", {"offers": candidates})
        unmatched.append(reason)
    matches.sort(key=lambda m: (-m.score, m.need, m.offer))
    objective = round(sum(m.score for m in matches), 4)
    certificate = {
        "status": "optimal",
        "objective": objective,
        "matched": len(matches),
        "pairs": int(len(edges.need)),
        "solver": "ortools-min-cost-flow",
        "seconds": round(time.perf_counter() - started, 3),
        "note": (
            "Le plus grand nombre de besoins comblés, puis le meilleur score total parmi ces "
            "affectations (scores arrondis au millième), sur toutes les paires permises."
        ),
    }
    return ResourceResult(matches, unmatched, certificate)


def first_fit(
    offers: Iterable[Item | Mapping[str, Any]],
    needs: Iterable[Item | Mapping[str, Any]],
    *,
    neighbours: Mapping[str, Iterable[str]] | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[str, str, float]]:
    """The naive way, for comparison: each need in the order given takes its best-scoring
    offer that still has room. Neither the number met nor the total is guaranteed."""
    offers = [o if isinstance(o, Item) else Item.from_dict(o) for o in offers]
    needs = [n if isinstance(n, Item) else Item.from_dict(n) for n in needs]
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    edges, _alone = _edges(offers, needs, neighbours or {}, weights, set())
    room = {o.id: o.capacity for o in offers}
    chosen = []
    # Edges by need, best score first within each need.
    order = np.lexsort((-edges.score, edges.need))
    bounds = np.searchsorted(edges.need[order], np.arange(len(needs) + 1))
    for i, need in enumerate(needs):
        for k in order[bounds[i] : bounds[i + 1]]:
            offer = offers[int(edges.offer[k])]
            if room[offer.id] > 0:
                room[offer.id] -= 1
                chosen.append((offer.id, need.id, round(float(edges.score[k]), 4)))
                break
    return chosen

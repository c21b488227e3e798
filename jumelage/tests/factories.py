"""Small random instances and a brute-force solver to hold the engine against."""

from __future__ import annotations

import itertools
import random
from typing import Any

import numpy as np

from jumelage.model import Instance
from jumelage.rules import class_overflows, feasible_mask
from jumelage.scoring import objective

REGIONS = ["01", "02", "03"]
SECTORS = ["alimentation", "logement"]
THEMES = ["transport", "froid", "gouvernance", "partenariats", "tri"]
SLOTS = ["lun-am", "mar-pm", "mer-am"]


def random_instance_data(
    rng: random.Random,
    *,
    n_mentors: int = 3,
    n_mentees: int = 5,
    group_size: int = 2,
    bonus: float = 0.3,
    locks: bool = False,
    class_limit: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A random instance with every criterion and rule in play; fit through given vectors, so no
    text encoder is needed."""

    def person(prefix: str, k: int) -> dict[str, Any]:
        vec = [rng.uniform(-1, 1) for _ in range(4)]
        return {
            "id": f"{prefix}{k}",
            "label": f"{prefix}-personne {k}",
            "region": rng.choice(REGIONS),
            "sector": rng.choice(SECTORS) if rng.random() < 0.8 else None,
            "languages": rng.sample(["fr", "en"], rng.randint(0, 2)),
            "availability": rng.sample(SLOTS, rng.randint(0, 3)),
            "themes": rng.sample(THEMES, rng.randint(0, 3)),
            "vector": vec,
            "style": rng.choice(["structured", "intuitive", None]),
            "attributes": {"genre": rng.choice(["f", "h"])},
            "preferences": {"genre": rng.choice(["f", "h"])} if rng.random() < 0.3 else {},
        }

    mentors = [person("M", k) | {"capacity": rng.randint(0, group_size)} for k in range(n_mentors)]
    mentees = [person("E", k) for k in range(n_mentees)]
    for m in mentors:
        m["ranking"] = rng.sample([e["id"] for e in mentees], rng.randint(0, n_mentees))
    for e in mentees:
        e["ranking"] = rng.sample([m["id"] for m in mentors], rng.randint(0, n_mentors))
    pairs = [(m["id"], e["id"]) for m in mentors for e in mentees]
    data: dict[str, Any] = {
        "policy": {
            "group_size": group_size,
            "region_rule": rng.choice(["different_region", "any"]),
            "sector_rule": rng.choice(["same_sector", "any"]),
            "mentee_region_rule": rng.choice(["different_region", "any"]),
        },
        "weights": {"shared_themes": bonus},
        "mentors": mentors,
        "mentees": mentees,
        "exclusions": [
            {
                "mentor": a,
                "mentee": b,
                "reason": rng.choice(["conflict_of_interest", "competition"]),
            }
            for a, b in rng.sample(pairs, min(len(pairs), rng.randint(0, 2)))
        ],
        "forbidden": [
            {"mentor": a, "mentee": b}
            for a, b in rng.sample(pairs, min(len(pairs), rng.randint(0, 2)))
        ],
    }
    if class_limit is not None:
        data["policy"]["mentee_class_limit"] = class_limit
    if locks:
        data["locks"] = [
            {"mentor": a, "mentee": b}
            for a, b in rng.sample(pairs, min(len(pairs), rng.randint(1, 2)))
        ]
    return data


def brute_force(inst: Instance) -> tuple[int, float]:
    """(most mentees matched, best objective among those) by trying every assignment."""
    nm, ne = len(inst.mentors), len(inst.mentees)
    ok = feasible_mask(inst, np.arange(nm)[:, None], np.arange(ne)[None, :])
    locks = {(inst.mentor_index[p.mentor], inst.mentee_index[p.mentee]) for p in inst.locks}
    locked_of = {i: j for j, i in locks}
    best = (-1, -np.inf)
    choices = [
        [locked_of[i]] if i in locked_of else [-1, *[j for j in range(nm) if ok[j, i]]]
        for i in range(ne)
    ]
    for assign in itertools.product(*choices):
        groups: dict[int, list[int]] = {}
        for i, j in enumerate(assign):
            if j >= 0:
                groups.setdefault(j, []).append(i)
        if any(len(ms) > inst.capacity(inst.mentors[j]) for j, ms in groups.items()):
            continue
        if any(class_overflows(inst, j, ms) for j, ms in groups.items()):
            continue
        count = sum(len(ms) for ms in groups.values())
        if count < best[0]:
            continue
        value = objective(inst, sorted(groups.items()))
        if (count, value) > best:
            best = (count, value)
    return best


def with_valid_locks(data: dict[str, Any], rng: random.Random, count: int = 2) -> dict[str, Any]:
    """``data`` plus up to ``count`` locks that break no rule (distinct mentees, seats left)."""
    from jumelage.model import load_instance

    inst = load_instance({**data, "locks": []})
    nm, ne = len(inst.mentors), len(inst.mentees)
    ok = feasible_mask(inst, np.arange(nm)[:, None], np.arange(ne)[None, :])
    pairs = [(j, i) for j in range(nm) for i in range(ne) if ok[j, i]]
    rng.shuffle(pairs)
    seats = {j: inst.capacity(inst.mentors[j]) for j in range(nm)}
    taken: dict[int, list[int]] = {}
    locks = []
    for j, i in pairs:
        if len(locks) == count or seats[j] == 0 or any(i in ms for ms in taken.values()):
            continue
        if class_overflows(inst, j, [*taken.get(j, []), i]):
            continue
        seats[j] -= 1
        taken.setdefault(j, []).append(i)
        locks.append({"mentor": inst.mentors[j].id, "mentee": inst.mentees[i].id})
    return {**data, "locks": locks}

"""Resource matching at scale (issue 15): N offers × N needs of the four kinds, spread over
Québec's regions and MRC, with periods, days and quantities; prints the time, the pairs the
rules allow, the needs met and the objective, beside the naive first fit.

    python bench/resources_match.py 5000 [seed]
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumelage.resources import CATEGORIES_FOR_BENCH, Item, first_fit, match_resources  # noqa: E402


def territories() -> list[tuple[str, str]]:
    data = json.loads((ROOT / "maillage/core/data/territories.json").read_text())
    return [(f"QC-{r['code']}", f"QC-MRC-{m['code']}") for r in data["regions"] for m in r["mrcs"]]


def items(n: int, prefix: str, rng: random.Random, places) -> list[Item]:
    out = []
    start = date(2026, 1, 1)
    for i in range(n):
        kind = rng.choice(list(CATEGORIES_FOR_BENCH))
        region, mrc = rng.choice(places)
        begin = start + timedelta(days=rng.randrange(0, 300))
        out.append(
            Item(
                id=f"{prefix}{i}",
                owner=f"org{rng.randrange(n // 2)}",
                kind=kind,
                category=rng.choice(CATEGORIES_FOR_BENCH[kind]),
                quantity=rng.choice((None, 50, 100, 200, 400)),
                unit=rng.choice(("km", "h", "t")),
                start=begin,
                end=begin + timedelta(days=rng.randrange(14, 200)),
                days=tuple(d for d in ("lun", "mar", "mer", "jeu", "ven") if rng.random() < 0.4),
                region=region,
                mrc=mrc,
                reach=rng.choice(("mrc", "region", "neighbours", "province")),
                capacity=rng.choice((1, 1, 2, 3)) if prefix == "O" else 1,
            )
        )
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    rng = random.Random(seed)
    places = territories()
    neighbours = json.loads((ROOT / "maillage/resources/data/region_neighbours.json").read_text())[
        "neighbours"
    ]
    offers, needs = items(n, "O", rng, places), items(n, "N", rng, places)
    started = time.perf_counter()
    result = match_resources(offers, needs, neighbours=neighbours)
    engine = time.perf_counter() - started
    started = time.perf_counter()
    naive = first_fit(offers, needs, neighbours=neighbours)
    naive_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "offers": n,
                "needs": n,
                "allowed_pairs": result.certificate["pairs"],
                "engine_seconds": round(engine, 2),
                "matched": result.certificate["matched"],
                "objective": result.certificate["objective"],
                "status": result.certificate["status"],
                "first_fit_matched": len(naive),
                "first_fit_objective": round(sum(s for _o, _n, s in naive), 2),
                "first_fit_seconds": round(naive_seconds, 2),
                "load_average": [round(x, 2) for x in os.getloadavg()],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()

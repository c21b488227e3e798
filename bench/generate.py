"""Seeded generator of realistic matching instances for the benchmark and the tests.

The people look like the ones of a Québec mentoring network: about ten sectors (skewed), the
17 administrative regions with their MRCs (population weighted), French and/or English,
availability slots (10 half-days/evenings), themes from a list of 30, a working style, and a
low-dimensional text-fit proxy: unit vectors of dimension 16 (needs for mentees, expertise for
mentors) drawn around a centre per sector, so that the fit is a dot product (cosine).

``generate(n_mentees, n_mentors, seed=...)`` returns the instance as a plain dict in the
``jumelage`` JSON format (the one ``jumelage.model.load_instance`` reads). Same arguments, same
instance, byte for byte.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

SECTORS = [
    "services professionnels",
    "commerce de détail",
    "manufacturier",
    "agroalimentaire",
    "technologies",
    "construction",
    "tourisme",
    "économie sociale",
    "culture",
    "transport",
]
SECTOR_WEIGHTS = np.array([18, 16, 14, 12, 10, 9, 7, 6, 5, 3], dtype=float)

# (code, name, number of MRCs or equivalent territories, population weight in %)
REGIONS = [
    ("01", "Bas-Saint-Laurent", 8, 2.3),
    ("02", "Saguenay–Lac-Saint-Jean", 4, 3.2),
    ("03", "Capitale-Nationale", 6, 8.7),
    ("04", "Mauricie", 6, 3.2),
    ("05", "Estrie", 7, 3.9),
    ("06", "Montréal", 1, 23.5),
    ("07", "Outaouais", 5, 4.6),
    ("08", "Abitibi-Témiscamingue", 5, 1.7),
    ("09", "Côte-Nord", 6, 1.1),
    ("10", "Nord-du-Québec", 3, 0.5),
    ("11", "Gaspésie–Îles-de-la-Madeleine", 6, 1.1),
    ("12", "Chaudière-Appalaches", 10, 5.0),
    ("13", "Laval", 1, 5.1),
    ("14", "Lanaudière", 6, 6.0),
    ("15", "Laurentides", 8, 7.3),
    ("16", "Montérégie", 15, 18.3),
    ("17", "Centre-du-Québec", 5, 2.9),
]

THEMES = [
    "financement",
    "marketing",
    "ventes",
    "ressources humaines",
    "recrutement",
    "gestion financière",
    "comptabilité",
    "fiscalité",
    "exportation",
    "commerce en ligne",
    "numérique",
    "innovation",
    "production",
    "chaîne d'approvisionnement",
    "qualité",
    "développement durable",
    "gouvernance",
    "croissance",
    "relève et transfert",
    "leadership",
    "gestion du temps",
    "négociation",
    "juridique",
    "propriété intellectuelle",
    "partenariats",
    "service à la clientèle",
    "image de marque",
    "conciliation travail-famille",
    "santé et bien-être",
    "prise de décision",
]

SLOTS = [f"{d}-{p}" for d in ("lun", "mar", "mer", "jeu", "ven") for p in ("jour", "soir")]
STYLES = ["structured", "intuitive"]
DIM = 16


def _people(
    rng: np.random.Generator,
    n: int,
    prefix: str,
    sector_centres: np.ndarray,
    capacity: int | None,
) -> list[dict]:
    sw = SECTOR_WEIGHTS / SECTOR_WEIGHTS.sum()
    rw = np.array([r[3] for r in REGIONS])
    rw = rw / rw.sum()
    sector = rng.choice(len(SECTORS), size=n, p=sw)
    region = rng.choice(len(REGIONS), size=n, p=rw)
    mrc = np.array([rng.integers(REGIONS[r][2]) for r in region]) if n else np.zeros(0, int)
    lang_draw = rng.random(n)
    n_slots = rng.integers(3, 8, size=n)
    n_themes = rng.integers(2, 6, size=n)
    style = rng.integers(len(STYLES), size=n)
    vec = sector_centres[sector] + 0.9 * rng.standard_normal((n, DIM))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    vec = np.round(vec, 4)
    people = []
    for i in range(n):
        if lang_draw[i] < 0.75:
            langs = ["fr"]
        elif lang_draw[i] < 0.83:
            langs = ["en"]
        else:
            langs = ["fr", "en"]
        slots = sorted(rng.choice(len(SLOTS), size=n_slots[i], replace=False).tolist())
        themes = sorted(rng.choice(len(THEMES), size=n_themes[i], replace=False).tolist())
        code = REGIONS[region[i]][0]
        person = {
            "id": f"{prefix}{i:06d}",
            "region": code,
            "mrc": f"{code}-{mrc[i] + 1:02d}",
            "sector": SECTORS[sector[i]],
            "languages": langs,
            "availability": [SLOTS[s] for s in slots],
            "themes": [THEMES[t] for t in themes],
            "style": STYLES[style[i]],
            "vector": vec[i].tolist(),
        }
        if capacity is not None:
            person["capacity"] = capacity
        people.append(person)
    return people


def generate(
    n_mentees: int,
    n_mentors: int,
    *,
    seed: int = 0,
    capacity: int = 2,
    rankings: int = 0,
    shared_themes_weight: float = 0.2,
    mentee_region_rule: str = "different_region",
    sector_rule: str = "same_sector",
) -> dict:
    """A random instance in the jumelage JSON format.

    ``rankings`` > 0 gives every participant a ranking list of that many people of the other
    side, drawn among the compatible ones with a bias towards the better scores (the stable
    mode's "speed dating" input); 0 leaves the lists out (rank by score).
    """
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((len(SECTORS), DIM))
    mentors = _people(rng, n_mentors, "M", centres, capacity)
    mentees = _people(rng, n_mentees, "E", centres, None)
    instance = {
        "policy": {
            "group_size": capacity,
            "region_rule": "different_region",
            "sector_rule": sector_rule,
            "mentee_region_rule": mentee_region_rule,
            "require_common_language": True,
            "require_availability_overlap": True,
        },
        "weights": {
            "fit": 1.0,
            "themes": 0.5,
            "style": 0.2,
            "ranking": 0.0,
            "preference": 0.0,
            "shared_themes": shared_themes_weight,
        },
        "mentors": mentors,
        "mentees": mentees,
        "exclusions": [],
        "locks": [],
        "forbidden": [],
    }
    if rankings:
        _add_rankings(rng, instance, rankings)
    return instance


def _compatible(a: dict, b: dict) -> bool:
    return (
        a["sector"] == b["sector"]
        and a["region"] != b["region"]
        and bool(set(a["languages"]) & set(b["languages"]))
        and bool(set(a["availability"]) & set(b["availability"]))
    )


def _add_rankings(rng: np.random.Generator, instance: dict, length: int) -> None:
    """Ranking lists biased towards the better fit (noisy), over compatible people only."""
    mentors, mentees = instance["mentors"], instance["mentees"]
    mv = np.array([m["vector"] for m in mentors])
    ev = np.array([e["vector"] for e in mentees])
    by_sector: dict[str, list[int]] = {}
    for j, m in enumerate(mentors):
        by_sector.setdefault(m["sector"], []).append(j)
    e_by_sector: dict[str, list[int]] = {}
    for i, e in enumerate(mentees):
        e_by_sector.setdefault(e["sector"], []).append(i)
    for side, other, vecs, ovecs, groups in (
        (mentees, mentors, ev, mv, by_sector),
        (mentors, mentees, mv, ev, e_by_sector),
    ):
        for a_idx, a in enumerate(side):
            pool = [b for b in groups.get(a["sector"], []) if _compatible(a, other[b])]
            if not pool:
                a["ranking"] = []
                continue
            noisy = ovecs[pool] @ vecs[a_idx] + 0.5 * rng.standard_normal(len(pool))
            order = np.argsort(-noisy, kind="stable")[:length]
            a["ranking"] = [other[pool[t]]["id"] for t in order]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Écrit une instance aléatoire (JSON) sur stdout.")
    parser.add_argument("n_mentees", type=int)
    parser.add_argument("n_mentors", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--capacity", type=int, default=2)
    parser.add_argument("--rankings", type=int, default=0)
    # the benchmark's sizes: bench_matching.py's "100k" is --shared-themes 0, "100k-bonus" 0.3
    parser.add_argument("--shared-themes", type=float, default=0.2, metavar="W")
    parser.add_argument(
        "--mentee-region-rule", default="different_region", choices=("different_region", "any")
    )
    args = parser.parse_args(argv)
    inst = generate(
        args.n_mentees,
        args.n_mentors,
        seed=args.seed,
        capacity=args.capacity,
        rankings=args.rankings,
        shared_themes_weight=args.shared_themes,
        mentee_region_rule=args.mentee_region_rule,
    )
    json.dump(inst, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the « speed dating mentoral » at 2,000 participants (issue 13).

One run, side by side on the same instance:

1. the rotation (``jumelage.rotation``): who meets whom in ``--rounds`` rounds, at most one
   meeting per person per round and one per table (``--tables``, default one per mentor side),
   never a pair the rules forbid; checked, with its certificate;
2. the rankings: each side ranks every person it met, by pair score plus noise (people do not
   rank exactly as the engine scores);
3. the stable matching on those rankings, only pairs who met allowed (``only_scored_pairs`` on
   the met pairs, the scalable form of the platform's forbidden unmet pairs):
   ``jumelage`` stable mode, and the ``matching`` package's HospitalResident on the same
   preference lists (mentee-optimal); the two matchings are compared pair by pair.

The instance uses ``mentee_region_rule="any"``: HospitalResident has no per-group class limit,
so with the limit on the two would differ by design, not by a bug.

    .venv/bin/python bench/speeddating.py            # 1,300 mentees × 700 mentor sides, 6 rounds
    .venv/bin/python bench/speeddating.py --mentees 130 --mentors 70   # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def hospital_resident(mentee_lists, mentor_lists, capacity) -> tuple[np.ndarray, float]:
    """The matching package's mentee-optimal HospitalResident (recursive: a big stack)."""
    out: dict = {}

    def work():
        from matching.games import HospitalResident

        sys.setrecursionlimit(10_000_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(
                {i: lst for i, lst in enumerate(mentee_lists) if lst},
                {j: lst for j, lst in enumerate(mentor_lists) if lst},
                {j: int(capacity[j]) for j, lst in enumerate(mentor_lists) if lst},
            )
            out["m"] = game.solve(optimal="resident")
            out["s"] = time.perf_counter() - t

    size = threading.stack_size(1 << 30)
    try:
        th = threading.Thread(target=work)
        th.start()
        th.join()
    finally:
        threading.stack_size(size)
    assign = np.full(len(mentee_lists), -1, np.int64)
    for hospital, residents in out["m"].items():
        for r in residents:
            assign[r.name] = hospital.name
    return assign, out["s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentees", type=int, default=1300)
    parser.add_argument("--mentors", type=int, default=700)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--tables", type=int, default=0, help="0: one table per mentor side")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise", type=float, default=0.15)
    args = parser.parse_args()

    from generate import generate

    from jumelage import solve
    from jumelage import solve_large as L
    from jumelage.model import load_instance
    from jumelage.rotation import check_rotation, rotation

    report: dict = {"load_before": [round(x, 2) for x in os.getloadavg()], "args": vars(args)}
    t = time.perf_counter()
    data = generate(
        args.mentees, args.mentors, seed=args.seed, mentee_region_rule="any", capacity=2
    )
    inst = load_instance(data)
    report["generate_s"] = round(time.perf_counter() - t, 2)

    # 1. The rotation.
    tables = args.tables or args.mentors
    t = time.perf_counter()
    rot = rotation(inst, rounds=args.rounds, tables=tables)
    report["rotation_s"] = round(time.perf_counter() - t, 2)
    P = L.build_problem(inst)
    with L.single_threaded_blas():
        ei, mj = L.all_feasible_edges(P)
    allowed = set(zip(ei.tolist(), mj.tolist(), strict=True))
    problems = check_rotation(rot, allowed, rounds=args.rounds, tables=tables)
    per = np.bincount([m.mentee for m in rot.meetings], minlength=P.n_e)
    report["rotation"] = {
        "allowed_pairs": len(allowed),
        "meetings": rot.certificate.meetings,
        "simple_bound": rot.certificate.simple_bound,
        "status": rot.certificate.status,
        "meetings_per_mentee_min_max": [int(per.min()), int(per.max())],
        "mentees_without_allowed_partner": len(rot.unmet_mentees),
        "problems": problems,
    }

    # 2. Rankings of the people met: pair score plus noise, best first.
    rng = np.random.default_rng(args.seed)
    met_e: dict[int, list[tuple[float, int]]] = {}
    met_m: dict[int, list[tuple[float, int]]] = {}
    scores = L.score_pairs(
        P,
        np.array([m.mentee for m in rot.meetings]),
        np.array([m.mentor for m in rot.meetings]),
    )
    for m, s in zip(rot.meetings, scores, strict=True):
        met_e.setdefault(m.mentee, []).append((s + rng.normal(0, args.noise), m.mentor))
        met_m.setdefault(m.mentor, []).append((s + rng.normal(0, args.noise), m.mentee))
    mentee_lists = [[j for _, j in sorted(met_e.get(i, []), reverse=True)] for i in range(P.n_e)]
    mentor_lists = [[i for _, i in sorted(met_m.get(j, []), reverse=True)] for j in range(P.n_m)]
    ranked = dict(data)
    ranked["policy"] = {**data["policy"], "only_scored_pairs": True}
    ranked["weights"] = {**data["weights"], "pair_score": 0.0, "ranking": 0.3}
    ranked["pair_scores"] = [
        {"mentor": inst.mentors[m.mentor].id, "mentee": inst.mentees[m.mentee].id, "score": 0.0}
        for m in rot.meetings
    ]
    ranked["mentees"] = [
        {**p, "ranking": [inst.mentors[j].id for j in mentee_lists[i]]}
        for i, p in enumerate(data["mentees"])
    ]
    ranked["mentors"] = [
        {**p, "ranking": [inst.mentees[i].id for i in mentor_lists[j]]}
        for j, p in enumerate(data["mentors"])
    ]
    inst2 = load_instance(ranked)

    # 3. Stable matching: jumelage, then HospitalResident on the same lists.
    t = time.perf_counter()
    result = solve(inst2, mode="stable", time_limit=120)
    report["stable_s"] = round(time.perf_counter() - t, 2)
    ours = np.full(P.n_e, -1, np.int64)
    mi, xi = inst2.mentor_index, inst2.mentee_index
    for g in result.groups:
        for e in g.mentees:
            ours[xi[e]] = mi[g.mentor]
    capacity = np.array([inst2.capacity(m) for m in inst2.mentors])
    hr, hr_s = hospital_resident(mentee_lists, mentor_lists, capacity)
    report["hospital_resident_s"] = round(hr_s, 2)
    differ = np.nonzero(ours != hr)[0]
    report["stable"] = {
        "matched": int((ours >= 0).sum()),
        "blocking_pairs": result.stability["blocking_pairs"],
        "score": result.stability["objective"],
        "optimal_score_same_pairs": result.stability["optimal_objective"],
        "rankings_cost_pct": result.stability["loss_pct"],
        "optimal_matched": result.stability["optimal_matched"],
        "hospital_resident_matched": int((hr >= 0).sum()),
        "same_matching_as_hospital_resident": bool(len(differ) == 0),
        "mentees_placed_differently": len(differ),
    }
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()

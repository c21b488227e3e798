"""All matching methods side by side on the same seeded instances, in one run.

    .venv/bin/python bench/bench_matching.py                       # every size and method
    .venv/bin/python bench/bench_matching.py --sizes 2k,6k --methods flow,lsa,greedy,hr,stable
    .venv/bin/python bench/bench_matching.py --cap 300 --out bench/results.md

Each (size, method) runs in its own child process (a fresh interpreter: clean peak RSS, a hard
time cap), which regenerates the instance from the seed, loads it with
``jumelage.model.load_instance`` and times the method only (generation and loading are reported
apart). Every objective is recomputed by ``jumelage.scoring.objective`` (pair scores + shared-
theme bonus) from the method's groups, so the column compares like with like; our own modes are
also checked by ``jumelage.check.check`` (hard rules, capacities, stability).

``mentor-match`` and ``matching`` both install a top-level package named ``matching``; keep
``matching`` (hospitals/residents) in the venv and ``mentor-match`` in its own folder
(``pip install --target DIR mentor-match``), passed with ``--mentor-match-path DIR`` or the
``MENTOR_MATCH_PATH`` environment variable (default: ``.venv/mentor-match``).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # small products: BLAS threads only cost here

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

# name: (mentees, mentors, mentee_region_rule, shared-theme weight, default methods)
SIZES = {
    "pilot": (4, 2, "pilot", 0.3, "flow,lsa,greedy,mentor-match,hr,stable,large,exact"),
    "500": (333, 167, "different_region", 0.3, "flow,greedy,mentor-match,hr,stable,large,exact"),
    "2k": (2000, 1000, "any", 0.0, "flow,lsa,greedy,hr,stable,large,exact"),
    "6k": (6000, 3000, "any", 0.0, "flow,lsa,greedy,hr,stable,large"),
    "6k-lists": (6000, 3000, "lists", 0.0, "hr,stable"),
    "20k": (20000, 10000, "any", 0.0, "flow,greedy,stable,large,exact"),
    "100k": (100000, 50000, "different_region", 0.0, "large"),
    "100k-bonus": (100000, 50000, "different_region", 0.3, "large"),
}
METHODS = ["flow", "lsa", "greedy", "mentor-match", "hr", "stable", "large", "exact"]
LABELS = {
    "flow": "OR-Tools min-cost flow, all feasible edges",
    "lsa": "scipy linear_sum_assignment (mentor seats as columns)",
    "greedy": "greedy best score first",
    "mentor-match": "mentor-match 7 (Munkres, 1 mentee per round)",
    "hr": "matching 1.4 HospitalResident (mentee-optimal)",
    "stable": "jumelage stable",
    "large": "jumelage large",
    "exact": "jumelage exact (core)",
}


def size_label(name: str) -> str:
    ne, nm, _, w, _ = SIZES[name]
    label = f"{ne:,}×{nm:,}".replace(",", " ")
    return label + (f", bonus {w}" if w else "")


def make_instance(name: str, seed: int):
    from generate import generate

    from jumelage.model import load_instance

    ne, nm, rule, w, _ = SIZES[name]
    t = time.perf_counter()
    extra = {"sector_rule": "any"} if rule == "pilot" else {}  # a pilot mixes sectors
    rule = "different_region" if rule == "pilot" else rule
    data = generate(ne, nm, seed=seed, mentee_region_rule=rule, shared_themes_weight=w, **extra)
    t_gen = time.perf_counter() - t
    t = time.perf_counter()
    inst = load_instance(data)
    return inst, t_gen, time.perf_counter() - t


# --------------------------------------------------------------------------- methods
# Each takes the Instance and a time cap and returns (mentor index per mentee, extra dict).


def _edges(inst):
    from jumelage import solve_large as L

    P = L.build_problem(inst)
    with L.single_threaded_blas():
        ei, mj = L.all_feasible_edges(P)
    return P, ei, mj, L.score_pairs(P, ei, mj)


def run_flow(inst, cap):
    from jumelage import solve_large as L

    P, ei, mj, s = _edges(inst)
    used = L.solve_flow(P, ei, mj, s)
    assign = np.full(P.n_e, -1, np.int64)
    assign[ei[used]] = mj[used]
    return assign, {"status": "optimal (pair scores)", "edges": int(len(ei))}


def run_lsa(inst, cap):
    from scipy.optimize import linear_sum_assignment

    P, ei, mj, s = _edges(inst)
    if P.class_max > 0 and inst.policy.class_limit is not None:
        return None, {"status": "n/a: no per-group class limit in an assignment matrix"}
    seats = P.capacity
    first_col = np.r_[0, np.cumsum(seats)[:-1]]
    n_cols = int(seats.sum())
    if P.n_e * n_cols > 400_000_000:
        return None, {"status": f"n/a: dense {P.n_e}×{n_cols} matrix"}
    M = np.zeros((P.n_e, n_cols))
    for k in range(int(seats.max(initial=0))):
        has = seats[mj] > k
        M[ei[has], first_col[mj[has]] + k] = s[has]
    rows, cols = linear_sum_assignment(M, maximize=True)
    owner = np.repeat(np.arange(P.n_m), seats)
    assign = np.full(P.n_e, -1, np.int64)
    ok = M[rows, cols] > 0
    assign[rows[ok]] = owner[cols[ok]]
    return assign, {"status": "optimal (pair scores)"}


def run_greedy(inst, cap):
    P, ei, mj, s = _edges(inst)
    order = np.lexsort((mj, ei, -s))
    assign = np.full(P.n_e, -1, np.int64)
    load = np.zeros(P.n_m, np.int64)
    seats = P.capacity
    cls = P.class_e
    qmax = P.class_max
    taken: dict[tuple[int, int], int] = {}
    deadline = time.perf_counter() + cap
    for n, (i, j) in enumerate(zip(ei[order].tolist(), mj[order].tolist(), strict=True)):
        if n % 100_000 == 0 and time.perf_counter() > deadline:
            return assign, {"status": "timeout"}
        if assign[i] >= 0 or load[j] >= seats[j] or s[order[n]] <= 0:
            continue
        c = int(cls[i])
        if qmax and c >= 0:
            if taken.get((j, c), 0) >= qmax:
                continue
            taken[(j, c)] = taken.get((j, c), 0) + 1
        assign[i] = j
        load[j] += 1
    return assign, {"status": "heuristic"}


def _preferences(inst):
    from jumelage import solve_stable as S

    P, ei, mj, s = _edges(inst)
    return P, S.build_preferences(P, ei, mj, s)


def run_hr(inst, cap):
    """The `matching` package, on the same preference lists as our stable mode (mentee-optimal).
    Its deep copies of the player graph need a deep stack: run in a thread with one."""
    import threading
    import warnings

    P, pref = _preferences(inst)
    if pref.class_max > 0 and inst.policy.class_limit is not None:
        return None, {"status": "n/a: no per-group class limit in hospitals/residents"}
    rp = {
        i: pref.e_m[pref.e_ptr[i] : pref.e_ptr[i + 1]].tolist()
        for i in range(pref.n_e)
        if pref.e_ptr[i + 1] > pref.e_ptr[i]
    }
    hp = {
        j: pref.m_e[pref.m_ptr[j] : pref.m_ptr[j + 1]].tolist()
        for j in range(pref.n_m)
        if pref.m_ptr[j + 1] > pref.m_ptr[j]
    }
    caps = {j: int(pref.capacity[j]) for j in hp}
    out: dict = {}

    def work():
        from matching.games import HospitalResident

        sys.setrecursionlimit(10_000_000)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(rp, hp, caps)
            out["build"] = time.perf_counter() - t
            out["matching"] = game.solve(optimal="resident")

    threading.stack_size(1 << 30)
    th = threading.Thread(target=work)
    th.start()
    th.join()
    assign = np.full(P.n_e, -1, np.int64)
    for hospital, residents in out["matching"].items():
        for r in residents:
            assign[r.name] = hospital.name
    from jumelage import solve_stable as S

    ours = S.deferred_acceptance(pref)
    same = bool((ours == assign).all())
    # and the stable mode itself (short lists, lengthened on demand), end to end; its time is
    # taken off this row's seconds
    import jumelage

    t = time.perf_counter()
    res = jumelage.solve(inst, mode="stable", time_limit=TIME_LIMIT["stable"], seed=0)
    stable_s = time.perf_counter() - t
    solved = np.full(P.n_e, -1, np.int64)
    for g in res.groups:
        for e in g.mentees:
            solved[inst.mentee_index[e]] = inst.mentor_index[g.mentor]
    return assign, {
        "status": "stable",
        "same_as_ours": same,
        "same_as_stable_mode": bool((solved == assign).all()),
        "build_s": round(out["build"], 2),
        "not_timed_s": stable_s,
    }


MENTOR_MATCH_CHILD = r"""
import json, sys, time
from matching import process
from matching.mentor import Mentor
from matching.mentee import Mentee
from matching.rules import rule as rl

data = json.load(sys.stdin)
score = {(a, b): v for a, b, v in data["edges"]}


class PairScore(rl.Rule):
    def apply(self, match):
        return score.get((match.mentor.email, match.mentee.email), 0)

    def evaluate(self, match):
        return True


def person(cls, ident):
    return cls(**{"grade": 1, "email": ident, "first name": ident, "organisation": ident})


mentors = [person(Mentor, m) for m in data["mentors"]]
mentees = [person(Mentee, e) for e in data["mentees"]]
rules = [
    PairScore(),
    rl.Disqualify(lambda m: (m.mentor.email, m.mentee.email) not in score),
    rl.Disqualify(lambda m: len(m.mentee.mentors) > 0),
]
t = time.perf_counter()
process.process_data(mentors, mentees, [list(rules) for _ in range(data["rounds"])])
seconds = time.perf_counter() - t
pairs = [[m.email, e.email] for m in mentors for e in m.mentees]
print(json.dumps({"pairs": pairs, "seconds": seconds}))
"""


def run_mentor_match(inst, cap, path=None):
    """mentor-match in its own interpreter (its package is also called `matching`). One Munkres
    round gives each mentor at most one mentee; it runs `capacity` rounds, a mentee placed in
    an earlier round being disqualified in the next (integer scores: micro-points)."""
    P, ei, mj, s = _edges(inst)
    path = path or os.environ.get("MENTOR_MATCH_PATH") or str(ROOT / ".venv" / "mentor-match")
    payload = {
        "mentors": [m.id for m in inst.mentors],
        "mentees": [e.id for e in inst.mentees],
        "edges": [
            [inst.mentors[j].id, inst.mentees[i].id, int(round(v * 1_000_000))]
            for i, j, v in zip(ei.tolist(), mj.tolist(), s.tolist(), strict=True)
            if v > 0
        ],
        "rounds": int(P.capacity.max(initial=1)),
    }
    env = dict(os.environ, PYTHONPATH=path)
    proc = subprocess.run(
        [sys.executable, "-c", MENTOR_MATCH_CHILD],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        timeout=cap,
    )
    if proc.returncode:
        return None, {"status": "error: " + proc.stderr.strip().splitlines()[-1][:80]}
    got = json.loads(proc.stdout)
    assign = np.full(P.n_e, -1, np.int64)
    for m, e in got["pairs"]:
        assign[inst.mentee_index[e]] = inst.mentor_index[m]
    return assign, {"status": "heuristic (rounds of 1:1 Munkres)", "munkres_s": got["seconds"]}


# the time limit each mode is given (the targets: exact 30 s at 500 people, large 120 s)
TIME_LIMIT = {"exact": 30.0, "large": 120.0, "stable": 120.0}


def run_mode(mode):
    def run(inst, cap):
        import jumelage

        res = jumelage.solve(inst, mode=mode, time_limit=min(cap, TIME_LIMIT[mode]), seed=0)
        assign = np.full(len(inst.mentees), -1, np.int64)
        for g in res.groups:
            for e in g.mentees:
                assign[inst.mentee_index[e]] = inst.mentor_index[g.mentor]
        return assign, {"result": res}

    return run


RUNNERS = {
    "flow": run_flow,
    "lsa": run_lsa,
    "greedy": run_greedy,
    "mentor-match": run_mentor_match,
    "hr": run_hr,
    "stable": run_mode("stable"),
    "large": run_mode("large"),
    "exact": run_mode("exact"),
}


def child_lists(size: str, method: str, seed: int) -> dict:
    """`matching`'s own kind of instance: random preference lists (each mentee ranks 20 to 60
    mentors at random, mentors rank the mentees who ranked them at random), capacity 2."""
    from jumelage import solve_stable as S

    n_e, n_m = SIZES[size][:2]
    rng = np.random.default_rng(seed)
    mentee_lists = [
        rng.choice(n_m, size=int(rng.integers(20, 61)), replace=False).tolist() for _ in range(n_e)
    ]
    by_mentor: list[list[int]] = [[] for _ in range(n_m)]
    for i, lst in enumerate(mentee_lists):
        for j in lst:
            by_mentor[j].append(i)
    mentor_lists = [rng.permutation(x).tolist() for x in by_mentor]
    capacity = np.full(n_m, 2)
    t = time.perf_counter()
    if method == "stable":
        pref = S.preferences_from_lists(mentee_lists, mentor_lists, capacity)
        assign = S.deferred_acceptance(pref)
        extra = {"status": "stable", "blocking": int(len(S.blocking_pairs(pref, assign)))}
    else:
        import threading
        import warnings

        out: dict = {}

        def work():
            from matching.games import HospitalResident

            sys.setrecursionlimit(10_000_000)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                game = HospitalResident.create_from_dictionaries(
                    dict(enumerate(mentee_lists)),
                    dict(enumerate(mentor_lists)),
                    dict(enumerate(capacity.tolist())),
                )
                out["m"] = game.solve(optimal="resident")

        threading.stack_size(1 << 30)
        th = threading.Thread(target=work)
        th.start()
        th.join()
        assign = np.full(n_e, -1)
        for h, rs in out["m"].items():
            for r in rs:
                assign[r.name] = h.name
        pref = S.preferences_from_lists(mentee_lists, mentor_lists, capacity)
        extra = {
            "status": "stable",
            "same_as_ours": bool((S.deferred_acceptance(pref) == assign).all()),
        }
    seconds = time.perf_counter() - t
    return {
        "size": size,
        "method": method,
        "seconds": round(seconds, 3),
        "matched": int((assign >= 0).sum()),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "objective": None,
        **extra,
    }


def child(size: str, method: str, seed: int, cap: float, mentor_match_path: str | None) -> dict:
    if SIZES[size][2] == "lists":
        return child_lists(size, method, seed)
    from jumelage.check import check
    from jumelage.scoring import objective

    inst, t_gen, t_load = make_instance(size, seed)
    t0 = time.perf_counter()
    if method == "mentor-match":
        assign, extra = run_mentor_match(inst, cap, mentor_match_path)
    else:
        assign, extra = RUNNERS[method](inst, cap)
    seconds = time.perf_counter() - t0 - extra.pop("not_timed_s", 0.0)
    row = {
        "size": size,
        "method": method,
        "seconds": round(seconds, 3),
        "generate_s": round(t_gen, 2),
        "load_s": round(t_load, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    res = extra.pop("result", None)
    if assign is None:
        row["status"] = extra.get("status", "n/a")
        return row
    groups: dict[int, list[int]] = {}
    for i, j in enumerate(assign.tolist()):
        if j >= 0:
            groups.setdefault(j, []).append(i)
    row["objective"] = round(objective(inst, sorted(groups.items())), 4)
    row["matched"] = int((assign >= 0).sum())
    row.update(extra)
    if res is not None:
        cert = res.certificate
        row["status"] = cert.status
        row["bound"] = cert.bound
        row["gap"] = cert.gap
        if res.stability:
            row["blocking_pairs"] = res.stability["blocking_pairs"]
            row["loss_pct"] = res.stability["loss_pct"]
            row["matching_s"] = res.stability["seconds_matching"]
        t = time.perf_counter()
        problems = check(inst, res) if len(inst.mentees) <= 20000 or method == "large" else []
        row["check_problems"] = len(problems)
        row["check_s"] = round(time.perf_counter() - t, 2)
    return row


def fmt(row: dict, best: float | None) -> str:
    obj = row.get("objective")
    if obj is None and "matched" in row:  # random preference lists: no scores
        quality = "stable"
        if "same_as_ours" in row:
            quality += ", same matching as ours" if row["same_as_ours"] else ", DIFFERENT"
        if "blocking" in row:
            quality += f", {row['blocking']} blocking pairs"
        return (
            f"| {LABELS[row['method']]} | {size_label(row['size'])} random lists | — | {quality} "
            f"| {row['matched']} | {row['seconds']:.2f} | {row['peak_rss_mib']} |"
        )
    if obj is None:
        quality = row.get("status", "")
        return (
            f"| {LABELS[row['method']]} | {size_label(row['size'])} | — | {quality} | — "
            f"| {row.get('seconds', '—')} | {row.get('peak_rss_mib', '—')} |"
        )
    status = row.get("status", "")
    if "blocking_pairs" in row:
        quality = f"stable: {row['blocking_pairs']} blocking pairs, {row['loss_pct']} % below the score optimum"
    elif row.get("gap") is not None:
        quality = f"{status}, certified gap {100 * row['gap']:.3f} %"
    elif best:
        quality = f"{status}, {100 * (obj - best) / best:+.2f} % vs best"
    else:
        quality = status
    if "same_as_ours" in row:
        quality += ", same matching as ours" if row["same_as_ours"] else ", DIFFERENT from ours"
    if "same_as_stable_mode" in row:
        same = row["same_as_stable_mode"]
        quality += ", same as `--mode stable`" if same else ", DIFFERENT from `--mode stable`"
    if row.get("check_problems") is not None:
        quality += f", check: {row['check_problems']} problems"
    if row.get("matching_s") is not None:
        quality += f" (matching itself {row['matching_s']:.2f} s)"
    return (
        f"| {LABELS[row['method']]} | {size_label(row['size'])} | {obj:.3f} | {quality} "
        f"| {row['matched']} | {row['seconds']:.2f} | {row['peak_rss_mib']} |"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(SIZES))
    ap.add_argument("--methods", default="", help="comma list; default: each size's own list")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cap", type=float, default=300.0, help="seconds per method (hard cap)")
    ap.add_argument("--out", help="also write the markdown table to this file")
    ap.add_argument("--json", help="also write the raw rows (JSON lines) to this file")
    ap.add_argument("--mentor-match-path")
    ap.add_argument("--child", nargs=2, metavar=("SIZE", "METHOD"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        row = child(args.child[0], args.child[1], args.seed, args.cap, args.mentor_match_path)
        print("ROW " + json.dumps(row, default=str))
        return 0
    rows = []
    for size in args.sizes.split(","):
        wanted = (args.methods or SIZES[size][4]).split(",")
        for method in [m for m in METHODS if m in wanted]:
            cmd = [sys.executable, __file__, "--child", size, method, "--seed", str(args.seed)]
            cmd += ["--cap", str(args.cap)]
            if args.mentor_match_path:
                cmd += ["--mentor-match-path", args.mentor_match_path]
            t = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.cap + 600)
                line = [x for x in proc.stdout.splitlines() if x.startswith("ROW ")]
                if line:
                    row = json.loads(line[-1][4:])
                else:
                    err = (proc.stderr.strip().splitlines() or ["?"])[-1][:100]
                    row = {"size": size, "method": method, "status": f"error: {err}"}
            except subprocess.TimeoutExpired:
                status = f"stopped after {args.cap + 600:.0f} s (cap {args.cap:.0f} s)"
                row = {"size": size, "method": method, "status": status}
                row["seconds"] = round(time.perf_counter() - t, 1)
            rows.append(row)
            print(json.dumps(row, default=str), file=sys.stderr, flush=True)
            if args.json:
                with open(args.json, "a") as fh:
                    fh.write(json.dumps(row, default=str) + "\n")
    table = render(rows)
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n")
    return 0


def render(rows: list[dict]) -> str:
    head = [
        "| method | size (mentees×mentors) | objective | gap / optimality | matched | seconds "
        "| peak RSS (MiB) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines = list(head)
    for size in dict.fromkeys(r["size"] for r in rows):
        mine = [r for r in rows if r["size"] == size]
        objs = [r["objective"] for r in mine if r.get("objective") is not None]
        best = max(objs) if objs else None
        lines += [fmt(r, best) for r in mine]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

"""Large mode's own phases on one instance, for a before/after comparison of two trees.

    python bench/large_stats.py TREE INSTANCE.json [TIME_LIMIT]

TREE is a folder holding a `jumelage/` package (this checkout, or a copy of an older one). Times
loading, `build_problem` and `solve_problem` (its `stats`: the candidate pass, each flow, price
and bound round, the pool edges priced out per round, the pool bound per round) and prints one
JSON line with wall-clock, the process's CPU time (user + sys), the load average (1 min) at start
and end, and the peak RSS (MiB). The objective, bound and matched count let the two trees'
results be compared (they do not depend on the load unless a time limit cut a phase).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    tree, path = sys.argv[1], Path(sys.argv[2])
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 600.0
    load0 = open("/proc/loadavg").read().split()[0]
    sys.path.insert(0, tree)
    from jumelage import load_instance
    from jumelage import solve_large as L

    t0, c0 = time.monotonic(), _cpu()
    inst = load_instance(json.loads(path.read_text(encoding="utf-8")))
    t1 = time.monotonic()
    P = L.build_problem(inst)
    _ = inst.arrays
    t2, c2 = time.monotonic(), _cpu()
    out = L.solve_problem(P, time_limit=limit)
    t3, c3 = time.monotonic(), _cpu()
    row = {
        "tree": tree,
        "instance": path.name,
        "load_s": round(t1 - t0, 2),
        "build_s": round(t2 - t1, 2),
        "solve_s": round(t3 - t2, 2),
        "solve_cpu_s": round(c3 - c2, 2),
        "cpu_s": round(c3 - c0, 2),
        "objective": round(out.linear + out.bonus, 6),
        "bound": round(out.upper_bound, 6),
        "gap_pct": round(100 * (out.upper_bound - out.linear - out.bonus) / out.upper_bound, 4),
        "matched": int((out.assign >= 0).sum()),
        "candidates": out.n_candidates,
        "rounds": out.rounds,
        "stats": out.stats,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_start": load0,
        "load_end": open("/proc/loadavg").read().split()[0],
    }
    print(json.dumps(row))


if __name__ == "__main__":
    main()

"""Phases of one `jumelage solve` run, end to end, for a before/after comparison of two trees.

    python bench/engine_phases.py TREE INSTANCE.json MODE TIME_LIMIT

TREE is a folder holding a `jumelage/` package (this checkout, or a copy of an older one): the
script imports it first, then times importing, reading the JSON, the schema check, loading,
solving, building the result dict and writing it as the CLI does, and prints one JSON line
with the load average (1 min) at start and end and the peak RSS (MiB).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    tree, path, mode, limit = sys.argv[1], Path(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    load0 = open("/proc/loadavg").read().split()[0]
    t = [time.monotonic()]
    sys.path.insert(0, tree)
    from jumelage import load_instance, schemas, solve
    from jumelage.cli import _dump

    t.append(time.monotonic())
    data = json.loads(path.read_text(encoding="utf-8"))
    t.append(time.monotonic())
    problems = schemas.errors(data, "instance")
    t.append(time.monotonic())
    inst = load_instance(data)  # checks the schema again, as the CLI does
    t.append(time.monotonic())
    res = solve(inst, mode=mode, time_limit=limit)
    t.append(time.monotonic())
    d = res.to_dict()
    t.append(time.monotonic())
    text = _dump(d)
    Path("/tmp/engine_phases.out.json").write_text(text, encoding="utf-8")
    t.append(time.monotonic())
    names = ["imports", "read", "schema", "load_instance", "solve", "to_dict", "write"]
    out = {n: round(t[k + 1] - t[k], 2) for k, n in enumerate(names)}
    cert = res.certificate
    out |= {
        "tree": tree,
        "instance": path.name,
        "mode": mode,
        "end_to_end_s": round(t[-1] - t[0] - out["schema"], 2),
        "schema_errors": len(problems),
        "objective": cert.objective,
        "bound": cert.bound,
        "gap": cert.gap,
        "matched": cert.matched,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_start": load0,
        "load_end": open("/proc/loadavg").read().split()[0],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()

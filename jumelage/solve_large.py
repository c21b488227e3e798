"""Large mode: national networks (100,000 mentees x 50,000 mentors) with a certified gap.

1. Blocking: when the program asks for the same sector, only (mentee, mentor) pairs of one sector
   are ever compared; inside a block the other hard rules (region policy, a common language, an
   availability overlap) are bit masks compared in numpy, a chunk of mentees at a time.
2. Candidate edges: the union of each mentee's top-k mentors and each mentor's top-K mentees by
   score. A mentee-only top-k loses matches: the popular mentors collect everybody's top-k while
   the others stay empty although some mentee could have used them.
3. Min-cost flow (OR-Tools SimpleMinCostFlow, integer costs) on the candidates, with the
   capacities and "at most one mentee of a region per group".
4. Mentor prices p from the flow (the least dual solution, a Bellman-Ford fixed point in numpy on
   the candidate graph), then one chunked pass over the FULL feasible graph computes
   UB(p) = sum_i max(0, max_j (s_ij - p_j)) + sum_j c_j p_j, which bounds every feasible matching.
   Edges that price out (s_ij - p_j > u_i) are added to the candidates and the flow is solved
   again (column generation) while time remains.
5. Local search (moves and swaps, deterministic rounds of non-conflicting improvements) for the
   mentee-to-mentee shared-themes bonus. Its bound: the Lagrangian of jumelage.lagrange (steps
   on the pool, then L evaluated exactly by a pass over the full graph, see ``_lagrangian``),
   or, where that does not run (locks, no time left), the linear bound plus the bonus each
   mentee can at most bring.

Everything is deterministic for the same input and seed (ties broken by index).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from jumelage.arrays import unique

if TYPE_CHECKING:
    from jumelage.model import Instance, Result

SOLVER = "jumelage-large (candidates + ortools-min-cost-flow + local search)"
SCALE = 1_000_000  # integer costs for the flow: scores in micro-points
NEG = np.float32(-np.inf)
BOUND_SLACK = 1e-5  # per mentee: covers float32 rounding of the block scores in the bound pass


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread: the chunk products here are small (k = 16..64) and OpenBLAS's
    threads cost 5-10x more than they bring on them, worse on a busy machine. Best effort:
    without the symbol (another BLAS build), nothing changes."""
    lib = _openblas()
    if lib is None:
        yield
        return
    before = lib.scipy_openblas_get_num_threads64_()
    lib.scipy_openblas_set_num_threads64_(1)
    try:
        yield
    finally:
        lib.scipy_openblas_set_num_threads64_(before)


def _openblas():
    import ctypes
    import glob
    import os

    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "libscipy_openblas64_*.so"))):
        try:
            lib = ctypes.CDLL(path)
            lib.scipy_openblas_get_num_threads64_.restype = ctypes.c_int
            lib.scipy_openblas_set_num_threads64_.argtypes = [ctypes.c_int]
            return lib
        except (OSError, AttributeError):
            continue
    return None


def _small_uint(bits: np.ndarray, nbits: int) -> np.ndarray:
    """uint64 bitsets of one word as the smallest unsigned type holding ``nbits`` bits."""
    for dt, n in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32)):
        if nbits <= n:
            return bits[:, 0].astype(dt)
    return bits[:, 0]


def _unpack(bits: np.ndarray, nbits: int) -> np.ndarray:
    out = np.zeros((bits.shape[0], max(1, nbits)), np.float32)
    for b in range(nbits):
        out[:, b] = (bits[:, b // 64] >> np.uint64(b % 64)) & np.uint64(1)
    return out


@dataclass
class Sparse:
    """(mentee, mentor, value) entries sorted by mentee, for per-chunk lookups."""

    e: np.ndarray
    m: np.ndarray
    v: np.ndarray

    @classmethod
    def from_keys(cls, keys: np.ndarray, vals: np.ndarray, n_e: int) -> Sparse:
        m, e = keys // max(n_e, 1), keys % max(n_e, 1)
        order = np.lexsort((m, e))
        return cls(e[order], m[order], np.asarray(vals, np.float64)[order])

    def __len__(self) -> int:
        return len(self.e)

    def in_chunk(
        self, E: np.ndarray, colpos: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Entries whose mentee is in the sorted chunk E and mentor has a column (colpos >= 0)."""
        lo = np.searchsorted(self.e, E, side="left")
        hi = np.searchsorted(self.e, E, side="right")
        n = hi - lo
        if not n.any():
            z = np.zeros(0, np.int64)
            return z, z, np.zeros(0)
        rows = np.repeat(np.arange(len(E)), n)
        idx = np.repeat(lo - np.cumsum(np.r_[0, n[:-1]]), n) + np.arange(n.sum())
        cols = colpos[self.m[idx]]
        keep = cols >= 0
        return rows[keep], cols[keep], self.v[idx][keep]


@dataclass
class Problem:
    """An instance as flat arrays for the blocked passes: index i = mentee, j = mentor."""

    inst: Instance
    n_e: int
    n_m: int
    e_sector: np.ndarray
    m_sector: np.ndarray
    e_region: np.ndarray
    m_region: np.ndarray
    e_mrc: np.ndarray
    m_mrc: np.ndarray
    e_lang: np.ndarray
    m_lang: np.ndarray
    e_avail: np.ndarray
    m_avail: np.ndarray
    e_vec: np.ndarray
    m_vec: np.ndarray
    e_themes: np.ndarray
    m_themes: np.ndarray
    e_tc: np.ndarray
    m_tc: np.ndarray
    e_style: np.ndarray
    m_style: np.ndarray
    capacity: np.ndarray
    class_e: np.ndarray
    class_max: int
    weights: dict
    policy: dict
    ranking: Sparse
    pair_fit: Sparse
    excluded: Sparse
    pref_on: bool
    pair_score: Sparse  # the instance's own pair scores
    only_scored: bool  # a pair absent from pair_score is not allowed
    lock_m: np.ndarray
    lock_e: np.ndarray
    e_style_f: np.ndarray | None = None  # (n, 2) float32: style one-hots for the product
    m_style_f: np.ndarray | None = None
    e_avail_f: np.ndarray | None = None  # (n, slots) float32 0/1, all ones when none listed
    m_avail_f: np.ndarray | None = None


def _slot_matrix(bits: np.ndarray, nbits: int) -> np.ndarray | None:
    if nbits > 64:
        return None
    out = _unpack(bits, nbits)
    out[out.sum(1) == 0] = 1.0
    return out


def build_problem(inst: Instance) -> Problem:
    """Flatten a ``jumelage.model.Instance`` for the chunked passes (codes from ``inst.arrays``,
    text vectors from ``jumelage.scoring.fit_vectors``)."""
    from jumelage.model import lookup
    from jumelage.scoring import fit_vectors

    a = inst.arrays
    ne, nm = a.n_mentees, a.n_mentors
    w = dict(inst.weights.pair_weights())
    w["shared_themes"] = float(inst.weights.shared_themes)
    pol = inst.policy
    policy = {
        "group_size": int(pol.group_size),
        "region_rule": pol.region_rule,
        "sector_rule": pol.sector_rule,
        "require_common_language": bool(pol.require_common_language),
        "require_availability_overlap": bool(pol.require_availability_overlap),
    }

    def nbits(bits: np.ndarray) -> int:
        return int(bits.shape[1]) * 64

    lang_bits = a.lang_m.shape[1] == 1
    avail_bits = a.avail_m.shape[1] == 1
    n_themes = len(a.theme_names)
    if w["fit"] > 0 and nm and ne:
        fv = fit_vectors(inst)
        e_vec, m_vec = fv.mentees.astype(np.float32), fv.mentors.astype(np.float32)
    else:
        e_vec = np.zeros((ne, 0), np.float32)
        m_vec = np.zeros((nm, 0), np.float32)
    e_th, m_th = _unpack(a.themes_e, n_themes), _unpack(a.themes_m, n_themes)
    rk = np.union1d(a.rank_by_mentee_keys, a.rank_by_mentor_keys)
    rv = 0.5 * (
        lookup(a.rank_by_mentee_keys, a.rank_by_mentee_vals, rk)
        + lookup(a.rank_by_mentor_keys, a.rank_by_mentor_vals, rk)
    )
    ex = np.union1d(a.excl_keys, a.forbid_keys)
    pref_on = bool(w["preference"] > 0 and (a.pref_m.any() or a.pref_e.any()))
    n_slots = int(max(a.avail_m.max(initial=0), a.avail_e.max(initial=0))).bit_length()
    n_slots = n_slots if a.avail_m.shape[1] == 1 else 65
    ws = np.float32(w["style"])
    return Problem(
        e_style_f=np.stack([(a.style_e == 1) * ws, (a.style_e == 2) * ws], 1).astype(np.float32),
        m_style_f=np.stack([a.style_m == 2, a.style_m == 1], 1).astype(np.float32),
        e_avail_f=_slot_matrix(a.avail_e, n_slots) if n_slots <= 64 else None,
        m_avail_f=_slot_matrix(a.avail_m, n_slots) if n_slots <= 64 else None,
        inst=inst,
        n_e=ne,
        n_m=nm,
        e_sector=a.sector_e,
        m_sector=a.sector_m,
        e_region=a.region_e,
        m_region=a.region_m,
        e_mrc=a.mrc_e,
        m_mrc=a.mrc_m,
        e_lang=_small_uint(a.lang_e, 64) if lang_bits else a.lang_e,
        m_lang=_small_uint(a.lang_m, 64) if lang_bits else a.lang_m,
        e_avail=_small_uint(a.avail_e, 64) if avail_bits else a.avail_e,
        m_avail=_small_uint(a.avail_m, 64) if avail_bits else a.avail_m,
        e_vec=e_vec,
        m_vec=m_vec,
        e_themes=e_th,
        m_themes=m_th,
        e_tc=e_th.sum(1),
        m_tc=m_th.sum(1),
        e_style=a.style_e,
        m_style=a.style_m,
        capacity=a.capacity.astype(np.int64),
        class_e=a.class_e.astype(np.int64),
        class_max=int(a.class_max),
        weights=w,
        policy=policy,
        ranking=Sparse.from_keys(rk, rv, ne),
        pair_fit=Sparse.from_keys(a.pair_fit_keys, a.pair_fit_vals, ne),
        excluded=Sparse.from_keys(ex, np.zeros(len(ex)), ne),
        pref_on=pref_on,
        pair_score=Sparse.from_keys(a.pair_score_keys, a.pair_score_vals, ne),
        only_scored=bool(pol.only_scored_pairs),
        lock_m=a.lock_m,
        lock_e=a.lock_e,
    )


# --------------------------------------------------------------------------- scores and rules
# The chunked passes score dense blocks in float32 with the same formulas as jumelage.scoring
# (checked equal in the tests); single pairs always go through jumelage.scoring / rules.


def _overlap(be: np.ndarray, bm: np.ndarray) -> np.ndarray:
    """Rule "a common value": True where both listed something in common or one listed none."""
    if be.ndim == 1:
        return ((be[:, None] & bm[None, :]) != 0) | (be == 0)[:, None] | (bm == 0)[None, :]
    inter = np.zeros((be.shape[0], bm.shape[0]), bool)
    for wd in range(be.shape[1]):
        inter |= (be[:, wd][:, None] & bm[:, wd][None, :]) != 0
    return inter | ~be.any(1)[:, None] | ~bm.any(1)[None, :]


def _varies(x: np.ndarray) -> bool:
    return len(x) > 1 and bool(x.min() != x.max())


def feasible_block(P: Problem, E: np.ndarray, J: np.ndarray) -> np.ndarray:
    """Pair rules for every (E[a], J[b]) (exclusions aside). The blocks already keep sector,
    region and language apart; they are checked again here only when a block mixes them."""
    pol = P.policy
    ok = np.ones((len(E), len(J)), bool)
    if pol["sector_rule"] == "same_sector":
        se, sm = P.e_sector[E], P.m_sector[J]
        if _varies(se) or _varies(sm[sm >= 0]):
            ok &= (se[:, None] == sm[None, :]) | (se < 0)[:, None] | (sm < 0)[None, :]
    re_, rm = P.e_region[E], P.m_region[J]
    rr = pol["region_rule"]
    if rr == "different_region" and _varies(re_):
        ok &= (re_[:, None] != rm[None, :]) | (re_ < 0)[:, None] | (rm < 0)[None, :]
    elif rr == "same_region_different_mrc":
        if _varies(re_):
            ok &= (re_[:, None] == rm[None, :]) | (re_ < 0)[:, None] | (rm < 0)[None, :]
        ce, cm = P.e_mrc[E], P.m_mrc[J]
        ok &= (ce[:, None] != cm[None, :]) | (ce < 0)[:, None] | (cm < 0)[None, :]
    if pol["require_common_language"]:
        le = P.e_lang[E]
        if le.ndim > 1 or _varies(le):
            ok &= _overlap(le, P.m_lang[J])
    if pol["require_availability_overlap"]:
        if P.e_avail_f is not None:
            # slots in common, counted by one small product (nobody listed = every slot)
            ok &= (P.e_avail_f[E] @ P.m_avail_f[J].T) >= 0.5
        else:
            ok &= _overlap(P.e_avail[E], P.m_avail[J])
    return ok


def score_block(
    P: Problem, E: np.ndarray, J: np.ndarray, colpos: np.ndarray | None = None
) -> np.ndarray:
    """Pair scores for every (E[a], J[b]) as float32 (no feasibility); E sorted ascending."""
    w = P.weights
    shape = (len(E), len(J))
    if colpos is None:
        colpos = np.full(P.n_m, -1, np.int64)
        colpos[J] = np.arange(len(J))
    if w["fit"] > 0 and P.e_vec.shape[1] and P.e_vec.shape[1] == P.m_vec.shape[1]:
        S = P.e_vec[E] @ P.m_vec[J].T
        if not isinstance(S, np.ndarray):  # the lexical backend's sparse vectors
            S = S.toarray()
        S = np.asarray(S, dtype=np.float32)
        if len(P.pair_fit):
            r, c, v = P.pair_fit.in_chunk(E, colpos)
            S[r, c] = v
        np.clip(S, 0.0, 1.0, out=S)
        if w["fit"] != 1.0:
            S *= np.float32(w["fit"])
    else:
        S = np.zeros(shape, np.float32)
        if w["fit"] > 0 and len(P.pair_fit):
            r, c, v = P.pair_fit.in_chunk(E, colpos)
            S[r, c] = np.float32(w["fit"]) * np.clip(v, 0.0, 1.0)
    if w["themes"] > 0:
        inter = P.e_themes[E] @ P.m_themes[J].T
        union = P.e_tc[E][:, None] + P.m_tc[J][None, :]
        union -= inter
        np.maximum(union, 1.0, out=union)
        inter /= union
        inter *= np.float32(w["themes"])
        S += inter
    if w["style"] > 0:
        # structured (1) with intuitive (2): rank 2, one small product instead of broadcasts
        S += P.e_style_f[E] @ P.m_style_f[J].T
    if w["ranking"] > 0 and len(P.ranking):
        r, c, v = P.ranking.in_chunk(E, colpos)
        S[r, c] += np.float32(w["ranking"]) * v.astype(np.float32)
    if w["pair_score"] > 0 and len(P.pair_score):
        r, c, v = P.pair_score.in_chunk(E, colpos)
        S[r, c] += np.float32(w["pair_score"]) * v.astype(np.float32)
    if P.pref_on:
        from jumelage.scoring import criteria

        pref = criteria(P.inst, J[None, :], E[:, None])["preference"]
        S += (np.float32(w["preference"]) * pref).astype(np.float32)
    return S


def score_pairs(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Pair scores of the pairs (ei[n], mj[n]), by jumelage.scoring (float64)."""
    from jumelage.scoring import pair_scores

    if not len(ei):
        return np.zeros(0)
    return pair_scores(P.inst, mj, ei)


def feasible_pairs(P: Problem, ei: np.ndarray, mj: np.ndarray) -> np.ndarray:
    """Hard pair rules for the pairs (ei[n], mj[n]), by jumelage.rules."""
    from jumelage.rules import feasible_mask

    if not len(ei):
        return np.zeros(0, bool)
    return feasible_mask(P.inst, mj, ei)


def shared_bonus(P: Problem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Shared-themes bonus of mentees a[n] and b[n] in one group, by jumelage.scoring."""
    from jumelage.scoring import pair_bonus

    if not len(a) or not P.weights["shared_themes"]:
        return np.zeros(len(a))
    return pair_bonus(P.inst, a, b)


def bonus_cap(P: Problem) -> np.ndarray:
    """Per mentee, the most shared-theme bonus it can bring to the objective.

    The bonus of a pair of mentees is split evenly between the two; a mentee of a group of k
    has k - 1 partners; a partner is another mentee who can share a mentor, so of the same
    sector when the program asks for one (a mentee without a sector can meet anyone). The best
    Jaccard index with such a partner is computed exactly over the distinct theme sets.
    """
    w = P.weights["shared_themes"]
    k = int(P.policy["group_size"])
    if not w or k < 2:
        return np.zeros(P.n_e)
    n_t = P.e_themes.shape[1]
    if n_t > 62:
        return 0.5 * w * (k - 1) * (P.e_tc > 0)
    keys = (P.e_themes.astype(np.int64) << np.arange(n_t, dtype=np.int64)).sum(1)
    same = P.policy["sector_rule"] == "same_sector"
    sector = P.e_sector if same else np.zeros(P.n_e, np.int32)
    anyone = np.nonzero(sector < 0)[0]
    best = np.zeros(P.n_e)
    for sec in unique(sector):
        members = np.nonzero(sector == sec)[0] if sec >= 0 else anyone
        pool = members if sec < 0 else np.r_[members, anyone]
        if sec < 0:
            pool = np.arange(P.n_e)  # no sector: any mentee can be its partner
        uniq, cnt = np.unique(keys[pool], return_counts=True)
        A = ((uniq[:, None] >> np.arange(n_t)) & 1).astype(np.float32)
        size = A.sum(1)
        # a set is its own best partner only if two mentees share it: then its best is 1 (the
        # most there is) unless it is empty; the others search every set, in place in float32
        # (the same values: small integers, one float32 division)
        top = np.zeros(len(uniq))
        dup = (cnt >= 2) & (size > 0)
        top[dup] = 1.0
        left = np.nonzero(~dup)[0]
        AT = np.ascontiguousarray(A.T)
        for r in range(0, len(left), 2048):
            rows = left[r : r + 2048]
            inter = A[rows] @ AT
            union = np.add.outer(size[rows], size)
            union -= inter
            np.maximum(union, 1, out=union)  # 0 only for two empty sets, whose inter is 0
            inter /= union
            inter[np.arange(len(rows)), rows] = 0.0  # itself: shared by no other mentee
            top[rows] = inter.max(axis=1)
        best[members] = top[np.searchsorted(uniq, keys[members])]
    # float32 products of small integers are exact; keep a hair of slack anyway
    return 0.5 * w * (k - 1) * np.minimum(best + 1e-6, 1.0)


# --------------------------------------------------------------------------- blocks


def blocks(P: Problem) -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(mentee indices, mentor indices, mentee class) of the blocks that can hold feasible pairs.

    Mentees are grouped by (sector, region, languages, class); a block's mentors are those of the
    same sector (or none given), of an admissible region and with a language in common, so
    incompatible blocks are never compared. Mentee indices stay sorted inside a block.

    Computed once per Problem (0.4 s at 100,000 x 50,000, asked for by every pass; read-only
    arrays), again if the mentors with a seat change."""
    token = hash((P.capacity > 0).tobytes())
    cached = P.__dict__.get("_blocks")
    if cached is not None and cached[0] == token:
        return cached[1]
    out = _blocks(P)
    for E, J, _cls in out:
        E.flags.writeable = False
        J.flags.writeable = False
    P.__dict__["_blocks"] = (token, out)
    return out


def _blocks(P: Problem) -> list[tuple[np.ndarray, np.ndarray, int]]:
    pol = P.policy
    same_sector = pol["sector_rule"] == "same_sector"
    rr = pol["region_rule"]
    e_sec = P.e_sector if same_sector else np.zeros(P.n_e, np.int32)
    m_sec = P.m_sector if same_sector else np.zeros(P.n_m, np.int32)
    lang_key = P.e_lang if P.e_lang.ndim == 1 else np.zeros(P.n_e, np.int64)
    lang_key = lang_key if pol["require_common_language"] else np.zeros(P.n_e, np.int64)
    keys = (e_sec, P.e_region, lang_key, P.class_e)
    e_order = np.lexsort(keys[::-1])
    ks = [k[e_order] for k in keys]
    change = np.zeros(max(P.n_e - 1, 0), bool)
    for k in ks:
        change |= k[1:] != k[:-1]
    cut = np.nonzero(np.r_[True, change, True])[0] if P.n_e else np.zeros(1, np.int64)
    out = []
    all_m = np.arange(P.n_m)
    for a, b in zip(cut[:-1], cut[1:], strict=True):
        sec, reg, lng, cls = (int(k[a]) for k in ks)
        keep = np.ones(P.n_m, bool)
        if same_sector and sec >= 0:
            keep &= (m_sec == sec) | (m_sec < 0)
        if reg >= 0 and rr == "different_region":
            keep &= P.m_region != reg
        elif reg >= 0 and rr == "same_region_different_mrc":
            keep &= (P.m_region == reg) | (P.m_region < 0)
        if pol["require_common_language"] and P.m_lang.ndim == 1 and lng != 0:
            keep &= ((P.m_lang & lng) != 0) | (P.m_lang == 0)
        J = all_m[keep & (P.capacity > 0)]
        if len(J):
            E = np.sort(e_order[a:b])
            out.append((E, J, cls))
    return out


def _apply_excluded(P: Problem, S: np.ndarray, E: np.ndarray, colpos: np.ndarray) -> None:
    """Set the excluded and forbidden pairs of a chunk to -inf (False for a boolean chunk), and
    every pair absent from pair_scores when only scored pairs are allowed."""
    off = False if S.dtype == bool else NEG
    if len(P.excluded):
        r, c, _ = P.excluded.in_chunk(E, colpos)
        S[r, c] = off
    if P.only_scored:
        listed = np.zeros(S.shape, bool)
        r, c, _ = P.pair_score.in_chunk(E, colpos)
        listed[r, c] = True
        np.putmask(S, ~listed, off)


def chunk_scores(P: Problem, E: np.ndarray, J: np.ndarray, colpos: np.ndarray) -> np.ndarray:
    """Scores of a chunk, -inf on infeasible pairs."""
    S = score_block(P, E, J, colpos)
    np.putmask(S, ~feasible_block(P, E, J), NEG)
    _apply_excluded(P, S, E, colpos)
    return S


def _colpos(P: Problem, J: np.ndarray) -> np.ndarray:
    colpos = np.full(P.n_m, -1, np.int64)
    colpos[J] = np.arange(len(J))
    return colpos


# Entries (mentee × mentor) per chunk of a pass: a chunk's float32 scores (16 MB) and its
# temporaries stay in the heap and the shared cache instead of being mapped and faulted in
# again for each chunk. At 100,000 x 50,000 (load 2), same results: 24 M entries -> 4 M, the
# candidate pass 6.5-6.9 -> 5.5-6.0 s wall (sys 2.5 -> 0.1-0.6 s), a column pass 3.4-3.6 ->
# 3.0-3.2 s; 1 M and 250 k were slower again (the products' and numpy's per-call costs).
CHUNK_BUDGET = 4_000_000


def _chunk_size(n_cols: int, budget: int = CHUNK_BUDGET) -> int:
    return int(max(64, min(8192, budget // max(1, n_cols))))


# --------------------------------------------------------------------------- candidates


WORKERS = 2  # threads over chunks: numpy and BLAS release the GIL in the heavy parts


def _chunks(P: Problem, skip: np.ndarray | None = None, mentors: np.ndarray | None = None):
    """(mentee chunk, mentor indices, class, column positions) over all blocks, in order
    (without the mentees ``skip`` marks; only the mentors ``mentors`` marks, if given)."""
    for E_all, J, cls in blocks(P):
        if skip is not None:
            E_all = E_all[~skip[E_all]]
        if mentors is not None:
            J = J[mentors[J]]
        if not len(E_all) or not len(J):
            continue
        cs = _chunk_size(len(J))
        colpos = _colpos(P, J)
        for start in range(0, len(E_all), cs):
            yield E_all[start : start + cs], J, cls, colpos


def _pmap(fn, items):
    """Ordered map over a thread pool (deterministic results whatever the timing)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        yield from pool.map(fn, items)


@dataclass
class Pool:
    """What the one full pass keeps: every mentee's top-T edges and the T-th best score (its
    tail: no edge left out scores more), -inf where all its feasible edges are kept."""

    ei: np.ndarray
    mj: np.ndarray
    tail: np.ndarray
    # per mentor, the K-th best score of its column (the mentor side's cut: no edge outside the
    # mentor's K kept ones scores more), -inf where all its feasible edges are kept, +inf when
    # the pass had no mentor side (nothing known)
    mentor_tail: np.ndarray | None = None


def candidate_edges(
    P: Problem, *, k: int = 8, K: int = 8, mentor_side: bool = True, store: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Union of each mentee's top-k and (if ``mentor_side``) each mentor's top-K edges."""
    ci, cj, _ = candidate_pass(P, k=k, K=K, mentor_side=mentor_side, store=store)
    return ci, cj


def candidate_pass(
    P: Problem, *, k: int = 8, K: int = 8, mentor_side: bool = True, store: int = 0
) -> tuple[np.ndarray, np.ndarray, Pool]:
    """Union of each mentee's top-k and (if ``mentor_side``) each mentor's top-K feasible edges,
    as (mentee, mentor) index arrays sorted by pair.

    Each chunk gives its rows' top-k and its columns' top-K (argpartition both ways); a column's
    K-th best in a chunk is a floor for that mentor's final K-th best, so later chunks only pass
    on entries at or above it. The final per-mentor cut sorts by (score desc, mentee index), so
    the result does not depend on the threads' timing.
    """
    thr = np.full(P.n_m, NEG, np.float32)

    def work(task):
        E, J, _cls, colpos = task
        S = chunk_scores(P, E, J, colpos)
        tt = min(max(k, store), len(J))
        if tt < len(J):
            top = np.argpartition(-S, tt - 1, axis=1)[:, :tt]
        else:
            top = np.broadcast_to(np.arange(len(J)), S.shape)
        vals = np.take_along_axis(S, top, axis=1)
        tail = vals.min(axis=1) if tt < len(J) else np.full(len(E), NEG)
        kk = min(k, tt)
        if kk < tt:
            sub = np.argpartition(-vals, kk - 1, axis=1)[:, :kk]
            ktop = np.take_along_axis(top, sub, axis=1)
            kvals = np.take_along_axis(vals, sub, axis=1)
        else:
            ktop, kvals = top, vals
        good = kvals > NEG
        rows = np.broadcast_to(np.arange(len(E))[:, None], ktop.shape)
        mine = (E[rows[good]], J[ktop[good]])
        if store:
            sgood = vals > NEG
            srows = np.broadcast_to(np.arange(len(E))[:, None], top.shape)
            mine = (*mine, E[srows[sgood]], J[top[sgood]], E, tail)
        if not mentor_side:
            return mine, None
        floor = thr[J]
        r, c, v = _column_top(S, floor, K)
        np.maximum.at(thr, J, floor)
        return mine, (E[r], J[c], v)

    out_i, out_j = [], []
    st_i, st_j = [], []
    tail = np.full(P.n_e, -np.inf)
    buf: list[list[np.ndarray]] = [[], [], []]
    buffered = 0
    for mine, theirs in _pmap(work, _chunks(P)):
        out_i.append(mine[0])
        out_j.append(mine[1])
        if store:
            st_i.append(mine[2])
            st_j.append(mine[3])
            tail[mine[4]] = mine[5]
        if theirs is not None and len(theirs[0]):
            for n in range(3):
                buf[n].append(theirs[n])
            buffered += len(theirs[0])
            if buffered > 4 * K * P.n_m + PRUNE_BUFFER:
                buf, new_thr = _prune_mentor_top(buf, K, P.n_m)
                np.maximum(thr, new_thr, out=thr)
                buffered = len(buf[0][0])
    m_tail = np.full(P.n_m, np.inf)
    if mentor_side:
        m_tail[:] = -np.inf  # no entry at all: the mentor has no feasible edge
    if mentor_side and buf[0]:
        buf, m_thr = _prune_mentor_top(buf, K, P.n_m)
        out_i.append(buf[0][0])
        out_j.append(buf[1][0])
        m_tail = m_thr.astype(np.float64)
    empty = np.zeros(0, np.int64)
    pool = Pool(empty, empty, tail, m_tail)
    if store and st_i:
        pk = unique(np.concatenate(st_i).astype(np.int64) * P.n_m + np.concatenate(st_j))
        pool = Pool(pk // P.n_m, pk % P.n_m, tail, m_tail)
    if not out_i:
        return empty, empty, pool
    key = unique(np.concatenate(out_i).astype(np.int64) * P.n_m + np.concatenate(out_j))
    return key // P.n_m, key % P.n_m, pool


PRUNE_BUFFER = 1_000_000  # buffered mentor-side entries beyond 4 K per mentor before a cut
COLUMN_DENSE = 0.05  # share of a chunk's entries above the running floors: above it, the
# chunk's K-th value per column comes from one argpartition first (the first chunks of a block)


def _desc_key(v: np.ndarray) -> np.ndarray:
    """int64 keys that sort finite float32 scores >= 0 in descending order (their bit patterns
    sort like the values; + 0.0 turns a -0.0 into 0.0)."""
    bits = (np.asarray(v, np.float32) + np.float32(0.0)).view(np.uint32).astype(np.int64)
    return np.int64(0xFFFFFFFF) - bits


def _column_top(
    S: np.ndarray, floor: np.ndarray, K: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries (row, column, score) of a chunk that can still be among their column's K best:
    every entry at or above both the column's running floor (``floor``, the K-th best score a
    mentor already has elsewhere) and the chunk's own K-th best score of the column, ties
    included. Raises ``floor`` in place (a copy of the running thresholds of these columns).

    Exact ties: nothing tied with a K-th value is dropped here, so the final cut
    (``_prune_mentor_top``: score, then mentee index) is the same whatever the chunks and the
    threads' timing; the former column argpartition kept an arbitrary K of the tied entries.
    Cost: one comparison with the floors over the chunk, then work on the entries above them
    only (no column argpartition over the whole chunk: the strided axis, 16 % of a 100,000 x
    50,000 run before)."""
    n_rows, n_cols = S.shape
    above = S >= floor[None, :]
    above &= S > NEG
    if n_rows > K and int(np.count_nonzero(above)) > COLUMN_DENSE * S.size + K * n_cols:
        # a block's first chunks: the K-th best of the first rows alone is a floor too (K
        # entries of this chunk reach it), and a few per cent of the chunk pass it
        m = min(n_rows, 32 * K)
        kth = np.partition(S[:m], m - K, axis=0)[m - K]
        np.maximum(floor, kth, out=floor)
        above = S >= floor[None, :]
        above &= S > NEG
    r, c = np.nonzero(above)
    v = S[r, c]
    if not len(v):
        return r, c, v
    # per column, the K-th best among its entries (all entries below the floor are worse)
    order = np.argsort((c.astype(np.int64) << 32) | _desc_key(v), kind="stable")
    cs = c[order]
    first = np.searchsorted(cs, np.arange(n_cols), side="left")
    count = np.diff(np.r_[first, len(cs)])
    full = np.nonzero(count >= K)[0]
    if len(full):
        kth = v[order[first[full] + K - 1]]
        floor[full] = np.maximum(floor[full], kth)
    keep = v >= floor[c]
    return r[keep], c[keep], v[keep]


def _prune_mentor_top(buf: list[list[np.ndarray]], K: int, n_m: int):
    """Keep each mentor's K best buffered edges (score descending, then mentee index: exact
    ties at the K-th place go to the lower mentee index, whatever order the chunks came in);
    return them and the per-mentor thresholds."""
    bi = np.concatenate(buf[0]).astype(np.int64)
    bj = np.concatenate(buf[1]).astype(np.int64)
    bs = np.concatenate(buf[2]).astype(np.float32)
    # by mentee first, then one int64 sort key (mentor, score descending), stable: the ties
    # keep the mentee order
    order = np.argsort(bi, kind="stable")
    bi, bj, bs = bi[order], bj[order], bs[order]
    order = np.argsort((bj << 32) | _desc_key(bs), kind="stable")
    bi, bj, bs = bi[order], bj[order], bs[order]
    first = np.searchsorted(bj, bj, side="left")
    keep = (np.arange(len(bj)) - first) < K
    bi, bj, bs = bi[keep], bj[keep], bs[keep]
    counts = np.bincount(bj, minlength=n_m)
    last = np.maximum(np.searchsorted(bj, np.arange(n_m), side="right") - 1, 0)
    thr = np.full(n_m, NEG, np.float32)
    if len(bs):
        thr = np.where(counts >= K, bs[last], NEG).astype(np.float32)
    return [[bi], [bj], [bs]], thr


def all_feasible_edges(P: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Every feasible (mentee, mentor) edge, by the same blocks (for the exact baselines)."""
    out_i, out_j = [], []
    for E_all, J, _cls in blocks(P):
        cs = _chunk_size(len(J))
        colpos = _colpos(P, J)
        for start in range(0, len(E_all), cs):
            E = E_all[start : start + cs]
            ok = feasible_block(P, E, J)
            _apply_excluded(P, ok, E, colpos)
            r, c = np.nonzero(ok)
            out_i.append(E[r])
            out_j.append(J[c])
    if not out_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    key = unique(np.concatenate(out_i).astype(np.int64) * P.n_m + np.concatenate(out_j))
    return key // P.n_m, key % P.n_m


# --------------------------------------------------------------------------- flow


def _class_room(P: Problem, assign: np.ndarray) -> dict[int, int]:
    """Seats left per (mentor, class) key after the fixed (locked) mentees."""
    room: dict[int, int] = {}
    if P.class_max <= 0:
        return room
    for i in np.nonzero((assign >= 0) & (P.class_e >= 0))[0]:
        key = int(assign[i]) * _n_cls(P) + int(P.class_e[i])
        room[key] = room.get(key, P.class_max) - 1
    return room


def _n_cls(P: Problem) -> int:
    return int(P.class_e.max(initial=-1)) + 1


def solve_flow(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    *,
    capacity: np.ndarray | None = None,
    class_room: dict[int, int] | None = None,
    class_limit: bool = True,
    lexicographic: bool = True,
) -> np.ndarray:
    """The best b-matching on the given edges (OR-Tools SimpleMinCostFlow, costs in SCALE units):
    by default the engine's objective, the most mentees matched and then the largest total score
    (maximum flow of minimum cost, every edge kept, a zero score too); with ``lexicographic``
    False, the largest total score alone (edges of score <= 0 dropped, mentees may stay out).

    The edges split into connected components (the sectors, at least), each solved as its own
    flow: source -> mentee (1) -> [mentor, class] (q) -> mentor (seats) -> sink (plus mentee ->
    sink at cost 0 for the score-only variant). The (mentor, class) node exists only where the
    limit can bind. Returns which edges are used.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    cap = P.capacity if capacity is None else capacity
    used = np.zeros(len(ei), bool)
    keep = np.isfinite(s) if lexicographic else (s > 0)
    idx = np.nonzero(keep & (cap[mj] > 0))[0]
    if not len(idx):
        return used
    n = P.n_e + P.n_m
    graph = coo_matrix((np.ones(len(idx)), (ei[idx], P.n_e + mj[idx])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    comp = label[ei[idx]]
    order = np.argsort(comp, kind="stable")
    cuts = np.nonzero(np.r_[True, comp[order][1:] != comp[order][:-1], True])[0]
    parts = [idx[order[a:b]] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]

    def solve_part(part: np.ndarray) -> np.ndarray:
        return _flow_component(
            P, ei[part], mj[part], s[part], cap, class_room, class_limit, lexicographic
        )

    for part, flows in zip(parts, _map_parts(solve_part, parts), strict=True):
        used[part] = flows
    return used


FLOW_PROCESSES = 2  # the components' flows in two processes (OR-Tools holds the GIL)
FLOW_FORK_EDGES = 200_000  # below this many candidate edges, one process (a fork costs ~30 ms)


def _map_parts(solve_part, parts: list[np.ndarray]) -> list[np.ndarray]:
    """``[solve_part(p) for p in parts]`` (boolean arrays, one per part), the parts split in two
    halves of about the same number of edges, one solved in a forked child process: OR-Tools'
    min-cost flow holds the GIL, so threads would run one component at a time; the sectors
    are independent components (at 100,000 x 50,000 the two halves hold 50 % of the edges
    each). Each part's result is the same as the serial one's (the same solver on the same
    arcs); if the child fails for any reason, the parent solves its half itself."""
    import os

    sizes = np.array([len(p) for p in parts], np.int64)
    if (
        FLOW_PROCESSES < 2
        or len(parts) < 2
        or int(sizes.sum()) < FLOW_FORK_EDGES
        or not hasattr(os, "fork")
    ):
        return [solve_part(p) for p in parts]
    half: list[list[int]] = [[], []]
    load = [0, 0]
    for n in np.argsort(-sizes, kind="stable"):
        side = 0 if load[0] <= load[1] else 1
        half[side].append(int(n))
        load[side] += int(sizes[n])
    out: list[np.ndarray | None] = [None] * len(parts)
    rd, wr = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its half, as bytes on the pipe, then leave without cleanup
        code = 1
        try:
            os.close(rd)
            payload = np.concatenate([solve_part(parts[n]) for n in half[1]]).astype(np.uint8)
            view = memoryview(payload.tobytes())
            while len(view):
                view = view[os.write(wr, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(wr)
    try:
        for n in half[0]:
            out[n] = solve_part(parts[n])
        chunks = []
        while True:
            got = os.read(rd, 1 << 20)
            if not got:
                break
            chunks.append(got)
    finally:
        os.close(rd)
        _, status = os.waitpid(pid, 0)
    data = np.frombuffer(b"".join(chunks), np.uint8)
    if status == 0 and len(data) == int(sizes[half[1]].sum()):
        at = 0
        for n in half[1]:
            out[n] = data[at : at + sizes[n]].astype(bool)
            at += int(sizes[n])
    else:  # the child failed: solve its half here
        for n in half[1]:
            out[n] = solve_part(parts[n])
    return out  # type: ignore[return-value]


def _dense_inverse(idx: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(idx, return_inverse=True)`` for indices in [0, n), by counting: no sort of
    the millions of edges (8 s of the 20,000 x 10,000 stable run's loss flow)."""
    present = np.bincount(idx, minlength=n) > 0
    used = np.nonzero(present)[0]
    place = np.cumsum(present) - 1
    return used, place[idx]


def _room_of(groups: np.ndarray, class_room: dict[int, int] | None, class_max: int) -> np.ndarray:
    """Per (mentor, class) group key (-1: no class, room 0): its room left, ``class_max``
    unless ``class_room`` says otherwise. By sorted lookup rather than a Python loop over the
    groups (a component at 20,000 x 10,000 has tens of thousands)."""
    room = np.where(groups >= 0, class_max, 0).astype(np.int64)
    if class_room:
        ck = np.fromiter(class_room.keys(), np.int64, len(class_room))
        cv = np.fromiter(class_room.values(), np.int64, len(class_room))
        o = np.argsort(ck)
        ck, cv = ck[o], cv[o]
        at = np.minimum(np.searchsorted(ck, groups), len(ck) - 1)
        hit = (groups >= 0) & (ck[at] == groups)
        room[hit] = cv[at[hit]]
    return room


def _flow_component(P, ei, mj, s, cap, class_room, class_limit, lexicographic) -> np.ndarray:
    from ortools.graph.python import min_cost_flow

    e_used, e_loc = _dense_inverse(ei, P.n_e)
    m_used, m_loc = _dense_inverse(mj, P.n_m)
    ne, nm = len(e_used), len(m_used)
    src, snk = ne + nm, ne + nm + 1
    head = ne + m_loc
    extra_t, extra_h, extra_c = [], [], []
    cls = P.class_e[ei]
    if class_limit and P.class_max > 0:
        nc = _n_cls(P)
        gkey = np.where(cls >= 0, mj * nc + cls, -1)
        used, inv = _dense_inverse(gkey + 1, P.n_m * nc + 1)  # as np.unique, by counting
        uniq, cnt = used - 1, np.bincount(inv, minlength=len(used))
        room = _room_of(uniq, class_room, P.class_max)
        need = np.nonzero((uniq >= 0) & ((cnt > room) | (room < P.class_max)))[0]
        node_of = np.full(len(uniq), -1, np.int64)
        node_of[need] = snk + 1 + np.arange(len(need))
        via = node_of[inv] >= 0
        head = np.where(via, node_of[inv], head)
        extra_t.append(node_of[need])
        extra_h.append(ne + np.searchsorted(m_used, uniq[need] // nc))
        extra_c.append(np.maximum(room[need], 0))
    tails = [np.full(ne, src), e_loc, *extra_t, ne + np.arange(nm)]
    heads = [np.arange(ne), head, *extra_h, np.full(nm, snk)]
    caps = [
        np.ones(ne, np.int64),
        np.ones(len(ei), np.int64),
        *extra_c,
        cap[m_used].astype(np.int64),
    ]
    if not lexicographic:  # a mentee may stay out at cost 0
        tails.append(np.arange(ne))
        heads.append(np.full(ne, snk))
        caps.append(np.ones(ne, np.int64))
    costs = [np.zeros(len(t), np.int64) for t in tails]
    costs[1] = -np.rint(s * SCALE).astype(np.int64)
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = f.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps),
        np.concatenate(costs),
    )
    f.set_node_supply(src, ne)
    f.set_node_supply(snk, -ne)
    status = f.solve_max_flow_with_min_cost() if lexicographic else f.solve()
    if status != f.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return f.flows(arcs[ne : ne + len(ei)]) > 0


# --------------------------------------------------------------------------- prices and bound


class _Grouped:
    """Max of values by key with one sort (np.maximum.reduceat beats np.maximum.at)."""

    def __init__(self, keys: np.ndarray):
        self.order = np.argsort(keys, kind="stable")
        k = keys[self.order]
        self.starts = np.nonzero(np.r_[True, k[1:] != k[:-1]])[0] if len(k) else k
        self.heads = k[self.starts] if len(k) else k

    def max(self, vals: np.ndarray, size: int) -> np.ndarray:
        out = np.zeros(size, np.int64)
        if len(self.heads):
            out[self.heads] = np.maximum(np.maximum.reduceat(vals[self.order], self.starts), 0)
        return out


def mentor_prices(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    *,
    class_room: dict[int, int] | None = None,
    max_iter: int = 400,
    dense: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Least dual solution in complementary slackness with the optimal matching ``used``.

    Returns (p, q): mentor prices p_j >= 0 and (mentor, class) prices q_jc >= 0 (the class
    limit), as arrays of shape (n_m,) and (n_m, n_classes + 1) (column 0: no class). Dual of the
    flow LP: u_i + p_j + q_j,c(i) >= s_ij, minimising sum u + sum seats p + sum room q.
    Fixed point (Bellman-Ford on the residual graph, vectorised, integer micro-points so it ends
    exactly): u_i is what i gets at its own mentor (0 if unmatched); p_j = 0 if j has a seat left,
    else the most an unused edge into one of j's open classes asks for; q_jc > 0 only where the
    class c is full at j. Any p, q >= 0 give a valid bound; these are tight on the candidates.
    """
    nc = _n_cls(P) + 1
    w = np.rint(s * SCALE).astype(np.int64)
    cls = np.where(P.class_e[ei] >= 0, P.class_e[ei] + 1, 0)
    load = np.bincount(mj[used], minlength=P.n_m)
    full = load >= capacity
    m_of = np.full(P.n_e, -1, np.int64)
    w_of = np.zeros(P.n_e, np.int64)
    m_of[ei[used]] = mj[used]
    w_of[ei[used]] = w[used]
    matched = m_of >= 0
    jc = mj * nc + cls
    sat = np.zeros(P.n_m * nc, bool)
    if P.class_max > 0:
        cnt = np.bincount(jc[used & (cls > 0)], minlength=P.n_m * nc)
        room = np.full(P.n_m * nc, P.class_max)
        for key, r in (class_room or {}).items():
            room[(key // (nc - 1)) * nc + key % (nc - 1) + 1] = r
        sat = (cnt >= room) & (cnt > 0)
        sat[np.arange(P.n_m) * nc] = False
    other = ~used & (w > 0)
    in_sat = other & sat[jc]
    in_free = other & ~sat[jc] & full[mj]
    a_i, a_w = ei[in_free], w[in_free]
    b_i, b_w = ei[in_sat], w[in_sat]
    big = np.iinfo(np.int64).max // 4
    ceil_jc = np.full(P.n_m * nc, big)
    np.minimum.at(ceil_jc, jc[used], w[used])
    ceil_j = ceil_jc.reshape(P.n_m, nc).min(axis=1)
    own = np.where(matched, m_of * nc + np.where(P.class_e >= 0, P.class_e + 1, 0), 0)
    own_sat = sat[own] & matched
    if dense or ceil_j.min(initial=0) < 0:  # (a negative ceiling: the sweeps as they were)
        ga, gb = _Grouped(mj[in_free]), _Grouped(jc[in_sat])
        p, pc = _prices_dense(
            P,
            nc,
            a_i,
            a_w,
            b_i,
            b_w,
            ga,
            gb,
            full,
            sat,
            ceil_j,
            ceil_jc,
            own,
            own_sat,
            m_of,
            w_of,
            matched,
            max_iter,
        )
    else:
        p, pc = _prices_worklist(
            P,
            nc,
            in_free,
            in_sat,
            ei,
            mj,
            jc,
            w,
            sat,
            ceil_j,
            ceil_jc,
            own,
            own_sat,
            m_of,
            w_of,
            matched,
            max_iter,
        )
    q = np.where(sat, np.maximum(pc - np.repeat(p, nc), 0), 0).reshape(P.n_m, nc)
    return p.astype(np.float64) / SCALE, q.astype(np.float64) / SCALE


def _prices_dense(
    P,
    nc,
    a_i,
    a_w,
    b_i,
    b_w,
    ga,
    gb,
    full,
    sat,
    ceil_j,
    ceil_jc,
    own,
    own_sat,
    m_of,
    w_of,
    matched,
    max_iter,
):
    """``mentor_prices``' fixed point by full sweeps over every edge (the reference)."""
    p = np.zeros(P.n_m, np.int64)
    pc = np.zeros(P.n_m * nc, np.int64)  # p_j + q_jc on full classes
    for _ in range(max_iter):
        price_own = np.where(own_sat, pc[own], p[np.maximum(m_of, 0)])
        u = np.where(matched, w_of - price_own, 0)
        newp = ga.max(a_w - u[a_i], P.n_m)
        newp[~full] = 0
        newp = np.minimum(newp, ceil_j)
        newpc = np.maximum(gb.max(b_w - u[b_i], P.n_m * nc), np.repeat(newp, nc))
        newpc = np.minimum(newpc, ceil_jc)
        newpc[~sat] = 0
        if np.array_equal(newp, p) and np.array_equal(newpc, pc):
            break
        p, pc = newp, newpc
    return p, pc


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by key and each key's start (``ptr[k]:ptr[k + 1]``)."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return order, ptr


def _gather(order: np.ndarray, ptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The positions of the rows ``rows`` of a ``_csr``."""
    lo, n = ptr[rows], ptr[rows + 1] - ptr[rows]
    total = int(n.sum())
    if not total:
        return order[:0]
    step = np.repeat(lo - np.cumsum(n) + n, n)
    return order[step + np.arange(total)]


def _prices_worklist(
    P,
    nc,
    in_free,
    in_sat,
    ei,
    mj,
    jc,
    w,
    sat,
    ceil_j,
    ceil_jc,
    own,
    own_sat,
    m_of,
    w_of,
    matched,
    max_iter,
):
    """The iterates of ``_prices_dense`` (Jacobi sweeps from zero prices), each computed from
    the edges out of the mentees whose share u changed at the step before: a price is the max of
    its edges' asks, the asks only rise, so the unchanged ones are already in it."""
    a = np.nonzero(in_free)[0]
    b = np.nonzero(in_sat)[0]
    a_i, a_j, a_w = ei[a], mj[a], w[a]
    b_i, b_k, b_w = ei[b], jc[b], w[b]
    ca_j = ceil_j[a_j]
    cb_k = ceil_jc[b_k]
    a_ord, a_ptr = _csr(a_i, P.n_e)
    b_ord, b_ptr = _csr(b_i, P.n_e)
    mm = np.nonzero(matched)[0]
    m_ord, m_ptr = _csr(m_of[mm], P.n_m)  # each mentor's matched mentees
    m_ord = mm[m_ord]
    sat_row = sat.reshape(P.n_m, nc)
    p = np.zeros(P.n_m, np.int64)
    pc = np.zeros(P.n_m * nc, np.int64)
    u = np.where(matched, w_of, 0)
    ia, ib = np.arange(len(a)), np.arange(len(b))  # the first sweep: every edge
    for _ in range(max_iter):
        va = np.minimum(a_w[ia] - u[a_i[ia]], ca_j[ia])
        ta = a_j[ia]
        old_p = p[ta]
        np.maximum.at(p, ta, va)
        ch_m = unique(ta[p[ta] > old_p])
        # [mentor, class] prices: their own edges, and their mentor's new price
        sk = (ch_m[:, None] * nc + np.arange(nc)[None, :])[sat_row[ch_m]]
        keys = np.r_[b_k[ib], sk]
        vals = np.r_[
            np.minimum(b_w[ib] - u[b_i[ib]], cb_k[ib]), np.minimum(p[sk // nc], ceil_jc[sk])
        ]
        old_pc = pc[keys]
        np.maximum.at(pc, keys, vals)
        ch_k = unique(keys[pc[keys] > old_pc])
        touched = unique(np.r_[ch_m, ch_k // nc])
        if not len(touched):
            break
        ms = _gather(m_ord, m_ptr, touched)
        new_u = w_of[ms] - np.where(own_sat[ms], pc[own[ms]], p[m_of[ms]])
        moved = ms[new_u != u[ms]]
        u[ms] = new_u
        if not len(moved):
            break
        moved = np.sort(moved)
        ia = _gather(a_ord, a_ptr, moved)
        ib = _gather(b_ord, b_ptr, moved)
    return p, pc


def upper_bound_pass(
    P: Problem,
    p: np.ndarray,
    q: np.ndarray,
    *,
    u: np.ndarray | None = None,
    collect: int = 0,
    skip: np.ndarray | None = None,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One chunked pass over the FULL feasible graph.

    Returns best_i = max_j (s_ij - p_j - q_j,c(i)) (-inf without a feasible mentor) and, if
    ``collect``, up to ``collect`` edges per mentee and block whose reduced cost exceeds
    u_i + tol (they price out: the candidates missed them).
    """
    best = np.full(P.n_e, -np.inf)
    p32 = p.astype(np.float32)

    def work(task):
        E, J, cls, colpos = task
        price = p32[J] + q[J, cls + 1 if cls >= 0 else 0].astype(np.float32)
        R = chunk_scores(P, E, J, colpos)
        R -= price[None, :]
        rowmax = R.max(axis=1).astype(np.float64)
        found = None
        if collect and u is not None:
            rows = np.nonzero(rowmax > u[E] + tol)[0]
            if len(rows):
                Rv = R[rows]
                kk = min(collect, len(J))
                if kk < len(J):
                    top = np.argpartition(-Rv, kk - 1, axis=1)[:, :kk]
                else:
                    top = np.broadcast_to(np.arange(len(J)), Rv.shape)
                vals = np.take_along_axis(Rv, top, axis=1)
                ok = vals > (u[E[rows]] + tol)[:, None]
                rr = np.broadcast_to(rows[:, None], top.shape)
                found = (E[rr[ok]], J[top[ok]])
        return E, rowmax, found

    pi, pj = [], []
    for E, rowmax, found in _pmap(work, _chunks(P, skip)):
        best[E] = np.maximum(best[E], rowmax)
        if found is not None:
            pi.append(found[0])
            pj.append(found[1])
    vi = np.concatenate(pi).astype(np.int64) if pi else np.zeros(0, np.int64)
    vj = np.concatenate(pj).astype(np.int64) if pj else np.zeros(0, np.int64)
    return best, vi, vj


PRICED_MARGIN = 1e-6  # float32 rounding between the chunk's reduced scores and the test below
PRICED_MIN_ROWS = 64  # rows a chunk takes at least (each chunk costs ~0.5 ms of numpy calls)


def priced_rows_pass(
    P: Problem,
    p: np.ndarray,
    q: np.ndarray,
    rows: np.ndarray,
    ceiling: np.ndarray,
) -> np.ndarray:
    """``upper_bound_pass(P, p, q, skip=~rows)[0]`` where it matters, reading only the columns
    that can matter: per mentee i of ``rows``, the mentors whose price p_j + q_j,c(i) is under
    ``ceiling[i]``.

    The caller's ceiling is the row's tail (no edge left out of its pool scores more) minus
    what the row already has (max(0, its best reduced score in the pool)): a mentor priced at
    or above it gives a reduced score s_ij - p_j - q <= tail - price <= what the row has, so
    it cannot raise the row's bound term max(0, best). Returns, per mentee, the best reduced
    score over the columns read (-inf where none): max(0, pool best, this) is the full row's
    max(0, best), read on a few per cent of the entries (at 100,000 x 50,000, 6 % of the
    80,000 rows' entries: most of a block's mentors are priced well above what a mentee gets).

    Rows are taken by ceiling, highest first, and columns by price, lowest first, so that a
    chunk reads the prefix of its block's price order that its highest ceiling needs."""
    best = np.full(P.n_e, -np.inf)
    p32 = p.astype(np.float32)
    tasks = []
    for E_all, J_all, cls in blocks(P):
        E = E_all[rows[E_all]]
        if not len(E):
            continue
        price = p32[J_all] + q[J_all, cls + 1 if cls >= 0 else 0].astype(np.float32)
        by_price = np.argsort(price, kind="stable")
        sorted_price = price[by_price].astype(np.float64)
        E = E[np.argsort(-ceiling[E], kind="stable")]
        # per row, how many of the cheapest columns it needs (non-increasing down the rows)
        need = np.searchsorted(sorted_price, ceiling[E] + PRICED_MARGIN, side="left")
        start = 0
        while start < len(E):
            n_cols = int(need[start])
            if not n_cols:  # this row and every lower one: nothing to read
                break
            # the rows that need at least half as many columns (a whole block in one chunk
            # read 45 % of the entries at 100k, this 13 %), PRICED_MIN_ROWS at least
            wide = int(np.searchsorted(-need[start:], -(n_cols / 2), side="right"))
            end = min(len(E), start + _chunk_size(n_cols), start + max(wide, PRICED_MIN_ROWS))
            cols = by_price[:n_cols]
            tasks.append((np.sort(E[start:end]), J_all[cols], price[cols]))
            start = end

    def work(task):
        E, J, price = task
        R = chunk_scores(P, E, J, _colpos(P, J))
        R -= price[None, :]
        return E, R.max(axis=1).astype(np.float64)

    for E, rowmax in _pmap(work, tasks):
        best[E] = np.maximum(best[E], rowmax)
    return best


# --------------------------------------------------------------------------- local search


def local_search(
    P: Problem,
    assign: np.ndarray,
    cand_i: np.ndarray,
    cand_j: np.ndarray,
    *,
    seed: int,
    locked: np.ndarray,
    deadline: float,
    rounds: int = 40,
) -> np.ndarray:
    """Raise pair scores + shared-themes bonus by moves and swaps along candidate edges.

    Groups of up to 2 mentees (the default k). Each round evaluates in numpy, for every
    candidate edge (i, b) with i placed at a != b, moving i to b (if b has a seat left) and
    swapping i with each mentee of b; then applies improving changes best first, each mentor and
    mentee touched at most once per round (so every gain stays exact). Deterministic: the seed
    only breaks ties between equal gains.
    """
    if not P.weights["shared_themes"] or int(P.policy["group_size"]) != 2:
        return assign
    rng = np.random.default_rng(seed)
    assign = assign.copy()
    tie = rng.random(len(cand_i)) * 1e-12
    for _ in range(rounds):
        if time.monotonic() > deadline:
            break
        first, second, load = _slots(assign, P.n_m)
        sel = (assign[cand_i] >= 0) & (assign[cand_i] != cand_j) & ~locked[cand_i]
        ci, cb, tt = cand_i[sel], cand_j[sel], tie[sel]
        if not len(ci):
            break
        ca = assign[ci]
        x = np.where(first[ca] == ci, second[ca], first[ca])  # i's partner at a
        gains, trips = [], []
        mv = load[cb] < P.capacity[cb]
        if mv.any():
            i, a, b, xx = ci[mv], ca[mv], cb[mv], x[mv]
            y = first[b]  # b's mentee, if any
            d = score_pairs(P, i, b) - score_pairs(P, i, a)
            d += _bonus0(P, i, y) - _bonus0(P, i, xx)
            ok = feasible_pairs(P, i, b) & _class_ok(P, i, y)
            gains.append(np.where(ok, d, -np.inf) + tt[mv])
            trips.append(np.stack([i, b, np.full(len(i), -1)], 1))
        for slot in (first, second):
            has = slot[cb] >= 0
            i, a, b, xx = ci[has], ca[has], cb[has], x[has]
            o = slot[b]
            keep = ~locked[o]
            i, a, b, xx, o = i[keep], a[keep], b[keep], xx[keep], o[keep]
            y = np.where(first[b] == o, second[b], first[b])  # o's partner at b
            y = np.where(y == i, -1, y)
            xx = np.where(xx == o, -1, xx)
            d = score_pairs(P, i, b) + score_pairs(P, o, a)
            d -= score_pairs(P, i, a) + score_pairs(P, o, b)
            d += _bonus0(P, i, y) + _bonus0(P, o, xx) - _bonus0(P, i, xx) - _bonus0(P, o, y)
            ok = feasible_pairs(P, i, b) & feasible_pairs(P, o, a)
            ok &= _class_ok(P, i, y) & _class_ok(P, o, xx)
            gains.append(np.where(ok, d, -np.inf) + tt[has][keep])
            trips.append(np.stack([i, b, o], 1))
        gain = np.concatenate(gains)
        trip = np.concatenate(trips)
        good = np.nonzero(gain > 1e-9)[0]
        if not len(good):
            break
        order = good[np.argsort(-gain[good], kind="stable")]
        touched_m = np.zeros(P.n_m, bool)
        touched_e = np.zeros(P.n_e, bool)
        changed = 0
        for i, b, o in trip[order].tolist():
            a = int(assign[i])
            if touched_m[a] or touched_m[b] or touched_e[i] or (o >= 0 and touched_e[o]):
                continue
            assign[i] = b
            if o >= 0:
                assign[o] = a
                touched_e[o] = True
            touched_m[a] = touched_m[b] = touched_e[i] = True
            changed += 1
        if not changed:
            break
    return assign


def _slots(assign: np.ndarray, n_m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and second mentee of each mentor (-1 if none) and the loads."""
    idx = np.nonzero(assign >= 0)[0]
    order = idx[np.argsort(assign[idx], kind="stable")]
    m = assign[order]
    first = np.full(n_m, -1, np.int64)
    second = np.full(n_m, -1, np.int64)
    start = np.r_[True, m[1:] != m[:-1]] if len(m) else np.zeros(0, bool)
    first[m[start]] = order[start]
    rest = ~start
    second[m[rest]] = order[rest]
    return first, second, np.bincount(m, minlength=n_m)


def _bonus0(P: Problem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a))
    ok = (a >= 0) & (b >= 0)
    if ok.any():
        out[ok] = shared_bonus(P, a[ok], b[ok])
    return out


def _class_ok(P: Problem, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether mentee a[n] may join b[n] (-1: nobody) under the class limit (groups of 2)."""
    if P.class_max != 1:
        return np.ones(len(a), bool)
    ca = P.class_e[a]
    cb = np.where(b >= 0, P.class_e[np.maximum(b, 0)], -1)
    return (b < 0) | (ca < 0) | (cb < 0) | (ca != cb)


# --------------------------------------------------------------------------- objective


def objective(P: Problem, assign: np.ndarray) -> tuple[float, float]:
    """(sum of pair scores, sum of shared-themes bonuses) of an assignment."""
    i = np.nonzero(assign >= 0)[0]
    if not len(i):
        return 0.0, 0.0
    linear = float(score_pairs(P, i, assign[i]).sum())
    bonus = 0.0
    if P.weights["shared_themes"] and int(P.policy["group_size"]) >= 2:
        order = np.argsort(assign[i], kind="stable")
        ii, mm = i[order], assign[i][order]
        a_list, b_list = [], []
        for gap in range(1, int(P.policy["group_size"])):
            same = np.nonzero(mm[gap:] == mm[:-gap])[0]
            a_list.append(ii[same])
            b_list.append(ii[same + gap])
        bonus = float(shared_bonus(P, np.concatenate(a_list), np.concatenate(b_list)).sum())
    return linear, bonus


# --------------------------------------------------------------------------- driver


@dataclass
class LargeOutcome:
    assign: np.ndarray  # mentor index per mentee, -1 if unmatched
    linear: float
    bonus: float
    upper_bound: float
    seconds: float
    n_candidates: int
    rounds: int
    stats: dict
    linear_bound: float = float("inf")
    matched_certified: bool = True  # no matching places more mentees (cut on the full graph)


def solve_problem(P: Problem, **options) -> LargeOutcome:
    """The large-mode pipeline on a Problem (see the module docstring and ``_solve_problem``)."""
    with single_threaded_blas():
        return _solve_problem(P, **options)


def _solve_problem(
    P: Problem,
    *,
    time_limit: float = 120.0,
    seed: int = 0,
    k: int = 8,
    K: int = 8,
    store: int = 16,
    mentor_side: bool = True,
    pricing_rounds: int = 6,
    target_gap: float = 0.0005,
) -> LargeOutcome:
    """One full pass keeps the candidates (top-k per mentee, top-K per mentor) and a pool (top-T
    per mentee with its tail value). Rounds of flow + prices then price out pool edges (cheap,
    no pass over the full graph) and add them. The bound: per mentee, the best reduced score
    over the pool, or its tail if higher (nothing outside the pool scores more, prices >= 0);
    the few mentees whose tail could matter get an exact pass over their full rows."""
    t0 = time.monotonic()
    deadline = t0 + time_limit
    stats: dict = {}
    assign = np.full(P.n_e, -1, np.int64)
    locked = np.zeros(P.n_e, bool)
    cap = P.capacity.copy()
    if len(P.lock_e):
        assign[P.lock_e] = P.lock_m
        locked[P.lock_e] = True
        cap = np.maximum(cap - np.bincount(P.lock_m, minlength=P.n_m), 0)
    room = _class_room(P, assign)
    ci, cj, pool = candidate_pass(P, k=k, K=K, mentor_side=mentor_side, store=store)
    stats["candidates_s"] = round(time.monotonic() - t0, 2)
    # the pool for pricing: stored top-T plus the candidates, locked mentees aside
    pk = unique(np.r_[pool.ei * P.n_m + pool.mj, ci * P.n_m + cj])
    pi_, pj_ = pk // P.n_m, pk % P.n_m
    keep = ~locked[pi_]
    pi_, pj_ = pi_[keep], pj_[keep]
    ps = score_pairs(P, pi_, pj_)
    keep = ~locked[ci]
    ci, cj = ci[keep], cj[keep]
    in_c = np.isin(pi_ * P.n_m + pj_, ci * P.n_m + cj)
    add = bonus_cap(P)
    locked_linear = float(score_pairs(P, P.lock_e, P.lock_m).sum()) if len(P.lock_e) else 0.0
    locked_add = float(add[locked].sum())  # locked mentees' bonus share, bounded like anyone's
    cls_col = np.where(P.class_e >= 0, P.class_e + 1, 0)
    room_arr = _room_array(P, room)
    rounds = priced = card_rounds = 0
    certified = False  # no matching on the full graph places more mentees than the flow's
    exact_rows = np.zeros(P.n_e, bool)  # mentees whose full row was read in a pass
    exact_best = np.full(P.n_e, -np.inf)
    while True:
        rounds += 1
        t1 = t_round = time.monotonic()
        used_p = np.zeros(len(pi_), bool)
        cidx = np.nonzero(in_c)[0]
        used_p[cidx] = solve_flow(P, pi_[cidx], pj_[cidx], ps[cidx], capacity=cap, class_room=room)
        n_flow = int(used_p.sum())
        stats.setdefault("flow_s", []).append(round(time.monotonic() - t1, 2))
        # 1. the number of matches: the flow's is the most possible on the candidates; a cut of
        # the candidates' residual graph proves it on the full graph unless a feasible edge
        # leaves the mentees it reaches (then that edge joins the candidates and the flow runs
        # again)
        # (once proven, it stays: later rounds only add candidates, and no flow on the full
        # graph places more)
        if not certified:
            t1 = time.monotonic()
            certified, xe, xm = cardinality_cut(
                P, pi_[cidx], pj_[cidx], used_p[cidx], cap, room, locked, stats
            )
            stats.setdefault("cardinality_s", []).append(round(time.monotonic() - t1, 2))
            stats.setdefault("crossing", []).append(len(xe))
            if not certified and card_rounds < MAX_CARDINALITY_ROUNDS:
                card_rounds += 1
                pi_, pj_, ps, in_c = _add_edges(P, pi_, pj_, ps, in_c, xe, xm)
                continue
        # 2. prices for the lexicographic objective: the flow is a best matching for the
        # scores shifted by lam per match (lam at least the score one more match can cost), so
        # sum_i max(0, max_j (s_ij + lam - p_j - q)) + duals - lam * matched bounds the score
        # of every matching that places as many mentees
        t1 = time.monotonic()
        p, q, lam = shifted_prices(P, pi_[cidx], pj_[cidx], ps[cidx], used_p[cidx], cap, room)
        u = np.zeros(P.n_e)
        mi, mjj = pi_[used_p], pj_[used_p]
        u[mi] = ps[used_p] + lam - p[mjj] - q[mjj, cls_col[mi]]
        red = ps + lam - p[pj_] - q[pj_, cls_col[pi_]]
        # no edge left out of the pool scores above the tail, nor pays less than the cheapest
        # mentor of its mentee's block: fewer rows to read exactly, a tighter bound
        tail = pool.tail + lam - _block_floor(P, p, q)
        slack = BOUND_SLACK + 5e-7 * (
            float(np.abs(ps).max(initial=0))
            + float(np.abs(p - lam).max(initial=lam))
            + float(q.max(initial=0))
        )
        stats.setdefault("prices_s", []).append(round(time.monotonic() - t1, 2))
        stats.setdefault("lambda", []).append(round(lam, 6))
        # per mentee: best reduced score in the pool, and its tail for the rest of its row
        best = np.full(P.n_e, -np.inf)
        np.maximum.at(best, pi_, red)
        best = np.maximum(best, np.where(exact_rows, exact_best, -np.inf))
        unsure = (tail > best + 1e-9) & (tail > 0) & ~locked & ~exact_rows
        dual = float((cap * p).sum() + (room_arr * q).sum()) - lam * n_flow
        lin_now = float(ps[used_p].sum()) + locked_linear
        viol = ~in_c & (red > u[pi_] + 1e-6)
        n_viol = int(viol.sum())
        ub_lin_round = _bound(best, tail, unsure, locked, None, slack) + dual + locked_linear
        stats.setdefault("linear", []).append(round(lin_now, 4))
        stats.setdefault("bound_pool", []).append(round(ub_lin_round, 4))
        stats.setdefault("priced_out", []).append(n_viol)
        gap_now = (ub_lin_round - lin_now) / max(ub_lin_round, 1e-9)
        # one pricing round always (it is what closes the gap: the candidates alone leave
        # about 2 % at 100,000 mentees), more while another round fits in the time left
        round_s = time.monotonic() - t_round
        late = rounds > 1 and time.monotonic() + round_s > deadline
        if n_viol and priced < pricing_rounds and gap_now > target_gap and not late:
            if priced and unsure.any():
                # another round is worth it only if it can close a real part of the gap: read
                # the rows whose tail could matter (the bound needs them anyway), then compare
                # what the pool's priced-out edges can still bring with the rest of the gap
                # (edges outside the pool, float slack), which no pool round changes
                t1 = time.monotonic()
                rb = priced_rows_pass(P, p - lam, q, unsure, pool.tail - np.maximum(best, 0))
                stats.setdefault("bound_pass_s", []).append(round(time.monotonic() - t1, 2))
                full = np.maximum(best, np.where(unsure, rb, -np.inf))
                none = np.zeros(P.n_e, bool)
                gap_full = _bound(full, tail, none, locked, None, slack) + dual + locked_linear
                gap_full -= lin_now
                gain_i = np.zeros(P.n_e)
                np.maximum.at(gain_i, pi_[viol], red[viol] - u[pi_[viol]])
                gain = float(gain_i.sum())
                stats.setdefault("pricing_gain", []).append(round(gain, 4))
                stats.setdefault("gap_rest", []).append(round(gap_full - gain, 4))
                if gain <= PRICING_GAIN_TOL * (gap_full - gain):
                    exact_rows |= unsure
                    exact_best = np.where(unsure, rb, exact_best)
                    stats.setdefault("exact_rows", []).append(int(unsure.sum()))
                    best, unsure = full, none
                    break
            priced += 1
            # add the pool edges that price out, up to 4 per mentee, best first
            vi = np.nonzero(viol)[0]
            order = vi[np.lexsort((-red[vi], pi_[vi]))]
            first = np.searchsorted(pi_[order], pi_[order], side="left")
            in_c[order[(np.arange(len(order)) - first) < 4]] = True
            continue
        if unsure.any():  # always: the bound must hold, late or not
            # exact rows for the mentees whose tail could beat the pool
            t1 = time.monotonic()
            # (only the columns priced under the row's tail minus what it has: a few per cent)
            rb = priced_rows_pass(P, p - lam, q, unsure, pool.tail - np.maximum(best, 0))
            exact_rows |= unsure
            exact_best = np.where(unsure, rb, exact_best)
            stats.setdefault("exact_rows", []).append(int(unsure.sum()))
            stats.setdefault("bound_pass_s", []).append(round(time.monotonic() - t1, 2))
            best = np.maximum(best, np.where(unsure, rb, -np.inf))
            unsure = np.zeros(P.n_e, bool)
        break
    ub_lin = _bound(best, tail, unsure, locked, None, slack) + dual + locked_linear
    ub = _bound(best, tail, unsure, locked, add, slack) + dual + locked_linear + locked_add
    stats["bound"] = round(ub_lin, 4)
    stats["matched_certified"] = certified
    ci, cj = pi_[in_c], pj_[in_c]
    assign[pi_[used_p]] = pj_[used_p]
    t1 = time.monotonic()
    ls_deadline = deadline
    if P.weights["shared_themes"] and int(P.policy["group_size"]) >= 2:
        # keep the Lagrangian bound's share (its full pass and its steps)
        ls_deadline = max(time.monotonic(), deadline - 2.0 * stats["candidates_s"] - 0.5)
    assign = local_search(P, assign, ci, cj, seed=seed, locked=locked, deadline=ls_deadline)
    stats["local_search_s"] = round(time.monotonic() - t1, 2)
    linear, bonus = objective(P, assign)
    w = P.weights["shared_themes"]
    # its pass over the full graph (and the evaluation) costs LAGRANGE_PASS_SHARE of the
    # candidates' pass, the pool's fixed sets and a few steps about LAGRANGE_MIN_STEPS more: run
    # it when that fits
    # (without the pass the floored steps alone make a bound: they need the sets and a step)
    need = LAGRANGE_MIN_STEPS * stats["candidates_s"] + 1.0
    fits = time.monotonic() + need < deadline
    stats["lagrange_room"] = [round(deadline - time.monotonic(), 2), round(need, 2)]
    if w and int(P.policy["group_size"]) >= 2 and not locked.any() and fits:
        # the Lagrangian bound for the bonus (jumelage.lagrange) on the pool, every mentee's
        # price kept above what its edges outside the pool could bring
        t1 = time.monotonic()
        lagr, lbound, assign = _lagrangian(
            P, pi_, pj_, ps, cap, lam, best, add, assign, slack, deadline, stats, tail=pool.tail
        )
        linear, bonus = objective(P, assign)
        ub_lagr = lbound - lam * n_flow
        stats["lagrange_s"] = round(time.monotonic() - t1, 2)
        stats["lagrange_iterations"] = lagr.iterations
        stats["lagrange_pool"] = round(lagr.bound - lam * n_flow, 4)
        stats["bound_allowance"] = round(ub, 4)
        stats["bound_lagrange"] = round(ub_lagr, 4)
        ub = min(ub, ub_lagr)
    if w and int(P.policy["group_size"]) >= 2:
        # the cruder bound: pair scores + the largest bonus for every pair that can form
        seats = P.capacity
        pairs = float((seats * (seats - 1) // 2).sum())
        ub = min(ub, ub_lin + w * min(pairs, P.n_e * (P.policy["group_size"] - 1) / 2))
    return LargeOutcome(
        assign=assign,
        linear=linear,
        bonus=bonus,
        upper_bound=max(ub, linear + bonus),
        seconds=time.monotonic() - t0,
        n_candidates=len(ci),
        rounds=rounds,
        stats=stats,
        linear_bound=ub_lin,
        matched_certified=certified,
    )


def _lagrangian(
    P, pi_, pj_, ps, cap, lam, best, add, assign, slack, deadline, stats, full_pass=None, tail=None
):
    """The Lagrangian bound for the bonus (jumelage.lagrange): subgradient steps on the pool
    edges, then L at the best prices evaluated exactly with one pass over the full graph (per
    mentor: its best reduced edge, and its best outside the pool's fixed set). Between the two,
    ``lagrange.repack`` looks for better groups among those the prices favour (returned with
    the bound when they beat ``assign``; same number of mentees matched).

    ``full_pass`` (default ``column_pass``) is that pass: called as ``column_pass`` is, (P, u,
    best_bonus, set_keys, seats, collect=...), it must return what it returns, (single, rest,
    (mentees, mentors) of the ``collect`` edges per mentor outside the sets with the largest
    s - u + best_bonus), each an upper bound over EVERY feasible pair, the collected edges
    exactly the largest ones (the evaluation cuts the rest at the last collected value). Data
    kept from the candidate pass may stand in for a second read of the graph this way.

    When the pass does not fit in the time left beside the pool's sets and a few steps, and
    ``tail`` is given (per mentee, the best score of an edge outside ``pi_``/``pj_``, -inf where
    they hold the whole row: the candidate pass's pool tail), the steps keep every price above
    what its edges outside the pool could bring (``group_bound``'s ``floor``): their L is then
    a bound by itself, without the pass."""
    full_pass = column_pass if full_pass is None else full_pass
    from jumelage.lagrange import better_groups, group_bound

    k = int(P.policy["group_size"])
    best_bonus = add * 2.0 / max(k - 1, 1)  # w × the largest Jaccard with a possible partner
    same_class = None
    if P.class_max == 1:

        def same_class(a, b):
            return (P.class_e[a] >= 0) & (P.class_e[a] == P.class_e[b])

    linear, bonus = objective(P, assign)
    target = linear + bonus + lam * int((assign >= 0).sum())
    # the first full pass and its evaluation must fit before the deadline. Ample time (room for
    # four more passes: the groups and a second round): the steps a quarter of what is left
    # beside it, then the groups, the pass, more rounds. Short: the steps a quarter, the pass,
    # then the groups with the rest (the bound first: at 100,000 x 50,000 within the minute the
    # pass takes the bound 127,658 -> 126,200-126,300, more steps on the pool only 86 points
    # of it, the groups +165 of objective). No room for the pass: floored steps alone
    pass_est = LAGRANGE_PASS_SHARE * stats.get("candidates_s", 0.0)
    free = max(deadline - time.monotonic() - pass_est, 0.0)
    ample, with_pass = _lagrange_plan(free, pass_est, stats.get("candidates_s", 0.0))
    floor = None
    if not with_pass and tail is not None:
        # floored prices: valid without the pass (an edge outside the pool brings at most 0;
        # looser than the pass's evaluation where it fits: 127,812 at 100,000 x 50,000)
        floor = np.where(np.isfinite(tail), tail + lam + (k - 1) * best_bonus + slack, -np.inf)
        free = max(deadline - time.monotonic() - 0.5, 0.0)
        pass_est = np.inf
    steps_until = time.monotonic() + (0.25 * free if with_pass else max(free - 0.5, 0.0))
    # CPU seconds of each part (the process's, all threads; the wall clock says little on a
    # loaded machine): steps per round, the groups, the full passes with their evaluation
    cpu = {"steps": [], "groups": 0.0, "passes": []}
    stats["lagrange_cpu"] = cpu
    c0 = time.process_time()
    lg = group_bound(
        P.n_e,
        pi_,
        pj_,
        ps + lam,
        cap,
        pair_bonus=lambda a, b: _bonus0(P, a, b),
        best_bonus=best_bonus,
        same_class=same_class,
        u0=np.where(np.isfinite(best), np.maximum(best, 0.0), 0.0),
        floor=floor,
        target=target,
        deadline=steps_until,
        # steps that see only the pool with the tight outside term lower the prices the edges
        # outside it need (first full evaluation 6,733 vs 6,692 at 6,000 x 3,000), which the
        # second round repairs and more (6,527 vs 6,546 after it): tight only when the second
        # round should fit (steps, groups and two passes of about 1.2 x the candidates' each)
        tight_steps=3.0 * stats.get("candidates_s", 0.0) < 0.5 * (deadline - time.monotonic()),
    )
    cpu["steps"].append(round(time.process_time() - c0, 2))
    n_now = int((assign >= 0).sum())
    floored = lg.bound if floor is not None else np.inf  # a bound by itself (see above)
    if floor is not None:
        stats["lagrange_floored"] = round(floored - lam * n_now, 4)

    def groups(seconds: float) -> None:
        # better groups from the prices (lagrange.better_groups), nothing under 1 s
        nonlocal assign, target
        c0 = time.process_time()
        if int(P.policy["group_size"]) == 2 and seconds >= 1.0:
            assign, stats["groups"] = better_groups(
                P,
                lg.fixed,
                lg.u,
                assign,
                pi_,
                pj_,
                ps,
                cap,
                deadline=time.monotonic() + seconds,
            )
            linear, bonus = objective(P, assign)
            target = linear + bonus + lam * int((assign >= 0).sum())
        cpu["groups"] = round(cpu["groups"] + time.process_time() - c0, 2)

    def rest_of_time() -> float:
        # what is left before the deadline, less two seconds and half for the overruns (the
        # groups' phases finish what they started: 5.8 s for a 2.6 s share under load 3)
        return 0.5 * (deadline - time.monotonic() - 2.0)

    if ample:  # a third of the time, the pass's estimate kept
        groups(min(0.3 * max(deadline - time.monotonic(), 0.0), rest_of_time() - pass_est))
    seats = int(cap.max(initial=0))
    collect = lagrange_collect(P.n_m)
    if time.monotonic() + pass_est > deadline:
        # no time left for the full evaluation: the better groups stay, the bound is the
        # floored steps' (where they ran) or the caller's
        stats["lagrange_full"] = []
        groups(rest_of_time())
        return lg, floored, assign
    t_pass, c0 = time.monotonic(), time.process_time()
    single, rest, extra = full_pass(
        P, lg.u - lam, best_bonus, lg.fixed.keys(P.n_e), seats, collect=collect
    )
    bound = lg.fixed.evaluate_columns(
        lg.u, single + slack, rest + slack, cap, **_outside(P, extra, lam, slack, collect)
    )
    pass_s = time.monotonic() - t_pass
    cpu["passes"].append(round(time.process_time() - c0, 2))
    stats["lagrange_pass_share"] = round(pass_s / max(stats.get("candidates_s", 0.0), 1e-3), 3)
    stats["lagrange_full"] = [round(bound - lam * int((assign >= 0).sum()), 4)]
    bound = min(bound, floored)
    # short: a second round only if its sets, steps and pass fit with room (the pool's sets
    # took about half a pass at 100,000 x 50,000), the steps stopping 1.3 passes before the
    # deadline; then the groups with the rest
    need = 1.5 * pass_s if ample else 2.2 * pass_s
    xi, xj = pi_, pj_
    for _ in range(LAGRANGE_ROUNDS - 1):
        if extra is None or not len(extra[0]) or time.monotonic() + need > deadline:
            break
        # the edges outside the pool that weigh most at these prices join, and the steps
        # go on from there; the bound is the smallest of the exact evaluations
        keys = unique(np.r_[xi * P.n_m + xj, extra[0] * P.n_m + extra[1]])
        xi, xj = keys // P.n_m, keys % P.n_m
        c0 = time.process_time()
        lg = group_bound(
            P.n_e,
            xi,
            xj,
            score_pairs(P, xi, xj) + lam,
            cap,
            pair_bonus=lambda a, b: _bonus0(P, a, b),
            best_bonus=best_bonus,
            same_class=same_class,
            u0=lg.u,
            target=target,
            deadline=time.monotonic() + 0.5 * max(deadline - time.monotonic(), 0.0)
            if ample
            else deadline - 1.3 * pass_s - 0.5,
        )
        cpu["steps"].append(round(time.process_time() - c0, 2))
        c0 = time.process_time()
        single, rest, extra = full_pass(
            P, lg.u - lam, best_bonus, lg.fixed.keys(P.n_e), seats, collect=collect
        )
        now = lg.fixed.evaluate_columns(
            lg.u, single + slack, rest + slack, cap, **_outside(P, extra, lam, slack, collect)
        )
        cpu["passes"].append(round(time.process_time() - c0, 2))
        stats["lagrange_full"].append(round(now - lam * int((assign >= 0).sum()), 4))
        gained = bound - now
        bound = min(bound, now)
        if gained < 5e-4 * abs(bound):  # another round would not pay for its pass
            break
    if not ample:  # the groups after the bound, with the rest
        groups(rest_of_time())
    return lg, bound, assign


def _lagrange_plan(free: float, pass_est: float, candidates_s: float) -> tuple[bool, bool]:
    """(ample, with_pass): ``free`` = the seconds left beside the first pass's estimate. Ample:
    room for four more passes (the groups, a second round). Otherwise the pass if the pool's sets
    and a few steps fit beside it (the groups after it), else floored steps alone (see
    ``_lagrangian``)."""
    ample = free > 4.0 * pass_est
    return ample, ample or free >= LAGRANGE_MIN_STEPS * candidates_s


def lagrange_collect(n_m: int) -> int:
    """Edges per mentor the full pass brings back to the Lagrangian's pool (and pairs exactly
    with the mentor's set): 32 up to about 3,000 mentors, which the pool needs to come within
    the full graph's bound in 2-3 rounds (6,000 x 3,000: the pool's L 6,479, the full graph's
    6,479 after 32 per mentor, 6,548 after 8), down to 8 at 12,500 mentors and more, where the
    (collected edge x set member) bonuses would cost more memory than they bring."""
    return max(LAGRANGE_COLLECT, min(LAGRANGE_COLLECT_MAX, LAGRANGE_COLLECT_EDGES // max(n_m, 1)))


def _outside(P, extra, lam, slack, collect) -> dict:
    """evaluate_columns's arguments for the edges the full pass collected (exact pairs)."""
    if extra is None or not len(extra[0]):
        return {}
    xe, xj = extra
    return {
        "outside": (xe, xj, score_pairs(P, xe, xj) + lam),
        "collect": collect,
        "slack": slack,
    }


def column_pass(
    P: Problem,
    u: np.ndarray,
    best_bonus: np.ndarray,
    set_keys: np.ndarray,
    seats: int,
    collect: int = 0,
    mentors: np.ndarray | None = None,
):
    """One chunked pass over the FULL feasible graph: per mentor, max_i (s_ij - u_i) (for
    mentors of 3+ seats, + (seats - 1)/2 × best_bonus_i), and max over the mentees outside its
    set (keys mentor × n_e + mentee) of s_ij - u_i + best_bonus_i; with ``collect``, also the
    ``collect`` edges per mentor that reach the most there (mentee, mentor arrays). With
    ``mentors`` (a mask), only those columns are read (the others stay -inf): with
    ``stored_column_bounds``, the columns it is not sure of."""
    shift = np.float32(max(float(u.max(initial=0.0)), 0.0) + 1.0)
    single = np.full(P.n_m, -np.inf)
    rest = np.full(P.n_m, -np.inf)
    sets = Sparse.from_keys(np.asarray(set_keys, np.int64), np.zeros(len(set_keys)), P.n_e)
    u32, b32 = u.astype(np.float32), best_bonus.astype(np.float32)
    many = (P.capacity >= 3).any()

    def work(task):
        E, J, _cls, colpos = task
        R = chunk_scores(P, E, J, colpos)
        R -= u32[E][:, None]
        if many:
            extra = np.where(P.capacity[J] >= 3, 0.5 * (seats - 1), 0.0).astype(np.float32)
            s1 = (R + b32[E][:, None] * extra[None, :]).max(axis=0)
        else:
            s1 = R.max(axis=0)
        R += b32[E][:, None]
        r, c, _ = sets.in_chunk(E, colpos)
        R[r, c] = NEG
        s2 = R.max(axis=0)
        top = None
        if collect:
            # the entries that can still be among their column's ``collect`` best (the
            # candidate pass's running floors, ties kept: the final cut is exact whatever the
            # chunks' order); a column argpartition over the whole chunk cost 3 x the pass.
            # Scores as the sort key must be >= 0: shifted by the largest price (-inf stays)
            R += shift
            floor = thr[J]
            rr, cc, vv = _column_top(R, floor, collect)
            np.maximum.at(thr, J, floor)
            top = (E[rr], J[cc], vv)
        return J, s1, s2, top

    thr = np.full(P.n_m, NEG, np.float32)
    buf: list[list[np.ndarray]] = [[], [], []]
    for J, s1, s2, top in _pmap(work, _chunks(P, mentors=mentors)):
        np.maximum.at(single, J, s1.astype(np.float64))
        np.maximum.at(rest, J, s2.astype(np.float64))
        if top is not None:
            for n in range(3):
                buf[n].append(top[n])
            if sum(len(x) for x in buf[0]) > 4 * collect * P.n_m + 1_000_000:
                buf, new_thr = _prune_mentor_top(buf, collect, P.n_m)
                np.maximum(thr, new_thr, out=thr)
    if collect and buf[0]:
        buf, _ = _prune_mentor_top(buf, collect, P.n_m)
        return single, rest, (buf[0][0], buf[1][0])
    return single, rest, None


@dataclass
class StoredGraph:
    """What the candidate pass keeps of the full graph, for the Lagrangian's full evaluation
    without a second read (``stored_column_bounds``).

    ``ei``, ``mj``, ``s``: the stored edges (each mentee's top-T, each mentor's top-K, their
    union, with their float64 scores by ``jumelage.scoring``); ``tail`` (per mentee) and
    ``mentor_tail`` (per mentor): the T-th and K-th best scores of the row and the column.
    Every feasible edge (i, j) not stored scores at most min(tail_i, mentor_tail_j): it is in
    neither the mentee's T best nor the mentor's K best. Built by ``stored_graph`` from the
    pool of ``candidate_pass(..., store=T)``."""

    ei: np.ndarray
    mj: np.ndarray
    s: np.ndarray
    tail: np.ndarray
    mentor_tail: np.ndarray


def stored_graph(P: Problem, pool: Pool, ci: np.ndarray, cj: np.ndarray) -> StoredGraph:
    """The candidate pass's pool and candidates as a ``StoredGraph`` (scores recomputed in
    float64 by ``jumelage.scoring``)."""
    keys = unique(np.r_[pool.ei * P.n_m + pool.mj, ci.astype(np.int64) * P.n_m + cj])
    ei, mj = keys // P.n_m, keys % P.n_m
    m_tail = pool.mentor_tail if pool.mentor_tail is not None else np.full(P.n_m, np.inf)
    return StoredGraph(ei, mj, score_pairs(P, ei, mj), pool.tail, m_tail)


def stored_column_bounds(
    P: Problem,
    G: StoredGraph,
    u: np.ndarray,
    best_bonus: np.ndarray,
    set_keys: np.ndarray,
    seats: int,
    *,
    slack: float = BOUND_SLACK,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``column_pass``'s (single, rest) as upper bounds, from the stored graph alone (no pass):
    per mentor j, single_j >= max_i (s_ij - u_i) (+ (seats - 1)/2 x best_bonus_i for 3+
    seats) and rest_j >= max over the mentees outside its set (keys mentor x n_e + mentee) of
    s_ij - u_i + best_bonus_i; and ``sure``: the mentors whose two values are exactly the full
    graph's (the bound on the edges not stored does not reach what the stored ones give). The
    caller reads the other columns with ``column_pass(..., mentors=~sure)`` (their exact
    values), or keeps these upper bounds (valid either way).

    Edges not stored score at most min(tail_i, mentor_tail_j); per block the mentees are sorted
    by tail, so max_i (min(tail_i, t_j) - u_i + b_i) is a prefix max (tail_i <= t_j) and a
    suffix max (t_j - u_i + b_i) found by one binary search per (block, mentor). ``slack`` per
    value covers the float32 rounding of the pass's scores (the tails came from it)."""
    many = (P.capacity >= 3).any()
    single = np.full(P.n_m, -np.inf)
    rest = np.full(P.n_m, -np.inf)
    # the stored edges, exactly
    red = G.s - u[G.ei]
    if many:
        extra = np.where(P.capacity[G.mj] >= 3, 0.5 * (seats - 1), 0.0)
        np.maximum.at(single, G.mj, red + best_bonus[G.ei] * extra)
    else:
        np.maximum.at(single, G.mj, red)
    in_set = np.isin(G.mj * P.n_e + G.ei, np.asarray(set_keys, np.int64))
    out = ~in_set
    np.maximum.at(rest, G.mj[out], red[out] + best_bonus[G.ei[out]])
    # the edges not stored: at most min(tail_i, mentor_tail_j) (sets aside: still a bound)
    t_single = np.full(P.n_m, -np.inf)
    t_rest = np.full(P.n_m, -np.inf)
    for E, J, _cls in blocks(P):
        E = E[G.tail[E] > -np.inf]  # -inf: every feasible edge of the row is stored
        if not len(E):
            continue
        E = E[np.argsort(G.tail[E], kind="stable")]
        tl, tj = G.tail[E], G.mentor_tail[J]
        cut = np.searchsorted(tl, tj, side="right")  # rows [0, cut): tail_i <= t_j
        val0 = _tail_max(tl, tj, cut, -u[E])
        if many:
            third = P.capacity[J] >= 3
            val_c = _tail_max(tl, tj, cut, best_bonus[E] * (0.5 * (seats - 1)) - u[E])
            val0 = np.where(third, val_c, val0)
        np.maximum.at(t_single, J, val0)
        np.maximum.at(t_rest, J, _tail_max(tl, tj, cut, best_bonus[E] - u[E]))
    t_single += slack
    t_rest += slack
    sure = (t_single <= single) & (t_rest <= rest)
    return np.maximum(single, t_single), np.maximum(rest, t_rest), sure


def _tail_max(tl: np.ndarray, tj: np.ndarray, cut: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Per column j: max_i (min(tl_i, tj_j) + c_i), rows sorted by tl, ``cut`` = the rows with
    tl_i <= tj_j (a prefix): max(prefix max of tl + c, tj + suffix max of c)."""
    pre = np.r_[-np.inf, np.maximum.accumulate(tl + c)]
    suf = np.r_[np.maximum.accumulate(c[::-1])[::-1], -np.inf]
    above = np.where(np.isfinite(tj), tj + np.where(np.isfinite(tj), suf[cut], 0.0), -np.inf)
    return np.maximum(pre[cut], above)


def _block_floor(P: Problem, p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per mentee, the least price p_j + q_j,c(i) over its block's mentors (every feasible
    mentor of a mentee is in its block), 0 for a mentee of no block."""
    floor = np.zeros(P.n_e)
    for E, J, cls in blocks(P):
        floor[E] = float((p[J] + q[J, cls + 1 if cls >= 0 else 0]).min())
    return floor


def _bound(best, tail, unsure, locked, add, slack=BOUND_SLACK) -> float:
    """sum_i max(0, best_i (+ add_i)), the tail standing in where the row was not read; plus
    the float32 slack per mentee counted."""
    b = np.where(unsure, np.maximum(best, tail), best)
    ok = np.isfinite(b) & ~locked
    if add is not None:
        b = b + add
    return float(np.maximum(b[ok], 0).sum()) + slack * int(ok.sum())


MAX_CARDINALITY_ROUNDS = 30
LAGRANGE_COLLECT = 8  # edges per mentor added to the Lagrangian's after each full pass, at least
LAGRANGE_COLLECT_MAX = (
    32  # and at most, within LAGRANGE_COLLECT_EDGES in all (see lagrange_collect)
)
LAGRANGE_COLLECT_EDGES = 100_000
# The first full evaluation's pass (with its collected edges) and the evaluation, as a share of
# the candidate pass's wall time (measured: 0.7 at 20,000 x 10,000), and the least the pool's
# fixed sets and its first steps need beside it, in the same unit (100,000 x 50,000: the sets
# 3.3 s of CPU, a step 0.14 s, for a candidate pass of 8-14 s)
LAGRANGE_PASS_SHARE = 0.85  # (0.65-0.78 measured at 100,000 x 50,000 under load 3)
LAGRANGE_MIN_STEPS = 0.3
LAGRANGE_ROUNDS = 4  # full evaluations of the Lagrangian at most (steps on a growing pool between;
# each round stops when the last gained < 0.05 % or its pass does not fit in the time left). At
# 6,000 x 3,000 (load 11): 2 rounds of 8 edges 6,548 (1.4 %), 4 of 8 6,484 (0.74 %), 4 of 32
# 6,479 (0.65 %, the third round gained nothing); a third round of 8 edges had come out worse
# when its steps were cut by the time, the bound being the smallest evaluation either way
# Another pricing round runs only if the pool's priced-out edges could close more than this
# share of the gap that stays anyway (rounds 3-5 took 28 s at 100,000 x 50,000 for 1.1 points
# of a 145-point certified gap).
PRICING_GAIN_TOL = 0.1


def _add_edges(P, pi_, pj_, ps, in_c, xe, xm):
    """Make the edges (xe, xm) candidates: those already in the pool are switched on, the others
    appended, scored by jumelage.scoring."""
    keys = pi_ * P.n_m + pj_
    new = xe.astype(np.int64) * P.n_m + xm
    order = np.argsort(keys, kind="stable")
    pos = np.minimum(np.searchsorted(keys[order], new), max(len(keys) - 1, 0))
    found = (keys[order][pos] == new) if len(keys) else np.zeros(len(new), bool)
    in_c = in_c.copy()
    in_c[order[pos[found]]] = True
    ae, am = xe[~found], xm[~found]
    if len(ae):
        pi_ = np.r_[pi_, ae]
        pj_ = np.r_[pj_, am]
        ps = np.r_[ps, score_pairs(P, ae, am)]
        in_c = np.r_[in_c, np.ones(len(ae), bool)]
    return pi_, pj_, ps, in_c


def shifted_prices(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    room: dict[int, int],
) -> tuple[np.ndarray, np.ndarray, float]:
    """Prices (p, q) and the shift lam for which the lexicographic flow ``used`` is a best
    matching of the scores s + lam on the candidates (their least dual, by ``mentor_prices``).

    lam starts just above the largest score (dropping one mentee then never pays) and doubles
    while the prices leave a candidate edge priced out (a chain of moves that frees a seat can
    gain more). Any lam >= 0 and prices >= 0 give a valid bound; these make it tight on the
    candidates."""
    cls_col = np.where(P.class_e >= 0, P.class_e + 1, 0)
    lam = float(max(s.max(initial=0.0), 0.0)) + 1e-3
    for _ in range(8):
        p, q = mentor_prices(P, ei, mj, s + lam, used, capacity, class_room=room)
        red = s + lam - p[mj] - q[mj, cls_col[ei]]
        u = np.zeros(P.n_e)
        u[ei[used]] = red[used]
        if (red[~used] <= u[ei[~used]] + 1e-6).all() and (u >= -1e-6).all():
            break
        lam *= 2
    return p, q, lam


def cardinality_cut(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    room: dict[int, int],
    locked: np.ndarray,
    stats: dict | None = None,
) -> tuple[bool, np.ndarray, np.ndarray]:
    """Whether a maximum flow on the candidates (``used``) is a maximum on the FULL graph.

    First the reach of the residual graph over the FULL graph, grown layer by layer
    (``full_reach``: feasibility only, each mentee's row read once, only against the entry
    nodes not reached yet). No reached mentor with a seat left: the cut has the flow's value,
    True, the number of matches is the most possible (no edge is added). Else an augmenting
    path exists, and ``_grow_cut`` collects the best-scored feasible edges that open it (the
    caller adds them to the candidates and solves the flow again): returns False and them."""
    reach = full_reach(P, ei, mj, used, capacity, room, locked)
    if stats is not None:
        stats.setdefault("cut_layers", []).append(reach.layers)
        stats.setdefault("cut_rows", []).append(reach.rows)
    if not reach.augment:
        z = np.zeros(0, np.int64)
        return True, z, z
    return _grow_cut(P, ei, mj, used, capacity, room, locked)


@dataclass
class Reach:
    """The source side of the residual graph over the full graph (see ``full_reach``)."""

    mentees: np.ndarray  # reached mentees
    entries: np.ndarray  # (n_m, n_classes + 1): reached entry nodes (column 0: the mentor)
    augment: bool  # a reached mentor has a seat left
    layers: int
    rows: int  # mentee rows read


def full_reach(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    room: dict[int, int],
    locked: np.ndarray,
) -> Reach:
    """Breadth-first reach of the residual graph of the flow ``used`` over EVERY feasible pair,
    without building it: unmatched mentee -> (any feasible pair) -> entry node ([mentor, class]
    under the class limit, else the mentor) -> (its used edges, backwards) -> mentee;
    [mentor, class] -> mentor while the class has room; mentor -> [mentor, class] where it
    holds someone (as ``residual_reach``, whose candidate graph it extends to all pairs).

    A layer reads the rows of the mentees reached last (feasibility only, no score) against the
    entry columns not reached yet, so every row is read once and the columns shrink as the
    reach grows; it stops at the first layer that reaches a mentor with a seat left."""
    nm = P.n_m
    nc = _n_cls(P)
    limit = P.class_max > 0
    col_e = np.where(P.class_e >= 0, P.class_e + 1, 0) if limit else np.zeros(P.n_e, np.int64)
    m_of = np.full(P.n_e, -1, np.int64)
    m_of[ei[used]] = mj[used]
    matched = m_of >= 0
    load = np.bincount(mj[used], minlength=nm)
    R = np.zeros((nm, nc + 1), bool)
    R[capacity <= 0, :] = True  # no seat: its arcs carry nothing, never worth a read
    if limit and nc:
        gflow = np.zeros((nm, nc + 1), np.int64)
        np.add.at(gflow, (m_of[matched], col_e[matched]), 1)
        groom = np.full((nm, nc + 1), P.class_max, np.int64)
        for key, r in room.items():
            groom[key // nc, key % nc + 1] = r
        opens = (gflow < groom)[:, 1:]  # [mentor, class] -> mentor
        holds = (gflow > 0)[:, 1:]  # mentor -> [mentor, class]
        R[:, 1:] |= groom[:, 1:] <= 0
    free = load < capacity
    reached = ~matched & ~locked
    frontier = reached.copy()
    todo = [(E, J, cls) for E, J, cls in blocks(P)]
    layers = rows = 0
    augment = False
    while frontier.any():
        layers += 1
        rows += int(frontier.sum())
        tasks = []
        for E_all, J_all, cls in todo:
            E = E_all[frontier[E_all]]
            if not len(E):
                continue
            col = cls + 1 if (limit and cls >= 0) else 0
            J = J_all[~R[J_all, col]]
            if not len(J):
                continue
            cs = _chunk_size(len(J))
            for a in range(0, len(E), cs):
                tasks.append((E[a : a + cs], J, col))
        for J, col, hit in _pmap(_reach_columns(P), tasks):
            R[J[hit], col] = True
        # the entry side's closure: a class node with room opens its mentor, a mentor its
        # classes that hold someone (two steps: a mentor leads back only to itself)
        if limit and nc:
            R[:, 0] |= (R[:, 1:] & opens).any(axis=1)
            R[:, 1:] |= R[:, :1] & holds
        if (R[:, 0] & free).any():
            augment = True
            break
        new = matched & ~reached
        new[new] = R[m_of[new], col_e[new]]
        reached |= new
        frontier = new
    return Reach(reached & ~locked, R, augment, layers, rows)


def _reach_columns(P: Problem):
    """For one task (mentees E, entry columns J, class column): which columns a feasible pair
    reaches (exclusions and unscored pairs aside, as in ``chunk_scores``)."""

    def work(task):
        E, J, col = task
        ok = feasible_block(P, E, J)
        if len(P.excluded) or P.only_scored:
            _apply_excluded(P, ok, E, _colpos(P, J))
        return J, col, ok.any(axis=0)

    return work


def _grow_cut(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    room: dict[int, int],
    locked: np.ndarray,
) -> tuple[bool, np.ndarray, np.ndarray]:
    """The crossing edges that open an augmenting path (``cardinality_cut`` found one).

    Grows the source side of the residual graph's cut: the mentees it reaches have their full
    rows read (``crossing_pass``), and every feasible edge into an entry node not yet reached
    joins the residual graph (unused), until nothing crosses. If the side then holds a mentor
    with a seat left, an augmenting path exists: returns False and the edges that open it (the
    caller adds them to the candidates and solves the flow again). Else the cut has the flow's
    value: True, the number of matches is the most possible."""
    ext_e, ext_m = [ei], [mj]
    ext_used = [used]
    scanned = np.zeros(P.n_e, bool)
    new_e, new_m = [], []
    while True:
        all_e = np.concatenate(ext_e)
        all_m = np.concatenate(ext_m)
        all_used = np.concatenate(ext_used)
        reach_e, reach_jc, augment = residual_reach(
            P, all_e, all_m, all_used, capacity, room, locked
        )
        rows = reach_e & ~scanned
        if augment or not rows.any():
            break
        xe, xm, truncated = crossing_pass(P, rows, reach_jc)
        scanned |= rows
        scanned[truncated] = False
        if not len(xe):
            if not truncated.any():
                break
            continue
        ext_e.append(xe)
        ext_m.append(xm)
        ext_used.append(np.zeros(len(xe), bool))
        new_e.append(xe)
        new_m.append(xm)
    z = np.zeros(0, np.int64)
    xe = np.concatenate(new_e) if new_e else z
    xm = np.concatenate(new_m) if new_m else z
    return not augment, xe, xm


def residual_reach(
    P: Problem,
    ei: np.ndarray,
    mj: np.ndarray,
    used: np.ndarray,
    capacity: np.ndarray,
    room: dict[int, int],
    locked: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """The source side of the minimum cut left by a maximum flow on the candidates.

    Residual graph: unmatched mentee -> (its candidate edges, unused) -> entry node ([mentor,
    class] under the class limit, else the mentor) -> (used edges, backwards) -> mentee;
    [mentor, class] -> mentor while the class has room; mentor -> [mentor, class] where it holds
    someone. Returns the reached mentees; per (mentor, column), whether the entry node is on the
    source side (column 0: no class; c + 1: class c; entries with no seat, capacity or room 0
    after the locks, count as reached: their arc to the sink side carries nothing); and whether a
    reached mentor has a seat left (an augmenting path)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import breadth_first_order

    ne, nm = P.n_e, P.n_m
    nc = _n_cls(P)
    cls = P.class_e[ei]
    has = (cls >= 0) if P.class_max > 0 else np.zeros(len(ei), bool)
    gkey = np.where(has, mj * max(nc, 1) + cls, -1)
    uniq, inv = np.unique(gkey[has], return_inverse=True)
    entry = ne + mj.copy()
    entry[has] = ne + nm + inv
    n_cls_nodes = len(uniq)
    src = ne + nm + n_cls_nodes
    gflow = np.bincount(inv[used[has]], minlength=n_cls_nodes)
    groom = np.array([room.get(int(g), P.class_max) for g in uniq], np.int64)
    gnode = ne + nm + np.arange(n_cls_nodes)
    gm = ne + uniq // max(nc, 1)
    matched = np.zeros(ne, bool)
    matched[ei[used]] = True
    start = np.nonzero(~matched & ~locked)[0]
    tails = [ei[~used], entry[used], gnode[gflow < groom], gm[gflow > 0], np.full(len(start), src)]
    heads = [entry[~used], ei[used], gm[gflow < groom], gnode[gflow > 0], start]
    t = np.concatenate(tails).astype(np.int64)
    h = np.concatenate(heads).astype(np.int64)
    graph = coo_matrix((np.ones(len(t), np.int8), (t, h)), shape=(src + 1, src + 1)).tocsr()
    reached = np.zeros(src + 1, bool)
    reached[breadth_first_order(graph, src, directed=True, return_predecessors=False)] = True
    reach_jc = np.zeros((nm, nc + 1), bool)
    reach_jc[:, 0] = reached[ne : ne + nm]
    if n_cls_nodes:
        reach_jc[uniq // max(nc, 1), uniq % max(nc, 1) + 1] = reached[gnode]
    load = np.bincount(mj[used], minlength=nm)
    augment = bool((reached[ne : ne + nm] & (load < capacity)).any())
    reach_jc[capacity <= 0, :] = True
    for key, r in room.items():
        if r <= 0:
            reach_jc[key // max(nc, 1), key % max(nc, 1) + 1] = True
    return reached[:ne] & ~locked, reach_jc, augment


def crossing_pass(
    P: Problem, rows_e: np.ndarray, reach_jc: np.ndarray, *, collect: int = 64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feasible edges, over the FULL graph, from the mentees ``rows_e`` into an entry node not
    reached (up to ``collect`` per mentee, best score first): each one crosses the cut. Also
    returns which mentees had more than ``collect`` (their rows must be read again)."""
    truncated = np.zeros(P.n_e, bool)
    z = np.zeros(0, np.int64)
    if not rows_e.any():
        return z, z, truncated

    def work(task):
        E, J, cls, colpos = task
        S = chunk_scores(P, E, J, colpos)
        col = cls + 1 if (P.class_max > 0 and cls >= 0) else 0
        np.putmask(S, np.broadcast_to(reach_jc[J, col][None, :], S.shape), NEG)
        count = (S > NEG).sum(axis=1)
        rows = np.nonzero(count)[0]
        if not len(rows):
            return None
        Sv = S[rows]
        kk = min(collect, len(J))
        top = np.argpartition(-Sv, kk - 1, axis=1)[:, :kk] if kk < len(J) else None
        if top is None:
            top = np.broadcast_to(np.arange(len(J)), Sv.shape)
        vals = np.take_along_axis(Sv, top, axis=1)
        ok = vals > NEG
        rr = np.broadcast_to(rows[:, None], top.shape)
        return E[rr[ok]], J[top[ok]], E[count > kk]

    out_e, out_m = [], []
    for found in _pmap(work, _chunks(P, ~rows_e)):
        if found is not None:
            out_e.append(found[0])
            out_m.append(found[1])
            truncated[found[2]] = True
    if not out_e:
        return z, z, truncated
    xe = np.concatenate(out_e).astype(np.int64)
    return xe, np.concatenate(out_m).astype(np.int64), truncated


def _room_array(P: Problem, room: dict[int, int]) -> np.ndarray:
    """Seats per (mentor, class) for the dual objective (column 0: no class, no limit)."""
    nc = _n_cls(P) + 1
    out = np.zeros((P.n_m, nc))
    if P.class_max > 0:
        out[:, 1:] = P.class_max
        for key, r in room.items():
            out[key // (nc - 1), key % (nc - 1) + 1] = max(r, 0)
    return out


def solve(
    instance: Instance, *, time_limit: float = 120.0, seed: int = 0, lang: str = "fr"
) -> Result:
    """Large mode: near-optimal groups for national networks with a certified gap."""
    from jumelage.explain import build_result

    t0 = time.monotonic()
    if not instance.mentors or not instance.mentees:  # nobody to match: the empty matching
        return build_result(
            instance,
            np.full(len(instance.mentees), -1, np.int64),
            mode="large",
            status="optimal",
            bound=0.0,
            solver=SOLVER,
            seconds=time.monotonic() - t0,
            seed=seed,
            note="no mentor or no mentee: nothing to match",
            lang=lang,
        )
    P = build_problem(instance)
    # the explanations and the result follow the search: keep them a share of the time
    reserve = min(0.15 * time_limit, 0.05 + 5e-5 * P.n_e)
    left = time_limit - reserve - (time.monotonic() - t0)
    out = solve_problem(P, time_limit=max(0.05, left), seed=seed)
    gap = (out.upper_bound - out.linear - out.bonus) / max(abs(out.upper_bound), 1e-9)
    note = (
        f"candidates {out.n_candidates}, flow rounds {out.rounds}; most mentees matched "
        f"(a cut over all feasible pairs proves it), bound on the score among such matchings = "
        f"mentor prices over all feasible pairs (+ each mentee's largest shared-theme share)"
    )
    if not out.matched_certified:
        note = (
            f"candidates {out.n_candidates}, flow rounds {out.rounds}; the number of mentees "
            f"matched is not proven the largest possible (rounds exhausted)"
        )
    optimal = gap <= 1e-9 and out.matched_certified
    return build_result(
        instance,
        out.assign,
        mode="large",
        status="optimal" if optimal else "feasible",
        bound=out.upper_bound,
        solver=SOLVER,
        seconds=time.monotonic() - t0,
        seed=seed,
        note=note,
        lang=lang,
    )

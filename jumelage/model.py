"""The engine's data: an instance (who, which rules, which weights) and a result (groups, unmatched,
certificate), plus the loader that turns plain JSON data into a checked :class:`Instance`.

Everything the solvers touch at scale lives in :class:`Arrays`: participants encoded as integer
codes and bitsets, so rules and scores are numpy expressions over index arrays, never Python
loops over pairs.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from jumelage import messages, schemas
from jumelage.arrays import unique

ENGINE_VERSION = "0.1.0"

REGION_RULES = ("different_region", "same_region_different_mrc", "any")
SECTOR_RULES = ("same_sector", "any")
STYLES = {None: 0, "structured": 1, "intuitive": 2}
EXCLUSION_REASONS = ("conflict_of_interest", "competition")
# Top-level fields a class limit or a preference may refer to, besides free "attributes".
PLAIN_ATTRIBUTES = ("region", "mrc", "sector", "style")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input or a result: a code, its params and the rendered message."""

    code: str
    params: dict[str, Any]
    message: str

    @classmethod
    def make(cls, code: str, params: dict[str, Any], lang: str = "fr") -> Problem:
        return cls(code, params, messages.render(code, params, lang))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params, "message": self.message}


class InstanceError(Exception):
    """The input cannot be solved as given; ``problems`` says why, one entry per issue."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.message for p in problems))


@dataclass(frozen=True)
class ClassLimit:
    """At most ``max`` mentees sharing one value of ``attribute`` in one group."""

    attribute: str
    max: int


@dataclass
class Policy:
    group_size: int = 2
    region_rule: str = "different_region"
    sector_rule: str = "same_sector"
    mentee_region_rule: str = "different_region"
    mentee_class_limit: ClassLimit | None = None
    require_common_language: bool = True
    require_availability_overlap: bool = True
    only_scored_pairs: bool = False  # True: a pair absent from pair_scores is not allowed

    @property
    def class_limit(self) -> ClassLimit | None:
        """The effective mentee class limit: explicit, else the mentee region rule."""
        if self.mentee_class_limit is not None:
            return self.mentee_class_limit
        if self.mentee_region_rule == "different_region":
            return ClassLimit("region", 1)
        return None


@dataclass
class Weights:
    fit: float = 1.0
    themes: float = 0.5
    style: float = 0.2
    ranking: float = 0.3
    preference: float = 0.2
    shared_themes: float = 0.3
    pair_score: float = 1.0  # the instance's own pair scores (pair_scores), 0 where none

    def pair_weights(self) -> dict[str, float]:
        return {
            "fit": self.fit,
            "themes": self.themes,
            "style": self.style,
            "ranking": self.ranking,
            "preference": self.preference,
            "pair_score": self.pair_score,
        }


@dataclass
class Participant:
    id: str
    label: str | None = None
    region: str | None = None
    mrc: str | None = None
    sector: str | None = None
    languages: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    text: str | None = None
    vector: tuple[float, ...] | None = None
    style: str | None = None
    ranking: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict)
    preferences: dict[str, Any] = field(default_factory=dict)
    capacity: int | None = None  # mentors only
    members: tuple[str, ...] = ()  # mentors only: the people of a team side

    @property
    def name(self) -> str:
        return self.label or self.id

    def attribute(self, key: str) -> Any:
        if key in PLAIN_ATTRIBUTES:
            return getattr(self, key)
        return self.attributes.get(key)


@dataclass(frozen=True)
class Exclusion:
    mentor: str
    mentee: str
    reason: str = "conflict_of_interest"
    declared_by: str = "coordinator"


@dataclass(frozen=True)
class Pair:
    mentor: str
    mentee: str


@dataclass
class Instance:
    mentors: list[Participant]
    mentees: list[Participant]
    policy: Policy = field(default_factory=Policy)
    weights: Weights = field(default_factory=Weights)
    exclusions: list[Exclusion] = field(default_factory=list)
    locks: list[Pair] = field(default_factory=list)
    forbidden: list[Pair] = field(default_factory=list)
    fit_backend: str = "auto"
    pair_fit: list[tuple[str, str, float]] = field(default_factory=list)
    pair_scores: list[tuple[str, str, float]] = field(default_factory=list)

    @cached_property
    def mentor_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.mentors)}

    @cached_property
    def mentee_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.mentees)}

    @cached_property
    def arrays(self) -> Arrays:
        return Arrays.build(self)

    def capacity(self, mentor: Participant) -> int:
        """Seats of a mentor side: its own capacity, never above the program's group size."""
        own = self.policy.group_size if mentor.capacity is None else mentor.capacity
        return max(0, min(own, self.policy.group_size))

    def who(self, *, mentor: int | None = None, mentee: int | None = None) -> dict[str, str]:
        """Message params naming a mentor and/or a mentee by id and display name."""
        params: dict[str, str] = {}
        if mentor is not None:
            params["mentor"] = self.mentors[mentor].id
            params["mentor_label"] = self.mentors[mentor].name
        if mentee is not None:
            params["mentee"] = self.mentees[mentee].id
            params["mentee_label"] = self.mentees[mentee].name
        return params


# --------------------------------------------------------------------------------------------
# Encoded arrays


def _codes(values: list[Any], vocab: dict[Any, int]) -> np.ndarray:
    """Integer code per value (shared vocabulary across sides), -1 for a missing value."""
    out = np.full(len(values), -1, dtype=np.int32)
    for i, v in enumerate(values):
        if v is not None and v != "":
            out[i] = vocab.setdefault(v, len(vocab))
    return out


def _bitsets(sets: list[set[Any]], vocab: dict[Any, int]) -> np.ndarray:
    """Set membership as uint64 words, shape (n, words): intersections become bitwise ANDs."""
    rows: list[int] = []
    bits: list[int] = []
    for i, s in enumerate(sets):
        for v in sorted(s, key=str):
            rows.append(i)
            bits.append(vocab.setdefault(v, len(vocab)))
    words = max(1, math.ceil(len(vocab) / 64))
    out = np.zeros((len(sets), words), dtype=np.uint64)
    if rows:
        b = np.array(bits, dtype=np.uint64)
        np.bitwise_or.at(
            out, (np.array(rows), (b // 64).astype(np.int64)), np.uint64(1) << (b % 64)
        )
    return out


def popcount(bits: np.ndarray) -> np.ndarray:
    """Number of set bits over the last axis (the words of a bitset)."""
    return np.bitwise_count(bits).sum(axis=-1, dtype=np.int32)


def _fold(text: Any) -> str:
    return str(text).strip().casefold()


def _token(key: str, value: Any) -> str:
    return f"{key}={_fold(value)}"


@dataclass
class Arrays:
    """Participants as numpy arrays; pair keys are ``mentor * n_mentees + mentee`` (int64)."""

    n_mentors: int
    n_mentees: int
    region_m: np.ndarray
    region_e: np.ndarray
    mrc_m: np.ndarray
    mrc_e: np.ndarray
    sector_m: np.ndarray
    sector_e: np.ndarray
    lang_m: np.ndarray
    lang_e: np.ndarray
    avail_m: np.ndarray
    avail_e: np.ndarray
    themes_m: np.ndarray
    themes_e: np.ndarray
    style_m: np.ndarray
    style_e: np.ndarray
    attr_m: np.ndarray
    attr_e: np.ndarray
    pref_m: np.ndarray
    pref_e: np.ndarray
    capacity: np.ndarray
    class_e: np.ndarray  # mentee class under the class limit, -1 = unlimited
    class_max: int  # 0 when there is no class limit
    excl_keys: np.ndarray
    excl_reason: np.ndarray  # index into EXCLUSION_REASONS
    forbid_keys: np.ndarray
    lock_m: np.ndarray
    lock_e: np.ndarray
    rank_by_mentee_keys: np.ndarray  # how the mentee ranked the mentor
    rank_by_mentee_vals: np.ndarray
    rank_by_mentor_keys: np.ndarray
    rank_by_mentor_vals: np.ndarray
    pair_fit_keys: np.ndarray
    pair_fit_vals: np.ndarray
    pair_score_keys: np.ndarray  # the instance's own pair scores (last one wins for a pair)
    pair_score_vals: np.ndarray
    theme_names: list[str]

    def key(self, mentor: np.ndarray | int, mentee: np.ndarray | int) -> np.ndarray:
        return np.asarray(mentor, dtype=np.int64) * self.n_mentees + np.asarray(
            mentee, dtype=np.int64
        )

    @classmethod
    def build(cls, inst: Instance) -> Arrays:
        ms, es = inst.mentors, inst.mentees
        nm, ne = len(ms), len(es)
        regions: dict[Any, int] = {}
        mrcs: dict[Any, int] = {}
        sectors: dict[Any, int] = {}

        def mrc_of(p: Participant) -> tuple[str, str] | None:
            # An MRC is only meaningful inside its region.
            return None if p.mrc is None else (p.region or "", p.mrc)

        langs: dict[Any, int] = {}
        avails: dict[Any, int] = {}
        themes: dict[Any, int] = {}
        attrs: dict[Any, int] = {}

        # attributes only serve to meet someone's preferences: without any, no tokens to build
        stated = any(p.preferences for p in ms) or any(p.preferences for p in es)

        def attr_tokens(p: Participant) -> set[str]:
            if not stated:
                return set()
            tokens = {_token(k, v) for k, v in p.attributes.items() if v is not None}
            tokens |= {_token(k, p.attribute(k)) for k in PLAIN_ATTRIBUTES if p.attribute(k)}
            return tokens

        def pref_tokens(p: Participant) -> set[str]:
            return {_token(k, v) for k, v in p.preferences.items() if v is not None}

        both = ms + es
        memo: dict[Any, str] = {}  # a few dozen distinct values among 150,000 people

        def fold(x: Any) -> str:
            try:
                return memo[x]
            except KeyError:
                memo[x] = out = _fold(x)
                return out
            except TypeError:  # unhashable: fold it each time
                return _fold(x)

        lang = _bitsets([{fold(x) for x in p.languages} for p in both], langs)
        avail = _bitsets([{fold(x) for x in p.availability} for p in both], avails)
        theme = _bitsets([{fold(x) for x in p.themes} for p in both], themes)
        attr = _bitsets([attr_tokens(p) for p in both] + [pref_tokens(p) for p in both], attrs)
        attr, pref = attr[: nm + ne], attr[nm + ne :]
        region = _codes([p.region for p in both], regions)
        mrc = _codes([mrc_of(p) for p in both], mrcs)
        sector = _codes([p.sector for p in both], sectors)

        limit = inst.policy.class_limit
        class_e = (
            _codes([_class_value(p, limit.attribute) for p in es], {})
            if limit
            else np.full(ne, -1, dtype=np.int32)
        )

        mi, ei = inst.mentor_index, inst.mentee_index

        def keys(pairs: list[tuple[str, str]]) -> np.ndarray:
            return np.array([mi[a] * ne + ei[b] for a, b in pairs], dtype=np.int64)

        excl = sorted(
            {(mi[x.mentor], ei[x.mentee]): x.reason for x in inst.exclusions}.items(),
        )
        excl_keys = np.array([a * ne + b for (a, b), _ in excl], dtype=np.int64)
        excl_reason = np.array([EXCLUSION_REASONS.index(r) for _, r in excl], dtype=np.int8)
        forbid_keys = unique(keys([(p.mentor, p.mentee) for p in inst.forbidden]))
        lock_pairs = sorted({(mi[p.mentor], ei[p.mentee]) for p in inst.locks})

        rm_keys, rm_vals, re_keys, re_vals = [], [], [], []
        for j, m in enumerate(ms):
            for pos, eid in enumerate(m.ranking):
                rm_keys.append(j * ne + ei[eid])
                rm_vals.append(1.0 - pos / len(m.ranking))
        for i, e in enumerate(es):
            for pos, mid in enumerate(e.ranking):
                re_keys.append(mi[mid] * ne + i)
                re_vals.append(1.0 - pos / len(e.ranking))
        fit_pairs = {mi[a] * ne + ei[b]: s for a, b, s in inst.pair_fit}
        given = {mi[a] * ne + ei[b]: s for a, b, s in inst.pair_scores}

        return cls(
            n_mentors=nm,
            n_mentees=ne,
            region_m=region[:nm],
            region_e=region[nm:],
            mrc_m=mrc[:nm],
            mrc_e=mrc[nm:],
            sector_m=sector[:nm],
            sector_e=sector[nm:],
            lang_m=lang[:nm],
            lang_e=lang[nm:],
            avail_m=avail[:nm],
            avail_e=avail[nm:],
            themes_m=theme[:nm],
            themes_e=theme[nm:],
            style_m=np.array([STYLES.get(p.style, 0) for p in ms], dtype=np.int8),
            style_e=np.array([STYLES.get(p.style, 0) for p in es], dtype=np.int8),
            attr_m=attr[:nm],
            attr_e=attr[nm:],
            pref_m=pref[:nm],
            pref_e=pref[nm:],
            capacity=np.array([inst.capacity(m) for m in ms], dtype=np.int64),
            class_e=class_e,
            class_max=limit.max if limit else 0,
            excl_keys=excl_keys,
            excl_reason=excl_reason,
            forbid_keys=forbid_keys,
            lock_m=np.array([a for a, _ in lock_pairs], dtype=np.int64),
            lock_e=np.array([b for _, b in lock_pairs], dtype=np.int64),
            **_sorted_lookup("rank_by_mentor", rm_keys, rm_vals),
            **_sorted_lookup("rank_by_mentee", re_keys, re_vals),
            **_sorted_lookup("pair_fit", list(fit_pairs), list(fit_pairs.values())),
            **_sorted_lookup("pair_score", list(given), list(given.values())),
            theme_names=sorted(themes, key=themes.__getitem__),
        )


def _class_value(p: Participant, attribute: str) -> Any:
    value = p.attribute(attribute)
    return None if value is None else _fold(value)


def _sorted_lookup(prefix: str, keys: list[int], vals: list[float]) -> dict[str, np.ndarray]:
    k = np.array(keys, dtype=np.int64)
    v = np.array(vals, dtype=np.float64)
    order = np.argsort(k, kind="stable")
    return {f"{prefix}_keys": k[order], f"{prefix}_vals": v[order]}


def lookup(
    keys: np.ndarray, vals: np.ndarray, query: np.ndarray, default: float = 0.0
) -> np.ndarray:
    """Values for ``query`` keys in a sorted (keys, vals) table, ``default`` where absent."""
    query = np.asarray(query, dtype=np.int64)
    if len(keys) == 0:
        return np.full(query.shape, default, dtype=np.float64)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return np.where(keys[pos] == query, vals[pos], default)


def contains(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Whether each ``query`` key is in the sorted ``keys``."""
    query = np.asarray(query, dtype=np.int64)
    if len(keys) == 0:
        return np.zeros(query.shape, dtype=bool)
    pos = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    return keys[pos] == query


# --------------------------------------------------------------------------------------------
# Loading


def load_instance(data: dict[str, Any], *, lang: str = "fr") -> Instance:
    """Check plain JSON data and build an :class:`Instance`; raise :class:`InstanceError` listing
    every problem found (schema, duplicate or unknown ids, contradictory locks)."""
    problems = [
        _schema_problem(path, expected, lang) for path, expected in schemas.errors(data, "instance")
    ]
    if problems:
        raise InstanceError(problems)
    inst = _build(data)
    problems = _reference_problems(inst, data, lang)
    if problems:
        # Keep looking for contradictions among the references that do resolve, so that the
        # coordinator gets every problem in one pass.
        if any(p.code in ("duplicate_id", "id_on_both_sides") for p in problems):
            raise InstanceError(problems)
        _drop_unknown_references(inst)
    from jumelage.rules import lock_problems  # rules depend on this module

    problems += lock_problems(inst, lang=lang)
    if problems:
        raise InstanceError(problems)
    return inst


def _drop_unknown_references(inst: Instance) -> None:
    mi, ei = inst.mentor_index, inst.mentee_index
    inst.exclusions = [x for x in inst.exclusions if x.mentor in mi and x.mentee in ei]
    inst.locks = [x for x in inst.locks if x.mentor in mi and x.mentee in ei]
    inst.forbidden = [x for x in inst.forbidden if x.mentor in mi and x.mentee in ei]
    inst.pair_fit = [x for x in inst.pair_fit if x[0] in mi and x[1] in ei]
    inst.pair_scores = [x for x in inst.pair_scores if x[0] in mi and x[1] in ei]
    for p in inst.mentors:
        p.ranking = tuple(x for x in p.ranking if x in ei)
    for p in inst.mentees:
        p.ranking = tuple(x for x in p.ranking if x in mi)
    inst.__dict__.pop("arrays", None)


def _schema_problem(path: str, expected: str, lang: str) -> Problem:
    if expected == "required":
        return Problem.make("missing_field", {"path": path}, lang)
    return Problem.make("invalid_value", {"path": path, "expected": expected}, lang)


def _participant(d: dict[str, Any], *, mentor: bool) -> Participant:
    vector = d.get("vector")
    return Participant(
        id=str(d["id"]),
        label=d.get("label") or None,
        region=_opt_str(d.get("region")),
        mrc=_opt_str(d.get("mrc")),
        sector=_opt_str(d.get("sector")),
        languages=tuple(d.get("languages") or ()),
        availability=tuple(d.get("availability") or ()),
        themes=tuple(d.get("themes") or ()),
        text=d.get("text") or None,
        vector=tuple(float(x) for x in vector) if vector else None,
        style=d.get("style"),
        ranking=tuple(d.get("ranking") or ()),
        attributes=dict(d.get("attributes") or {}),
        preferences=dict(d.get("preferences") or {}),
        capacity=int(d["capacity"]) if mentor and d.get("capacity") is not None else None,
        members=tuple(d.get("members") or ()) if mentor else (),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _build(data: dict[str, Any]) -> Instance:
    p = data.get("policy") or {}
    limit = p.get("mentee_class_limit")
    policy = Policy(
        group_size=int(p.get("group_size", 2)),
        region_rule=p.get("region_rule", "different_region"),
        sector_rule=p.get("sector_rule", "same_sector"),
        mentee_region_rule=p.get("mentee_region_rule", "different_region"),
        mentee_class_limit=ClassLimit(str(limit["attribute"]), int(limit["max"]))
        if limit
        else None,
        require_common_language=bool(p.get("require_common_language", True)),
        require_availability_overlap=bool(p.get("require_availability_overlap", True)),
        only_scored_pairs=bool(p.get("only_scored_pairs", False)),
    )
    w = data.get("weights") or {}
    defaults = Weights()
    weights = Weights(**{k: float(w.get(k, getattr(defaults, k))) for k in asdict(defaults)})
    return Instance(
        mentors=[_participant(d, mentor=True) for d in data["mentors"]],
        mentees=[_participant(d, mentor=False) for d in data["mentees"]],
        policy=policy,
        weights=weights,
        exclusions=[
            Exclusion(
                str(x["mentor"]),
                str(x["mentee"]),
                x.get("reason", "conflict_of_interest"),
                x.get("declared_by", "coordinator"),
            )
            for x in data.get("exclusions") or []
        ],
        locks=[Pair(str(x["mentor"]), str(x["mentee"])) for x in data.get("locks") or []],
        forbidden=[Pair(str(x["mentor"]), str(x["mentee"])) for x in data.get("forbidden") or []],
        fit_backend=(data.get("fit") or {}).get("backend", "auto"),
        pair_fit=[
            (str(x["mentor"]), str(x["mentee"]), float(x["score"]))
            for x in data.get("pair_fit") or []
        ],
        pair_scores=[
            (str(x["mentor"]), str(x["mentee"]), float(x["score"]))
            for x in data.get("pair_scores") or []
        ],
    )


def _reference_problems(inst: Instance, data: dict[str, Any], lang: str) -> list[Problem]:
    """Duplicate ids, references to unknown people, inconsistent vectors. Exclusions may name a
    member of a team side; they are rewritten to the team's id."""
    out: list[Problem] = []
    for side, people in (("mentor", inst.mentors), ("mentee", inst.mentees)):
        seen: set[str] = set()
        for person in people:
            if person.id in seen:
                out.append(Problem.make("duplicate_id", {"id": person.id, "side": side}, lang))
            seen.add(person.id)
    mentor_ids = {p.id for p in inst.mentors}
    for ident in sorted({p.id for p in inst.mentees} & mentor_ids):
        out.append(Problem.make("id_on_both_sides", {"id": ident}, lang))
    member_of = {m: t.id for t in inst.mentors for m in t.members if m not in inst.mentor_index}
    inst.exclusions = [
        Exclusion(member_of.get(x.mentor, x.mentor), x.mentee, x.reason, x.declared_by)
        for x in inst.exclusions
    ]

    def known(path: str, ident: str, side: str) -> None:
        index = inst.mentor_index if side == "mentor" else inst.mentee_index
        if ident not in index:
            out.append(Problem.make("unknown_id", {"path": path, "id": ident, "side": side}, lang))

    for name, pairs in (
        ("exclusions", inst.exclusions),
        ("locks", inst.locks),
        ("forbidden", inst.forbidden),
    ):
        for n, pair in enumerate(pairs):
            known(f"/{name}/{n}/mentor", pair.mentor, "mentor")
            known(f"/{name}/{n}/mentee", pair.mentee, "mentee")
    for name, scored in (("pair_fit", inst.pair_fit), ("pair_scores", inst.pair_scores)):
        for n, (a, b, _) in enumerate(scored):
            known(f"/{name}/{n}/mentor", a, "mentor")
            known(f"/{name}/{n}/mentee", b, "mentee")
    for side, other, people in (
        ("mentors", "mentee", inst.mentors),
        ("mentees", "mentor", inst.mentees),
    ):
        for n, person in enumerate(people):
            for r, ident in enumerate(person.ranking):
                known(f"/{side}/{n}/ranking/{r}", ident, other)
    dims = {len(p.vector) for p in inst.mentors + inst.mentees if p.vector}
    if len(dims) > 1:
        expected = len(next(p.vector for p in inst.mentors + inst.mentees if p.vector))
        for p in inst.mentors + inst.mentees:
            if p.vector and len(p.vector) != expected:
                out.append(
                    Problem.make(
                        "vector_dimension",
                        {"id": p.id, "expected": expected, "got": len(p.vector)},
                        lang,
                    )
                )
    return out


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class Group:
    mentor: str
    mentees: list[str]
    score: float = 0.0
    explanation: dict[str, Any] = field(default_factory=dict)


@dataclass
class Unmatched:
    id: str
    side: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    free: int | None = None  # mentors: seats left


@dataclass
class Certificate:
    """How good the result is: ``objective`` reached, ``bound`` no solution can beat, their gap
    relative to the bound; ``optimal`` means the bound is reached."""

    status: str
    objective: float
    bound: float | None
    gap: float | None
    solver: str
    seconds: float
    matched: int | None = None
    note: str | None = None


def _unmatched_dict(u: Unmatched) -> dict[str, Any]:
    out: dict[str, Any] = {"id": u.id, "side": u.side, "reasons": u.reasons}
    if u.free is not None:
        out["free"] = u.free
    return out


@dataclass
class Result:
    mode: str
    groups: list[Group]
    unmatched: list[Unmatched]
    certificate: Certificate
    seed: int = 0
    engine_version: str = ENGINE_VERSION
    stability: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mode": self.mode,
            "engine_version": self.engine_version,
            "seed": self.seed,
            # field by field, not dataclasses.asdict: asdict deep-copies every explanation
            # (8 s of the 100,000-mentee run); the explanations are shared, not copied
            "groups": [
                {
                    "mentor": g.mentor,
                    "mentees": list(g.mentees),
                    "score": g.score,
                    "explanation": g.explanation,
                }
                for g in self.groups
            ],
            "unmatched": [_unmatched_dict(u) for u in self.unmatched],
            "certificate": asdict(self.certificate),
        }
        if self.stability is not None:
            out["stability"] = self.stability
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Result:
        cert = d.get("certificate") or {}
        return cls(
            mode=d.get("mode", "exact"),
            engine_version=d.get("engine_version", ENGINE_VERSION),
            seed=int(d.get("seed", 0)),
            groups=[
                Group(
                    mentor=str(g["mentor"]),
                    mentees=[str(x) for x in g.get("mentees", [])],
                    score=float(g.get("score", 0.0)),
                    explanation=dict(g.get("explanation") or {}),
                )
                for g in d.get("groups", [])
            ],
            unmatched=[
                Unmatched(
                    id=str(u["id"]),
                    side=u.get("side", "mentee"),
                    reasons=u.get("reasons", []),
                    free=u.get("free"),
                )
                for u in d.get("unmatched", [])
            ],
            certificate=Certificate(
                status=cert.get("status", "feasible"),
                objective=float(cert.get("objective", 0.0)),
                bound=cert.get("bound"),
                gap=cert.get("gap"),
                solver=cert.get("solver", ""),
                seconds=float(cert.get("seconds", 0.0)),
                matched=cert.get("matched"),
                note=cert.get("note"),
            ),
            stability=d.get("stability"),
        )


def relative_gap(objective: float, bound: float | None) -> float | None:
    """(bound − objective) / |bound|, 0 when they meet; None without a bound."""
    if bound is None:
        return None
    diff = max(0.0, bound - objective)
    if diff <= 1e-9:
        return 0.0
    return diff / max(abs(bound), 1e-9)

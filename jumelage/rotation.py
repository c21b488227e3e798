"""The rotation of a "speed dating mentoral": who meets whom in which round, at which table.

Two exact steps, so that the rotation is provably the best one:

1. **Who meets whom** — a maximum-weight bipartite b-matching over the pairs the rules allow
   (each side meets at most ``rounds`` people, at most ``rounds × tables`` meetings in all), by
   min-cost flow (OR-Tools ``SimpleMinCostFlow``, maximum flow of minimum cost)::

       source →(rounds × tables)→ hub →(1, cost k·F for the k-th meeting)→ mentee
              →(1, cost −score)→ mentor →(rounds)→ sink

   Its objective is lexicographic: the most meetings first (maximum flow), then the meetings
   spread over the mentees (a mentee's k-th meeting costs k·F, a convex cost, so nobody gets a
   sixth meeting while another one could get a first), then the best total pair score. ``F``
   is larger than any total score, so each tier dominates the next. The flow LP is totally
   unimodular: the integral flow is the LP optimum, the bound and the value meet (gap 0, up to
   scores rounded to 1/1000 for integer costs).
2. **When** — a bipartite edge colouring with ``rounds`` colours (König: a bipartite graph of
   maximum degree Δ ≤ rounds has a proper Δ-edge-colouring; built by Kempe-chain flips), then
   made equitable (de Werra: colour classes differ by at most one, by swapping alternating
   paths), so that each round holds at most ⌈meetings / rounds⌉ ≤ tables meetings. Every
   meeting of step 1 is placed: nobody is in two places in one round.

No pair meets twice (one arc per pair), no pair the rules forbid is used (only allowed edges
enter the flow). Pure Python and numpy, no Django.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from jumelage.model import Instance

SCALE = 1000  # scores in thousandths for integer flow costs


@dataclass
class Meeting:
    round: int  # 0-based
    table: int  # 0-based
    mentee: int
    mentor: int
    score: float


@dataclass
class RotationCertificate:
    """How good the rotation is. ``meetings`` is the most any rotation can hold under the rules
    and limits (proved by the flow); ``simple_bound`` is the count ignoring who may meet whom
    together (each side's allowed partners and the tables), to show what the rules cost."""

    status: str
    meetings: int
    possible: int
    simple_bound: int
    score: float
    score_bound: float
    gap: float
    per_mentee_min: int
    per_mentee_max: int
    rounds_used: int
    seconds: float
    note: str = ""


@dataclass
class Rotation:
    meetings: list[Meeting]
    certificate: RotationCertificate
    rounds: int
    tables: int | None
    unmet_mentees: list[int] = field(default_factory=list)  # mentees with no allowed partner

    def to_dict(self) -> dict[str, Any]:
        return {
            "rounds": self.rounds,
            "tables": self.tables,
            "meetings": [asdict(m) for m in self.meetings],
            "certificate": asdict(self.certificate),
            "unmet_mentees": list(self.unmet_mentees),
        }


# ----------------------------------------------------------------------------- step 1: who


def best_meetings(
    n_e: int,
    n_m: int,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    *,
    rounds: int,
    tables: int | None = None,
) -> np.ndarray:
    """Which allowed edges (ei[k], mj[k]) meet: the lexicographic optimum described above."""
    from ortools.graph.python import min_cost_flow

    ei = np.asarray(ei, np.int64)
    mj = np.asarray(mj, np.int64)
    s = np.asarray(s, np.float64)
    used = np.zeros(len(ei), bool)
    if rounds <= 0 or len(ei) == 0 or (tables is not None and tables <= 0):
        return used
    if len(set(zip(ei.tolist(), mj.tolist(), strict=True))) != len(ei):
        raise ValueError("a pair appears twice among the edges")
    w = np.maximum(np.rint(s * SCALE), 0).astype(np.int64)
    most = min(rounds * n_m, rounds * n_e, len(ei))
    if tables is not None:
        most = min(most, rounds * tables)
    fair = int(w.max(initial=0)) * most + 1  # above any total score
    hub, src, snk = n_e + n_m, n_e + n_m + 1, n_e + n_m + 2
    # hub → mentee: `rounds` parallel arcs of cost 0, F, 2F… (a convex cost per meeting)
    ks = np.tile(np.arange(rounds, dtype=np.int64), n_e)
    tails = [
        np.array([src]),
        np.full(n_e * rounds, hub),
        ei,
        n_e + np.arange(n_m),
    ]
    heads = [
        np.array([hub]),
        np.repeat(np.arange(n_e), rounds),
        n_e + mj,
        np.full(n_m, snk),
    ]
    caps = [
        np.array([most]),
        np.ones(n_e * rounds, np.int64),
        np.ones(len(ei), np.int64),
        np.full(n_m, rounds, np.int64),
    ]
    costs = [np.zeros(1, np.int64), ks * fair, -w, np.zeros(n_m, np.int64)]
    f = min_cost_flow.SimpleMinCostFlow()
    arcs = f.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        np.concatenate(costs).astype(np.int64),
    )
    f.set_node_supply(src, most)
    f.set_node_supply(snk, -most)
    status = f.solve_max_flow_with_min_cost()
    if status != f.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = 1 + n_e * rounds
    return f.flows(arcs[first : first + len(ei)]) > 0


# ----------------------------------------------------------------------------- step 2: when


def colour_rounds(n_e: int, n_m: int, ei: np.ndarray, mj: np.ndarray, rounds: int) -> np.ndarray:
    """A proper edge colouring of the bipartite multigraph-free graph (ei, mj) with ``rounds``
    colours (needs max degree ≤ rounds), equitable: class sizes differ by at most one."""
    n_edges = len(ei)
    colour = np.full(n_edges, -1, np.int64)
    at: list[dict[int, int]] = [{} for _ in range(n_e + n_m)]  # vertex -> colour -> edge
    ends = [(int(ei[k]), n_e + int(mj[k])) for k in range(n_edges)]

    def free(v: int) -> int:
        return next(c for c in range(rounds) if c not in at[v])

    def other(k: int, v: int) -> int:
        a, b = ends[k]
        return b if a == v else a

    for k, (u, v) in enumerate(ends):
        if len(at[u]) >= rounds or len(at[v]) >= rounds:
            raise ValueError("a participant has more meetings than rounds")
        a, b = free(u), free(v)
        if a in at[v]:
            # Kempe chain from v alternating a, b: swap it, then a is free at v (and still at
            # u: the chain cannot reach u in a bipartite graph).
            path, x, c = [], v, a
            while c in at[x]:
                e = at[x][c]
                path.append(e)
                x = other(e, x)
                c = b if c == a else a
            for e in path:
                for y in ends[e]:
                    if at[y].get(colour[e]) == e:
                        del at[y][colour[e]]
            for e in path:
                colour[e] = b if colour[e] == a else a
                for y in ends[e]:
                    at[y][int(colour[e])] = e
        colour[k] = a
        at[u][a] = k
        at[v][a] = k
    _equalise(colour, ends, at, rounds)
    return colour


def _equalise(
    colour: np.ndarray, ends: list[tuple[int, int]], at: list[dict[int, int]], rounds: int
) -> None:
    """Swap alternating a/b paths until colour classes differ by at most one (de Werra)."""

    def other(k: int, v: int) -> int:
        a, b = ends[k]
        return b if a == v else a

    while True:
        sizes = np.bincount(colour, minlength=rounds) if len(colour) else np.zeros(rounds, int)
        big, small = int(np.argmax(sizes)), int(np.argmin(sizes))
        if sizes[big] - sizes[small] <= 1:
            return
        done = False
        for k in np.nonzero(colour == big)[0]:
            for start in ends[int(k)]:
                if small in at[start]:
                    continue
                # a path component starting at `start` with a big-coloured edge
                path, x, c = [], start, big
                while c in at[x]:
                    e = at[x][c]
                    path.append(e)
                    x = other(e, x)
                    c = small if c == big else big
                if len(path) % 2 == 1:  # starts and ends with `big`: one more big than small
                    for e in path:
                        for y in ends[e]:
                            if at[y].get(int(colour[e])) == e:
                                del at[y][int(colour[e])]
                    for e in path:
                        colour[e] = small if colour[e] == big else big
                        for y in ends[e]:
                            at[y][int(colour[e])] = e
                    done = True
                    break
            if done:
                break
        if not done:  # cannot happen for a proper colouring; never loop forever
            return


def _tables(
    rounds_of: np.ndarray, mj: np.ndarray, n_m: int, tables: int | None, rounds: int
) -> np.ndarray:
    """A table per meeting: a mentor side keeps one table all event long when there are enough
    tables (people move, mentor sides stay); otherwise it keeps its last table when free."""
    out = np.zeros(len(mj), np.int64)
    mentors = sorted(set(mj.tolist()))
    if tables is None or len(mentors) <= tables:
        seat = {j: n for n, j in enumerate(mentors)}
        for k in range(len(mj)):
            out[k] = seat[int(mj[k])]
        return out
    last: dict[int, int] = {}
    for r in range(rounds):
        taken: set[int] = set()
        here = [int(k) for k in np.nonzero(rounds_of == r)[0]]
        waiting = []
        for k in here:
            t = last.get(int(mj[k]))
            if t is not None and t not in taken:
                out[k] = t
                taken.add(t)
            else:
                waiting.append(k)
        spare = (t for t in range(tables) if t not in taken)
        for k in waiting:
            out[k] = next(spare)
            last[int(mj[k])] = int(out[k])
    return out


# ----------------------------------------------------------------------------- together


def plan_rotation(
    n_e: int,
    n_m: int,
    ei: np.ndarray,
    mj: np.ndarray,
    s: np.ndarray,
    *,
    rounds: int,
    tables: int | None = None,
) -> Rotation:
    """The best rotation over the allowed edges (ei, mj) with pair scores s."""
    import time

    t0 = time.monotonic()
    ei = np.asarray(ei, np.int64)
    mj = np.asarray(mj, np.int64)
    s = np.asarray(s, np.float64)
    used = best_meetings(n_e, n_m, ei, mj, s, rounds=rounds, tables=tables)
    ue, um, us = ei[used], mj[used], s[used]
    colour = colour_rounds(n_e, n_m, ue, um, rounds) if len(ue) else np.zeros(0, np.int64)
    table = _tables(colour, um, n_m, tables, rounds)
    order = np.lexsort((table, colour))
    meetings = [
        Meeting(int(colour[k]), int(table[k]), int(ue[k]), int(um[k]), round(float(us[k]), 6))
        for k in order
    ]
    deg_e = np.bincount(ei, minlength=n_e)
    deg_m = np.bincount(mj, minlength=n_m)
    simple = int(min(np.minimum(deg_e, rounds).sum(), np.minimum(deg_m, rounds).sum()))
    if tables is not None:
        simple = min(simple, rounds * tables)
    per = np.bincount(ue, minlength=n_e)
    score = float(us.sum())
    cert = RotationCertificate(
        status="optimal",
        meetings=len(meetings),
        possible=len(meetings),
        simple_bound=simple,
        score=round(score, 6),
        score_bound=round(score, 6),
        gap=0.0,
        per_mentee_min=int(per[deg_e > 0].min(initial=0)) if n_e else 0,
        per_mentee_max=int(per.max(initial=0)),
        rounds_used=int(len(set(colour.tolist()))),
        seconds=round(time.monotonic() - t0, 3),
        note=(
            "maximum flow of minimum cost: most meetings, then spread over mentees, then total "
            "score (scores rounded to 1/1000); König and de Werra edge colouring into rounds"
        ),
    )
    return Rotation(
        meetings=meetings,
        certificate=cert,
        rounds=rounds,
        tables=tables,
        unmet_mentees=[int(i) for i in np.nonzero(deg_e == 0)[0]],
    )


def rotation(
    instance: Instance,
    *,
    rounds: int,
    tables: int | None = None,
    met: set[tuple[str, str]] | None = None,
) -> Rotation:
    """The best rotation for an engine instance: the pairs its hard rules allow (regions,
    sector, languages, conflicts, forbidden pairs), scored as the engine scores them. Pairs in
    ``met`` (mentor id, mentee id), already met at an earlier event, are left out."""
    from jumelage import solve_large as L

    P = L.build_problem(instance)
    with L.single_threaded_blas():
        ei, mj = L.all_feasible_edges(P)
    if met:
        mi, xi = instance.mentor_index, instance.mentee_index
        gone = {mi[a] * P.n_e + xi[b] for a, b in met if a in mi and b in xi}
        keep = ~np.isin(mj.astype(np.int64) * P.n_e + ei, np.array(sorted(gone), np.int64))
        ei, mj = ei[keep], mj[keep]
    s = L.score_pairs(P, ei, mj) if len(ei) else np.zeros(0)
    return plan_rotation(P.n_e, P.n_m, ei, mj, s, rounds=rounds, tables=tables)


def check_rotation(
    rot: Rotation, allowed: set[tuple[int, int]], *, rounds: int, tables: int | None
) -> list[str]:
    """What is wrong with a rotation (empty when nothing): repeated or forbidden pairs, a person
    twice in one round, a round over the tables, a table used twice in one round."""
    out = []
    pairs = [(m.mentee, m.mentor) for m in rot.meetings]
    if len(set(pairs)) != len(pairs):
        out.append("repeated pair")
    if any(p not in allowed for p in pairs):
        out.append("forbidden pair")
    for r in range(rounds):
        here = [m for m in rot.meetings if m.round == r]
        if len({m.mentee for m in here}) != len(here) or len({m.mentor for m in here}) != len(here):
            out.append(f"someone twice in round {r}")
        if tables is not None and len(here) > tables:
            out.append(f"round {r} over the tables")
        if len({m.table for m in here}) != len(here):
            out.append(f"a table twice in round {r}")
        if tables is not None and any(m.table >= tables for m in here):
            out.append(f"no such table in round {r}")
    if any(not 0 <= m.round < rounds for m in rot.meetings):
        out.append("round out of range")
    return out

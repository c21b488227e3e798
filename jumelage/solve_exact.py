"""exact mode: the best groups, with a proof.

Objective, in this order (lexicographic):

1. match as many mentees as possible (coordinators want everyone placed);
2. among those matchings, maximise Σ pair scores + Σ shared-theme bonuses.

The linear part (pair scores, capacities, hard rules, "at most q mentees of one class per
group", locks, forbidden pairs) is a min-cost flow solved by OR-Tools as "maximum flow of
minimum cost", which is exactly that order:

    source → mentee (cap 1) → [mentor, class] (cap q − locked) → mentor (cap seats − locked) → sink

Scores become integer costs (× 10^6, rounded), so "optimal" is exact to 10^-6 per pair.
The shared-theme bonus couples mentees; for programs small enough (see ``CP_SAT_MAX_TERMS``) a
CP-SAT model adds it, keeps the flow's number of matches, starts from the flow solution and
returns the optimum or its best bound. Above that size the flow optimum, improved for groups
of 2 by jumelage.lagrange.better_groups (same number of matches), is returned with the
Lagrangian bound of jumelage.lagrange on every feasible pair (or, without time for it, the flow
optimum + the most bonus any grouping could add).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from jumelage.arrays import unique
from jumelage.explain import build_result
from jumelage.model import Instance, Result
from jumelage.rules import can_share_group, feasible_mask
from jumelage.scoring import pair_bonus, pair_scores

SCALE = 1_000_000
CP_SAT_MAX_PEOPLE = 600  # "programs up to ~500 people"
ENUMERATION_MAX = 2_000  # assignments: below this, every one is tried (no CP-SAT to load)
CP_SAT_MAX_TERMS = 400_000  # co-assignment variables; beyond this CP-SAT stalls on 2 cores
_BLOCK_CELLS = 4_000_000
FLOW_BATCH_EDGES = 500_000


@dataclass
class Edges:
    """Feasible pairs among free mentees and mentors with seats left."""

    mentor: np.ndarray
    mentee: np.ndarray
    score: np.ndarray
    cost: np.ndarray  # integer score, SCALE units


@dataclass
class Fixed:
    """What the locks already decide."""

    mentor_of: np.ndarray  # -1 where not locked
    seats_left: np.ndarray
    class_used: dict[tuple[int, int], int]


def fix_locks(inst: Instance) -> Fixed:
    a = inst.arrays
    mentor_of = np.full(a.n_mentees, -1, dtype=np.int64)
    mentor_of[a.lock_e] = a.lock_m
    seats = a.capacity - np.bincount(a.lock_m, minlength=a.n_mentors)
    used: dict[tuple[int, int], int] = {}
    for j, i in zip(a.lock_m.tolist(), a.lock_e.tolist(), strict=True):
        c = int(a.class_e[i])
        if c >= 0:
            used[(j, c)] = used.get((j, c), 0) + 1
    return Fixed(mentor_of, np.maximum(seats, 0), used)


def feasible_edges(inst: Instance, fixed: Fixed) -> Edges:
    """All allowed (mentor, mentee) pairs for the mentees still free, scored; built in blocks of
    mentees so that memory stays bounded at 20,000 × 10,000."""
    mentors = np.flatnonzero(fixed.seats_left > 0)
    free = np.flatnonzero(fixed.mentor_of < 0)
    parts_m, parts_e, parts_s = [], [], []
    if len(mentors) and len(free):
        step = max(1, _BLOCK_CELLS // len(mentors))
        for s in range(0, len(free), step):
            block = free[s : s + step]
            ok = feasible_mask(inst, mentors[None, :], block[:, None])
            ii, jj = np.nonzero(ok)
            if len(ii) == 0:
                continue
            # Score only the feasible pairs; a dense block product is faster when most are.
            if len(ii) > 0.3 * ok.size:
                scores = pair_scores(inst, mentors[None, :], block[:, None])[ii, jj]
            else:
                scores = pair_scores(inst, mentors[jj], block[ii])
            parts_m.append(mentors[jj])
            parts_e.append(block[ii])
            parts_s.append(scores)
    m = np.concatenate(parts_m) if parts_m else np.zeros(0, dtype=np.int64)
    e = np.concatenate(parts_e) if parts_e else np.zeros(0, dtype=np.int64)
    s = np.concatenate(parts_s) if parts_s else np.zeros(0)
    m, e, s = _drop_class_blocked(inst, fixed, m, e, s)
    return Edges(m, e, s, np.rint(s * SCALE).astype(np.int64))


def _drop_class_blocked(
    inst: Instance, fixed: Fixed, m: np.ndarray, e: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Remove edges into a group whose locked mentees already fill the mentee's class."""
    a = inst.arrays
    if not fixed.class_used or a.class_max == 0:
        return m, e, s
    full = [(j, c) for (j, c), n in fixed.class_used.items() if n >= a.class_max]
    if not full:
        return m, e, s
    keys = np.array([j * (a.n_mentees + 1) + c for j, c in full], dtype=np.int64)
    edge_keys = m * (a.n_mentees + 1) + a.class_e[e]
    keep = ~np.isin(edge_keys, keys) | (a.class_e[e] < 0)
    return m[keep], e[keep], s[keep]


@dataclass
class Network:
    """The flow network over all feasible edges (a solve may use a subset of the edge arcs).
    Fixed arcs (source → mentee, [mentor, class] → mentor, mentor → sink) cost 0."""

    n_nodes: int
    source: int
    sink: int
    supply: int
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    edge_tail: np.ndarray  # mentee node of each edge
    edge_head: np.ndarray  # [mentor, class] node or mentor node of each edge


def _network(inst: Instance, fixed: Fixed, edges: Edges) -> Network:
    a = inst.arrays
    free = unique(edges.mentee)
    mentors = unique(edges.mentor)
    source, sink = 0, 1
    mentee_node = np.full(a.n_mentees, -1, dtype=np.int64)
    mentee_node[free] = 2 + np.arange(len(free))
    mentor_node = np.full(a.n_mentors, -1, dtype=np.int64)
    mentor_node[mentors] = 2 + len(free) + np.arange(len(mentors))
    next_node = 2 + len(free) + len(mentors)
    target = mentor_node[edges.mentor].copy()
    tails = [np.full(len(free), source), mentor_node[mentors]]
    heads = [mentee_node[free], np.full(len(mentors), sink)]
    caps = [np.ones(len(free), dtype=np.int64), fixed.seats_left[mentors]]
    cls = a.class_e[edges.mentee]
    # The limit can only bind where it is below the group's full capacity.
    limited = (cls >= 0) & (a.class_max > 0) & (a.class_max < a.capacity[edges.mentor])
    if limited.any():
        # One node per (mentor, class) that the limit can bind, capping that class's inflow.
        width = int(cls.max()) + 1
        uniq, inverse = np.unique(edges.mentor[limited] * width + cls[limited], return_inverse=True)
        class_nodes = next_node + np.arange(len(uniq))
        next_node += len(uniq)
        target[limited] = class_nodes[inverse]
        um, uc = uniq // width, uniq % width
        used = [fixed.class_used.get((int(j), int(c)), 0) for j, c in zip(um, uc, strict=True)]
        tails.append(class_nodes)
        heads.append(mentor_node[um])
        caps.append(np.maximum(a.class_max - np.array(used, dtype=np.int64), 0))
    return Network(
        n_nodes=next_node,
        source=source,
        sink=sink,
        supply=len(free),
        tails=np.concatenate(tails),
        heads=np.concatenate(heads),
        caps=np.concatenate(caps),
        edge_tail=mentee_node[edges.mentee],
        edge_head=target,
    )


def _run_flow(net: Network, subset: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum flow of minimum cost using the edge arcs in ``subset``; returns the flows on the
    fixed arcs and on the subset's edge arcs."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    n_fixed = len(net.tails)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([net.tails, net.edge_tail[subset]]).astype(np.int32),
        np.concatenate([net.heads, net.edge_head[subset]]).astype(np.int32),
        np.concatenate([net.caps, np.ones(len(subset), dtype=np.int64)]),
        np.concatenate([np.zeros(n_fixed, dtype=np.int64), -cost[subset]]),
    )
    flow.set_node_supply(net.source, net.supply)
    flow.set_node_supply(net.sink, -net.supply)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # cannot happen on a well-formed network; say so rather than guess
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = flow.flows(np.arange(n_fixed + len(subset)))
    return flows[:n_fixed], flows[n_fixed:]


def solve_flow(inst: Instance, fixed: Fixed, edges: Edges) -> tuple[np.ndarray, int]:
    """Maximum matching of maximum total score for the linear part, over every feasible edge;
    returns the mentor of each mentee (locks included) and the number matched by the flow.

    Mentors and mentees that no chain of feasible pairs connects (other sectors, typically) do
    not interact, so the graph's connected components are solved apart, packed into batches of
    about ``FLOW_BATCH_EDGES`` edges: several small flows are much faster than one big one and
    give the same optimum."""
    mentor_of = fixed.mentor_of.copy()
    matched = 0
    for part in _component_batches(inst, edges):
        sub = Edges(edges.mentor[part], edges.mentee[part], edges.score[part], edges.cost[part])
        net = _network(inst, fixed, sub)
        subset = np.arange(len(part))
        _, edge_flow = _run_flow(net, subset, sub.cost)
        used = edge_flow > 0
        mentor_of[sub.mentee[used]] = sub.mentor[used]
        matched += int(used.sum())
    return mentor_of, matched


def _component_batches(inst: Instance, edges: Edges) -> list[np.ndarray]:
    """Edge indices grouped by connected component, components packed into batches."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if len(edges.mentor) == 0:
        return []
    if len(edges.mentor) < FLOW_BATCH_EDGES:
        # one batch holds every component: no graph to build (nor scipy.sparse.csgraph to load)
        return [np.arange(len(edges.mentor))]
    ne = inst.arrays.n_mentees
    n = ne + inst.arrays.n_mentors
    graph = coo_matrix(
        (np.ones(len(edges.mentor), dtype=np.int8), (edges.mentee, ne + edges.mentor)), shape=(n, n)
    )
    _, labels = connected_components(graph, directed=False)
    comp = labels[edges.mentee]
    batches: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    size = 0
    for _, group in _index_groups_by(comp):
        pending.append(group)
        size += len(group)
        if size >= FLOW_BATCH_EDGES:
            batches.append(np.sort(np.concatenate(pending)))
            pending, size = [], 0
    if pending:
        batches.append(np.sort(np.concatenate(pending)))
    return batches


def bonus_upper_bound(inst: Instance, fixed: Fixed) -> float:
    """Most shared-theme bonus any grouping could add: every possible mentee pair in every group
    at the largest bonus (Jaccard ≤ 1)."""
    seats = inst.arrays.capacity
    pairs = float((seats * (seats - 1) // 2).sum())
    return inst.weights.shared_themes * pairs


def solve(inst: Instance, *, time_limit: float = 30.0, seed: int = 0, lang: str = "fr") -> Result:
    start = time.perf_counter()
    fixed = fix_locks(inst)
    edges = feasible_edges(inst, fixed)
    wants_bonus = inst.weights.shared_themes > 0 and inst.policy.group_size >= 2
    people = inst.arrays.n_mentors + inst.arrays.n_mentees
    terms = (
        _bonus_terms(inst, fixed, edges) if wants_bonus and people <= CP_SAT_MAX_PEOPLE else None
    )
    flow_only = (
        terms is not None and len(terms[0]) == 0 and not _locked_pairs_have_bonus(inst, edges)
    )
    enumerate_all = (
        terms is not None and not flow_only and _enumeration_size(edges) <= ENUMERATION_MAX
    )
    if enumerate_all:
        # the enumeration below finds the lexicographic optimum by itself: no flow (and no
        # OR-Tools to load, a third of the pilot's start)
        mentor_of, matched, simple_bound = fixed.mentor_of.copy(), 0, np.inf
    else:
        mentor_of, matched = solve_flow(inst, fixed, edges)
        # Always-valid bound: the linear optimum plus the most bonus any grouping could add.
        linear = float(edges.score[mentor_of[edges.mentee] == edges.mentor].sum())
        simple_bound = linear + _locked_linear(inst) + bonus_upper_bound(inst, fixed)
    status, bound, solver, note = "optimal", None, "ortools-min-cost-flow", None
    if wants_bonus:
        if flow_only:
            pass  # no two mentees with a common theme can meet: the flow optimum is the optimum
        elif enumerate_all:
            # a handful of people (the pilot): every assignment, no CP-SAT to start
            mentor_of = _solve_enumeration(inst, fixed, edges)
            solver = "enumeration"
        elif terms is not None and len(terms[0]) <= CP_SAT_MAX_TERMS:
            # Keep a little time for the explanations that follow the search.
            reserve = min(2.0, 0.05 * time_limit)
            remaining = max(0.1, time_limit - reserve - (time.perf_counter() - start))
            mentor_of, status, bound, note = _solve_cp_sat(
                inst, fixed, edges, mentor_of, matched, terms, time_limit=remaining, seed=seed
            )
            solver = "cp-sat"
            if status != "optimal":
                bound = simple_bound if bound is None else min(bound, simple_bound)
        else:
            from jumelage.scoring import objective

            status, solver = "feasible", "ortools-min-cost-flow"
            bound = simple_bound
            groups = _groups(mentor_of)
            if objective(inst, groups) >= bound - 1e-9:
                status = "optimal"
            note = "program too large for the shared-theme model: flow optimum, bound adds the largest possible bonus"
    if wants_bonus and status != "optimal" and not len(inst.arrays.lock_e):
        before = mentor_of
        lagr, mentor_of = _lagrangian_bound(inst, edges, fixed, mentor_of, start, time_limit)
        if mentor_of is not before:
            note = (note + "; " if note else "") + (
                "then groups improved by a set-packing program on the groups the Lagrangian prices favour"
            )
        if lagr is not None and lagr < bound:
            bound = lagr
            note = (note + "; " if note else "") + "bound: Lagrangian relaxation of the groups"
            from jumelage.scoring import objective

            if objective(inst, _groups(mentor_of)) >= bound - 1e-9:
                status = "optimal"
    return build_result(
        inst,
        mentor_of,
        mode="exact",
        status=status,
        bound=bound,
        solver=solver,
        seconds=time.perf_counter() - start,
        seed=seed,
        note=note,
        lang=lang,
    )


def _lagrangian_bound(inst, edges, fixed, mentor_of, start, time_limit):
    """jumelage.lagrange on every feasible pair, within a quarter of the time left; then
    (groups of 2) ``lagrange.repack`` looks for better groups among those its prices favour,
    keeping the flow's number of matches, and more steps aim at the better objective.

    The scores are shifted by lam per match, as in large mode: L bounds Σ (s + lam) + Σ bonus
    of every matching, so L - lam × N bounds the score of every matching that places N mentees,
    N being the flow's (the most possible, which is what the certificate's bound is about).
    Returns (bound or None, mentor_of: the better of the given and the repacked groups)."""
    from jumelage.lagrange import better_groups, group_bound
    from jumelage.scoring import objective
    from jumelage.solve_large import bonus_cap, build_problem, shifted_prices

    left = time_limit - (time.perf_counter() - start)
    if left <= 0.2 or not len(edges.mentee):
        return None, mentor_of
    P = build_problem(inst)
    k = int(inst.policy.group_size)
    best_bonus = bonus_cap(P) * 2.0 / max(k - 1, 1)
    same_class = None
    if P.class_max == 1:

        def same_class(a, b):
            return (P.class_e[a] >= 0) & (P.class_e[a] == P.class_e[b])

    n_matched = int((mentor_of >= 0).sum())
    # start from the flow's duals (large mode's prices: mentor and class prices p, q and the
    # shift lam that make the flow a best matching of s + lam); each mentee's price is its best
    # reduced score
    ei, mj = edges.mentee, edges.mentor
    used = mentor_of[ei] == mj
    p, q, lam = shifted_prices(P, ei, mj, edges.score, used, P.capacity.copy(), {})
    shifted = edges.score + lam
    cls_col = np.where(P.class_e >= 0, P.class_e + 1, 0)
    u0 = np.zeros(inst.arrays.n_mentees)
    np.maximum.at(u0, ei, shifted - p[mj] - q[mj, cls_col[ei]])

    def steps(u_start, target, share):
        return group_bound(
            inst.arrays.n_mentees,
            edges.mentee,
            edges.mentor,
            shifted,
            fixed.seats_left,
            pair_bonus=lambda a, b: pair_bonus(inst, a, b),
            best_bonus=best_bonus,
            same_class=same_class,
            u0=u_start,
            target=target + lam * n_matched,
            iterations=150,
            deadline=time.monotonic() + share * left,
        )

    value = objective(inst, _groups(mentor_of))
    lg = steps(u0, value, 0.25)
    bound = lg.bound
    if k == 2:
        better, _ = better_groups(
            P,
            lg.fixed,
            lg.u,
            mentor_of,
            ei,
            mj,
            edges.score,
            P.capacity.copy(),
            deadline=time.monotonic() + 0.3 * left,
        )
        v = objective(inst, _groups(better))
        if int((better >= 0).sum()) == n_matched and v > value + 1e-9:
            mentor_of, value = better, v
            # Polyak's steps again, aimed at the better objective
            lg = steps(lg.u, value, 0.15)
            bound = min(bound, lg.bound)
    if not np.isfinite(bound):
        return None, mentor_of
    # float64 throughout; a hair of slack per mentee for the sums
    return bound - lam * n_matched + 1e-9 * inst.arrays.n_mentees * (1.0 + lam), mentor_of


def _enumeration_size(edges: Edges) -> int:
    """How many assignments (each free mentee to one of its mentors or none) there are."""
    if not len(edges.mentee):
        return 1
    degree = np.bincount(edges.mentee)
    size = 1
    for d in degree[degree > 0].tolist():
        size *= d + 1
        if size > ENUMERATION_MAX:
            break
    return size


def _solve_enumeration(inst: Instance, fixed: Fixed, edges: Edges) -> np.ndarray:
    """The lexicographic optimum (most mentees, then pair scores + bonus) over every assignment
    that keeps the seats and the class limit; ties go to the first found (deterministic)."""
    from jumelage.scoring import objective

    a = inst.arrays
    free = unique(edges.mentee).tolist()
    options = {i: edges.mentor[edges.mentee == i].tolist() for i in free}
    seats = fixed.seats_left.astype(np.int64).copy()
    used = dict(fixed.class_used)
    mentor_of = fixed.mentor_of.copy()
    best: list = [(-1, -np.inf), mentor_of.copy()]

    def walk(n: int, count: int) -> None:
        if n == len(free):
            value = objective(inst, _groups(mentor_of))
            if (count, value) > best[0]:
                best[0], best[1] = (count, value + 0.0), mentor_of.copy()
            return
        i = free[n]
        c = int(a.class_e[i])
        for j in options[i]:
            if seats[j] <= 0:
                continue
            if c >= 0 and a.class_max > 0 and used.get((j, c), 0) >= a.class_max:
                continue
            seats[j] -= 1
            if c >= 0:
                used[(j, c)] = used.get((j, c), 0) + 1
            mentor_of[i] = j
            walk(n + 1, count + 1)
            mentor_of[i] = -1
            seats[j] += 1
            if c >= 0:
                used[(j, c)] -= 1
        walk(n + 1, count)

    walk(0, 0)
    return best[1]


def _groups(mentor_of: np.ndarray) -> list[tuple[int, list[int]]]:
    groups: dict[int, list[int]] = {}
    for i, j in enumerate(mentor_of.tolist()):
        if j >= 0:
            groups.setdefault(j, []).append(i)
    return sorted(groups.items())


def _locked_linear(inst: Instance) -> float:
    a = inst.arrays
    return float(pair_scores(inst, a.lock_m, a.lock_e).sum()) if len(a.lock_m) else 0.0


def _locked_pairs_have_bonus(inst: Instance, edges: Edges) -> bool:
    """Whether a locked mentee could gain a bonus with someone (locked or free) in its group."""
    a = inst.arrays
    for j in unique(a.lock_m):
        locked = a.lock_e[a.lock_m == j]
        others = np.concatenate([locked, edges.mentee[edges.mentor == j]])
        aa, bb = np.meshgrid(locked, others, indexing="ij")
        mask = aa != bb
        if np.any(pair_bonus(inst, aa[mask], bb[mask]) > 0):
            return True
    return False


def _bonus_terms(
    inst: Instance, fixed: Fixed, edges: Edges
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Co-assignment terms z = x[a, j] ∧ x[b, j] worth a positive bonus: (edge of a, edge of b,
    mentor, bonus in SCALE units). Only pairs that can share a group are kept."""
    ea, eb, js, bs = [], [], [], []
    order = np.argsort(edges.mentor, kind="stable")
    bounds = np.searchsorted(edges.mentor[order], np.arange(inst.arrays.n_mentors + 1))
    for j in range(inst.arrays.n_mentors):
        idx = order[bounds[j] : bounds[j + 1]]
        if len(idx) < 2 or fixed.seats_left[j] < 2:
            continue
        x, y = np.triu_indices(len(idx), k=1)
        a_, b_ = edges.mentee[idx[x]], edges.mentee[idx[y]]
        bonus = np.rint(pair_bonus(inst, a_, b_) * SCALE).astype(np.int64)
        keep = (bonus > 0) & can_share_group(inst, a_, b_)
        ea.append(idx[x][keep])
        eb.append(idx[y][keep])
        js.append(np.full(int(keep.sum()), j))
        bs.append(bonus[keep])
    if not ea:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    return np.concatenate(ea), np.concatenate(eb), np.concatenate(js), np.concatenate(bs)


def _solve_cp_sat(
    inst: Instance,
    fixed: Fixed,
    edges: Edges,
    flow_mentor_of: np.ndarray,
    matched: int,
    terms: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    time_limit: float,
    seed: int,
) -> tuple[np.ndarray, str, float | None, str | None]:
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    a = inst.arrays
    model = cp_model.CpModel()
    n = len(edges.mentor)
    x = [model.new_bool_var(f"x{k}") for k in range(n)]
    gain = edges.cost.copy()  # bonus with locked group members is linear in x
    for j in unique(a.lock_m):
        on_j = np.flatnonzero(edges.mentor == j)
        for i in a.lock_e[a.lock_m == j]:
            b = np.rint(pair_bonus(inst, np.full(len(on_j), i), edges.mentee[on_j]) * SCALE).astype(
                np.int64
            )
            ok = can_share_group(inst, np.full(len(on_j), i), edges.mentee[on_j])
            gain[on_j] += np.where(ok, b, 0)
    for group in _index_groups(edges.mentee):
        model.add_at_most_one(x[k] for k in group)
    for j, group in _index_groups_by(edges.mentor):
        model.add(sum(x[k] for k in group) <= int(fixed.seats_left[j]))
    if a.class_max > 0:
        cls = a.class_e[edges.mentee]
        keys = edges.mentor * (int(cls.max(initial=0)) + 1) + cls
        for key, group in _index_groups_by(np.where(cls >= 0, keys, -1)):
            if key < 0:
                continue
            j, c = divmod(int(key), int(cls.max(initial=0)) + 1)
            room = a.class_max - fixed.class_used.get((j, c), 0)
            if room < len(group):
                model.add(sum(x[k] for k in group) <= room)
    # Keep the flow's number of matches: the count comes first in the objective.
    model.add(sum(x) == matched)
    ea, eb, _, bs = terms
    z = [model.new_bool_var(f"z{t}") for t in range(len(ea))]
    for t in range(len(ea)):
        model.add_implication(z[t], x[int(ea[t])])
        model.add_implication(z[t], x[int(eb[t])])
    model.maximize(
        cp_model.LinearExpr.weighted_sum(x + z, [int(v) for v in gain] + [int(v) for v in bs])
    )

    def value_of(chosen: np.ndarray) -> int:
        return int(gain[chosen].sum() + bs[chosen[ea] & chosen[eb]].sum())

    chosen = flow_mentor_of[edges.mentee] == edges.mentor
    lp, lp_x = lp_bound(inst, fixed, edges, gain, matched, terms, time_limit=0.5 * time_limit)
    if lp_x is not None:
        # Round the LP: a flow whose edge weights carry the LP's share of each pair bonus often
        # finds the groups that the bonus favours, a much better start than the linear optimum.
        share = gain.astype(np.float64)
        np.add.at(share, ea, 0.5 * bs * lp_x[n:])
        np.add.at(share, eb, 0.5 * bs * lp_x[n:])
        rounded_edges = Edges(
            edges.mentor, edges.mentee, edges.score, np.rint(share).astype(np.int64)
        )
        rounded, _ = solve_flow(inst, fixed, rounded_edges)
        candidate = rounded[edges.mentee] == edges.mentor
        if candidate.sum() == chosen.sum() and value_of(candidate) > value_of(chosen):
            chosen, flow_mentor_of = candidate, rounded
    hint_value = value_of(chosen)
    for k in range(n):
        model.add_hint(x[k], bool(chosen[k]))
    for t in range(len(ea)):
        model.add_hint(z[t], bool(chosen[ea[t]] and chosen[eb[t]]))
    remaining = max(0.5, time_limit - (time.perf_counter() - started))

    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = 2
    p.interleave_search = True  # same search for a given seed, whatever the machine load
    p.random_seed = seed
    p.max_deterministic_time = remaining
    p.max_time_in_seconds = remaining
    status = solver.solve(model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    note = None
    if status != cp_model.OPTIMAL and solver.deterministic_time < 0.99 * remaining:
        note = "stopped by the wall-clock time limit: another run may return another solution"
    if found and solver.objective_value >= hint_value:
        mentor_of = fixed.mentor_of.copy()
        picked = np.array([solver.boolean_value(v) for v in x], dtype=bool)
        mentor_of[edges.mentee[picked]] = edges.mentor[picked]
        value = solver.objective_value
    else:  # CP-SAT had no time to improve on (or even to load) the flow solution
        mentor_of, value = flow_mentor_of, hint_value
    if status == cp_model.OPTIMAL:
        return mentor_of, "optimal", None, None
    bounds = [b for b in (lp, solver.best_objective_bound if found else None) if b is not None]
    if not bounds:
        return mentor_of, "feasible", None, note
    best_bound = min(bounds)
    if best_bound <= value + 1.5:  # the LP bound carries +1 unit of slack
        return mentor_of, "optimal", None, None
    # Bound of the free part plus what the locks contribute for sure.
    from jumelage.scoring import objective

    constant = objective(inst, _groups(fixed.mentor_of))
    return mentor_of, "feasible", best_bound / SCALE + constant, note


def lp_bound(
    inst: Instance,
    fixed: Fixed,
    edges: Edges,
    gain: np.ndarray,
    matched: int,
    terms: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    time_limit: float,
) -> tuple[float | None, np.ndarray | None]:
    """Upper bound (SCALE units, free part only) and solution of the LP relaxation of the bonus model,
    tightened by "a mentee placed with mentor j has at most seats − 1 mates", solved by HiGHS.
    CP-SAT's own bound can lag far behind on 2 loaded cores; this one costs about a second."""
    from scipy import sparse
    from scipy.optimize import linprog

    a = inst.arrays
    n = len(edges.mentor)
    ea, eb, _, bs = terms
    t_count = len(ea)
    if n == 0:
        return 0.0, None
    rows, cols, vals, rhs = [], [], [], []

    def add(members: np.ndarray, coefs: np.ndarray, bound: float) -> None:
        r = len(rhs)
        rows.append(np.full(len(members), r))
        cols.append(members)
        vals.append(coefs)
        rhs.append(bound)

    for group in _index_groups(edges.mentee):
        add(group, np.ones(len(group)), 1.0)
    for j, group in _index_groups_by(edges.mentor):
        add(group, np.ones(len(group)), float(fixed.seats_left[j]))
    if a.class_max > 0:
        cls = a.class_e[edges.mentee]
        width = int(cls.max(initial=0)) + 1
        for key, group in _index_groups_by(np.where(cls >= 0, edges.mentor * width + cls, -1)):
            if key >= 0:
                j, c = divmod(key, width)
                add(
                    group, np.ones(len(group)), float(a.class_max - fixed.class_used.get((j, c), 0))
                )
    t_idx = np.arange(t_count)
    for side in (ea, eb):  # z_t <= x of each of its two edges
        r0 = len(rhs)
        rows.append(np.concatenate([r0 + t_idx, r0 + t_idx]))
        cols.append(np.concatenate([n + t_idx, side]))
        vals.append(np.concatenate([np.ones(t_count), -np.ones(t_count)]))
        rhs.extend([0.0] * t_count)
    ends = np.concatenate([ea, eb])
    for k, ts in _index_groups_by(ends):
        ts = ts % t_count if t_count else ts
        mates = float(fixed.seats_left[edges.mentor[k]] - 1)
        add(np.append(n + ts, k), np.append(np.ones(len(ts)), -mates), 0.0)
    a_ub = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(len(rhs), n + t_count),
    )
    a_eq = sparse.csr_matrix(np.append(np.ones(n), np.zeros(t_count))[None, :])
    c = -np.concatenate([gain, bs]).astype(np.float64)
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=np.array(rhs),
        A_eq=a_eq,
        b_eq=[float(matched)],
        bounds=(0, 1),
        method="highs",
        options={"time_limit": max(0.5, time_limit)},
    )
    if res.status != 0:
        return None, None
    # Dual-feasible tolerance of HiGHS is ~1e-7; widen a little so the bound stays valid.
    return -res.fun * (1 + 1e-7) + 1.0, res.x


def _index_groups(keys: np.ndarray) -> list[np.ndarray]:
    return [g for _, g in _index_groups_by(keys)]


def _index_groups_by(keys: np.ndarray) -> list[tuple[int, np.ndarray]]:
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    uniq, starts = np.unique(keys[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    return [(int(u), order[s:e]) for u, s, e in zip(uniq, starts, ends, strict=True)]

"""The A* bound: a lower bound, in the ranking's own order, on what entering the goal still costs.

A relaxed problem, as classical planners use: whatever the path, the person
enters the goal meeting one term of its tree (its disjunctive form, over
credential, experience and role leaves). Then

* each credential of that term not held yet is earned on the way, and costs at
  least the cheapest credential that satisfies it (its months, its unknowns,
  one credential), prerequisites dropped;
* each experience or role leaf not met yet costs at least the months still
  short and, when the person is not in a role that counts, one more step into
  such a role and that role's own credentials (again at their cheapest, leaving
  out any the goal's term already counts). Months in one role count for several
  leaves at once, so of these leaves only the dearest is added.

Its cost never exceeds the true one, so A* stays exact. The bound is a vector of
all five counts, not months alone: a ranking that puts unknowns first would
otherwise search every path with fewer unknowns before any that reaches the
goal. Vectors compared in order form an ordered group (a >= b and c >= d give
a + c >= b + d), so per-credential minima add up to a lower bound. Members of
a term that one credential can satisfy (other names, counts-as, includes) form
one group and cost their dearest member once: one credential earned for both is
never counted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import AllOf, AnyOf, CredentialReq, ExperienceReq, Requirement, RoleReq
from .state import MAX_OPTIONS, ORDERS, State, _ordered


@dataclass(frozen=True)
class _Term:
    creds: frozenset[str]
    leaves: frozenset[Requirement]  # experience and role requirements


def terms(req: Requirement | None) -> list[_Term]:
    """The tree's disjunctive form: the ways to meet it, each a set of leaves (at most ``MAX_OPTIONS``)."""
    if req is None:
        return [_Term(frozenset(), frozenset())]
    if isinstance(req, AllOf):
        out = [_Term(frozenset(), frozenset())]
        for m in req.members:
            sub = terms(m)
            out = list({_Term(a.creds | b.creds, a.leaves | b.leaves) for a in out for b in sub})[:MAX_OPTIONS]
        return out
    if isinstance(req, AnyOf):
        found = [t for m in req.members for t in terms(m)]
        return found or [_Term(frozenset(), frozenset())]
    if isinstance(req, CredentialReq):
        return [_Term(frozenset({req.credential}), frozenset())]
    if isinstance(req, (ExperienceReq, RoleReq)):
        return [_Term(frozenset(), frozenset({req}))]
    return [_Term(frozenset(), frozenset())]  # continuing education: never an entry condition


def goal_bound(search, goal: str, optimize: str) -> Callable[[State], tuple]:
    """A function of a state giving a lower bound (ordered as ``ORDERS[optimize]``) on the cost still to come."""
    zero = (0,) * len(ORDERS[optimize])
    one_step = _ordered((0.0, 0, 0, 0, 1), optimize)
    tree = search.entry_tree(search.model.roles[goal])
    goal_terms = terms(tree)
    if len(goal_terms) >= MAX_OPTIONS:  # truncated: a minimum over part of the terms could overestimate
        return lambda state: one_step if state.role != goal else zero
    satisfiers = search._satisfiers
    creds = search.model.credentials
    cheapest: dict[str, tuple] = {}

    def cost_of(c: str) -> tuple:
        found = cheapest.get(c)
        if found is None:
            def own(e: str) -> tuple:
                d = search.duration(e)
                cred = creds.get(e)
                unknown = (d is None) + bool(cred is not None and cred.requirements_unrecorded)
                return _ordered((d.typical if d is not None else 0.0, 0, unknown, 1, 0), optimize)
            found = cheapest[c] = min(own(e) for e in satisfiers.get(c, (c,)))
        return found

    def sat(c: str) -> frozenset[str]:
        return satisfiers.get(c, frozenset({c}))

    def add(a: tuple, b: tuple) -> tuple:
        return tuple(x + y for x, y in zip(a, b, strict=True))

    leaf_sets: dict[tuple, _Candidates] = {}

    def candidates(leaf: Requirement, roles: frozenset[str], skip: frozenset[str]) -> _Candidates:
        key = (leaf.id, skip)
        found = leaf_sets.get(key)
        if found is None:
            ways = []
            for rid in sorted(roles):
                role_terms = terms(search.entry_tree(search.model.roles[rid]))
                if len(role_terms) >= MAX_OPTIONS:  # too many ways to list: this role costs nothing here
                    ways = [[]]
                    break
                for t in role_terms:
                    members = sorted(c for c in t.creds if skip.isdisjoint(sat(c)))
                    ways.append([[(cost_of(c), sat(c)) for c in g] for g in _groups(members, satisfiers)])
            found = leaf_sets[key] = _Candidates(ways, zero)
        return found

    def leaf_cost(leaf: Requirement, state: State, skip: frozenset[str], before: frozenset[str] | None) -> tuple:
        if isinstance(leaf, RoleReq):
            roles = frozenset({leaf.role}) - {goal}
            if leaf.role in state.roles_held or not roles or leaf.role not in search.model.roles:
                return zero
            short = 0.0
        else:
            roles = search.matching_roles(leaf) - {goal}
            if not roles:
                return zero  # outside the graph: nothing on the way provides it (counted as 0 here)
            if leaf.min_months is None:
                if state.role in roles or (leaf.within_months is None and not roles.isdisjoint(state.roles_held)):
                    return zero
                short = 0.0
            else:
                short = leaf.min_months - search.experience_have(state, leaf)
                if short <= 0:
                    return zero
            if state.role in roles:
                return _ordered((short, 0, 0, 0, 0), optimize)
        entry = candidates(leaf, roles, skip).least(state.held, before)
        return add(_ordered((short, 0, 0, 0, 1), optimize), entry)

    prepared = []
    for t in goal_terms:
        skip = frozenset().union(*(sat(c) for c in t.creds)) if t.creds else frozenset()
        prepared.append((_Candidates([[[(cost_of(c), sat(c)) for c in g] for g in _groups(sorted(t.creds), satisfiers)]],
                                     zero), tuple(t.leaves), skip))
    cache: dict[State, tuple] = {}

    def bound(state: State, parent: State | None = None) -> tuple:
        """The bound at ``state``; ``parent``, the state it was reached from, lets the dearest part
        (the cheapest way into a role that counts) be updated for what the step earned, not recomputed."""
        if state.role == goal:
            return zero
        found = cache.get(state)
        if found is None:
            best = None
            for own, leaves, skip in prepared:
                total = add(one_step, own.cost(0, state.held & skip))
                if best is not None and total >= best:
                    continue
                before = parent.held if parent is not None and parent.held <= state.held else None
                extra = max((leaf_cost(leaf, state, skip, before) for leaf in leaves), default=zero)
                total = add(total, extra)
                if best is None or total < best:
                    best = total
            found = cache[state] = best
            if len(cache) > 500_000:
                cache.clear()
        return found

    return bound


class _Candidates:
    """The ways into the roles that can meet one experience or role leaf, each as groups of
    (cost, satisfiers) of its credentials; the least cost of any, for a set of credentials held.

    A search asks for the least cost at every state it reaches, and most states differ from
    the one they came from by the few credentials one step earned: the ways sorted by cost
    for the earlier set are kept, and only the ways those credentials touch are recomputed.
    """

    def __init__(self, ways: list[list[list[tuple]]], zero: tuple) -> None:
        self.ways = ways
        self.zero = zero
        self.touches: dict[str, list[int]] = {}  # credential -> the ways holding it lowers
        for i, way in enumerate(ways):
            for group in way:
                for _, satisfied_by in group:
                    for c in satisfied_by:
                        self.touches.setdefault(c, []).append(i)
        self.sorted: dict[frozenset[str], list[tuple]] = {}

    def cost(self, i: int, held: frozenset[str]) -> tuple:
        total = self.zero
        for group in self.ways[i]:
            dearest = max((cost for cost, satisfied_by in group if held.isdisjoint(satisfied_by)), default=None)
            if dearest is not None:
                total = tuple(x + y for x, y in zip(total, dearest, strict=True))
        return total

    def _ranked(self, held: frozenset[str]) -> list[tuple]:
        found = self.sorted.get(held)
        if found is None:
            if len(self.sorted) > 4096:
                self.sorted.clear()
            found = self.sorted[held] = sorted((self.cost(i, held), i) for i in range(len(self.ways)))
        return found

    def least(self, held: frozenset[str], before: frozenset[str] | None = None) -> tuple:
        if not self.ways:
            return self.zero
        if before is None or before == held:
            return self._ranked(held)[0][0]
        touched = {i for c in held - before for i in self.touches.get(c, ())}
        best = None
        for cost, i in self._ranked(before):  # the cheapest way the step did not touch
            if i not in touched:
                best = cost
                break
        for i in touched:
            cost = self.cost(i, held)
            if best is None or cost < best:
                best = cost
        return best


def _groups(members: list[str], satisfiers: dict) -> list[list[str]]:
    """``members`` split into groups no credential satisfies across (union of overlapping satisfier sets)."""
    groups: list[tuple[set[str], list[str]]] = []
    for c in members:
        sat = set(satisfiers.get(c, (c,)))
        joined = [g for g in groups if not g[0].isdisjoint(sat)]
        for g in joined:
            groups.remove(g)
            sat |= g[0]
        groups.append((sat, [c, *(m for g in joined for m in g[1])]))
    return [g[1] for g in groups]

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

    def creds_cost(groups: list[list[str]], held: frozenset[str], skip: frozenset[str]) -> tuple:
        total = zero
        for group in groups:
            dearest = max((cost_of(c) for c in group if held.isdisjoint(sat(c)) and skip.isdisjoint(sat(c))),
                          default=None)
            if dearest is not None:
                total = add(total, dearest)
        return total

    entry_groups: dict[str, list[list[list[str]]] | None] = {}

    def role_entry(rid: str) -> list[list[list[str]]] | None:
        """The credential groups of each way into ``rid`` (None: too many ways to list)."""
        if rid not in entry_groups:
            role_terms = terms(search.entry_tree(search.model.roles[rid]))
            entry_groups[rid] = (None if len(role_terms) >= MAX_OPTIONS
                                 else [_groups(sorted(t.creds), satisfiers) for t in role_terms])
        return entry_groups[rid]

    def leaf_cost(leaf: Requirement, state: State, skip: frozenset[str]) -> tuple:
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
        best = None
        for rid in roles:
            for groups in role_entry(rid) or [[]]:
                c = creds_cost(groups, state.held, skip)
                if best is None or c < best:
                    best = c
        return add(_ordered((short, 0, 0, 0, 1), optimize), best or zero)

    prepared = []
    for t in goal_terms:
        skip = frozenset().union(*(sat(c) for c in t.creds)) if t.creds else frozenset()
        prepared.append((_groups(sorted(t.creds), satisfiers), tuple(t.leaves), skip))
    cache: dict[State, tuple] = {}

    def bound(state: State) -> tuple:
        if state.role == goal:
            return zero
        found = cache.get(state)
        if found is None:
            best = None
            for groups, leaves, skip in prepared:
                total = add(one_step, creds_cost(groups, state.held, frozenset()))
                if best is not None and total >= best:
                    continue
                extra = max((leaf_cost(leaf, state, skip) for leaf in leaves), default=zero)
                total = add(total, extra)
                if best is None or total < best:
                    best = total
            found = cache[state] = best
            if len(cache) > 500_000:
                cache.clear()
        return found

    return bound


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

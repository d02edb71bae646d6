"""The A* bound: a lower bound, in the ranking's own order, on what entering the goal still costs.

A relaxed problem, as classical planners use: whatever the path, the person
enters the goal meeting one term of its tree (its disjunctive form, over
credential, experience and role leaves). Then

* each credential of that term not held yet is earned on the way, and costs at
  least the cheapest credential that satisfies it (its months, its unknowns,
  one credential), and so does what every way of earning it asks first (a
  prerequisite, or one of an any-of of them at the cheapest, ``_clauses``);
* each experience or role leaf not met yet costs at least the months still
  short and, when the person is not in a role that counts, one more step into
  such a role, that role's own credentials (again at their cheapest, leaving
  out any the goal's term already counts, itself or as a prerequisite: one
  credential earned is counted once) and the months its own experience leaves
  still ask; for such a leaf, when the person is not in a role that counts for
  it either, one step more and the least a way into such a role asks: its
  credentials (leaving out those counted nearer the goal) and its months still
  short (``Candidates``). Months in one role count for several leaves at once, so of
  these leaves only the dearest is added.

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
from .candidates import Candidates, guarded
from .state import MAX_OPTIONS, ORDERS, State, _ordered

DEEP_WAYS = 16  # the most ways into roles two below a leaf whose credentials the bound counts (``below``)


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
        def steps_only(state: State, parent: State | None = None) -> tuple:
            return one_step if state.role != goal else zero
        steps_only.quick = steps_only
        steps_only.reads = lambda: (frozenset(), frozenset({goal}))
        return steps_only
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

    def sat_any(item: frozenset[str]) -> frozenset[str]:
        """The credentials that meet ``item``, a set of credentials one of which is asked for."""
        return frozenset().union(*(sat(c) for c in item))

    def cost_any(item: frozenset[str]) -> tuple:
        return min(cost_of(c) for c in item)

    mandatory: dict[str, tuple[frozenset[str], ...]] = {}

    def prerequisites(c: str) -> tuple[frozenset[str], ...]:
        """What every way of earning ``c`` asks for first (its only satisfier, itself, earned), as sets of
        credentials one of which it asks for (``_clauses``); none when another credential can stand for it."""
        found = mandatory.get(c)
        if found is None:
            found = ()
            cred = creds.get(c)
            if sat(c) == {c} and cred is not None and cred.requires is not None:
                found = tuple(sorted(_clauses(cred.requires), key=sorted))
            mandatory[c] = found
        return found

    def item_prerequisites(item: frozenset[str]) -> tuple[frozenset[str], ...]:
        """What every way of earning ``item`` (one credential, or one of several) asks for first: for
        several, the sets every member asks for (whichever is earned, one credential of each such set
        is earned first). An item of two programs that each ask for a diploma asks for a diploma.

        The set ``_clauses`` would join from one set of each member is left out: it shares credentials
        with the members, so ``_groups`` would put it in one group with them, and a group costs its
        dearest member alone (a diploma's unknown length would stand for a program's months)."""
        if len(item) == 1:
            return prerequisites(next(iter(item)))
        each = [prerequisites(c) for c in sorted(item)]
        return tuple(c for c in each[0] if all(c in other for other in each[1:]))

    def groups_for(members: list[str], skip: frozenset[str] = frozenset()) -> list[list[tuple]]:
        """``members`` and, transitively, the prerequisites each needs, as groups of (cost, guards): an
        item (one credential, or a set of credentials one of which is asked for) counts while, for one of
        its guards, nothing in it is held (the guard holds the item's satisfiers and those of every
        credential on one chain of credentials that needs it). An item a credential in ``skip`` can
        satisfy is left out: that credential is counted elsewhere. An item of several credentials costs
        the cheapest of them, and asks for what every one of them asks for (``item_prerequisites``)."""
        items = expand(members, skip)
        return members_only(members, skip) if items is None else grouped_items(items)

    def members_only(members: list[str], skip: frozenset[str]) -> list[list[tuple]]:
        """``groups_for`` past very long chains: the members alone bound it."""
        kept = [frozenset({m}) for m in members if skip.isdisjoint(sat(m))]
        return [[(cost_any(m), (sat_any(m),)) for m in g] for g in _groups(kept, sat_any)]

    def grouped_items(items: dict[frozenset[str], set[frozenset[str]]]) -> list[list[tuple]]:
        return [[(cost_any(m), tuple(items[m])) for m in g] for g in _groups(sorted(items, key=sorted), sat_any)]

    def expand(members: list[str], skip: frozenset[str]) -> dict[frozenset[str], set[frozenset[str]]] | None:
        """``groups_for``'s items, each with its guards; None past 256 guards' credentials in all."""
        items: dict[frozenset[str], set[frozenset[str]]] = {}
        todo = [(frozenset({c}), frozenset()) for c in members]
        while todo:
            item, above = todo.pop()
            item_sat = sat_any(item)
            if not skip.isdisjoint(item_sat):
                continue
            guard = item_sat | above
            guards = items.setdefault(item, set())
            if any(g <= guard for g in guards):  # a chain as short is known: this one adds nothing
                continue
            guards.add(guard)
            if sum(len(g) for g in items.values()) > 256:
                return None
            for p in item_prerequisites(item):
                todo.append((p, guard))
        return items

    def goal_groups(members: list[str]) -> tuple[list[list[tuple]], frozenset[str], frozenset[str]]:
        """``groups_for`` of a way into the goal, (groups, what a way into a role that counts leaves out,
        every credential the groups' guards read). An item another item of it implies (whatever satisfies
        the other satisfies it, so it costs no more and is held whenever the other is) is left out, and
        so are its satisfiers from what a way further down leaves out: a licence that asks for a
        certificate or the degree the goal asks for itself counts the degree, not the certificate, which
        a way into a role further down may then count."""
        items = expand(members, frozenset())
        if items is None:
            own = members_only(members, frozenset())
            reads = guarded(own)
            return own, reads, reads
        sats = {i: sat_any(i) for i in items}
        order = sorted(items, key=lambda i: (len(sats[i]), sorted(i)))
        kept = {i: items[i] for n, i in enumerate(order) if not any(sats[j] <= sats[i] for j in order[:n])}
        reads = frozenset().union(*(guard for guards in items.values() for guard in guards))
        return grouped_items(kept), frozenset().union(*(sats[i] for i in kept)), reads

    def add(a: tuple, b: tuple) -> tuple:
        return tuple(x + y for x, y in zip(a, b, strict=True))

    leaf_sets: dict[tuple, Candidates] = {}

    def candidates(leaf: Requirement, roles: frozenset[str], skip: frozenset[str]) -> Candidates:
        key = (leaf.id, skip)
        found = leaf_sets.get(key)
        if found is None:
            ways = []
            for rid in sorted(roles):
                role_terms = terms(search.entry_tree(search.model.roles[rid]))
                if len(role_terms) >= MAX_OPTIONS:  # too many ways to list: this role costs nothing here
                    ways = [([], ())]
                    break
                for t in role_terms:
                    groups = groups_for(sorted(t.creds), skip)
                    # what comes before the step into the role: the months the way's own experience leaves
                    # still ask, and the way into a role that counts for each (its credentials leaving out
                    # those counted here and at the goal)
                    counted = skip | guarded(groups)
                    months = tuple((*ask, below(x, rid, skip), counted) for x, ask in asks(t))
                    ways.append((groups, months))
            found = leaf_sets[key] = Candidates(ways, zero, _ordered((1.0, 0, 0, 0, 0), optimize), one_step)
        return found

    def asks(t: _Term) -> list[tuple[ExperienceReq, tuple]]:
        """A way's experience leaves that ask for months, each with (months, roles that count, window)."""
        return [(x, (float(x.min_months), search.matching_roles(x), x.within_months is not None))
                for x in t.leaves if isinstance(x, ExperienceReq) and x.min_months]

    belows: dict[tuple[str, str, frozenset[str]], tuple | None] = {}  # what ``below`` gave
    ways_below: dict[tuple[str, str], tuple | None] = {}  # what ``ways_into`` gave

    def below(leaf: ExperienceReq, into: str, skip: frozenset[str]) -> tuple | None:
        """What must come before the first step into a role that counts for ``leaf`` (an experience
        leaf of a way into role ``into``, so all of it comes before the step into ``into``): None when
        no role on the way counts but ``into`` itself (the months come from outside, as ``options``
        takes them: ``is_outside``), or the goal; else one step, and the ways into those roles, as a
        tuple of (the (months, roles, window) of its experience leaves, groups of its credentials and
        their prerequisites as ``groups_for`` gives them, leaving out any a credential in ``skip``
        satisfies); () when some way asks nothing, or there are too many roles to list. What the way
        into ``into`` counts is left out when the cost is worked out (``Candidates.before``). Past
        ``DEEP_WAYS`` ways, their credentials are left out (none counted is a lower bound too): the bound
        is worked out at every state, and a setting many roles give has hundreds of ways in."""
        found = belows.get((leaf.id, into, skip), False)
        if found is False:
            raw = ways_into(leaf, into)
            found = raw if not raw else tuple((months, way_groups(creds, skip) if len(raw) <= DEEP_WAYS else ())
                                              for months, creds in raw)
            belows[leaf.id, into, skip] = found
        return found

    grouped: dict[tuple, tuple] = {}

    def way_groups(creds: tuple[str, ...], skip: frozenset[str]) -> tuple:
        """``groups_for`` of a way's credentials, as tuples, once a search (many ways ask the same)."""
        found = grouped.get((creds, skip))
        if found is None:
            found = grouped[creds, skip] = tuple(tuple(g) for g in groups_for(list(creds), skip))
        return found

    def ways_into(leaf: ExperienceReq, into: str) -> tuple | None:
        """``below``'s ways before their credentials are grouped: (months asked, credentials asked)."""
        if (leaf.id, into) not in ways_below:
            roles = search.matching_roles(leaf) - {goal, into}
            found: tuple | None = None
            if roles:
                ways_in: set[tuple] = set()
                for rid in sorted(roles) if len(roles) <= 64 else ():
                    role_terms = terms(search.entry_tree(search.model.roles[rid]))
                    if len(role_terms) >= MAX_OPTIONS:
                        ways_in = set()
                        break
                    for t in role_terms:
                        months = tuple(sorted(ask for _, ask in asks(t)))
                        if not months and not t.creds:  # a way in that asks nothing: the step alone
                            ways_in = set()
                            break
                        ways_in.add((months, tuple(sorted(t.creds))))
                    else:
                        continue
                    break
                found = tuple(sorted(ways_in, key=repr))
            ways_below[leaf.id, into] = found
        return ways_below[leaf.id, into]

    def leaf_cost(leaf: Requirement, state: State, skip: frozenset[str], before: State | None) -> tuple:
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
        entry = candidates(leaf, roles, skip).least(state, before)
        return add(_ordered((short, 0, 0, 0, 1), optimize), entry)

    prepared = []
    term_reads: dict[int, frozenset[str]] = {}  # by term: the credentials its groups' guards read
    for n, t in enumerate(goal_terms):
        # what the term counts, prerequisites too: a way into a role that counts leaves it out
        own, skip, term_reads[n] = goal_groups(sorted(t.creds))
        prepared.append((Candidates([(own, ())], zero, zero, zero), tuple(t.leaves), skip))
    cache: dict[State, tuple] = {}
    quick_cache: dict[frozenset[str], tuple] = {}  # it depends on the credentials held only, of the goal's
    quick_reads = frozenset().union(*term_reads.values())  # (what the goal's terms' guards read)

    def quick(state: State) -> tuple:
        """A part of ``bound`` that is cheap to compute and never more than it: the step into the goal
        and the goal's own credentials (the dearest part, the way into a role that counts, left out)."""
        if state.role == goal:
            return zero
        held = state.held & quick_reads
        found = quick_cache.get(held)
        if found is None:
            found = min(add(one_step, own.cost(0, held, ())) for own, _, _ in prepared)
            if len(quick_cache) > 100_000:
                quick_cache.clear()
            quick_cache[held] = found
        return found

    def bound(state: State, parent: State | None = None) -> tuple:
        """The bound at ``state``; ``parent``, the state it was reached from, lets the dearest part
        (the cheapest way into a role that counts) be updated for what the step earned, not recomputed."""
        if state.role == goal:
            return zero
        found = cache.get(state)
        if found is None:
            best = None
            for own, leaves, skip in prepared:
                total = add(one_step, own.cost(0, state.held, ()))
                if best is not None and total >= best:
                    continue
                before = parent if parent is not None and parent.held <= state.held else None
                extra = max((leaf_cost(leaf, state, skip, before) for leaf in leaves), default=zero)
                total = add(total, extra)
                if best is None or total < best:
                    best = total
            found = cache[state] = best
            if len(cache) > 500_000:
                cache.clear()
        return found

    goal_roles = frozenset({goal}).union(*(
        {leaf.role} if isinstance(leaf, RoleReq) else search.matching_roles(leaf)
        for _, leaves, _ in prepared for leaf in leaves))
    read: list = [-1, None]  # (how many ways into roles were built, what the bound read then)

    def reads() -> tuple[frozenset[str], frozenset[str]]:
        """(credentials, roles) whose holding, months or being held now the bound has read so far. A step
        that earns none of those credentials, into none of those roles, and works months in none of them
        lowers no part of it: the bound after it is no less than before (a role left, or a stint begun
        anew, only raises it)."""
        if read[0] != len(leaf_sets):
            creds = set(quick_reads)
            roles = set(goal_roles)
            for found in leaf_sets.values():
                creds.update(found.touches)
                roles.update(found.counts)
            read[:] = [len(leaf_sets), (frozenset(creds), frozenset(roles))]
        return read[1]

    bound.quick = quick
    bound.reads = reads
    return bound


def _clauses(req: Requirement) -> list[frozenset[str]]:
    """Sets of credentials such that every way of meeting ``req`` asks for one of each set.

    A credential leaf is one such set; an all-of asks for what each member asks for; an any-of
    for what every member asks for, and for one of the sets its members ask for, one set of each
    member joined (any way of meeting it meets a member, so holds one of that member's set).
    Experience and role leaves ask for no credential: an any-of with such a member asks for none
    beyond what every member asks for.
    """
    if isinstance(req, CredentialReq):
        return [frozenset({req.credential})]
    if isinstance(req, AllOf):
        return list(dict.fromkeys(c for m in req.members for c in _clauses(m)))
    if isinstance(req, AnyOf) and req.members:
        each = [_clauses(m) for m in req.members]
        common = [c for c in each[0] if all(c in other for other in each[1:])]
        if all(each):
            joined = frozenset().union(*(min(found, key=lambda c: (len(c), sorted(c))) for found in each))
            if not any(c <= joined for c in common):
                common.append(joined)
        return common
    return []


def _groups(members: list, sat_of) -> list[list]:
    """``members`` split into groups no credential satisfies across (union of overlapping satisfier sets)."""
    groups: list[tuple[set[str], list]] = []
    for c in members:
        sat = set(sat_of(c))
        joined = [g for g in groups if not g[0].isdisjoint(sat)]
        for g in joined:
            groups.remove(g)
            sat |= g[0]
        groups.append((sat, [c, *(m for g in joined for m in g[1])]))
    return [g[1] for g in groups]

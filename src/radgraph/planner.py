"""Progression paths between roles: pure functions over the model and a networkx graph.

Semantics (the README says the same in plain words):

* A person's **state** is what they hold: credentials, the roles they hold or
  have held, months of experience per role, and the months of their current
  stint. Holding a role implies holding what its entry requirements demanded.
* To **enter** a role, its ``requires`` tree and the non-continuing-education
  part of its ``maintains`` tree must be satisfied. An all-of needs every
  member, an any-of one member; every way of satisfying the tree is an
  *option*, and the search tries them all.
* A credential leaf is satisfied by holding it or a credential that counts as
  it; otherwise it is **earned**, with its own prerequisites, for its months
  (unknown months count 0 and are reported as not stated).
* An experience leaf is satisfied by months already worked in the matching
  role (or in roles that give experience in the setting); a window ("within
  the preceding N months") counts only the current stint. Missing months are
  **accrued** by staying in the current role; months accrued at once in one
  role overlap, so a step costs the largest shortfall.
* A leaf that nothing in the graph can provide (experience in a setting no
  other role gives, or in the target role itself) is not dropped: the step
  lists it as **outside** the graph, and stated months still count.
* A step's months = months of credentials earned + months accrued + months
  of outside experience. Paths are ranked by fewest credentials of unstated
  duration, then fewest outside requirements, then total months, fewest
  credentials, fewest steps (``ORDERS``: ``optimize="months"`` puts months
  first, ``optimize="steps"`` steps).

The search is Dijkstra over states, so it is exact with respect to them: what
one step earns is carried forward and never asked for again.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import NoPathError, RadGraphError, UsageError
from .model import (
    AllOf,
    AnyOf,
    ContinuingEducation,
    CredentialReq,
    ExperienceReq,
    Model,
    Requirement,
    Role,
    RoleReq,
    walk,
)

START = "none"  # the FROM name for "no role yet"
MAX_OPTIONS = 4096  # options kept per tree; beyond it the cheapest are kept


# ------------------------------------------------------------------ state


@dataclass(frozen=True)
class State:
    role: str | None
    held: frozenset[str] = frozenset()
    roles_held: frozenset[str] = frozenset()
    experience: tuple[tuple[str, float], ...] = ()  # (role id, months), sorted
    stint: float = 0.0

    def months_in(self, role_id: str) -> float:
        for r, m in self.experience:
            if r == role_id:
                return m
        return 0.0


@dataclass(frozen=True)
class Option:
    """One way to satisfy a tree from a state."""

    creds: frozenset[str] = frozenset()
    accrue: frozenset[tuple[str, float]] = frozenset()  # (experience req id, extra months)
    outside: frozenset[str] = frozenset()  # requirement ids
    why: frozenset[tuple[str, str]] = frozenset()  # (credential id, requirement id that asked for it)

    def merge(self, other: Option) -> Option:
        return Option(
            self.creds | other.creds,
            self.accrue | other.accrue,
            self.outside | other.outside,
            self.why | other.why,
        )


EMPTY = Option()


@dataclass(frozen=True)
class Accrual:
    requirement: ExperienceReq
    months: float
    role: str  # where the months are worked


@dataclass(frozen=True)
class Step:
    """One role change and what it takes."""

    from_role: str | None
    to_role: str
    earn: tuple[str, ...]  # credential ids, prerequisites first
    accrue: tuple[Accrual, ...]
    outside: tuple[Requirement, ...]
    ongoing: tuple[ContinuingEducation, ...]
    months: float
    unknown_months: tuple[str, ...]  # earned credentials whose duration no source states
    why: tuple[tuple[str, Requirement], ...]  # (credential id, a requirement that asked for it)


@dataclass(frozen=True)
class Path:
    roles: tuple[str | None, ...]  # the start (None for "none"), then each role entered
    steps: tuple[Step, ...]
    months: float

    @property
    def outside_count(self) -> int:
        return sum(len(s.outside) for s in self.steps)

    def rank(self, optimize: str = "known") -> tuple:
        """The sort key: the five counts in the order ``optimize`` names (``ORDERS``)."""
        return rank_key(self.steps, optimize)


#: The ways to rank paths: each orders the same five counts (months, requirements from
#: outside, credentials of unstated duration, credentials, steps) differently.
ORDERS = {
    # The default. Months alone would favour whatever no source gives a length (it counts 0):
    # from no role, Radiologist came out at 12 months through a foreign-graduate certificate
    # and a Canadian residency of unstated length, against 120 months through medical school
    # and an ACGME residency whose lengths are known.
    "known": (2, 1, 0, 3, 4),   # fewest credentials of unstated duration first, then months
    "months": (0, 1, 2, 3, 4),
    "steps": (4, 0, 1, 2, 3),
}
#: Where the months sit in each order's key (the A* bound adds to that place).
MONTHS_AT = {name: order.index(0) for name, order in ORDERS.items()}


def _ordered(counts: tuple, optimize: str) -> tuple:
    return tuple(counts[i] for i in ORDERS[optimize])


def rank_key(steps: tuple[Step, ...], optimize: str = "known") -> tuple:
    months = sum(s.months for s in steps)
    outside = sum(len(s.outside) for s in steps)
    unknown = sum(len(s.unknown_months) for s in steps)
    earned = sum(len(s.earn) for s in steps)
    return _ordered((months, outside, unknown, earned, len(steps)), optimize)


# ------------------------------------------------------------------ the planner


@dataclass
class Planner:
    """Plans paths over one model. Build once, ask many times.

    Examples
    --------
    >>> import radgraph
    >>> planner = Planner(radgraph.load().model)
    >>> best = planner.plan("Radiology Assistant", "Interventional Radiology Technologist")[0]
    >>> [planner.model.label(r) for r in best.roles]
    ['Radiology Assistant', 'Radiologic Technologist', 'Interventional Radiology Technologist']
    """

    model: Model
    max_states: int = 200_000  # states expanded before a search gives up with a clear error
    max_seconds: float = 60.0  # seconds a search may take before it gives up, likewise
    _nodes: dict[str, Requirement] = field(default_factory=dict, init=False)
    _providers: dict[str, frozenset[str]] = field(default_factory=dict, init=False)
    _earners: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        m = self.model
        for tree in self._all_trees():
            for node in walk(tree):
                self._nodes[node.id] = node
        self._by_setting: dict[str, frozenset[str]] = {}
        for r in m.roles.values():
            for setting in r.settings:
                self._by_setting[setting] = self._by_setting.get(setting, frozenset()) | {r.id}
        # months beyond the largest any requirement asks of a role never help: capping
        # what a state remembers keeps the state space finite when paths revisit roles
        self._exp_cap: dict[str, float] = {}
        for n in self._nodes.values():
            if isinstance(n, ExperienceReq) and n.min_months:
                for r in self.matching_roles(n):
                    self._exp_cap[r] = max(self._exp_cap.get(r, 0.0), float(n.min_months))
        # experience requirements without a window, by the roles whose months they count
        self._banked: dict[str, list[ExperienceReq]] = {}
        for n in sorted(self._nodes.values(), key=lambda n: n.id):
            if isinstance(n, ExperienceReq) and n.within_months is None and n.min_months:
                for r in self.matching_roles(n):
                    self._banked.setdefault(r, []).append(n)
        # which credentials satisfy a requirement for each credential (itself first)
        counts: dict[str, set[str]] = {c: set() for c in m.credentials}
        for cid, cred in m.credentials.items():
            seen, todo = set(), list(cred.counts_as)
            while todo:
                t = todo.pop()
                if t in seen or t == cid:
                    continue
                seen.add(t)
                counts.setdefault(t, set()).add(cid)
                if t in m.credentials:
                    todo.extend(m.credentials[t].counts_as)
        self._earners = {c: (c, *sorted(s)) for c, s in counts.items()}
        self._satisfiers = {c: frozenset(e) for c, e in self._earners.items()}

    def _all_trees(self) -> Iterator[Requirement]:
        for role in self.model.roles.values():
            for t in (role.requires, role.maintains):
                if t is not None:
                    yield t
        for cred in self.model.credentials.values():
            if cred.requires is not None:
                yield cred.requires

    # -- requirement evaluation ----------------------------------------------

    def entry_tree(self, role: Role) -> Requirement | None:
        """What entering ``role`` needs: its requirements and what it must maintain."""
        parts = tuple(t for t in (role.requires, role.maintains) if t is not None)
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return AllOf(id=role.id + "#entry", members=parts)

    def matching_roles(self, req: ExperienceReq) -> frozenset[str]:
        """Roles whose months count for an experience requirement."""
        if req.role is not None:
            return frozenset({req.role})
        return self._by_setting.get(req.setting, frozenset())

    def is_outside(self, req: Requirement, target: str) -> bool:
        """True when nothing in the graph can provide ``req`` on the way to ``target``."""
        if isinstance(req, ExperienceReq):
            return not (self.matching_roles(req) - {target})
        if isinstance(req, RoleReq):
            return req.role == target or req.role not in self.model.roles
        return False

    def holds(self, state: State, cred: str) -> bool:
        sat = self._satisfiers.get(cred, frozenset({cred}))
        return not sat.isdisjoint(state.held)

    def experience_have(self, state: State, req: ExperienceReq) -> float:
        roles = self.matching_roles(req)
        if req.within_months is not None:
            return state.stint if state.role in roles else 0.0
        return sum(state.months_in(r) for r in roles)

    def options(self, req: Requirement | None, state: State, target: str,
                _stack: frozenset[str] = frozenset()) -> list[Option]:
        """Every way to satisfy ``req`` from ``state`` in one step toward ``target``."""
        if req is None:
            return [EMPTY]
        if isinstance(req, AllOf):
            combined = [EMPTY]
            for member in req.members:
                opts = self.options(member, state, target, _stack)
                if not opts:
                    return []
                combined = _prune([a.merge(b) for a in combined for b in opts], self)
            return combined
        if isinstance(req, AnyOf):
            out: list[Option] = []
            for member in req.members:
                out.extend(self.options(member, state, target, _stack))
            return _prune(out, self)
        if isinstance(req, ContinuingEducation):
            return [EMPTY]  # ongoing only: listed in the step, never an entry condition
        if isinstance(req, RoleReq):
            if req.role in state.roles_held:
                return [EMPTY]
            if self.is_outside(req, target):
                return [Option(outside=frozenset({req.id}))]
            return []
        if isinstance(req, ExperienceReq):
            roles = self.matching_roles(req)
            have = self.experience_have(state, req)
            if req.min_months is None:  # "some experience": any time at all, within the window if one is set
                if req.within_months is not None:
                    worked = state.role in roles
                else:
                    worked = state.role in roles or not roles.isdisjoint(state.roles_held)
                if worked:
                    return [EMPTY]
            elif have >= req.min_months:
                return [EMPTY]
            if state.role in roles:
                need = (req.min_months or 0) - have
                return [Option(accrue=frozenset({(req.id, max(need, 0.0))}))]
            if self.is_outside(req, target):
                return [Option(outside=frozenset({req.id}))]
            return []
        if isinstance(req, CredentialReq):
            if self.holds(state, req.credential):
                return [EMPTY]
            out = []
            for cid in self._earners.get(req.credential, (req.credential,)):
                if cid in _stack:
                    continue  # a prerequisite cycle cannot be earned
                cred = self.model.credentials.get(cid)
                pre = self.options(cred.requires if cred else None, state, target, _stack | {cid})
                mine = Option(creds=frozenset({cid}), why=frozenset({(cid, req.id)}))
                out.extend(mine.merge(p) for p in pre)
            return _prune(out, self)
        raise TypeError(type(req))  # pragma: no cover

    def option_months(self, opt: Option) -> float:
        months = sum(self.model.credentials[c].months or 0 for c in opt.creds if c in self.model.credentials)
        months += max((m for _, m in opt.accrue), default=0.0)
        for rid in opt.outside:
            node = self._nodes.get(rid)
            if isinstance(node, ExperienceReq) and node.min_months:
                months += node.min_months
        return months

    # -- states ---------------------------------------------------------------

    def start_state(self, start: str | None, have: Iterable[str] = ()) -> State:
        """The state of a person in ``start`` (a role id or None) holding ``have``."""
        held = set(have)
        roles_held: set[str] = set()
        if start is not None:
            roles_held.add(start)
            held |= self.implied_credentials(self.model.roles[start])
        return State(role=start, held=frozenset(held), roles_held=frozenset(roles_held))

    def implied_credentials(self, role: Role) -> set[str]:
        """Credentials every way into ``role`` includes: a holder of the role has them."""
        tree = self.entry_tree(role)
        if tree is None:
            return set()
        common: set[str] | None = None
        for creds in _credential_terms(tree):
            common = set(creds) if common is None else common & creds
        return common or set()

    def transitions(self, state: State, allowed: set[str] | None = None) -> Iterator[tuple[str, Option, float]]:
        """(role, option, months) for every role enterable from ``state`` (among ``allowed``)."""
        extras = self.extra_accruals(state)  # depends on the state only, not on the role entered
        for rid, role in self.model.roles.items():
            if rid == state.role:
                continue
            if allowed is not None and rid not in allowed:
                continue
            for opt in self.options(self.entry_tree(role), state, rid):
                yield rid, opt, self.option_months(opt)
                own = max((m for _, m in opt.accrue), default=0.0)
                for leaf_id, months in extras:
                    if months > own:
                        longer = Option(opt.creds, opt.accrue | {(leaf_id, months)}, opt.outside, opt.why)
                        yield rid, longer, self.option_months(longer)

    def extra_accruals(self, state: State) -> list[tuple[str, float]]:
        """Longer stays worth considering before leaving the current role.

        A later requirement may count months in the role held now; leaving
        early would forfeit them. For each such requirement (no window: a
        window counts only the stint right before it), staying until it is
        met is a choice the search weighs.
        """
        if state.role is None:
            return []
        out: dict[float, str] = {}
        for leaf in self._banked.get(state.role, ()):
            short = leaf.min_months - self.experience_have(state, leaf)
            if short > 0:
                out.setdefault(short, leaf.id)
        return sorted(((leaf_id, m) for m, leaf_id in out.items()), key=lambda x: x[1])

    def advance(self, state: State, role_id: str, opt: Option) -> State:
        extra = max((m for _, m in opt.accrue), default=0.0)
        exp = dict(state.experience)
        if state.role is not None and extra:
            exp[state.role] = min(exp.get(state.role, 0.0) + extra, self._exp_cap.get(state.role, 0.0))
        return State(
            role=role_id,
            held=state.held | opt.creds,
            roles_held=state.roles_held | {role_id},
            experience=tuple(sorted(exp.items())),
            stint=0.0,
        )

    def make_step(self, state: State, role_id: str, opt: Option) -> Step:
        m = self.model
        earn = self._order_credentials(opt.creds)
        accrue = tuple(
            Accrual(self._nodes[rid], months, state.role or "")
            for rid, months in sorted(opt.accrue)
        )
        outside = tuple(self._nodes[r] for r in sorted(opt.outside) if r in self._nodes)
        role = m.roles[role_id]
        ongoing = tuple(n for n in walk(role.maintains) if isinstance(n, ContinuingEducation))
        why = tuple(sorted(((c, self._nodes[r]) for c, r in opt.why if r in self._nodes), key=lambda x: (x[0], x[1].id)))
        return Step(
            from_role=state.role,
            to_role=role_id,
            earn=earn,
            accrue=accrue,
            outside=outside,
            ongoing=ongoing,
            months=self.option_months(opt),
            unknown_months=tuple(c for c in earn if m.credentials.get(c) is None or m.credentials[c].months is None),
            why=why,
        )

    def _order_credentials(self, creds: frozenset[str]) -> tuple[str, ...]:
        """Prerequisites before what needs them, otherwise by label."""
        m = self.model

        def prereqs(c: str) -> set[str]:
            cred = m.credentials.get(c)
            found = set()
            if cred and cred.requires:
                for n in walk(cred.requires):
                    if isinstance(n, CredentialReq):
                        found |= self._satisfiers.get(n.credential, {n.credential})
            return found & creds

        ordered: list[str] = []
        remaining = sorted(creds, key=lambda c: (m.label(c).casefold(), c))
        while remaining:
            for c in remaining:
                if prereqs(c) <= set(ordered):
                    ordered.append(c)
                    remaining.remove(c)
                    break
            else:  # a cycle: keep the label order
                ordered.extend(remaining)
                break
        return tuple(ordered)

    # -- search ---------------------------------------------------------------

    def _resolve(self, name: str | None, allow_none: bool) -> str | None:
        if name is None or (allow_none and name.strip().casefold() == START):
            return None
        return self.model.find_role(name).id

    def _resolve_have(self, have: Iterable[str]) -> list[str]:
        return [self.model.find_credential(h).id for h in have]

    def best(self, start: str | None, goal: str, have: Iterable[str] = (), optimize: str = "known",
             via: tuple[str, ...] | None = None) -> Path | None:
        """The cheapest path from role id ``start`` (None: no role) to ``goal``.

        A* over states: the months still to come are bounded below by the
        cheapest way to hold the goal's credentials from here, which never
        overestimates, so the answer stays exact. ``via`` restricts the search
        to that exact sequence of roles (used to cost a candidate path
        exactly). Returns None when there is none.
        """
        state0 = self.start_state(start, have)
        useful = keep_creds = keep_roles = None
        if via is None:
            useful, keep_creds, keep_roles = self.relevance(goal)
            state0 = self._forget(state0, keep_creds, keep_roles)
        # The bound is added to the months wherever they sit in the key: a key that
        # ranks something else first (unstated durations, steps) is still never
        # overestimated, lexicographically.
        bound = self._goal_bound(goal)
        at = MONTHS_AT[optimize]
        counter = itertools.count()
        began = time.monotonic()
        deadline = began + self.max_seconds
        zero = rank_key((), optimize)
        # heap entries: (priority, tiebreak, state, depth, parent entry, option, cost so far)
        heap: list = [(zero, next(counter), state0, 0, None, None, zero)]
        settled: set[State] = set()
        frontier: dict[tuple, list[tuple[State, tuple]]] = {}  # settled (state, cost) by (role, depth if via)
        expanded = 0
        while heap:
            entry = heapq.heappop(heap)
            _, _, state, depth, parent, opt, cost = entry
            if state.role == goal and depth:
                return self._path_from(start, entry)
            if state in settled:
                continue
            # A settled state that holds at least as much, reached no dearer,
            # dominates this one: every option open here is open there.
            slot = (state.role, depth if via is not None else None)
            if any(other_cost <= cost and _dominates(other, state) for other, other_cost in frontier.get(slot, ())):
                continue
            settled.add(state)
            frontier.setdefault(slot, []).append((state, cost))
            expanded += 1
            if expanded > self.max_states or (expanded % 16 == 0 and time.monotonic() > deadline):
                raise RadGraphError(
                    f"the search for a path to {self.model.label(goal)} gave up after {expanded} states "
                    f"({time.monotonic() - began:.0f} s) without an answer; "
                    "name credentials you hold with --have to narrow it")
            if via is not None:
                if depth >= len(via):
                    continue
                allowed = {via[depth]}
            else:
                allowed = useful
            for rid, nopt, months in self.transitions(state, allowed):
                nxt = self.advance(state, rid, nopt)
                if keep_creds is not None:
                    nxt = self._forget(nxt, keep_creds, keep_roles)
                if nxt in settled:
                    continue
                new_cost = self._add_key(cost, nopt, months, optimize)
                priority = new_cost
                h = bound(nxt) if rid != goal else 0.0
                if h:
                    priority = (*new_cost[:at], new_cost[at] + h, *new_cost[at + 1:])
                heapq.heappush(heap, (priority, next(counter), nxt, depth + 1, entry, nopt, new_cost))
        return None

    def _goal_bound(self, goal: str):
        """A lower bound on the months still needed to enter ``goal`` from a state.

        Whatever the path, the person ends up holding one credential set that
        satisfies the goal's tree; each credential of it not held yet costs
        at least its cheapest way to earn it.
        """
        tree = self.entry_tree(self.model.roles[goal])
        if tree is None:
            return lambda state: 0.0
        terms = _credential_terms(tree)
        if len(terms) >= MAX_OPTIONS:  # truncated: a minimum over part of the terms could overestimate
            return lambda state: 0.0
        creds = self.model.credentials
        cheapest = {
            c: min((creds[e].months or 0.0) if e in creds else 0.0 for e in self._earners.get(c, (c,)))
            for term in terms for c in term
        }
        cache: dict[frozenset, float] = {}

        def bound(state: State) -> float:
            key = state.held
            found = cache.get(key)
            if found is None:
                found = min(sum(cheapest[c] for c in term if not self.holds(state, c)) for term in terms)
                cache[key] = found
            return found

        return bound

    @staticmethod
    def _forget(state: State, creds: frozenset[str], roles: frozenset[str]) -> State:
        """The state without what nothing on the way asks about (its current role stays)."""
        held = state.held & creds
        held_roles = state.roles_held & roles
        if state.role is not None:
            held_roles = held_roles | {state.role}
        if held == state.held and held_roles == state.roles_held:
            return state
        return State(state.role, held, held_roles, state.experience, state.stint)

    def _add_key(self, key: tuple, opt: Option, months: float, optimize: str) -> tuple:
        creds = self.model.credentials
        unknown = sum(1 for c in opt.creds if c not in creds or creds[c].months is None)
        inc = _ordered((months, len(opt.outside), unknown, len(opt.creds), 1), optimize)
        return tuple(a + b for a, b in zip(key, inc, strict=True))

    def _path_from(self, start: str | None, entry) -> Path:
        chain = []
        while entry[4] is not None:
            chain.append(entry)
            entry = entry[4]
        steps = []
        for e in reversed(chain):
            parent_state = e[4][2]
            steps.append(self.make_step(parent_state, e[2].role, e[5]))
        steps = tuple(steps)
        return Path(roles=(start, *(s.to_role for s in steps)), steps=steps, months=sum(s.months for s in steps))

    def useful_roles(self, goal: str) -> set[str]:
        """Roles a cheapest path may pass through on the way to ``goal``.

        Earning a credential on the way costs what earning it at the goal
        costs, so a role is worth entering only when something on the way
        names it (a role requirement) or counts its months (experience).
        """
        return self.relevance(goal)[0]

    def relevance(self, goal: str) -> tuple[set[str], frozenset[str], frozenset[str]]:
        """(useful roles, credentials and roles any requirement on the way asks about).

        Holding a credential nothing on the way asks about changes no later
        option, so the search forgets it: two states that differ only there
        are one state.
        """
        useful = {goal}
        creds: set[str] = set()
        roles: set[str] = set()
        todo = [goal]
        seen_creds: set[str] = set()
        while todo:
            rid = todo.pop()
            trees = [self.entry_tree(self.model.roles[rid])]
            while trees:
                tree = trees.pop()
                for node in walk(tree):
                    found: set[str] = set()
                    if isinstance(node, RoleReq):
                        found = {node.role}
                    elif isinstance(node, ExperienceReq):
                        found = set(self.matching_roles(node))
                    elif isinstance(node, CredentialReq):
                        creds |= self._satisfiers.get(node.credential, {node.credential})
                        for c in self._earners.get(node.credential, (node.credential,)):
                            if c not in seen_creds and c in self.model.credentials:
                                seen_creds.add(c)
                                trees.append(self.model.credentials[c].requires)
                    roles |= found
                    for r in found:
                        if r in self.model.roles and r not in useful:
                            useful.add(r)
                            todo.append(r)
        return useful, frozenset(creds), frozenset(roles)

    def plan(self, start: str | None, goal: str, have: Iterable[str] = (), alternatives: int = 1,
             optimize: str = "known") -> list[Path]:
        """Paths from ``start`` to ``goal``, cheapest first.

        Parameters
        ----------
        start : a role name (label, altLabel, notation or IRI), or ``"none"``.
        goal : a role name.
        have : names of credentials already held.
        alternatives : how many distinct role sequences to return.
        optimize : ``"known"`` (default: fewest credentials of unstated duration, then
            months), ``"months"`` (least months, unstated durations counting 0) or
            ``"steps"`` (fewest role changes).

        Raises
        ------
        UnknownNameError
            A role or credential name matches nothing.
        NoPathError
            No path exists; the message names the requirement that blocks it.
        """
        if optimize not in ORDERS:
            raise UsageError(f"optimize must be one of {', '.join(ORDERS)}, not {optimize!r}")
        if alternatives < 1:
            raise UsageError(f"alternatives must be 1 or more, not {alternatives}")
        s = self._resolve(start, allow_none=True)
        g = self._resolve(goal, allow_none=False)
        have_ids = self._resolve_have(have)
        if s == g:
            raise UsageError(f"FROM and TO are the same role: {self.model.label(g)}")
        first = self.best(s, g, have_ids, optimize)
        if first is None:
            raise NoPathError(self.explain_block(s, g, have_ids))
        paths = [first]
        if alternatives > 1:
            paths = self._alternatives(s, g, have_ids, alternatives, optimize, first)
        return paths

    def _alternatives(self, s, g, have_ids, k, optimize, first: Path) -> list[Path]:
        import networkx as nx

        G = self.role_graph(have_ids, start=s)
        source = s if s is not None else START
        found = {first.roles: first}
        try:
            candidates = nx.shortest_simple_paths(G, source, g, weight="months")
            for roles in itertools.islice(candidates, max(10, 4 * k)):
                via = tuple(roles[1:])
                if (s, *via) in found:
                    continue
                p = self.best(s, g, have_ids, optimize, via=via)
                if p is not None:
                    found[p.roles] = p
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            pass
        ranked = sorted(found.values(), key=lambda p: p.rank(optimize))
        return ranked[:k]

    # -- the role graph ---------------------------------------------------------

    def role_graph(self, have: Iterable[str] = (), start: str | None = None):
        """A networkx DiGraph of which role can follow which.

        An edge A -> B exists when a person holding A (and ``have``) can
        enter B in one step; its ``months`` is the cheapest such step and
        ``step`` the :class:`Step`. With ``start=None`` a node ``"none"``
        stands for a person with no role yet.
        """
        import networkx as nx

        have = list(have)
        G = nx.DiGraph()
        for rid, role in self.model.roles.items():
            G.add_node(rid, label=role.label)
        sources: list[str | None] = list(self.model.roles)
        if start is None:
            G.add_node(START, label="(no role yet)")
            sources.append(None)
        for a in sources:
            state = self.start_state(a, have)
            for step in self._best_steps(state):
                G.add_edge(a if a is not None else START, step.to_role, months=step.months, step=step)
        return G

    def next_roles(self, start: str, have: Iterable[str] = ()) -> list[Step]:
        """The roles reachable in one step from ``start``, cheapest first."""
        s = self._resolve(start, allow_none=True)
        state = self.start_state(s, self._resolve_have(have))
        return sorted(self._best_steps(state), key=lambda st: (rank_key((st,)), self.model.label(st.to_role)))

    def _best_steps(self, state: State) -> list[Step]:
        """The cheapest step into each role enterable from ``state``."""
        best: dict[str, Step] = {}
        for rid, opt, _ in self.transitions(state):
            step = self.make_step(state, rid, opt)
            if rid not in best or rank_key((step,)) < rank_key((best[rid],)):
                best[rid] = step
        return list(best.values())

    def explain_block(self, s: str | None, g: str, have: list[str]) -> str:
        """One line naming a requirement of ``g`` that no reachable state can meet."""
        m = self.model
        reach = self._reachable_union(s, have)
        role = m.roles[g]
        for node in walk(self.entry_tree(role)):
            if isinstance(node, (AllOf, AnyOf, ContinuingEducation)):
                continue
            if not self.options(node, reach, g):
                what = _describe_leaf(m, node)
                where = m.label(s) if s else "no role"
                return f"no path from {where} to {role.label}: nothing reachable provides {what}"
        return f"no path from {m.label(s) if s else 'no role'} to {role.label}"

    def _reachable_union(self, s: str | None, have: list[str]) -> State:
        """A state holding everything any reachable state holds (for explanations)."""
        state = self.start_state(s, have)
        frontier, seen = [state], {state}
        held, roles = set(state.held), set(state.roles_held)
        while frontier and len(seen) < 5000:
            cur = frontier.pop()
            for rid, opt, _ in self.transitions(cur):
                nxt = self.advance(cur, rid, opt)
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
                    held |= nxt.held
                    roles |= nxt.roles_held
        return State(role=None, held=frozenset(held), roles_held=frozenset(roles))


def _dominates(a: State, b: State) -> bool:
    """True when ``a`` holds at least what ``b`` holds (same role assumed)."""
    if not (a.held >= b.held and a.roles_held >= b.roles_held and a.stint >= b.stint):
        return False
    exp_a = dict(a.experience)
    return all(exp_a.get(r, 0.0) >= m for r, m in b.experience)


def _describe_leaf(model: Model, node: Requirement) -> str:
    from .describe import experience_line

    if isinstance(node, CredentialReq):
        return model.label(node.credential)
    if isinstance(node, ExperienceReq):
        return experience_line(model, node)
    if isinstance(node, RoleReq):
        return f"qualification as {model.label(node.role)}"
    return node.id


def _credential_terms(req: Requirement) -> list[frozenset[str]]:
    """DNF of a tree over credential leaves only (other leaves count as empty)."""
    if isinstance(req, AllOf):
        terms = [frozenset()]
        for m in req.members:
            sub = _credential_terms(m)
            terms = list({a | b for a in terms for b in sub})[:MAX_OPTIONS]
        return terms
    if isinstance(req, AnyOf):
        out = []
        for m in req.members:
            out.extend(_credential_terms(m))
        return out or [frozenset()]
    if isinstance(req, CredentialReq):
        return [frozenset({req.credential})]
    return [frozenset()]


def _prune(options: list[Option], planner: Planner) -> list[Option]:
    """Drop duplicates; past MAX_OPTIONS keep the cheapest."""
    unique = list({(o.creds, o.accrue, o.outside): o for o in reversed(options)}.values())[::-1]
    if len(unique) > MAX_OPTIONS:
        unique.sort(key=lambda o: (planner.option_months(o), len(o.outside), len(o.creds)))
        unique = unique[:MAX_OPTIONS]
    return unique


def path_credentials(path: Path) -> list[str]:
    """Every credential a path earns, in order."""
    return [c for s in path.steps for c in s.earn]

"""Progression paths between roles: pure functions over the model and a networkx graph.

Semantics (the README says the same in plain words):

* A person's **state** is what they hold: credentials, the roles they hold or
  have held, months of experience per role, and the months of their current
  stint. Holding a role implies holding what its entry requirements demanded.
* To **enter** a role, its ``requires`` tree and the non-continuing-education
  part of its ``maintains`` tree must be satisfied. An all-of needs every
  member, an any-of one member; every way of satisfying the tree is an
  *option*, and the search tries them all.
* A credential leaf is satisfied by holding it, the same credential under
  another name (``same_as``), or a credential that counts as it or includes it;
  otherwise it is **earned**, with its own prerequisites, for its months. A
  length is a range (least, typical) from a source; a length no source gives
  is **unknown**: never added as 0, counted apart and ranked against.
* An experience leaf is satisfied by months already worked in the matching
  role (or in roles that give experience in the setting); a window ("within
  the preceding N months") counts only the current stint. Missing months are
  **accrued** by staying in the current role; months accrued at once in one
  role overlap, so a step costs the largest shortfall.
* A leaf that nothing in the graph can provide (experience in a setting no
  other role gives, or in the target role itself) is not dropped: the step
  lists it as **outside** the graph, and stated months still count.
* A step's months = months of credentials earned + months accrued + months
  of outside experience (typical lengths; the least lengths give the low end
  of the range). Paths are ranked by fewest items of unknown length, then
  fewest outside requirements, then total months, fewest credentials, fewest
  steps (``ORDERS``: ``optimize="months"`` puts months before outside
  requirements, ``optimize="steps"`` steps first).
* Rules have dates: the planner plans with the requirements in force on
  ``as_of`` (today by default; see :mod:`radgraph.rules`).

The search is Dijkstra over states, so it is exact with respect to them: what
one step earns is carried forward and never asked for again.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import NoPathError, RadGraphError, UsageError, quoted
from .model import (
    AllOf,
    AnyOf,
    ContinuingEducation,
    CredentialReq,
    ExperienceReq,
    Model,
    Months,
    Requirement,
    Role,
    RoleReq,
    walk,
)
from .rules import model_on, parse_date

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
    months_min: float = 0.0  # the low end: least lengths where a source gives one
    unknown: tuple[str, ...] = ()  # every item of unknown length: credentials, then outside requirements
    unrecorded: tuple[str, ...] = ()  # earned credentials whose own requirements no source records

    @property
    def total(self) -> Months:
        """The step's known length as a range (least, typical); ``unknown`` lists the rest."""
        return Months(self.months_min, self.months)


@dataclass(frozen=True)
class Path:
    roles: tuple[str | None, ...]  # the start (None for "none"), then each role entered
    steps: tuple[Step, ...]
    months: float

    @property
    def outside_count(self) -> int:
        return sum(len(s.outside) for s in self.steps)

    @property
    def total(self) -> Months:
        """The known length of the whole path as a range; ``unknown`` lists what is not known."""
        return Months(sum(s.months_min for s in self.steps), self.months)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Every item on the path whose length no source gives (credential and requirement ids)."""
        return tuple(x for s in self.steps for x in s.unknown)

    def rank(self, optimize: str = "known") -> tuple:
        """The sort key: the five counts in the order ``optimize`` names (``ORDERS``)."""
        return rank_key(self.steps, optimize)


#: The ways to rank paths: each orders the same five counts (months, requirements from
#: outside, unknowns, credentials, steps) differently. "Unknowns" counts every item of
#: unknown length and every credential whose own requirements no source records: each is
#: something the plan cannot promise.
ORDERS = {
    # Months alone would favour whatever no source gives a length (it would count 0): from
    # no role, Radiologist came out at 12 months through a foreign-graduate certificate and
    # a Canadian residency of unknown length, against 10 years through medical school and
    # an ACGME residency whose lengths are known. So a ranking by time puts fewer unknowns
    # first: an unknown is never cheaper than a known. "months" is kept for scripts that
    # name it; it now ranks as "known" does.
    "known": (2, 0, 1, 3, 4),   # fewest unknowns, then months, then outside requirements
    "months": (2, 0, 1, 3, 4),
    "steps": (4, 0, 1, 2, 3),
}
#: Where the months sit in each order's key (the A* bound adds to that place).
MONTHS_AT = {name: order.index(0) for name, order in ORDERS.items()}


def _ordered(counts: tuple, optimize: str) -> tuple:
    return tuple(counts[i] for i in ORDERS[optimize])


def rank_key(steps: tuple[Step, ...], optimize: str = "known") -> tuple:
    months = sum(s.months for s in steps)
    outside = sum(len(s.outside) for s in steps)
    unknown = sum(len(s.unknown) + len(s.unrecorded) for s in steps)
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
    as_of: dt.date | str | None = None  # plan with the rules in force on this day (None: today)
    _nodes: dict[str, Requirement] = field(default_factory=dict, init=False)
    _providers: dict[str, frozenset[str]] = field(default_factory=dict, init=False)
    _earners: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.as_of = parse_date(self.as_of)
        self.unpruned = self.model  # the graph as its sources state it, every rule of every date
        self.model = m = model_on(self.model, self.as_of)
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
        # which credentials satisfy a requirement for each credential (itself first): the same
        # credential under another name, and whatever counts as it or includes it, transitively
        counts: dict[str, set[str]] = {c: set() for c in m.credentials}
        for cid in m.credentials:
            seen, todo = set(), list(self.gives(cid))
            while todo:
                t = todo.pop()
                if t in seen or t == cid:
                    continue
                seen.add(t)
                counts.setdefault(t, set()).add(cid)
                todo.extend(self.gives(t))
        self._satisfiers = {c: frozenset({c, *s}) for c, s in counts.items()}
        # ways to earn each: any satisfier, except a name whose own requirements no source
        # records when the same credential under another name has recorded ones
        self._earners = {c: (c, *sorted(s)) for c, s in counts.items()}
        self._earners = {c: tuple(e for e in ways if not self._unrecorded_alias(e)) or ways
                         for c, ways in self._earners.items()}

    def gives(self, cid: str) -> tuple[str, ...]:
        """The credentials holding ``cid`` directly gives: its other names, what it counts as and includes."""
        cred = self.model.credentials.get(cid)
        if cred is None:
            return ()
        return (*cred.same_as, *cred.counts_as, *cred.includes)

    def _unrecorded_alias(self, cid: str) -> bool:
        """True for a credential whose requirements are not recorded while another name of it has some."""
        creds = self.model.credentials
        cred = creds.get(cid)
        if cred is None or not cred.requirements_unrecorded:
            return False
        return any(creds[o].requires is not None for o in cred.same_as if o in creds)

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

    def option_months(self, opt: Option, low: bool = False) -> float:
        """The known months an option takes: typical lengths (``low``: the least lengths)."""
        months = 0.0
        for c in opt.creds:
            d = self.duration(c)
            if d is not None:
                months += d.min if low else d.typical
        months += max((m for _, m in opt.accrue), default=0.0)
        for rid in opt.outside:
            node = self._nodes.get(rid)
            if isinstance(node, ExperienceReq) and node.min_months:
                months += node.min_months
        return months

    def duration(self, cid: str) -> Months | None:
        """How long earning ``cid`` takes; an unknown length borrows a known one of another name of it."""
        creds = self.model.credentials
        cred = creds.get(cid)
        if cred is None:
            return None
        if cred.duration is None:
            for other in cred.same_as:
                if other in creds and creds[other].duration is not None:
                    return creds[other].duration
        return cred.duration

    def option_unknown(self, opt: Option) -> tuple[str, ...]:
        """What in an option has no known length: credentials, then outside experience without months."""
        creds = tuple(c for c in self._order_credentials(opt.creds) if self.duration(c) is None)
        outside = tuple(r for r in sorted(opt.outside)
                        if isinstance(self._nodes.get(r), ExperienceReq) and self._nodes[r].min_months is None)
        return creds + outside

    def option_unrecorded(self, opt: Option) -> tuple[str, ...]:
        """Credentials an option earns whose own requirements no source records."""
        creds = self.model.credentials
        return tuple(c for c in sorted(opt.creds) if c in creds and creds[c].requirements_unrecorded)

    # -- states ---------------------------------------------------------------

    def start_state(self, start: str | None, have: Iterable[str] = (), worked: dict[str, float] | None = None,
                    held_roles: Iterable[str] = ()) -> State:
        """The state of a person in ``start`` (a role id or None) holding ``have``.

        ``worked`` maps role ids to months already worked in each (months in
        ``start`` are the current stint); ``held_roles`` are roles held before.
        Holding a role, now or before, implies what its entry asks of everyone.
        """
        worked = dict(worked or {})
        held = set(have)
        roles_held = set(held_roles) | set(worked)
        if start is not None:
            roles_held.add(start)
        for r in roles_held:
            held |= self.implied_credentials(self.model.roles[r])
        experience = tuple(sorted((r, min(float(m), self._exp_cap[r])) for r, m in worked.items()
                                  if m > 0 and self._exp_cap.get(r)))
        stint = float(worked.get(start, 0.0)) if start is not None else 0.0
        return State(role=start, held=frozenset(held), roles_held=frozenset(roles_held),
                     experience=experience, stint=stint)

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
            unknown_months=tuple(c for c in earn if self.duration(c) is None),
            why=why,
            months_min=self.option_months(opt, low=True),
            unknown=self.option_unknown(opt),
            unrecorded=self.option_unrecorded(opt),
        )

    def _order_credentials(self, creds: frozenset[str]) -> tuple[str, ...]:
        """In the order a person earns them: prerequisites first, schooling before certificates and
        licenses (diploma, program, certification, registry, license), then by label."""
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
        kinds = {"diploma": 0, "program": 1, "certification": 2, "registry": 3, "license": 4}
        remaining = sorted(creds, key=lambda c: (kinds.get(m.credentials[c].kind, 5) if c in m.credentials else 5,
                                                 m.label(c).casefold(), c))
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

    def _resolve_worked(self, worked: dict[str, float] | None) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, months in (worked or {}).items():
            try:
                value = float(months)
            except (TypeError, ValueError):
                value = float("nan")
            if not (0 <= value <= 1200):  # also refuses nan
                raise UsageError(f"months worked must be a number from 0 to 1200, not {quoted(str(months))}")
            rid = self.model.find_role(name).id
            out[rid] = out.get(rid, 0.0) + value
        return out

    def best(self, start: str | None, goal: str, have: Iterable[str] = (), optimize: str = "known",
             via: tuple[str, ...] | None = None, worked: dict[str, float] | None = None,
             held_roles: Iterable[str] = (), deadline: float | None = None) -> Path | None:
        """The cheapest path from role id ``start`` (None: no role) to ``goal``.

        A* over states: the months still to come are bounded below by the
        cheapest way to hold the goal's credentials from here, which never
        overestimates, so the answer stays exact. ``via`` restricts the search
        to that exact sequence of roles (used to cost a candidate path
        exactly). Returns None when there is none. ``deadline`` (a ``time.monotonic()``
        value) is when to give up, by default ``max_seconds`` from now.
        """
        state0 = self.start_state(start, have, worked, held_roles)
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
        deadline = began + self.max_seconds if deadline is None else deadline
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
        cheapest = {
            c: min((self.duration(e).typical if self.duration(e) else 0.0) for e in self._earners.get(c, (c,)))
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
        unknown = len(self.option_unknown(opt)) + len(self.option_unrecorded(opt))
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
             optimize: str = "known", worked: dict[str, float] | None = None,
             held_roles: Iterable[str] = ()) -> list[Path]:
        """Paths from ``start`` to ``goal``, cheapest first.

        Parameters
        ----------
        start : a role name (label, altLabel, notation or IRI), or ``"none"``.
        goal : a role name.
        have : names of credentials already held.
        alternatives : how many distinct role sequences to return.
        optimize : ``"known"`` (default: fewest items of unknown length, then fewest
            requirements from outside, then months), ``"months"`` (fewest items of
            unknown length, then months) or ``"steps"`` (fewest role changes).
        worked : months already worked, by role name (months in ``start`` are the
            current stint).
        held_roles : names of roles held before (they imply what their entry asks).

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
        worked_ids = self._resolve_worked(worked)
        held_ids = [self.model.find_role(r).id for r in held_roles]
        if s == g:
            raise UsageError(f"FROM and TO are the same role: {self.model.label(g)}")
        deadline = time.monotonic() + self.max_seconds  # one budget for the path and its alternatives
        first = self.best(s, g, have_ids, optimize, worked=worked_ids, held_roles=held_ids, deadline=deadline)
        if first is None:
            raise NoPathError(self.explain_block(s, g, have_ids))
        paths = [first]
        if alternatives > 1:
            paths = self._alternatives(s, g, have_ids, alternatives, optimize, first, worked_ids, held_ids, deadline)
        return paths

    def _alternatives(self, s, g, have_ids, k, optimize, first: Path, worked=None, held_roles=(),
                      deadline: float | None = None) -> list[Path]:
        import networkx as nx

        G = self.role_graph(have_ids, start=s, worked=worked, held_roles=held_roles)
        source = s if s is not None else START
        found = {first.roles: first}
        try:
            candidates = nx.shortest_simple_paths(G, source, g, weight="months")
            for roles in itertools.islice(candidates, max(10, 4 * k)):
                via = tuple(roles[1:])
                if (s, *via) in found:
                    continue
                p = self.best(s, g, have_ids, optimize, via=via, worked=worked, held_roles=held_roles,
                              deadline=deadline)
                if p is not None:
                    found[p.roles] = p
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            pass
        ranked = sorted(found.values(), key=lambda p: p.rank(optimize))
        return ranked[:k]

    # -- the role graph ---------------------------------------------------------

    def role_graph(self, have: Iterable[str] = (), start: str | None = None, worked=None, held_roles=()):
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
            state = self.start_state(a, have, worked if a == start else None, held_roles if a == start else ())
            for step in self._best_steps(state):
                G.add_edge(a if a is not None else START, step.to_role, months=step.months, step=step)
        return G

    def next_roles(self, start: str, have: Iterable[str] = (), worked: dict[str, float] | None = None,
                   held_roles: Iterable[str] = ()) -> list[Step]:
        """The roles reachable in one step from ``start``, cheapest first."""
        s = self._resolve(start, allow_none=True)
        state = self.start_state(s, self._resolve_have(have), self._resolve_worked(worked),
                                 [self.model.find_role(r).id for r in held_roles])
        return sorted(self._best_steps(state), key=lambda st: (rank_key((st,)), self.model.label(st.to_role)))

    def entry_total(self, role_id: str) -> tuple[int, float]:
        """(items of unknown length, typical months) of the best way into a role from no role.

        Used to tell a step down from a step up: an entry job takes little, a
        physician's post a decade. Unreachable roles come last. Cached per role.
        """
        cache = self.__dict__.setdefault("_entry_totals", {})
        if role_id not in cache:
            try:
                p = self.best(None, role_id)
            except RadGraphError:
                p = None
            cache[role_id] = (len(p.unknown), p.months) if p is not None else (10**9, float("inf"))
        return cache[role_id]

    def direction(self, step: Step) -> str:
        """``"up"``, ``"across"`` or ``"down"``: where a step leads, read from the data.

        The typical months of the best way into each role from no role decide: an
        entry job takes months, a technologist years, a physician a decade; less
        is a step down. Between roles that take as long, a step that asks for
        something new and builds on what the current role holds (CT asks for the
        Radiography credential a Radiologic Technologist has) is up.
        """
        if step.from_role is None:
            return "up"
        here, there = self.entry_total(step.from_role)[1], self.entry_total(step.to_role)[1]
        if there != here:
            return "down" if there < here else "up"
        if (step.earn or step.accrue or step.outside) and self.builds_on(step.to_role, step.from_role):
            return "up"
        return "across"

    def builds_on(self, role_id: str, base_id: str) -> bool:
        """True when entering ``role_id`` asks, at any depth, for a credential or role ``base_id`` gives."""
        state = self.start_state(base_id)
        seen: set[str] = set()
        todo = [self.entry_tree(self.model.roles[role_id])]
        while todo:
            for node in walk(todo.pop()):
                if isinstance(node, RoleReq) and node.role == base_id:
                    return True
                if isinstance(node, CredentialReq):
                    if self.holds(state, node.credential):
                        return True
                    for c in self._earners.get(node.credential, (node.credential,)):
                        if c not in seen and c in self.model.credentials:
                            seen.add(c)
                            todo.append(self.model.credentials[c].requires)
        return False

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

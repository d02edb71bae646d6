"""The planner's public face: plan paths, list next steps, draw the role graph, explain a block."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..errors import NoPathError, RadGraphError, UsageError
from ..model import AllOf, AnyOf, ContinuingEducation, CredentialReq, Model, RoleReq, walk
from ..rules import model_on, parse_date
from .evaluation import _describe_leaf
from .search import Search
from .state import ORDERS, START, Option, Path, State, Step, _ordered, rank_key


@dataclass
class Planner(Search):
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
    progress: Callable[[str], None] | None = None  # told, in a few words, how a long search goes

    def __post_init__(self) -> None:
        self.as_of = parse_date(self.as_of)
        self.unpruned = self.model  # the graph as its sources state it, every rule of every date
        self.model = model_on(self.model, self.as_of)
        self._build()

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
        return any((isinstance(node, RoleReq) and node.role == base_id)
                   or (isinstance(node, CredentialReq) and self.holds(state, node.credential))
                   for node in self.within(self.entry_tree(self.model.roles[role_id])))

    def _best_steps(self, state: State) -> list[Step]:
        """The cheapest step into each role enterable from ``state``."""
        # ranked by the counts rank_key reads off a step, worked out from the option: only each
        # role's winner is made into a Step (making one orders its credentials, which costs)
        best: dict[str, tuple[tuple, Option]] = {}
        for rid, opt, months in self.transitions(state):
            outside = sum(r in self._nodes for r in opt.outside)
            key = _ordered((months, outside, self.option_unknown_count(opt), len(opt.creds), 1), "known")
            if rid not in best or key < best[rid][0]:
                best[rid] = (key, opt)
        return [self.make_step(state, rid, opt) for rid, (_, opt) in best.items()]

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
            after = [self.advance(cur, rid, opt) for rid, opt, _ in self.transitions(cur)]
            after += [nxt for _, nxt in self.stays(cur)]  # months banked by staying open later steps
            for nxt in after:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
                    held |= nxt.held
                    roles |= nxt.roles_held
        return State(role=None, held=frozenset(held), roles_held=frozenset(roles))

"""The search for the best path: A* over states, exact, with the pruning that keeps it exact."""

from __future__ import annotations

import gc
import heapq
import itertools
import time
from collections.abc import Callable, Iterable

from ..errors import RadGraphError, UsageError, quoted
from ..model import CredentialReq, ExperienceReq, RoleReq
from .bounds import goal_bound
from .state import START, Option, Path, State, Stay, _dominates, _ordered, rank_key
from .steps import Stepper


class Search(Stepper):
    """Names resolved, then the cheapest path between two roles; :class:`~radgraph.planner.Planner` builds on it."""

    max_states: int
    max_seconds: float
    progress: Callable[[str], None] | None
    expanded: int = 0  # states the last search expanded
    pushed: int = 0  # successors the last search put on its heap (steps and stays)
    bounded: int = 0  # states whose whole bound the last search worked out

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
        # The search keeps almost everything it makes (every state pushed stays on the heap), so each of
        # CPython's full collections walks a heap that only grows: on a graph of 3,000 roles they took
        # about a third of a search's time. What a search makes holds no reference cycle (an entry points
        # only to its parent), so reference counting frees it all; collection resumes afterwards.
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._best(start, goal, have, optimize, via, worked, held_roles, deadline)
        except (RadGraphError, KeyboardInterrupt) as exc:
            # without the search's frame, which the traceback holds, the heap is freed here; kept, the
            # first collection after this would walk all of it (2 s and more past a give-up's limit)
            raise exc.with_traceback(None) from None
        finally:
            if collecting:
                gc.enable()

    def _best(self, start, goal, have, optimize, via, worked, held_roles, deadline) -> Path | None:
        state0 = self.start_state(start, have, worked, held_roles)
        useful = keep_creds = keep_roles = None
        if via is None:
            useful, keep_creds, keep_roles = self.relevance(goal)
            state0 = self._forget(state0, keep_creds, keep_roles)
        # The bound is a vector in the key's own order (planner/bounds.py): a key that ranks
        # unknowns or steps first is bounded there too, so the search does not sweep every
        # path with fewer unknowns before it looks at the goal.
        bound = goal_bound(self, goal, optimize)
        quick = bound.quick
        counter = itertools.count()
        began = time.monotonic()
        deadline = began + self.max_seconds if deadline is None else deadline
        zero = rank_key((), optimize)
        # heap entries: (priority, tiebreak, state, depth, parent entry, option, cost so far, bounded).
        # A state is pushed with the cost so far plus ``bound.quick``, a cheap part of the bound
        # (bounded False); the whole bound is worked out only when it comes off the heap, and the
        # state goes back with it unless it is no more. Every priority is a lower bound on the cost of a
        # path to the goal through the state, so nothing is expanded or returned before A* would: a large
        # graph offers thousands of steps from each state, and most never come off the heap.
        heap: list = [(bound(state0), _later(zero, counter), state0, 0, None, None, zero, True)]
        settled: set[State] = set()
        frontier: dict[tuple, list[tuple[State, tuple]]] = {}  # settled (state, cost) by (role, depth if via)
        expanded = bounded_here = 0
        self.pushed = self.bounded = 0
        while heap:
            entry = heapq.heappop(heap)
            priority, _, state, depth, parent, opt, cost, bounded = entry
            if not bounded and state not in settled:
                bounded_here += 1
                self.bounded = bounded_here
                if bounded_here % 256 == 0 and time.monotonic() > deadline:
                    raise self._gave_up(goal, expanded, began)
                whole = tuple(a + b for a, b in zip(cost, bound(state, parent[2]), strict=True))
                if whole > priority:
                    heapq.heappush(heap, (whole, _later(cost, counter), state, depth, parent, opt, cost, True))
                    continue
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
            # No path through this state costs less than ``priority``, so none through a successor does: a
            # successor goes on the heap at no less (the bound raised to the parent's, "pathmax"), and the
            # successors of a state whose bound is exact wait while the cheapest goes to the goal.
            floor = priority
            # A step that changes nothing the bound reads (``bound.reads``) leaves it no lower: such a
            # successor goes on at its own cost plus this state's whole bound, not its cheaper part.
            here = bound(state, parent[2] if parent is not None else None)
            read_creds, read_roles = bound.reads()
            unread = state.role not in read_roles  # months worked here lower nothing the bound reads
            expanded += 1
            self.expanded = expanded
            if self.progress is not None and expanded % 32 == 0:
                self.progress(f"searching for a path to {self.model.label(goal)}: {expanded:,} states")
            if expanded > self.max_states or time.monotonic() > deadline:
                raise self._gave_up(goal, expanded, began)
            if via is not None:
                if depth >= len(via):
                    continue
                allowed = {via[depth]}
            else:
                allowed = useful
            # a longer stay in the role held now: a state of its own, no step (depth stays)
            for stay, nxt in self.stays(state):
                if nxt in settled:
                    continue
                new_cost = tuple(a + b for a, b in zip(cost, _ordered((stay.months, 0, 0, 0, 0), optimize), strict=True))
                priority = max(tuple(a + b for a, b in zip(new_cost, here if unread else quick(nxt), strict=True)),
                               floor)
                self.pushed += 1
                heapq.heappush(heap, (priority, _later(new_cost, counter), nxt, depth, entry, stay, new_cost, False))
            for n, (rid, nopt, months) in enumerate(self.transitions(state, allowed), 1):
                if n % 256 == 0 and time.monotonic() > deadline:  # one state of a large graph can take long
                    raise self._gave_up(goal, expanded, began)
                nxt = self.advance(state, rid, nopt)
                if keep_creds is not None:
                    nxt = self._forget(nxt, keep_creds, keep_roles)
                if nxt in settled:
                    continue
                new_cost = self._add_key(cost, nopt, months, optimize)
                unchanged = rid not in read_roles and nopt.creds.isdisjoint(read_creds) and (unread or not nopt.accrue)
                priority = max(tuple(a + b for a, b in zip(new_cost, here if unchanged else quick(nxt), strict=True)),
                               floor)
                self.pushed += 1
                heapq.heappush(heap, (priority, _later(new_cost, counter), nxt, depth + 1, entry, nopt, new_cost, False))
        return None

    def _gave_up(self, goal: str, expanded: int, began: float) -> RadGraphError:
        return RadGraphError(
            f"the search for a path to {self.model.label(goal)} gave up after {expanded} states "
            f"({time.monotonic() - began:.0f} s) without an answer; "
            "name credentials you hold with --have to narrow it")

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
        counts = self._step_costs.get(opt)
        if counts is None or counts[0] != months:
            unknown = self.option_unknown_count(opt)
            counts = (months, len(opt.outside), unknown, len(opt.creds), 1)
            if len(self._step_costs) > 200_000:
                self._step_costs.clear()
            self._step_costs[opt] = counts
        inc = _ordered(counts, optimize)
        return tuple(a + b for a, b in zip(key, inc, strict=True))

    def _path_from(self, start: str | None, entry) -> Path:
        """The path whose last entry is ``entry``: each step as it reads, a stay before it shown
        as its accrual (``Stepper.joined``), never as a step of its own."""
        chain = []
        while entry[4] is not None:
            chain.append(entry)
            entry = entry[4]
        steps = []
        stayed = None  # since the last step: (the state before its stays, their months, the last one's requirement)
        for e in reversed(chain):
            parent_state, opt = e[4][2], e[5]
            if isinstance(opt, Stay):
                stayed = ((parent_state, opt.months, opt.requirement) if stayed is None
                          else (stayed[0], stayed[1] + opt.months, opt.requirement))
                continue
            if stayed is not None:
                before, months, requirement = stayed
                parent_state, opt = before, self.joined(before, e[2].role, opt, Stay(requirement, months))
                stayed = None
            steps.append(self.make_step(parent_state, e[2].role, opt))
        steps = tuple(steps)
        roles = (start, *(s.to_role for s in steps))
        labels = tuple(self.model.label(r) if r is not None else "none" for r in roles)
        return Path(roles=roles, steps=steps, months=sum(s.months for s in steps), labels=labels)

    def useful_roles(self, goal: str) -> set[str]:
        """Roles a cheapest path may pass through on the way to ``goal`` (``relevance``)."""
        return self.relevance(goal)[0]

    def relevance(self, goal: str) -> tuple[set[str], frozenset[str], frozenset[str]]:
        """(useful roles, credentials any requirement on the way asks about, roles whose holding one reads).

        Earning a credential on the way costs what earning it at the goal costs, so a role
        is worth entering only when a requirement on the way (of a useful role, or of a
        credential one asks for) names it (a role requirement) or counts its months
        (experience), and then only when no role anyone can enter (no entry requirement)
        counts for every such requirement it counts for (``_dominated``): a path through it
        costs no less than the same path through that role instead, whose entry asks
        nothing and whose months count wherever its months counted (the credentials its
        entry earned are earned at a later step, at the same cost).

        Holding a credential nothing on the way asks about changes no later
        option, so the search forgets it: two states that differ only there
        are one state. So it forgets having held a role, except one a role
        requirement names or whose months count for "some experience" without
        a window: those are all that read it (an experience requirement with
        months reads the months, a window the role held now).
        """
        useful = {goal}
        creds: set[str] = set()
        roles: set[str] = set()
        counts: dict[str, set[str]] = {}  # role -> the requirements on the way that name it or count its months
        free = bool(self._free)
        todo = [goal]
        seen_creds: set[str] = set()  # credentials whose prerequisites were followed, for any role
        while todo:
            changed: set[str] = set()
            while todo:
                for node in self.within(self.entry_tree(self.model.roles[todo.pop()]), seen_creds):
                    found: Iterable[str] = ()
                    if isinstance(node, RoleReq):
                        found = (node.role,)
                        roles.add(node.role)
                    elif isinstance(node, ExperienceReq):
                        found = self.matching_roles(node)
                        if node.min_months is None and node.within_months is None:
                            roles |= found
                    elif isinstance(node, CredentialReq):
                        creds |= self._satisfiers.get(node.credential, {node.credential})
                    for r in found:
                        if r in self.model.roles:
                            if free:  # else no role stands in for another: what counts each need not be kept
                                counts.setdefault(r, set()).add(node.id)
                            changed.add(r)
            # a role's requirements only grow, and a dominated role is looked at again when its own do
            for r in sorted(changed - useful, key=self._role_order.__getitem__):
                if not (free and self._dominated(r, counts)):
                    useful.add(r)
                    todo.append(r)
        return useful, frozenset(creds), frozenset(roles)

    def _dominated(self, role: str, counts: dict[str, set[str]]) -> bool:
        """True when a role anyone can enter counts for every requirement ``role`` counts for
        (``counts``), and for more, or is ``role``'s equal and comes first (so one of equals stays)."""
        asked = counts[role]
        first = self._nodes[next(iter(asked))]
        if not isinstance(first, ExperienceReq):  # a role requirement names ``role`` alone
            return False
        order = self._role_order
        return any(f != role and asked <= counts.get(f, set())
                   and (len(asked) < len(counts[f]) or role not in self._free or order[f] < order[role])
                   for f in self.matching_roles(first) & self._free)


def _later(cost: tuple, counter) -> tuple:
    """The tie-break between states of one priority: the one further along (its cost so far the larger)
    first, then the one pushed first. Any order of equal priorities keeps A* exact; this one, on a
    plateau of equal bounds, follows one path to its end instead of widening every path a step."""
    return (tuple(-x for x in cost), next(counter))

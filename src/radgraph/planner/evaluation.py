"""What a requirement tree asks of a person: the ways to meet it from a state, and what each costs.

:class:`Evaluator` holds what is read once from the model (every requirement node,
who satisfies and who earns each credential, the months each role's experience is
capped at) and answers per state: the options for a tree, the step into a role.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import (
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
from .state import EMPTY, MAX_OPTIONS, Option, State


class Evaluator:
    """Requirement evaluation over one model; :class:`~radgraph.planner.Planner` builds on it."""

    model: Model

    def _build(self) -> None:
        """Index the model once: requirement nodes, settings, experience caps, satisfiers and earners."""
        m = self.model
        self._footprints: dict[str, tuple] = {}  # per role: what of a state its entry looks at (Stepper)
        self._options_cache: dict[tuple, list[Option]] = {}  # options by role and footprint (Stepper)
        self._step_costs: dict[Option, tuple] = {}  # an option's five counts (Search)
        self._months_cache: dict[tuple[Option, bool], float] = {}  # an option's months (a search asks again)
        self._durations: dict[str, Months | None] = {}  # each credential's length, other names included
        self._nodes: dict[str, Requirement] = {}
        for tree in self._all_trees():
            for node in walk(tree):
                self._nodes[node.id] = node
        self._free = frozenset(r for r, role in m.roles.items() if self.entry_tree(role) is None)  # anyone enters
        self._role_order = {r: i for i, r in enumerate(m.roles)}
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

    def within(self, tree: Requirement | None, seen: set[str] | None = None) -> Iterator[Requirement]:
        """Every node of ``tree``, then of the prerequisite trees of each credential it asks for that can
        be earned for one (``_earners``), transitively; each credential's once, ``seen`` holding those
        followed already (a set several calls share follows each credential once in all)."""
        seen = set() if seen is None else seen
        todo = [tree]
        while todo:
            for node in walk(todo.pop()):
                yield node
                if isinstance(node, CredentialReq):
                    for c in self._earners.get(node.credential, (node.credential,)):
                        if c not in seen and c in self.model.credentials:
                            seen.add(c)
                            todo.append(self.model.credentials[c].requires)

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
        return sum(m for r, m in state.experience if r in roles)  # the state's few, not the setting's many

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
        key = (opt, low)
        found = self._months_cache.get(key)
        if found is None:
            if len(self._months_cache) > 200_000:
                self._months_cache.clear()
            found = self._months_cache[key] = self._option_months(opt, low)
        return found

    def _option_months(self, opt: Option, low: bool) -> float:
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
        if cid not in self._durations:
            self._durations[cid] = self._duration(cid)
        return self._durations[cid]

    def _duration(self, cid: str) -> Months | None:
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

    def option_unknown_count(self, opt: Option) -> int:
        """``len(option_unknown(opt)) + len(option_unrecorded(opt))``, without putting them in order."""
        creds = self.model.credentials
        count = 0
        for c in opt.creds:
            count += self.duration(c) is None
            count += c in creds and bool(creds[c].requirements_unrecorded)
        for r in opt.outside:
            node = self._nodes.get(r)
            count += isinstance(node, ExperienceReq) and node.min_months is None
        return count

    def option_unrecorded(self, opt: Option) -> tuple[str, ...]:
        """Credentials an option earns whose own requirements no source records."""
        creds = self.model.credentials
        return tuple(c for c in sorted(opt.creds) if c in creds and creds[c].requirements_unrecorded)

    # -- states ---------------------------------------------------------------


def _describe_leaf(model: Model, node: Requirement) -> str:
    from ..describe import experience_line

    if isinstance(node, CredentialReq):
        return model.label(node.credential)
    if isinstance(node, ExperienceReq):
        return experience_line(model, node)
    if isinstance(node, RoleReq):
        return f"qualification as {model.label(node.role)}"
    return node.id


def _prune(options: list[Option], planner: Evaluator) -> list[Option]:
    """Drop duplicates; past MAX_OPTIONS keep the cheapest."""
    unique = list({(o.creds, o.accrue, o.outside): o for o in reversed(options)}.values())[::-1]
    if len(unique) > MAX_OPTIONS:
        unique.sort(key=lambda o: (planner.option_months(o), len(o.outside), len(o.creds)))
        unique = unique[:MAX_OPTIONS]
    return unique

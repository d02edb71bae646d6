"""Moving between states: where a person starts, which roles they can enter next, and the step into one."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from ..model import ContinuingEducation, CredentialReq, ExperienceReq, Role, RoleReq, walk
from .bounds import _clauses
from .evaluation import Evaluator
from .state import Accrual, Option, Path, State, Stay, Step

_EPS = 1e-9  # months that differ by less are the same (a shortfall less a stay, worked out two ways)


class Stepper(Evaluator):
    """States and transitions over one model; :class:`~radgraph.planner.search.Search` builds on it."""

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
        # the clauses of one credential: every way in asks for these. Worked out on the tree itself; an
        # intersection over its disjunctive form, cut at MAX_OPTIONS terms, could name one some way does not
        return {c for clause in _clauses(tree) for c in clause if len(clause) == 1} if tree is not None else set()

    def transitions(self, state: State, allowed: set[str] | None = None) -> Iterator[tuple[str, Option, float]]:
        """(role, option, months) for every role enterable from ``state`` (among ``allowed``).

        Staying longer in the current role first is not a transition here but one of its own
        (``stays``): the search weighs it once a state, not once for every option of every role.
        """
        for rid in self._in_order(allowed):
            if rid == state.role:
                continue
            for opt in self.role_options(state, rid):
                yield rid, opt, self.option_months(opt)

    def _in_order(self, allowed: set[str] | None) -> list[str] | tuple[str, ...]:
        """The roles among ``allowed`` (None: all) in the model's order (ties break the same way every run)."""
        if allowed is None:
            return tuple(self.model.roles)
        cache = self.__dict__.setdefault("_order_cache", {})
        key = id(allowed)
        found = cache.get(key)
        if found is None or found[0] is not allowed:
            order = self._role_order
            found = cache[key] = (allowed, sorted((r for r in allowed if r in order), key=order.__getitem__))
            if len(cache) > 64:
                cache.clear()
                cache[key] = found
        return found[1]

    def role_options(self, state: State, role_id: str) -> list[Option]:
        """``options`` for entering ``role_id`` from ``state``, remembered by the part of the state the
        role's requirements look at (its footprint): many states differ only elsewhere."""
        fp = self._footprint(role_id)
        creds, roles, exp_roles, window = fp
        here = state.role if state.role in exp_roles else None
        key = (role_id, here, state.held & creds, state.roles_held & roles,
               tuple(x for x in state.experience if x[0] in exp_roles), state.stint if here and window else 0.0)
        found = self._options_cache.get(key)
        if found is None:
            found = self.options(self.entry_tree(self.model.roles[role_id]), state, role_id)
            if len(self._options_cache) > 200_000:  # bounded memory on long searches
                self._options_cache.clear()
            self._options_cache[key] = found
        return found

    def _footprint(self, role_id: str) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
        """What of a state entering ``role_id`` depends on: (credentials whose holding matters, roles whose
        holding matters, roles whose months or current holding matter, whether a window counts the stint)."""
        found = self._footprints.get(role_id)
        if found is not None:
            return found
        creds: set[str] = set()
        roles: set[str] = set()
        exp_roles: set[str] = set()
        window = False
        for node in self.within(self.entry_tree(self.model.roles[role_id])):
            if isinstance(node, RoleReq):
                roles.add(node.role)
            elif isinstance(node, ExperienceReq):
                matching = self.matching_roles(node)
                roles |= matching
                exp_roles |= matching
                window = window or node.within_months is not None
            elif isinstance(node, CredentialReq):
                creds |= self._satisfiers.get(node.credential, {node.credential})
        found = self._footprints[role_id] = (frozenset(creds), frozenset(roles), frozenset(exp_roles), window)
        return found

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

    def stays(self, state: State) -> Iterator[tuple[Stay, State]]:
        """(the stay, the state after it) for each longer stay in the current role (``extra_accruals``).

        A stay is a transition of its own: ``months`` more in the role held now, counted in its
        experience (up to ``_exp_cap``) and in its stint; it costs those months and no step, and
        the step that follows is worked out from the state after it. It is the same as staying
        as part of that step, which the planner used to offer as a copy of every option of every
        role (one per stay). Let S be in role R, opt an option into role T from S, each of its
        accruals (x, n_x) months still short in R (every accrual counts the current role:
        ``options``), own = max n_x, and m a stay (a shortfall of a requirement in
        ``extra_accruals``). Its months are creds + own + outside (``option_months``).

        * From S' = S after the stay, every leaf that counts R is m months nearer: experience
          without a window sums the roles' months, of which R's grew by m (or reached its cap,
          the most any requirement of R asks, and then every leaf counting R is met); a window
          counts the stint, which grew by m too; nothing else of the state changed. So the
          options from S' are those from S with each accrual (x, n_x) made (x, n_x - m), or
          dropped when n_x <= m; credentials and outside requirements the same.
        * m > own: the step from S' takes creds + outside months, the stay m; in all
          m + creds + outside = creds + max(own, m) + outside, the months of the step that stayed
          (opt with (leaf, m) added), with the same outside requirements, unknowns, credentials
          and one step. Both end in T holding the same, with min(e + m, cap) months in R.
        * m <= own: m + creds + (own - m) + outside is the step without a stay, and
          min(min(e + m, cap) + own - m, cap) = min(e + own, cap): the same end state.
        * Stays after a stay: each shortfall at S' is the one at S less m, so a stay m2 from S'
          ends where the stay m + m2 from S does, at the same cost. Each stay meets at least
          one more requirement of R (or caps R's months), so at most ``len(_banked[R])`` follow
          one another: no loop. None follows a step's start in another role.

        So every path with stays costs what a path of steps that stayed costs, and every such
        path is one with stays: the best rank is the same. The A* bound is a function of a
        state, a lower bound on the cheapest way on from it; the ways on from any state cost the
        same in both forms, so it stays a lower bound at a stay's state. (It must hold at every
        state, not only those a search used to meet: a state in a role, months short, was before
        only ever a start, expanded whatever its bound. One place where the bound overstated at
        such states is fixed in ``bounds.below``.) ``joined`` gives the step as it was shown: the
        stay an accrual of the step after it, its months in that step's.
        """
        for leaf_id, months in self.extra_accruals(state):
            yield Stay(leaf_id, months), self.stay(state, months)

    def stay(self, state: State, months: float) -> State:
        """``state`` after ``months`` more in its role (its months there capped, ``_exp_cap``)."""
        exp = dict(state.experience)
        exp[state.role] = min(exp.get(state.role, 0.0) + months, self._exp_cap.get(state.role, 0.0))
        return State(state.role, state.held, state.roles_held, tuple(sorted(exp.items())), state.stint + months)

    def joined(self, state: State, role_id: str, opt: Option, stay: Stay) -> Option:
        """The option from ``state`` that staying ``stay.months`` and then taking ``opt`` (an option
        from the state after the stay) amounts to: the option from ``state`` whose accruals, less
        the stay, are ``opt``'s (the first, as the search would have met it), with the stay added
        when it is longer than its own accruals (``stays`` shows why the months agree)."""
        m = stay.months
        want = sorted(opt.accrue)
        for first in self.role_options(state, role_id):
            if first.creds != opt.creds or first.outside != opt.outside:
                continue
            rest = sorted((x, n - m) for x, n in first.accrue if n - m > _EPS)
            if len(rest) == len(want) and all(a[0] == b[0] and abs(a[1] - b[1]) <= _EPS
                                              for a, b in zip(rest, want, strict=True)):
                own = max((n for _, n in first.accrue), default=0.0)
                if m > own:
                    return Option(first.creds, first.accrue | {(stay.requirement, m)}, first.outside, first.why)
                return first
        # not met (options past MAX_OPTIONS are cut differently): the same months, said plainly
        return Option(opt.creds, frozenset({(x, n + m) for x, n in opt.accrue} | {(stay.requirement, m)}),
                      opt.outside, opt.why)

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

    def restated(self, path: Path) -> Path:
        """``path``, planned over a model of the same structure that lacked the sources (a part read from
        a server before its evidence, ``sparql.fetch_evidence``), with this model's requirements: their
        sources, caveats and corrections, as a plan on this model shows them. The steps, lengths and
        ranks are the path's own: the structure, all a search reads, is the same. Each requirement is taken
        from the trees of the path's own roles and credentials (where a node two trees share lies in one
        read again with its sources and in one not, the path's)."""
        creds = self.model.credentials
        own = {n.id: n for s in path.steps
               for tree in (self.entry_tree(self.model.roles[s.to_role]), *(creds[c].requires for c in s.earn if c in creds))
               for n in walk(tree)}

        def node(r):
            return own.get(r.id) or self._nodes[r.id]

        def step(s: Step) -> Step:
            ongoing = tuple(n for n in walk(self.model.roles[s.to_role].maintains) if isinstance(n, ContinuingEducation))
            return replace(s, accrue=tuple(replace(a, requirement=node(a.requirement)) for a in s.accrue),
                           outside=tuple(node(r) for r in s.outside), ongoing=ongoing,
                           why=tuple((c, node(r)) for c, r in s.why))

        return replace(path, steps=tuple(step(s) for s in path.steps))

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

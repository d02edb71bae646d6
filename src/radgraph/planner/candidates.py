"""The ways into the roles that can meet one leaf of the goal, and the least any of them costs from a state.

Part of the A* bound (``planner/bounds.py`` builds the ways and says why their sum never overstates);
here, what one leaf's ways cost, worked out again only where a step changed what they read.
"""

from __future__ import annotations

from .state import State


class Candidates:
    """The ways into the roles that can meet one experience or role leaf, and the least cost of any.

    Each way is (groups of (cost, guards) of its credentials and their prerequisites, (months, roles,
    window, below, counted) of its own experience leaves, counted: what the goal and the way count);
    its cost from a state: the credentials not held, and the dearest of its experience leaves still short: the months short (worked before the step into the
    role, so on top of the leaf's own months) and, when the state is not in a role that counts, what
    comes before the first step into one (``below``): that step, and the least any way into such a
    role still asks, its credentials not held and its months short (worked before that step, so on
    top of both). The segments are apart in time (each before the first step into a role that counts
    for the next), and a credential is counted at one level only (``below`` leaves out any a
    credential counted at the goal or in this way can satisfy), so the sum never overstates. A window
    counts only the months of the current stint, which is never more than ``stint``: the shortfall is
    never overstated.

    A search asks at every state it reaches, and most states differ from the one they came from
    by the few credentials one step earned: the ways sorted by cost for the earlier state are
    kept, and only the ways those credentials touch are recomputed (and those the months, role or
    stint that changed count in: a stay, and every step after one, changes the stint).
    """

    def __init__(self, ways: list[tuple[list, tuple]], zero: tuple, month: tuple, step: tuple) -> None:
        self.ways = ways
        self.zero = zero
        self.month = month  # one month, in the ranking's order
        self.step = step  # one step, likewise
        self.deeper: dict[tuple, tuple] = {}  # what ``below`` costs, by (below, counted and held, experience, stint)
        self.touches: dict[str, list[int]] = {}  # credential -> the ways holding it lowers
        self.counts: dict[str, list[int]] = {}  # role -> the ways months in it lower
        self.windowed: set[int] = set()  # the ways the stint counts in (a window, theirs or below)
        self.priced: dict[int, frozenset[str]] = {}  # the credentials a below's ways count, by its id
        for i, (groups, leaves) in enumerate(ways):
            for c in guarded(groups):
                self.touches.setdefault(c, []).append(i)
            for _, roles, window, below, _ in leaves:  # the roles whose months or holding change the way's cost
                for r in frozenset(roles).union(*(x[1] for way in below or () for x in way[0])):
                    self.counts.setdefault(r, []).append(i)
                if window or any(x[2] for way in below or () for x in way[0]):
                    self.windowed.add(i)
                if below:  # and the credentials of the ways below
                    priced = self.priced.get(id(below))
                    if priced is None:
                        priced = self.priced[id(below)] = frozenset().union(*(guarded(g) for _, g in below))
                    for c in priced:
                        self.touches.setdefault(c, []).append(i)
        self.sorted: dict[tuple, list[tuple]] = {}

    def credentials_cost(self, i: int, held: frozenset[str]) -> tuple:
        return self.groups_cost(self.ways[i][0], held)

    def groups_cost(self, groups, held: frozenset[str]) -> tuple:
        """What the groups of credentials not held cost: each group its dearest member still to earn."""
        total = self.zero
        for group in groups:
            dearest = max((cost for cost, guards in group if any(held.isdisjoint(g) for g in guards)), default=None)
            if dearest is not None:
                total = tuple(x + y for x, y in zip(total, dearest, strict=True))
        return total

    def with_months(self, i: int, credentials: tuple, held: frozenset[str], experience: tuple, stint: float,
                    role: str | None = None) -> tuple:
        worst = None
        for months, roles, window, below, counted in self.ways[i][1]:
            short = months - (stint if window else sum(m for r, m in experience if r in roles))
            if short <= 0:
                continue
            extra = (self.before(below, counted, held, experience, stint) if below is not None and role not in roles
                     else self.zero)
            cost = tuple(short * m + e for m, e in zip(self.month, extra, strict=True))
            if worst is None or cost > worst:
                worst = cost
        if worst is None:
            return credentials
        return tuple(x + y for x, y in zip(credentials, worst, strict=True))

    def before(self, below: tuple, counted: frozenset[str], held: frozenset[str], experience: tuple,
               stint: float) -> tuple:
        """One step, and the least any of the ``below`` ways still asks: its credentials neither held nor
        ``counted`` (by the way above or the goal: a credential any of them can satisfy is left out, as
        ``groups_for`` leaves out one it reaches only through such a credential), and the months its
        dearest experience leaf is still short."""
        # both live as long as the bound; of what is held, only what the ways count matters
        priced = self.priced.get(id(below))
        key = (id(below), (id(counted), held & priced) if priced else None, experience, stint)
        found = self.deeper.get(key)
        if found is None:
            held = held | counted
            least = None
            for way, groups in below:
                short = max((months - (stint if window else sum(m for r, m in experience if r in roles))
                             for months, roles, window in way), default=0.0)
                cost = tuple(c + max(short, 0.0) * m for c, m in zip(self.groups_cost(groups, held), self.month,
                                                                      strict=True))
                if least is None or cost < least:
                    least = cost
            found = tuple(s + c for s, c in zip(self.step, least or self.zero, strict=True))
            if len(self.deeper) > 100_000:
                self.deeper.clear()
            self.deeper[key] = found
        return found

    def cost(self, i: int, held: frozenset[str], experience: tuple, stint: float = 0.0,
             role: str | None = None) -> tuple:
        return self.with_months(i, self.credentials_cost(i, held), held, experience, stint, role)

    def _ranked(self, state: State) -> tuple[list[tuple], list[tuple]]:
        """(the ways sorted by cost, each way's credentials cost), for ``state``."""
        key = (state.held, state.experience, state.stint, state.role)
        found = self.sorted.get(key)
        if found is None:
            if len(self.sorted) > 4096:
                self.sorted.clear()
            own = [self.credentials_cost(i, state.held) for i in range(len(self.ways))]
            ranked = sorted((self.with_months(i, own[i], state.held, state.experience, state.stint, state.role), i)
                            for i in range(len(self.ways)))
            found = self.sorted[key] = (ranked, own)
        return found

    def least(self, state: State, before: State | None = None) -> tuple:
        if not self.ways:
            return self.zero
        if before is None:
            return self._ranked(state)[0][0][0]
        ranked, own = self._ranked(before)
        touched = {i for c in state.held - before.held for i in self.touches.get(c, ())}
        worked: set[int] = set()  # ways only the months worked since lower: their credentials cost the same
        if before.experience != state.experience or before.role != state.role:
            changed = {r for r, _ in set(before.experience) ^ set(state.experience)} | {before.role, state.role}
            worked = {i for r in changed for i in self.counts.get(r, ())} - touched
        if before.stint != state.stint:  # a stay, or the step after one: only a window reads the stint
            worked |= self.windowed - touched
        best = None
        for cost, i in ranked:  # the cheapest way the step did not touch
            if i not in touched and i not in worked:
                best = cost
                break
        for i in touched:
            cost = self.cost(i, state.held, state.experience, state.stint, state.role)
            if best is None or cost < best:
                best = cost
        for i in worked:
            cost = self.with_months(i, own[i], state.held, state.experience, state.stint, state.role)
            if best is None or cost < best:
                best = cost
        return best


def guarded(groups) -> frozenset[str]:
    """Every credential the guards of ``groups`` (of (cost, guards)) name: whose holding changes their cost."""
    return frozenset().union(*(guard for group in groups for _, guards in group for guard in guards))

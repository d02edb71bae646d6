"""Seniority tiers and the ladder's steps, read from the data: what the pictures stand on.

A role's **tier** says how senior it is. It comes from two facts the planner gives:

1. **Time to enter from no role**: the typical months of the best way in from
   "no role yet", ranked as the planner ranks paths (fewest items of unknown
   length first, then months). This is :meth:`Planner.entry_total`'s measure;
   here it is computed once for every role, by a shortest-path search over the
   ladder's steps, so a graph of hundreds of roles takes seconds, not minutes.
   The months fall in bands: under 2 years (entry jobs), 2 to 5 years
   (technologists), 5 to 10 years (advanced and postprimary), 10 years or more
   (physicians).
2. **Built on another role**: when the best way in passes through another
   role (the Interventional Radiology Technologist and the R.R.A. ask for a
   Radiologic Technologist's standing), the role sits at least one band above
   that role. Time alone would put the interventional technologist beside the
   radiologic technologist (both about 2 years of known time); it cannot be
   entered without being one first.

A step is **up** when it leads to a role that takes longer to enter, **down**
when it leads to one that takes less, **across** when they take as long; an
across step that asks for nothing new (Diagnostic Radiologic Technologist ->
Radiologic Technologist) moves nowhere. Pictures draw up and across steps; steps
down and moves that ask nothing are drawn only on request.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass

from ..model import CredentialReq, ExperienceReq, RoleReq, walk


@dataclass(frozen=True)
class Tier:
    """One band of the ladder: its place (0 at the entry end), short name and the rule that fills it."""

    index: int
    name: str
    rule: str


#: The bands, entry end first. ``months`` is the least typical months from no role to enter one.
TIERS = (
    Tier(0, "Entry jobs", "under 2 years to enter"),
    Tier(1, "Technologists", "2 to 5 years to enter"),
    Tier(2, "Advanced and postprimary", "5 to 10 years, or entered from a role below"),
    Tier(3, "Physicians", "10 years or more to enter"),
)
#: Roles no way in was found for, after every band.
NO_WAY_IN = Tier(4, "No way in found", "no path from no role yet")
#: The start node "no role yet", before every band.
START_TIER = Tier(-1, "Start", "no role yet")
_BAND_MONTHS = (24, 60, 120)  # the least months of bands 1, 2, 3


def band(months: float) -> int:
    """The band of a role by typical months from no role: 0 under 24, 1 under 60, 2 under 120, else 3.

    Examples
    --------
    >>> [band(m) for m in (0, 12, 24, 59, 72, 135)]
    [0, 0, 1, 1, 2, 3]
    """
    return sum(months >= edge for edge in _BAND_MONTHS)


def tier_of(index: int) -> Tier:
    """The :class:`Tier` with this index (-1 start, 4 no way in).

    Examples
    --------
    >>> tier_of(1).name
    'Technologists'
    """
    return {t.index: t for t in (START_TIER, *TIERS, NO_WAY_IN)}[index]


@dataclass(frozen=True)
class Ladder:
    """The ladder's steps and every role's seniority, for one planner and what is held.

    ``base``: the best step from no role into each role that can be entered so.
    ``steps``: ``{(from, to): Step}``, every step from a role that makes entering
    ``to`` cheaper than from no role (or possible at all); with ``every_step``,
    every possible step. ``entry``: ``{role: (rank key, roles passed, steps)}``
    of the best way in from no role. ``tiers``: ``{role: tier index}``.
    """

    base: dict
    steps: dict
    entry: dict
    tiers: dict

    def months(self, role: str) -> float | None:
        """Typical months of the best way in from no role (None: no way in)."""
        found = self.entry.get(role)
        return None if found is None else found[0][_MONTHS]

    def entry_time(self, role: str) -> str:
        """The best way in from no role in plain words: ``at least 2 years``, ``time not known``."""
        from ..model import Months

        found = self.entry.get(role)
        if found is None:
            return "no way in found"
        steps = found[2]
        total = Months(sum(s.total.min for s in steps), sum(s.total.typical for s in steps))
        return time_text(total, sum(len(s.unknown) for s in steps))

    def direction(self, step) -> str:
        """``"up"``, ``"across"``, ``"down"`` or ``"none"`` (across, asking nothing new) for one step."""
        if step.from_role is None:
            return "up"
        here, there = self.months(step.from_role), self.months(step.to_role)
        here = float("inf") if here is None else here
        there = float("inf") if there is None else there
        if there != here:
            return "down" if there < here else "up"
        if self.tiers.get(step.to_role, 0) > self.tiers.get(step.from_role, 0):
            return "up"
        if not (step.earn or step.accrue or step.outside):
            return "none"
        return "across"


def time_text(total, unknown: int) -> str:
    """How long a step takes, in plain words, for a picture's label.

    Examples
    --------
    >>> from radgraph.model import Months
    >>> time_text(Months(24, 24), 0), time_text(Months(0, 0), 2), time_text(Months(12, 24), 1)
    ('about 2 years', 'time not known', 'at least 1 year')
    >>> time_text(Months(0, 0), 0)
    'no wait'
    """
    from ..model import Months

    if unknown and total.typical < 1:
        return "time not known"
    if unknown:
        return "at least " + Months(total.min, total.min).text().removeprefix("about ")
    if total.typical < 1:
        return "no wait"
    return total.text()


def ladder(planner, have=(), every_step: bool = False) -> Ladder:
    """The ladder for ``planner``, holding credential ids ``have``; tiers always as held by no one.

    Examples
    --------
    >>> import radgraph
    >>> from radgraph.planner import Planner
    >>> L = ladder(Planner(radgraph.load().model))
    >>> names = ["radiology-imaging-procedure-assistant", "radiologic-technologist",
    ...          "interventional-radiology-technologist", "registered-radiologist-assistant", "radiologist"]
    >>> [L.tiers["https://w3id.org/radgraph/id/role/" + n] for n in names]
    [0, 1, 2, 2, 3]
    """
    from ..planner import rank_key

    have = tuple(have)
    roles = planner.model.roles
    base = _best_steps(planner, planner.start_state(None, have))
    steps: dict = {}
    needs = {b: _asks_about(planner, b) for b in roles}
    for a in sorted(roles):
        state = planner.start_state(a, have)
        if every_step:
            allowed = None
        else:  # a role that holds nothing a step asks about makes it no cheaper than from no role
            allowed = {b for b in roles if b != a and (a in needs[b][1] or not state.held.isdisjoint(needs[b][0]))}
        for b, step in _best_steps(planner, state, allowed).items():
            if every_step or b not in base or rank_key((step,)) < rank_key((base[b],)):
                steps[a, b] = step
    if have:  # seniority is the role's, not the reader's: tiers as for someone who holds nothing
        plain = ladder(planner)
        entry, tiers = plain.entry, plain.tiers
    else:
        entry = _entry(base, steps)
        tiers = _tiers(roles, entry)
    return Ladder(base=base, steps=steps, entry=entry, tiers=tiers)


_MONTHS = 1  # where the months sit in the planner's rank key ("known": unknowns, months, ...)


def _best_steps(planner, state, allowed=None) -> dict:
    """The cheapest step into each role enterable from ``state`` (among ``allowed``), as the planner ranks."""
    from ..planner import ORDERS

    # The rank key of the step each option makes (Planner.make_step, then rank_key), read off the
    # option: a step is made only for each role's best option, not for all of them (5x faster).
    best: dict = {}
    for rid, opt, months in planner.transitions(state, allowed):
        unknown = len(planner.option_unknown(opt)) + len(planner.option_unrecorded(opt))
        counts = (months, len(opt.outside), unknown, len(opt.creds), 1)
        key = tuple(counts[i] for i in ORDERS["known"])
        if rid not in best or key < best[rid][0]:
            best[rid] = (key, opt)
    return {rid: planner.make_step(state, rid, opt) for rid, (key, opt) in best.items()}


def _asks_about(planner, role_id: str) -> tuple[frozenset[str], frozenset[str]]:
    """(credentials, roles) entering ``role_id`` asks about, through credentials' own requirements.

    Credentials include whatever satisfies them (another name, what counts as
    them), so a held credential is relevant exactly when it is in this set.
    """
    satisfiers = _satisfiers(planner)
    creds: set[str] = set()
    found_roles: set[str] = set()
    seen: set[str] = set()
    trees = [planner.entry_tree(planner.model.roles[role_id])]
    while trees:
        for node in walk(trees.pop()):
            if isinstance(node, RoleReq):
                found_roles.add(node.role)
            elif isinstance(node, ExperienceReq):
                found_roles |= planner.matching_roles(node)
            elif isinstance(node, CredentialReq):
                for c in satisfiers.get(node.credential, (node.credential,)):
                    creds.add(c)
                    if c not in seen and c in planner.model.credentials:
                        seen.add(c)
                        trees.append(planner.model.credentials[c].requires)
    return frozenset(creds), frozenset(found_roles)


def _satisfiers(planner) -> dict[str, frozenset[str]]:
    """Every credential -> the credentials that satisfy it (itself, other names, what counts as it); cached."""
    cached = planner.__dict__.get("_export_satisfiers")
    if cached is None:
        given_by: dict[str, set[str]] = {}
        for c in planner.model.credentials:
            for g in planner.gives(c):
                given_by.setdefault(g, set()).add(c)
        cached = {}
        for c in planner.model.credentials:
            seen, todo = {c}, [c]
            while todo:
                for y in given_by.get(todo.pop(), ()):
                    if y not in seen:
                        seen.add(y)
                        todo.append(y)
            cached[c] = frozenset(seen)
        planner.__dict__["_export_satisfiers"] = cached
    return cached


def _entry(base: dict, steps: dict) -> dict:
    """The best way in from no role to every role: a shortest-path search over the steps.

    Keys add up step by step (the planner's rank key is a sum of counts), so
    Dijkstra's search over rank keys finds the best chain of steps.
    """
    from ..planner import rank_key

    out: dict[str | None, list] = {None: sorted(base.items())}
    for (a, b), step in sorted(steps.items()):
        out.setdefault(a, []).append((b, step))
    zero = rank_key(())
    best = {None: (zero, (), ())}
    done: dict = {}
    counter = itertools.count()
    heap = [(zero, next(counter), None)]
    while heap:
        key, _, a = heapq.heappop(heap)
        if a in done:
            continue
        done[a] = best[a]
        for b, step in out.get(a, ()):
            if b in done:
                continue
            new = tuple(x + y for x, y in zip(key, rank_key((step,)), strict=True))
            if b not in best or new < best[b][0]:
                best[b] = (new, best[a][1] + ((a,) if a is not None else ()), best[a][2] + (step,))
                heapq.heappush(heap, (new, next(counter), b))
    done.pop(None)
    return done


def _tiers(roles, entry: dict) -> dict[str, int]:
    """Each role's band: by months from no role, and above every role its best way in passes through."""
    tiers: dict[str, int] = {}

    def tier(r: str) -> int:
        if r not in tiers:
            if r not in entry:
                tiers[r] = NO_WAY_IN.index
            else:
                key, via, _ = entry[r]
                below = max((min(tier(v) + 1, TIERS[-1].index) for v in via if v in entry), default=0)
                tiers[r] = max(band(key[_MONTHS]), below)
        return tiers[r]

    for r in sorted(roles, key=lambda r: len(entry[r][1]) if r in entry else 0):
        tier(r)
    return tiers

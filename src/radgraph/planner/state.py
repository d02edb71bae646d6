"""The planner's state and answers: what a person holds, one step, one path, and how paths rank."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

from ..model import ContinuingEducation, ExperienceReq, Months, Ref, Requirement

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
class Stay:
    """Months more in the role held now, before the next step (``Stepper.stays``): never a step itself."""

    requirement: str  # the experience requirement the stay meets (its id)
    months: float


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
    labels: tuple[str, ...] = ()  # the roles' labels, in the same order ("none" for no role)

    def __repr__(self) -> str:
        names = " -> ".join(self.labels or (r or "none" for r in self.roles))
        return f"Path({names}: {self.total.text()}, {len(self.unknown)} unknown)"

    @property
    def role_refs(self) -> tuple[Ref, ...]:
        """The roles as objects with id and label (``Ref``; the start's id is None for no role)."""
        labels = self.labels or tuple(r or "none" for r in self.roles)
        return tuple(Ref(id=r, label=lbl) for r, lbl in zip(self.roles, labels, strict=True))

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


_PICK = {name: itemgetter(*order) for name, order in ORDERS.items()}  # each order as one call


def _ordered(counts: tuple, optimize: str) -> tuple:
    return _PICK[optimize](counts)


def rank_key(steps: tuple[Step, ...], optimize: str = "known") -> tuple:
    months = sum(s.months for s in steps)
    outside = sum(len(s.outside) for s in steps)
    unknown = sum(len(s.unknown) + len(s.unrecorded) for s in steps)
    earned = sum(len(s.earn) for s in steps)
    return _ordered((months, outside, unknown, earned, len(steps)), optimize)


# ------------------------------------------------------------------ the planner


def _dominates(a: State, b: State) -> bool:
    """True when ``a`` holds at least what ``b`` holds (same role assumed)."""
    if not (a.held >= b.held and a.roles_held >= b.roles_held and a.stint >= b.stint):
        return False
    exp_a = dict(a.experience)
    return all(exp_a.get(r, 0.0) >= m for r, m in b.experience)


def path_credentials(path: Path) -> list[str]:
    """Every credential a path earns, in order."""
    return [c for s in path.steps for c in s.earn]

"""Plain dataclasses read out of the RDF: Role, Credential, Organization, Requirement.

They hold IRIs as strings and know nothing of rdflib, so a :class:`Model`
pickles cheaply and the planner can run without importing rdflib.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import AmbiguousNameError, UnknownNameError


@dataclass(frozen=True)
class Evidence:
    """A short verbatim fragment of a source, with the section it stands in."""

    id: str
    quote: str
    section: str
    source: str  # IRI of the source document
    source_label: str = ""
    inference: str = ""  # set when the fact it supports is inferred: the reason

    def to_dict(self) -> dict:
        d = {
            "id": self.id,
            "section": self.section,
            "quote": self.quote,
            "source": {"id": self.source, "label": self.source_label},
        }
        if self.inference:
            d["inferred"] = self.inference
        return d


@dataclass(frozen=True)
class Ref:
    """Anything named by IRI and label (a system, skill, jurisdiction, position...)."""

    id: str
    label: str
    notation: str = ""

    def to_dict(self) -> dict:
        d = {"id": self.id, "label": self.label}
        if self.notation:
            d["notation"] = self.notation
        return d


@dataclass(frozen=True)
class Code:
    """An external occupation a role matches (O*NET-SOC, ESCO), and how closely.

    ``match`` is ``"exact"`` (skos:exactMatch) or ``"close"`` (skos:closeMatch);
    ``scheme`` is the label of the occupation's skos:inScheme; ``groups`` are its
    skos:broader concepts (for an ESCO occupation, its ISCO-08 unit group).
    """

    id: str
    label: str
    notation: str = ""
    match: str = ""
    scheme: str = ""
    groups: tuple[Ref, ...] = ()

    def to_dict(self) -> dict:
        d = Ref(self.id, self.label, self.notation).to_dict()
        d["match"] = self.match
        d["scheme"] = self.scheme
        if self.groups:
            d["groups"] = [g.to_dict() for g in self.groups]
        return d


@dataclass(frozen=True)
class Correction:
    """What a source got wrong or what has changed since it was written, and the current fact.

    The source's own words stay in the graph; a correction is shown beside them,
    never in their place. ``since`` is the ISO date the change took effect, where known.
    """

    text: str
    since: str = ""
    sources: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict:
        d = {"text": self.text, "sources": [e.to_dict() for e in self.sources]}
        if self.since:
            d["since"] = self.since
        return d


@dataclass(frozen=True)
class Months:
    """A length of time: the least and the typical number of months a source gives.

    An unknown length is not a ``Months`` at all (``None``), never zero.

    Examples
    --------
    >>> Months(24, 24).text()
    'about 2 years'
    >>> Months(18, 24).text()
    '1.5 to 2 years'
    >>> (Months(12, 15) + Months(48, 48)).text()
    '5 years to 5 years 3 months'
    >>> (Months(156, 180)).text()
    '13 to 15 years'
    >>> Months(132, 135).text()
    '11 years to 11 years 3 months'
    >>> Months(0, 0).text()
    'less than a month'
    >>> Months(12, 15).text()
    '12 to 15 months'
    >>> Months(132, 135).short()
    '11-11.25 yrs'
    """

    min: float
    typical: float

    def __add__(self, other: Months) -> Months:
        return Months(self.min + other.min, self.typical + other.typical)

    def to_dict(self) -> dict:
        return {"min": _number(self.min), "typical": _number(self.typical)}

    def text(self) -> str:
        """Plain words: 'about 2 years', '13 to 15 years', '12 to 15 months', 'less than a month'."""
        if self.typical < 1:
            return "less than a month"
        if self.min == self.typical:
            return ("about " if self.min >= 12 else "") + _span(self.min)
        low, high = _span(self.min), _span(self.typical)
        if self.typical < 24 and not (low.endswith("years") and high.endswith("years")):
            low, high = _span(self.min, months_only=True), _span(self.typical, months_only=True)
        for unit in (" years", " months"):
            if low.endswith(unit) and high.endswith(unit) and unit[:-1] not in low[: -len(unit)]:
                low = low[: -len(unit)]
        return f"{low} to {high}"

    def short(self) -> str:
        """For tables: '2 yrs', '11-11.25 yrs', '12-15 mo', '<1 mo'."""
        if self.typical < 1:
            return "<1 mo"
        if self.typical < 24:
            low, high, unit = _number(self.min), _number(self.typical), "mo"
        else:
            low, high, unit = _number(self.min / 12), _number(self.typical / 12), "yrs"
        return f"{high} {unit}" if low == high else f"{low}-{high} {unit}"


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(float(x), 2)


def _span(months: float, months_only: bool = False) -> str:
    """Months in words: under two years in months (a whole or half year in years), else years and months.

    >>> [_span(m) for m in (1, 6, 12, 18, 20, 24, 87, 132)]
    ['1 month', '6 months', '1 year', '1.5 years', '20 months', '2 years', '7 years 3 months', '11 years']
    """
    if months >= 12 and (months / 6).is_integer() and not months_only:
        years = _number(months / 12)
        return f"{years} year" + ("" if years == 1 else "s")
    if months > 24 and not months_only:
        years, rest = divmod(_number(months), 12)
        return f"{int(years)} years {_number(rest)} month" + ("" if rest == 1 else "s")
    n = _number(months)
    return f"{n} month" + ("" if n == 1 else "s")


def _short(cls_name: str, label: str) -> str:
    return f"{cls_name}({label!r})"


@dataclass(frozen=True, repr=False)
class Organization:
    id: str
    label: str
    notation: str = ""
    types: tuple[str, ...] = ()  # e.g. ("CertifyingBody",)
    part_of: tuple[str, ...] = ()
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    correction: Correction | None = None

    def __repr__(self) -> str:
        return _short("Organization", self.label)


# ------------------------------------------------------------ requirements


@dataclass(frozen=True)
class AllOf:
    id: str
    members: tuple[Requirement, ...]
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


@dataclass(frozen=True)
class AnyOf:
    id: str
    members: tuple[Requirement, ...]
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


@dataclass(frozen=True)
class CredentialReq:
    id: str
    credential: str
    condition: str = ""
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


@dataclass(frozen=True)
class ExperienceReq:
    id: str
    min_months: int | None = None
    max_months: int | None = None
    within_months: int | None = None
    role: str | None = None
    setting: str | None = None
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


@dataclass(frozen=True)
class RoleReq:
    id: str
    role: str
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


@dataclass(frozen=True)
class ContinuingEducation:
    id: str
    label: str
    administered_by: tuple[str, ...] = ()
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    effective_from: str = ""  # ISO date the rule took effect, where a source states it
    effective_until: str = ""  # ISO date it ended (its last day in force)
    correction: Correction | None = None


Requirement = AllOf | AnyOf | CredentialReq | ExperienceReq | RoleReq | ContinuingEducation


def walk(req: Requirement | None) -> Iterator[Requirement]:
    """Yield every node of a requirement tree, depth first, groups before members."""
    if req is None:
        return
    yield req
    if isinstance(req, (AllOf, AnyOf)):
        for m in req.members:
            yield from walk(m)


# ------------------------------------------------------------ roles, credentials


#: Kinds of credential that in life always have requirements of their own. When no source
#: read records them, a path earns the credential directly, so the real route may be longer;
#: paths and ``show`` say so.
GATED_KINDS = frozenset({"certification", "license", "registry"})


@dataclass(frozen=True, repr=False)
class Credential:
    id: str
    label: str
    kind: str  # notation of the kind: certification, license, diploma, program, registry
    alt_labels: tuple[str, ...] = ()
    months: float | None = None
    issued_by: tuple[str, ...] = ()
    approved_by: tuple[str, ...] = ()
    valid_in: tuple[str, ...] = ()
    requires: Requirement | None = None
    counts_as: tuple[str, ...] = ()  # credentials this one satisfies a requirement for
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()
    months_min: float | None = None  # the least months a source gives (``months`` is the typical)
    hours: float | None = None  # a length given in hours (short courses): known, under a month
    same_as: tuple[str, ...] = ()  # the same credential under other names (either way)
    includes: tuple[str, ...] = ()  # credentials earning this one also earns
    correction: Correction | None = None
    inferred: tuple[tuple[str, str], ...] = ()  # (linked credential, reason) for links that are inferences

    def __repr__(self) -> str:
        return _short("Credential", self.label)

    @property
    def duration(self) -> Months | None:
        """How long earning it takes, as (least, typical) months; None when no source says."""
        if self.months is None and self.months_min is None:
            if self.hours is not None and self.hours <= 160:  # at most a month of full-time work
                return Months(0, 0)
            return None
        typical = self.months if self.months is not None else self.months_min
        low = self.months_min if self.months_min is not None else self.months
        return Months(min(low, typical), typical)

    @property
    def requirements_unrecorded(self) -> bool:
        """A certification, license or registry whose own requirements no source read states."""
        return self.requires is None and self.kind in GATED_KINDS


@dataclass(frozen=True, repr=False)
class Role:
    id: str
    label: str
    alt_labels: tuple[str, ...] = ()
    notations: tuple[str, ...] = ()
    requires: Requirement | None = None
    maintains: Requirement | None = None
    duties: tuple[Ref, ...] = ()
    skills: tuple[Ref, ...] = ()
    systems: tuple[Ref, ...] = ()
    supervised_by: tuple[Ref, ...] = ()
    directed_by: tuple[Ref, ...] = ()
    settings: tuple[str, ...] = ()  # IRIs of settings working here gives experience in
    matches: tuple[Code, ...] = ()  # external occupations (O*NET-SOC, ESCO with its ISCO-08 group)
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()

    def __repr__(self) -> str:
        """``Role('Radiologic Technologist')``: the full object is a tree; print its fields to see them."""
        return _short("Role", self.label)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels, *self.notations)


# ------------------------------------------------------------ lookup


def normalize(name: str) -> str:
    """Fold a name for lookup: NFKC, case, punctuation and spacing are ignored.

    Examples
    --------
    >>> normalize("  Radiologic-Technologist! ")
    'radiologic technologist'
    >>> normalize("ＲＴ")
    'rt'
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(repr=False)
class Model:
    """Everything the planner and the CLI read, as plain Python objects."""

    roles: dict[str, Role] = field(default_factory=dict)
    credentials: dict[str, Credential] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    settings: dict[str, Ref] = field(default_factory=dict)
    jurisdictions: dict[str, Ref] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # any IRI -> its label

    def __repr__(self) -> str:
        return (f"Model({len(self.roles)} roles, {len(self.credentials)} credentials, "
                f"{len(self.organizations)} organizations)")

    def label(self, iri: str | None) -> str:
        if iri is None:
            return ""
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]

    # -- lookup ------------------------------------------------------------

    def _index(self, items) -> list[dict[str, list[str]]]:
        """Folded names -> ids, in three ranks: labels, then other names and notations, then IRIs."""
        ranks: list[dict[str, list[str]]] = [{}, {}, {}]
        for item in items:
            others = (*item.alt_labels, *getattr(item, "notations", ()))
            for rank, names in enumerate(((item.label,), others, (item.id.rsplit("/", 1)[-1],))):
                for n in names:
                    ids = ranks[rank].setdefault(normalize(n), [])
                    if item.id not in ids:
                        ids.append(item.id)
        return ranks

    def _find(self, name: str, table: dict, what: str) -> str:
        """The id ``name`` names: an exact IRI, else the first rank where the folded name is found.

        A label beats another role's other name, which beats an IRI's last part, so a
        user's data cannot take a shipped role's name over; two at the same rank is
        ambiguous and raises with both.
        """
        if name in table:
            return name
        key = normalize(name)
        ranks = self._index(table.values())
        for rank in ranks:
            ids = rank.get(key, [])
            if len(ids) == 1:
                return ids[0]
            if ids:
                raise AmbiguousNameError(what, name, sorted(table[i].label for i in ids))
        index = {k: ids[0] for rank in reversed(ranks) for k, ids in rank.items()}
        labels = {normalize(x.label): x.label for x in table.values()}
        close = difflib.get_close_matches(key, list(index), n=5, cutoff=0.5) if key else []
        suggestions: list[str] = []
        for c in close:
            label = table[index[c]].label
            if label not in suggestions:
                suggestions.append(label)
        if not suggestions and key:
            # fall back to roles sharing a word with the name
            words = set(key.split())
            suggestions = [lbl for k, lbl in sorted(labels.items()) if words & set(k.split())][:5]
        raise UnknownNameError(what, name, suggestions[:3])

    def find_role(self, name: str) -> Role:
        """Find a role by label, altLabel, notation or IRI (case and punctuation folded).

        Raises :class:`~radgraph.errors.UnknownNameError` with the closest names, or
        :class:`~radgraph.errors.AmbiguousNameError` listing the roles a name fits.
        """
        return self.roles[self._find(name, self.roles, "role")]

    def find_credential(self, name: str) -> Credential:
        """Find a credential by label, altLabel or IRI, like :meth:`find_role`."""
        return self.credentials[self._find(name, self.credentials, "credential")]

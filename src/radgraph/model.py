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

from .errors import UnknownNameError


@dataclass(frozen=True)
class Evidence:
    """A short verbatim fragment of a source, with the section it stands in."""

    id: str
    quote: str
    section: str
    source: str  # IRI of the source document
    source_label: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "section": self.section,
            "quote": self.quote,
            "source": {"id": self.source, "label": self.source_label},
        }


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
class Organization:
    id: str
    label: str
    notation: str = ""
    types: tuple[str, ...] = ()  # e.g. ("CertifyingBody",)
    part_of: tuple[str, ...] = ()
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


# ------------------------------------------------------------ requirements


@dataclass(frozen=True)
class AllOf:
    id: str
    members: tuple[Requirement, ...]
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    id: str
    members: tuple[Requirement, ...]
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class CredentialReq:
    id: str
    credential: str
    condition: str = ""
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


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


@dataclass(frozen=True)
class RoleReq:
    id: str
    role: str
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ContinuingEducation:
    id: str
    label: str
    administered_by: tuple[str, ...] = ()
    caveat: str = ""
    sources: tuple[Evidence, ...] = ()


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


@dataclass(frozen=True)
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

    @property
    def requirements_unrecorded(self) -> bool:
        """A certification, license or registry whose own requirements no source read states."""
        return self.requires is None and self.kind in GATED_KINDS


@dataclass(frozen=True)
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


@dataclass
class Model:
    """Everything the planner and the CLI read, as plain Python objects."""

    roles: dict[str, Role] = field(default_factory=dict)
    credentials: dict[str, Credential] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    settings: dict[str, Ref] = field(default_factory=dict)
    jurisdictions: dict[str, Ref] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # any IRI -> its label

    def label(self, iri: str | None) -> str:
        if iri is None:
            return ""
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]

    # -- lookup ------------------------------------------------------------

    def _index(self, items) -> dict[str, str]:
        index: dict[str, str] = {}
        for item in items:
            names = list(getattr(item, "names", (item.label, *item.alt_labels)))
            names.append(item.id.rsplit("/", 1)[-1])
            for n in names:
                index.setdefault(normalize(n), item.id)
        return index

    def _find(self, name: str, table: dict, what: str) -> str:
        if name in table:
            return name
        key = normalize(name)
        index = self._index(table.values())
        if key in index:
            return index[key]
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

        Raises :class:`~radgraph.errors.UnknownNameError` with the closest names.
        """
        return self.roles[self._find(name, self.roles, "role")]

    def find_credential(self, name: str) -> Credential:
        """Find a credential by label, altLabel or IRI, like :meth:`find_role`."""
        return self.credentials[self._find(name, self.credentials, "credential")]

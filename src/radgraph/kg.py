"""Loading, merging and validating the knowledge graph; reading the model out of it.

The shipped ontology, shapes and data live inside the package
(``radgraph/ontology``), so an installed ``radgraph`` works from any folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from .errors import DataError, NotConformingError, UsageError
from .model import (
    AllOf,
    AnyOf,
    ContinuingEducation,
    Credential,
    CredentialReq,
    Evidence,
    ExperienceReq,
    Model,
    Organization,
    Ref,
    Requirement,
    Role,
    RoleReq,
)
from .namespaces import RG, shorten

ONTOLOGY_DIR = files("radgraph") / "ontology"


#: Which shipped data files each ``source`` choice reads. ``article`` is what
#: the radiology careers article alone says; ``all`` adds the public pages
#: (ARRT, JRCERT, ABR, ACGME, AHA, O*NET) of ``public.ttl``.
SOURCES = {"article": ("article.ttl", "jurisdictions.ttl"), "all": None}


def shipped_files(source: str = "all") -> list[Path]:
    """The Turtle files of the shipped graph: the vocabulary, then the data.

    Examples
    --------
    >>> [p.name for p in shipped_files()]
    ['radgraph.ttl', 'article.ttl', 'jurisdictions.ttl', 'public.ttl']
    >>> [p.name for p in shipped_files("article")]
    ['radgraph.ttl', 'article.ttl', 'jurisdictions.ttl']
    """
    if source not in SOURCES:
        raise UsageError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    root = Path(str(ONTOLOGY_DIR))
    data = sorted((root / "data").glob("*.ttl"))
    keep = SOURCES[source]
    if keep is not None:
        data = [p for p in data if p.name in keep]
    return [root / "radgraph.ttl", *data]


def shapes_file() -> Path:
    return Path(str(ONTOLOGY_DIR)) / "shapes.ttl"


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Turn files and folders into a sorted list of Turtle files; missing ones raise."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(x for x in path.rglob("*.ttl") if x.is_file())
            if not found:
                raise DataError(f"{path}: folder holds no .ttl file")
            out.extend(found)
        elif path.is_file():
            out.append(path)
        else:
            raise DataError(f"{path}: no such file or folder")
    return out


_LINE = re.compile(r"at line (\d+)")


def parse_into(graph: Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``; errors become ``DataError('FILE:LINE: ...')``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        text = " ".join(str(exc).split())
        m = _LINE.search(text)
        line = m.group(1) if m else "1"
        detail = re.sub(r"^at line \d+ of <[^>]*>:\s*", "", text).split(" at ^ in:")[0]
        if "Prefix" in detail and "not bound" in detail:
            found = re.search(r'Prefix "?([^"\s]*)"? not bound', detail)
            detail = f"unknown prefix {found.group(1).rstrip(':')!r}" if found else detail
        raise DataError(f"{path}:{line}: {detail[:200]}") from None


@dataclass
class KnowledgeGraph:
    """The merged rdflib graph and the model read out of it."""

    graph: Graph
    model: Model
    files: tuple[Path, ...]

    def find_role(self, name: str) -> Role:
        """Find a role by any of its names; see :meth:`Model.find_role`."""
        return self.model.find_role(name)


def load_graph(extra: Iterable[str | Path] = (), source: str = "all") -> tuple[Graph, list[Path]]:
    """Parse the shipped graph (per ``source``) plus ``extra`` Turtle files or folders."""
    shipped = shipped_files(source)
    user = expand_paths(extra)
    graph = Graph()
    for prefix, ns in _prefix_items():
        graph.bind(prefix, ns, override=True)
    for path in [*shipped, *user]:
        parse_into(graph, path)
    return graph, [*shipped, *user]


def _prefix_items():
    from .namespaces import PREFIXES

    return PREFIXES.items()


def load(extra: Iterable[str | Path] = (), *, validate: bool | None = None, source: str = "all") -> KnowledgeGraph:
    """Load the shipped knowledge graph, merged with a user's own Turtle files.

    Parameters
    ----------
    extra : files or folders of Turtle to merge in.
    validate : check the merged graph against the SHACL shapes. By default
        only when ``extra`` is given (the shipped graph is checked by its tests).
    source : ``"all"`` (default) or ``"article"``: the article's facts alone.

    Raises
    ------
    DataError
        A file is missing or malformed (message ``FILE:LINE: ...``).
    NotConformingError
        The merged data breaks a shape; ``violations`` lists them.

    Examples
    --------
    >>> kg = load()
    >>> kg.find_role("rt").label
    'Radiologic Technologist'
    """
    extra = list(extra)
    graph, paths = load_graph(extra, source)
    if validate if validate is not None else bool(extra):
        violations = validate_graph(graph)
        if violations:
            raise NotConformingError(violations)
    model = build_model(graph)
    check_model(model)
    return KnowledgeGraph(graph=graph, model=model, files=tuple(paths))


# ------------------------------------------------------------------ validation


def validate_graph(graph: Graph) -> list[str]:
    """Check ``graph`` against the shipped SHACL shapes; one line per violation.

    Each line reads ``NODE PROPERTY: message``, with IRIs shortened.
    """
    try:
        from pyshacl import validate as shacl_validate
    except ImportError:  # pragma: no cover - pyshacl is a dependency
        raise DataError("validation needs pyshacl: pip install pyshacl") from None
    shapes = Graph()
    shapes.parse(shapes_file(), format="turtle")
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
    )
    if conforms:
        return []
    SH = "http://www.w3.org/ns/shacl#"
    lines = []
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus = results.value(result, URIRef(SH + "focusNode"))
        path = results.value(result, URIRef(SH + "resultPath"))
        message = results.value(result, URIRef(SH + "resultMessage"))
        node = shorten(str(focus)) if isinstance(focus, URIRef) else f"_:{focus}"
        prop = shorten(str(path)) if isinstance(path, URIRef) else "-"
        lines.append(f"{node} {prop}: {' '.join(str(message).split())}")
    return sorted(set(lines))


def check_model(model: Model) -> None:
    """Checks SHACL cannot state simply: cycles through credential prerequisites."""
    for cred in model.credentials.values():
        _check_prereq_cycle(model, cred.id, [])


def _check_prereq_cycle(model: Model, cred_id: str, stack: list[str]) -> None:
    if cred_id in stack:
        chain = " -> ".join(model.label(c) for c in [*stack[stack.index(cred_id):], cred_id])
        raise DataError(f"credential prerequisites form a cycle: {chain}")
    cred = model.credentials.get(cred_id)
    if cred is None or cred.requires is None:
        return
    from .model import walk

    for node in walk(cred.requires):
        if isinstance(node, CredentialReq):
            _check_prereq_cycle(model, node.credential, [*stack, cred_id])


# ------------------------------------------------------------------ the model


class _Reader:
    def __init__(self, graph: Graph):
        self.g = graph
        self.evidence: dict[URIRef, Evidence] = {}
        self.statements: dict[tuple, list[Evidence]] = {}
        for ev in graph.subjects(RDF.type, RG.Evidence):
            src = graph.value(ev, RG.inSource)
            e = Evidence(
                id=str(ev),
                quote=str(graph.value(ev, RG.quote) or ""),
                section=str(graph.value(ev, RG.section) or ""),
                source=str(src or ""),
                source_label=str(self.label(src)) if src else "",
            )
            self.evidence[ev] = e
            about = graph.value(ev, RG.about)
            prop = graph.value(ev, RG.property)
            if about is not None and prop is not None:
                for value in graph.objects(ev, RG.value):
                    self.statements.setdefault((about, prop, value), []).append(e)

    def label(self, node) -> str:
        if node is None:
            return ""
        for p in (SKOS.prefLabel, RDFS.label):
            v = self.g.value(node, p)
            if v is not None:
                return str(v)
        return str(node).rsplit("/", 1)[-1]

    def strs(self, node, prop) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in self.g.objects(node, prop)))

    def text(self, node, prop) -> str:
        v = self.g.value(node, prop)
        return str(v) if v is not None else ""

    def number(self, node, prop):
        v = self.g.value(node, prop)
        if isinstance(v, Literal):
            n = v.toPython()
            if isinstance(n, (int, float)) or hasattr(n, "as_integer_ratio"):
                n = float(n)
                return int(n) if n.is_integer() else n
        return None

    def sources(self, node) -> tuple[Evidence, ...]:
        return tuple(
            sorted(
                (self.evidence[e] for e in self.g.objects(node, PROV.wasDerivedFrom) if e in self.evidence),
                key=lambda e: e.id,
            )
        )

    def stated(self, s, p, o) -> tuple[Evidence, ...]:
        return tuple(self.statements.get((s, p, o), ()))

    def ref(self, node) -> Ref:
        return Ref(id=str(node), label=self.label(node), notation=self.text(node, SKOS.notation))

    def refs(self, node, prop) -> tuple[Ref, ...]:
        return tuple(sorted((self.ref(o) for o in self.g.objects(node, prop)), key=lambda r: (r.label, r.id)))

    def sort_key(self, req: Requirement) -> tuple:
        """Members in a stable, readable order: credentials by label, then the rest."""
        name = self.label(URIRef(req.credential)) if isinstance(req, CredentialReq) else req.id
        return (_ORDER[type(req)], name.casefold(), req.id)

    def requirement(self, node, seen: frozenset = frozenset()) -> Requirement | None:
        if node is None:
            return None
        if node in seen:
            raise DataError(f"requirement tree has a cycle at {shorten(str(node))}")
        seen = seen | {node}
        types = set(self.g.objects(node, RDF.type))
        common = dict(id=str(node), caveat=self.text(node, RG.caveat), sources=self.sources(node))
        if RG.AllOf in types or RG.AnyOf in types:
            members = [self.requirement(m, seen) for m in self.g.objects(node, RG.member)]
            members = tuple(sorted((m for m in members if m is not None), key=self.sort_key))
            cls = AllOf if RG.AllOf in types else AnyOf
            return cls(members=members, **common)
        if RG.CredentialRequirement in types:
            cred = self.g.value(node, RG.credential)
            return CredentialReq(credential=str(cred), condition=self.text(node, RG.condition), **common)
        if RG.ExperienceRequirement in types:
            role = self.g.value(node, RG.role)
            setting = self.g.value(node, RG.setting)
            return ExperienceReq(
                min_months=self.number(node, RG.minMonths),
                max_months=self.number(node, RG.maxMonths),
                within_months=self.number(node, RG.withinMonths),
                role=str(role) if role is not None else None,
                setting=str(setting) if setting is not None else None,
                **common,
            )
        if RG.RoleRequirement in types:
            return RoleReq(role=str(self.g.value(node, RG.role)), **common)
        if RG.ContinuingEducationRequirement in types:
            return ContinuingEducation(
                label=self.label(node),
                administered_by=self.strs(node, RG.administeredBy),
                **common,
            )
        raise DataError(f"{shorten(str(node))}: requirement of unknown type")


_ORDER = {CredentialReq: 0, ExperienceReq: 1, RoleReq: 2, AnyOf: 3, AllOf: 4, ContinuingEducation: 5}


def _instances(graph: Graph, cls) -> list:
    return sorted(set(graph.subjects(RDF.type, cls)), key=str)


def build_model(graph: Graph) -> Model:
    """Read roles, credentials and organizations out of an rdflib graph."""
    r = _Reader(graph)
    model = Model()
    g = graph
    for node in set(g.subjects(SKOS.prefLabel, None)) | set(g.subjects(RDFS.label, None)):
        if isinstance(node, URIRef):
            model.labels[str(node)] = r.label(node)

    org_types = {RG.CertifyingBody: "CertifyingBody", RG.AccreditingBody: "AccreditingBody",
                 RG.LicensingBody: "LicensingBody", RG.Organization: "Organization"}
    orgs = set()
    for cls in org_types:
        orgs.update(g.subjects(RDF.type, cls))
    for node in sorted(orgs, key=str):
        types = tuple(sorted(org_types[t] for t in g.objects(node, RDF.type) if t in org_types))
        model.organizations[str(node)] = Organization(
            id=str(node), label=r.label(node), notation=r.text(node, SKOS.notation), types=types,
            part_of=r.strs(node, RG.partOf), caveat=r.text(node, RG.caveat), sources=r.sources(node),
        )

    for node in _instances(g, RG.Credential):
        kind = g.value(node, RG.kind)
        months = r.number(node, RG.durationMonths)
        model.credentials[str(node)] = Credential(
            id=str(node),
            label=r.label(node),
            kind=r.text(kind, SKOS.notation) if kind is not None else "",
            alt_labels=r.strs(node, SKOS.altLabel),
            months=months,
            issued_by=r.strs(node, RG.issuedBy),
            approved_by=r.strs(node, RG.approvedBy),
            valid_in=r.strs(node, RG.validIn),
            requires=r.requirement(g.value(node, RG.requires)),
            counts_as=r.strs(node, RG.countsAs),
            caveat=r.text(node, RG.caveat),
            sources=_unique(
                r.sources(node),
                *(r.stated(node, p, o) for p in (RG.issuedBy, RG.approvedBy, RG.validIn, RG.countsAs)
                  for o in g.objects(node, p)),
            ),
        )

    for node in _instances(g, RG.Setting):
        model.settings[str(node)] = r.ref(node)
    for node in _instances(g, RG.Jurisdiction):
        model.jurisdictions[str(node)] = r.ref(node)

    for node in _instances(g, RG.Role):
        relations = (RG.usesSystem, RG.hasSkill, RG.supervisedBy, RG.directedBy, RG.providesExperienceIn, SKOS.altLabel)
        duties = tuple(
            sorted((r.ref(d) for d in g.objects(node, RG.performs)), key=lambda x: x.id)
        )
        duty_sources = [r.sources(d) for d in g.objects(node, RG.performs)]
        model.roles[str(node)] = Role(
            id=str(node),
            label=r.label(node),
            alt_labels=r.strs(node, SKOS.altLabel),
            notations=r.strs(node, SKOS.notation),
            requires=r.requirement(g.value(node, RG.requires)),
            maintains=r.requirement(g.value(node, RG.maintains)),
            duties=duties,
            skills=r.refs(node, RG.hasSkill),
            systems=r.refs(node, RG.usesSystem),
            supervised_by=r.refs(node, RG.supervisedBy),
            directed_by=r.refs(node, RG.directedBy),
            settings=r.strs(node, RG.providesExperienceIn),
            matches=tuple(
                sorted(
                    (r.ref(o) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in g.objects(node, p)),
                    key=lambda x: x.id,
                )
            ),
            caveat=r.text(node, RG.caveat),
            sources=_unique(
                r.sources(node),
                *duty_sources,
                *(r.stated(node, p, o) for p in relations for o in g.objects(node, p)),
            ),
        )
    return model


def _unique(*groups: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: dict[str, Evidence] = {}
    for group in groups:
        for e in group:
            seen.setdefault(e.id, e)
    return tuple(sorted(seen.values(), key=lambda e: e.id))

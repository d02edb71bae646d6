"""Loading, merging and validating the knowledge graph; reading the model out of it.

The shipped ontology, shapes and data live inside the package
(``radgraph/ontology``), so an installed ``radgraph`` works from any folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef

from .datafiles import ONTOLOGY_DIR, SOURCES, expand_paths, shapes_file, shipped_files  # noqa: F401,E402
from .errors import DataError, NotConformingError
from .model import (
    Model,
    Role,
)
from .namespaces import PREFIXES, RG, shorten
from .reader import check_model
from .triples import parse_into


@dataclass
class KnowledgeGraph:
    """The merged rdflib graph and the model read out of it."""

    graph: Graph
    model: Model
    files: tuple[Path, ...]

    def find_role(self, name: str) -> Role:
        """Find a role by any of its names; see :meth:`Model.find_role`."""
        return self.model.find_role(name)


def load_graph(extra: Iterable[str | Path] = (), source: str = "all", *,
               trusted: bool = False) -> tuple[Graph, list[Path]]:
    """Parse the shipped graph (per ``source``) plus ``extra`` Turtle files or folders.

    ``extra`` may come to :data:`~radgraph.datafiles.MAX_USER_BYTES` in all, or
    :data:`~radgraph.datafiles.MAX_TRUSTED_BYTES` when ``trusted`` (it will not be validated).
    """
    paths = [*shipped_files(source), *expand_paths(extra, trusted=trusted)]
    return graph_from_files(paths), paths


def graph_from_files(paths: Iterable[Path]) -> Graph:
    """One rdflib graph of the given Turtle files, with the radgraph prefixes bound.

    The shipped files at the head of ``paths`` are parsed once per process (for
    as long as their bytes stay the same): each graph gets its own copy of their
    triples and prefixes, so a program that loads many times, or a test suite,
    pays rdflib's parser for the user's files only.
    """
    paths = list(paths)
    shipped = set(shipped_files())
    n = 0
    while n < len(paths) and paths[n] in shipped:
        n += 1
    graph = Graph()
    if n:
        triples, namespaces = _parsed_shipped(tuple((p, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths[:n]))
        for prefix, ns in namespaces:
            graph.bind(prefix, ns, override=True, replace=True)
        graph.addN((s, p, o, graph) for s, p, o in triples)
    else:
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
    for path in paths[n:]:
        parse_into(graph, path)
    return graph


@lru_cache(maxsize=4)
def _parsed_shipped(files: tuple[tuple[Path, str], ...]) -> tuple[tuple, tuple]:
    """The triples and prefixes of shipped files (path, sha256 of the bytes), parsed as :func:`graph_from_files` would."""
    graph = _InOrder()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for path, _ in files:
        parse_into(graph, path)
    return tuple(dict.fromkeys(graph.added)), tuple(graph.namespaces())


class _InOrder(Graph):
    """A graph that keeps the order its triples came in, so a copy indexes them as a parse would
    (``graph.objects(s, p)`` lists them in the order of the file)."""

    def __init__(self) -> None:
        super().__init__()
        self.added: list = []

    def add(self, triple):
        self.added.append(triple)
        return super().add(triple)


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
    graph, paths = load_graph(extra, source, trusted=validate is False)
    model = model_of(graph, validate=validate if validate is not None else bool(extra))
    return KnowledgeGraph(graph=graph, model=model, files=tuple(paths))


def model_of(graph: Graph, *, validate: bool) -> Model:
    """The model read out of ``graph``, once the graph conforms to the shapes when ``validate``."""
    if validate:
        violations = validate_graph(graph)
        if violations:
            raise NotConformingError(violations)
    model = build_model(graph)
    check_model(model)
    return model


# ------------------------------------------------------------------ validation


SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Violation:
    """One result of a SHACL validation report, as plain values (full IRIs; a blank node as ``_:ID``).

    ``shape`` is the named shape the failing constraint belongs to (a property
    shape written inline, as a blank node, is reported by its node shape).
    """

    focus: str
    path: str | None
    message: str
    severity: str
    shape: str | None
    value: str | None = None

    def line(self) -> str:
        """``NODE PROPERTY: message``, IRIs shortened: the text report's line."""
        node = shorten(self.focus) if not self.focus.startswith("_:") else self.focus
        prop = shorten(self.path) if self.path else "-"
        return f"{node} {prop}: {self.message}"

    def as_dict(self) -> dict:
        """The JSON report's entry: ``focus``, ``path``, ``message``, ``severity``, ``shape`` (and ``value``)."""
        return {"focus": self.focus, "path": self.path, "message": self.message, "severity": self.severity,
                "shape": self.shape, "value": self.value}


@dataclass
class ValidationReport:
    """What a SHACL validation found: ``conforms``; ``graph``, the ``sh:ValidationReport`` as pySHACL
    gives it; ``violations``, one per distinct result, sorted."""

    conforms: bool
    graph: Graph
    violations: list[Violation]

    def lines(self) -> list[str]:
        """The text report: one ``NODE PROPERTY: message`` line per violation, de-duplicated and sorted."""
        return sorted({v.line() for v in self.violations})


def validation_report(graph: Graph) -> ValidationReport:
    """Check ``graph`` against the shipped SHACL shapes with pySHACL.

    Examples
    --------
    >>> report = validation_report(load().graph)
    >>> report.conforms, report.violations
    (True, [])
    >>> [str(x) for x in report.graph.objects(None, URIRef(SH + "conforms"))]
    ['true']
    """
    try:
        from pyshacl import validate as shacl_validate
    except ImportError:  # pragma: no cover - pyshacl is a dependency
        raise DataError("validation needs pyshacl: pip install pyshacl") from None
    shapes = Graph()
    shapes.parse(shapes_file(), format="turtle")
    cycle_message = _own_checks(shapes)
    try:
        # inplace: pySHACL copies the data graph (a fifth of its time) only to infer or run rules into the
        # copy; with inference "none" and shapes that hold no sh:rule, it only reads (tests/test_shapes.py)
        conforms, results, _ = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False, inplace=True
        )
    except RecursionError:  # rdflib walks property paths (rg:member+) recursively
        raise DataError("cannot validate: the data nests too deeply (e.g. a requirement tree "
                        "hundreds of levels deep)") from None
    results.bind("sh", SH, override=True)
    for prefix, ns in PREFIXES.items():
        results.bind(prefix, ns, override=True)
    cycles = _in_member_cycles(graph) if cycle_message else []
    for node in cycles:  # radgraph's own check, reported as pySHACL would report the sh:sparql constraint
        result = BNode()
        results.add((result, RDF.type, URIRef(SH + "ValidationResult")))
        results.add((result, URIRef(SH + "focusNode"), node))
        results.add((result, URIRef(SH + "resultMessage"), Literal(cycle_message)))
        results.add((result, URIRef(SH + "resultSeverity"), URIRef(SH + "Violation")))
        results.add((result, URIRef(SH + "sourceShape"), URIRef(_RGSH + "RequirementShape")))
    if cycles:
        report = next(iter(results.subjects(RDF.type, URIRef(SH + "ValidationReport"))), None)
        if report is not None:
            results.set((report, URIRef(SH + "conforms"), Literal(False)))
            for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
                results.add((report, URIRef(SH + "result"), result))
    return ValidationReport(bool(conforms) and not cycles, results, _violations(results, shapes))


def _violations(results: Graph, shapes: Graph) -> list[Violation]:
    from rdflib import BNode

    def term(node) -> str | None:
        if node is None:
            return None
        return f"_:{node}" if isinstance(node, BNode) else str(node)

    def named_shape(shape):
        if isinstance(shape, BNode):  # an inline property shape: name the node shape holding it
            owner = next(iter(shapes.subjects(URIRef(SH + "property"), shape)), None) or next(
                iter(shapes.subjects(URIRef(SH + "sparql"), shape)), None)
            if owner is not None:
                return owner
        return shape

    found = set()
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        message = results.value(result, URIRef(SH + "resultMessage"))
        severity = results.value(result, URIRef(SH + "resultSeverity"))
        source = results.value(result, URIRef(SH + "sourceShape"))
        path = results.value(result, URIRef(SH + "resultPath"))
        found.add(Violation(
            focus=term(results.value(result, URIRef(SH + "focusNode"))) or "",
            path=str(path) if isinstance(path, URIRef) else None,
            message=" ".join(str(message).split()) if message is not None else "",
            severity=str(severity).removeprefix(SH) if severity is not None else "Violation",
            shape=term(named_shape(source)),
            value=term(results.value(result, URIRef(SH + "value"))),
        ))
    return sorted(found, key=lambda v: (v.line(), v.shape or "", v.value or ""))


def validate_files(extra: Iterable[str | Path] = (), *, source: str = "all") -> ValidationReport:
    """Check the shipped graph merged with ``extra`` files against the shapes: ``radgraph validate``.

    When the data conforms, the model read out of it is checked too (a
    credential that is its own prerequisite, ...), which raises DataError.

    Examples
    --------
    >>> validate_files().conforms
    True
    """
    graph, _ = load_graph(list(extra), source)
    report = validation_report(graph)
    if report.conforms:
        check_model(build_model(graph))
    return report


def validate_graph(graph: Graph) -> list[str]:
    """Check ``graph`` against the shipped SHACL shapes; one line per violation.

    Each line reads ``NODE PROPERTY: message``, with IRIs shortened.
    """
    return validation_report(graph).lines()


_SH = "http://www.w3.org/ns/shacl#"
_RGSH = "https://w3id.org/radgraph/shapes#"


def _own_checks(shapes: Graph) -> str:
    """Take out of ``shapes`` the two checks radgraph makes itself, with the same outcome, far faster;
    returns the cycle check's message.

    pyshacl parses a SPARQL constraint's query again for every focus node: the requirement-cycle check
    (``rg:member+``) took 33 of 59 s on a 2 MB file, and :func:`_in_member_cycles` finds the same nodes
    in milliseconds. ``rgsh:TextShape`` (no control characters) is enforced as each file is read
    (``triples.REFUSED_TEXT``), before any shape runs. Both stay in shapes.ttl, for other SHACL tools.
    """
    message = ""
    for constraint in list(shapes.objects(URIRef(_RGSH + "RequirementShape"), URIRef(_SH + "sparql"))):
        message = " ".join(str(shapes.value(constraint, URIRef(_SH + "message")) or "").split())
        shapes.remove((URIRef(_RGSH + "RequirementShape"), URIRef(_SH + "sparql"), constraint))
        shapes.remove((constraint, None, None))
    shapes.remove((URIRef(_RGSH + "TextShape"), None, None))
    return message


def _in_member_cycles(graph: Graph) -> list:
    """The nodes ``n`` with ``n rg:member+ n``: those in a strongly connected group of the member links
    (Tarjan's algorithm, without recursion), or linked to themselves."""
    member = URIRef(str(RG) + "member")
    edges: dict = {}
    for s, o in graph.subject_objects(member):
        edges.setdefault(s, []).append(o)
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    found = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        x = stack.pop()
                        on_stack.discard(x)
                        group.append(x)
                        if x == node:
                            break
                    if len(group) > 1 or node in edges.get(node, ()):
                        found.extend(group)
    return found



def build_model(graph: Graph) -> Model:
    """Read the model out of an rdflib graph (see :mod:`radgraph.reader`)."""
    from .reader import build_model as _build
    from .triples import fill_from_rdflib

    return _build(fill_from_rdflib(graph, check_text=False))  # parse_into checked each file

"""Loading, merging and validating the knowledge graph; reading the model out of it.

The shipped ontology, shapes and data live inside the package
(``radgraph/ontology``), so an installed ``radgraph`` works from any folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, URIRef

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


def load_graph(extra: Iterable[str | Path] = (), source: str = "all") -> tuple[Graph, list[Path]]:
    """Parse the shipped graph (per ``source``) plus ``extra`` Turtle files or folders."""
    paths = [*shipped_files(source), *expand_paths(extra)]
    return graph_from_files(paths), paths


def graph_from_files(paths: Iterable[Path]) -> Graph:
    """One rdflib graph of the given Turtle files, with the radgraph prefixes bound."""
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    for path in paths:
        parse_into(graph, path)
    return graph


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
    cycle_message = _own_checks(shapes)
    try:
        conforms, results, _ = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
        )
    except RecursionError:  # rdflib walks property paths (rg:member+) recursively
        raise DataError("cannot validate: the data nests too deeply (e.g. a requirement tree "
                        "hundreds of levels deep)") from None
    lines = [f"{shorten(str(n)) if isinstance(n, URIRef) else f'_:{n}'} -: {cycle_message}"
             for n in _in_member_cycles(graph)] if cycle_message else []
    if conforms:
        return sorted(set(lines))
    SH = "http://www.w3.org/ns/shacl#"
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        focus = results.value(result, URIRef(SH + "focusNode"))
        path = results.value(result, URIRef(SH + "resultPath"))
        message = results.value(result, URIRef(SH + "resultMessage"))
        node = shorten(str(focus)) if isinstance(focus, URIRef) else f"_:{focus}"
        prop = shorten(str(path)) if isinstance(path, URIRef) else "-"
        lines.append(f"{node} {prop}: {' '.join(str(message).split())}")
    return sorted(set(lines))


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

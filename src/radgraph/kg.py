"""Loading, merging and validating the knowledge graph; reading the model out of it.

The shipped ontology, shapes and data live inside the package
(``radgraph/ontology``), so an installed ``radgraph`` works from any folder.
"""

from __future__ import annotations

import logging
import re
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
from .namespaces import PREFIXES, shorten

_LINE = re.compile(r"at line (\d+)")


def parse_into(graph: Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``; errors become ``DataError('FILE:LINE: ...')``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:  # rdflib decodes the whole file first, and its error names no line
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); Turtle files are UTF-8") from None
    warnings = _Collect()
    term_log = logging.getLogger("rdflib.term")
    term_log.addHandler(warnings)
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
    finally:
        term_log.removeHandler(warnings)
    bad_iris = [m.split(" does not look like")[0] for m in warnings.messages if "does not look like a valid URI" in m]
    if bad_iris:  # rdflib only warns (e.g. a space in an IRI); the model's parser refuses, and so must this one
        from .triples import parse_files

        parse_files([path])  # pyoxigraph is strict: raises DataError('FILE:LINE: ...')
        raise DataError(f"{path}:1: not a valid IRI: <{bad_iris[0][:200]}>")


class _Collect(logging.Handler):
    """Keeps the messages of the log records it is given (rdflib warns instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


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
    graph, paths = load_graph(extra, source, trusted=validate is False)
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
    try:
        conforms, results, _ = shacl_validate(
            graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False
        )
    except RecursionError:  # rdflib walks property paths (rg:member+) recursively
        raise DataError("cannot validate: the data nests too deeply (e.g. a requirement tree "
                        "hundreds of levels deep)") from None
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


from .reader import check_model  # noqa: E402,F401


def build_model(graph: Graph) -> Model:
    """Read the model out of an rdflib graph (see :mod:`radgraph.reader`)."""
    from .reader import build_model as _build
    from .triples import fill_from_rdflib

    return _build(fill_from_rdflib(graph))

"""Parsing Turtle files: into a plain-Python triple index (the fastest parser at hand), or into an
rdflib graph with errors that name the file and line (:func:`parse_into`).

The model reader (``kg.build_model``) reads this index, not an rdflib graph,
so loading the model needs neither rdflib nor its slow Turtle parser:
pyoxigraph (Rust) parses Turtle about ten times faster. IRIs are ``str``,
blank nodes ``"_:id"``, string literals :class:`Lit` (a ``str`` subclass),
numbers ``int``/``float`` and booleans ``bool``.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .vocab import RDF_TYPE

if TYPE_CHECKING:  # rdflib is imported only where a graph is parsed: the model loads without it
    from rdflib import Graph

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                              "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}
_DECIMAL = {XSD + t for t in ("decimal", "double", "float")}


#: The characters no text in the graph may hold: C0 controls but tab and newline (so carriage return too),
#: DEL, C1 controls, and U+FFFE and U+FFFF. XML 1.0 (GraphML, GEXF, SVG) cannot hold most of them at all,
#: a terminal runs them (ESC starts an escape sequence, CR overwrites a line), and a reader of XML or of
#: lines changes others (CR, NEL). Everything else is allowed, and every writer keeps it.
REFUSED_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")

# Bytes of a Turtle file that may stand for a refused character: raw (CR also ends lines in CRLF files), in
# UTF-8, or as an escape (\b, \f, \r, \u00XX, \U0000XXXX, \uFFFE). A file without any is not searched
# literal by literal; one with some is (a false alarm, such as \u00e9, costs only time).
_MAYBE_REFUSED = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]|\\[bfr]|\\u00[0-9a-fA-F]{2}"
    rb"|\\U0000[0-9a-fA-F]{4}|\\u[fF]{3}[eEfF]")


def refused_text_error(where: str, s: str, p: str, text: str) -> DataError:
    """The one-line error for a text holding a refused character (see :data:`REFUSED_TEXT`)."""
    from .namespaces import shorten

    ch = REFUSED_TEXT.search(text).group()
    return DataError(f"{where}{shorten(s)} {shorten(p)}: text holds the control character U+{ord(ch):04X}, which "
                     "radgraph refuses (only tab and newline are allowed): remove it")


class Lit(str):
    """A string literal (an IRI is a plain ``str``)."""

    __slots__ = ()


def literal_value(lexical: str, datatype: str | None):
    """A literal's Python value: numbers and booleans typed, everything else :class:`Lit`."""
    try:
        if datatype in _INTEGER:
            return int(lexical)
        if datatype in _DECIMAL:
            return float(lexical)
        if datatype == XSD + "boolean":
            return lexical in ("true", "1")
    except ValueError:
        pass
    return Lit(lexical)


class TripleIndex:
    """Subject -> predicate -> objects, plus rdf:type -> subjects."""

    def __init__(self) -> None:
        self._sp: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self._types: dict[str, list[str]] = defaultdict(list)
        self.size = 0
        self.files = 0  # files parsed in: each scopes its own blank node labels

    def add(self, s: str, p: str, o) -> None:
        """Add a triple; call :meth:`finish` after the last one to drop duplicates."""
        self._sp[s][p].append(o)
        if p == RDF_TYPE:
            self._types[o].append(s)

    def finish(self) -> TripleIndex:
        """Drop duplicate triples (the same triple in two files) and count them."""
        size = 0
        for preds in self._sp.values():
            for p, objs in preds.items():
                if len(objs) > 1:
                    unique = list({(type(o), o): o for o in objs}.values())
                    if len(unique) != len(objs):
                        preds[p] = unique
                    size += len(unique)
                else:
                    size += 1
        for cls, subjects in self._types.items():
            self._types[cls] = list(dict.fromkeys(subjects))
        self.size = size
        return self

    def update(self, other: TripleIndex, about: Container[str] | None = None) -> TripleIndex:
        """Add every triple of ``other`` (an index of the same graph: a blank node is one node in both),
        or those whose subject is in ``about``; call :meth:`finish` after the last one."""
        for s, preds in other._sp.items():
            if about is not None and s not in about:
                continue
            for p, objs in preds.items():
                for o in objs:
                    self.add(s, p, o)
        return self

    def has_subject(self, s: str) -> bool:
        return s in self._sp

    def nodes(self) -> set[str]:
        """Every subject, and every object that is an IRI or a blank node."""
        found = set(self._sp)
        for preds in self._sp.values():
            for objs in preds.values():
                found.update(o for o in objs if type(o) is str)
        return found

    def blank_nodes(self) -> bool:
        """True when a subject or an object is a blank node."""
        return any(n.startswith("_:") for n in self.nodes())

    def objects(self, s: str, p: str) -> Sequence:
        preds = self._sp.get(s)
        return preds.get(p, ()) if preds is not None else ()

    def value(self, s: str, p: str):
        preds = self._sp.get(s)
        objs = preds.get(p) if preds is not None else None
        return objs[0] if objs else None

    def instances(self, cls: str) -> list[str]:
        return self._types.get(cls, [])

    def subjects(self) -> Iterator[str]:
        return iter(self._sp)

    def has(self, s: str, p: str) -> bool:
        return bool(self.objects(s, p))


def read_data(path: Path) -> bytes:
    """A data file's bytes as Turtle: CTDL JSON-LD (``*.jsonld``, ``*.json``) is read into
    radgraph's vocabulary first (:mod:`radgraph.ctdl.reader`), as N-Triples."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    from .ctdl.reader import is_ctdl_file

    if is_ctdl_file(path):
        from .ctdl.reader import read_ctdl

        return read_ctdl(data, path).encode("utf-8")
    return data


def parse_files(paths: Iterable[Path], index: TripleIndex | None = None) -> TripleIndex:
    """Parse Turtle files into an index (pyoxigraph when installed, else rdflib).

    Raises ``DataError('FILE:LINE: message')`` on a syntax error.
    """
    index = index or TripleIndex()
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        pyoxigraph = None
    for path in paths:
        data = read_data(path)
        base = path.resolve().as_uri()
        if pyoxigraph is not None:
            _parse_oxigraph(pyoxigraph, data, base, path, index)
        else:  # pragma: no cover
            _parse_rdflib(data, base, path, index)
    return index.finish()


def parse_answer(data: bytes, where: str, index: TripleIndex | None = None) -> TripleIndex:
    """A server's CONSTRUCT answer (Turtle or N-Triples, which is Turtle too) into an index, read as
    :func:`parse_files` reads a file (pyoxigraph when installed, else rdflib): the same model from the
    same triples, and several times faster than an rdflib Graph (6.8 s against under 1 s for 160,000
    triples). A syntax error raises ``DataError('WHERE:LINE: message')``."""
    index = index or TripleIndex()
    try:
        import pyoxigraph
    except ImportError:  # pragma: no cover - pyoxigraph is a dependency
        from rdflib import Graph

        return fill_from_rdflib(Graph().parse(data=data, format="turtle"), index)
    _parse_oxigraph(pyoxigraph, data, None, where, index)
    return index.finish()


def _parse_oxigraph(ox, data: bytes, base: str | None, path: Path | str, index: TripleIndex) -> None:
    NamedNode, Literal = ox.NamedNode, ox.Literal
    sp, types = index._sp, index._types
    xsd_string = XSD + "string"
    # pyoxigraph keeps the labels written in the file, but _:r in one file is not
    # _:r in another (rdflib, which validates, gives each parse fresh nodes)
    index.files += 1
    blank = f"_:f{index.files}."
    check = _MAYBE_REFUSED.search(data) is not None
    try:
        for triple in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base):
            s, o = triple.subject, triple.object
            s = s.value if type(s) is NamedNode else blank + s.value
            t = type(o)
            if t is NamedNode:
                o = o.value
            elif t is Literal:
                dt = o.datatype.value
                if check and REFUSED_TEXT.search(o.value):
                    raise refused_text_error(f"{path}: ", s, triple.predicate.value, o.value)
                o = Lit(o.value) if dt == xsd_string else literal_value(o.value, dt)
            else:
                o = blank + o.value
            p = triple.predicate.value
            sp[s][p].append(o)
            if p == RDF_TYPE:
                types[o].append(s)
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None) or 1
        msg = str(exc).split(": ", 1)[-1] if ": " in str(exc) else str(exc)
        msg = msg.replace(" has not been declared", " is unknown")
        if "prefix" in msg and "is unknown" in msg:
            import re

            found = re.search(r"prefix (\S*?):? is unknown", msg)
            if found:
                msg = f"unknown prefix {found.group(1)!r}"
        raise DataError(f"{path}:{line}: {msg}") from None


def _parse_rdflib(data: bytes, base: str, path: Path, index: TripleIndex) -> None:  # pragma: no cover
    from rdflib import Graph

    graph = Graph()
    parse_into(graph, path)
    fill_from_rdflib(graph, index)


def fill_from_rdflib(graph, index: TripleIndex | None = None, *, check_text: bool = True) -> TripleIndex:
    """Copy an rdflib graph into an index; a text holding a refused character (:data:`REFUSED_TEXT`) raises
    DataError, unless ``check_text`` is False (the graph was read from files :func:`parse_into` checked)."""
    from rdflib import BNode, Literal, URIRef

    index = index or TripleIndex()

    def term(t):
        if isinstance(t, URIRef):
            return str(t)
        if isinstance(t, BNode):
            return "_:" + str(t)
        if isinstance(t, Literal):
            return literal_value(str(t), str(t.datatype) if t.datatype is not None else None)
        return str(t)

    for s, p, o in graph:
        if check_text and isinstance(o, Literal) and REFUSED_TEXT.search(o):
            raise refused_text_error("", str(s), str(p), str(o))
        index.add(term(s), str(p), term(o))
    return index.finish()


# ------------------------------------------------------------------ rdflib, for the graph itself

_LINE = re.compile(r"at line (\d+)")


def parse_into(graph: Graph, path: Path) -> None:
    """Parse one Turtle file into ``graph``; errors become ``DataError('FILE:LINE: ...')``."""
    data = read_data(path)
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
    if _MAYBE_REFUSED.search(data):  # perhaps a refused character: the index's parser says where, and raises
        parse_files([path])
    bad_iris = [m.split(" does not look like")[0] for m in warnings.messages if "does not look like a valid URI" in m]
    if bad_iris:  # rdflib only warns (e.g. a space in an IRI); the model's parser refuses, and so must this one
        parse_files([path])  # pyoxigraph is strict: raises DataError('FILE:LINE: ...')
        raise DataError(f"{path}:1: not a valid IRI: <{bad_iris[0][:200]}>")


class _Collect(logging.Handler):
    """Keeps the messages of the log records it is given (rdflib warns instead of raising)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

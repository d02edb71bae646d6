"""SPARQL over the knowledge graph: the shipped questions, their parameters, and running them.

The questions live in ``radgraph/queries/*.rq``, one per file, each standalone
(its own PREFIX block) and headed by comment lines::

    # summary: Roles that require a credential anywhere in their requirements
    # param: credential = cred:arrt-certification -- the credential asked about

``# summary:`` is line 1. Each ``# param: NAME = DEFAULT -- description`` line
declares the query variable ``?NAME`` as a parameter; DEFAULT is written like a
value given on the command line (see :func:`parse_value`), the description is
optional. A file's name says its role: ``*-violation.rq`` must return no rows
on a graph that is right, ``construct-*.rq`` builds a graph, ``ask-*.rq``
answers yes or no, and the rest are reports.

Parameters never go into the query text on the embedded graph: the query is
parsed once and run with rdflib's ``initBindings``. A remote endpoint has no
such channel, so :func:`with_values` adds one ``VALUES`` row at the head of the
query's WHERE group, each term written from its parsed value with every
character escaped; the result is parsed again and must be the original query
plus exactly that row, or nothing is sent (see :func:`with_values`).

Remote endpoints are spoken to over plain HTTP (SPARQL 1.1 Protocol: a form
POST of ``query=...``; Graph Store Protocol: a PUT of Turtle), with the
standard result formats, so any SPARQL 1.1 server works: Oxigraph, Fuseki,
GraphDB, Virtuoso, ...

Nothing here prints; :mod:`radgraph.cli` does.
"""

from __future__ import annotations

import csv
import difflib
import http.client
import io
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from . import __version__
from .errors import DataError, RadGraphError, UsageError
from .namespaces import PREFIXES, shorten

QUERY_DIR = files("radgraph") / "queries"

#: Seconds to wait on a remote endpoint: the whole exchange, connecting,
#: sending and reading the answer, however slowly the server trickles it.
DEFAULT_TIMEOUT = 30.0

#: The largest answer read from a remote endpoint: a SPARQL result is parsed
#: into Python objects, about ten bytes of memory for each byte of JSON.
MAX_ANSWER_BYTES = 32 * 2**20

FORMATS = ("table", "csv", "tsv", "json")
#: What a CONSTRUCT or DESCRIBE result (a graph) can be written as; ``table`` means Turtle there too.
GRAPH_FORMATS = ("ttl", "nt", "jsonld")

KINDS = ("report", "ask", "construct", "violation")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER = re.compile(r"#\s*(summary|param)\s*:\s*(.*?)\s*\Z")
_PARAM = re.compile(r"(?P<name>\S+)\s*=\s*(?P<default>.+?)(?:\s+--\s+(?P<description>.*))?\Z")


# ------------------------------------------------------------------ queries


@dataclass(frozen=True)
class Param:
    """A declared query parameter: the variable ``?name`` and its default value."""

    name: str
    default: Identifier
    default_text: str  # the default as the file writes it, e.g. "role:radiologist"
    description: str = ""


@dataclass(frozen=True)
class Query:
    """A parsed SPARQL query (never an update) with its header.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE; ``prepared`` is rdflib's
    parsed and translated query, made once and reused for every run.
    """

    name: str
    text: str
    form: str
    summary: str = ""
    params: tuple[Param, ...] = ()
    path: Path | None = None
    variables: frozenset[str] = frozenset()
    prepared: Any = field(default=None, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """report, ask, construct or violation, from the file name (see the module doc)."""
        stem = Path(self.name).name.removesuffix(".rq")
        if stem.endswith("-violation"):
            return "violation"
        if stem.startswith("construct-"):
            return "construct"
        if stem.startswith("ask-"):
            return "ask"
        return "report"


def parse_query(text: str, *, name: str = "query", path: Path | None = None, prefixes: bool = False) -> Query:
    """Parse SPARQL query text and its ``# summary:`` / ``# param:`` header.

    Parameters
    ----------
    text : the query.
    name : how messages name it.
    prefixes : declare the radgraph prefixes (``rg:``, ``role:``, ``cred:``...)
        ahead of the text, for queries typed by hand.

    Raises
    ------
    UsageError
        The text is an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...),
        which is refused, or is not SPARQL. Told apart by parsing, not by
        looking for words.

    Examples
    --------
    >>> q = parse_query("SELECT ?role WHERE { ?role a rg:Role } ORDER BY ?role", prefixes=True)
    >>> q.form, sorted(q.variables)
    ('SELECT', ['role'])
    >>> parse_query("DROP ALL")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: query: refused: this is a SPARQL update (DROP); radgraph only reads
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseUpdate

    summary, params = _parse_header(text, name)
    offset = 0
    if prefixes:
        offset = len(PREFIXES)
        text = prefix_block() + text
    try:
        prepared = prepareQuery(text)
    except ParseException as exc:
        try:
            update = parseUpdate(text)
            ops = [_UPDATE_WORDS.get(op.name, op.name) for op in update["request"]]
        except Exception:
            raise UsageError(
                f"{name}: not a SPARQL query: line {exc.lineno - offset}, column {exc.col}: {exc.msg}"
            ) from None
        if not ops:
            raise UsageError(f"{name}: holds no query") from None
        raise UsageError(
            f"{name}: refused: this is a SPARQL update ({', '.join(dict.fromkeys(ops))}); radgraph only reads"
        ) from None
    except Exception as exc:  # rdflib raises plain Exceptions for e.g. an undeclared prefix
        raise UsageError(f"{name}: not a SPARQL query: {_one_line(exc)}") from None
    form = _FORMS[prepared.algebra.name]
    variables = frozenset(tok[1:] for kind, tok, _ in _tokens(text) if kind == "var")
    if form == "SELECT" and _selects_star(text):
        # rdflib projects SELECT * as a set, so the columns came out in another order each run
        first = {}
        for kind, tok, _ in _tokens(text):
            if kind == "var":
                first.setdefault(tok[1:], len(first))
        prepared.algebra["PV"].sort(key=lambda v: first.get(str(v), len(first)))
    for p in params:
        if p.name not in variables:
            raise DataError(f"{name}: parameter {p.name!r} is not a variable of the query (no ?{p.name})")
    return Query(name=name, text=text, form=form, summary=summary, params=params, path=path,
                 variables=variables, prepared=prepared)


def _selects_star(text: str) -> bool:
    """True for ``SELECT *`` (or ``SELECT DISTINCT *``...): the first SELECT of a query is its own."""
    words = [tok.upper() for kind, tok, _ in _tokens(text) if kind in ("word", "punct")]
    if "SELECT" not in words:
        return False
    rest = [w for w in words[words.index("SELECT") + 1:] if w not in ("DISTINCT", "REDUCED")]
    return rest[:1] == ["*"]


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_UPDATE_WORDS = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP", "Create": "CREATE",
    "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}


def _parse_header(text: str, name: str) -> tuple[str, tuple[Param, ...]]:
    summary = ""
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER.match(stripped)
        if not m:
            continue
        if m.group(1) == "summary":
            summary = m.group(2)
            continue
        pm = _PARAM.match(m.group(2))
        if not pm or not _NAME.match(pm.group("name")):
            raise DataError(f"{name}:{number}: expected '# param: NAME = DEFAULT -- description', got {stripped!r}")
        try:
            default = parse_value(pm.group("default"))
        except UsageError as exc:
            raise DataError(f"{name}:{number}: default of {pm.group('name')!r}: {exc}") from None
        params.append(Param(pm.group("name"), default, pm.group("default"), pm.group("description") or ""))
    return summary, tuple(params)


def prefix_block() -> str:
    """The PREFIX lines of the one prefix map, for queries typed by hand.

    Examples
    --------
    >>> prefix_block().splitlines()[0]
    'PREFIX rg: <https://w3id.org/radgraph/ns#>'
    """
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def query_names() -> list[str]:
    """Names of the shipped queries (file names without ``.rq``), sorted.

    Examples
    --------
    >>> "roles-requiring-credential" in query_names()
    True
    """
    return sorted(p.name[:-3] for p in Path(str(QUERY_DIR)).glob("*.rq"))


def list_queries() -> list[Query]:
    """Every shipped query, parsed, sorted by name.

    Examples
    --------
    >>> violations = [q.name for q in list_queries() if q.kind == "violation"]
    >>> "provenance-missing-violation" in violations
    True
    """
    return [load_query(n) for n in query_names()]


def load_query(name: str) -> Query:
    """Load a shipped query by name (``.rq`` optional), or any ``.rq`` file by path.

    An existing file wins over a shipped query of the same name.

    Raises
    ------
    UsageError
        No such query; the message names the closest ones.

    Examples
    --------
    >>> q = load_query("roles-requiring-credential")
    >>> q.kind, [p.name for p in q.params]
    ('report', ['credential'])
    """
    path = Path(name)
    if name.endswith(".rq") and _is_file(path):
        return parse_query(_read(path), name=name, path=path)
    stem = name[:-3] if name.endswith(".rq") else name
    names = query_names()
    if stem in names:
        shipped = Path(str(QUERY_DIR)) / f"{stem}.rq"
        return parse_query(_read(shipped), name=stem, path=shipped)
    close = difflib.get_close_matches(stem, names, n=3, cutoff=0.5)
    close += [n for n in names if stem and stem in n and n not in close]
    hint = f" Did you mean: {', '.join(close[:3])}?" if close else ""
    if name.endswith(".rq") or "/" in name:
        raise UsageError(f"no query file or shipped query {name!r}.{hint} Run 'radgraph query --list' to list them.")
    raise UsageError(f"no query named {name!r}.{hint} Run 'radgraph query --list' to list them.")


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False too for a name the system refuses (too long, ...)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def _as_query(query: Query | str) -> Query:
    return query if isinstance(query, Query) else load_query(query)


# ------------------------------------------------------------------ values and parameters

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PNAME = re.compile(r"(?P<prefix>[A-Za-z][A-Za-z0-9_.-]*)?:(?P<local>.*)\Z", re.S)
_QUOTED = re.compile(
    r"""(?P<q>["'])(?P<body>(?:(?!(?P=q))[^\\\n\r]|\\.)*)(?P=q)"""
    r"""(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>\S+))?\Z""",
    re.S,
)
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def parse_value(text: str) -> URIRef | Literal:
    """Read a parameter value: an IRI or a literal.

    - ``role:radiologist`` (a prefix of :data:`radgraph.namespaces.PREFIXES`),
      ``<https://...>`` or a bare ``https://...`` / ``urn:...`` IRI: an IRI;
    - ``"text"``, ``"text"@en``, ``"12"^^xsd:integer``: that literal;
    - ``12``, ``1.5``, ``true``: a number or boolean;
    - anything else: a plain string, as typed.

    Raises
    ------
    UsageError
        A malformed IRI, or a prefix radgraph does not know.

    Examples
    --------
    >>> parse_value("role:radiologist")
    rdflib.term.URIRef('https://w3id.org/radgraph/id/role/radiologist')
    >>> parse_value('"Radiologist"@en')
    rdflib.term.Literal('Radiologist', lang='en')
    >>> parse_value("12").datatype == XSD.integer
    True
    >>> parse_value("diploma or GED")
    rdflib.term.Literal('diploma or GED')
    """
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        return _iri(t[1:-1], text)
    m = _QUOTED.match(t)
    if m:
        body = re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", _unescape, m.group("body"))
        if m.group("lang"):
            return Literal(body, lang=m.group("lang"))
        if m.group("dt"):
            datatype = parse_value(m.group("dt"))
            if not isinstance(datatype, URIRef):
                raise UsageError(f"datatype of {text!r} must be an IRI")
            return Literal(body, datatype=datatype)
        return Literal(body)
    if t in ("true", "false"):
        return Literal(t, datatype=XSD.boolean)
    if re.fullmatch(r"[+-]?\d+", t):
        return Literal(t, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?\d*\.\d+", t):
        return Literal(t, datatype=XSD.decimal)
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+", t):
        return Literal(t, datatype=XSD.double)
    m = _PNAME.match(t)
    if m and (m.group("prefix") or "") in PREFIXES:
        return _iri(PREFIXES[m.group("prefix") or ""] + m.group("local"), text)
    if m and not re.search(r"\s", t):
        if "://" in t or t.lower().startswith(("urn:", "mailto:", "tag:")):
            return _iri(t, text)
        raise UsageError(
            f"unknown prefix {m.group('prefix') or ''!r} in {text!r}; known prefixes: {', '.join(PREFIXES)}. "
            "Write a full IRI in <...>, or quote a string: '\"...\"'"
        )
    return Literal(text)


def _unescape(m: re.Match) -> str:
    s = m.group(1)
    if s[0] in "uU" and len(s) > 1:
        if int(s[1:], 16) > 0x10FFFF:
            raise UsageError(f"\\{s} is not a Unicode character")
        return chr(int(s[1:], 16))
    if s in _ECHAR:
        return _ECHAR[s]
    raise UsageError(f"unknown escape \\{s} in a quoted value")


def _iri(iri: str, text: str) -> URIRef:
    if not _SCHEME.match(iri) or _IRI_BAD.search(iri):
        raise UsageError(f"not a valid IRI: {text!r} (an absolute IRI has a scheme and no spaces or <>\"{{}}|^`\\)")
    return URIRef(iri)


def bind_params(query: Query, params: Mapping[str, str | Identifier] | None = None) -> dict[str, Identifier]:
    """The values of a query's parameters: the defaults, overridden by ``params``.

    String values are read with :func:`parse_value`. A query that declares
    parameters accepts only those; one that declares none (typed by hand)
    accepts any of its variables.

    Raises
    ------
    UsageError
        An unknown parameter name, or a bad value.

    Examples
    --------
    >>> q = load_query("roles-requiring-credential")
    >>> bind_params(q, {"credential": "cred:ged"})["credential"]
    rdflib.term.URIRef('https://w3id.org/radgraph/id/credential/ged')
    """
    bindings: dict[str, Identifier] = {p.name: p.default for p in query.params}
    declared = [p.name for p in query.params]
    for name, value in (params or {}).items():
        if declared and name not in declared:
            raise UsageError(f"query {query.name!r} has no parameter {name!r}; its parameters: {', '.join(declared)}")
        if not declared and name not in query.variables:
            raise UsageError(f"query {query.name!r} has no variable ?{name} to bind")
        if isinstance(value, (URIRef, Literal)):  # before str: rdflib terms are strs too
            bindings[name] = value
        elif isinstance(value, str):
            try:
                bindings[name] = parse_value(value)
            except UsageError as exc:
                raise UsageError(f"parameter {name!r}: {exc}") from None
        else:
            raise UsageError(f"parameter {name!r}: expected a string, an IRI or a literal, got {type(value).__name__}")
    return bindings


def sparql_term(term: Identifier, *, query: bool = True) -> str:
    """Write an IRI or literal as SPARQL (and Turtle) text, escaping every character that could end it.

    Strings are always written on one line between double quotes, with ``\\``,
    ``"``, line breaks and tabs escaped. Engines disagree on ``\\uXXXX``
    escapes (rdflib reads them before anything else, even right after a
    backslash; Oxigraph only inside strings), so in a query (``query=True``) a
    ``u`` or ``U`` right after a backslash, and the hex digits that follow it,
    are written as ``\\u`` escapes themselves, which both read alike. Turtle
    (``query=False``, as in TSV results) needs none of that. IRIs and language
    tags are checked, never escaped.

    Examples
    --------
    >>> print(sparql_term(Literal('say "hi" }\\n#')))
    "say \\"hi\\" }\\n#"
    >>> sparql_term(URIRef("https://example.org/a b"))
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: not a valid IRI: 'https://example.org/a b' (an absolute IRI has a scheme and no spaces or <>"{}|^`\\)
    """
    if isinstance(term, URIRef):
        return f"<{_iri(str(term), str(term))}>"
    if isinstance(term, Literal):
        body = _escape_string(str(term), query=query)
        if term.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", term.language):
                raise UsageError(f"not a valid language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{body}"^^{sparql_term(term.datatype, query=query)}'
        return f'"{body}"'
    if isinstance(term, BNode):
        raise UsageError("a blank node cannot be a parameter value")
    raise UsageError(f"cannot write {term!r} as SPARQL")


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape_string(s: str, *, query: bool = True) -> str:
    out = []
    in_escape_run = False
    for i, ch in enumerate(s):
        if query and (in_escape_run and ch in "0123456789abcdefABCDEF" or ch in "uU" and s[i - 1:i] == "\\"):
            # Some engines read \uXXXX escapes before strings (rdflib), others only inside
            # them (Oxigraph): a "u" after a backslash, and the hex digits after it, are
            # escaped themselves so both read the same characters.
            out.append(f"\\u{ord(ch):04X}")
            in_escape_run = True
        else:
            out.append(_STRING_ESCAPES.get(ch, ch))
            in_escape_run = False
    return "".join(out)


# ------------------------------------------------------------------ VALUES for remote endpoints

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
      | (?P<word>[A-Za-z0-9_:\u00c0-\uffff][A-Za-z0-9_:.%\-\u00b7\u00c0-\uffff]*)
      | (?P<punct>.)""",
    re.X | re.S,
)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """SPARQL tokens as (kind, text, offset), enough to find braces outside strings, IRIs and comments."""
    for m in _TOKEN.finditer(text):
        if m.lastgroup not in ("ws", "comment"):
            yield m.lastgroup, m.group(), m.start()


def _where_brace(text: str, form: str) -> int | None:
    """Offset of the ``{`` opening the query's WHERE group, or None if it has none."""
    braces = parens = 0
    after_where = False
    for kind, tok, pos in _tokens(text):
        if kind == "punct":
            if tok == "(":
                parens += 1
            elif tok == ")":
                parens -= 1
            elif tok == "{":
                if braces == 0 and parens == 0 and (after_where or form != "CONSTRUCT"):
                    return pos
                braces += 1
            elif tok == "}":
                braces -= 1
        elif kind == "word" and braces == 0 and parens == 0 and tok.upper() == "WHERE":
            after_where = True
    return None


def with_values(query: Query, bindings: Mapping[str, Identifier]) -> str:
    """The query text with ``bindings`` as one VALUES row at the head of its WHERE group.

    This is how parameters reach a remote endpoint, which has no equivalent of
    ``initBindings``. A VALUES row first in the group joins with the whole
    WHERE pattern, so a parameter constrains triple patterns and FILTERs alike,
    as ``initBindings`` does. The terms are written by :func:`sparql_term`, and
    the new text is parsed again: it must be the original query with exactly
    this VALUES row added, holding exactly these terms, or nothing is sent.
    So no value, however written, can change the shape of the query.

    Raises
    ------
    UsageError
        The query has no WHERE group to bind into, or binding would change it.

    Examples
    --------
    >>> q = load_query("role-duties")
    >>> text = with_values(q, bind_params(q, {"role": "role:radiologist"}))
    >>> "VALUES (?role) { (<https://w3id.org/radgraph/id/role/radiologist>) }" in text
    True
    """
    if not bindings:
        return query.text
    from rdflib.plugins.sparql.parser import parseQuery

    names = list(bindings)
    for n in names:
        if not _NAME.match(n):
            raise UsageError(f"not a variable name: {n!r}")
    row = " ".join(sparql_term(bindings[n]) for n in names)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    pos = _where_brace(query.text, query.form)
    if pos is None:
        raise UsageError(f"{query.name}: has no WHERE group to bind parameters into")
    text = query.text[: pos + 1] + values + query.text[pos + 1:]
    problem = f"{query.name}: parameters cannot be bound into this query without changing it"
    try:
        original, bound = parseQuery(query.text), parseQuery(text)
        inline = bound[1]["where"]["part"].pop(0)
        got_vars = [str(v) for v in inline["var"]]
        got_rows = [list(r) for r in inline["value"]]
    except Exception:
        raise UsageError(problem) from None
    want = [bindings[n] for n in names]
    if (inline.name != "InlineData" or got_vars != names or len(got_rows) != 1
            or not _same_terms(got_rows[0], want) or repr(bound) != repr(original)):
        raise UsageError(problem)
    return text


def _parsed_term(value):
    """A term as rdflib's parser leaves it in a VALUES row: an IRI, or a ``literal`` CompValue."""
    if getattr(value, "name", None) == "literal":
        # CompValue.get returns the key itself when it is missing
        datatype = value["datatype"] if "datatype" in value else None
        if datatype is not None and not isinstance(datatype, URIRef):
            return None  # a prefixed datatype: never written by sparql_term
        return Literal(str(value["string"]), lang=value["lang"] if "lang" in value else None, datatype=datatype)
    return value


def _same_terms(got: list, want: list) -> bool:
    if len(got) != len(want):
        return False
    for a, b in zip(map(_parsed_term, got), want, strict=True):
        if type(a) is not type(b) or str(a) != str(b):
            return False
        if isinstance(a, Literal) and (a.language != b.language or _dt(a) != _dt(b)):
            return False
    return True


def _dt(lit: Literal):
    return None if lit.datatype == XSD.string else lit.datatype


# ------------------------------------------------------------------ results


@dataclass
class QueryResult:
    """What a query returned, the same whichever engine ran it.

    SELECT fills ``vars`` and ``rows`` (``None`` for an unbound cell), ASK
    ``boolean``, CONSTRUCT and DESCRIBE ``graph``. Literals typed
    ``xsd:string`` are plain, as RDF 1.1 says they are the same.
    """

    form: str
    vars: tuple[str, ...] = ()
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def to_dicts(self, *, terms: bool = False) -> list[dict[str, Any]]:
        """The rows as dicts keyed by variable name; an unbound cell is ``None``.

        Values are plain Python (an IRI as its string, a literal as
        ``Literal.toPython()``: ``int``, ``Decimal``, ``date``, ``str``, ...; a
        blank node as ``_:ID``), or the rdflib terms themselves with ``terms=True``.
        A CONSTRUCT or DESCRIBE result gives one ``{"subject", "predicate",
        "object"}`` dict per triple, sorted. An ASK result has no rows: read
        ``boolean``.

        Examples
        --------
        >>> import radgraph
        >>> result = run_query(radgraph.load().graph, "roles-requiring-credential", {"credential": "cred:ged"})
        >>> result.to_dicts()[0]["roleLabel"]
        'Radiology Assistant'
        >>> QueryResult("SELECT", ("n", "m"), [(Literal(8), None)]).to_dicts()
        [{'n': 8, 'm': None}]
        """
        if self.form == "ASK":
            raise UsageError("an ASK result is one true or false, not rows: read its .boolean")
        value = (lambda t: t) if terms else _python_value
        if self.graph is not None:
            return [{"subject": value(s), "predicate": value(p), "object": value(o)}
                    for s, p, o in sorted(self.graph, key=lambda t: tuple(x.n3() for x in t))]
        return [{name: value(cell) for name, cell in zip(self.vars, row, strict=True)} for row in self.rows]

    def to_dataframe(self, *, terms: bool = False):
        """The rows as a pandas DataFrame, one column per variable (see :meth:`to_dicts`).

        pandas is not a dependency of radgraph: install it yourself (``pip install pandas``).

        Raises
        ------
        RadGraphError
            pandas is not installed.
        """
        try:
            import pandas
        except ImportError:
            raise RadGraphError("to_dataframe needs pandas, which radgraph does not install: "
                                "pip install pandas") from None
        columns = ["subject", "predicate", "object"] if self.graph is not None else list(self.vars)
        return pandas.DataFrame.from_records(self.to_dicts(terms=terms), columns=columns)


def _python_value(term):
    """An rdflib term as a plain Python value (see :meth:`QueryResult.to_dicts`)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


def normal_term(term):
    """``"x"^^xsd:string`` as ``"x"``; every other term unchanged.

    Examples
    --------
    >>> normal_term(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def run_query(graph: Graph, query: Query | str, params: Mapping[str, str | Identifier] | None = None) -> QueryResult:
    """Run a query on an rdflib graph, parameters bound with ``initBindings``.

    Parameters
    ----------
    graph : the graph, e.g. ``radgraph.load().graph``.
    query : a :class:`Query`, or the name or path of one (see :func:`load_query`).
    params : parameter values by name: strings as :func:`parse_value` reads
        them, or rdflib terms.

    Examples
    --------
    >>> import radgraph
    >>> graph = radgraph.load().graph
    >>> result = run_query(graph, "roles-requiring-credential", {"credential": "cred:ged"})
    >>> [str(row[1]) for row in result.rows]
    ['Radiology Assistant', 'Radiology Imaging Procedure Assistant']
    """
    query = _as_query(query)
    bindings = bind_params(query, params)
    _refuse_outside_data(query)
    try:
        return _from_rdflib(graph.query(query.prepared, initBindings=bindings), query.form)
    except RadGraphError:
        raise
    except Exception as exc:
        raise RadGraphError(f"{query.name}: query failed: {_one_line(exc)}") from None


def _refuse_outside_data(query: Query) -> None:
    """Refuse FROM, FROM NAMED and SERVICE on the embedded graph.

    rdflib would fetch what they name (``FROM <file:///etc/passwd>``,
    ``SERVICE <http://...>``), so a query file could read local files or call
    any server. The embedded graph is the whole dataset; a server that holds
    other data is asked with ``--endpoint``.

    Examples
    --------
    >>> run_query(Graph(), parse_query("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", name="q"))
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: q: refused: FROM <file:///etc/passwd> names data outside the embedded graph, which radgraph does not fetch; ask a server that holds it with --endpoint
    """
    from rdflib.plugins.sparql.algebra import traverse

    found: list[str] = []
    algebra = query.prepared.algebra
    for clause in (algebra["datasetClause"] if "datasetClause" in algebra else None) or ():
        named = "named" in clause  # CompValue.get returns the key itself when it is missing
        found.append(f"FROM{' NAMED' if named else ''} <{clause['named' if named else 'default']}>")

    def visit(node):
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = node["term"]
            found.append(f"SERVICE <{term}>" if isinstance(term, URIRef) else f"SERVICE {term.n3()}")

    traverse(algebra, visitPre=visit)
    if found:
        raise UsageError(f"{query.name}: refused: {found[0]} names data outside the embedded graph, which radgraph "
                         "does not fetch; ask a server that holds it with --endpoint")


def _from_rdflib(result, form: str) -> QueryResult:
    if result.type == "SELECT":
        names = tuple(str(v) for v in result.vars)
        rows = [tuple(normal_term(row[i]) for i in range(len(names))) for row in result]
        return QueryResult("SELECT", names, rows)
    if result.type == "ASK":
        return QueryResult("ASK", boolean=bool(result.askAnswer))
    out = Graph()
    for t in result:
        out.add(tuple(normal_term(x) for x in t))
    return QueryResult(form, graph=_bind_prefixes(out))


def _bind_prefixes(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    return graph


# ------------------------------------------------------------------ remote endpoints

_RESULTS_JSON = ("application/sparql-results+json", "application/json")
_RESULTS_XML = "application/sparql-results+xml"
_GRAPH_TYPES = {
    "text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt", "application/rdf+xml": "xml",
    "application/ld+json": "json-ld", "text/n3": "n3", "application/n-quads": "nquads", "application/trig": "trig",
}


def check_url(url: str, what: str = "endpoint") -> str:
    """Refuse anything but an absolute ``http://`` or ``https://`` URL.

    Examples
    --------
    >>> check_url("ftp://example.org/sparql")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: endpoint must be an http:// or https:// URL, got 'ftp://example.org/sparql'
    """
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # a port that is not a number from 0 to 65535 raises ValueError
    except ValueError as exc:  # e.g. http://[::1/query
        raise UsageError(f"{what} is not a valid URL ({exc}): {url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise UsageError(f"{what} must be an http:// or https:// URL, got {url!r}")
    if not url.isascii():  # http.client sends the request line as ASCII
        raise UsageError(f"{what} URL must be ASCII: percent-encode other characters (%C3%A9 for \u00e9), got {url!r}")
    return url


def run_remote(
    endpoint: str,
    query: Query | str,
    params: Mapping[str, str | Identifier] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run a query on a SPARQL 1.1 endpoint (its query URL).

    The query goes as a form POST (``query=...``, SPARQL 1.1 Protocol);
    parameters are bound with :func:`with_values`. SELECT and ASK answers are
    read as SPARQL results JSON, CONSTRUCT and DESCRIBE as Turtle, N-Triples or
    RDF/XML, whichever the server sends.

    Raises
    ------
    RadGraphError
        The endpoint cannot be reached, does not answer within ``timeout``
        seconds, answers with an HTTP error, or answers with something that is
        not SPARQL results. One line each.

    Examples
    --------
    With a server running (``oxigraph serve --bind 127.0.0.1:7878``) and the
    graph pushed to it (:func:`push`)::

        run_remote("http://127.0.0.1:7878/query", "entry-level-roles").rows

    ``tests/test_sparql.py`` runs every shipped query this way on a real server.
    """
    check_url(endpoint)
    query = _as_query(query)
    text = with_values(query, bind_params(query, params))
    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
    accept = ("text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5" if graph_form
              else "application/sparql-results+json, application/sparql-results+xml;q=0.5")
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    content_type, data = _http(
        "POST", endpoint, body,
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, timeout,
    )
    if graph_form:
        return QueryResult(query.form, graph=_parse_graph(endpoint, content_type, data))
    if content_type == _RESULTS_XML:  # servers that ignore Accept
        result = _parse_results_xml(endpoint, data)
    elif content_type and content_type not in _RESULTS_JSON:
        raise RadGraphError(f"{endpoint} did not answer with SPARQL results (Content-Type: {content_type})")
    else:
        try:
            result = parse_results_json(data)
        except ValueError as exc:
            raise RadGraphError(f"{endpoint} did not answer with SPARQL results JSON: {exc}") from None
    if result.form != query.form:
        raise RadGraphError(f"{endpoint} answered a {query.form} query with {result.form} results")
    return result


def _parse_results_xml(url: str, data: bytes) -> QueryResult:
    from rdflib.query import Result

    try:
        result = Result.parse(io.BytesIO(data), format="xml")
        return _from_rdflib(result, result.type)
    except Exception as exc:
        raise RadGraphError(f"{url} did not answer with valid SPARQL results XML: {_one_line(exc)}") from None


def _parse_graph(url: str, content_type: str, data: bytes) -> Graph:
    fmt = _GRAPH_TYPES.get(content_type or "text/turtle")
    if fmt is None:
        raise RadGraphError(f"{url} did not answer with RDF (Content-Type: {content_type})")
    graph = Graph()
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:
        raise RadGraphError(f"{url} did not answer with valid {content_type or 'Turtle'}: {_one_line(exc)}") from None
    out = Graph()
    for t in graph:
        out.add(tuple(normal_term(x) for x in t))
    return _bind_prefixes(out)


def parse_results_json(data: bytes | str) -> QueryResult:
    """Read W3C SPARQL 1.1 Query Results JSON (SELECT or ASK).

    Raises ``ValueError`` for anything else.

    Examples
    --------
    >>> r = parse_results_json('{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "urn:a"}}]}}')
    >>> r.vars, r.rows
    (('x',), [(rdflib.term.URIRef('urn:a'),)])
    """
    try:
        obj = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON ({_one_line(exc)})") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("head"), dict):
        raise ValueError('no "head" object')
    if "boolean" in obj:
        if not isinstance(obj["boolean"], bool):
            raise ValueError('"boolean" is not true or false')
        return QueryResult("ASK", boolean=obj["boolean"])
    names = obj["head"].get("vars", [])
    results = obj.get("results")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError('"head.vars" is not a list of names')
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise ValueError('no "results.bindings" list')
    rows = []
    for binding in results["bindings"]:
        if not isinstance(binding, dict):
            raise ValueError("a binding is not an object")
        rows.append(tuple(_json_term(binding[n]) if n in binding else None for n in names))
    return QueryResult("SELECT", tuple(names), rows)


def _json_term(obj) -> Identifier:
    if not isinstance(obj, dict) or not isinstance(obj.get("value"), str):
        raise ValueError(f"not an RDF term: {obj!r:.80}")
    kind, value = obj.get("type"), obj["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if obj.get("xml:lang"):
            return Literal(value, lang=obj["xml:lang"])
        if obj.get("datatype"):
            return normal_term(Literal(value, datatype=URIRef(obj["datatype"])))
        return Literal(value)
    raise ValueError(f"unknown RDF term type {kind!r}")


def _http(method: str, url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[str, bytes]:
    """One HTTP exchange, over within ``timeout`` seconds; every failure becomes a one-line RadGraphError.

    A socket timeout bounds each wait, not their sum: a server sending a byte
    a second would hold a plain ``urlopen`` for ever. So the exchange runs in a
    worker thread, given up (and told to stop reading) when time is up.
    """
    outcome: dict[str, Any] = {}
    stop = threading.Event()

    def exchange() -> None:
        try:
            outcome["answer"] = _exchange(method, url, body, headers, timeout, stop)
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    worker = threading.Thread(target=exchange, name="radgraph-http", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise RadGraphError(f"{url} did not answer within {timeout:g} seconds")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["answer"]


def _exchange(method: str, url: str, body: bytes, headers: dict[str, str], timeout: float,
              stop: threading.Event) -> tuple[str, bytes]:
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"User-Agent": f"radgraph/{__version__}", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            chunks, size = [], 0
            while not stop.is_set() and (chunk := response.read1(1 << 16)):
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise RadGraphError(f"{url} answered with more than {MAX_ANSWER_BYTES >> 20} MB, more than "
                                        "radgraph reads; ask for less (e.g. with LIMIT)")
                chunks.append(chunk)
            data = b"".join(chunks)
            if response.length:  # read1, unlike read, takes a connection closed early as the end
                raise http.client.IncompleteRead(data, response.length)
            content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
            return content_type, data
    except urllib.error.HTTPError as exc:
        detail = ""
        try:
            detail = _one_line(exc.read(300).decode("utf-8", "replace"))
        except Exception:
            pass
        raise RadGraphError(
            f"{url} answered HTTP {exc.code} {exc.reason}" + (f": {detail[:200]}" if detail else "")
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise RadGraphError(f"{url} did not answer within {timeout:g} seconds") from None
        if isinstance(reason, ConnectionRefusedError):
            raise RadGraphError(f"cannot reach {url}: connection refused") from None
        raise RadGraphError(f"cannot reach {url}: {_one_line(getattr(reason, 'strerror', None) or reason)}") from None
    except TimeoutError:
        raise RadGraphError(f"{url} did not answer within {timeout:g} seconds") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise RadGraphError(f"{url} did not answer with HTTP: {_one_line(exc) or type(exc).__name__}") from None
    except OSError as exc:
        raise RadGraphError(f"cannot reach {url}: {_one_line(exc.strerror or exc)}") from None


def store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query URL, where radgraph can tell.

    Oxigraph serves queries at ``BASE/query`` and the graph store at
    ``BASE/store``. Other servers name it differently (Fuseki ``/DATASET/data``,
    GraphDB ``/repositories/ID/rdf-graphs/service``): give it as ``store``.

    Examples
    --------
    >>> store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    check_url(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    if parts.path.endswith("/query") and not parts.query:
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "store"))
    raise UsageError(
        f"cannot tell the Graph Store URL of {endpoint!r} (only an Oxigraph-style .../query has a known .../store); "
        "give it with --store URL"
    )


def push(
    graph: Graph,
    endpoint: str,
    graph_iri: str | None = None,
    *,
    store: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Replace a graph of a SPARQL store with ``graph`` (Graph Store Protocol PUT of Turtle).

    Parameters
    ----------
    graph : what to send, e.g. ``radgraph.load().graph``.
    endpoint : the store's SPARQL query URL; the Graph Store URL is found from
        it with :func:`store_url` unless ``store`` is given.
    graph_iri : write this named graph; by default the default graph, which
        queries read without a GRAPH clause.
    store : the Graph Store Protocol URL.

    Returns the URL written to. Pushing twice leaves the same store.

    Raises
    ------
    UsageError
        A bad URL or graph IRI.
    RadGraphError
        The store cannot be reached or refuses the data.

    Examples
    --------
    With an Oxigraph server on 127.0.0.1:7878::

        push(radgraph.load().graph, "http://127.0.0.1:7878/query")
        # -> 'http://127.0.0.1:7878/store?default'
    """
    target = check_url(store, "store") if store else store_url(endpoint)
    if graph_iri is not None:
        iri = parse_value(graph_iri)
        if not isinstance(iri, URIRef):
            raise UsageError(f"graph must be an IRI, got {graph_iri!r}")
        selector = urllib.parse.urlencode({"graph": str(iri)})
    else:
        selector = "default"
    url = target + ("&" if urllib.parse.urlsplit(target).query else "?") + selector
    data = graph.serialize(format="turtle", encoding="utf-8")
    _http("PUT", url, data, {"Content-Type": "text/turtle; charset=utf-8"}, timeout)
    return url


# ------------------------------------------------------------------ formats


def format_result(result: QueryResult, format: str = "table") -> str:
    """Text of a result: ``table``, ``csv``, ``tsv`` or ``json``; for a graph ``ttl``, ``nt`` or ``jsonld``.

    SELECT results follow the W3C SPARQL 1.1 CSV, TSV and JSON result formats
    (``table`` is aligned text with prefixed names, for people). ASK gives
    ``true`` or ``false`` (W3C JSON with ``json``). CONSTRUCT and DESCRIBE
    give Turtle (``table`` or ``ttl``), N-Triples (``nt``) or JSON-LD
    (``jsonld``); a format that does not fit the result raises UsageError.

    Examples
    --------
    >>> print(format_result(QueryResult("ASK", boolean=False)))
    false
    >>> format_result(QueryResult("SELECT", ("n",), [(Literal(8),)]), "csv")
    'n\\r\\n8\\r\\n'
    >>> format_result(QueryResult("SELECT", ("n",), [(Literal(8),)]), "nt")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: format 'nt' is for the graph of a CONSTRUCT or DESCRIBE query; a SELECT result is table, csv, tsv or json
    """
    check_format(result.form, format)
    if result.graph is not None:
        return generate_graph(result.graph, format)
    if result.form == "ASK":
        if format == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
        return "true" if result.boolean else "false"
    return {"table": generate_table, "csv": generate_csv, "tsv": generate_tsv, "json": generate_json}[format](result)


def check_format(form: str, format: str) -> None:
    """Refuse a result format that does not fit a query form (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``).

    Examples
    --------
    >>> check_format("CONSTRUCT", "jsonld")
    >>> check_format("CONSTRUCT", "csv")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: format 'csv' does not apply to a CONSTRUCT query: it gives a graph, as ttl (the default), nt or jsonld
    """
    if format not in FORMATS + GRAPH_FORMATS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS + GRAPH_FORMATS)}")
    if form in ("CONSTRUCT", "DESCRIBE"):
        if format not in ("table", *GRAPH_FORMATS):
            raise UsageError(f"format {format!r} does not apply to a {form} query: it gives a graph, "
                             "as ttl (the default), nt or jsonld")
    elif format in GRAPH_FORMATS:
        raise UsageError(f"format {format!r} is for the graph of a CONSTRUCT or DESCRIBE query; "
                         f"a{'n' if form == 'ASK' else ''} {form} result is "
                         + ("true or false (or json)" if form == "ASK" else "table, csv, tsv or json"))
    elif form == "ASK" and format in ("csv", "tsv"):
        raise UsageError(f"format {format!r} does not apply to an ASK query: it gives true or false (or json)")


def generate_graph(graph: Graph, format: str = "ttl") -> str:
    """A CONSTRUCT or DESCRIBE result as Turtle (``ttl``, also ``table``), sorted N-Triples (``nt``) or
    JSON-LD compacted with the radgraph prefixes (``jsonld``).

    Examples
    --------
    >>> g = Graph().parse(data="<https://w3id.org/radgraph/id/role/x> a <https://w3id.org/radgraph/ns#Role> .",
    ...                   format="turtle")
    >>> print(generate_graph(g, "nt"), end="")
    <https://w3id.org/radgraph/id/role/x> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/radgraph/ns#Role> .
    >>> json.loads(generate_graph(g, "jsonld"))["@id"]
    'role:x'
    """
    if format == "nt":
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return "\n".join(lines) + "\n" if lines else ""
    _bind_prefixes(graph)
    if format == "jsonld":
        return graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True, indent=2)
    return generate_turtle(graph)


def generate_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def _display(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return " ".join(str(term).split()) if "\n" in str(term) or "\t" in str(term) else str(term)


def generate_table(result: QueryResult) -> str:
    """Aligned columns for people: IRIs as prefixed names, unbound cells empty.

    Examples
    --------
    >>> r = QueryResult("SELECT", ("role", "n"), [(URIRef("https://w3id.org/radgraph/id/role/radiologist"), Literal(2))])
    >>> print(generate_table(r))
    role              n
    ----------------  -
    role:radiologist  2
    """
    cells = [list(result.vars)] + [[_display(t) for t in row] for row in result.rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(result.vars))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def generate_csv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results CSV: a header of names, values without types, CRLF lines.

    Examples
    --------
    >>> r = QueryResult("SELECT", ("x", "label"), [(URIRef("urn:a"), Literal('say "hi", twice'))])
    >>> generate_csv(r)
    'x,label\\r\\nurn:a,"say ""hi"", twice"\\r\\n'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return out.getvalue()


def _tsv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return sparql_term(term, query=False)


def generate_tsv(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results TSV: a header of ``?names``, values as RDF terms, one line each.

    Examples
    --------
    >>> r = QueryResult("SELECT", ("x", "n"), [(URIRef("urn:a"), Literal(3)), (None, Literal("a\\tb"))])
    >>> generate_tsv(r).split("\\n")
    ['?x\\t?n', '<urn:a>\\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>', '\\t"a\\\\tb"', '']
    """
    lines = ["\t".join("?" + v for v in result.vars)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_binding(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    d = {"type": "literal", "value": str(term)}
    if term.language:
        d["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        d["datatype"] = str(term.datatype)
    return d


def generate_json(result: QueryResult) -> str:
    """W3C SPARQL 1.1 Query Results JSON; unbound variables are left out of their binding.

    Examples
    --------
    >>> r = QueryResult("SELECT", ("x", "y"), [(URIRef("urn:a"), None)])
    >>> json.loads(generate_json(r))["results"]["bindings"]
    [{'x': {'type': 'uri', 'value': 'urn:a'}}]
    """
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
    bindings = [
        {name: _json_binding(t) for name, t in zip(result.vars, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps({"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}},
                      indent=2, ensure_ascii=False)


# ------------------------------------------------------------------ the queries README

INDEX_START = "<!-- query index: generated by radgraph.sparql.generate_query_index; `make queries-readme` -->"
INDEX_END = "<!-- end of query index -->"


def generate_query_index(queries: Iterable[Query] | None = None) -> str:
    """The Markdown table of the shipped queries that ``queries/README.md`` holds."""
    queries = list_queries() if queries is None else list(queries)
    lines = ["| query | kind | parameters (default) | summary |", "| --- | --- | --- | --- |"]
    for q in queries:
        params = "<br>".join(f"`{p.name}` = `{p.default_text}`" for p in q.params)
        summary = q.summary.replace("|", r"\|")
        lines.append(f"| [`{q.name}`]({q.name}.rq) | {q.kind} | {params} | {summary} |")
    return "\n".join([INDEX_START, *lines, INDEX_END])


def write_query_index(path: str | Path) -> None:
    """Replace the query index between its markers in ``path`` (written to a temporary file, then renamed)."""
    path = Path(path)
    text = _read(path)
    start, end = text.find(INDEX_START), text.find(INDEX_END)
    if start < 0 or end < start:
        raise DataError(f"{path}: no query index markers")
    new = text[:start] + generate_query_index() + text[end + len(INDEX_END):]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)


def _one_line(exc) -> str:
    return " ".join(str(exc).split())


# ------------------------------------------------------------------ pyoxigraph, for large graphs


def load_store(paths: Iterable[str | Path]):
    """A pyoxigraph Store (in memory) holding the given Turtle files.

    Oxigraph loads a million triples in seconds where rdflib takes about a
    minute; every shipped query gives the same rows on both (tests/test_sparql.py).
    """
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        path = Path(path)
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return store


def run_query_store(store, query: Query | str, params: Mapping[str, str | Identifier] | None = None) -> QueryResult:
    """Run a query on a pyoxigraph Store; parameters bound as for a remote endpoint (checked VALUES row)."""
    import pyoxigraph as ox

    query = _as_query(query)
    text = with_values(query, bind_params(query, params))
    answer = store.query(text)
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph().parse(data=answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
        out = Graph()
        for t in graph:
            out.add(tuple(normal_term(x) for x in t))
        return QueryResult(query.form, graph=out)
    return parse_results_json(answer.serialize(format=ox.QueryResultsFormat.JSON))


def fetch_model(endpoint: str, *, timeout: float = DEFAULT_TIMEOUT):
    """The planner's model, read from a SPARQL 1.1 endpoint holding the graph.

    Sends the shipped ``construct-planner`` query, so only what the planner
    reads crosses the network; the planning itself runs here.
    """
    from .reader import build_model, check_model
    from .triples import fill_from_rdflib

    result = run_remote(endpoint, "construct-planner", timeout=timeout)
    model = build_model(fill_from_rdflib(result.graph))
    if not model.roles:
        raise RadGraphError(f"{endpoint} holds no radgraph roles: push the graph first (radgraph push --endpoint URL)")
    check_model(model)
    return model

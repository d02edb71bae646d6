"""The named-query library: the shipped ``.rq`` files, their header, and parsing a query once.

Each query is standalone (its own PREFIX block) and headed by comment lines::

    # summary: Roles that require a credential anywhere in their requirements
    # param: credential = cred:arrt-certification -- the credential asked about

``# summary:`` is line 1. Each ``# param: NAME = DEFAULT -- description`` line
declares the query variable ``?NAME`` as a parameter; DEFAULT is written like a
value given on the command line (see :func:`radgraph.sparql.parse_value`), the
description is optional. A file's name says its role: ``*-violation.rq`` must
return no rows on a graph that is right, ``construct-*.rq`` builds a graph,
``ask-*.rq`` answers yes or no, and the rest are reports.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib.term import Identifier

from ..errors import DataError, UsageError
from ..namespaces import PREFIXES
from .terms import parse_value

QUERY_DIR = files("radgraph") / "queries"


KINDS = ("report", "ask", "construct", "violation")

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER = re.compile(r"#\s*(summary|param)\s*:\s*(.*?)\s*\Z")
_PARAM = re.compile(r"(?P<name>\S+)\s*=\s*(?P<default>.+?)(?:\s+--\s+(?P<description>.*))?\Z")


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
    return _parsed(text, name, path, prefixes)


@lru_cache(maxsize=256)
def _parsed(text: str, name: str, path: Path | None, prefixes: bool) -> Query:
    """:func:`parse_query`, remembered: rdflib's parser takes 30 to 60 ms a query, and a program (or the test
    suite) that runs one query many times pays it once. A parsed query is only read when it runs, never changed."""
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

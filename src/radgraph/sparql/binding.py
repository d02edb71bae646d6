"""Binding parameter values to a query: checked against what it declares, and, for engines
without ``initBindings`` (a remote endpoint, pyoxigraph), written as a VALUES block (one row, or several).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import UsageError
from .library import _NAME, Query, _tokens
from .terms import parse_value, sparql_term


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
    >>> from radgraph.sparql import load_query
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


# Why not append VALUES after the query, as SPARQL 1.1 allows and rdflib's SPARQLStore does with
# initBindings: a trailing VALUES joins after the WHERE group, so a FILTER reading a parameter sees
# it unbound (find.rq answers 0 rows instead of 50). So our tokenizer finds the WHERE group's brace.
def with_values(query: Query, bindings: Mapping[str, Identifier] | Sequence[Mapping[str, Identifier]]) -> str:
    """The query text with ``bindings`` as a VALUES block at the head of its WHERE group.

    This is how parameters reach a remote endpoint, which has no equivalent of
    ``initBindings``. ``bindings`` is one row (a mapping), or several rows with
    the same names (a sequence of mappings): the query then answers for each
    row, as a union would. A VALUES block first in the group joins with the
    whole WHERE pattern, so a parameter constrains triple patterns and FILTERs
    alike, as ``initBindings`` does. The terms are written by
    :func:`sparql_term`, and the new text is parsed again: it must be the
    original query with exactly this VALUES block added, holding exactly these
    terms, or nothing is sent. So no value, however written, can change the
    shape of the query.

    Raises
    ------
    UsageError
        The query has no WHERE group to bind into, binding would change it, or
        the rows do not all bind the same names.

    Examples
    --------
    >>> from radgraph.sparql import load_query
    >>> q = load_query("role-duties")
    >>> text = with_values(q, bind_params(q, {"role": "role:radiologist"}))
    >>> "VALUES (?role) { (<https://w3id.org/radgraph/id/role/radiologist>) }" in text
    True
    >>> rows = [bind_params(q, {"role": r}) for r in ("role:radiologist", "role:radiologist-assistant")]
    >>> with_values(q, rows).count("VALUES (?role) { (<https://w3id.org/radgraph/id/role/radiologist>) (<")
    1
    """
    rows = [bindings] if isinstance(bindings, Mapping) else list(bindings)
    if not rows:
        raise UsageError(f"{query.name}: no rows of values to bind")
    if not rows[0]:
        if any(rows):
            raise UsageError(f"{query.name}: every row of values must bind the same names")
        return query.text
    from rdflib.plugins.sparql.parser import parseQuery

    names = list(rows[0])
    for n in names:
        if not _NAME.match(n):
            raise UsageError(f"not a variable name: {n!r}")
    if any(list(r) != names for r in rows):
        raise UsageError(f"{query.name}: every row of values must bind the same names")
    written = " ".join("(" + " ".join(sparql_term(r[n]) for n in names) + ")" for r in rows)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ {written} }} "
    pos = _where_brace(query.text, query.form)
    if pos is None:
        raise UsageError(f"{query.name}: has no WHERE group to bind parameters into")
    text = query.text[: pos + 1] + values + query.text[pos + 1:]
    problem = f"{query.name}: parameters cannot be bound into this query without changing it"
    try:
        original, bound = _parse_tree(query.text), parseQuery(text)
        inline = bound[1]["where"]["part"].pop(0)
        got_vars = [str(v) for v in inline["var"]]
        got_rows = [list(r) for r in inline["value"]]
    except Exception:
        raise UsageError(problem) from None
    if (inline.name != "InlineData" or got_vars != names or len(got_rows) != len(rows)
            or not all(_same_terms(got, [r[n] for n in names]) for got, r in zip(got_rows, rows, strict=True))
            or repr(bound) != original):
        raise UsageError(problem)
    return text


@lru_cache(maxsize=64)
def _parse_tree(text: str) -> str:
    """The parse tree of a query's text, as its repr: what a bound query must equal, less its VALUES row.
    Parsed once per text (rdflib's parser takes tens of milliseconds)."""
    from rdflib.plugins.sparql.parser import parseQuery

    return repr(parseQuery(text))


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

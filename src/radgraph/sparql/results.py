"""Query results, the same whichever engine ran the query, and the formats they are written in:
an aligned table for people, and the W3C SPARQL 1.1 CSV, TSV and JSON result formats.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import RadGraphError, UsageError
from ..namespaces import PREFIXES, shorten
from .library import _one_line
from .terms import normal_term, sparql_term

FORMATS = ("table", "csv", "tsv", "json")
#: What a CONSTRUCT or DESCRIBE result (a graph) can be written as; ``table`` means Turtle there too.
GRAPH_FORMATS = ("ttl", "nt", "jsonld")


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
        >>> from radgraph.sparql import run_query
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


# Not rdflib's JSON results parser: it takes {"boolean": "yes"} for true and fails on other
# non-results with errors that name nothing a user could act on; each check here names what is wrong.
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
    except RecursionError:  # [[[[...]]]] thousands deep: Python's JSON parser recurses
        raise ValueError("JSON nested too deeply to read") from None
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


# Not rdflib's CSV writer: on an empty aggregate (evidence-incomplete-violation) it writes a row of
# empty cells the answer does not have. pyoxigraph's writes only its own engine's results.
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


# rdflib has no TSV writer; pyoxigraph's writes numbers in Turtle's short form (5, not
# "5"^^xsd:integer), other bytes than radgraph has always printed.
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


# rdflib's and pyoxigraph's JSON writers write the same results on one line; radgraph has always
# printed them indented, and tests pin those bytes.
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

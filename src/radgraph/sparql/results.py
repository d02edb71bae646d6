"""Query results, the same whichever engine ran the query, and the formats they are written in:
an aligned table for people, and the W3C SPARQL 1.1 CSV, TSV and JSON result formats.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from ..errors import UsageError
from ..namespaces import PREFIXES, shorten
from .library import _one_line
from .terms import normal_term, sparql_term

FORMATS = ("table", "csv", "tsv", "json")


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
    """Text of a result: ``table``, ``csv``, ``tsv`` or ``json``.

    SELECT results follow the W3C SPARQL 1.1 CSV, TSV and JSON result formats
    (``table`` is aligned text with prefixed names, for people). ASK gives
    ``true`` or ``false`` (W3C JSON with ``json``); CONSTRUCT and DESCRIBE give
    Turtle whatever the format.

    Examples
    --------
    >>> print(format_result(QueryResult("ASK", boolean=False)))
    false
    >>> format_result(QueryResult("SELECT", ("n",), [(Literal(8),)]), "csv")
    'n\\r\\n8\\r\\n'
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if result.graph is not None:
        return generate_turtle(result.graph)
    if result.form == "ASK":
        if format == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
        return "true" if result.boolean else "false"
    return {"table": generate_table, "csv": generate_csv, "tsv": generate_tsv, "json": generate_json}[format](result)


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

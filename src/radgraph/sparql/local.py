"""The local engines: rdflib on the loaded graph (parameters bound with ``initBindings``), and
pyoxigraph for large graphs (parameters bound by a checked VALUES row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ..errors import RadGraphError, UsageError
from .binding import bind_params, with_values
from .library import Query, _as_query, _one_line
from .results import QueryResult, _from_rdflib, parse_results_json
from .terms import normal_term


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
    >>> from radgraph.sparql import parse_query
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
    query = _as_query(query)
    text = with_values(query, bind_params(query, params))
    # read in a frame of its own: pyparsing's tracebacks (in with_values) keep this frame in a reference cycle,
    # and pyoxigraph's answer, held there, would be dropped by whichever thread next collects garbage (an error)
    return _read_answer(store.query(text), query.form)


def _read_answer(answer, form: str) -> QueryResult:
    import pyoxigraph as ox

    if form in ("CONSTRUCT", "DESCRIBE"):
        graph = Graph().parse(data=answer.serialize(format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
        out = Graph()
        for t in graph:
            out.add(tuple(normal_term(x) for x in t))
        return QueryResult(form, graph=out)
    return parse_results_json(answer.serialize(format=ox.QueryResultsFormat.JSON))

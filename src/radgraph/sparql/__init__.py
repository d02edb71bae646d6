"""SPARQL over the knowledge graph: the shipped questions, their parameters, and running them.

The questions live in ``radgraph/queries/*.rq``, one per file, each standalone
(its own PREFIX block) and headed by ``# summary:`` and ``# param:`` comment
lines (see :mod:`radgraph.sparql.library`).

Parameters never go into the query text on the embedded graph: the query is
parsed once and run with rdflib's ``initBindings``. A remote endpoint has no
such channel, so :func:`with_values` adds one ``VALUES`` row at the head of the
query's WHERE group, each term written from its parsed value with every
character escaped; the result is parsed again and must be the original query
plus exactly that row, or nothing is sent (see :func:`with_values`).

Remote endpoints are spoken to over plain HTTP (SPARQL 1.1 Protocol: a form
POST of ``query=...``; Graph Store Protocol: a PUT of N-Triples), with the
standard result formats, so any SPARQL 1.1 server works: Oxigraph, Fuseki,
GraphDB, Virtuoso, ...

Where things are:

=============  ===============================================================
``library``    the shipped queries, their header, :func:`parse_query`
``terms``      parameter values: :func:`parse_value`, :func:`sparql_term`
``binding``    :func:`bind_params`; :func:`with_values`, the checked VALUES rows
``local``      the engines here: rdflib (:func:`run_query`), pyoxigraph
``remote``     a SPARQL server: :func:`run_remote`, :func:`push`, :func:`fetch_model`, :func:`fetch_part`, :func:`fetch_evidence`
``transport``  one HTTP exchange, with a deadline and a size cap
``results``    :class:`QueryResult`; table, CSV, TSV and JSON
=============  ===============================================================

Nothing here prints; :mod:`radgraph.cli` does.
"""

from __future__ import annotations

from .binding import bind_params, with_values
from .library import (
    INDEX_END,
    INDEX_START,
    KINDS,
    QUERY_DIR,
    Param,
    Query,
    _tokens,
    generate_query_index,
    list_queries,
    load_query,
    parse_query,
    prefix_block,
    query_names,
    write_query_index,
)
from .local import load_store, run_query, run_query_store
from .remote import Part, check_url, fetch_evidence, fetch_model, fetch_part, push, run_remote, store_url
from .results import (
    FORMATS,
    GRAPH_FORMATS,
    QueryResult,
    check_format,
    format_result,
    generate_csv,
    generate_graph,
    generate_json,
    generate_table,
    generate_tsv,
    generate_turtle,
    parse_results_json,
)
from .terms import normal_term, parse_value, sparql_term
from .transport import DEFAULT_TIMEOUT, MAX_ANSWER_BYTES

__all__ = [
    "DEFAULT_TIMEOUT", "FORMATS", "GRAPH_FORMATS", "check_format", "generate_graph", "INDEX_END", "INDEX_START", "KINDS", "MAX_ANSWER_BYTES", "QUERY_DIR",
    "Param", "Part", "Query", "QueryResult", "_tokens", "bind_params", "check_url", "fetch_evidence", "fetch_model", "fetch_part",
    "format_result",
    "generate_csv", "generate_json", "generate_query_index", "generate_table", "generate_tsv",
    "generate_turtle", "list_queries", "load_query", "load_store", "normal_term", "parse_query",
    "parse_results_json", "parse_value", "prefix_block", "push", "query_names", "run_query",
    "run_query_store", "run_remote", "sparql_term", "store_url", "with_values", "write_query_index",
]

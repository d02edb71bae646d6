"""query and push: SPARQL questions to the graph or an endpoint, and the graph sent to a store."""

from __future__ import annotations

import json

import click

from .common import TIMEOUT, State, echo_data, echo_text, handle_errors

QUERY_FORMATS = click.Choice(["table", "csv", "tsv", "json", "ttl", "nt", "jsonld"])


def parse_param_options(values: tuple[str, ...]) -> dict[str, str]:
    """``("role=role:radiologist", ...)`` -> ``{"role": "role:radiologist"}``; bad ones exit 2."""
    from ..errors import UsageError

    params: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--param expects NAME=VALUE, got {value!r}")
        if name in params:
            raise UsageError(f"--param {name!r} is given twice")
        params[name] = text
    return params


@click.command()
@click.argument("query_name", metavar="[NAME|FILE.rq]", required=False)
@click.option("-e", "--expression", metavar="SPARQL",
              help="Run this query text; the radgraph prefixes (rg:, role:, cred:, ...) are declared for it.")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries, their parameters and defaults.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME (repeatable). VALUE: role:radiologist, <https://...>, \"text\", 12, or plain text.")
@click.option("--format", "format_", type=QUERY_FORMATS, default=None,
              help="SELECT: table (default), or the W3C SPARQL results csv, tsv or json. "
                   "CONSTRUCT, DESCRIBE: ttl (default), nt or jsonld.")
@click.option("--endpoint", metavar="URL", help="Ask this SPARQL 1.1 query URL instead of the embedded graph.")
@click.option("--timeout", type=TIMEOUT, default=None, metavar="SECONDS",
              help="With --endpoint: give up after SECONDS of waiting for it (default 30).")
@click.pass_context
@handle_errors
def query(ctx: click.Context, query_name, expression, list_, params, format_, endpoint, timeout) -> None:
    """Ask the graph a SPARQL question: a shipped one by NAME, a FILE.rq, or -e TEXT.

    Runs on the embedded graph (the shipped one plus any --data), or on a
    SPARQL endpoint with --endpoint. Updates (INSERT, DELETE, DROP, ...) are
    refused. An ASK query prints true or false and exits 0 or 1.

    \b
    Examples:
      radgraph query --list
      radgraph query roles-requiring-credential --param credential=cred:ged
      radgraph query requirement-tree -p role=role:radiologist --format csv
      radgraph query -e 'SELECT ?role WHERE { ?role a rg:Role } ORDER BY ?role'
      radgraph query construct-schema-org --format jsonld
      radgraph query entry-level-roles --endpoint http://127.0.0.1:7878/query
    """
    from .. import sparql
    from ..errors import UsageError

    state: State = ctx.obj
    given = [x for x in (query_name and "NAME", expression is not None and "-e", list_ and "--list") if x]
    if len(given) != 1:
        raise UsageError("give one of NAME|FILE.rq, -e SPARQL or --list" + (f" (got {', '.join(given)})" if given else ""))
    if list_ and (params or endpoint or timeout):
        raise UsageError("--list takes no --param, --endpoint or --timeout")
    if list_ and format_ in sparql.GRAPH_FORMATS:
        raise UsageError(f"--list prints table, csv, tsv or json, not {format_}")
    if timeout is not None and not endpoint:
        raise UsageError("--timeout applies to --endpoint only")
    if endpoint and state.data:
        raise UsageError("--data merges files into the embedded graph; with --endpoint the endpoint's data is asked")
    if list_:
        echo_text(format_query_list(sparql.list_queries(), format_ or "table"))
        return
    bindings = parse_param_options(params)
    if expression is not None:
        q = sparql.parse_query(expression, name="-e", prefixes=True)
    else:
        q = sparql.load_query(query_name)
    if format_ is not None:
        sparql.check_format(q.form, format_)  # before any work
    sparql.bind_params(q, bindings)  # check names and values before any work
    if endpoint:
        sparql.check_url(endpoint)
        result = sparql.run_remote(endpoint, q, bindings,
                                   timeout=timeout if timeout is not None else sparql.DEFAULT_TIMEOUT)
    else:
        result = sparql.run_query(state.kg.graph, q, bindings)
    text = sparql.format_result(result, format_ or "table")
    (echo_text if (format_ or "table") == "table" and result.graph is None else echo_data)(
        text, nl=not text.endswith("\n"))
    if result.form == "ASK":
        ctx.exit(0 if result.boolean else 1)


def format_query_list(queries, format_: str) -> str:
    """``radgraph query --list``: name, kind, parameters (with defaults) and summary of each query."""
    rows = [
        {
            "name": q.name,
            "kind": q.kind,
            "params": [{"name": p.name, "default": p.default_text, "description": p.description} for p in q.params],
            "summary": q.summary,
        }
        for q in queries
    ]
    if format_ == "json":
        return json.dumps(rows, indent=2, ensure_ascii=False)
    flat = [[r["name"], r["kind"], ", ".join(f"{p['name']}={p['default']}" for p in r["params"]), r["summary"]]
            for r in rows]
    header = ["name", "kind", "params", "summary"]
    if format_ in ("csv", "tsv"):
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if format_ == "csv" else "\t", lineterminator="\n")
        writer.writerows([header, *flat])
        return out.getvalue().rstrip("\n")
    widths = [max(len(r[i]) for r in [header, *flat]) for i in range(3)]
    return "\n".join(
        "  ".join([*(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)), r[3]]).rstrip()
        for r in [header, ["-" * w for w in widths] + ["-" * 7], *flat]
    )


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL query URL, e.g. http://127.0.0.1:7878/query (Oxigraph).")
@click.option("--store", metavar="URL",
              help="Its Graph Store Protocol URL; default: the endpoint's .../query as .../store (Oxigraph).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Replace this named graph instead of the default graph.")
@click.option("--timeout", type=TIMEOUT, default=None, metavar="SECONDS",
              help="Give up after SECONDS of waiting for the store (default 30).")
@click.pass_obj
@handle_errors
def push(state: State, endpoint: str, store, graph_iri, timeout) -> None:
    """Replace a graph of a SPARQL store with radgraph's (shipped plus any --data).

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: a PUT of N-Triples to the
    store URL, so pushing twice leaves the same store.

    \b
    Examples:
      radgraph push --endpoint http://127.0.0.1:7878/query
      radgraph push --endpoint http://localhost:3030/ds/sparql --store http://localhost:3030/ds/data
      radgraph --data my-roles.ttl push --endpoint http://127.0.0.1:7878/query --graph https://example.org/g
    """
    from .. import sparql

    sparql.check_url(endpoint)
    if store is None:
        sparql.store_url(endpoint)  # fails early if it cannot be told
    graph = state.kg.graph
    url = sparql.push(graph, endpoint, graph_iri, store=store,
                      timeout=timeout if timeout is not None else sparql.DEFAULT_TIMEOUT)
    where = f"graph <{graph_iri}>" if graph_iri else "the default graph"
    echo_text(f"pushed {len(graph)} triples to {where} at {url}")

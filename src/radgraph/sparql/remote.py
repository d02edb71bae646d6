"""The remote client: SPARQL 1.1 Protocol queries and Graph Store Protocol pushes, over plain HTTP.

Queries go as a form POST of ``query=...``, the graph as a PUT of N-Triples, with the
standard result formats, so any SPARQL 1.1 server works: Oxigraph, Fuseki,
GraphDB, Virtuoso, ...
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Identifier

from ..errors import DataError, RadGraphError, UsageError
from ..model import Model
from ..triples import TripleIndex
from ..vocab import RDF_TYPE, V
from .binding import bind_params, with_values
from .library import Query, _as_query, _one_line
from .results import QueryResult, _bind_prefixes, _from_rdflib, parse_results_json
from .terms import normal_term, parse_value
from .transport import DEFAULT_TIMEOUT, _http

if TYPE_CHECKING:
    from ..planner import Path

_RESULTS_JSON = ("application/sparql-results+json", "application/json")
_RESULTS_XML = "application/sparql-results+xml"
#: The RDF formats read from a server: Turtle and N-Triples, which every SPARQL 1.1 server writes and which
#: name nothing to fetch. Not JSON-LD (rdflib fetches a URL or reads a file:// an @context names), nor RDF/XML
#: (a DTD's entities can expand without end); N3, TriG and N-Quads are not needed.
_GRAPH_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "text/plain": "nt"}


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
    params: Mapping[str, str | Identifier] | Sequence[Mapping[str, str | Identifier]] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run a query on a SPARQL 1.1 endpoint (its query URL).

    The query goes as a form POST (``query=...``, SPARQL 1.1 Protocol);
    parameters are bound with :func:`with_values`: a mapping is one row, a
    sequence of mappings several (the query answers for each, as a union
    would). SELECT and ASK answers are
    read as SPARQL results JSON (or XML without a DTD), CONSTRUCT and DESCRIBE as
    Turtle or N-Triples. Nothing an answer names is fetched or read, no redirect
    is followed, and reading the answer counts in ``timeout``.

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
    query = _as_query(query)
    return _ask(endpoint, query, params, timeout,
                lambda url, content_type, data: QueryResult(query.form, graph=_parse_graph(url, content_type, data)))


def _ask(endpoint: str, query, params, timeout: float, read_graph: Callable[[str, str, bytes], Any]) -> Any:
    """:func:`run_remote`'s exchange; a graph answer is what ``read_graph(url, content_type, data)`` makes
    of it (run_remote: a QueryResult; the planner's reads: the model reader's index)."""
    check_url(endpoint)
    query = _as_query(query)
    if params is None or isinstance(params, Mapping):
        text = with_values(query, bind_params(query, params))
    else:
        text = with_values(query, [bind_params(query, row) for row in params])
    graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
    accept = ("text/turtle, application/n-triples;q=0.9" if graph_form
              else "application/sparql-results+json, application/sparql-results+xml;q=0.5")
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")

    def parse(content_type: str, data: bytes):  # run within the deadline
        if graph_form:
            return read_graph(endpoint, content_type, data)
        return _parse_results(endpoint, content_type, data)

    result = _http("POST", endpoint, body,
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, timeout, parse)
    if isinstance(result, QueryResult) and result.form != query.form:
        raise RadGraphError(f"{endpoint} answered a {query.form} query with {result.form} results")
    return result


def _parse_results(url: str, content_type: str, data: bytes) -> QueryResult:
    if content_type == _RESULTS_XML:  # servers that ignore Accept
        return _parse_results_xml(url, data)
    if content_type and content_type not in _RESULTS_JSON:
        raise RadGraphError(f"{url} did not answer with SPARQL results (Content-Type: {content_type})")
    try:
        return parse_results_json(data)
    except ValueError as exc:
        raise RadGraphError(f"{url} did not answer with SPARQL results JSON: {exc}") from None


class _DTD(Exception):
    pass


def _refuse_dtd(url: str, data: bytes) -> None:
    """Refuse XML with a document type declaration: SPARQL results never need one, and its
    entities could expand without end, or name files and URLs an XML parser would read."""
    import xml.parsers.expat

    def refuse(*_args) -> None:
        raise _DTD

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _DTD:
        raise RadGraphError(f"{url} answered with XML that declares a DTD or entities, which radgraph does "
                            "not read") from None
    except xml.parsers.expat.ExpatError as exc:
        raise RadGraphError(f"{url} did not answer with valid SPARQL results XML: {_one_line(exc)}") from None


def _parse_results_xml(url: str, data: bytes) -> QueryResult:
    from rdflib.query import Result

    _refuse_dtd(url, data)
    try:
        result = Result.parse(io.BytesIO(data), format="xml")
        return _from_rdflib(result, result.type)
    except Exception as exc:
        raise RadGraphError(f"{url} did not answer with valid SPARQL results XML: {_one_line(exc)}") from None


def _parse_index(url: str, content_type: str, data: bytes) -> TripleIndex:
    """A graph answer read for the planner: straight into the model reader's index, no rdflib Graph."""
    from ..triples import parse_answer

    _graph_format(url, content_type)  # N-Triples is Turtle too: the format only has to be one of them
    try:
        return parse_answer(data, "")
    except DataError as exc:  # ":LINE: message", where the message names the line again
        message = str(exc).split(": ", 1)[-1]
        raise RadGraphError(f"{url} did not answer with valid {content_type or 'Turtle'}: {_one_line(message)}") from None


def _graph_format(url: str, content_type: str) -> str:
    """rdflib's name for the RDF format of a graph answer (no Content-Type: Turtle); anything else is refused."""
    fmt = _GRAPH_TYPES.get(content_type or "text/turtle")
    if fmt is None:
        raise RadGraphError(f"{url} did not answer with RDF (Content-Type: {content_type})")
    return fmt


def _parse_graph(url: str, content_type: str, data: bytes) -> Graph:
    fmt = _graph_format(url, content_type)
    graph = Graph()
    try:
        graph.parse(data=data, format=fmt)
    except Exception as exc:
        raise RadGraphError(f"{url} did not answer with valid {content_type or 'Turtle'}: {_one_line(exc)}") from None
    out = Graph()
    for t in graph:
        out.add(tuple(normal_term(x) for x in t))
    return _bind_prefixes(out)


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
    """Replace a graph of a SPARQL store with ``graph`` (Graph Store Protocol PUT of N-Triples).

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
    # N-Triples, not Turtle: rdflib writes it about 7 times faster (no prefixes to work out; 15 ms against
    # 100 ms for the shipped graph), and every Graph Store Protocol server reads it
    data = graph.serialize(format="nt", encoding="utf-8")
    _http("PUT", url, data, {"Content-Type": "application/n-triples"}, timeout)
    return url


def fetch_model(endpoint: str, *, timeout: float = DEFAULT_TIMEOUT) -> Model:
    """The planner's whole model, read from a SPARQL 1.1 endpoint holding the graph.

    Sends the shipped ``construct-planner`` query, so only what the planner
    reads crosses the network; the planning itself runs here. For one goal,
    :func:`fetch_part` reads much less.
    """
    model = _read_model(endpoint, _ask(endpoint, "construct-planner", None, timeout, _parse_index))
    if not model.roles:
        raise _no_roles(endpoint)
    return model


@dataclass(frozen=True)
class Part:
    """What :func:`fetch_part` read: a model holding what a plan for one goal reads, and the names
    it was asked for as ids of that model (``start`` None for no role)."""

    model: Model
    goal: str
    start: str | None = None
    have: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    triples: int = 0  #: how many triples the server sent: every name, then the part (and its evidence)
    #: False while what a plan shows is still to come (:func:`fetch_evidence`); True once it came, or when
    #: the part came with it
    complete: bool = True
    #: roles whose evidence came with the part (given, and outside the goal's part): not asked for again
    evidenced: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"Part({self.model!r}, {self.triples} triples)"


def fetch_part(
    endpoint: str,
    goal: str,
    start: str | None = None,
    have: Iterable[str] = (),
    roles: Iterable[str] = (),
    *,
    timeout: float = DEFAULT_TIMEOUT,
    whole_start: bool = False,
) -> Part:
    """The part of the planner's model that a plan for ``goal`` reads, from a SPARQL 1.1 endpoint.

    Each question is given ``timeout`` seconds. First ``construct-names``: every
    role and credential with its names, in which ``start``, ``goal``, ``have``
    (credential names) and ``roles`` (roles worked in or held) are found, in that
    order, as :meth:`~radgraph.model.Model.find_role` finds them in a local graph.
    Then ``construct-planner-search`` from ``goal``: the roles and credentials a
    plan for it can depend on, with the links and numbers the search reads, and no
    evidence. The start and the roles given that this part does not hold bring their
    own entry trees (``construct-plan-evidence``): what holding one implies is all
    the planner reads of them; a credential held needs nothing more. The planner
    plans on the part as it would on the whole model: it enters no role that
    nothing on the way asks for. :func:`fetch_evidence` then brings what the plan
    shows.

    Where that answer holds a blank node, ``construct-planner-part`` is asked
    instead, for the same part with its evidence: a server names a blank node
    anew in each answer, so two answers about it could not be joined.

    Parameters
    ----------
    endpoint : the server's SPARQL query URL.
    goal : the role to plan for (a label, other name, notation or IRI).
    start : the role held now; None for no role.
    have : credentials held.
    roles : roles worked in or held before.
    whole_start : read all the start depends on too (``construct-planner-search`` from it), as the
        direction of a plan's steps (``--format json``) needs: it compares the best way into each role.

    Returns
    -------
    Part
        The model, the names as its ids, and how many triples the server sent.

    Raises
    ------
    UnknownNameError, AmbiguousNameError
        A name matches no role or credential, or several (as locally).
    RadGraphError
        The server cannot be reached or answers badly (see :func:`run_remote`),
        holds no roles, or holds data radgraph cannot plan on.

    Examples
    --------
    With a server holding the graph (:func:`push`)::

        part = fetch_part("http://127.0.0.1:7878/query", "Radiologist", start="Radiologic Technologist")
        paths = Planner(part.model).plan(part.start, part.goal)
        part = fetch_evidence("http://127.0.0.1:7878/query", part, paths)
        planner = Planner(part.model)
        paths = [planner.restated(p) for p in paths]

    ``tests/test_path_remote.py`` checks that plans on the part are the plans on the whole graph.
    """
    check_url(endpoint)
    names_index = _ask(endpoint, "construct-names", None, timeout, _parse_index)
    names = _read_model(endpoint, names_index)
    if not names.roles:
        raise _no_roles(endpoint)
    start_id = names.find_role(start).id if start is not None else None
    goal_id = names.find_role(goal).id
    have_ids = tuple(names.find_credential(c).id for c in have)
    role_ids = tuple(names.find_role(r).id for r in roles)
    seeds = [x for x in dict.fromkeys((goal_id, start_id, *have_ids, *role_ids)) if x is not None]
    # the goal alone: a server walks from each seed on its own (Oxigraph took twice as long for two seeds)
    answers = [_ask(endpoint, "construct-planner-search", _rows([goal_id]), timeout, _parse_index)]
    if whole_start and start_id is not None and not answers[0].has_subject(start_id):
        answers.append(_ask(endpoint, "construct-planner-search", _rows([start_id]), timeout, _parse_index))
    # Roles given outside what the goal's part holds: only their own entry trees, for what holding one implies (what
    # else the planner reads of them, it reads only as the goal's part asks). A credential held needs nothing more.
    own = [r for r in dict.fromkeys((start_id, *role_ids)) if r is not None and not any(a.has_subject(r) for a in answers)]
    if own:
        answers.append(_ask(endpoint, "construct-plan-evidence", _rows(own), timeout, _parse_index))
    sent = names_index.size + sum(a.size for a in answers)
    if any(a.blank_nodes() for a in answers):
        whole = _ask(endpoint, "construct-planner-part", _rows(seeds), timeout, _parse_index)
        sent += whole.size
        complete, own, model = True, [], _read_model(endpoint, whole)
        held = {x for x in seeds if x in model.roles or x in model.credentials}
    else:
        index = TripleIndex()
        for answer in answers:
            index.update(answer)
        held = {x for x in seeds if index.has_subject(x)}  # the goal's class comes, and a role given is in the part
        # the names of the roles and credentials the answers name (and of those given): the model holds no
        # role without its entry tree, which would read as a role anyone can enter
        index = _entailed(index.update(names_index, index.nodes() | set(seeds))).finish()
        complete, model = False, _read_model(endpoint, index)
    if not {x for x in (goal_id, start_id, *role_ids) if x is not None} <= held:
        raise _changed(endpoint)
    return Part(model, goal_id, start_id, have_ids, role_ids, triples=sent, complete=complete, evidenced=tuple(own))


def fetch_evidence(endpoint: str, part: Part, paths: Iterable[Path], *, timeout: float = DEFAULT_TIMEOUT) -> Part:
    """``part`` with what ``paths`` (plans on its model) show about the roles and credentials they name.

    One question, ``construct-plan-evidence``, given ``timeout`` seconds: its seeds are
    the roles the paths enter, the credentials they earn and the names ``part`` was
    asked for. Each role and credential the answer holds comes whole (every property
    the model reads, its requirement trees to their leaves, and their evidence), so
    it is read from the answer alone and takes the place of the one in the part: the
    same roles, credentials and requirement trees, now with their sources, issuers,
    caveats and corrections. Plans on the new model are the same plans
    (:meth:`~radgraph.planner.Planner.restated` gives each with the new model's
    requirements). A part that came with its evidence is returned as it is.
    """
    if part.complete:
        return part
    named = (part.goal, part.start, *part.have, *part.roles,
             *(r for p in paths for r in p.roles), *(c for p in paths for s in p.steps for c in s.earn))
    seeds = [x for x in dict.fromkeys(named) if x is not None and x not in part.evidenced]
    shown = _ask(endpoint, "construct-plan-evidence", _rows(seeds), timeout, _parse_index)
    # read apart, not joined to the part: a blank node (evidence, say) is named alike within one answer only
    found = _read_model(endpoint, shown)
    old = part.model
    if not ({x for x in seeds if x in old.roles} <= found.roles.keys() <= old.roles.keys()
            and {x for x in seeds if x in old.credentials} <= found.credentials.keys()):
        raise _changed(endpoint)
    model = Model(**{f.name: {**getattr(old, f.name), **getattr(found, f.name)} for f in fields(Model)})
    return replace(part, model=model, triples=part.triples + shown.size, complete=True)


def _rows(ids: Iterable[str]) -> list[dict[str, URIRef]]:
    """``ids`` as the rows of a question's ``seed``."""
    return [{"seed": URIRef(x)} for x in ids]


def _entailed(index: TripleIndex) -> TripleIndex:
    """``index`` with the class construct-planner-search leaves out: ``a rg:CredentialRequirement`` for every
    node with an ``rg:credential`` (the property's rdfs:domain in the vocabulary)."""
    for s in list(index.subjects()):
        if index.has(s, V.credential):
            index.add(s, RDF_TYPE, V.CredentialRequirement)
    return index


def _changed(endpoint: str) -> RadGraphError:
    return RadGraphError(f"{endpoint} changed while radgraph read it: ask again")


def _read_model(endpoint: str, index: TripleIndex) -> Model:
    from ..reader import build_model, check_model

    try:
        model = build_model(index)
        if model.roles:
            check_model(model)
    except DataError as exc:  # the server's data, not the user's: the work failed (exit 1)
        raise RadGraphError(f"{endpoint} holds data radgraph cannot plan on: {exc}") from None
    return model


def _no_roles(endpoint: str) -> RadGraphError:
    return RadGraphError(f"{endpoint} holds no radgraph roles: push the graph first (radgraph push --endpoint URL)")

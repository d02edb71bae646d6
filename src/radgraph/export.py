"""Export the graph, or a view of it, to files other tools read: one writer per format.

Two kinds of output:

* **RDF** (``ttl``, ``nt``, ``jsonld``): the knowledge graph itself, every
  triple, vocabulary and provenance included.
* **Pictures and graph files** (``graphml``, ``gexf``, ``cyjs``, ``dot``,
  ``svg``, ``png``, ``pdf``, ``mermaid``, ``html``) of a *view*, a networkx
  DiGraph whose nodes are keyed by short ids (``role:radiologist``) and carry
  ``label``, ``kind`` and ``iri``:

  - :func:`graph_view`: roles, positions, credentials, organizations,
    requirement nodes (groups and leaves), settings, jurisdictions, duties,
    skills and systems, linked by the radgraph properties (``requires``,
    ``member``, ``credential``, ``issuedBy``, ...). Provenance (evidence and
    source documents) stays out: it is in the RDF exports and in the HTML
    detail panel.
  - :func:`ladder_view`: the career ladder from
    :meth:`radgraph.planner.Planner.role_graph`: roles, and which can follow
    which, each edge with its months and what the step needs.
  - :func:`path_view`: the ladder with the planner's best path marked
    (``on_path`` 1 on its nodes and edges).
  - :func:`around_view`: the nodes within ``depth`` links of one node.

Each format has ``generate_X`` (returns the text; bytes for ``png`` and
``pdf``) and ``write_X`` (takes a path). Files are written atomically: to a
temporary file in the target's folder, then renamed over the target, so a
failed export never leaves a partial or clobbered file.

``svg``, ``png`` and ``pdf`` are drawn by the Graphviz ``dot`` program,
found on PATH when needed.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import RadGraphError, UsageError
from .model import (
    AllOf,
    AnyOf,
    CredentialReq,
    Evidence,
    ExperienceReq,
    Model,
    Requirement,
    RoleReq,
    walk,
)
from .namespaces import PREFIXES, RG, shorten

if TYPE_CHECKING:
    import networkx as nx

RDF_FORMATS = ("ttl", "nt", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf", "cyjs", "dot", "svg", "png", "pdf", "mermaid", "html")
FORMATS = RDF_FORMATS + GRAPH_FORMATS
BINARY_FORMATS = ("png", "pdf")

#: The format a file name's extension stands for, when ``-o FILE`` is given without ``--format``.
EXTENSIONS = {
    ".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cyjs",
    ".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".pdf": "pdf", ".mmd": "mermaid",
    ".mermaid": "mermaid", ".html": "html", ".htm": "html",
}


def format_for(output: str | os.PathLike) -> str:
    """The export format the extension of ``output`` names, as riot and rdflib's tools read it.

    Raises
    ------
    UsageError
        The extension names no format (or there is none): give the format.

    Examples
    --------
    >>> format_for("ladder.ttl"), format_for("docs/Ladder.SVG"), format_for("ladder.mmd")
    ('ttl', 'svg', 'mermaid')
    >>> format_for("ladder.jpeg")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: cannot tell the format of 'ladder.jpeg' from its extension (.jpeg): give --format, or a name ending in .ttl, .nt, .jsonld, .graphml, .gexf, .cyjs, .dot, .svg, .png, .pdf, .mmd or .html
    """
    from .errors import quoted

    suffix = Path(output).suffix
    found = EXTENSIONS.get(suffix.lower())
    if found is None:
        shown = [ext for ext in EXTENSIONS if ext not in (".gv", ".mermaid", ".htm")]
        raise UsageError(f"cannot tell the format of {quoted(str(output))} from its extension "
                         f"({quoted(suffix)[1:-1] if suffix else 'none'}): give --format, or a name ending in "
                         f"{', '.join(shown[:-1])} or {shown[-1]}")
    return found

#: The node id of "no role yet" in the ladder and path views.
START_ID = "none"


# ------------------------------------------------------------------ options


def check_options(format: str, roles_only: bool = False, around: str | None = None, depth: int | None = None,
                  path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False) -> None:
    """Reject an unknown format and conflicting view options, before any work.

    Raises
    ------
    UsageError
        The message names the option that does not fit.

    Examples
    --------
    >>> check_options("svg", roles_only=True, around="Radiologist", depth=2)
    >>> check_options("ttl", roles_only=True)
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: --roles-only draws a view; --format ttl exports the whole RDF graph
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    have = list(have)
    if format in RDF_FORMATS:
        for given, name in ((roles_only, "--roles-only"), (around is not None, "--around"),
                            (path is not None, "--path"), (have, "--have"), (all_steps, "--all-steps"),
                            (depth is not None, "--depth")):
            if given:
                raise UsageError(f"{name} draws a view; --format {format} exports the whole RDF graph")
    check_view(roles_only, around, depth, path, have, all_steps)


def check_view(roles_only: bool = False, around: str | None = None, depth: int | None = None,
               path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False) -> None:
    """Reject view options that do not go together (see :func:`check_options`)."""
    have = list(have)
    if around is not None and path is not None:
        raise UsageError("--around and --path are two different views: give one")
    if depth is not None and around is None:
        raise UsageError("--depth applies to --around only")
    if depth is not None and depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    if path is not None and len(path) != 2:
        raise UsageError("--path takes two roles: FROM TO")
    if have and not (roles_only or path is not None):
        raise UsageError("--have applies to --roles-only and --path (the planner's views)")
    if all_steps and not (roles_only or path is not None):
        raise UsageError("--all-steps applies to --roles-only and --path (the planner's views)")


# ------------------------------------------------------------------ views

#: rdf:type -> node kind, for the whole-graph view.
NODE_KINDS = {
    RG.Role: "role",
    RG.Position: "position",
    RG.Credential: "credential",
    RG.Organization: "organization",
    RG.CertifyingBody: "organization",
    RG.AccreditingBody: "organization",
    RG.LicensingBody: "organization",
    RG.AllOf: "requirement",
    RG.AnyOf: "requirement",
    RG.CredentialRequirement: "requirement",
    RG.ExperienceRequirement: "requirement",
    RG.RoleRequirement: "requirement",
    RG.ContinuingEducationRequirement: "requirement",
    RG.Setting: "setting",
    RG.Jurisdiction: "jurisdiction",
    RG.Duty: "duty",
    RG.Skill: "skill",
    RG.System: "system",
}

#: The properties drawn as edges in the whole-graph view, in drawing order.
EDGE_PROPERTIES = (
    RG.requires, RG.maintains, RG.member, RG.credential, RG.role, RG.setting, RG.issuedBy, RG.approvedBy,
    RG.partOf, RG.validIn, RG.countsAs, RG.supervisedBy, RG.directedBy, RG.providesExperienceIn,
    RG.administeredBy, RG.performs, RG.hasSkill, RG.usesSystem,
)

#: Edges that point back up the ladder (a requirement naming a role, a
#: credential counting as another): dropped first when layers need a DAG.
_BACK_EDGE_PRIORITY = {"role": 2, "countsAs": 1}


def graph_view(kg) -> nx.DiGraph:
    """The whole graph as a networkx DiGraph: every named node and the links between them.

    Nodes are keyed by short id; attributes ``label``, ``kind`` (role,
    credential, organization, requirement, ...), ``type`` (the rdf:type's
    local name) and ``iri``; credentials with a stated duration add
    ``months``. Edges carry ``label``, the property's local name
    (``requires``, ``member``, ...; two properties between the same pair are
    joined with ", ").

    Examples
    --------
    >>> import radgraph
    >>> G = graph_view(radgraph.load())
    >>> G.nodes["role:radiologist"]["kind"], G.edges["role:radiologist", "req:radiologist"]["label"]
    ('role', 'requires')
    """
    import networkx as nx
    from rdflib import RDF

    graph, model = kg.graph, kg.model
    G = nx.DiGraph(title="radgraph: the whole graph")
    requirements = requirement_index(model)
    found: dict = {}
    for cls in NODE_KINDS:
        for node in graph.subjects(RDF.type, cls):
            found.setdefault(node, set()).add(cls)
    nodes = {}
    for node in sorted(found, key=str):
        iri = str(node)
        kinds = sorted({NODE_KINDS[c] for c in found[node]})
        kind = "role" if "role" in kinds else kinds[0]
        types = ", ".join(sorted(c.rsplit("#", 1)[-1] for c in found[node]))
        nodes[node] = node_id = _node_id(node)
        attrs = {"label": _node_label(model, requirements, iri, kind), "kind": kind, "type": types, "iri": iri}
        cred = model.credentials.get(iri)
        if cred is not None and cred.months is not None:
            attrs["months"] = float(cred.months)
        G.add_node(node_id, **attrs)
    for prop in EDGE_PROPERTIES:
        name = str(prop).rsplit("#", 1)[-1]
        for s, o in sorted(graph.subject_objects(prop), key=lambda so: (str(so[0]), str(so[1]))):
            if s in nodes and o in nodes:
                a, b = nodes[s], nodes[o]
                if G.has_edge(a, b):
                    G.edges[a, b]["label"] += ", " + name
                else:
                    G.add_edge(a, b, label=name)
    return G


def _node_id(node) -> str:
    from rdflib import BNode

    if isinstance(node, BNode):
        return f"_:{node}"
    return shorten(str(node))


def _node_label(model: Model, requirements: dict[str, Requirement], iri: str, kind: str) -> str:
    if kind == "requirement" and iri in requirements:
        return requirement_label(model, requirements[iri])
    return model.label(iri)


def requirement_index(model: Model) -> dict[str, Requirement]:
    """Every requirement node of every role's and credential's trees, by IRI."""
    index: dict[str, Requirement] = {}
    trees = [t for r in model.roles.values() for t in (r.requires, r.maintains)]
    trees += [c.requires for c in model.credentials.values()]
    for tree in trees:
        for node in walk(tree):
            index.setdefault(node.id, node)
    return index


def requirement_label(model: Model, req: Requirement) -> str:
    """A short label for one requirement node: ``all of``, ``any one of``, or what the leaf asks.

    Examples
    --------
    >>> import radgraph
    >>> m = radgraph.load().model
    >>> requirement_label(m, m.find_role("rt").requires)
    'all of'
    >>> requirement_label(m, m.find_role("rt").requires.members[0])
    'needs 2-year training program in Radiologic Technology (AMA-approved)'
    """
    from .describe import experience_line

    if isinstance(req, AllOf):
        return "all of"
    if isinstance(req, AnyOf):
        return "any one of"
    if isinstance(req, CredentialReq):
        text = f"needs {model.label(req.credential)}"
        return f"{text} ({req.condition})" if req.condition else text
    if isinstance(req, ExperienceReq):
        return experience_line(model, req)
    if isinstance(req, RoleReq):
        return f"qualified as {model.label(req.role)}"
    return f"ongoing: {req.label}"


def ladder_view(model: Model, have: Iterable[str] = (), all_steps: bool = False) -> nx.DiGraph:
    """The career ladder: roles, and which role can follow which, from the planner.

    A node ``"none"`` stands for a person with no role yet. An edge A -> B is
    the cheapest step from A into B (:meth:`Planner.role_graph`). Since most
    credentials can be earned from anywhere, nearly every role can follow
    every other; by default an edge A -> B is kept only when holding A makes
    entering B cheaper than starting from no role (or B cannot be entered
    from no role), so the picture shows the rungs. ``all_steps=True`` keeps
    every edge.

    Edge attributes: ``months`` (float), ``label`` (months and counts),
    ``earn``, ``accrue`` and ``outside`` (``"; "``-joined texts),
    ``unknown_months`` (credentials of unstated duration), and ``step``, the
    :class:`~radgraph.planner.Step` (left out of the file formats).

    Parameters
    ----------
    model : the model to plan over.
    have : names of credentials already held.
    all_steps : keep every possible step, not only the rungs.

    Examples
    --------
    >>> import radgraph
    >>> G = ladder_view(radgraph.load().model)
    >>> G.nodes["none"]["label"], G.nodes["role:radiologic-technologist"]["label"]
    ('(no role yet)', 'Radiologic Technologist')
    >>> G.has_edge("role:radiologic-technologist", "role:interventional-radiology-technologist")
    True
    >>> G.edges["none", "role:radiologic-technologist"]["label"]
    'at least 24 months, earn 5'
    """
    import networkx as nx

    from .planner import START, Planner, rank_key

    planner = Planner(model)
    have_ids = [model.find_credential(h).id for h in have]
    R = planner.role_graph(have_ids, start=None)
    base = {b: d["step"] for a, b, d in R.edges(data=True) if a == START}
    G = nx.DiGraph(title="radgraph: the career ladder")
    for node in sorted(R, key=lambda n: (n != START, str(n))):
        G.add_node(_role_id(node), **_role_attrs(model, node))
    for a, b, d in sorted(R.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        step = d["step"]
        if not all_steps and a != START and b in base and rank_key((step,)) >= rank_key((base[b],)):
            continue
        G.add_edge(_role_id(a), _role_id(b), **step_attrs(model, step))
    return G


def _role_id(node) -> str:
    from .planner import START

    return START_ID if node in (None, START) else shorten(node)


def _role_attrs(model: Model, node) -> dict:
    from .planner import START

    if node in (None, START):
        return {"label": "(no role yet)", "kind": "start", "iri": ""}
    return {"label": model.label(node), "kind": "role", "iri": node}


def step_attrs(model: Model, step) -> dict:
    """Plain edge attributes of one planner step (and the step itself, as ``step``)."""
    from .describe import _leaf_text, experience_line, months_text  # the words `radgraph path` prints

    earn = [model.label(c) for c in step.earn]
    accrue = [f"{months_text(a.months)} more as {model.label(a.role)}: {experience_line(model, a.requirement)}"
              for a in step.accrue]
    outside = [_leaf_text(model, o) for o in step.outside]
    if not step.unknown_months:
        parts = [months_text(step.months)]
    elif step.months:
        parts = [f"at least {months_text(step.months)}"]  # some credentials' durations are not stated
    else:
        parts = ["duration not stated"]
    if earn:
        parts.append(f"earn {len(earn)}")
    if accrue:
        parts.append("work longer")
    if outside:
        parts.append(f"{len(outside)} from outside")
    if len(parts) == 1 and not step.months:
        parts.append("nothing new")
    return {
        "months": float(step.months),
        "label": ", ".join(parts),
        "earn": "; ".join(earn),
        "accrue": "; ".join(accrue),
        "outside": "; ".join(outside),
        "unknown_months": len(step.unknown_months),
        "step": step,
    }


def path_view(model: Model, start: str, goal: str, have: Iterable[str] = (),
              all_steps: bool = False) -> nx.DiGraph:
    """The ladder with the planner's best path from ``start`` to ``goal`` marked.

    Every node and edge gets ``on_path`` (1 or 0); nodes on the path also get
    ``path_index`` (0 for the start). The path's edges carry the path's own
    steps (what is earned on the way is not asked for again), added when
    the ladder leaves them out.

    Raises
    ------
    UnknownNameError
        A role or credential name matches nothing.
    NoPathError
        No path exists.

    Examples
    --------
    >>> import radgraph
    >>> G = path_view(radgraph.load().model, "Radiology Assistant", "Interventional Radiology Technologist")
    >>> sorted((d["path_index"], n) for n, d in G.nodes(data=True) if d["on_path"])
    [(0, 'role:radiology-assistant'), (1, 'role:radiologic-technologist'), (2, 'role:interventional-radiology-technologist')]
    """
    from .planner import Planner

    have = list(have)
    best = Planner(model).plan(start, goal, have=have)[0]
    G = ladder_view(model, have=have, all_steps=all_steps)
    labels = " -> ".join(model.label(r) if r else "(no role yet)" for r in (best.roles[0], best.roles[-1]))
    G.graph["title"] = f"radgraph: the best path, {labels}"
    for _, d in G.nodes(data=True):
        d["on_path"] = 0
    for _, _, d in G.edges(data=True):
        d["on_path"] = 0
    for i, role in enumerate(best.roles):
        node = _role_id(role)
        if node not in G:
            G.add_node(node, **_role_attrs(model, role))
        G.nodes[node].update(on_path=1, path_index=i)
    for step in best.steps:
        a, b = _role_id(step.from_role), _role_id(step.to_role)
        if G.has_edge(a, b):
            G.remove_edge(a, b)  # the path's own step replaces the ladder's
        G.add_edge(a, b, **step_attrs(model, step), on_path=1)
    return G


def around_view(G, center: str, depth: int = 1):
    """The nodes within ``depth`` links of ``center`` (either direction), and the edges among them.

    Examples
    --------
    >>> import radgraph
    >>> G = ladder_view(radgraph.load().model)
    >>> sorted(around_view(G, "role:interventional-radiology-technologist", 1))
    ['role:interventional-radiology-technologist', 'role:radiologic-technologist', 'role:radiology-imaging-procedure-assistant']
    """
    import networkx as nx

    if center not in G:
        raise UsageError(f"{center!r} is not in this view")
    H = nx.ego_graph(G, center, radius=depth, undirected=True)
    H.graph["title"] = f"{G.graph.get('title', 'radgraph')}, within {depth} of {G.nodes[center]['label']}"
    for n in H:
        H.nodes[n]["center"] = int(n == center)
    return H


def build_view(kg, roles_only: bool = False, around: str | None = None, depth: int | None = None,
               path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False):
    """The view the options ask for: the whole graph, the ladder, a path, or around a role.

    ``around`` is a role name; in the whole graph it is the role's node, in
    the ladder (``roles_only``) its rung. ``depth`` defaults to 1.

    Examples
    --------
    >>> import radgraph
    >>> G = build_view(radgraph.load(), roles_only=True, around="rt", depth=1)
    >>> "role:radiologic-technologist" in G and "none" in G
    True
    """
    have = list(have)
    check_view(roles_only, around, depth, path, have, all_steps)
    model = kg.model
    center = model.find_role(around).id if around is not None else None  # names first, then work
    if path is not None:
        G = path_view(model, path[0], path[1], have=have, all_steps=all_steps)
    elif roles_only:
        G = ladder_view(model, have=have, all_steps=all_steps)
    else:
        G = graph_view(kg)
    if center is not None:
        G = around_view(G, shorten(center), 1 if depth is None else depth)
    return G


# ------------------------------------------------------------------ layout (html)


def layers(G) -> dict[str, tuple[int, int]]:
    """Left-to-right layers for drawing: ``{node: (layer, order in layer)}``.

    Cycles are broken first: in each, one edge is set aside: never one of
    a path (``on_path``), else the one with the most ``months``, then one
    that points back up (a requirement naming a role), then by id. Each node's layer is then the longest path to it; within a
    layer, nodes are ordered by the mean position of their neighbours, a few
    sweeps each way. Deterministic: the same graph gives the same layers.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "a")])
    >>> layers(G)
    {'a': (0, 0), 'b': (1, 0), 'c': (2, 0)}
    """
    import networkx as nx

    H = nx.DiGraph()
    H.add_nodes_from(sorted(G))
    H.add_edges_from(sorted((a, b) for a, b in G.edges() if a != b))

    def cost(edge) -> tuple:
        d = G.edges[edge[0], edge[1]]
        back = max((_BACK_EDGE_PRIORITY.get(p.strip(), 0) for p in str(d.get("label", "")).split(",")), default=0)
        return (not d.get("on_path"), float(d.get("months") or 0), back, edge[0], edge[1])

    while True:
        try:
            cycle = nx.find_cycle(H)
        except nx.NetworkXNoCycle:
            break
        worst = max(cycle, key=cost)
        H.remove_edge(worst[0], worst[1])
    layer: dict[str, int] = {}
    for n in nx.lexicographical_topological_sort(H):
        layer[n] = max((layer[p] + 1 for p in H.predecessors(n)), default=0)
    by_layer: dict[int, list[str]] = {}
    for n in sorted(H, key=lambda n: (_KIND_ORDER.get(G.nodes[n].get("kind"), 9), str(G.nodes[n].get("label", n)), n)):
        by_layer.setdefault(layer[n], []).append(n)
    position = {n: i for members in by_layer.values() for i, n in enumerate(members)}
    for sweep in range(4):
        down = sweep % 2 == 0
        for lay in sorted(by_layer, reverse=not down):
            members = by_layer[lay]
            keys = {}
            for n in members:
                near = list(H.predecessors(n) if down else H.successors(n))
                keys[n] = (sum(position[m] for m in near) / len(near)) if near else position[n]
            members.sort(key=lambda n: (keys[n], position[n]))
            position.update({n: i for i, n in enumerate(members)})
    return {n: (layer[n], position[n]) for n in sorted(H)}


_KIND_ORDER = {"start": 0, "role": 1, "position": 2, "requirement": 3, "credential": 4, "organization": 5}


# ------------------------------------------------------------------ RDF


def jsonld_context(graph) -> dict:
    """The JSON-LD @context: every prefix of PREFIXES, and a term for each radgraph class and property.

    Object properties are typed ``@id`` so links read as plain ids. A
    property whose name is a prefix (``rg:role``, ``rg:setting``,
    ``rg:kind``) keeps its compact IRI, so ``role:radiologist`` still
    means the role. The
    alignments to schema.org, CTDL, ESCO and ORG (``rdfs:subClassOf``,
    ``skos:closeMatch``) are triples of the vocabulary, so they are in every
    export of the whole graph.

    Examples
    --------
    >>> import radgraph
    >>> ctx = jsonld_context(radgraph.load().graph)
    >>> ctx["Role"], ctx["requires"], ctx["schema"]
    ('rg:Role', {'@id': 'rg:requires', '@type': '@id'}, 'https://schema.org/')
    """
    from rdflib import OWL, RDF

    ctx: dict = dict(PREFIXES)
    ns = str(RG._NS)
    for s in sorted(set(graph.subjects(RDF.type, None)), key=str):
        iri = str(s)
        if not iri.startswith(ns):
            continue
        name = iri[len(ns):]
        if name in ctx:  # rg:role, rg:setting, rg:kind: the names are prefixes (role:, setting:, kind:)
            continue
        types = set(graph.objects(s, RDF.type))
        if OWL.ObjectProperty in types:
            ctx[name] = {"@id": f"rg:{name}", "@type": "@id"}
        elif OWL.DatatypeProperty in types or OWL.Class in types:
            ctx[name] = f"rg:{name}"
    for name, prefix in (("prefLabel", "skos"), ("altLabel", "skos"), ("notation", "skos"),
                         ("label", "rdfs"), ("comment", "rdfs")):
        ctx.setdefault(name, f"{prefix}:{name}")
    ctx.setdefault("wasDerivedFrom", {"@id": "prov:wasDerivedFrom", "@type": "@id"})
    return ctx


def generate_ttl(graph) -> str:
    """The graph as Turtle, with the radgraph prefixes.

    Examples
    --------
    >>> import radgraph
    >>> generate_ttl(radgraph.load().graph).count("@prefix role: <https://w3id.org/radgraph/id/role/>")
    1
    """
    _bind(graph)
    return graph.serialize(format="turtle")


def generate_nt(graph) -> str:
    """The graph as N-Triples, one triple a line, sorted.

    Examples
    --------
    >>> import radgraph
    >>> text = generate_nt(radgraph.load().graph)
    >>> text.splitlines() == sorted(text.splitlines())
    True
    """
    text = graph.serialize(format="nt")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def generate_jsonld(graph) -> str:
    """The graph as compacted JSON-LD with :func:`jsonld_context`.

    Examples
    --------
    >>> import json, radgraph
    >>> doc = json.loads(generate_jsonld(radgraph.load().graph))
    >>> rt = next(x for x in doc["@graph"] if x["@id"] == "role:radiologic-technologist")
    >>> rt["@type"], rt["prefLabel"], rt["requires"]
    ('Role', 'Radiologic Technologist', 'req:radiologic-technologist')
    """
    _bind(graph)
    return graph.serialize(format="json-ld", context=jsonld_context(graph), auto_compact=True, indent=2)


def _bind(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


# ------------------------------------------------------------------ graph files


def plain(G):
    """A copy of ``G`` whose attributes are strings and numbers only (what GraphML and GEXF hold).

    Booleans become 0/1; ``None`` and other objects (such as a planner step)
    are left out.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_node("a", label="A", x=None, ok=True, step=object())
    >>> plain(G).nodes["a"]
    {'label': 'A', 'ok': 1}
    """
    import networkx as nx

    def keep(d: dict) -> dict:
        out = {}
        for k, v in d.items():
            if isinstance(v, bool):
                out[k] = int(v)
            elif isinstance(v, (str, int, float)):
                out[k] = v
        return out

    H = nx.DiGraph()
    H.graph.update(keep(G.graph))
    for n in sorted(G):
        H.add_node(n, **keep(G.nodes[n]))
    for a, b in sorted(G.edges()):
        H.add_edge(a, b, **keep(G.edges[a, b]))
    return H


def generate_graphml(G) -> str:
    """GraphML (networkx's writer) of a view; attributes are strings and numbers.

    Examples
    --------
    >>> import networkx as nx
    >>> "<graphml" in generate_graphml(nx.DiGraph([("a", "b")]))
    True
    """
    import networkx as nx

    return "\n".join(nx.generate_graphml(plain(G))) + "\n"


def generate_gexf(G) -> str:
    """GEXF (networkx's writer) of a view, for Gephi.

    Examples
    --------
    >>> import networkx as nx
    >>> "<gexf" in generate_gexf(nx.DiGraph([("a", "b")]))
    True
    """
    import networkx as nx

    return "\n".join(nx.generate_gexf(plain(G))) + "\n"


def generate_cyjs(G) -> str:
    """Cytoscape.js JSON: ``{"elements": {"nodes": [...], "edges": [...]}}``.

    Each node's ``data`` holds ``id`` and its attributes, each edge's
    ``id``, ``source``, ``target`` and its attributes; ``classes`` names the
    node's kind (and ``on-path`` for a path).

    Examples
    --------
    >>> import json, networkx as nx
    >>> G = nx.DiGraph(); G.add_node("a", label="A", kind="role"); G.add_edge("a", "b")
    >>> json.loads(generate_cyjs(G))["elements"]["edges"]
    [{'data': {'id': 'e0', 'source': 'a', 'target': 'b'}}]
    """
    H = plain(G)
    nodes = []
    for n in sorted(H):
        d = H.nodes[n]
        entry = {"data": {"id": n, **d}}
        classes = [c for c in (d.get("kind"), "on-path" if d.get("on_path") else None) if c]
        if classes:
            entry["classes"] = " ".join(classes)
        nodes.append(entry)
    edges = []
    for i, (a, b) in enumerate(sorted(H.edges())):
        d = H.edges[a, b]
        entry = {"data": {"id": f"e{i}", "source": a, "target": b, **d}}
        if d.get("on_path"):
            entry["classes"] = "on-path"
        edges.append(entry)
    return json.dumps({"elements": {"nodes": nodes, "edges": edges}}, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------ DOT and Graphviz

_DOT_NODE_STYLE = {
    "start": 'shape=oval, style="filled", fillcolor="#f3f4f6", color="#6b7280"',
    "role": 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"',
    "position": 'shape=box, style="rounded,dashed", color="#6b7280"',
    "credential": 'shape=note, style="filled", fillcolor="#fef9c3", color="#a16207"',
    "organization": 'shape=component, style="filled", fillcolor="#dcfce7", color="#15803d"',
    "requirement": 'shape=box, style="filled", fillcolor="#f3e8ff", color="#7e22ce", fontsize=9',
    "setting": 'shape=ellipse, color="#0f766e"',
    "jurisdiction": 'shape=ellipse, color="#9ca3af", fontsize=9',
    "duty": 'shape=plaintext, fontsize=9',
    "skill": 'shape=plaintext, fontsize=9',
    "system": 'shape=cylinder, fontsize=9',
}


def dot_text(text: str) -> str:
    """``text`` inside a DOT double-quoted string: backslashes and quotes escaped, one line.

    Examples
    --------
    >>> dot_text('say "hi" \\\\N')
    'say \\\\"hi\\\\" \\\\\\\\N'
    """
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")


def generate_dot(G) -> str:
    """A Graphviz digraph of a view, left to right; nodes and edges sorted, so the output is stable.

    Nodes are styled by ``kind``; a path's nodes and edges (``on_path``) are
    drawn bold and red. Edge labels are the ``label`` attribute; an edge's
    tooltip (shown on hover in SVG) lists what the step earns, accrues and
    needs from outside.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(title="t"); G.add_node("a", label="A", kind="role"); G.add_edge("a", "b", label="x")
    >>> print(generate_dot(G), end="")
    digraph radgraph {
      graph [rankdir=LR, fontname="Helvetica", fontsize=14, label="t", labelloc=t, nodesep=0.25, ranksep=0.6, tooltip="t"];
      node [fontname="Helvetica", fontsize=11, margin="0.12,0.05"];
      edge [fontname="Helvetica", fontsize=9, color="#6b7280", fontcolor="#374151"];
      "a" [label="A", tooltip="A", shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"];
      "b" [label="b", tooltip="b"];
      "a" -> "b" [label="x", tooltip="x"];
    }
    """
    title = dot_text(G.graph.get("title", "radgraph"))
    lines = [
        "digraph radgraph {",
        f'  graph [rankdir=LR, fontname="Helvetica", fontsize=14, label="{title}", labelloc=t, '
        f'nodesep=0.25, ranksep=0.6, tooltip="{title}"];',
        '  node [fontname="Helvetica", fontsize=11, margin="0.12,0.05"];',
        '  edge [fontname="Helvetica", fontsize=9, color="#6b7280", fontcolor="#374151"];',
    ]
    for n in sorted(G):
        d = G.nodes[n]
        label = dot_text(d.get("label", n))
        attrs = [f'label="{label}"', f'tooltip="{dot_text(d.get("iri") or d.get("label", n))}"']
        style = _DOT_NODE_STYLE.get(d.get("kind", ""))
        if style:
            attrs.append(style)
        if d.get("on_path"):
            attrs.append('penwidth=2.5, color="#b91c1c"')
        if d.get("center"):
            attrs.append("penwidth=2.5")
        lines.append(f'  "{dot_text(n)}" [{", ".join(attrs)}];')
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        label = d.get("label", "")
        tip = [label] + [f"{name}: {d[name]}" for name in ("earn", "accrue", "outside") if d.get(name)]
        attrs = [f'label="{dot_text(label)}"', f'tooltip="{dot_text(" | ".join(t for t in tip if t))}"']
        if d.get("on_path"):
            attrs.append('penwidth=2.5, color="#b91c1c", fontcolor="#b91c1c"')
        lines.append(f'  "{dot_text(a)}" -> "{dot_text(b)}" [{", ".join(attrs)}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_program() -> str:
    """The path of Graphviz's ``dot``; a one-line error naming the package when it is missing."""
    import shutil

    found = shutil.which("dot")
    if found is None:
        raise RadGraphError("drawing svg, png or pdf needs the Graphviz 'dot' program: "
                            "apt-get install graphviz (Debian/Ubuntu) or brew install graphviz (macOS)")
    return found


def render(dot: str, format: str, timeout: float = 120) -> bytes:
    """Run Graphviz ``dot -T<format>`` on DOT text and return what it draws.

    Raises
    ------
    RadGraphError
        ``dot`` is missing, fails, or takes longer than ``timeout`` seconds.
    """
    import subprocess

    if format not in ("svg", "png", "pdf"):
        raise UsageError(f"render draws svg, png or pdf, not {format!r}")
    program = dot_program()
    try:
        done = subprocess.run([program, f"-T{format}"], input=dot.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RadGraphError(f"Graphviz dot took longer than {timeout:g} seconds; nothing was written") from None
    except OSError as exc:
        raise RadGraphError(f"cannot run Graphviz dot ({program}): {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[:300] or f"exit status {done.returncode}"
        raise RadGraphError(f"Graphviz dot failed: {detail}")
    return done.stdout


def generate_svg(G) -> str:
    """The view drawn by Graphviz as SVG text."""
    return render(generate_dot(G), "svg").decode("utf-8")


def generate_png(G) -> bytes:
    """The view drawn by Graphviz as PNG bytes."""
    return render(generate_dot(G), "png")


def generate_pdf(G) -> bytes:
    """The view drawn by Graphviz as PDF bytes."""
    return render(generate_dot(G), "pdf")


# ------------------------------------------------------------------ Mermaid


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label: anything but letters, digits and plain
    punctuation becomes an entity code (``#60;`` for ``<``).

    Examples
    --------
    >>> mermaid_text('a "b" <c>')
    'a #34;b#34; #60;c#62;'
    """
    return "".join(ch if ch.isalnum() or ch in " -.,()/'+:" else f"#{ord(ch)};" for ch in str(text))


_MERMAID_CLASS = {
    "start": "fill:#f3f4f6,stroke:#6b7280",
    "role": "fill:#dbeafe,stroke:#1d4ed8",
    "position": "fill:#ffffff,stroke:#6b7280,stroke-dasharray:4",
    "credential": "fill:#fef9c3,stroke:#a16207",
    "organization": "fill:#dcfce7,stroke:#15803d",
    "requirement": "fill:#f3e8ff,stroke:#7e22ce",
    "setting": "fill:#ccfbf1,stroke:#0f766e",
    "jurisdiction": "fill:#f9fafb,stroke:#9ca3af",
    "duty": "fill:#ffffff,stroke:#9ca3af",
    "skill": "fill:#ffffff,stroke:#9ca3af",
    "system": "fill:#ffffff,stroke:#9ca3af",
    "onpath": "stroke:#b91c1c,stroke-width:3px",
}


def generate_mermaid(G) -> str:
    """A Mermaid flowchart of a view (GitHub renders it in a ```mermaid block).

    Nodes are ``n0``, ``n1``, ... in sorted order, each declared once with its
    label; edges ``-->`` with their label (``==>`` on a path); one class per
    kind.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_node("a", label="A <b>", kind="role"); G.add_edge("a", "b", label="2 months")
    >>> print(generate_mermaid(G), end="")
    flowchart LR
      n0["A #60;b#62;"]
      n1["b"]
      n0 -->|"2 months"| n1
      classDef role fill:#dbeafe,stroke:#1d4ed8
      class n0 role
    """
    ids = {n: f"n{i}" for i, n in enumerate(sorted(G))}
    lines = ["flowchart LR"]
    for n in sorted(G):
        lines.append(f'  {ids[n]}["{mermaid_text(G.nodes[n].get("label", n))}"]')
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        arrow = "==>" if d.get("on_path") else "-->"
        label = d.get("label", "")
        lines.append(f'  {ids[a]} {arrow}|"{mermaid_text(label)}"| {ids[b]}' if label else f"  {ids[a]} {arrow} {ids[b]}")
    classes: dict[str, list[str]] = {}
    for n in sorted(G):
        d = G.nodes[n]
        kind = d.get("kind")
        if kind in _MERMAID_CLASS:
            classes.setdefault(kind, []).append(ids[n])
        if d.get("on_path"):
            classes.setdefault("onpath", []).append(ids[n])
    for kind in sorted(classes, key=lambda k: list(_MERMAID_CLASS).index(k)):
        lines.append(f"  classDef {kind} {_MERMAID_CLASS[kind]}")
        lines.append(f"  class {','.join(classes[kind])} {kind}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ HTML


def _where(e: Evidence) -> str:
    if e.source.endswith("/source/article"):
        return f"{e.source_label}, section {e.section}"
    return f"{e.source_label}: {e.section}" if e.section else e.source_label


def _sources(evidence: Iterable[Evidence]) -> list[dict]:
    return [{"quote": e.quote, "where": _where(e)} for e in evidence]


def requirement_tree(model: Model, req: Requirement | None, _depth: int = 0) -> dict | None:
    """A requirement tree for the HTML viewer: ``{"op", "text", "note", "sources", "children", "then"}``.

    ``op`` is ``"all"``, ``"any"`` or None (a leaf); a credential leaf's
    ``then`` is the credential's own requirements.

    Examples
    --------
    >>> import radgraph
    >>> m = radgraph.load().model
    >>> tree = requirement_tree(m, m.find_role("Radiologic Technologist").requires)
    >>> tree["op"], tree["text"], [c["text"][:30] for c in tree["children"]][:2]
    ('all', 'ALL OF', ['2-year training program in Rad', 'ARRT certification [certificat'])
    """
    from .describe import credential_line, experience_line

    if req is None:
        return None
    out: dict = {"op": None, "text": "", "note": req.caveat, "sources": _sources(req.sources), "children": []}
    if isinstance(req, (AllOf, AnyOf)):
        out["op"] = "all" if isinstance(req, AllOf) else "any"
        out["text"] = "ALL OF" if isinstance(req, AllOf) else "ANY ONE OF"
        out["children"] = [requirement_tree(model, m, _depth + 1) for m in req.members]
    elif isinstance(req, CredentialReq):
        out["text"] = credential_line(model, req.credential) + (f" ({req.condition})" if req.condition else "")
        cred = model.credentials.get(req.credential)
        if cred is not None:
            out["sources"] += _sources(e for e in cred.sources if e not in req.sources)
            if cred.requires is not None and _depth < 6:
                out["then"] = requirement_tree(model, cred.requires, _depth + 1)
    elif isinstance(req, ExperienceReq):
        out["text"] = experience_line(model, req)
    elif isinstance(req, RoleReq):
        out["text"] = f"qualified as {model.label(req.role)}"
    else:
        out["text"] = f"ongoing: {req.label}"
    return out


def _leaf(text: str, evidence: Iterable[Evidence] = (), note: str = "") -> dict:
    return {"op": None, "text": text, "note": note, "sources": _sources(evidence), "children": []}


def node_detail(model: Model | None, node: str, d: dict, requirements: dict[str, Requirement] | None = None) -> dict:
    """What the HTML viewer shows when a node is clicked: heading, facts, and sections of trees."""
    iri = d.get("iri", "")
    facts = [["kind", d.get("kind", "")]]
    if iri:
        facts.append(["IRI", iri])
    sections: list[dict] = []
    if model is None:
        return {"heading": d.get("label", node), "facts": facts, "sections": sections}
    role = model.roles.get(iri)
    cred = model.credentials.get(iri)
    req = (requirements if requirements is not None else requirement_index(model)).get(iri)
    org = model.organizations.get(iri)
    if role is not None:
        if role.alt_labels:
            facts.append(["also called", ", ".join(role.alt_labels)])
        if role.caveat:
            facts.append(["note", role.caveat])
        sections.append({"title": "Requires (to enter)",
                         "items": [requirement_tree(model, role.requires) or _leaf("(none stated)")]})
        sections.append({"title": "Must maintain",
                         "items": [requirement_tree(model, role.maintains) or _leaf("(none stated)")]})
        if role.sources:
            sections.append({"title": "About this role", "items": [_leaf(role.label, role.sources)]})
    elif cred is not None:
        from .describe import credential_line

        facts.append(["credential", credential_line(model, cred.id)])
        if cred.caveat:
            facts.append(["note", cred.caveat])
        sections.append({"title": "Requires", "items": [requirement_tree(model, cred.requires) or _leaf("(none stated)")]})
        if cred.sources:
            sections.append({"title": "Sources", "items": [_leaf(cred.label, cred.sources)]})
    elif req is not None:
        sections.append({"title": "Requirement", "items": [requirement_tree(model, req)]})
    elif org is not None:
        if org.caveat:
            facts.append(["note", org.caveat])
        if org.sources:
            sections.append({"title": "Sources", "items": [_leaf(org.label, org.sources)]})
    return {"heading": d.get("label", node), "facts": facts, "sections": sections}


def edge_detail(model: Model | None, G, a: str, b: str) -> dict:
    """What the HTML viewer shows when an edge is clicked: a step's items and their sources, or the link."""
    d = G.edges[a, b]
    heading = f"{G.nodes[a].get('label', a)} \u2192 {G.nodes[b].get('label', b)}"
    step = d.get("step")
    if step is None or model is None:
        return {"heading": heading, "facts": [["link", d.get("label", "")]], "sections": []}
    from .describe import credential_line, experience_line, months_text

    why: dict[str, list[Evidence]] = {}
    for cid, req in step.why:
        why.setdefault(cid, []).extend(e for e in req.sources if e not in why.get(cid, []))
    earn = [_leaf(credential_line(model, c), why.get(c, [])) for c in step.earn]
    accrue = [_leaf(f"work {months_text(a_.months)} more as {model.label(a_.role)}: "
                    f"{experience_line(model, a_.requirement)}", a_.requirement.sources) for a_ in step.accrue]
    outside = [requirement_tree(model, o) for o in step.outside]
    ongoing = [_leaf(c.label, c.sources) for c in step.ongoing]
    facts = [["takes", d.get("label", "")]]
    sections = [{"title": title, "items": items} for title, items in (
        ("Earn", earn), ("Work longer", accrue), ("From outside this graph", outside), ("Then maintain", ongoing))
        if items]
    if not sections:
        sections.append({"title": "Earn", "items": [_leaf("nothing new: what this role holds already qualifies")]})
    return {"heading": heading, "facts": facts, "sections": sections}


def html_data(G, model: Model | None = None) -> dict:
    """The JSON the HTML page embeds: title, nodes with layers and details, edges with details."""
    placed = layers(G)
    requirements = requirement_index(model) if model is not None else {}
    nodes = []
    for n in sorted(G):
        d = G.nodes[n]
        layer, order = placed[n]
        nodes.append({
            "id": n, "label": str(d.get("label", n)), "kind": str(d.get("kind", "")), "layer": layer,
            "order": order, "onPath": int(bool(d.get("on_path"))), "center": int(bool(d.get("center"))),
            "detail": node_detail(model, n, d, requirements),
        })
    edges = []
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        short = ""
        if "months" in d:
            short = d.get("label", "").split(",")[0]
        edges.append({
            "source": a, "target": b, "label": str(d.get("label", "")), "short": short,
            "onPath": int(bool(d.get("on_path"))), "detail": edge_detail(model, G, a, b),
        })
    return {"title": str(G.graph.get("title", "radgraph")), "nodes": nodes, "edges": edges}


def script_json(data) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` as \\u escapes.

    Examples
    --------
    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


#: The page's Content-Security-Policy: nothing may load from anywhere; inline script and style only.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def generate_html(G, model: Model | None = None) -> str:
    """One self-contained HTML page that draws a view and works offline from file://.

    No network request at all (a Content-Security-Policy forbids any): the
    data is embedded as JSON, the script and style are inline. Nodes stand in
    layers left to right (:func:`layers`); drag to pan, wheel or +/- to zoom,
    type in the search box to find a node, click a node to see its
    requirement tree (all of / any one of) with the source quotes, or a
    ladder edge to see what the step takes. Every label is inserted as text
    (``textContent``), never parsed as HTML.

    With ``model``, nodes and steps get their details; without, labels only.

    Examples
    --------
    >>> import radgraph
    >>> kg = radgraph.load()
    >>> page = generate_html(ladder_view(kg.model), kg.model)
    >>> page.startswith("<!DOCTYPE html>"), "Radiologic Technologist" in page, "<script src" in page
    (True, True, False)
    """
    data = html_data(G, model)
    return (_HTML_TEMPLATE
            .replace("%CSP%", html.escape(CSP, quote=True))
            .replace("%TITLE%", html.escape(data["title"]))
            .replace("%STYLE%", _HTML_STYLE)
            .replace("%SCRIPT%", _HTML_SCRIPT)
            .replace("%DATA%", script_json(data)))


_HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%CSP%">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="radgraph export">
<link rel="icon" href="data:,">
<title>%TITLE%</title>
<style>%STYLE%</style>
</head>
<body>
<header>
  <h1 id="title">%TITLE%</h1>
  <label for="search">Find</label>
  <input id="search" type="search" placeholder="a role, a credential..." autocomplete="off">
  <span id="matches" aria-live="polite"></span>
  <span class="buttons">
    <button id="zoom-in" type="button" title="Zoom in">+</button>
    <button id="zoom-out" type="button" title="Zoom out">&minus;</button>
    <button id="fit" type="button" title="Fit the drawing to the window">Fit</button>
  </span>
</header>
<main>
  <svg id="canvas" role="img" aria-label="the graph"></svg>
  <aside id="details"><p class="hint">Click a node to see what it requires and the sources behind it. Drag to pan; scroll to zoom.</p></aside>
</main>
<noscript><p>This page draws the graph with JavaScript; the data is in the script element below.</p></noscript>
<script type="application/json" id="radgraph-data">%DATA%</script>
<script>%SCRIPT%</script>
</body>
</html>
"""

_HTML_STYLE = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#111827}
body{display:flex;flex-direction:column}
header{display:flex;gap:.6em;align-items:center;padding:.5em 1em;border-bottom:1px solid #e5e7eb;background:#f9fafb}
header h1{font-size:1.05em;margin:0 1em 0 0;font-weight:600}
header input{width:18em;padding:.3em .5em}
header .buttons{margin-left:auto;display:flex;gap:.3em}
header button{min-width:2.2em;padding:.25em .6em}
main{flex:1;display:flex;min-height:0}
#canvas{flex:1;min-width:0;height:100%;cursor:grab;background:#fff;touch-action:none}
#canvas.dragging{cursor:grabbing}
#details{width:26em;max-width:45%;overflow:auto;border-left:1px solid #e5e7eb;padding:.8em 1em;background:#fcfcfd}
#details h2{font-size:1.1em;margin:.2em 0 .5em}
#details h3{font-size:.95em;margin:1em 0 .3em;color:#374151}
#details dl{display:grid;grid-template-columns:auto 1fr;gap:.2em .8em;margin:0;font-size:.9em}
#details dt{color:#6b7280}
#details dd{margin:0;word-break:break-word}
#details ul{margin:.2em 0;padding-left:1.2em}
#details li{margin:.25em 0}
.op{font-weight:600;font-size:.85em;letter-spacing:.03em;color:#7e22ce}
.note{display:block;color:#92400e;font-size:.85em}
.then{display:block;color:#6b7280;font-size:.85em;margin-top:.2em}
blockquote{margin:.2em 0 .2em .2em;padding:.1em .6em;border-left:3px solid #d1d5db;color:#374151;font-size:.85em}
blockquote cite{display:block;color:#6b7280;font-style:normal;font-size:.9em}
.hint{color:#6b7280}
.node rect{fill:#fff;stroke:#9ca3af;stroke-width:1.2}
.node text{font-size:12px;fill:#111827;pointer-events:none;dominant-baseline:central}
.node{cursor:pointer}
.node:focus{outline:none}
.node:focus rect,.node.selected rect{stroke:#111827;stroke-width:2.5}
.kind-start rect{fill:#f3f4f6;stroke:#6b7280}
.kind-role rect{fill:#dbeafe;stroke:#1d4ed8}
.kind-position rect{fill:#fff;stroke-dasharray:4 3}
.kind-credential rect{fill:#fef9c3;stroke:#a16207}
.kind-organization rect{fill:#dcfce7;stroke:#15803d}
.kind-requirement rect{fill:#f3e8ff;stroke:#7e22ce}
.kind-setting rect{fill:#ccfbf1;stroke:#0f766e}
.node.on-path rect{stroke:#b91c1c;stroke-width:3}
.node.center rect{stroke-width:3}
.node.match rect{stroke:#ea580c;stroke-width:3}
.dim{opacity:.25}
.edge path.line{fill:none;stroke:#9ca3af;stroke-width:1.3}
.edge path.hit{fill:none;stroke:transparent;stroke-width:10;cursor:pointer}
.edge text{font-size:10px;fill:#374151;pointer-events:none;display:none;paint-order:stroke;stroke:#fff;stroke-width:3px}
.edge.active text,.edge.selected text,.edge.on-path text{display:inline}
.edge.active path.line{stroke:#111827;stroke-width:2}
.edge.on-path path.line{stroke:#b91c1c;stroke-width:3}
.edge.selected path.line{stroke:#ea580c;stroke-width:3}
"""

_HTML_SCRIPT = r"""
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("radgraph-data").textContent);
  var svg = document.getElementById("canvas");
  var panel = document.getElementById("details");
  var search = document.getElementById("search");
  var matchesOut = document.getElementById("matches");
  var NODE_H = 30, V_GAP = 26, H_GAP = 150, PAD = 12;

  function svgEl(name, attrs) {
    var e = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function htmlEl(name, text, cls) {
    var e = document.createElement(name);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeClass(s) { return String(s || "").replace(/[^a-z0-9-]/gi, ""); }

  var defs = svgEl("defs");
  var marker = svgEl("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"});
  marker.appendChild(svgEl("path", {d: "M0,0 L10,5 L0,10 z", fill: "#6b7280"}));
  defs.appendChild(marker);
  svg.appendChild(defs);
  var viewport = svgEl("g", {id: "viewport"});
  var edgeLayer = svgEl("g", {"class": "edges"});
  var nodeLayer = svgEl("g", {"class": "nodes"});
  viewport.appendChild(edgeLayer);
  viewport.appendChild(nodeLayer);
  svg.appendChild(viewport);

  // ---- nodes: draw, measure, place in layers
  var byId = {};
  data.nodes.forEach(function (n) {
    var cls = "node kind-" + safeClass(n.kind) + (n.onPath ? " on-path" : "") + (n.center ? " center" : "");
    var g = svgEl("g", {"class": cls, tabindex: 0, role: "button"});
    g.setAttribute("data-id", n.id);
    g.setAttribute("aria-label", n.label);
    var title = svgEl("title");
    title.textContent = n.label;
    var rect = svgEl("rect", {rx: 7, ry: 7, height: NODE_H});
    var text = svgEl("text", {x: PAD, y: NODE_H / 2});
    text.textContent = n.label;
    g.appendChild(title);
    g.appendChild(rect);
    g.appendChild(text);
    nodeLayer.appendChild(g);
    var w = 0;
    try { w = text.getComputedTextLength(); } catch (e) { w = 0; }
    if (!w) { w = 7 * n.label.length; }
    n.w = Math.max(60, Math.ceil(w) + 2 * PAD);
    rect.setAttribute("width", n.w);
    n.g = g;
    n.edges = [];
    byId[n.id] = n;
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectNode(n); });
    g.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectNode(n); }
    });
  });
  var layers = [];
  data.nodes.forEach(function (n) { (layers[n.layer] = layers[n.layer] || []).push(n); });
  var x = 0;
  layers.forEach(function (members) {
    if (!members) { return; }
    members.sort(function (a, b) { return a.order - b.order; });
    var width = Math.max.apply(null, members.map(function (n) { return n.w; }));
    var height = members.length * NODE_H + (members.length - 1) * V_GAP;
    members.forEach(function (n, i) {
      n.x = x + (width - n.w) / 2;
      n.y = -height / 2 + i * (NODE_H + V_GAP);
      n.g.setAttribute("transform", "translate(" + n.x + "," + n.y + ")");
    });
    x += width + H_GAP;
  });

  // ---- edges
  data.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target];
    if (!a || !b) { return; }
    var sx, sy = a.y + NODE_H / 2, tx, ty = b.y + NODE_H / 2, d;
    if (b.x > a.x + a.w) {
      sx = a.x + a.w; tx = b.x;
      var dx = Math.max(30, (tx - sx) / 2);
      d = "M" + sx + "," + sy + " C" + (sx + dx) + "," + sy + " " + (tx - dx) + "," + ty + " " + tx + "," + ty;
    } else {  // back or same-layer edge: loop out to the right of the source, in from the left of the target
      sx = a.x + a.w; tx = b.x;
      var bend = 60 + Math.abs(sy - ty) / 4;
      d = "M" + sx + "," + sy + " C" + (sx + bend) + "," + (sy - bend) + " " + (tx - bend) + "," + (ty - bend) + " " + tx + "," + ty;
    }
    var g = svgEl("g", {"class": "edge" + (e.onPath ? " on-path" : "")});
    g.setAttribute("data-source", e.source);
    g.setAttribute("data-target", e.target);
    var title = svgEl("title");
    title.textContent = a.label + " \u2192 " + b.label + (e.label ? ": " + e.label : "");
    var hit = svgEl("path", {"class": "hit", d: d});
    var line = svgEl("path", {"class": "line", d: d, "marker-end": "url(#arrow)"});
    g.appendChild(title);
    g.appendChild(hit);
    g.appendChild(line);
    if (e.short) {
      var label = svgEl("text", {"class": "elabel", x: (sx + tx) / 2, y: (sy + ty) / 2 - 4, "text-anchor": "middle"});
      label.textContent = e.short;
      g.appendChild(label);
    }
    edgeLayer.appendChild(g);
    e.g = g;
    a.edges.push(e);
    b.edges.push(e);
    g.addEventListener("click", function (ev) { ev.stopPropagation(); selectEdge(e); });
  });

  // ---- pan and zoom
  var view = {x: 0, y: 0, k: 1};
  function apply() { viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")"); }
  function zoomAt(px, py, factor) {
    var k = Math.min(4, Math.max(0.05, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function fit() {
    var box = viewport.getBBox();
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    if (!box.width || !box.height) { return; }
    var k = Math.min(2, 0.95 * Math.min(w / box.width, h / box.height));
    view.k = k;
    view.x = (w - box.width * k) / 2 - box.x * k;
    view.y = (h - box.height * k) / 2 - box.y * k;
    apply();
  }
  function centerOn(n) {
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    view.k = Math.max(view.k, 0.8);
    view.x = w / 2 - (n.x + n.w / 2) * view.k;
    view.y = h / 2 - (n.y + NODE_H / 2) * view.k;
    apply();
  }
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest && ev.target.closest(".node, .edge")) { return; }
    drag = {x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y};
    svg.classList.add("dragging");
    if (svg.setPointerCapture) { try { svg.setPointerCapture(ev.pointerId); } catch (e) { /* synthetic pointer */ } }
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    view.x = drag.vx + ev.clientX - drag.x;
    view.y = drag.vy + ev.clientY - drag.y;
    apply();
  });
  function endDrag() { drag = null; svg.classList.remove("dragging"); }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(ev.clientX - r.left, ev.clientY - r.top, Math.exp(-ev.deltaY * 0.0015));
  }, {passive: false});
  function zoomCenter(f) { zoomAt((svg.clientWidth || 800) / 2, (svg.clientHeight || 600) / 2, f); }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomCenter(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCenter(0.8); });
  document.getElementById("fit").addEventListener("click", fit);

  // ---- details panel
  function clear(el) { while (el.firstChild) { el.removeChild(el.firstChild); } }
  function renderSources(sources, into) {
    (sources || []).forEach(function (s) {
      var q = htmlEl("blockquote", "\u201c" + s.quote + "\u201d");
      q.appendChild(htmlEl("cite", s.where));
      into.appendChild(q);
    });
  }
  function renderTree(t) {
    var li = htmlEl("li");
    if (t.op) { li.appendChild(htmlEl("span", t.text, "op")); } else { li.appendChild(htmlEl("span", t.text, "leaf")); }
    if (t.note) { li.appendChild(htmlEl("span", t.note, "note")); }
    renderSources(t.sources, li);
    if (t.children && t.children.length) {
      var ul = htmlEl("ul");
      t.children.forEach(function (c) { ul.appendChild(renderTree(c)); });
      li.appendChild(ul);
    }
    if (t.then) {
      li.appendChild(htmlEl("span", "which itself requires:", "then"));
      var sub = htmlEl("ul");
      sub.appendChild(renderTree(t.then));
      li.appendChild(sub);
    }
    return li;
  }
  function showDetail(detail) {
    clear(panel);
    panel.appendChild(htmlEl("h2", detail.heading));
    var dl = htmlEl("dl");
    (detail.facts || []).forEach(function (f) { dl.appendChild(htmlEl("dt", f[0])); dl.appendChild(htmlEl("dd", f[1])); });
    panel.appendChild(dl);
    (detail.sections || []).forEach(function (s) {
      var section = htmlEl("section");
      section.className = "section";
      section.appendChild(htmlEl("h3", s.title));
      var ul = htmlEl("ul", null, "tree");
      s.items.forEach(function (t) { ul.appendChild(renderTree(t)); });
      section.appendChild(ul);
      panel.appendChild(section);
    });
  }
  function unselect() {
    Array.prototype.forEach.call(document.querySelectorAll(".selected, .active"), function (el) {
      el.classList.remove("selected");
      el.classList.remove("active");
    });
  }
  function selectNode(n) {
    unselect();
    n.g.classList.add("selected");
    n.edges.forEach(function (e) { e.g.classList.add("active"); });
    showDetail(n.detail);
    panel.setAttribute("data-selected", n.id);
  }
  function selectEdge(e) {
    unselect();
    e.g.classList.add("selected");
    showDetail(e.detail);
    panel.setAttribute("data-selected", e.source + " -> " + e.target);
  }

  // ---- search
  function runSearch() {
    var q = search.value.trim().toLowerCase();
    var found = [];
    data.nodes.forEach(function (n) {
      var hit = q !== "" && (n.label.toLowerCase().indexOf(q) >= 0 || n.id.toLowerCase().indexOf(q) >= 0);
      n.g.classList.toggle("match", hit);
      n.g.classList.toggle("dim", q !== "" && !hit);
      if (hit) { found.push(n); }
    });
    data.edges.forEach(function (e) { if (e.g) { e.g.classList.toggle("dim", q !== ""); } });
    matchesOut.textContent = q === "" ? "" : found.length + (found.length === 1 ? " match" : " matches");
    return found;
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = runSearch();
      if (found.length) { selectNode(found[0]); centerOn(found[0]); }
    } else if (ev.key === "Escape") {
      search.value = "";
      runSearch();
    }
  });

  apply();
  fit();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "1");
})();
"""


# ------------------------------------------------------------------ the one entry point


def generate(kg, format: str, roles_only: bool = False, around: str | None = None, depth: int | None = None,
             path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False) -> str | bytes:
    """Export ``kg`` (or the view the options ask for) in ``format``; text, or bytes for png and pdf.

    Options are checked before any work (:func:`check_options`).

    Examples
    --------
    >>> import radgraph
    >>> print(generate(radgraph.load(), "mermaid", roles_only=True, around="Interventional Radiology Technologist"), end="")
    flowchart LR
      n0["Interventional Radiology Technologist"]
      n1["Radiologic Technologist"]
      n2["Radiology Imaging Procedure Assistant"]
      n0 -->|"duration not stated, earn 1"| n2
      n1 -->|"duration not stated, earn 4"| n0
      n1 -->|"0 months, nothing new"| n2
      classDef role fill:#dbeafe,stroke:#1d4ed8
      class n0,n1,n2 role
    """
    have = list(have)
    check_options(format, roles_only, around, depth, path, have, all_steps)
    if format in RDF_FORMATS:
        return _RDF_WRITERS[format](kg.graph)
    G = build_view(kg, roles_only=roles_only, around=around, depth=depth, path=path, have=have, all_steps=all_steps)
    if format == "html":
        return generate_html(G, kg.model)
    return _GRAPH_WRITERS[format](G)


def write(kg, format: str, output: str | os.PathLike, **view) -> Path:
    """Export like :func:`generate` and write the result to ``output`` atomically; returns the path."""
    check_output(output)
    return write_atomic(output, generate(kg, format, **view))


_RDF_WRITERS = {"ttl": generate_ttl, "nt": generate_nt, "jsonld": generate_jsonld}
_GRAPH_WRITERS = {
    "graphml": generate_graphml, "gexf": generate_gexf, "cyjs": generate_cyjs, "dot": generate_dot,
    "svg": generate_svg, "png": generate_png, "pdf": generate_pdf, "mermaid": generate_mermaid,
}


# ------------------------------------------------------------------ writing files


def check_output(output: str | os.PathLike) -> Path:
    """Check, before any work, that ``output`` can be a file: its folder exists and it is not a folder.

    Raises
    ------
    UsageError
        The folder is missing, or ``output`` is a folder.
    """
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if target.is_dir():
            raise UsageError(f"{target}: is a folder; give a file name")
        if not folder.is_dir():
            raise UsageError(f"{target}: no such folder: {folder}")
    except OSError as exc:  # a name the file system refuses: too long, ...
        raise UsageError(f"{target}: {exc.strerror or exc}") from None
    return target


def write_atomic(output: str | os.PathLike, content: str | bytes) -> Path:
    """Write ``content`` to ``output`` all at once: a temporary file in the same folder, then a rename.

    On any failure the temporary file is removed and an existing ``output``
    is left as it was. A new file gets the usual permissions (0666 less the
    umask); a replaced file keeps its own.

    Raises
    ------
    UsageError
        The folder is missing, or ``output`` is a folder (exit 2).
    RadGraphError
        The file cannot be written: no permission, a read-only folder, a full disk (exit 1).
    """
    target = check_output(output)
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = target.parent if str(target.parent) else Path(".")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = target.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise RadGraphError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return target


def write_ttl(graph, output) -> Path:
    """Write :func:`generate_ttl` to ``output`` atomically."""
    return write_atomic(output, generate_ttl(graph))


def write_nt(graph, output) -> Path:
    """Write :func:`generate_nt` to ``output`` atomically."""
    return write_atomic(output, generate_nt(graph))


def write_jsonld(graph, output) -> Path:
    """Write :func:`generate_jsonld` to ``output`` atomically."""
    return write_atomic(output, generate_jsonld(graph))


def write_graphml(G, output) -> Path:
    """Write :func:`generate_graphml` to ``output`` atomically."""
    return write_atomic(output, generate_graphml(G))


def write_gexf(G, output) -> Path:
    """Write :func:`generate_gexf` to ``output`` atomically."""
    return write_atomic(output, generate_gexf(G))


def write_cyjs(G, output) -> Path:
    """Write :func:`generate_cyjs` to ``output`` atomically."""
    return write_atomic(output, generate_cyjs(G))


def write_dot(G, output) -> Path:
    """Write :func:`generate_dot` to ``output`` atomically."""
    return write_atomic(output, generate_dot(G))


def write_svg(G, output) -> Path:
    """Draw with Graphviz and write the SVG to ``output`` atomically (nothing is written if dot fails)."""
    check_output(output)
    return write_atomic(output, generate_svg(G))


def write_png(G, output) -> Path:
    """Draw with Graphviz and write the PNG to ``output`` atomically."""
    check_output(output)
    return write_atomic(output, generate_png(G))


def write_pdf(G, output) -> Path:
    """Draw with Graphviz and write the PDF to ``output`` atomically."""
    check_output(output)
    return write_atomic(output, generate_pdf(G))


def write_mermaid(G, output) -> Path:
    """Write :func:`generate_mermaid` to ``output`` atomically."""
    return write_atomic(output, generate_mermaid(G))


def write_html(G, output, model: Model | None = None) -> Path:
    """Write :func:`generate_html` to ``output`` atomically."""
    return write_atomic(output, generate_html(G, model))


# ------------------------------------------------------------------ the README's pictures

README_MERMAID_START = "<!-- ladder-mermaid: start (make docs writes this block) -->"
README_MERMAID_END = "<!-- ladder-mermaid: end -->"


def readme_mermaid(model: Model) -> str:
    """The README's Mermaid block: the career ladder, between its two marker comments."""
    return f"{README_MERMAID_START}\n```mermaid\n{generate_mermaid(ladder_view(model))}```\n{README_MERMAID_END}"


def write_readme_mermaid(readme: str | os.PathLike, model: Model) -> None:
    """Replace the ladder's Mermaid block in ``readme`` (between the markers) with a fresh one."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    start = text.index(README_MERMAID_START)
    end = text.index(README_MERMAID_END, start) + len(README_MERMAID_END)
    write_atomic(path, text[:start] + readme_mermaid(model) + text[end:])

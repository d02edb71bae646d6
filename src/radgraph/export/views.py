"""The views: networkx DiGraphs of the knowledge graph that the graph formats draw.

- :func:`graph_view`: the whole graph (roles, credentials, organizations, requirement nodes, ...);
- :func:`ladder_view`: the career ladder, from the planner;
- :func:`path_view`: the ladder with the planner's best path marked;
- :func:`around_view`: what lies within some links of one node;
- :func:`build_view`: the one the export options ask for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..model import AllOf, AnyOf, CredentialReq, ExperienceReq, Model, Requirement, RoleReq, walk
from ..namespaces import RG, shorten
from .options import check_view

if TYPE_CHECKING:
    import networkx as nx

#: The node id of "no role yet" in the ladder and path views.
START_ID = "none"


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
    _add_tiers(G, model)
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


def _add_tiers(G, model: Model) -> None:
    """Give the role nodes of a view their seniority: ``tier``, ``tier_name``, ``entry_months``."""
    from ..planner import Planner
    from .seniority import ladder

    L = ladder(Planner(model))
    for rid in model.roles:
        node = shorten(rid)
        if node in G:
            attrs = _role_attrs(model, rid, L)
            G.nodes[node].update({k: v for k, v in attrs.items() if k in ("tier", "tier_name", "entry_months", "entry_time")})


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
    from ..describe import experience_line

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


def ladder_view(model: Model, have: Iterable[str] = (), all_steps: bool = False,
                steps_down: bool = False) -> nx.DiGraph:
    """The career ladder: roles by seniority, and which role can follow which, from the planner.

    A node ``"none"`` stands for a person with no role yet. An edge A -> B is
    the cheapest step from A into B. Since most credentials can be earned
    from anywhere, nearly every role can follow every other; an edge A -> B
    is kept only when holding A makes entering B cheaper than starting from
    no role (or B cannot be entered from no role), so the picture shows the
    rungs. Steps down (into a role that takes less time to enter) and moves
    that ask for nothing new are left out unless ``steps_down``;
    ``all_steps=True`` keeps every possible step, down ones included.

    Role nodes carry their seniority (:mod:`radgraph.export.seniority`):
    ``tier`` (0 entry jobs, 1 technologists, 2 advanced and postprimary,
    3 physicians; 4 no way in; -1 the start), ``tier_name`` and
    ``entry_months`` (typical months of the best way in from no role).

    Edge attributes: ``label`` (plain words: ``about 2 years, 3 credentials``),
    ``time`` (``about 2 years``, ``time not known``), ``months`` and
    ``months_min`` (only when every part of the step has a known length:
    an unknown is never 0), ``unknown`` (items of unknown length),
    ``direction`` (up, across, down, none), ``earn``, ``accrue`` and
    ``outside`` (``"; "``-joined texts), and ``step``, the
    :class:`~radgraph.planner.Step` (left out of the file formats).

    Parameters
    ----------
    model : the model to plan over.
    have : names of credentials already held.
    all_steps : keep every possible step, not only the rungs.
    steps_down : keep the rungs that lead down or ask nothing new too.

    Examples
    --------
    >>> import radgraph
    >>> G = ladder_view(radgraph.load().model)
    >>> G.nodes["none"]["label"], G.nodes["role:radiologic-technologist"]["tier_name"]
    ('(no role yet)', 'Technologists')
    >>> G.has_edge("role:radiologic-technologist", "role:interventional-radiology-technologist")
    True
    >>> G.edges["none", "role:radiologic-technologist"]["label"]
    'at least 2 years, 3 credentials'
    >>> G.has_edge("role:radiologic-technologist", "role:radiology-imaging-procedure-assistant")  # a step down
    False
    """
    import networkx as nx

    from ..planner import Planner
    from .seniority import ladder

    planner = Planner(model)
    have_ids = [model.find_credential(h).id for h in have]
    L = ladder(planner, have_ids, every_step=all_steps)
    G = nx.DiGraph(title="radgraph: the career ladder")
    G.graph["tiers"] = "; ".join(f"{t.index} {t.name}: {t.rule}" for t in _tier_list())
    G.add_node(START_ID, **_role_attrs(model, None, L))
    for rid in sorted(model.roles):
        G.add_node(_role_id(rid), **_role_attrs(model, rid, L))
    edges = [((None, b), step) for b, step in L.base.items()] + list(L.steps.items())
    for (a, b), step in sorted(edges, key=lambda e: (str(e[0][0]), str(e[0][1]))):
        direction = L.direction(step)
        if direction in ("down", "none") and not (steps_down or all_steps):
            continue
        G.add_edge(_role_id(a), _role_id(b), **step_attrs(model, step), direction=direction)
    G.graph["ladder"] = L
    return G


def _tier_list():
    from .seniority import NO_WAY_IN, START_TIER, TIERS

    return (START_TIER, *TIERS, NO_WAY_IN)


def _role_id(node) -> str:
    from ..planner import START

    return START_ID if node in (None, START) else shorten(node)


def _role_attrs(model: Model, node, L=None) -> dict:
    from ..planner import START
    from .seniority import START_TIER, tier_of

    if node in (None, START):
        return {"label": "(no role yet)", "kind": "start", "iri": "", "tier": START_TIER.index,
                "tier_name": START_TIER.name, "entry_months": 0.0}
    attrs = {"label": model.label(node), "kind": "role", "iri": node}
    if L is not None:
        tier = L.tiers.get(node)
        attrs.update(tier=tier, tier_name=tier_of(tier).name)
        if L.months(node) is not None:
            attrs["entry_months"] = float(L.months(node))
        attrs["entry_time"] = L.entry_time(node)
    return attrs


def step_attrs(model: Model, step) -> dict:
    """Plain edge attributes of one planner step (and the step itself, as ``step``)."""
    from ..describe import _leaf_text, experience_line, months_text  # the words `radgraph path` prints

    earn = [model.label(c) for c in step.earn]
    accrue = [f"{months_text(a.months)} more as {model.label(a.role)}: {experience_line(model, a.requirement)}"
              for a in step.accrue]
    outside = [_leaf_text(model, o) for o in step.outside]
    from .seniority import time_text

    what = []
    if earn:
        what.append(f"{len(earn)} credential{'s' if len(earn) != 1 else ''}")
    if accrue:
        what.append("more time in the role")
    if outside:
        what.append("experience")
    time = time_text(step.total, len(step.unknown))
    words = " + ".join(what) or "nothing new to earn"
    attrs = {
        "label": words if time == "no wait" else f"{time}, {words}",
        "time": time,
        "unknown": len(step.unknown),
        "earn": "; ".join(earn),
        "accrue": "; ".join(accrue),
        "outside": "; ".join(outside),
        "step": step,
    }
    if not step.unknown:
        attrs.update(months=float(step.total.typical), months_min=float(step.total.min))
    return attrs


def path_view(model: Model, start: str, goal: str, have: Iterable[str] = (),
              all_steps: bool = False, steps_down: bool = False) -> nx.DiGraph:
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
    from ..planner import Planner

    have = list(have)
    best = Planner(model).plan(start, goal, have=have)[0]
    G = ladder_view(model, have=have, all_steps=all_steps, steps_down=steps_down)
    L = G.graph["ladder"]
    labels = " -> ".join(model.label(r) if r else "(no role yet)" for r in (best.roles[0], best.roles[-1]))
    G.graph["title"] = f"radgraph: the best path, {labels}"
    for _, d in G.nodes(data=True):
        d["on_path"] = 0
    for _, _, d in G.edges(data=True):
        d["on_path"] = 0
    for i, role in enumerate(best.roles):
        node = _role_id(role)
        if node not in G:
            G.add_node(node, **_role_attrs(model, role, L))
        G.nodes[node].update(on_path=1, path_index=i)
    for step in best.steps:
        a, b = _role_id(step.from_role), _role_id(step.to_role)
        if G.has_edge(a, b):
            G.remove_edge(a, b)  # the path's own step replaces the ladder's
        G.add_edge(a, b, **step_attrs(model, step), direction=L.direction(step), on_path=1)
    return G


def drawn_view(G):
    """What a picture of a planner's view draws: the steps out of "no role yet" left out unless on a path.

    Every role's box says how long it takes to enter from no role
    (``entry_time``), so ten arrows fanning out of the start would say it
    again and cross the whole ladder. The start is drawn only when a path
    leaves it. Other views are returned as they are. The graph files
    (GraphML, GEXF, Cytoscape JSON) keep every edge.

    Examples
    --------
    >>> import radgraph
    >>> G = drawn_view(ladder_view(radgraph.load().model))
    >>> START_ID in G, G.has_edge("role:radiologic-technologist", "role:ct-technologist")
    (False, True)
    """
    if START_ID not in G or not all("tier" in d for _, d in G.nodes(data=True)):
        return G
    H = G.copy()
    H.remove_edges_from([(a, b) for a, b, d in G.edges(data=True) if a == START_ID and not d.get("on_path")])
    if H.degree(START_ID) == 0:
        H.remove_node(START_ID)
    return H


def around_view(G, center: str, depth: int = 1):
    """The nodes within ``depth`` links of ``center`` (either direction), and the edges among them.

    Examples
    --------
    >>> import radgraph
    >>> G = ladder_view(radgraph.load().model)
    >>> sorted(around_view(G, "role:interventional-radiology-technologist", 1))
    ['role:interventional-radiology-technologist', 'role:radiologic-technologist']
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
               path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False,
               steps_down: bool = False):
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
    check_view(roles_only, around, depth, path, have, all_steps, steps_down)
    model = kg.model
    center = model.find_role(around).id if around is not None else None  # names first, then work
    if path is not None:
        G = path_view(model, path[0], path[1], have=have, all_steps=all_steps, steps_down=steps_down)
    elif roles_only:
        G = ladder_view(model, have=have, all_steps=all_steps, steps_down=steps_down)
    else:
        G = graph_view(kg)
    if center is not None:
        G = around_view(G, shorten(center), 1 if depth is None else depth)
    return G

"""The network file formats of a view: GraphML and GEXF (networkx's writers) and Cytoscape.js JSON."""

from __future__ import annotations

import json
from pathlib import Path

from .files import write_atomic


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


# Not networkx's cytoscape_data: it writes other JSON (data, directed and multigraph keys; name and
# value in every node; no edge ids or classes), which Cytoscape reads alike but is not this format's bytes.
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


def write_graphml(G, output) -> Path:
    """Write :func:`generate_graphml` to ``output`` atomically."""
    return write_atomic(output, generate_graphml(G))


def write_gexf(G, output) -> Path:
    """Write :func:`generate_gexf` to ``output`` atomically."""
    return write_atomic(output, generate_gexf(G))


def write_cyjs(G, output) -> Path:
    """Write :func:`generate_cyjs` to ``output`` atomically."""
    return write_atomic(output, generate_cyjs(G))

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


#: Fill colours by kind (as the pictures draw them), and the path's red.
KIND_COLOURS = {
    "start": "#f3f4f6", "role": "#dbeafe", "position": "#ffffff", "credential": "#fef9c3",
    "organization": "#dcfce7", "requirement": "#f3e8ff", "setting": "#ccfbf1", "jurisdiction": "#f9fafb",
    "duty": "#ffffff", "skill": "#ffffff", "system": "#ffffff",
}
ON_PATH_COLOUR = "#b91c1c"


def positions(G, timeout: float | None = None) -> dict[str, tuple[float, float]]:
    """Where Graphviz puts each node, ``{id: (x, y)}`` in points, y down; empty when ``dot`` is missing.

    The layout is the pictures' own (:func:`~radgraph.export.graphviz.layout`).
    A node the pictures leave out ("no role yet" on the ladder) goes under the
    drawing, in the middle.
    """
    from ..errors import RadGraphError
    from .graphviz import layout

    try:
        placed = layout(G, timeout=timeout)
    except RadGraphError as exc:
        if "needs the Graphviz" in str(exc):
            return {}
        raise
    out = {n: (box["x"], box["y"]) for n, box in placed["nodes"].items()}
    for n in G:
        if n not in out:
            out[n] = (round(placed["width"] / 2, 2), round(placed["height"] + 40, 2))
    return out


def _rgb(colour: str) -> dict:
    return {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0}


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


def generate_gexf(G, timeout: float | None = None) -> str:
    """GEXF (networkx's writer) of a view, for Gephi, with ``viz:`` colours and positions.

    Colours are the pictures' (by kind; red on a path); positions are
    Graphviz's layout, y up as Gephi has it (without ``dot``, none).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_node("a", kind="role"); G.add_edge("a", "b")
    >>> text = generate_gexf(G)
    >>> 'r="219" g="234" b="254"' in text, "<viz:position" in text
    (True, True)
    """
    import networkx as nx

    H = plain(G)
    placed = positions(G, timeout)
    for n, d in H.nodes(data=True):
        colour = ON_PATH_COLOUR if d.get("on_path") else KIND_COLOURS.get(str(d.get("kind", "")), "#e5e7eb")
        viz = {"color": _rgb(colour), "size": 10.0}
        if n in placed:
            viz["position"] = {"x": placed[n][0], "y": -placed[n][1], "z": 0.0}
        d["viz"] = viz
    for _, _, d in H.edges(data=True):
        if d.get("on_path"):
            d["viz"] = {"color": _rgb(ON_PATH_COLOUR), "thickness": 3.0}
    return "\n".join(nx.generate_gexf(H)) + "\n"


# Not networkx's cytoscape_data: it writes other JSON (data, directed and multigraph keys; name and
# value in every node; no edge ids or classes), which Cytoscape reads alike but is not this format's bytes.
def generate_cyjs(G, timeout: float | None = None) -> str:
    """Cytoscape.js JSON: ``{"elements": {"nodes": [...], "edges": [...]}, "style": [...]}``.

    Each node's ``data`` holds ``id`` and its attributes, each edge's
    ``id``, ``source``, ``target`` and its attributes; ``classes`` names the
    node's kind (and ``on-path`` for a path, ``tier-N`` for a role's band,
    ``down`` for a step down). ``position`` is Graphviz's layout (without
    ``dot``, none). ``style`` is the style sheet (:func:`cytoscape_style`, the
    file ``cytoscape-style.json`` beside this module): Cytoscape.js reads the
    whole file (``cytoscape({container, ...json})``); Cytoscape desktop
    imports the style on its own (``jq .style`` writes it to a file).

    Examples
    --------
    >>> import json, networkx as nx
    >>> G = nx.DiGraph(); G.add_node("a", label="A", kind="role"); G.add_edge("a", "b")
    >>> json.loads(generate_cyjs(G))["elements"]["edges"]
    [{'data': {'id': 'e0', 'source': 'a', 'target': 'b'}}]
    """
    H = plain(G)
    placed = positions(G, timeout)
    nodes = []
    for n in sorted(H):
        d = H.nodes[n]
        entry = {"data": {"id": n, **d}}
        tier = f"tier-{d['tier']}" if isinstance(d.get("tier"), int) and d["tier"] >= 0 else None
        classes = [c for c in (d.get("kind"), tier, "on-path" if d.get("on_path") else None) if c]
        if classes:
            entry["classes"] = " ".join(classes)
        if n in placed:
            entry["position"] = {"x": placed[n][0], "y": placed[n][1]}
        nodes.append(entry)
    edges = []
    for i, (a, b) in enumerate(sorted(H.edges())):
        d = H.edges[a, b]
        entry = {"data": {"id": f"e{i}", "source": a, "target": b, **d}}
        classes = [c for c in ("on-path" if d.get("on_path") else None,
                               "down" if d.get("direction") in ("down", "none") else None) if c]
        if classes:
            entry["classes"] = " ".join(classes)
        edges.append(entry)
    doc = {"elements": {"nodes": nodes, "edges": edges}, "style": cytoscape_style()}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def cytoscape_style() -> list:
    """The Cytoscape.js style sheet of the pictures: colours by kind, bands by tier, the path in red.

    Examples
    --------
    >>> cytoscape_style()[0]["selector"]
    'node'
    """
    from importlib.resources import files

    return json.loads((files(__package__) / "cytoscape-style.json").read_text(encoding="utf-8"))


def write_graphml(G, output) -> Path:
    """Write :func:`generate_graphml` to ``output`` atomically."""
    return write_atomic(output, generate_graphml(G))


def write_gexf(G, output, timeout: float | None = None) -> Path:
    """Write :func:`generate_gexf` to ``output`` atomically."""
    return write_atomic(output, generate_gexf(G, timeout))


def write_cyjs(G, output, timeout: float | None = None) -> Path:
    """Write :func:`generate_cyjs` to ``output`` atomically."""
    return write_atomic(output, generate_cyjs(G, timeout))

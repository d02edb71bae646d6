"""A view as Graphviz DOT text, and drawn by Graphviz's ``dot`` program as SVG, PNG or PDF.

``dot`` is found on PATH when a drawing is asked for.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import RadGraphError, UsageError
from .files import check_output, write_atomic

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


def html_text(text: str) -> str:
    """``text`` inside a Graphviz HTML-like label: ``&``, ``<``, ``>`` and quotes as entities.

    Examples
    --------
    >>> html_text('a <b> & "c"')
    'a &lt;b&gt; &amp; &quot;c&quot;'
    """
    import html

    return html.escape(str(text).replace("\r", " ").replace("\n", " "), quote=True)


def entry_lines(entry_time: str) -> list[str]:
    """The small print under a role's name: how long it takes to enter from no role, in two short lines.

    Examples
    --------
    >>> entry_lines("at least 2 years")
    ['to enter:', 'at least 2 years']
    """
    return ["to enter:", entry_time]


def wrap_label(text: str, width: int = 14) -> list[str]:
    """A label as short lines (at most ``width`` characters where words allow), for narrow boxes.

    Examples
    --------
    >>> wrap_label("Radiology Imaging Procedure Assistant")
    ['Radiology', 'Imaging', 'Procedure', 'Assistant']
    >>> wrap_label("Radiology Tech Assistant")
    ['Radiology Tech', 'Assistant']
    >>> wrap_label("MRI Technologist")
    ['MRI', 'Technologist']
    """
    import textwrap

    return textwrap.wrap(str(text), width, break_long_words=False, break_on_hyphens=False) or [""]


def is_ladder(G) -> bool:
    """True for the planner's views (roles and the start, with tiers): drawn as bands by seniority."""
    return len(G) > 0 and all(G.nodes[n].get("kind") in ("role", "start") and "tier" in G.nodes[n] for n in G)


#: The bands' fill, entry end first (the start, then tiers 0..4).
_TIER_FILL = {-1: "#ffffff", 0: "#f8fafc", 1: "#eff6ff", 2: "#f5f3ff", 3: "#fef2f2", 4: "#f9fafb"}


def generate_dot(G, edge_labels: bool = True, clusters: bool = True) -> str:
    """A Graphviz digraph of a view; nodes and edges sorted, so the output is stable.

    The planner's views (:func:`is_ladder`) read by seniority, bottom to top:
    one band (a cluster) per tier, entry jobs at the bottom, physicians at
    the top; invisible edges between bands keep each band above the one
    before it. Other views run left to right. Nodes are styled by ``kind``;
    a path's nodes and edges (``on_path``) are drawn bold and red. Edge
    labels are the ``label`` attribute (left out with ``edge_labels=False``,
    for a layout whose labels are drawn elsewhere); with ``clusters=False``
    the bands are not drawn, only kept in order (the HTML page draws them
    as stripes, so the drawing stays as narrow as its widest band); an edge's tooltip lists
    what the step earns, accrues and needs from outside.

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
    from .views import drawn_view

    G = drawn_view(G)
    title = dot_text(G.graph.get("title", "radgraph"))
    ladder = is_ladder(G)
    busy = G.number_of_edges() > BUSY
    if busy:  # straight lines, a shorter search for fewer crossings, labels in tooltips: minutes become seconds
        edge_labels = False
    if ladder:
        lines = [
            "digraph radgraph {",
            f'  graph [rankdir=BT, newrank=true, fontname="Helvetica", fontsize=14, label="{title}", labelloc=t, '
            f'nodesep=0.12, ranksep=0.3, tooltip="{title}"{_BUSY_ATTRS if busy else ""}];',
            '  node [fontname="Helvetica", fontsize=12, margin="0.05,0.03"];',
            '  edge [fontname="Helvetica", fontsize=9, color="#6b7280", fontcolor="#374151", arrowsize=0.7];',
        ]
    else:
        lines = [
            "digraph radgraph {",
            f'  graph [rankdir=LR, fontname="Helvetica", fontsize=14, label="{title}", labelloc=t, '
            f'nodesep=0.25, ranksep=0.6, tooltip="{title}"{_BUSY_ATTRS if busy else ""}];',
            '  node [fontname="Helvetica", fontsize=11, margin="0.12,0.05"];',
            '  edge [fontname="Helvetica", fontsize=9, color="#6b7280", fontcolor="#374151"];',
        ]

    def node_line(n, indent="  "):
        d = G.nodes[n]
        label = d.get("label", n)
        tip = d.get("iri") or label
        if ladder:
            lines_ = [html_text(line) for line in wrap_label(label)]
            if d.get("kind") == "role" and d.get("entry_time"):
                lines_ += [f'<font point-size="9" color="#4b5563">{html_text(line)}</font>'
                           for line in entry_lines(d["entry_time"])]
                tip = f"{label}: {d['tier_name']}, {d['entry_time']} from no role"
            text = "<" + "<br/>".join(lines_) + ">"
        else:
            text = f'"{dot_text(label)}"'
        attrs = [f"label={text}", f'tooltip="{dot_text(tip)}"']
        style = _DOT_NODE_STYLE.get(d.get("kind", ""))
        if style:
            attrs.append(style)
        if d.get("on_path"):
            attrs.append('penwidth=2.5, color="#b91c1c"')
        if d.get("center"):
            attrs.append("penwidth=2.5")
        return f'{indent}"{dot_text(n)}" [{", ".join(attrs)}];'

    if ladder:
        from .seniority import tier_of

        bands: dict[int, list] = {}
        for n in sorted(G):
            bands.setdefault(int(G.nodes[n]["tier"]), []).append(n)
        order = sorted(bands)
        for t in order if not clusters else ():
            lines.extend(node_line(n) for n in bands[t])
        for t in order if clusters else ():
            tier = tier_of(t)
            label = "" if t < 0 else f"{tier.name}: {tier.rule}"
            lines.append(f"  subgraph cluster_tier{t + 1} {{")
            lines.append(f'    graph [label="{dot_text(label)}", labeljust=l, labelloc=b, fontsize=11, fontcolor="#4b5563", '
                         f'style="filled", fillcolor="{_TIER_FILL.get(t, "#ffffff")}", '
                         f'color="{"#ffffff" if t < 0 else "#e5e7eb"}", tooltip="{dot_text(label or tier.name)}"];')
            lines.extend(node_line(n, "    ") for n in bands[t])
            lines.append("  }")
        for lower, upper in zip(order, order[1:], strict=False):  # each band above the one before: through one hidden point
            anchor = f"tier-{lower + 1}-{upper + 1}"
            lines.append(f'  "{anchor}" [shape=point, style=invis, width=0, height=0, label=""];')
            lines.extend(f'  "{dot_text(n)}" -> "{anchor}" [style=invis];' for n in bands[lower])
            lines.extend(f'  "{anchor}" -> "{dot_text(n)}" [style=invis];' for n in bands[upper])
    else:
        lines.extend(node_line(n) for n in sorted(G))
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        label = d.get("label", "")
        tip = [label] + [f"{name}: {d[name]}" for name in ("earn", "accrue", "outside") if d.get(name)]
        attrs = []
        if edge_labels:
            shown = "\\n".join(dot_text(p.strip()) for p in label.split(", ", 1)) if ladder else dot_text(label)
            attrs.append(f'label="{shown}"')
        attrs.append(f'tooltip="{dot_text(" | ".join(t for t in tip if t))}"')
        if d.get("direction") in ("down", "none"):
            attrs.append('style=dashed, color="#9ca3af"')
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


#: Views with more edges than this are drawn with straight lines and without edge labels (each
#: edge's words stay in its tooltip): Graphviz's spline routing and crossing search take
#: minutes on the ladder of a 100,000-triple graph (2,650 steps), seconds without.
BUSY = 400
#: What makes a busy view quick: straight edges, and short searches for fewer crossings
#: (mclimit) and for the network-simplex ranking and placement (nslimit, nslimit1).
_BUSY_ATTRS = ", splines=line, mclimit=0.05, nslimit=1, nslimit1=1"
#: Seconds Graphviz may take before an export gives up (``radgraph export --timeout``).
TIMEOUT = 120.0
#: Views with more nodes than this are laid out by ``sfdp`` (a force-directed layout that
#: scales to thousands of nodes) instead of ``dot`` (layered; minutes on such a hairball).
LARGE = 1500


def layout_engine(G) -> str:
    """``dot`` for the ladder and most views; ``sfdp`` for a view of more than :data:`LARGE` nodes.

    The planner's views are always laid out by ``dot``: bands by seniority need its ranks.

    Examples
    --------
    >>> import networkx as nx
    >>> layout_engine(nx.path_graph(3, create_using=nx.DiGraph)), layout_engine(nx.empty_graph(2000, nx.DiGraph))
    ('dot', 'sfdp')
    """
    return "sfdp" if len(G) > LARGE and not is_ladder(G) else "dot"


def render(dot: str, format: str, timeout: float | None = None, engine: str = "dot") -> bytes:
    """Run Graphviz (``dot -T<format>``, or ``-K<engine>``) on DOT text and return what it writes.

    ``format`` is svg, png or pdf (a drawing) or json (the layout: positions
    and edge splines). ``timeout`` defaults to :data:`TIMEOUT` seconds.

    Raises
    ------
    RadGraphError
        ``dot`` is missing, fails, or takes longer than ``timeout`` seconds.
    """
    import subprocess

    if format not in ("svg", "png", "pdf", "json"):
        raise UsageError(f"render draws svg, png, pdf or json, not {format!r}")
    if engine not in ("dot", "sfdp"):
        raise UsageError(f"render lays out with dot or sfdp, not {engine!r}")
    timeout = TIMEOUT if timeout is None else timeout
    program = dot_program()
    args = [program, f"-T{format}"] + ([f"-K{engine}", "-Goverlap=prism", "-Gsplines=false"] if engine != "dot" else [])
    try:
        done = subprocess.run(args, input=dot.encode("utf-8"), capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RadGraphError(f"Graphviz {engine} took longer than {timeout:g} seconds; nothing was written "
                            "(give more time with --timeout, or draw a smaller view: --roles-only, --around)") from None
    except OSError as exc:
        raise RadGraphError(f"cannot run Graphviz dot ({program}): {exc.strerror or exc}") from None
    if done.returncode != 0 or not done.stdout:
        detail = " ".join(done.stderr.decode("utf-8", "replace").split())[:300] or f"exit status {done.returncode}"
        raise RadGraphError(f"Graphviz {engine} failed: {detail}")
    return done.stdout


def layout(G, timeout: float | None = None, edge_labels: bool = False) -> dict:
    """Graphviz's layout of a view, read from ``dot -Tjson``: where every node, band and edge goes.

    Returns ``{"width", "height", "nodes": {id: {"x", "y", "w", "h"}}, "edges":
    {(a, b): {"points": [[x, y], ...], "head": [x, y] or None}}, "bands":
    [{"tier", "x", "y", "w", "h"}]}`` in points, y pointing down (as in SVG): x, y of
    a node is its centre; an edge's points are a cubic B\u00e9zier spline
    (start, then three points per piece), ``head`` where its arrow ends.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b")])
    >>> placed = layout(G)
    >>> placed["nodes"]["a"]["y"] < placed["nodes"]["b"]["y"]  # dot draws a over b, top down
    False
    """
    import json

    engine = layout_engine(G)
    raw = json.loads(render(generate_dot(G, edge_labels=edge_labels, clusters=False), "json", timeout, engine))
    x0, y0, x1, y1 = (float(v) for v in raw["bb"].split(","))
    height = y1 - y0

    def point(text: str) -> list[float]:
        x, y = (float(v) for v in text.split(",")[-2:])
        return [round(x - x0, 2), round(height - (y - y0), 2)]

    objects = raw.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes, bands = {}, []
    for o in objects:
        name = o["name"]
        if name.startswith("cluster_tier") and "bb" in o:
            bx0, by0, bx1, by1 = (float(v) for v in o["bb"].split(","))
            bands.append({"tier": int(name.removeprefix("cluster_tier")) - 1, "x": round(bx0 - x0, 2),
                          "y": round(height - (by1 - y0), 2), "w": round(bx1 - bx0, 2), "h": round(by1 - by0, 2)})
        elif name in G and "pos" in o:
            x, y = point(o["pos"])
            nodes[name] = {"x": x, "y": y, "w": round(float(o["width"]) * 72, 2), "h": round(float(o["height"]) * 72, 2)}
    edges = {}
    for e in raw.get("edges", []):
        a, b = names.get(e["tail"]), names.get(e["head"])
        if a not in G or b not in G or not G.has_edge(a, b) or "pos" not in e:
            continue
        head, points = None, []
        for part in e["pos"].split():
            if part.startswith("e,"):
                head = point(part[2:])
            elif not part.startswith("s,"):
                points.append(point(part))
        edges[a, b] = {"points": points, "head": head}
    if is_ladder(G):  # one stripe per tier, across the whole width, from its lowest box to its highest
        by_tier: dict[int, list] = {}
        for n, box in nodes.items():
            by_tier.setdefault(int(G.nodes[n]["tier"]), []).append(box)
        for t, boxes in by_tier.items():
            top = min(b["y"] - b["h"] / 2 for b in boxes) - _BAND_HEAD
            bottom = max(b["y"] + b["h"] / 2 for b in boxes) + _BAND_FOOT
            bands.append({"tier": t, "x": 0.0, "y": round(top, 2), "w": round(x1 - x0, 2), "h": round(bottom - top, 2)})
        shift = -min([0.0] + [b["y"] for b in bands])  # room for the top band's heading
        if shift:
            height += shift
            for item in [*nodes.values(), *bands]:
                item["y"] = round(item["y"] + shift, 2)
            for route in edges.values():
                route["points"] = [[x, round(y + shift, 2)] for x, y in route["points"]]
                if route["head"]:
                    route["head"] = [route["head"][0], round(route["head"][1] + shift, 2)]
        height = max([height] + [b["y"] + b["h"] for b in bands])
    return {"width": round(x1 - x0, 2), "height": round(height, 2), "engine": engine,
            "nodes": nodes, "edges": edges, "bands": sorted(bands, key=lambda b: b["tier"])}


_BAND_HEAD, _BAND_FOOT = 32.0, 5.0  # points above a band's highest box (its heading) and below its lowest


def generate_svg(G, timeout: float | None = None) -> str:
    """The view drawn by Graphviz as SVG text (:func:`layout_engine` picks dot or sfdp)."""
    return render(generate_dot(G), "svg", timeout, layout_engine(G)).decode("utf-8")


def generate_png(G, timeout: float | None = None) -> bytes:
    """The view drawn by Graphviz as PNG bytes."""
    return render(generate_dot(G), "png", timeout, layout_engine(G))


def generate_pdf(G, timeout: float | None = None) -> bytes:
    """The view drawn by Graphviz as PDF bytes."""
    return render(generate_dot(G), "pdf", timeout, layout_engine(G))


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

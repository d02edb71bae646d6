"""A view as a Mermaid flowchart (GitHub and GitLab draw it in a ```mermaid block)."""

from __future__ import annotations

from pathlib import Path

from .files import write_atomic


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
    kind. The planner's views read by seniority, bottom to top (``flowchart
    BT``): one subgraph per tier, entry jobs first, each tied to the next by
    an invisible link (``~~~``) so that it is drawn above; the steps out of
    "no role yet" are left out unless on a path (:func:`drawn_view`).

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
    from .graphviz import is_ladder
    from .seniority import tier_of
    from .views import drawn_view

    G = drawn_view(G)
    ladder = is_ladder(G)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(G))}
    lines = ["flowchart BT" if ladder else "flowchart LR"]
    if ladder:
        bands: dict[int, list] = {}
        for n in sorted(G):
            bands.setdefault(int(G.nodes[n]["tier"]), []).append(n)
        for t in sorted(bands):
            tier = tier_of(t)
            lines.append(f'  subgraph tier{t + 1}["{mermaid_text(f"{tier.name}: {tier.rule}")}"]')
            lines.extend(f'    {ids[n]}["{mermaid_text(G.nodes[n].get("label", n))}"]' for n in bands[t])
            lines.append("  end")
        order = sorted(bands)
        for lower, upper in zip(order, order[1:], strict=False):  # each band above the one before
            lines.append(f"  {ids[bands[lower][-1]]} ~~~ {ids[bands[upper][0]]}")
    else:
        for n in sorted(G):
            lines.append(f'  {ids[n]}["{mermaid_text(G.nodes[n].get("label", n))}"]')
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        arrow = "==>" if d.get("on_path") else ("-.->" if d.get("direction") in ("down", "none") else "-->")
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


def write_mermaid(G, output) -> Path:
    """Write :func:`generate_mermaid` to ``output`` atomically."""
    return write_atomic(output, generate_mermaid(G))

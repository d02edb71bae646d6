"""The layered left-to-right layout the HTML page draws (the Graphviz formats lay out with ``dot``)."""

from __future__ import annotations

#: Edges that point back up the ladder (a requirement naming a role, a
#: credential counting as another): dropped first when layers need a DAG.
_BACK_EDGE_PRIORITY = {"role": 2, "countsAs": 1}


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


"""Pictures of a plan: the paths ``radgraph path`` found as a Mermaid flowchart or a Graphviz digraph."""

from __future__ import annotations

from .report import role_name, total_text


def _mermaid_text(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -.,()/'" else f"#{ord(ch)};" for ch in text)


def plan_mermaid(planner, paths) -> str:
    """A Mermaid flowchart of the paths: roles as nodes, steps as labelled edges."""
    model = planner.model
    ids: dict[str | None, str] = {}
    lines = ["flowchart LR"]

    def node(r: str | None) -> str:
        if r not in ids:
            ids[r] = f"n{len(ids)}"
            lines.append(f'  {ids[r]}["{_mermaid_text(role_name(model, r))}"]')
        return ids[r]

    edges = set()
    for p in paths:
        for s in p.steps:
            a, b = node(s.from_role), node(s.to_role)
            label = _mermaid_text(total_text(s.total, len(s.unknown)))
            if (a, b) not in edges:
                edges.add((a, b))
                lines.append(f'  {a} -->|"{label}"| {b}')
    return "\n".join(lines)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def plan_dot(planner, paths) -> str:
    """A Graphviz digraph of the paths."""
    model = planner.model
    lines = ["digraph path {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    seen = set()
    for p in paths:
        for s in p.steps:
            a, b = role_name(model, s.from_role), model.label(s.to_role)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            label = total_text(s.total, len(s.unknown))
            lines.append(f'  "{_dot_text(a)}" -> "{_dot_text(b)}" [label="{_dot_text(label)}"];')
    lines.append("}")
    return "\n".join(lines)


__all__ = ["plan_mermaid", "plan_dot"]

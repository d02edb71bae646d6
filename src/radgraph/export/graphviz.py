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

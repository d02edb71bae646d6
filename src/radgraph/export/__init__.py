"""Export the graph, or a view of it, to files other tools read.

Two kinds of output:

* **RDF** (``ttl``, ``nt``, ``jsonld``): the knowledge graph itself, every
  triple, vocabulary and provenance included; ``ctdl``: its data in CTDL
  (the Credential Engine's language), with what CTDL cannot say beside it.
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

Where things are:

=================  ==========================================================
``options``        the format names; :func:`check_options` before any work
``views``          the views above, and :func:`build_view`
``seniority``      the tiers (bands by seniority) and the ladder's steps
``layout``         layers left to right (kept for scripts; the pictures use Graphviz)
``rdf``            Turtle, N-Triples, JSON-LD (rdflib's writers)
``ctdl``           JSON-LD in CTDL, the Credential Engine's language
``network``        GraphML, GEXF (networkx's writers), Cytoscape.js JSON
``graphviz``       DOT text; SVG, PNG and PDF drawn by Graphviz; its layout as JSON
``mermaid``        Mermaid flowcharts
``page``           the HTML page; its markup, style and script are
                   ``page.html``, ``page.css`` and ``page.js`` beside it
``files``          writing a file all at once (:func:`write_atomic`)
=================  ==========================================================

This module holds the one entry point, :func:`generate` (and :func:`write`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .ctdl import ctdl_findings, generate_ctdl, write_ctdl
from .files import check_output, write_atomic
from .graphviz import (
    dot_program,
    dot_text,
    generate_dot,
    generate_pdf,
    generate_png,
    generate_svg,
    layout,
    layout_engine,
    render,
    write_dot,
    write_pdf,
    write_png,
    write_svg,
)
from .layout import layers
from .mermaid import generate_mermaid, mermaid_text, write_mermaid
from .network import (
    cytoscape_style,
    generate_cyjs,
    generate_gexf,
    generate_graphml,
    plain,
    positions,
    write_cyjs,
    write_gexf,
    write_graphml,
)
from .options import (
    BINARY_FORMATS,
    EXTENSIONS,
    FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    check_options,
    check_view,
    format_for,
)
from .page import (
    CSP,
    edge_detail,
    generate_html,
    html_data,
    node_detail,
    requirement_tree,
    script_json,
    write_html,
)
from .rdf import generate_jsonld, generate_nt, generate_ttl, jsonld_context, write_jsonld, write_nt, write_ttl
from .views import (
    EDGE_PROPERTIES,
    NODE_KINDS,
    START_ID,
    around_view,
    build_view,
    drawn_view,
    graph_view,
    ladder_view,
    path_view,
    requirement_index,
    requirement_label,
    step_attrs,
)


def generate(kg, format: str, roles_only: bool = False, around: str | None = None, depth: int | None = None,
             path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False,
             steps_down: bool = False, timeout: float | None = None,
             progress: Callable[[str], None] | None = None) -> str | bytes:
    """Export ``kg`` (or the view the options ask for) in ``format``; text, or bytes for png and pdf.

    Options are checked before any work (:func:`check_options`). ``timeout``
    bounds each run of Graphviz (seconds; :data:`~radgraph.export.graphviz.TIMEOUT`
    by default). ``progress``, when given, is called with a few words as each
    stage starts (``"working out the ladder"``, ``"laying out with Graphviz"``).

    Examples
    --------
    >>> import radgraph
    >>> print(generate(radgraph.load(), "mermaid", roles_only=True, around="Interventional Radiology Technologist"), end="")
    flowchart BT
      subgraph tier2["Technologists: 2 to 5 years to enter"]
        n1["Radiologic Technologist"]
      end
      subgraph tier3["Advanced and postprimary: 5 to 10 years, or entered from a role below"]
        n0["Interventional Radiology Technologist"]
      end
      n1 ~~~ n0
      n1 -->|"time not known, 3 credentials"| n0
      classDef role fill:#dbeafe,stroke:#1d4ed8
      class n0,n1 role
    """
    have = list(have)
    check_options(format, roles_only, around, depth, path, have, all_steps, steps_down)
    say = progress or (lambda stage: None)
    if format in RDF_FORMATS:
        say(f"writing {format}")
        return _RDF_WRITERS[format](kg.graph)
    say("working out the ladder" if roles_only or path is not None else "building the view")
    G = build_view(kg, roles_only=roles_only, around=around, depth=depth, path=path, have=have, all_steps=all_steps,
                   steps_down=steps_down)
    if format in _LAID_OUT:
        say(f"laying out {G.number_of_nodes()} nodes and {G.number_of_edges()} edges with Graphviz "
            f"{layout_engine(G)}")
    if format == "html":
        return generate_html(G, kg.model, timeout=timeout)
    if format in _LAID_OUT:
        return _GRAPH_WRITERS[format](G, timeout=timeout)
    return _GRAPH_WRITERS[format](G)


def write(kg, format: str, output: str | os.PathLike, **view) -> Path:
    """Export like :func:`generate` and write the result to ``output`` atomically; returns the path."""
    check_output(output)
    return write_atomic(output, generate(kg, format, **view))


#: The formats Graphviz lays out (and ``timeout`` bounds).
_LAID_OUT = ("svg", "png", "pdf", "html", "gexf", "cyjs")
_RDF_WRITERS = {"ttl": generate_ttl, "nt": generate_nt, "jsonld": generate_jsonld, "ctdl": generate_ctdl}
_GRAPH_WRITERS = {
    "graphml": generate_graphml, "gexf": generate_gexf, "cyjs": generate_cyjs, "dot": generate_dot,
    "svg": generate_svg, "png": generate_png, "pdf": generate_pdf, "mermaid": generate_mermaid,
}




__all__ = [
    "BINARY_FORMATS", "CSP", "EDGE_PROPERTIES", "EXTENSIONS", "FORMATS", "format_for", "GRAPH_FORMATS", "NODE_KINDS", "RDF_FORMATS", "START_ID",
    "around_view", "build_view", "check_options", "cytoscape_style", "drawn_view", "layout", "layout_engine",
    "positions", "check_output", "check_view", "ctdl_findings", "dot_program", "dot_text",
    "edge_detail", "generate", "generate_ctdl", "generate_cyjs", "generate_dot", "generate_gexf", "generate_graphml",
    "generate_html", "generate_jsonld", "generate_mermaid", "generate_nt", "generate_pdf", "generate_png",
    "generate_svg", "generate_ttl", "graph_view", "html_data", "jsonld_context", "ladder_view", "layers",
    "mermaid_text", "node_detail", "path_view", "plain", "render", "requirement_index", "requirement_label",
    "requirement_tree", "script_json", "step_attrs", "write", "write_atomic", "write_ctdl", "write_cyjs", "write_dot",
    "write_gexf", "write_graphml", "write_html", "write_jsonld", "write_mermaid", "write_nt", "write_pdf",
    "write_png", "write_svg", "write_ttl",
]

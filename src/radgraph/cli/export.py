"""export and ctdl-check: the graph, or a view of it, as files and pictures; what CTDL cannot say."""

from __future__ import annotations

import sys

import click

from .common import FORMATS_TEXT_JSON, Progress, State, echo_data, emit_json, handle_errors

__all__ = ["export", "ctdl_check", "Progress"]  # Progress lives in common (path uses it too)

#: radgraph.export.FORMATS, written out so that `radgraph --help` need not
#: import rdflib; tests/test_export.py keeps the two equal.
EXPORT_FORMATS = ("ttl", "nt", "jsonld", "ctdl", "graphml", "gexf", "cyjs", "dot", "svg", "png", "pdf", "mermaid", "html")


@click.command()
@click.option("--format", "format_", type=click.Choice(EXPORT_FORMATS), default=None,
              help="ttl, nt, jsonld: the RDF graph. ctdl: its data as CTDL JSON-LD. graphml, gexf, cyjs, dot, mermaid: a view as a graph file. "
                   "svg, png, pdf: drawn by Graphviz. html: one offline page to explore. "
                   "Default: from -o FILE's extension (.ttl, .nt, .jsonld, .ctdl.jsonld, .graphml, .gexf, .cyjs, .dot, .svg, "
                   ".png, .pdf, .mmd, .html).")
@click.option("-o", "--output", type=click.Path(), metavar="FILE",
              help="Write to FILE (all or nothing: a failed export leaves FILE as it was). Default: stdout.")
@click.option("--roles-only", is_flag=True, help="The career ladder: roles, and which role can follow which.")
@click.option("--around", metavar="ROLE", help="Only what lies within --depth links of ROLE.")
@click.option("--depth", type=click.IntRange(min=0), metavar="N", help="With --around: how many links away (default 1).")
@click.option("--path", "path_", nargs=2, metavar="FROM TO", help="The ladder with the best path from FROM to TO marked.")
@click.option("--have", multiple=True, metavar="CRED",
              help="With --roles-only or --path: a credential you already hold (repeatable).")
@click.option("--all-steps", is_flag=True,
              help="With --roles-only or --path: every possible step, not only those that help (see README).")
@click.option("--steps-down", is_flag=True,
              help="With --roles-only or --path: draw steps down (to a role quicker to enter) and moves that ask "
                   "for nothing new too.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True, max=86400), default=120, show_default=True,
              metavar="SECONDS", help="How long Graphviz may take to lay out a picture before the export gives up.")
@click.pass_obj
@handle_errors
def export(state: State, format_: str, output, roles_only: bool, around, depth, path_, have, all_steps: bool,
           steps_down: bool, timeout: float) -> None:
    """Export the graph, or a view of it: RDF, graph files, pictures, an HTML page.

    With no view option, the whole graph: roles, credentials, organizations
    and requirement nodes, linked by requires, member, credential, issuedBy,
    ... The RDF formats (ttl, nt, jsonld) always hold every triple.

    Without --format, the format is the one -o FILE's extension names.
    png and pdf are refused on a terminal: give -o FILE or redirect stdout.

    \b
    Examples:
      radgraph export -o radgraph.ttl
      radgraph export --format jsonld | jq '."@graph" | length'
      radgraph export --roles-only -o docs/ladder.svg
      radgraph export --roles-only -o ladder.html
      radgraph export --path none "Interventional Radiology Technologist" -o path.png
      radgraph export --around "Radiologic Technologist" --depth 2 -o rt.graphml
      radgraph export --roles-only --format mermaid

    On a terminal, an export that takes more than a second says on stderr
    what it is doing.
    """
    from .. import export as exporter
    from ..errors import UsageError

    if format_ is None:
        if output is None:
            raise UsageError("give --format, or -o FILE whose extension names the format (e.g. -o ladder.svg)")
        format_ = exporter.format_for(output)
    view = dict(roles_only=roles_only, around=around, depth=depth, path=tuple(path_) if path_ else None,
                have=have, all_steps=all_steps, steps_down=steps_down)
    exporter.check_options(format_, **view)
    if output is not None:
        exporter.check_output(output)
    elif format_ in exporter.BINARY_FORMATS and sys.stdout.isatty():
        raise UsageError(f"{format_} is binary: give -o FILE, or redirect stdout to a file")
    with Progress(sys.stderr) as progress:
        progress("loading the graph")
        # the planner's views need the model only: from the compiled cache, as `radgraph path` has it
        kg = _ModelOnly(state.model) if roles_only or path_ else state.kg
        content = exporter.generate(kg, format_, **view, timeout=timeout, progress=progress)
        if output is not None:
            progress(f"writing {output}")
            exporter.write_atomic(output, content)
    if output is not None:
        return
    if isinstance(content, bytes):
        echo_data(content, nl=False)  # click writes bytes to stdout's binary buffer
    else:
        echo_data(content, nl=not content.endswith("\n"))


class _ModelOnly:
    """What the export of a planner's view reads of a loaded graph: its model."""

    def __init__(self, model):
        self.model = model


@click.command("ctdl-check")
@click.option("--format", "format_", type=FORMATS_TEXT_JSON, default="text", show_default=True)
@click.pass_obj
@handle_errors
def ctdl_check(state: State, format_: str) -> None:
    """List what `export --format ctdl` cannot say in CTDL: required properties of the
    Credential Engine Registry's minimum data that no source gives ("missing": never filled
    in), and parts of requirement trees CTDL cannot express ("gap": kept in radgraph's terms).

    Each finding: NODE, then CLASS missing|gap: DETAIL.

    \b
    Examples:
      radgraph ctdl-check
      radgraph ctdl-check --format json | jq 'map(select(.kind == "gap"))'
    """
    from dataclasses import asdict

    from ..export import ctdl_findings
    from ..namespaces import shorten

    found = ctdl_findings(state.kg.graph)
    if format_ == "json":
        emit_json([asdict(f) for f in found])
    else:
        import textwrap

        for f in found:
            click.echo(shorten(f.node))
            click.echo(textwrap.fill(f"{f.cls} {f.kind}: {f.detail}", 80, initial_indent="  ",
                                     subsequent_indent="    "))

"""The export formats, and checking that the options given go together, before any work."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError

RDF_FORMATS = ("ttl", "nt", "jsonld", "ctdl")
GRAPH_FORMATS = ("graphml", "gexf", "cyjs", "dot", "svg", "png", "pdf", "mermaid", "html")
FORMATS = RDF_FORMATS + GRAPH_FORMATS
BINARY_FORMATS = ("png", "pdf")

#: The format a file name's extension stands for, when ``-o FILE`` is given without ``--format``
#: (the longest match wins: ``x.ctdl.jsonld`` is CTDL, ``x.jsonld`` JSON-LD).
EXTENSIONS = {
    ".ctdl.jsonld": "ctdl",
    ".ttl": "ttl", ".nt": "nt", ".jsonld": "jsonld", ".graphml": "graphml", ".gexf": "gexf", ".cyjs": "cyjs",
    ".dot": "dot", ".gv": "dot", ".svg": "svg", ".png": "png", ".pdf": "pdf", ".mmd": "mermaid",
    ".mermaid": "mermaid", ".html": "html", ".htm": "html",
}


def format_for(output: str | os.PathLike) -> str:
    """The export format the extension of ``output`` names, as riot and rdflib's tools read it.

    Raises
    ------
    UsageError
        The extension names no format (or there is none): give the format.

    Examples
    --------
    >>> format_for("ladder.ttl"), format_for("docs/Ladder.SVG"), format_for("ladder.mmd"), format_for("x.ctdl.jsonld")
    ('ttl', 'svg', 'mermaid', 'ctdl')
    >>> format_for("ladder.jpeg")
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: cannot tell the format of 'ladder.jpeg' from its extension (.jpeg): give --format, or a name ending in .ctdl.jsonld, .ttl, .nt, .jsonld, .graphml, .gexf, .cyjs, .dot, .svg, .png, .pdf, .mmd or .html
    """
    from ..errors import quoted

    name = Path(output).name.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(ext) and len(name) > len(ext):
            return EXTENSIONS[ext]
    suffix = Path(output).suffix
    shown = [ext for ext in EXTENSIONS if ext not in (".gv", ".mermaid", ".htm")]
    raise UsageError(f"cannot tell the format of {quoted(str(output))} from its extension "
                     f"({quoted(suffix)[1:-1] if suffix else 'none'}): give --format, or a name ending in "
                     f"{', '.join(shown[:-1])} or {shown[-1]}")


def check_options(format: str, roles_only: bool = False, around: str | None = None, depth: int | None = None,
                  path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False,
                  steps_down: bool = False) -> None:
    """Reject an unknown format and conflicting view options, before any work.

    Raises
    ------
    UsageError
        The message names the option that does not fit.

    Examples
    --------
    >>> check_options("svg", roles_only=True, around="Radiologist", depth=2)
    >>> check_options("ttl", roles_only=True)
    Traceback (most recent call last):
    ...
    radgraph.errors.UsageError: --roles-only draws a view; --format ttl exports the whole RDF graph
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    have = list(have)
    if format in RDF_FORMATS:
        for given, name in ((roles_only, "--roles-only"), (around is not None, "--around"),
                            (path is not None, "--path"), (have, "--have"), (all_steps, "--all-steps"),
                            (steps_down, "--steps-down"),
                            (depth is not None, "--depth")):
            if given:
                raise UsageError(f"{name} draws a view; --format {format} exports the whole RDF graph")
    check_view(roles_only, around, depth, path, have, all_steps, steps_down)


def check_view(roles_only: bool = False, around: str | None = None, depth: int | None = None,
               path: tuple[str, str] | None = None, have: Iterable[str] = (), all_steps: bool = False,
               steps_down: bool = False) -> None:
    """Reject view options that do not go together (see :func:`check_options`)."""
    have = list(have)
    if around is not None and path is not None:
        raise UsageError("--around and --path are two different views: give one")
    if depth is not None and around is None:
        raise UsageError("--depth applies to --around only")
    if depth is not None and depth < 0:
        raise UsageError(f"--depth must be 0 or more, not {depth}")
    if path is not None and len(path) != 2:
        raise UsageError("--path takes two roles: FROM TO")
    if have and not (roles_only or path is not None):
        raise UsageError("--have applies to --roles-only and --path (the planner's views)")
    if all_steps and not (roles_only or path is not None):
        raise UsageError("--all-steps applies to --roles-only and --path (the planner's views)")
    if steps_down and not (roles_only or path is not None):
        raise UsageError("--steps-down applies to --roles-only and --path (the planner's views)")

"""Redraw the career ladder's Mermaid block in the README (``make docs`` runs this).

    python tools/write_readme_mermaid.py README.md

The block is the real output of ``radgraph export --roles-only --format mermaid``,
between two marker comments; ``tests/test_export.py`` fails when it is stale.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import radgraph
from radgraph.export import generate_mermaid, ladder_view, write_atomic
from radgraph.model import Model

README_MERMAID_START = "<!-- ladder-mermaid: start (make docs writes this block) -->"
README_MERMAID_END = "<!-- ladder-mermaid: end -->"


def readme_mermaid(model: Model) -> str:
    """The README's Mermaid block: the career ladder, between its two marker comments."""
    return f"{README_MERMAID_START}\n```mermaid\n{generate_mermaid(ladder_view(model))}```\n{README_MERMAID_END}"


def write_readme_mermaid(readme: str | os.PathLike, model: Model) -> None:
    """Replace the ladder's Mermaid block in ``readme`` (between the markers) with a fresh one."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    start = text.index(README_MERMAID_START)
    end = text.index(README_MERMAID_END, start) + len(README_MERMAID_END)
    write_atomic(path, text[:start] + readme_mermaid(model) + text[end:])


if __name__ == "__main__":
    write_readme_mermaid(sys.argv[1] if len(sys.argv) > 1 else "README.md", radgraph.load().model)

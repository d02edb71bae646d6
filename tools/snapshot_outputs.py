"""Write every output radgraph makes into one folder, to show that a refactoring changed none.

    python tools/snapshot_outputs.py OUT_DIR
    python tools/snapshot_outputs.py --compare BEFORE_DIR AFTER_DIR

It writes `radgraph export` in every format and view (to files with -o, and html
also to stdout), `radgraph query` for every shipped query in every format on the
embedded graph, the same queries run by pyoxigraph (with their default
parameters bound by a VALUES row, and that query text), and `query --list`.
PDF files embed their creation date, so they are written without it. ``--compare``
wants every file byte for byte the same, except JSON-LD, whose order rdflib's writer
does not keep from one run to the next: there the same JSON, in any order.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from click.testing import CliRunner

import radgraph
from radgraph import sparql
from radgraph.cli import cli
from radgraph.export import FORMATS, RDF_FORMATS

VIEWS = {
    "whole": [],
    "ladder": ["--roles-only"],
    "ladder-all": ["--roles-only", "--all-steps"],
    "ladder-have": ["--roles-only", "--have", "High School Diploma"],
    "path": ["--path", "Radiology Assistant", "Interventional Radiology Technologist"],
    "path-none": ["--path", "none", "Radiologic Technologist", "--have", "High School Diploma"],
    "around": ["--around", "Radiologic Technologist", "--depth", "2"],
    "ladder-around": ["--roles-only", "--around", "rt"],
}


def run(*args: str) -> bytes:
    result = CliRunner().invoke(cli, list(args))
    return result.stdout_bytes + f"\n[exit {result.exit_code}]\n".encode()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        for view, args in VIEWS.items():
            if fmt in RDF_FORMATS and args:
                continue
            target = out / f"export-{view}.{fmt}"
            result = CliRunner().invoke(cli, ["export", "--format", fmt, *args, "-o", str(target)])
            assert result.exit_code == 0, (fmt, view, result.output)
            if fmt == "pdf":
                target.write_bytes(re.sub(rb"/CreationDate \([^)]*\)", b"", target.read_bytes()))
    (out / "export-ladder-stdout.html").write_bytes(run("export", "--roles-only", "--format", "html"))
    (out / "query-list.txt").write_bytes(run("query", "--list"))
    store = sparql.load_store(radgraph.load().files)
    for name in sparql.query_names():
        for fmt in sparql.FORMATS:
            (out / f"query-{name}.{fmt}").write_bytes(run("query", name, "--format", fmt))
        q = sparql.load_query(name)
        (out / f"values-{name}.rq").write_text(sparql.with_values(q, sparql.bind_params(q)), encoding="utf-8")
        fmt = "nt" if q.form in ("CONSTRUCT", "DESCRIBE") else "json"  # a graph has no results JSON
        (out / f"oxigraph-{name}.{fmt}").write_text(
            sparql.format_result(sparql.run_query_store(store, q), fmt), encoding="utf-8")


def _unordered(x):
    if isinstance(x, dict):
        return {k: _unordered(v) for k, v in x.items()}
    if isinstance(x, list):
        return sorted((_unordered(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
    return x


def compare(before: Path, after: Path) -> int:
    """Print each file that differs or is missing on one side; the number of them."""
    names = sorted({p.relative_to(before) for p in before.rglob("*") if p.is_file()}
                   | {p.relative_to(after) for p in after.rglob("*") if p.is_file()})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not (a.is_file() and b.is_file()):
            print(f"only in {'before' if a.is_file() else 'after'}: {name}")
        elif a.read_bytes() == b.read_bytes():
            continue
        elif name.suffix == ".jsonld" and _unordered(json.loads(a.read_bytes())) == _unordered(json.loads(b.read_bytes())):
            continue
        else:
            print(f"differs: {name}")
        bad += 1
    print(f"{len(names) - bad} of {len(names)} files the same")
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(1 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 0)
    main(Path(sys.argv[1]))

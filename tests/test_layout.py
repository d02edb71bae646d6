"""The layout of the code (STYLE.md): imports run one way, with no circle; only the CLI imports
click; every module and class keeps to a size a newcomer can read (STYLE.md: past about 500
lines, ask which jobs a module holds).

Imports are read from the source (AST), those inside functions included: a circle closed by a
function-level import still makes the modules impossible to understand one at a time. Imports
under ``if TYPE_CHECKING:`` are left out (they never run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from .conftest import ROOT

PACKAGE = ROOT / "src" / "radgraph"

#: The lowest layers: each may import only modules listed here (STYLE.md: cli -> features -> model -> vocabulary).
FOUNDATION = {"radgraph.errors", "radgraph.vocab", "radgraph.namespaces", "radgraph.model"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    assert "radgraph.export" in found and "radgraph.sparql.remote" in found
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str, path: Path) -> set[str]:
    """The radgraph modules ``name`` imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    known = modules()
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("radgraph"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("radgraph"):
                for alias in node.names:  # `from . import export` names a module
                    out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    out.discard(name)
    return out


def import_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for name, path in modules().items():
        G.add_node(name)
        for target in imports(name, path):
            # importing radgraph.x.y runs radgraph.x first; a package's own __init__ re-exporting its
            # modules is that same package, not a circle
            if not name.startswith(target + "."):
                G.add_edge(name, target)
    return G


def test_no_import_circle():
    G = import_graph()
    assert G.number_of_edges() > 20
    cycles = sorted(sorted(c) for c in nx.simple_cycles(G))
    assert cycles == [], f"import circles: {cycles}"


def test_the_foundation_imports_nothing_above_it():
    G = import_graph()
    for name in FOUNDATION:
        above = set(G.successors(name)) - FOUNDATION
        assert not above, f"{name} imports {sorted(above)}"


def test_only_the_cli_imports_click():
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert name == "radgraph.cli" or name.startswith("radgraph.cli.") or "click" not in names, name


#: Past these, a module or a class holds more than one job (issue #13).
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300


def test_every_module_and_class_is_small():
    found = modules()
    assert "radgraph.cli" in found and "radgraph.model" in found  # every module, not only the split packages
    for name, path in found.items():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        assert lines <= MAX_MODULE_LINES, f"{name}: {lines} lines"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                size = node.end_lineno - node.lineno + 1
                assert size <= MAX_CLASS_LINES, f"{name}.{node.name}: {size} lines"


def test_the_html_page_files_ship_with_the_package():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for name in ("page.html", "page.css", "page.js"):
        assert (PACKAGE / "export" / name).is_file()
        assert f'"export/*{Path(name).suffix}"' in pyproject, name

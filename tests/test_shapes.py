"""Each SHACL shape rejects its own hand-made bad file; the shipped graph conforms."""

from __future__ import annotations

import pytest

import radgraph
from radgraph.kg import load_graph, validate_graph

from .conftest import FIXTURES

BAD = sorted((FIXTURES / "bad").glob("*.ttl"))


def test_fixtures_are_discovered():
    assert len(BAD) >= 10


def test_shipped_graph_conforms():
    graph, _ = load_graph()
    assert validate_graph(graph) == []


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_shape_rejects_bad_file(path):
    expected = next(line.split("expect:", 1)[1].strip() for line in path.read_text().splitlines() if "expect:" in line)
    with pytest.raises(radgraph.NotConformingError) as info:
        radgraph.load([path])
    assert any(v.startswith(expected) for v in info.value.violations), info.value.violations
    assert info.value.exit_code == 3


# the shipped graph, and bad files that fail a property shape, the cycle check and a class check
SOME_BAD = [FIXTURES / "bad" / f"{n}.ttl" for n in ("missing-label", "requirement-cycle", "undefined-credential")]


@pytest.mark.parametrize("path", [None, *SOME_BAD], ids=["shipped", *(p.stem for p in SOME_BAD)])
def test_validation_reads_the_graph_and_changes_nothing(path):
    """pySHACL runs in place (no copy of the graph): the graph after a check, passing or failing, holds
    exactly the triples it held before, and the shapes hold no rule that could add any."""
    from rdflib import Graph, URIRef

    from radgraph.datafiles import shapes_file

    graph, _ = load_graph([path] if path else [])
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before
    shapes = Graph().parse(shapes_file(), format="turtle")
    assert not list(shapes.triples((None, URIRef("http://www.w3.org/ns/shacl#rule"), None)))

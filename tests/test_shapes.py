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

"""radgraph.export and `radgraph export`: every format read back by its real reader, the views, the
option checks, atomic writes, and the README's pictures kept current.

Graphviz (`dot`) and Mermaid's parser (Node + tests/mermaid) must be present in CI (CI=true): a
skip there is a failure (see conftest.NO_SKIP_IN_CI).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

import radgraph
from radgraph import export
from radgraph.cli import cli
from radgraph.cli.export import EXPORT_FORMATS
from radgraph.planner import Planner, rank_key

from .conftest import ROOT, _in_ci

MERMAID_DIR = ROOT / "tests" / "mermaid"
_spec = importlib.util.spec_from_file_location("write_readme_mermaid", ROOT / "tools" / "write_readme_mermaid.py")
readme_tool = importlib.util.module_from_spec(_spec)  # `make docs` runs it; it is not part of the library
_spec.loader.exec_module(readme_tool)
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def fails(*args):
    """Run the CLI expecting an error: returns (exit code, stderr)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        message = f"{program} is missing (apt-get install graphviz); .ci/run installs it"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def ladder(model):
    return export.ladder_view(model)


@pytest.fixture(scope="session")
def whole(kg):
    return export.graph_view(kg)


@pytest.fixture(scope="session")
def hostile_kg(tmp_path_factory):
    """The shipped graph plus a user file whose role, quote and source labels are hostile markup."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.ttl"
    path.write_text(HOSTILE_TTL, encoding="utf-8")
    return radgraph.load([path])


HOSTILE_TTL = f"""
@prefix rg:   <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix cred: <https://w3id.org/radgraph/id/credential/> .
@prefix ex:   <https://example.org/hostile/> .

ex:role a rg:Role ;
    skos:prefLabel {json.dumps(HOSTILE)} ;
    rg:requires ex:req ;
    prov:wasDerivedFrom ex:ev .
ex:req a rg:CredentialRequirement ; rg:credential cred:high-school-diploma ; prov:wasDerivedFrom ex:ev .
ex:ev a rg:Evidence ; rg:inSource ex:src ; rg:section "<b>bold</b> & \\"quoted\\" \\\\N" ;
    rg:quote "</script><script>window.__pwned=3</script>" .
ex:src a rg:Source ; rdfs:label "<img src=x onerror=window.__pwned=4>" .
"""

HOSTILE_ID = "https://example.org/hostile/role"


# ------------------------------------------------------------------ the format list


def test_cli_formats_are_the_library_formats():
    assert EXPORT_FORMATS == export.FORMATS
    assert len(export.FORMATS) == 13


# ------------------------------------------------------------------ RDF, read back by rdflib


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_export_is_isomorphic_to_the_graph(tmp_path, kg, fmt, rdflib_format):
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    back = rdflib.Graph().parse(out, format=rdflib_format)
    assert len(back) == len(kg.graph)
    assert isomorphic(back, kg.graph)


def test_rdf_to_stdout_includes_user_data(tmp_path, hostile_kg):
    user = tmp_path / "hostile.ttl"
    user.write_text(HOSTILE_TTL, encoding="utf-8")
    result = run("--data", str(user), "export", "--format", "ttl")
    assert result.exit_code == 0
    back = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert isomorphic(back, hostile_kg.graph)
    assert (rdflib.URIRef(HOSTILE_ID), rdflib.namespace.SKOS.prefLabel, rdflib.Literal(HOSTILE)) in back


def test_ntriples_are_sorted_and_stable(kg):
    text = export.generate_nt(kg.graph)
    lines = text.splitlines()
    assert lines == sorted(lines) and len(lines) == len(kg.graph)
    assert export.generate_nt(kg.graph) == text


def test_jsonld_is_compacted_with_our_prefixes_and_terms(kg):
    doc = json.loads(export.generate_jsonld(kg.graph))
    ctx = doc["@context"]
    for prefix, ns in radgraph.namespaces.PREFIXES.items():
        assert ctx[prefix] == ns
    assert ctx["Role"] == "rg:Role" and ctx["requires"] == {"@id": "rg:requires", "@type": "@id"}
    by_id = {node["@id"]: node for node in doc["@graph"]}
    rt = by_id["role:radiologic-technologist"]
    assert rt["@type"] == "Role" and rt["prefLabel"] == "Radiologic Technologist"
    assert rt["requires"] == "req:radiologic-technologist"
    # the alignment to schema.org and CTDL travels with the data, as the vocabulary states it
    role_class = by_id["rg:Role"]
    assert "schema:Occupation" in json.dumps(role_class["rdfs:subClassOf"])
    assert "ceterms:Occupation" in json.dumps(role_class["skos:closeMatch"])


def test_jsonld_context_never_shadows_a_prefix(kg):
    ctx = export.jsonld_context(kg.graph)
    for prefix, ns in radgraph.namespaces.PREFIXES.items():
        assert ctx[prefix] == ns, prefix  # rg:role, rg:setting, rg:kind would otherwise take role:, setting:, kind:


# ------------------------------------------------------------------ views


def test_whole_view_has_every_named_node_and_the_links(kg, whole):
    m = kg.model
    kinds = nx.get_node_attributes(whole, "kind")
    assert {n for n, k in kinds.items() if k == "role"} == {radgraph.namespaces.shorten(r) for r in m.roles}
    assert {n for n, k in kinds.items() if k == "credential"} == {radgraph.namespaces.shorten(c) for c in m.credentials}
    assert {n for n, k in kinds.items() if k == "organization"} == {radgraph.namespaces.shorten(o)
                                                                   for o in m.organizations}
    assert whole.edges["cred:arrt-certification", "agent:arrt"]["label"] == "issuedBy"
    assert whole.edges["role:radiologist", "req:radiologist"]["label"] == "requires"
    assert whole.nodes["req:radiologic-technologist"]["label"] == "all of"
    assert not any(k in ("evidence", "source") for k in kinds.values())
    # every edge is a triple of the graph, with the property it is named after
    for a, b, d in whole.edges(data=True):
        for name in d["label"].split(", "):
            s, o = rdflib.URIRef(whole.nodes[a]["iri"]), rdflib.URIRef(whole.nodes[b]["iri"])
            assert (s, radgraph.namespaces.RG[name], o) in kg.graph


def test_ladder_edges_are_the_rungs_of_the_role_graph(model):
    """The ladder's steps, computed only where a role can help, are the planner's whole role graph's rungs."""
    R = Planner(model).role_graph()
    ids = {r: radgraph.namespaces.shorten(r) for r in model.roles}
    ids["none"] = "none"
    base = {b: d["step"] for a, b, d in R.edges(data=True) if a == "none"}
    expected = set()
    for a, b, d in R.edges(data=True):
        if a == "none" or b not in base or rank_key((d["step"],)) < rank_key((base[b],)):
            expected.add((ids[a], ids[b]))
    ladder = export.ladder_view(model, steps_down=True)
    assert set(ladder.edges()) == expected
    assert 0 < ladder.number_of_edges() < R.number_of_edges()
    assert set(ladder) == set(ids.values())
    for a, b, d in ladder.edges(data=True):
        step = R.edges[ladder.nodes[a]["iri"] or "none", ladder.nodes[b]["iri"]]["step"]
        assert d["step"] == step
        assert d["earn"] == "; ".join(model.label(c) for c in step.earn)
        assert "0 months" not in d["label"] and "not stated" not in d["label"] and "earn " not in d["label"]
    every = export.ladder_view(model, all_steps=True)
    assert set(every.edges()) == {(ids[a], ids[b]) for a, b in R.edges()}


def test_ladder_all_steps_is_the_whole_role_graph(model):
    R = Planner(model).role_graph()
    assert export.ladder_view(model, all_steps=True).number_of_edges() == R.number_of_edges()


def test_ladder_with_have_needs_less(model, ladder):
    with_diploma = export.ladder_view(model, have=["High School Diploma"])
    before = ladder.edges["none", "role:radiology-tech-assistant"]["earn"]
    after = with_diploma.edges["none", "role:radiology-tech-assistant"]["earn"]
    assert "High School Diploma" in before and "High School Diploma" not in after


def test_path_view_marks_the_planners_best_path(model):
    G = export.path_view(model, "Radiology Assistant", "Interventional Radiology Technologist")
    best = Planner(model).plan("Radiology Assistant", "Interventional Radiology Technologist")[0]
    on = sorted((d["path_index"], n) for n, d in G.nodes(data=True) if d["on_path"])
    assert [n for _, n in on] == [radgraph.namespaces.shorten(r) for r in best.roles]
    path_edges = {(a, b) for a, b, d in G.edges(data=True) if d["on_path"]}
    assert path_edges == {(radgraph.namespaces.shorten(s.from_role), radgraph.namespaces.shorten(s.to_role))
                          for s in best.steps}
    for s in best.steps:
        d = G.edges[radgraph.namespaces.shorten(s.from_role), radgraph.namespaces.shorten(s.to_role)]
        assert d["step"] == s
        assert d.get("months") == (None if s.unknown else s.months)  # an unknown length is no number, not 0


def test_path_view_from_none(model):
    G = export.path_view(model, "none", "Radiologic Technologist")
    assert G.nodes["none"]["on_path"] == 1 and G.edges["none", "role:radiologic-technologist"]["on_path"] == 1


def test_around_view_depths(whole):
    center = "role:radiologic-technologist"
    assert list(export.around_view(whole, center, 0)) == [center]
    one = export.around_view(whole, center, 1)
    assert set(one) == {center, *whole.successors(center), *whole.predecessors(center)}
    two = export.around_view(whole, center, 2)
    assert set(one) < set(two)
    assert one.nodes[center]["center"] == 1


def test_build_view_resolves_names_and_checks_before_work(kg):
    G = export.build_view(kg, around="RT", depth=1)
    assert "role:radiologic-technologist" in G and "req:radiologic-technologist" in G
    with pytest.raises(radgraph.UnknownNameError):
        export.build_view(kg, around="Radiology Astronaut")


def test_layers_point_forward_except_the_edges_set_aside():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "d")])
    G.edges["c", "a"]["months"] = 9  # the dearest edge of the cycle is the one set aside
    placed = export.layers(G)
    assert placed == export.layers(G.copy())  # deterministic
    assert [placed[n][0] for n in "abcd"] == [0, 1, 2, 1]
    assert sorted(placed[n][1] for n in ("b", "d")) == [0, 1]


def test_layers_of_the_ladder_keep_the_path_forward(model):
    G = export.path_view(model, "Radiology Assistant", "Interventional Radiology Technologist")
    placed = export.layers(G)
    path = sorted((d["path_index"], n) for n, d in G.nodes(data=True) if d["on_path"])
    assert [placed[n][0] for _, n in path] == sorted(placed[n][0] for _, n in path)
    assert len({placed[n][0] for _, n in path}) == len(path)


# ------------------------------------------------------------------ graph files, read back


def _check_plain_attributes(G):
    for _, d in G.nodes(data=True):  # GEXF's viz (colour, position) is read back as a dict
        assert all(isinstance(v, (str, int, float)) for k, v in d.items() if k != "viz"), d
    for _, _, d in G.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in d.values()), d


@pytest.mark.parametrize("view", [[], ["--roles-only"], ["--path", "none", "Interventional Radiology Technologist"],
                                  ["--around", "Radiologist", "--depth", "2"]], ids=["whole", "ladder", "path", "around"])
@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_read_back_with_networkx(tmp_path, kg, view, fmt, reader):
    out = tmp_path / f"view.{fmt}"
    assert run("export", *view, "--format", fmt, "-o", str(out)).exit_code == 0
    back = reader(out)
    expected = export.build_view(kg, roles_only="--roles-only" in view,
                                 around="Radiologist" if "--around" in view else None,
                                 depth=2 if "--depth" in view else None,
                                 path=("none", "Interventional Radiology Technologist") if "--path" in view else None)
    assert set(back) == set(expected)
    assert set(back.edges()) == set(expected.edges())
    _check_plain_attributes(back)
    for n, d in expected.nodes(data=True):
        assert back.nodes[n]["label"] == d["label"] and back.nodes[n]["kind"] == d["kind"]
    for a, b, d in expected.edges(data=True):
        assert back.edges[a, b]["label"] == d["label"]
        if "months" in d:
            assert float(back.edges[a, b]["months"]) == d["months"]
        if "on_path" in d:
            assert int(back.edges[a, b]["on_path"]) == d["on_path"]


def test_graphml_keeps_hostile_labels_as_text(hostile_kg):
    G = export.ladder_view(hostile_kg.model)
    back = nx.parse_graphml(export.generate_graphml(G))
    assert back.nodes[radgraph.namespaces.shorten(HOSTILE_ID)]["label"] == HOSTILE


def test_cyjs_elements(ladder):
    doc = json.loads(export.generate_cyjs(ladder))
    assert set(doc) == {"elements", "style"} and set(doc["elements"]) == {"nodes", "edges"}
    nodes = doc["elements"]["nodes"]
    ids = [n["data"]["id"] for n in nodes]
    assert sorted(ids) == sorted(ladder) and len(set(ids)) == len(ids)
    edges = doc["elements"]["edges"]
    assert len(edges) == ladder.number_of_edges()
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    for e in edges:
        assert e["data"]["source"] in ids and e["data"]["target"] in ids
        assert "step" not in e["data"]
        if e["data"]["unknown"]:  # a length not known is left out, never written as 0
            assert "months" not in e["data"]
        else:
            assert isinstance(e["data"]["months"], float)
    rt = next(n for n in nodes if n["data"]["id"] == "role:radiologic-technologist")
    assert rt["classes"] == "role tier-1" and rt["data"]["label"] == "Radiologic Technologist"


def test_cyjs_path_classes(model):
    doc = json.loads(export.generate_cyjs(export.path_view(model, "none", "Radiologic Technologist")))
    marked = [e["data"]["source"] + ">" + e["data"]["target"] for e in doc["elements"]["edges"]
              if e.get("classes") == "on-path"]
    assert marked == ["none>role:radiologic-technologist"]


# ------------------------------------------------------------------ DOT and Graphviz


def _svg_nodes(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    return [g.find("svg:title", ns).text for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]


@pytest.mark.parametrize("view", [[], ["--roles-only"], ["--path", "Radiology Assistant", "rt"]], ids=["whole", "ladder", "path"])
def test_dot_renders_with_graphviz(kg, view):
    dot = need("dot")
    result = run("export", *view, "--format", "dot")
    assert result.exit_code == 0
    done = subprocess.run([dot, "-Tsvg"], input=result.stdout.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    G = export.build_view(kg, roles_only="--roles-only" in view,
                          path=("Radiology Assistant", "rt") if "--path" in view else None)
    drawn = [n for n in _svg_nodes(done.stdout.decode()) if not n.startswith("tier-")]  # tier-*: hidden band anchors
    assert sorted(drawn) == sorted(export.drawn_view(G))


def test_dot_is_sorted_and_stable(ladder):
    text = export.generate_dot(ladder)
    assert export.generate_dot(ladder.copy()) == text
    node_lines = [line for line in text.splitlines() if line.startswith('  "') and " -> " not in line]
    assert node_lines == sorted(node_lines)


def test_dot_escapes_hostile_labels(hostile_kg):
    need("dot")
    G = export.ladder_view(hostile_kg.model)
    svg = export.generate_svg(G)
    root = ET.fromstring(svg)
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert HOSTILE in " ".join(texts)  # wrapped into lines at its spaces
    assert "<script" not in svg  # escaped by Graphviz as &lt;script


@pytest.mark.parametrize(("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_pictures_have_their_magic_bytes(tmp_path, fmt, magic):
    need("dot")
    out = tmp_path / f"ladder.{fmt}"
    result = run("export", "--roles-only", "--format", fmt, "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, "")
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    if fmt == "svg":
        assert "role:radiologic-technologist" in _svg_nodes(data.decode())


def test_png_to_stdout_is_bytes():
    need("dot")
    result = run("export", "--roles-only", "--format", "png")
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"\x89PNG\r\n\x1a\n")


def test_missing_graphviz_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no dot anywhere
    code, err = fails("export", "--roles-only", "--format", "svg", "-o", str(tmp_path / "x.svg"))
    assert code == 1
    assert err.startswith("Error: drawing svg, png or pdf needs the Graphviz 'dot' program: apt-get install graphviz")
    assert err.count("\n") == 1 and not (tmp_path / "x.svg").exists()


# ------------------------------------------------------------------ Mermaid


MERMAID_NODE = re.compile(r'^ {2,4}(n\d+)\["([^"]*)"\]$')
MERMAID_EDGE = re.compile(r'^  (n\d+) (-->|==>|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$')
MERMAID_BAND = re.compile(r'^  (subgraph tier\d+\["[^"]*"\]|end|n\d+ ~~~ n\d+)$')


def _unescape(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def mermaid_structure(text: str):
    """Check a flowchart line by line; return ({id: label}, [(a, arrow, label, b)])."""
    lines = text.splitlines()
    assert lines[0] in ("flowchart LR", "flowchart BT")  # BT: the planner's views, by seniority
    nodes: dict[str, str] = {}
    edges = []
    for line in lines[1:]:
        if m := MERMAID_NODE.match(line):
            assert m.group(1) not in nodes, f"declared twice: {line}"
            nodes[m.group(1)] = _unescape(m.group(2))
        elif MERMAID_BAND.match(line):
            assert lines[0] == "flowchart BT", line
        elif m := MERMAID_EDGE.match(line):
            assert m.group(1) in nodes and m.group(4) in nodes, f"edge to an undeclared node: {line}"
            edges.append((m.group(1), m.group(2), _unescape(m.group(3) or ""), m.group(4)))
        else:
            assert re.match(r"^  (classDef [a-z]+ \S+|class n\d+(,n\d+)* [a-z]+)$", line), line
    return nodes, edges


@pytest.mark.parametrize("view", ["whole", "ladder", "path", "hostile"])
def test_mermaid_structure(kg, hostile_kg, view):
    G = {"whole": lambda: export.graph_view(kg), "ladder": lambda: export.ladder_view(kg.model),
         "path": lambda: export.path_view(kg.model, "Radiology Assistant", "Interventional Radiology Technologist"),
         "hostile": lambda: export.ladder_view(hostile_kg.model)}[view]()
    nodes, edges = mermaid_structure(export.generate_mermaid(G))
    G = export.drawn_view(G)  # the start's steps are in the boxes' words, unless on a path
    assert sorted(nodes.values()) == sorted(G.nodes[n]["label"] for n in G)
    assert len(edges) == G.number_of_edges()
    assert {(nodes[a], nodes[b]) for a, _, _, b in edges} == {(G.nodes[a]["label"], G.nodes[b]["label"]) for a, b in G.edges()}
    thick = sum(1 for e in edges if e[1] == "==>")
    assert thick == sum(1 for _, _, d in G.edges(data=True) if d.get("on_path"))


@pytest.fixture(scope="session")
def mermaid_parser():
    """Mermaid's own parser in Node (tests/mermaid, installed by `npm ci`); no browser needed."""
    node = shutil.which("node")
    if node is None or not (MERMAID_DIR / "node_modules" / "mermaid").is_dir():
        message = ("Mermaid's parser is missing: cd tests/mermaid && npm ci (needs Node.js); "
                   "make test and .ci/run do it when npm is there")
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)

    def parse(text: str) -> dict:
        done = subprocess.run([node, str(MERMAID_DIR / "parse.mjs")], input=text.encode(), capture_output=True,
                              timeout=120)
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)

    return parse


def test_mermaid_parser_rejects_broken_text(mermaid_parser):
    with pytest.raises(AssertionError, match="Parse error"):
        mermaid_parser('flowchart LR\n  n0["a" -->\n')


@pytest.mark.parametrize("view", ["whole", "ladder", "path", "hostile"])
def test_mermaid_reads_what_we_wrote(kg, hostile_kg, mermaid_parser, view):
    G = {"whole": lambda: export.graph_view(kg), "ladder": lambda: export.ladder_view(kg.model),
         "path": lambda: export.path_view(kg.model, "none", "Interventional Radiology Technologist"),
         "hostile": lambda: export.ladder_view(hostile_kg.model)}[view]()
    text = export.generate_mermaid(G)
    parsed = mermaid_parser(text)
    G = export.drawn_view(G)
    parsed["edges"] = [e for e in parsed["edges"] if e[3] != "invisible"]  # ~~~: a band above the one before
    assert parsed["type"] == "flowchart-v2"
    ids = {n: f"n{i}" for i, n in enumerate(sorted(G))}
    assert parsed["vertices"] == {ids[n]: G.nodes[n]["label"] for n in G}
    assert sorted(tuple(e[:3]) for e in parsed["edges"]) == sorted((ids[a], ids[b], d["label"])
                                                                  for a, b, d in G.edges(data=True))
    assert sum(1 for e in parsed["edges"] if e[3] == "thick") == sum(1 for *_, d in G.edges(data=True) if d.get("on_path"))


# ------------------------------------------------------------------ options, checked before any work


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "ttl", "--roles-only"], "--roles-only draws a view; --format ttl exports the whole RDF graph"),
    (["--format", "jsonld", "--around", "rt"], "--around draws a view; --format jsonld exports the whole RDF graph"),
    (["--format", "nt", "--path", "none", "rt"], "--path draws a view; --format nt exports the whole RDF graph"),
    (["--format", "svg", "--around", "rt", "--path", "none", "rt"], "--around and --path are two different views: give one"),
    (["--format", "svg", "--depth", "2"], "--depth applies to --around only"),
    (["--format", "svg", "--have", "GED"], "--have applies to --roles-only and --path (the planner's views)"),
    (["--format", "dot", "--all-steps"], "--all-steps applies to --roles-only and --path (the planner's views)"),
])
def test_conflicting_options_exit_2_before_any_work(monkeypatch, args, message):
    def no_work(*a, **k):
        raise AssertionError("the graph was loaded before the options were checked")

    monkeypatch.setattr("radgraph.kg.load", no_work)
    code, err = fails("export", *args)
    assert (code, err) == (2, f"Error: {message}\n")


def test_unknown_format_and_missing_format_exit_2():
    code, err = fails("export", "--format", "jpeg")
    assert code == 2 and "Invalid value for '--format'" in err
    code, err = fails("export")
    assert (code, err) == (2, "Error: give --format, or -o FILE whose extension names the format (e.g. -o ladder.svg)\n")


def test_unknown_role_exit_2_and_nothing_written(tmp_path):
    out = tmp_path / "x.svg"
    code, err = fails("export", "--around", "Radiology Astronaut", "--format", "svg", "-o", str(out))
    assert code == 2 and err.startswith("Error: no role matches 'Radiology Astronaut'. Did you mean:")
    assert list(tmp_path.iterdir()) == []


def test_same_role_path_exit_2():
    code, err = fails("export", "--path", "rt", "Radiologic Technologist", "--format", "mermaid")
    assert (code, err) == (2, "Error: FROM and TO are the same role: Radiologic Technologist\n")


def test_text_to_stdout():
    result = run("export", "--roles-only", "--format", "mermaid")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == export.generate_mermaid(export.ladder_view(radgraph.load().model))


# ------------------------------------------------------------------ atomic writes


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_failing_render_leaves_the_target_untouched(tmp_path, monkeypatch):
    need("dot")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dot").write_text("#!/bin/sh\nprintf '<svg><g>partial'\necho 'Error: syntax error in line 1' >&2\nexit 1\n")
    (fake / "dot").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ.get('PATH', '')}")
    target = tmp_path / "ladder.svg"
    target.write_text("the old picture")
    code, err = fails("export", "--roles-only", "--format", "svg", "-o", str(target))
    assert (code, err) == (1, "Error: Graphviz dot failed: Error: syntax error in line 1\n")
    assert target.read_text() == "the old picture"
    assert _no_temp_files(tmp_path)


def test_failed_rename_leaves_the_target_untouched(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    code, err = fails("export", "--format", "ttl", "-o", str(target))
    assert (code, err) == (1, f"Error: cannot write {target}: No space left on device\n")
    assert target.read_text() == "old" and _no_temp_files(tmp_path)


def test_missing_folder_is_one_line_exit_2(tmp_path):
    out = tmp_path / "no" / "such" / "graph.ttl"
    code, err = fails("export", "--format", "ttl", "-o", str(out))
    assert (code, err) == (2, f"Error: {out}: no such folder: {out.parent}\n")


def test_output_that_is_a_folder_exit_2(tmp_path):
    code, err = fails("export", "--format", "ttl", "-o", str(tmp_path))
    assert (code, err) == (2, f"Error: {tmp_path}: is a folder; give a file name\n")


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody can add a file to: chmod for a user; for root (whom chmod does not stop),
    the immutable attribute (chattr +i), which stops root too."""
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "graph.ttl").write_text("old")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    chattr = shutil.which("chattr")
    done = subprocess.run([chattr, "+i", str(folder)], capture_output=True) if chattr else None
    if done is None or done.returncode != 0:
        message = "cannot make a read-only folder as root here (chattr +i failed)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_read_only_folder_is_one_line_exit_1(read_only_folder):
    target = read_only_folder / "graph.ttl"
    code, err = fails("export", "--format", "ttl", "-o", str(target))
    assert code == 1
    assert re.fullmatch(rf"Error: cannot write {re.escape(str(target))}: (Permission denied|Operation not permitted)\n",
                        err), err
    assert target.read_text() == "old"
    assert sorted(p.name for p in read_only_folder.iterdir()) == ["graph.ttl"]


def test_new_file_mode_follows_umask_and_replaced_file_keeps_its_mode(tmp_path):
    old = os.umask(0o022)
    try:
        new = export.write_atomic(tmp_path / "new.txt", "x")
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_text("y")
        kept.chmod(0o600)
        export.write_atomic(kept, "z")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_text() == "z"
    finally:
        os.umask(old)


def test_write_functions_write_what_generate_returns(tmp_path, kg, ladder):
    need("dot")
    for name in export.FORMATS:
        writer = getattr(export, f"write_{name}")
        generator = getattr(export, f"generate_{name}")
        source = kg.graph if name in export.RDF_FORMATS else ladder
        out = writer(source, tmp_path / f"out.{name}")
        expected = generator(source)
        if name in ("png", "pdf"):
            assert out.read_bytes()[:4] == expected[:4]  # embedded dates may differ
        else:
            assert out.read_text(encoding="utf-8") == expected, name


# ------------------------------------------------------------------ the README's pictures


def test_readme_ladder_svg_is_a_fresh_render():
    need("dot")
    committed = (ROOT / "docs" / "ladder.svg").read_text(encoding="utf-8")
    result = run("export", "--roles-only", "--format", "svg")
    assert result.exit_code == 0
    assert result.stdout == committed, "docs/ladder.svg is stale: run `make docs`"
    assert "![" in (ROOT / "README.md").read_text() and "(docs/ladder.svg)" in (ROOT / "README.md").read_text()


def test_readme_mermaid_block_is_current(model):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_tool.readme_mermaid(model) in readme, "the README's Mermaid ladder is stale: run `make docs`"
    block = re.search(r"```mermaid\n(.*?)```", readme, re.S).group(1)
    mermaid_structure(block)


def readme_export_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Export and pictures")
    end = text.find("\n## ", start + 1)
    section = text[start:] if end < 0 else text[start:end]
    return [line for block in re.findall(r"```sh\n(.*?)```", section, re.S)
            for line in block.splitlines() if line.startswith("radgraph ")]


def test_readme_export_commands_work(tmp_path, monkeypatch):
    need("dot")
    commands = readme_export_commands()
    assert len(commands) >= 8
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    seen = set()
    for command in commands:
        args = shlex.split(command)[1:]
        for pipe in ("|", ">"):
            if pipe in args:
                args = args[: args.index(pipe)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, f"{command}: {result.output}"
        fmt = args[args.index("--format") + 1] if "--format" in args else export.format_for(args[args.index("-o") + 1])
        seen.add(fmt)
        if "-o" in args:
            assert Path(args[args.index("-o") + 1]).stat().st_size > 0
    assert {"ttl", "jsonld", "svg", "png", "html", "mermaid", "graphml", "cyjs"} <= seen


def test_make_docs_target_writes_every_picture():
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^docs:.*?(?=^\S|\Z)", makefile, re.S | re.M).group(0)
    assert "export --roles-only --format svg -o docs/ladder.svg" in target
    assert "write_readme_mermaid" in target
    assert "tools/screenshot_page.py docs" in target


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head.startswith(b"\x89PNG\r\n\x1a\n"), path
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_readme_screenshots_are_of_the_current_page(model):
    """The page in docs/ is a fresh export, and the screenshots were taken of that very page, at both sizes."""
    need("dot")
    import hashlib

    page = ROOT / "docs" / "ladder.html"
    assert page.read_text(encoding="utf-8") == export.generate_html(export.ladder_view(model), model), \
        "docs/ladder.html is stale: run `make docs`"
    record = json.loads((ROOT / "docs" / "screenshots.json").read_text(encoding="utf-8"))
    assert record["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest(), \
        "the README's screenshots are of an older page: run `make docs`"
    assert record["screenshots"] == {"ladder-phone.png": [390, 844], "ladder-desktop.png": [1400, 900]}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, size in record["screenshots"].items():
        assert _png_size(ROOT / "docs" / name) == tuple(size), name
        assert f'src="docs/{name}"' in readme, name


def test_module_imports_no_click_and_prints_nothing():
    import ast

    modules = sorted((ROOT / "src" / "radgraph" / "export").glob("*.py"))
    assert len(modules) > 5
    for module in modules:
        tree = ast.parse(module.read_text())
        imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "click" not in imported, module.name
        top = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
        assert "networkx" not in top and "subprocess" not in top, module.name  # imported inside the functions
        calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
        assert "print" not in calls, module.name


def test_stdout_redirect_of_png_works_from_a_real_process(tmp_path):
    need("dot")
    out = tmp_path / "ladder.png"
    with open(out, "wb") as fh:
        done = subprocess.run([sys.executable, "-m", "radgraph", "export", "--roles-only", "--format", "png"],
                              stdout=fh, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def test_binary_to_a_terminal_is_refused(monkeypatch):
    import types

    terminal = types.SimpleNamespace(stdout=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("radgraph.cli.export.sys", terminal)
    code, err = fails("export", "--roles-only", "--format", "png")
    assert (code, err) == (2, "Error: png is binary: give -o FILE, or redirect stdout to a file\n")


# ------------------------------------------------------------------ steps down, --timeout, progress


def test_steps_down_are_drawn_only_with_steps_down():
    plain = run("export", "--roles-only", "--format", "dot").stdout
    down = run("export", "--roles-only", "--steps-down", "--format", "dot").stdout
    arrow = '"role:radiologic-technologist" -> "role:radiology-imaging-procedure-assistant"'
    assert arrow not in plain
    assert re.search(re.escape(arrow) + r" \[[^\n]*style=dashed", down)


def test_steps_down_without_a_planner_view_is_refused():
    code, err = fails("export", "--steps-down", "--format", "dot")
    assert (code, err) == (2, "Error: --steps-down applies to --roles-only and --path (the planner's views)\n")


def test_timeout_stops_graphviz_and_writes_nothing(tmp_path):
    need("dot")
    out = tmp_path / "ladder.svg"
    code, err = fails("export", "--roles-only", "--format", "svg", "--timeout", "0.001", "-o", str(out))
    assert code == 1 and "Graphviz dot took longer than 0.001 seconds; nothing was written" in err
    assert not out.exists()
    code, err = fails("export", "--roles-only", "--format", "svg", "--timeout", "0")
    assert code == 2 and "--timeout" in err


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_speaks_on_a_terminal_after_the_delay():
    from radgraph.cli.export import Progress

    stream = _Terminal()
    with Progress(stream, delay=0.05) as progress:
        progress("laying out 12 nodes with Graphviz dot")
        time.sleep(0.3)
    text = stream.getvalue()
    assert "\rradgraph: laying out 12 nodes with Graphviz dot... 0 s" in text
    assert text.endswith("\r" + " " * 79 + "\r")  # the line is cleared at the end
    quick = _Terminal()
    with Progress(quick, delay=5) as progress:
        progress("working")
    assert quick.getvalue() == ""  # quick work says nothing
    piped = io.StringIO()
    with Progress(piped, delay=0) as progress:
        time.sleep(0.1)
    assert piped.getvalue() == ""  # nor to a pipe or a file

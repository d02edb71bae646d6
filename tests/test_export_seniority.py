"""Seniority tiers (radgraph.export.seniority) and the same order of tiers in every export format.

The order the issue asks for, written by hand from the sources: a Radiology Imaging Procedure
Assistant (an entry job) is below a Radiologic Technologist, who is below the Interventional
Radiology Technologist and the R.R.A. (both entered from the Radiologic Technologist's
standing), who are below the Radiologist (a physician).
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

import radgraph
from radgraph import export
from radgraph.export.seniority import TIERS, band, ladder
from radgraph.planner import Planner

RIPA = "role:radiology-imaging-procedure-assistant"
RT = "role:radiologic-technologist"
IRT = "role:interventional-radiology-technologist"
RRA = "role:registered-radiologist-assistant"
RAD = "role:radiologist"
#: lower, then higher: each group is strictly below the next
ORDER = [(RIPA,), (RT,), (IRT, RRA), (RAD,)]


@pytest.fixture(scope="module")
def model():
    return radgraph.load().model


def assert_in_order(rank: dict) -> None:
    """``rank``: node -> a number that grows with seniority."""
    for lower, upper in zip(ORDER, ORDER[1:], strict=False):
        assert max(rank[n] for n in lower) < min(rank[n] for n in upper), (lower, upper, rank)


def test_tiers_of_the_shipped_roles(model):
    G = export.ladder_view(model)
    tiers = {n: G.nodes[n]["tier"] for n in G}
    assert tiers[RIPA] == 0 and tiers[RT] == 1 and tiers[IRT] == tiers[RRA] == 2 and tiers[RAD] == 3
    assert [G.nodes[n]["tier_name"] for n in (RIPA, RT, IRT, RAD)] == [t.name for t in TIERS]
    assert tiers["none"] == -1
    # the interventional technologist takes no longer than a radiologic technologist by known time:
    # it stands higher because its way in passes through the Radiologic Technologist
    assert G.nodes[IRT]["entry_months"] == G.nodes[RT]["entry_months"] == 24.0
    assert G.nodes[RAD]["entry_time"] == "at least 11 years" and G.nodes[RIPA]["entry_time"] == "time not known"


def test_time_to_enter_is_the_planners(model):
    """Months from no role, found over the ladder's steps, are Planner.entry_total's, for every role."""
    planner = Planner(model)
    L = ladder(planner)
    for rid in model.roles:
        assert L.months(rid) == planner.entry_total(rid)[1], model.label(rid)


def test_steps_down_are_the_planners_and_drawn_only_on_request(model):
    planner = Planner(model)
    L = ladder(planner)
    for step in L.steps.values():
        assert (L.direction(step) == "down") == (planner.direction(step) == "down"), step
    default = export.ladder_view(model)
    every = export.ladder_view(model, steps_down=True)
    downs = {(a, b) for a, b, d in every.edges(data=True) if d["direction"] in ("down", "none")}
    assert (RT, RIPA) in downs  # RT -> assistant: "nothing new" was drawn as a progression
    assert set(default.edges()) == set(every.edges()) - downs
    assert all(default.nodes[b]["tier"] >= default.nodes[a]["tier"] for a, b in default.edges() if a != "none")


def test_band_edges():
    assert [band(m) for m in (0, 23.9, 24, 59.9, 60, 119.9, 120)] == [0, 0, 1, 1, 2, 2, 3]


def test_tiers_do_not_move_with_what_you_hold(model):
    G = export.ladder_view(model, have=["Associate degree program in radiography"])
    assert {n: G.nodes[n]["tier"] for n in G} == {n: d["tier"] for n, d in export.ladder_view(model).nodes(data=True)}


def test_whole_graph_roles_carry_their_tier():
    G = export.graph_view(radgraph.load())
    assert_in_order({n: G.nodes[n]["tier"] for n in G if G.nodes[n]["kind"] == "role"})


# ------------------------------------------------------------------ the same order in every format


def test_graphml_and_gexf_attributes(model):
    from io import BytesIO

    import networkx as nx

    G = export.ladder_view(model)
    for text in (export.generate_graphml(G),):
        H = nx.read_graphml(BytesIO(text.encode()))
        assert_in_order({n: H.nodes[n]["tier"] for n in H})
        assert all(H.nodes[n]["kind"] in ("role", "start") for n in H)
    gexf = export.generate_gexf(G)
    H = nx.read_gexf(BytesIO(gexf.encode()))
    assert_in_order({n: int(H.nodes[n]["tier"]) for n in H})
    # Gephi's colours and positions; y up in Gephi: the higher tier, the greater y
    assert_in_order({n: H.nodes[n]["viz"]["position"]["y"] for n in H if n != "none"})
    assert H.nodes[RT]["viz"]["color"] == {"r": 219, "g": 234, "b": 254, "a": 1.0}
    # a step of unknown length has no months at all, never 0
    unknown = [d for _, _, d in H.edges(data=True) if d["unknown"]]
    assert unknown and all("months" not in d for d in unknown)


def test_cyjs_positions_classes_and_style(model):
    doc = json.loads(export.generate_cyjs(export.ladder_view(model)))
    nodes = {n["data"]["id"]: n for n in doc["elements"]["nodes"]}
    assert_in_order({n: -nodes[n]["position"]["y"] for n in nodes if n != "none"})  # y down in Cytoscape
    assert_in_order({n: nodes[n]["data"]["tier"] for n in nodes})
    assert "tier-1" in nodes[RT]["classes"].split()
    selectors = [rule["selector"] for rule in doc["style"]]
    assert "node.role" in selectors and "node.tier-3" in selectors and "edge.on-path" in selectors


def test_dot_and_svg_draw_tiers_bottom_to_top(model):
    G = export.ladder_view(model)
    dot = export.generate_dot(G)
    clusters = re.findall(r'subgraph (cluster_tier\d+) \{\n    graph \[label="([^"]*)"', dot)
    assert [c for c, _ in clusters] == ["cluster_tier1", "cluster_tier2", "cluster_tier3", "cluster_tier4"]
    assert "rankdir=BT" in dot
    labels = re.findall(r'\[label="([^"]*)"', dot)
    assert labels and not [t for t in labels if re.search(r"\b0 months|not stated", t)]
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is missing")
    root = ET.fromstring(export.generate_svg(G))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    y = {}
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if g.get("class") == "node":
            title = g.find("svg:title", ns).text
            paths = list(g.iter("{http://www.w3.org/2000/svg}path"))
            ys = [float(v) for p in paths for v in re.findall(r"[\d.-]+,([\d.-]+)", p.get("d"))]
            if ys:
                y[title] = -min(ys)  # SVG y grows downward
    assert_in_order(y)


def test_mermaid_subgraphs_in_order(model):
    text = export.generate_mermaid(export.ladder_view(model))
    assert text.startswith("flowchart BT\n")
    order = re.findall(r'subgraph tier(\d+)\["([^"]*)"\]', text)
    assert [int(t) for t, _ in order] == [1, 2, 3, 4]
    where = {}
    current = None
    ids = {}
    for line in text.splitlines():
        if m := re.match(r"  subgraph tier(\d+)", line):
            current = int(m.group(1))
        elif m := re.match(r'    (n\d+)\["(.*)"\]', line):
            ids[m.group(2)] = current
    labels = {RIPA: "Radiology Imaging Procedure Assistant", RT: "Radiologic Technologist",
              IRT: "Interventional Radiology Technologist", RRA: "Registered Radiologist Assistant",
              RAD: "Radiologist"}
    where = {n: ids[label] for n, label in labels.items()}
    assert_in_order(where)
    assert "0 months" not in text and "not stated" not in text


def test_html_data_places_tiers_bottom_to_top(model):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz dot is missing")
    data = export.html_data(export.ladder_view(model), model)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert_in_order({n: -(nodes[n]["y"]) for n in nodes})  # y down on the page
    assert_in_order({n: nodes[n]["tier"] for n in nodes})
    assert [b["name"] for b in data["bands"]] == [t.name for t in TIERS]

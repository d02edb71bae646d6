"""The HTML page: one self-contained file that draws a view and explains every node and step.

The page's markup, style and script are files beside this module (``page.html``,
``page.css``, ``page.js``), shipped as package data and inlined into the page at
export time, with the view's data as JSON. This module builds that data: the
layers, and what the page shows when a node or an arrow is clicked.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path

from ..model import AllOf, AnyOf, CredentialReq, Evidence, ExperienceReq, Model, Requirement, RoleReq
from .files import write_atomic
from .views import requirement_index


def _where(e: Evidence) -> str:
    if e.source.endswith("/source/article"):
        return f"{e.source_label}, section {e.section}"
    return f"{e.source_label}: {e.section}" if e.section else e.source_label


def _sources(evidence: Iterable[Evidence]) -> list[dict]:
    return [{"quote": e.quote, "where": _where(e)} for e in evidence]


def requirement_tree(model: Model, req: Requirement | None, _depth: int = 0) -> dict | None:
    """A requirement tree for the HTML viewer: ``{"op", "text", "note", "sources", "children", "then"}``.

    ``op`` is ``"all"``, ``"any"`` or None (a leaf); a credential leaf's
    ``then`` is the credential's own requirements.

    Examples
    --------
    >>> import radgraph
    >>> m = radgraph.load().model
    >>> tree = requirement_tree(m, m.find_role("Radiologic Technologist").requires)
    >>> tree["op"], tree["text"], [c["text"][:30] for c in tree["children"]][:2]
    ('all', 'ALL OF', ['2-year training program in Rad', 'ARRT certification [certificat'])
    """
    from ..describe import credential_line, experience_line

    if req is None:
        return None
    out: dict = {"op": None, "text": "", "note": req.caveat, "sources": _sources(req.sources), "children": []}
    if isinstance(req, (AllOf, AnyOf)):
        out["op"] = "all" if isinstance(req, AllOf) else "any"
        out["text"] = "ALL OF" if isinstance(req, AllOf) else "ANY ONE OF"
        out["children"] = [requirement_tree(model, m, _depth + 1) for m in req.members]
    elif isinstance(req, CredentialReq):
        out["text"] = credential_line(model, req.credential) + (f" ({req.condition})" if req.condition else "")
        cred = model.credentials.get(req.credential)
        if cred is not None:
            out["sources"] += _sources(e for e in cred.sources if e not in req.sources)
            if cred.requires is not None and _depth < 6:
                out["then"] = requirement_tree(model, cred.requires, _depth + 1)
    elif isinstance(req, ExperienceReq):
        out["text"] = experience_line(model, req)
    elif isinstance(req, RoleReq):
        out["text"] = f"qualified as {model.label(req.role)}"
    else:
        out["text"] = f"ongoing: {req.label}"
    return out


def _leaf(text: str, evidence: Iterable[Evidence] = (), note: str = "") -> dict:
    return {"op": None, "text": text, "note": note, "sources": _sources(evidence), "children": []}


def node_detail(model: Model | None, node: str, d: dict, requirements: dict[str, Requirement] | None = None) -> dict:
    """What the HTML viewer shows when a node is clicked: heading, facts, and sections of trees."""
    iri = d.get("iri", "")
    facts = [["kind", d.get("kind", "")]]
    if iri:
        facts.append(["IRI", iri])
    sections: list[dict] = []
    if model is None:
        return {"heading": d.get("label", node), "facts": facts, "sections": sections}
    role = model.roles.get(iri)
    cred = model.credentials.get(iri)
    req = (requirements if requirements is not None else requirement_index(model)).get(iri)
    org = model.organizations.get(iri)
    if d.get("tier_name") and d.get("kind") == "role":
        from .seniority import tier_of

        facts.append(["seniority", f"{d['tier_name']} ({tier_of(d['tier']).rule})"])
        facts.append(["to enter from no role", d.get("entry_time", "")])
    if role is not None:
        if role.alt_labels:
            facts.append(["also called", ", ".join(role.alt_labels)])
        if role.caveat:
            facts.append(["note", role.caveat])
        sections.append({"title": "Requires (to enter)",
                         "items": [requirement_tree(model, role.requires) or _leaf("(none stated)")]})
        sections.append({"title": "Must maintain",
                         "items": [requirement_tree(model, role.maintains) or _leaf("(none stated)")]})
        if role.sources:
            sections.append({"title": "About this role", "items": [_leaf(role.label, role.sources)]})
    elif cred is not None:
        from ..describe import credential_line

        facts.append(["credential", credential_line(model, cred.id)])
        if cred.caveat:
            facts.append(["note", cred.caveat])
        sections.append({"title": "Requires", "items": [requirement_tree(model, cred.requires) or _leaf("(none stated)")]})
        if cred.sources:
            sections.append({"title": "Sources", "items": [_leaf(cred.label, cred.sources)]})
    elif req is not None:
        sections.append({"title": "Requirement", "items": [requirement_tree(model, req)]})
    elif org is not None:
        if org.caveat:
            facts.append(["note", org.caveat])
        if org.sources:
            sections.append({"title": "Sources", "items": [_leaf(org.label, org.sources)]})
    return {"heading": d.get("label", node), "facts": facts, "sections": sections}


_DIRECTION_WORDS = {"up": "up: to a role that takes longer to enter", "across": "across: as long to enter",
                    "down": "down: to a role that takes less to enter", "none": "sideways: asks for nothing new"}


def edge_detail(model: Model | None, G, a: str, b: str) -> dict:
    """What the HTML viewer shows when an edge is clicked: a step's items and their sources, or the link."""
    d = G.edges[a, b]
    heading = f"{G.nodes[a].get('label', a)} \u2192 {G.nodes[b].get('label', b)}"
    step = d.get("step")
    if step is None or model is None:
        return {"heading": heading, "facts": [["link", d.get("label", "")]], "sections": []}
    from ..describe import credential_line, experience_line, months_text

    why: dict[str, list[Evidence]] = {}
    for cid, req in step.why:
        why.setdefault(cid, []).extend(e for e in req.sources if e not in why.get(cid, []))
    earn = [_leaf(credential_line(model, c), why.get(c, [])) for c in step.earn]
    accrue = [_leaf(f"work {months_text(a_.months)} more as {model.label(a_.role)}: "
                    f"{experience_line(model, a_.requirement)}", a_.requirement.sources) for a_ in step.accrue]
    outside = [requirement_tree(model, o) for o in step.outside]
    ongoing = [_leaf(c.label, c.sources) for c in step.ongoing]
    facts = [["takes", d.get("label", "")]]
    if d.get("direction"):
        facts.append(["direction", _DIRECTION_WORDS.get(d["direction"], d["direction"])])
    sections = [{"title": title, "items": items} for title, items in (
        ("Earn", earn), ("Work longer", accrue), ("From outside this graph", outside), ("Then maintain", ongoing))
        if items]
    if not sections:
        sections.append({"title": "Earn", "items": [_leaf("nothing new: what this role holds already qualifies")]})
    return {"heading": heading, "facts": facts, "sections": sections}


def node_names(model: Model | None, d: dict) -> list[list[str]]:
    """The names search matches, in three ranks as ``radgraph show`` ranks them: the label; other
    names and notations; the IRI's last part.

    Examples
    --------
    >>> import radgraph
    >>> m = radgraph.load().model
    >>> rt = m.find_role("rt")
    >>> node_names(m, {"label": rt.label, "iri": rt.id})[1][:2]
    ['RT', 'Radiographer']
    """
    iri = d.get("iri", "")
    item = None
    if model is not None and iri:
        item = model.roles.get(iri) or model.credentials.get(iri) or model.organizations.get(iri)
    others = [*getattr(item, "alt_labels", ()), *getattr(item, "notations", ())]
    return [[str(d.get("label", ""))], [str(o) for o in others], [iri.rsplit("/", 1)[-1]] if iri else []]


def html_data(G, model: Model | None = None, timeout: float | None = None) -> dict:
    """The JSON the HTML page embeds: title, bands, nodes and edges placed by Graphviz, details.

    Positions and edge splines come from Graphviz (:func:`~radgraph.export.graphviz.layout`),
    laid out without edge labels, which the page shows beside a chosen step.
    """
    from .graphviz import entry_lines, is_ladder, layout, wrap_label
    from .seniority import tier_of
    from .views import drawn_view

    G = drawn_view(G)
    placed = layout(G, timeout=timeout)
    ladder = is_ladder(G)
    requirements = requirement_index(model) if model is not None else {}
    nodes = []
    for n in sorted(G):
        d = G.nodes[n]
        box = placed["nodes"].get(n, {"x": 0, "y": 0, "w": 60, "h": 30})
        lines = wrap_label(str(d.get("label", n))) if ladder else [str(d.get("label", n))]
        nodes.append({
            "id": n, "label": str(d.get("label", n)), "lines": lines, "kind": str(d.get("kind", "")),
            "sub": entry_lines(d["entry_time"]) if ladder and d.get("entry_time") else [],
            "tier": d.get("tier"), "names": node_names(model, d), **box,
            "onPath": int(bool(d.get("on_path"))), "center": int(bool(d.get("center"))),
            "detail": node_detail(model, n, d, requirements),
        })
    edges = []
    for a, b in sorted(G.edges()):
        d = G.edges[a, b]
        route = placed["edges"].get((a, b), {"points": [], "head": None})
        edges.append({
            "source": a, "target": b, "label": str(d.get("label", "")), "points": route["points"],
            "head": route["head"], "direction": str(d.get("direction", "")),
            "onPath": int(bool(d.get("on_path"))), "detail": edge_detail(model, G, a, b),
        })
    bands = [{**band, "name": tier_of(band["tier"]).name, "rule": tier_of(band["tier"]).rule}
             for band in placed["bands"] if band["tier"] >= 0]
    return {"title": str(G.graph.get("title", "radgraph")), "width": placed["width"], "height": placed["height"],
            "engine": placed["engine"], "bands": bands, "nodes": nodes, "edges": edges}


def script_json(data) -> str:
    """JSON safe inside ``<script type="application/json">``: ``<``, ``>`` and ``&`` as \\u escapes.

    Examples
    --------
    >>> script_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


#: The page's Content-Security-Policy: nothing may load from anywhere; inline script and style only.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"


def generate_html(G, model: Model | None = None, timeout: float | None = None) -> str:
    """One self-contained HTML page that draws a view and works offline from file://.

    No network request at all (a Content-Security-Policy forbids any): the
    data is embedded as JSON, the script and style are inline. Graphviz lays
    it out (the ladder bottom to top, one band per tier); drag or swipe to
    pan, wheel, pinch or +/- to zoom, type in the search box to find a node
    by any of its names, click a node to see its
    requirement tree (all of / any one of) with the source quotes, or a
    ladder edge to see what the step takes. Every label is inserted as text
    (``textContent``), never parsed as HTML.

    With ``model``, nodes and steps get their details; without, labels only.

    Examples
    --------
    >>> import radgraph
    >>> from radgraph.export import ladder_view
    >>> kg = radgraph.load()
    >>> page = generate_html(ladder_view(kg.model), kg.model)
    >>> page.startswith("<!DOCTYPE html>"), "Radiologic Technologist" in page, "<script src" in page
    (True, True, False)
    """
    data = html_data(G, model, timeout)
    fill = {
        "CSP": html.escape(CSP, quote=True),
        "TITLE": html.escape(data["title"]),
        "STYLE": page_file("page.css"),
        "SCRIPT": page_file("page.js"),
        "DATA": script_json(data),
    }
    # one pass, so a title holding "%DATA%" stays text
    return _SLOT.sub(lambda m: fill[m.group(1)], page_file("page.html"))


#: The slots of page.html that generate_html fills.
_SLOT = re.compile(r"%(CSP|TITLE|STYLE|SCRIPT|DATA)%")


@cache
def page_file(name: str) -> str:
    """The text of one of the page's files shipped beside this module: page.html, page.css or page.js."""
    return (files(__package__) / name).read_text(encoding="utf-8")


def write_html(G, output, model: Model | None = None, timeout: float | None = None) -> Path:
    """Write :func:`generate_html` to ``output`` atomically."""
    return write_atomic(output, generate_html(G, model, timeout))

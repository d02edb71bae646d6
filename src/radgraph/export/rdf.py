"""The RDF formats: the whole knowledge graph as Turtle, N-Triples or compacted JSON-LD (rdflib's writers)."""

from __future__ import annotations

from pathlib import Path

from ..namespaces import PREFIXES, RG
from .files import write_atomic


def jsonld_context(graph) -> dict:
    """The JSON-LD @context: every prefix of PREFIXES, and a term for each radgraph class and property.

    Object properties are typed ``@id`` so links read as plain ids. A
    property whose name is a prefix (``rg:role``, ``rg:setting``,
    ``rg:kind``) keeps its compact IRI, so ``role:radiologist`` still
    means the role. The
    alignments to schema.org, CTDL, ESCO and ORG (``rdfs:subClassOf``,
    ``skos:closeMatch``) are triples of the vocabulary, so they are in every
    export of the whole graph.

    Examples
    --------
    >>> import radgraph
    >>> ctx = jsonld_context(radgraph.load().graph)
    >>> ctx["Role"], ctx["requires"], ctx["schema"]
    ('rg:Role', {'@id': 'rg:requires', '@type': '@id'}, 'https://schema.org/')
    """
    from rdflib import OWL, RDF

    ctx: dict = dict(PREFIXES)
    ns = str(RG._NS)
    for s in sorted(set(graph.subjects(RDF.type, None)), key=str):
        iri = str(s)
        if not iri.startswith(ns):
            continue
        name = iri[len(ns):]
        if name in ctx:  # rg:role, rg:setting, rg:kind: the names are prefixes (role:, setting:, kind:)
            continue
        types = set(graph.objects(s, RDF.type))
        if OWL.ObjectProperty in types:
            ctx[name] = {"@id": f"rg:{name}", "@type": "@id"}
        elif OWL.DatatypeProperty in types or OWL.Class in types:
            ctx[name] = f"rg:{name}"
    for name, prefix in (("prefLabel", "skos"), ("altLabel", "skos"), ("notation", "skos"),
                         ("label", "rdfs"), ("comment", "rdfs")):
        ctx.setdefault(name, f"{prefix}:{name}")
    ctx.setdefault("wasDerivedFrom", {"@id": "prov:wasDerivedFrom", "@type": "@id"})
    return ctx


def generate_ttl(graph) -> str:
    """The graph as Turtle, with the radgraph prefixes.

    Examples
    --------
    >>> import radgraph
    >>> generate_ttl(radgraph.load().graph).count("@prefix role: <https://w3id.org/radgraph/id/role/>")
    1
    """
    _bind(graph)
    return graph.serialize(format="turtle")


def generate_nt(graph) -> str:
    """The graph as N-Triples, one triple a line, sorted.

    Examples
    --------
    >>> import radgraph
    >>> text = generate_nt(radgraph.load().graph)
    >>> text.splitlines() == sorted(text.splitlines())
    True
    """
    text = graph.serialize(format="nt")
    # split on newlines only: str.splitlines also splits on U+2028, U+0085, ... which a literal may hold
    lines = sorted(line for line in text.split("\n") if line.strip())
    return "\n".join(lines) + "\n"


def generate_jsonld(graph) -> str:
    """The graph as compacted JSON-LD with :func:`jsonld_context`.

    Examples
    --------
    >>> import json, radgraph
    >>> doc = json.loads(generate_jsonld(radgraph.load().graph))
    >>> rt = next(x for x in doc["@graph"] if x["@id"] == "role:radiologic-technologist")
    >>> rt["@type"], rt["prefLabel"], rt["requires"]
    ('Role', 'Radiologic Technologist', 'req:radiologic-technologist')
    """
    _bind(graph)
    return graph.serialize(format="json-ld", context=jsonld_context(graph), auto_compact=True, indent=2)


def _bind(graph) -> None:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)


def write_ttl(graph, output) -> Path:
    """Write :func:`generate_ttl` to ``output`` atomically."""
    return write_atomic(output, generate_ttl(graph))


def write_nt(graph, output) -> Path:
    """Write :func:`generate_nt` to ``output`` atomically."""
    return write_atomic(output, generate_nt(graph))


def write_jsonld(graph, output) -> Path:
    """Write :func:`generate_jsonld` to ``output`` atomically."""
    return write_atomic(output, generate_jsonld(graph))

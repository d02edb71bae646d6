"""Closed vocabularies and the one prefix map every serializer and query uses.

``RG`` is closed: a typo such as ``RG.requries`` raises ``AttributeError``
instead of minting a wrong IRI.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

from .vocab import BASE, RG_NS, TERMS

#: The radgraph vocabulary (``ontology/radgraph.ttl``), closed: built from
#: ``vocab.TERMS`` so the rdflib-free reader and this namespace share one list.
RG = type(
    "RG",
    (DefinedNamespace,),
    {"_NS": Namespace(RG_NS), "_fail": True, "__annotations__": {t: URIRef for t in TERMS},
     "__doc__": "The radgraph vocabulary (ontology/radgraph.ttl)."},
)


ROLE = Namespace(BASE + "id/role/")
POSITION = Namespace(BASE + "id/position/")
CRED = Namespace(BASE + "id/credential/")
AGENT = Namespace(BASE + "id/organization/")
REQ = Namespace(BASE + "id/requirement/")
DUTY = Namespace(BASE + "id/duty/")
SKILL = Namespace(BASE + "id/skill/")
SYSTEM = Namespace(BASE + "id/system/")
SETTING = Namespace(BASE + "id/setting/")
PLACE = Namespace(BASE + "id/jurisdiction/")
KIND = Namespace(BASE + "id/kind/")
EV = Namespace(BASE + "id/evidence/")
SRC = Namespace(BASE + "id/source/")

SCHEMA = Namespace("https://schema.org/")
CETERMS = Namespace("https://purl.org/ctdl/terms/")
ESCO = Namespace("http://data.europa.eu/esco/model#")

#: The one prefix map: Turtle/JSON-LD serializers, SPARQL queries and
#: the short names in messages all use it.
PREFIXES: dict[str, str] = {
    "rg": str(RG._NS),
    "role": str(ROLE),
    "pos": str(POSITION),
    "cred": str(CRED),
    "agent": str(AGENT),
    "req": str(REQ),
    "duty": str(DUTY),
    "skill": str(SKILL),
    "sys": str(SYSTEM),
    "setting": str(SETTING),
    "place": str(PLACE),
    "kind": str(KIND),
    "ev": str(EV),
    "src": str(SRC),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "schema": str(SCHEMA),
    "ceterms": str(CETERMS),
    "esco": str(ESCO),
    "org": "http://www.w3.org/ns/org#",
}


def shorten(iri: str) -> str:
    """Return ``prefix:local`` for an IRI under a known prefix, else the IRI.

    Examples
    --------
    >>> shorten("https://w3id.org/radgraph/id/role/radiologist")
    'role:radiologist'
    >>> shorten("urn:x")
    'urn:x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    return iri

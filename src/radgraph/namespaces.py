"""Closed vocabularies and the one prefix map every serializer and query uses.

``RG`` is closed: a typo such as ``RG.requries`` raises ``AttributeError``
instead of minting a wrong IRI.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/radgraph/"


class RG(DefinedNamespace):
    """The radgraph vocabulary (``ontology/radgraph.ttl``)."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # classes
    Role: URIRef
    Position: URIRef
    Credential: URIRef
    CredentialKind: URIRef
    Organization: URIRef
    CertifyingBody: URIRef
    AccreditingBody: URIRef
    LicensingBody: URIRef
    Requirement: URIRef
    AllOf: URIRef
    AnyOf: URIRef
    CredentialRequirement: URIRef
    ExperienceRequirement: URIRef
    RoleRequirement: URIRef
    ContinuingEducationRequirement: URIRef
    Setting: URIRef
    Skill: URIRef
    Duty: URIRef
    System: URIRef
    Jurisdiction: URIRef
    Source: URIRef
    Evidence: URIRef
    credentialKinds: URIRef
    # properties
    requires: URIRef
    maintains: URIRef
    member: URIRef
    credential: URIRef
    role: URIRef
    setting: URIRef
    minMonths: URIRef
    maxMonths: URIRef
    withinMonths: URIRef
    kind: URIRef
    durationMonths: URIRef
    issuedBy: URIRef
    approvedBy: URIRef
    partOf: URIRef
    validIn: URIRef
    supervisedBy: URIRef
    directedBy: URIRef
    usesSystem: URIRef
    performs: URIRef
    hasSkill: URIRef
    providesExperienceIn: URIRef
    administeredBy: URIRef
    caveat: URIRef
    condition: URIRef
    entryLevel: URIRef
    section: URIRef
    quote: URIRef
    about: URIRef
    property: URIRef
    value: URIRef
    inSource: URIRef
    countsAs: URIRef
    hours: URIRef
    credits: URIRef
    periodMonths: URIRef
    url: URIRef
    read: URIRef


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

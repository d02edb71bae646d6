"""The radgraph vocabulary as plain strings, for code that must not import rdflib.

``V`` is closed like ``namespaces.RG``: an unknown term raises ``AttributeError``.
``namespaces.RG`` (the rdflib ``DefinedNamespace``) is built from ``TERMS`` here,
so the two cannot drift apart.
"""

from __future__ import annotations

BASE = "https://w3id.org/radgraph/"
RG_NS = BASE + "ns#"

TERMS: tuple[str, ...] = (
    "Role",
    "Position",
    "Credential",
    "CredentialKind",
    "Organization",
    "CertifyingBody",
    "AccreditingBody",
    "LicensingBody",
    "Requirement",
    "AllOf",
    "AnyOf",
    "CredentialRequirement",
    "ExperienceRequirement",
    "RoleRequirement",
    "ContinuingEducationRequirement",
    "Setting",
    "Skill",
    "Duty",
    "System",
    "Jurisdiction",
    "Source",
    "Evidence",
    "credentialKinds",
    "requires",
    "maintains",
    "member",
    "credential",
    "role",
    "setting",
    "minMonths",
    "maxMonths",
    "withinMonths",
    "kind",
    "durationMonths",
    "issuedBy",
    "approvedBy",
    "partOf",
    "validIn",
    "supervisedBy",
    "directedBy",
    "usesSystem",
    "performs",
    "hasSkill",
    "providesExperienceIn",
    "administeredBy",
    "caveat",
    "condition",
    "entryLevel",
    "section",
    "quote",
    "about",
    "property",
    "value",
    "inSource",
    "countsAs",
    "hours",
    "credits",
    "periodMonths",
    "url",
    "read",
    # what a careers advisor knows (issue 12): identity, durations, rules in time, corrections
    "sameAs",
    "includes",
    "minDurationMonths",
    "effectiveFrom",
    "effectiveUntil",
    "Correction",
    "correction",
    "inference",
)

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_PREF = SKOS + "prefLabel"
SKOS_ALT = SKOS + "altLabel"
SKOS_NOTATION = SKOS + "notation"
SKOS_EXACT = SKOS + "exactMatch"
SKOS_CLOSE = SKOS + "closeMatch"
SKOS_IN_SCHEME = SKOS + "inScheme"
SKOS_BROADER = SKOS + "broader"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"


class _Closed:
    """``V.requires`` -> the term's IRI as a plain string; unknown names raise."""

    def __init__(self, ns: str, names: tuple[str, ...]):
        # each term an attribute of its own, found without __getattr__ (slow: a million calls reading a
        # million-triple part), which Python calls only for a name that is not one
        self.__dict__.update({name: ns + name for name in names})

    def __getattr__(self, name: str) -> str:
        raise AttributeError(f"term {name!r} is not in the radgraph vocabulary")


V = _Closed(RG_NS, TERMS)

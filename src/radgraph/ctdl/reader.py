"""Reading CTDL JSON-LD into radgraph's vocabulary, so every command plans over it.

:func:`read_ctdl` turns a CTDL document (a Registry record, a ``@graph`` of them, or
``radgraph export --format ctdl``) into N-Triples in radgraph's terms, which the usual
Turtle parsers, the SHACL shapes and the model cache then read like any ``--data`` file.

- Triples already in radgraph's terms (``rg:``, ``skos:``, ``prov:``, ...) are kept as
  they are: so radgraph's own export reads back to the same graph.
- CTDL credential classes become ``rg:Credential`` with a kind; CredentialOrganization,
  QACredentialOrganization and Organization become certifying, accrediting and plain
  organizations; Occupation and Job become ``rg:Role``. ``ceterms:ownedBy``/``offeredBy``
  (and an organization's ``offers``/``owns``) become ``rg:issuedBy``; ``approvedBy``,
  ``accreditedBy``, ``approves`` and ``accredits``, ``rg:approvedBy``; a JurisdictionProfile's
  main jurisdiction, ``rg:validIn``; ``estimatedDuration``, lengths in months.
- A ConditionProfile becomes a requirement: its target credentials and occupations, its
  experience and its alternatives (``ceterms:alternativeCondition``, any one of them) are
  all required together. Several profiles under one ``ceterms:requires`` are read as
  alternatives (any one of them), which the node's caveat says; a profile with no condition
  radgraph can read (words only) becomes a credential named by its words, never dropped.
  Experience with no occupation counts in a setting named by its words, which no role gives.
- What a CTDL record does not say is not filled in; each node read from CTDL names the
  record as its evidence (the file, and the record's id as the section).

Only the Registry's context (``https://credreg.net/ctdl/schema/context/json``) may be named
by address: the shipped context stands in for it. Any other remote context is refused:
radgraph fetches nothing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..errors import DataError
from . import CETERMS, REMOTE_CONTEXTS, context

RG = "https://w3id.org/radgraph/ns#"
KIND = "https://w3id.org/radgraph/id/kind/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: CTDL credential classes whose radgraph kind is not "program".
KINDS = {
    "Certification": "certification", "License": "license", "SecondarySchoolDiploma": "diploma",
    "GeneralEducationDevelopment": "diploma", "Diploma": "diploma",
}
CREDENTIAL_CLASSES = frozenset({
    "Credential", "Certification", "License", "SecondarySchoolDiploma", "GeneralEducationDevelopment", "Diploma",
    "Certificate", "CertificateOfCompletion", "ApprenticeshipCertificate", "JourneymanCertificate",
    "MasterCertificate", "Degree", "AssociateDegree", "BachelorDegree", "MasterDegree", "DoctoralDegree",
    "ProfessionalDoctorate", "ResearchDoctorate", "Badge", "DigitalBadge", "OpenBadge", "MicroCredential",
    "QualityAssuranceCredential",
})
ORGANIZATIONS = {"CredentialOrganization": "CertifyingBody", "QACredentialOrganization": "AccreditingBody",
                 "Organization": "Organization"}
OCCUPATIONS = frozenset({"Occupation", "Job"})
REQUIREMENT_TYPES = frozenset(RG + t for t in ("AllOf", "AnyOf", "CredentialRequirement", "ExperienceRequirement",
                                                "RoleRequirement", "ContinuingEducationRequirement"))

_MONTHS = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                     r"(?:T(?:(\d+(?:\.\d+)?)H)?)?$")


def is_ctdl_file(path: Path) -> bool:
    """Whether ``--data`` reads ``path`` as CTDL JSON-LD (by its name: ``*.jsonld`` or ``*.json``)."""
    return path.name.lower().endswith((".jsonld", ".json"))


def read_ctdl(data: bytes, path: Path) -> str:
    """The CTDL document in ``data`` as N-Triples in radgraph's vocabulary.

    Raises ``DataError('FILE: message')`` for text that is not JSON-LD, names a remote
    context other than the Registry's, or has nothing radgraph can read.

    Examples
    --------
    >>> import json
    >>> record = {"@context": "https://credreg.net/ctdl/schema/context/json",
    ...           "@id": "https://example.org/cred", "@type": "ceterms:License",
    ...           "ceterms:name": {"en-US": "A license"}}
    >>> text = read_ctdl(json.dumps(record).encode(), Path("x.jsonld"))
    >>> print(next(line for line in text.splitlines() if "ns#kind" in line))
    <https://example.org/cred> <https://w3id.org/radgraph/ns#kind> <https://w3id.org/radgraph/id/kind/license> .
    """
    from rdflib import Graph

    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: not JSON-LD: {exc}") from None
    doc = _local_contexts(doc, path)
    source = Graph()
    try:
        source.parse(data=json.dumps(doc), format="json-ld", base=path.resolve().as_uri())
    except Exception as exc:  # rdflib raises several types for bad JSON-LD
        raise DataError(f"{path}: not JSON-LD rdflib can read: {' '.join(str(exc).split())[:200]}") from None
    out = _Reader(source, path).run()
    if not len(out):
        raise DataError(f"{path}: no CTDL credential, organization or occupation, and no radgraph data")
    lines = sorted(line for line in out.serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def _local_contexts(doc, path: Path):
    """``doc`` with the Registry's context replaced by the shipped one; other remote contexts refused."""

    def fix(ctx):
        if isinstance(ctx, str):
            if ctx in REMOTE_CONTEXTS:
                return context()
            raise DataError(f"{path}: names the remote context {ctx!r}: radgraph fetches nothing; inline it")
        if isinstance(ctx, list):
            return [fix(c) for c in ctx]
        return ctx

    def walk(node):
        if isinstance(node, dict):
            return {k: (fix(v) if k == "@context" else walk(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(x) for x in node]
        return node

    doc = walk(doc)
    if isinstance(doc, dict) and "@context" not in doc:
        doc["@context"] = context()
    return doc


class _Reader:
    def __init__(self, source, path: Path):
        from rdflib import RDF, Graph, Namespace, URIRef

        self.g = source
        self.out = Graph()
        self.path = path
        self.RDF = RDF
        self.C = Namespace(CETERMS)
        self.R = Namespace(RG)
        self.URIRef = URIRef
        self.doc_iri = path.resolve().as_uri()
        self.source_node = URIRef(self.doc_iri + "#source")
        self.made_source = False

    # -- helpers

    def ctdl_types(self, s) -> set[str]:
        return {str(t)[len(CETERMS):] for t in self.g.objects(s, self.RDF.type) if str(t).startswith(CETERMS)}

    def text(self, s, local: str) -> str:
        for o in self.g.objects(s, self.C[local]):
            return str(o)
        return ""

    def texts(self, s, local: str) -> list[str]:
        return sorted({str(o) for o in self.g.objects(s, self.C[local])})

    def links(self, s, local: str) -> list:
        """Objects of a CTDL link property: IRIs, or strings naming one (Registry records)."""
        from rdflib import BNode, Literal

        found = []
        for o in self.g.objects(s, self.C[local]):
            if isinstance(o, Literal):
                o = self.URIRef(str(o)) if re.match(r"^[a-z][a-z0-9+.-]*:", str(o)) else None
            if o is not None and (isinstance(o, (self.URIRef, BNode))):
                found.append(o)
        return sorted(found, key=str)

    def has(self, s, prop: str) -> bool:
        return (s, self.URIRef(prop), None) in self.out

    def add(self, s, prop: str, o) -> None:
        self.out.add((s, self.URIRef(prop), o))

    def lit(self, value, datatype: str | None = None):
        from rdflib import Literal

        return Literal(value, datatype=self.URIRef(datatype) if datatype else None)

    def label(self, s, prop: str = SKOS + "prefLabel") -> None:
        name = self.text(s, "name")
        if name and not self.has(s, prop):
            self.add(s, prop, self.lit(name))

    def evidence(self, node, quote: str, section: str) -> None:
        """Name the CTDL record as the evidence of a node radgraph read from it (where none is given)."""
        if self.has(node, PROV + "wasDerivedFrom"):
            return
        if not self.made_source:
            self.add(self.source_node, str(self.RDF.type), self.URIRef(RG + "Source"))
            self.add(self.source_node, RDFS + "label", self.lit(f"CTDL data in {self.path.name}"))
            self.add(self.source_node, RG + "url", self.lit(self.doc_iri, XSD + "anyURI"))
            self.made_source = True
        ev = _sub(node, "ctdl-evidence")
        self.add(ev, str(self.RDF.type), self.URIRef(RG + "Evidence"))
        self.add(ev, RG + "quote", self.lit(quote or str(node)))
        self.add(ev, RG + "section", self.lit(section))
        self.add(ev, RG + "inSource", self.source_node)
        self.add(node, PROV + "wasDerivedFrom", ev)

    # -- the run

    def run(self):
        from rdflib import BNode

        for s, p, o in self.g:  # radgraph's own terms, as they are
            if str(p).startswith(CETERMS) or isinstance(s, BNode):
                continue
            if p == self.RDF.type and str(o).startswith(CETERMS):
                continue
            self.out.add((s, p, o))
        for s in sorted({s for s in self.g.subjects(self.RDF.type, None)}, key=str):
            types = self.ctdl_types(s)
            if types & CREDENTIAL_CLASSES:
                self.credential(s, types)
            elif types & set(ORGANIZATIONS):
                self.organization(s, types)
            elif types & OCCUPATIONS:
                self.occupation(s)
        return self.out

    def typed(self, s, cls: str) -> None:
        self.add(s, str(self.RDF.type), self.URIRef(RG + cls))

    def credential(self, s, types: set[str]) -> None:
        self.typed(s, "Credential")
        if not self.has(s, RG + "kind"):
            kind = next((KINDS[t] for t in sorted(types) if t in KINDS), "program")
            self.add(s, RG + "kind", self.URIRef(KIND + kind))
        self.label(s)
        if not self.has(s, SKOS + "altLabel"):
            for alt in self.texts(s, "alternateName"):
                self.add(s, SKOS + "altLabel", self.lit(alt))
        for local, prop in (("ownedBy", "issuedBy"), ("offeredBy", "issuedBy"), ("approvedBy", "approvedBy"),
                            ("accreditedBy", "approvedBy")):
            for org in self.links(s, local):
                self.add(s, RG + prop, org)
        for profile in self.g.objects(s, self.C.jurisdiction):
            for place in self.links(profile, "mainJurisdiction"):
                self.add(s, RG + "validIn", place)
                self.typed(place, "Jurisdiction")
                self.label(place)
                self.evidence(place, self.text(place, "name"), str(place))
        self.duration(s)
        self.requirements(s, "requires", RG + "requires")
        self.evidence(s, self.text(s, "name"), str(s))

    def duration(self, s) -> None:
        if self.has(s, RG + "durationMonths") or self.has(s, RG + "minDurationMonths") or self.has(s, RG + "hours"):
            return
        for profile in self.g.objects(s, self.C.estimatedDuration):
            exact, low, high = (_months(self.text(profile, k)) for k in ("exactDuration", "minimumDuration",
                                                                           "maximumDuration"))
            hours = _hours(self.text(profile, "exactDuration"))
            if exact is not None:
                self.add(s, RG + "durationMonths", self.lit(exact, XSD + "decimal"))
            elif hours is not None:
                self.add(s, RG + "hours", self.lit(hours, XSD + "decimal"))
            else:
                if high is not None:  # CTDL has no typical length: its maximum stands for it
                    self.add(s, RG + "durationMonths", self.lit(high, XSD + "decimal"))
                if low is not None and high is not None:
                    self.add(s, RG + "minDurationMonths", self.lit(low, XSD + "decimal"))
            return

    def organization(self, s, types: set[str]) -> None:
        if not any(self.has(s, str(self.RDF.type)) and (s, self.RDF.type, self.URIRef(RG + c)) in self.out
                   for c in ("CertifyingBody", "AccreditingBody", "LicensingBody", "Organization")):
            self.typed(s, next(ORGANIZATIONS[t] for t in ("CredentialOrganization", "QACredentialOrganization",
                                                          "Organization") if t in types))
        self.label(s)
        for parent in self.links(s, "parentOrganization"):
            self.add(s, RG + "partOf", parent)
        for local, prop in (("offers", "issuedBy"), ("owns", "issuedBy"), ("approves", "approvedBy"),
                            ("accredits", "approvedBy")):
            for cred in self.links(s, local):
                self.add(cred, RG + prop, s)
        self.evidence(s, self.text(s, "name"), str(s))

    def occupation(self, s) -> None:
        self.typed(s, "Role")
        self.label(s)
        if not self.has(s, SKOS + "altLabel"):
            for alt in self.texts(s, "alternateName"):
                self.add(s, SKOS + "altLabel", self.lit(alt))
        if not (self.has(s, SKOS + "exactMatch") or self.has(s, SKOS + "closeMatch")):
            for align in self.g.objects(s, self.C.occupationType):
                for node in self.links(align, "targetNode"):
                    self.add(s, SKOS + "closeMatch", node)  # CTDL does not say exact or close: close
                    if not self.has(node, SKOS + "prefLabel") and self.text(align, "targetNodeName"):
                        self.add(node, SKOS + "prefLabel", self.lit(self.text(align, "targetNodeName")))
                    if not self.has(node, SKOS + "notation") and self.text(align, "codedNotation"):
                        self.add(node, SKOS + "notation", self.lit(self.text(align, "codedNotation")))
        self.requirements(s, "requires", RG + "requires")
        self.evidence(s, self.text(s, "name"), str(s))

    # -- condition profiles

    def requirements(self, owner, local: str, prop: str) -> None:
        if self.has(owner, prop):
            return
        profiles = sorted(self.g.objects(owner, self.C[local]), key=str)
        if not profiles:
            return
        if len(profiles) == 1:
            self.add(owner, prop, self.profile(profiles[0], local, base=owner))
            return
        group = _sub(owner, local)
        self.typed(group, "AnyOf")
        self.add(group, RG + "caveat", self.lit(f"The CTDL record gives {len(profiles)} condition profiles under "
                                                f"ceterms:{local}; radgraph reads them as alternatives."))
        for i, p in enumerate(profiles):
            self.add(group, RG + "member", self.profile(p, f"{local}-{i + 1}", base=owner))
        self.evidence(group, f"{len(profiles)} condition profiles", str(owner))
        self.add(owner, prop, group)

    def profile(self, cp, hint: str, base):
        """The requirement node a ConditionProfile is (its own IRI, or one minted from ``hint``)."""
        if any((cp, self.RDF.type, self.URIRef(t)) in self.out for t in REQUIREMENT_TYPES):
            return cp  # written by radgraph: its tree is in radgraph's terms already
        node = cp if isinstance(cp, self.URIRef) else _sub(base, hint)
        words = self.text(cp, "description") or self.text(cp, "name")
        members = []
        for cred in self.links(cp, "targetCredential"):
            leaf = _sub(node, f"credential-{len(members) + 1}")
            self.typed(leaf, "CredentialRequirement")
            self.add(leaf, RG + "credential", cred)
            self.evidence(leaf, words, str(cp))
            members.append(leaf)
        occupations = self.links(cp, "targetOccupation")
        years = self.text(cp, "yearsOfExperience")
        experience = self.text(cp, "experience")
        if years or experience:
            leaf = _sub(node, "experience")
            self.typed(leaf, "ExperienceRequirement")
            if years:
                self.add(leaf, RG + "minMonths", self.lit(round(float(years) * 12), XSD + "integer"))
            if occupations:
                self.add(leaf, RG + "role", occupations.pop(0))
            else:  # experience nowhere named: a setting in its words, which no role gives
                setting = _sub(node, "experience-setting")
                self.typed(setting, "Setting")
                self.add(setting, SKOS + "prefLabel", self.lit(experience or f"{years} years of experience"))
                self.evidence(setting, experience or words, str(cp))
                self.add(leaf, RG + "setting", setting)
            self.evidence(leaf, experience or words, str(cp))
            members.append(leaf)
        for occ in occupations:
            leaf = _sub(node, f"role-{len(members) + 1}")
            self.typed(leaf, "RoleRequirement")
            self.add(leaf, RG + "role", occ)
            self.evidence(leaf, words, str(cp))
            members.append(leaf)
        alternatives = sorted(self.g.objects(cp, self.C.alternativeCondition), key=str)
        if alternatives:
            group = _sub(node, "alternatives") if members else node
            self.typed(group, "AnyOf")
            for i, alt in enumerate(alternatives):
                self.add(group, RG + "member", self.profile(alt, f"alternative-{i + 1}", base=node))
            if group != node:
                self.evidence(group, words, str(cp))
                members.append(group)
            else:
                self._dated(node, cp)
                self.evidence(node, words, str(cp))
                return node
        if not members:  # a condition in words only: required, never dropped
            cred = _sub(node, "condition")
            self.typed(cred, "Credential")
            self.add(cred, RG + "kind", self.URIRef(KIND + "program"))
            self.add(cred, SKOS + "prefLabel", self.lit(words or "condition stated in words"))
            self.add(cred, RG + "caveat", self.lit("A CTDL condition stated in words only: what meets it is not "
                                                   "machine-readable."))
            self.evidence(cred, words, str(cp))
            leaf = _sub(node, "credential-1")
            self.typed(leaf, "CredentialRequirement")
            self.add(leaf, RG + "credential", cred)
            self.evidence(leaf, words, str(cp))
            members.append(leaf)
        if len(members) == 1 and not self.text(cp, "dateEffective"):
            return members[0]
        self.typed(node, "AllOf")
        for m in members:
            self.add(node, RG + "member", m)
        self._dated(node, cp)
        self.evidence(node, words, str(cp))
        return node

    def _dated(self, node, cp) -> None:
        date = self.text(cp, "dateEffective")
        if date and not self.has(node, RG + "effectiveFrom"):
            self.add(node, RG + "effectiveFrom", self.lit(date[:10], XSD + "date"))


def _sub(node, suffix: str):
    """An IRI minted under ``node``: ``node#suffix``, or ``node-suffix`` when it has a fragment already."""
    from rdflib import URIRef

    return URIRef(f"{node}{'-' if '#' in str(node) else '#'}{suffix}")


def _months(text: str) -> float | None:
    """Months in an ISO 8601 duration ('P24M', 'P2Y', 'P1Y6M'); None when it holds none or hours only."""
    m = _MONTHS.match(text or "")
    if not m or not any(m.groups()[:4]):
        return None
    years, months, weeks, days = (float(x) if x else 0.0 for x in m.groups()[:4])
    total = years * 12 + months + weeks * 7 / 30.4375 + days / 30.4375
    return int(total) if float(total).is_integer() else round(total, 2)


def _hours(text: str) -> float | None:
    m = _MONTHS.match(text or "")
    if not m or not m.group(5) or any(m.groups()[:4]):
        return None
    h = float(m.group(5))
    return int(h) if h.is_integer() else h

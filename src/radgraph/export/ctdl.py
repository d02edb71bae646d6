"""CTDL: the graph as JSON-LD in the Credential Transparency Description Language.

Each credential is written as the CTDL credential class its kind (and, for programs, its
name) says (:data:`CREDENTIAL_CLASSES`); each organization as ``ceterms:CredentialOrganization``,
``ceterms:QACredentialOrganization`` or ``ceterms:Organization`` with ``ceterms:offers``,
``ceterms:owns`` and ``ceterms:approves``; each role as ``ceterms:Occupation`` with its
occupation codes as ``ceterms:occupationType``; each requirement tree as ``ceterms:ConditionProfile``
nodes (see :func:`condition_profiles`).

What CTDL cannot say stays beside it in radgraph's own terms (``rg:``, ``skos:``, ``prov:``):
every triple of the data graph that no CTDL property above carries is written as it is, so
reading the file back (:mod:`radgraph.ctdl.reader`) gives the same graph. :func:`ctdl_findings`
lists what the Registry's minimum data asks for and the sources do not say, and where a
requirement tree says more than CTDL can; nothing is filled in.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..ctdl import CETERMS, context, terms
from ..model import AllOf, AnyOf, ContinuingEducation, CredentialReq, ExperienceReq, Months, RoleReq
from ..namespaces import PREFIXES, shorten
from ..vocab import RG_NS, SKOS_ALT, SKOS_PREF, V
from .files import write_atomic

LANG = "en-US"

#: A credential's CTDL class: by kind, and for programs by a word in the name (first match wins).
#: A registry membership has no CTDL class; the nearest is a certification kept current by renewal.
CREDENTIAL_CLASSES = {
    "certification": "ceterms:Certification",
    "registry": "ceterms:Certification",
    "license": "ceterms:License",
    "diploma": "ceterms:SecondarySchoolDiploma",
}
PROGRAM_WORDS = (
    ("associate degree", "ceterms:AssociateDegree"),
    ("bachelor", "ceterms:BachelorDegree"),
    ("master's degree", "ceterms:MasterDegree"),
    ("medical school", "ceterms:Degree"),
)
DIPLOMA_WORDS = (("ged", "ceterms:GeneralEducationDevelopment"),)
ORGANIZATION_CLASSES = {  # the first radgraph type an organization has, in this order
    "CertifyingBody": "ceterms:CredentialOrganization",
    "AccreditingBody": "ceterms:QACredentialOrganization",
    "LicensingBody": "ceterms:QACredentialOrganization",
    "Organization": "ceterms:Organization",
}

#: The radgraph triples a CTDL property carries, per kind of node: left out of the radgraph
#: terms written beside (the reader maps the CTDL property back).
COVERED = {
    "credential": {SKOS_PREF, SKOS_ALT, V.issuedBy, V.approvedBy, V.validIn, V.requires},
    "organization": {SKOS_PREF, V.partOf},
    "role": {SKOS_PREF, SKOS_ALT, V.requires},
    "jurisdiction": {SKOS_PREF},
}


@dataclass(frozen=True)
class Finding:
    """One thing the export could not say in CTDL: a required property the sources do not give
    (``kind`` "missing"), or a part of a requirement tree CTDL cannot express ("gap")."""

    node: str
    cls: str
    kind: str
    detail: str

    def line(self) -> str:
        return f"{shorten(self.node)} {self.cls}: {self.kind}: {self.detail}"


def credential_class(cred) -> str:
    """The CTDL class of a :class:`~radgraph.model.Credential`.

    >>> from radgraph.model import Credential
    >>> credential_class(Credential("x", "Associate degree program in radiography", "program"))
    'ceterms:AssociateDegree'
    >>> credential_class(Credential("x", "Radiology residency (ACGME-approved)", "program"))
    'ceterms:CertificateOfCompletion'
    """
    name = cred.label.casefold()
    words = PROGRAM_WORDS if cred.kind == "program" else DIPLOMA_WORDS if cred.kind == "diploma" else ()
    for word, cls in words:
        if re.search(rf"\b{re.escape(word)}", name):
            return cls
    if cred.kind == "program":
        return "ceterms:CertificateOfCompletion"
    return CREDENTIAL_CLASSES.get(cred.kind, "ceterms:Credential")


def ctdl_document(graph) -> tuple[dict, list[Finding]]:
    """The CTDL JSON-LD document of ``graph`` (a dict), and the findings (:class:`Finding`)."""
    from ..kg import build_model

    return _Writer(graph, build_model(graph)).document()


def generate_ctdl(graph) -> str:
    """The graph as CTDL JSON-LD (the shipped context inlined, so it reads offline).

    Examples
    --------
    >>> import json, radgraph
    >>> doc = json.loads(generate_ctdl(radgraph.load().graph))
    >>> nodes = {n["@id"]: n for n in doc["@graph"]}
    >>> ct = nodes["https://w3id.org/radgraph/id/credential/arrt-ct"]
    >>> ct["@type"][0], ct["ceterms:name"], ct["ceterms:ownedBy"]
    ('ceterms:Certification', {'en-US': 'ARRT certification and registration in Computed Tomography (CT)'}, ['https://w3id.org/radgraph/id/organization/arrt'])
    """
    doc, _ = ctdl_document(graph)
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def write_ctdl(graph, output) -> Path:
    """Write :func:`generate_ctdl` to ``output`` atomically."""
    return write_atomic(output, generate_ctdl(graph))


def ctdl_findings(graph) -> list[Finding]:
    """What the Registry's minimum data asks for and the data does not say, and what of the
    requirement trees CTDL cannot express (kept in radgraph's terms), sorted.

    Examples
    --------
    >>> import radgraph
    >>> found = ctdl_findings(radgraph.load().graph)
    >>> next(f.line() for f in found if f.node.endswith("/credential/arrt-ct"))
    'cred:arrt-ct ceterms:Certification: missing: ceterms:ctid, ceterms:description, ceterms:subjectWebpage, ceterms:credentialStatusType'
    """
    return ctdl_document(graph)[1]


# ------------------------------------------------------------------ the writer


def _lang(text: str) -> dict:
    return {LANG: text}


class _Writer:
    def __init__(self, graph, model):
        self.graph = graph
        self.model = model
        self.findings: list[Finding] = []
        self.extra: dict[str, dict] = {}  # id -> CTDL properties added to that node
        self.types: dict[str, str] = {}  # id -> its CTDL class
        self.covered: dict[str, set[str]] = {}

    # -- the nodes CTDL has a class for

    def document(self) -> tuple[dict, list[Finding]]:
        m = self.model
        issued: dict[str, list[str]] = {}
        approved: dict[str, list[str]] = {}
        for cred in m.credentials.values():
            self._credential(cred)
            for org in cred.issued_by:
                issued.setdefault(org, []).append(cred.id)
            for org in cred.approved_by:
                approved.setdefault(org, []).append(cred.id)
        for org in m.organizations.values():
            self._organization(org, issued.get(org.id, []), approved.get(org.id, []))
        for role in m.roles.values():
            self._role(role)
        for place in m.jurisdictions.values():
            self._set(place.id, "jurisdiction", "ceterms:Place", {"ceterms:name": _lang(place.label)})
        for owner in (*m.credentials.values(), *m.roles.values()):
            for tree in (owner.requires, getattr(owner, "maintains", None)):
                if tree is not None:
                    self._profile(tree, root=True)
        nodes = [self._node(s) for s in self._subjects()]
        doc = {"@context": context(), "@graph": nodes}
        return doc, sorted(set(self.findings), key=lambda f: (f.node, f.kind, f.detail))

    def _set(self, node: str, kind: str, cls: str, props: dict) -> None:
        self.types[node] = cls
        self.covered[node] = COVERED.get(kind, set())
        self.extra.setdefault(node, {}).update({k: v for k, v in props.items() if v not in (None, [], {})})

    def _credential(self, cred) -> None:
        cls = credential_class(cred)
        props = {
            "ceterms:name": _lang(cred.label),
            "ceterms:alternateName": {LANG: list(cred.alt_labels)} if cred.alt_labels else None,
            "ceterms:ownedBy": list(cred.issued_by),
            "ceterms:offeredBy": list(cred.issued_by),
            "ceterms:approvedBy": list(cred.approved_by),
            "ceterms:jurisdiction": [{"@type": "ceterms:JurisdictionProfile", "ceterms:mainJurisdiction": {"@id": p}}
                                     for p in cred.valid_in],
            "ceterms:estimatedDuration": _duration(cred),
            "ceterms:requires": [{"@id": cred.requires.id}] if cred.requires is not None else None,
        }
        self._set(cred.id, "credential", cls, props)
        self._missing(cred.id, cls, "credential", props)

    def _organization(self, org, issued: list[str], approved: list[str]) -> None:
        cls = next((ORGANIZATION_CLASSES[t] for t in ORGANIZATION_CLASSES if t in org.types), "ceterms:Organization")
        props = {
            "ceterms:name": _lang(org.label),
            "ceterms:parentOrganization": list(org.part_of),
            "ceterms:offers": sorted(issued),
            "ceterms:owns": sorted(issued),
            "ceterms:approves": sorted(approved),
        }
        self._set(org.id, "organization", cls, props)
        self._missing(org.id, cls, cls, props)

    def _role(self, role) -> None:
        props = {
            "ceterms:name": _lang(role.label),
            "ceterms:alternateName": {LANG: list(role.alt_labels)} if role.alt_labels else None,
            "ceterms:occupationType": [
                {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": code.id,
                 "ceterms:targetNodeName": _lang(code.label), "ceterms:frameworkName": _lang(code.scheme),
                 **({"ceterms:codedNotation": code.notation} if code.notation else {})}
                for code in role.matches],
            "ceterms:requires": [{"@id": role.requires.id}] if role.requires is not None else None,
        }
        self._set(role.id, "role", "ceterms:Occupation", props)
        self._missing(role.id, "ceterms:Occupation", "ceterms:Occupation", props)

    def _missing(self, node: str, cls: str, policy: str, props: dict) -> None:
        rule = terms()["required"].get(policy)
        if rule is None:
            return
        have = {k for k, v in props.items() if v not in (None, [], {})}
        lacking = [p for p in rule["all"] if p not in have]
        if rule.get("one_of") and not have & set(rule["one_of"]):
            lacking.append(" or ".join(rule["one_of"]))
        if lacking:
            self.findings.append(Finding(node, cls, "missing", ", ".join(lacking)))

    # -- requirement trees as condition profiles

    def _profile(self, req, root: bool = False) -> None:
        """Make ``req`` a ConditionProfile: its own conditions, and alternatives from its groups."""
        props: dict = {"ceterms:description": _lang(self._words(req))}
        if req.effective_from:
            props["ceterms:dateEffective"] = req.effective_from
        if req.effective_until:
            self._gap(req, f"in force until {req.effective_until}: CTDL's ConditionProfile has no end date "
                           "(kept as rg:effectiveUntil)")
        if isinstance(req, AnyOf):
            props["ceterms:alternativeCondition"] = [{"@id": m.id} for m in req.members]
            for m in req.members:
                self._profile(m)
        elif isinstance(req, AllOf):
            leaves = [m for m in req.members if not isinstance(m, (AllOf, AnyOf))]
            groups = [m for m in req.members if isinstance(m, (AllOf, AnyOf))]
            props.update(self._conditions(req, leaves))
            if groups:
                props["ceterms:alternativeCondition"] = [{"@id": groups[0].id}]
                self._profile(groups[0])
            for g in groups[1:]:
                self._gap(req, f"its group {shorten(g.id)} is a second group beside {shorten(groups[0].id)}: a "
                               "ConditionProfile has one set of alternatives (kept as rg:member)")
                self._profile(g)
            for leaf in leaves:
                if leaf.effective_from or leaf.effective_until or leaf.correction is not None:
                    self._gap(leaf, "dated or corrected inside an all-of: CTDL dates whole profiles only "
                                    "(kept in rg terms)")
        else:
            props.update(self._conditions(req, [req]))
        self._set(req.id, "requirement", "ceterms:ConditionProfile", props)

    def _conditions(self, owner, leaves) -> dict:
        props: dict = {}
        creds = [leaf.credential for leaf in leaves if isinstance(leaf, CredentialReq)]
        if creds:
            props["ceterms:targetCredential"] = creds
        experience = [leaf for leaf in leaves if isinstance(leaf, ExperienceReq)]
        roles = [leaf.role for leaf in leaves if isinstance(leaf, RoleReq)]
        if experience and roles or len(experience) > 1:
            self._gap(owner, "experience and held roles together: one ConditionProfile says one "
                             "experience, for its target occupations (kept as rg:member)")
        if experience:
            exp = experience[0]
            props["ceterms:experience"] = self._words(exp)
            if exp.min_months is not None:
                props["ceterms:yearsOfExperience"] = round(exp.min_months / 12, 4)
            if exp.role:
                props["ceterms:targetOccupation"] = [exp.role]
            if exp.within_months or exp.max_months or exp.setting:
                self._gap(exp, "an experience window, maximum or setting: CTDL says years of experience "
                               "only (kept as rg:withinMonths, rg:maxMonths, rg:setting)")
        elif roles:
            props["ceterms:targetOccupation"] = roles
        if any(isinstance(leaf, ContinuingEducation) for leaf in leaves):
            self._gap(owner, "continuing education: no CTDL condition for it beyond the description "
                             "(kept as rg:ContinuingEducationRequirement)")
        return props

    def _gap(self, req, detail: str) -> None:
        self.findings.append(Finding(req.id, "ceterms:ConditionProfile", "gap", detail))

    def _words(self, req) -> str:
        """A requirement in plain words, composed from the tree (not quoted from a source)."""
        m = self.model
        if isinstance(req, (AllOf, AnyOf)):
            head = "All of" if isinstance(req, AllOf) else "Any one of"
            return f"{head}: " + "; ".join(self._words(x) for x in req.members)
        if isinstance(req, CredentialReq):
            return m.label(req.credential) + (f" ({req.condition})" if req.condition else "")
        if isinstance(req, ExperienceReq):
            span = Months(req.min_months, req.min_months).text() if req.min_months is not None else "some"
            where = m.label(req.role) if req.role else m.label(req.setting)
            text = f"{span} of experience as or in {where}".replace("about ", "")
            if req.within_months:
                text += f", within the preceding {req.within_months} months"
            return text
        if isinstance(req, RoleReq):
            return f"holds or has held the role {m.label(req.role)}"
        return req.label

    # -- every node of the data graph

    def _subjects(self) -> list[str]:
        from rdflib import URIRef

        vocab = (RG_NS, PREFIXES["kind"], RG_NS[:-1])
        found = {str(s) for s in self.graph.subjects() if isinstance(s, URIRef)}
        found = {s for s in found if not s.startswith(vocab)}
        return sorted(found | set(self.extra))

    def _node(self, subject: str) -> dict:
        from rdflib import RDF, BNode, URIRef

        node: dict = {"@id": subject}
        types = [self.types[subject]] if subject in self.types else []
        types += sorted(_key(str(t)) for t in self.graph.objects(URIRef(subject), RDF.type))
        if types:
            node["@type"] = types
        node.update(self.extra.get(subject, {}))
        skip = self.covered.get(subject, set()) | {str(RDF.type)}
        beside: dict[str, list] = {}
        for p, o in self.graph.predicate_objects(URIRef(subject)):
            if str(p) in skip:
                continue
            if isinstance(o, BNode):  # the shipped data names everything; a blank node is refused
                raise ValueError(f"{shorten(subject)}: blank node object of {shorten(str(p))} cannot be written")
            beside.setdefault(_key(str(p)), []).append(_value(o))
        for key in sorted(beside):
            node[key] = sorted(beside[key], key=lambda v: json.dumps(v, sort_keys=True))
        return node


def _key(iri: str) -> str:
    """A property or class as ``prefix:name`` when the context knows the prefix, else the full IRI."""
    short = shorten(iri)
    prefix = short.split(":", 1)[0]
    return short if short != iri and prefix in context() and not prefix.startswith("http") else iri


def _value(o) -> dict | str:
    from rdflib import URIRef
    from rdflib.namespace import XSD

    if isinstance(o, URIRef):
        return {"@id": str(o)}
    if o.language:
        return {"@value": str(o), "@language": o.language}
    if o.datatype is None or o.datatype == XSD.string:
        return str(o)
    return {"@value": str(o), "@type": str(o.datatype)}


def _duration(cred) -> list | None:
    """The length to earn it as a DurationProfile: exact when least and typical agree, else its least
    (CTDL has no 'typical' length: that stays rg:durationMonths)."""
    length = cred.duration
    if length is None:
        return None
    if cred.months is None and cred.months_min is None:  # a short course in hours
        return [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": f"PT{_n(cred.hours)}H",
                 "ceterms:description": _lang(length.text())}]
    profile = {"@type": "ceterms:DurationProfile", "ceterms:description": _lang(length.text())}
    if length.min == length.typical:
        profile["ceterms:exactDuration"] = f"P{_n(length.typical)}M"
    else:
        profile["ceterms:minimumDuration"] = f"P{_n(length.min)}M"
    return [profile]


def _n(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


assert CETERMS == PREFIXES["ceterms"]

"""Reading the model (plain dataclasses) out of a triple index, without rdflib."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import DataError
from .model import (
    AllOf,
    AnyOf,
    Code,
    ContinuingEducation,
    Correction,
    Credential,
    CredentialReq,
    Evidence,
    ExperienceReq,
    Model,
    Organization,
    Ref,
    Requirement,
    Role,
    RoleReq,
)
from .triples import TripleIndex
from .vocab import (
    PROV_DERIVED,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT,
    SKOS_BROADER,
    SKOS_CLOSE,
    SKOS_EXACT,
    SKOS_IN_SCHEME,
    SKOS_NOTATION,
    SKOS_PREF,
    V,
)

#: The SKOS mapping properties a role's external occupations are read from, and their names.
_MATCHES = ((SKOS_EXACT, "exact"), (SKOS_CLOSE, "close"))

#: How deep requirements may nest, counting the levels of every credential
#: prerequisite's tree too: the reader and the planner walk them recursively, so
#: deeper data would exhaust Python's stack. The shipped graph needs 5 levels.
MAX_DEPTH = 64

#: How many requirement nodes one role's or credential's requirements may come
#: to once every shared node and every prerequisite is written out in full:
#: the planner expands them all, so a few nodes shared in a ladder of diamonds
#: would otherwise take exponential time. The shipped graph needs under 100.
MAX_EXPANDED = 10_000

#: The longest length the reader takes, in months (a century) and in hours (a century of full-time
#: work): a negative, infinite or NaN length, or one past these, would make sums and JSON meaningless.
MAX_MONTHS = 1200
MAX_HOURS = 210_000


def shorten(iri: str) -> str:
    from .namespaces import shorten as _shorten  # only on the error path

    return _shorten(iri)


class _Reader:
    def __init__(self, index: TripleIndex):
        self.g = index
        self._labels: dict[str, str] = {}
        self._refs: dict[str, Ref] = {}
        self.evidence: dict[str, Evidence] = {}
        self.built: dict[str, tuple[Requirement, int, int]] = {}  # node -> (requirement, expanded size, height)
        self.statements: dict[tuple, list[Evidence]] = {}
        for ev in index.instances(V.Evidence):
            src = index.value(ev, V.inSource)
            e = Evidence(
                id=str(ev),
                quote=str(index.value(ev, V.quote) or ""),
                section=str(index.value(ev, V.section) or ""),
                source=str(src or ""),
                source_label=str(self.label(src)) if src else "",
                inference=str(index.value(ev, V.inference) or ""),
            )
            self.evidence[ev] = e
            about = index.value(ev, V.about)
            prop = index.value(ev, V.property)
            if about is not None and prop is not None:
                for value in index.objects(ev, V.value):
                    self.statements.setdefault((about, prop, value), []).append(e)

    def label(self, node) -> str:
        found = self._labels.get(node)
        if found is None:
            found = self._labels[node] = self._label(node)
        return found

    def _label(self, node) -> str:
        if node is None:
            return ""
        for p in (SKOS_PREF, RDFS_LABEL):
            v = self.g.value(node, p)
            if v is not None:
                return str(v)
        return str(node).rsplit("/", 1)[-1]

    def strs(self, node, prop) -> tuple[str, ...]:
        return tuple(sorted(str(o) for o in self.g.objects(node, prop)))

    def text(self, node, prop) -> str:
        v = self.g.value(node, prop)
        return str(v) if v is not None else ""

    def number(self, node, prop):
        v = self.g.value(node, prop)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            n = float(v)  # a huge int becomes inf here
            most = MAX_HOURS if prop == V.hours else MAX_MONTHS
            if not 0 <= n <= most:  # also NaN and inf: data the shapes would refuse, read with --no-validate or
                unit = "hours" if prop == V.hours else "months"  # from a server, must not reach the sums
                raise DataError(f"{shorten(str(node))} {shorten(str(prop))}: {str(v)[:40]} is not a number of "
                                f"{unit} from 0 to {most}")
            return int(n) if n.is_integer() else n
        return None

    def sources(self, node) -> tuple[Evidence, ...]:
        return tuple(
            sorted(
                (self.evidence[e] for e in self.g.objects(node, PROV_DERIVED) if e in self.evidence),
                key=lambda e: e.id,
            )
        )

    def stated(self, s, p, o) -> tuple[Evidence, ...]:
        return tuple(self.statements.get((s, p, o), ()))

    def correction(self, node) -> Correction | None:
        """The correction a node names (rg:correction), with its date and evidence."""
        fix = self.g.value(node, V.correction)
        if fix is None:
            return None
        return Correction(text=self.label(fix), since=self.text(fix, V.effectiveFrom), sources=self.sources(fix))

    def in_force(self, node) -> dict:
        """The dates a requirement node was in force, and its correction, as dataclass fields."""
        return dict(effective_from=self.text(node, V.effectiveFrom), effective_until=self.text(node, V.effectiveUntil),
                    correction=self.correction(node))

    def ref(self, node) -> Ref:
        found = self._refs.get(node)
        if found is None:
            found = self._refs[node] = Ref(id=str(node), label=self.label(node), notation=self.text(node, SKOS_NOTATION))
        return found

    def code(self, node, match: str) -> Code:
        ref = self.ref(node)
        scheme = self.g.value(node, SKOS_IN_SCHEME)
        return Code(
            id=ref.id, label=ref.label, notation=ref.notation, match=match,
            scheme=self.label(scheme) if scheme is not None else "",
            groups=self.refs(node, SKOS_BROADER),
        )

    def refs(self, node, prop) -> tuple[Ref, ...]:
        return tuple(sorted((self.ref(o) for o in self.g.objects(node, prop)), key=lambda r: (r.label, r.id)))

    def sort_key(self, req: Requirement) -> tuple:
        """Members in a stable, readable order: credentials by label, then the rest."""
        name = self.label(req.credential) if isinstance(req, CredentialReq) else req.id
        return (_ORDER[type(req)], name.casefold(), req.id)

    def requirement(self, node, seen: frozenset = frozenset()) -> Requirement | None:
        """The requirement tree at ``node``; each node is read once, however many groups share it."""
        if node is None:
            return None
        if node not in self.built:
            req = self._requirement(node, seen)
            members = [self.built[m.id] for m in getattr(req, "members", ())]
            size = 1 + sum(m[1] for m in members)
            if size > MAX_EXPANDED:
                raise DataError(f"requirement tree at {shorten(str(node))} comes to more than {MAX_EXPANDED} "
                                "requirements once its shared parts are written out")
            self.built[node] = (req, size, 1 + max((m[2] for m in members), default=0))
        req, _, height = self.built[node]
        if len(seen) + height > MAX_DEPTH:  # a shared node read first at a shallower place
            raise DataError(f"requirement tree nests deeper than {MAX_DEPTH} levels at {shorten(str(node))}")
        return req

    def _requirement(self, node, seen: frozenset) -> Requirement:
        if node in seen:
            raise DataError(f"requirement tree has a cycle at {shorten(str(node))}")
        if len(seen) >= MAX_DEPTH:
            raise DataError(f"requirement tree nests deeper than {MAX_DEPTH} levels at {shorten(str(node))}")
        seen = seen | {node}
        types = set(self.g.objects(node, RDF_TYPE))
        common = dict(id=str(node), caveat=self.text(node, V.caveat), sources=self.sources(node), **self.in_force(node))
        if V.AllOf in types or V.AnyOf in types:
            members = [self.requirement(m, seen) for m in self.g.objects(node, V.member)]
            members = tuple(sorted((m for m in members if m is not None), key=self.sort_key))
            cls = AllOf if V.AllOf in types else AnyOf
            return cls(members=members, **common)
        if V.CredentialRequirement in types:
            cred = self.g.value(node, V.credential)
            return CredentialReq(credential=str(cred), condition=self.text(node, V.condition), **common)
        if V.ExperienceRequirement in types:
            role = self.g.value(node, V.role)
            setting = self.g.value(node, V.setting)
            return ExperienceReq(
                min_months=self.number(node, V.minMonths),
                max_months=self.number(node, V.maxMonths),
                within_months=self.number(node, V.withinMonths),
                role=str(role) if role is not None else None,
                setting=str(setting) if setting is not None else None,
                **common,
            )
        if V.RoleRequirement in types:
            return RoleReq(role=str(self.g.value(node, V.role)), **common)
        if V.ContinuingEducationRequirement in types:
            return ContinuingEducation(
                label=self.label(node),
                administered_by=self.strs(node, V.administeredBy),
                **common,
            )
        raise DataError(f"{shorten(str(node))}: requirement of unknown type")


_ORDER = {CredentialReq: 0, ExperienceReq: 1, RoleReq: 2, AnyOf: 3, AllOf: 4, ContinuingEducation: 5}


def _instances(index: TripleIndex, cls: str) -> list[str]:
    return sorted(set(index.instances(cls)))


def build_model(index: TripleIndex) -> Model:
    """Read roles, credentials and organizations out of a triple index."""
    r = _Reader(index)
    model = Model()
    g = index
    for node in index.subjects():
        if not node.startswith("_:") and (g.has(node, SKOS_PREF) or g.has(node, RDFS_LABEL)):
            model.labels[str(node)] = r.label(node)

    org_types = {V.CertifyingBody: "CertifyingBody", V.AccreditingBody: "AccreditingBody",
                 V.LicensingBody: "LicensingBody", V.Organization: "Organization"}
    orgs = set()
    for cls in org_types:
        orgs.update(g.instances(cls))
    for node in sorted(orgs, key=str):
        types = tuple(sorted(org_types[t] for t in g.objects(node, RDF_TYPE) if t in org_types))
        model.organizations[str(node)] = Organization(
            id=str(node), label=r.label(node), notation=r.text(node, SKOS_NOTATION), types=types,
            part_of=r.strs(node, V.partOf), caveat=r.text(node, V.caveat), sources=r.sources(node),
            correction=r.correction(node),
        )

    same: dict[str, set[str]] = {}  # rg:sameAs is symmetric: either side may state it
    for node in _instances(g, V.Credential):
        for other in g.objects(node, V.sameAs):
            same.setdefault(str(node), set()).add(str(other))
            same.setdefault(str(other), set()).add(str(node))
    for node in _instances(g, V.Credential):
        kind = g.value(node, V.kind)
        months = r.number(node, V.durationMonths)
        model.credentials[str(node)] = Credential(
            id=str(node),
            label=r.label(node),
            kind=r.text(kind, SKOS_NOTATION) if kind is not None else "",
            alt_labels=r.strs(node, SKOS_ALT),
            months=months,
            issued_by=r.strs(node, V.issuedBy),
            approved_by=r.strs(node, V.approvedBy),
            valid_in=r.strs(node, V.validIn),
            requires=r.requirement(g.value(node, V.requires)),
            counts_as=r.strs(node, V.countsAs),
            caveat=r.text(node, V.caveat),
            sources=_unique(
                r.sources(node),
                *(r.stated(node, p, o) for p in (V.issuedBy, V.approvedBy, V.validIn, V.countsAs, V.includes,
                                                  V.durationMonths, V.minDurationMonths, V.hours)
                  for o in g.objects(node, p)),
                *(r.stated(a, V.sameAs, b) for other in same.get(str(node), ())
                  for a, b in ((node, other), (other, node))),
            ),
            months_min=r.number(node, V.minDurationMonths),
            hours=r.number(node, V.hours),
            same_as=tuple(sorted(same.get(str(node), ()))),
            includes=r.strs(node, V.includes),
            correction=r.correction(node),
            inferred=tuple(sorted({
                (str(o), e.inference)
                for p in (V.countsAs, V.includes) for o in g.objects(node, p) for e in r.stated(node, p, o) if e.inference
            } | {
                (o, e.inference)
                for o in same.get(str(node), ()) for a, b in ((node, o), (o, node))
                for e in r.stated(a, V.sameAs, b) if e.inference
            })),
        )

    for node in _instances(g, V.Setting):
        model.settings[str(node)] = r.ref(node)
    for node in _instances(g, V.Jurisdiction):
        model.jurisdictions[str(node)] = r.ref(node)

    for node in _instances(g, V.Role):
        relations = (V.usesSystem, V.hasSkill, V.supervisedBy, V.directedBy, V.providesExperienceIn, SKOS_ALT)
        duties = tuple(
            sorted((r.ref(d) for d in g.objects(node, V.performs)), key=lambda x: x.id)
        )
        duty_sources = [r.sources(d) for d in g.objects(node, V.performs)]
        model.roles[str(node)] = Role(
            id=str(node),
            label=r.label(node),
            alt_labels=r.strs(node, SKOS_ALT),
            notations=r.strs(node, SKOS_NOTATION),
            requires=r.requirement(g.value(node, V.requires)),
            maintains=r.requirement(g.value(node, V.maintains)),
            duties=duties,
            skills=r.refs(node, V.hasSkill),
            systems=r.refs(node, V.usesSystem),
            supervised_by=r.refs(node, V.supervisedBy),
            directed_by=r.refs(node, V.directedBy),
            settings=r.strs(node, V.providesExperienceIn),
            matches=tuple(
                sorted(
                    (r.code(o, kind) for p, kind in _MATCHES for o in g.objects(node, p)),
                    key=lambda x: (x.scheme, x.id, x.match),
                )
            ),
            caveat=r.text(node, V.caveat),
            sources=_unique(
                r.sources(node),
                *duty_sources,
                *(r.stated(node, p, o) for p in relations for o in g.objects(node, p)),
            ),
        )
    return model


def _unique(*groups: Iterable[Evidence]) -> tuple[Evidence, ...]:
    seen: dict[str, Evidence] = {}
    for group in groups:
        for e in group:
            seen.setdefault(e.id, e)
    return tuple(sorted(seen.values(), key=lambda e: e.id))


def check_model(model: Model) -> None:
    """Checks SHACL cannot state simply, over credential prerequisites: no cycle,
    and no chain the planner, which expands every prerequisite, could not walk
    (past :data:`MAX_DEPTH` levels, or :data:`MAX_EXPANDED` requirements)."""
    done: dict[str, tuple[int, int]] = {}
    for cred in model.credentials.values():
        _check_prereqs(model, cred.id, [], 0, done)


def _check_prereqs(model: Model, cred_id: str, stack: list[str], above: int,
                   done: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """(levels, requirements) under ``cred_id`` with its prerequisites written out; each credential read once.

    ``above`` counts the levels over it, so the recursion stops at :data:`MAX_DEPTH`.
    """
    if cred_id in stack:
        chain = " -> ".join(model.label(c) for c in [*stack[stack.index(cred_id):], cred_id])
        raise DataError(f"credential prerequisites form a cycle: {chain}")
    if cred_id not in done:
        cred = model.credentials.get(cred_id)
        depth = size = 0
        if cred is not None and cred.requires is not None:
            todo = [(cred.requires, 1)]  # (node, its level); the tree holds at most MAX_EXPANDED nodes
            while todo:
                node, level = todo.pop()
                size += 1
                depth = max(depth, level)
                if isinstance(node, (AllOf, AnyOf)):
                    todo.extend((m, level + 1) for m in node.members)
                elif isinstance(node, CredentialReq):
                    if above + level > MAX_DEPTH:
                        raise DataError(f"credential prerequisites nest deeper than {MAX_DEPTH} levels "
                                        f"under {model.label(stack[0] if stack else cred_id)}")
                    d, n = _check_prereqs(model, node.credential, [*stack, cred_id], above + level, done)
                    depth, size = max(depth, level + d), size + n
                if size > MAX_EXPANDED:
                    raise DataError(f"the requirements of {model.label(cred_id)} come to more than {MAX_EXPANDED} "
                                    "once every prerequisite is written out")
        done[cred_id] = (depth, size)
    depth, size = done[cred_id]
    if above + depth > MAX_DEPTH:
        raise DataError(f"credential prerequisites nest deeper than {MAX_DEPTH} levels "
                        f"under {model.label(stack[0] if stack else cred_id)}")
    return depth, size


# ------------------------------------------------------------------ the model

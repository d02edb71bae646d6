"""The JSON contract and the text views of roles and requirement trees.

``role_summary`` and ``role_detail`` build the objects ``radgraph roles`` and
``radgraph show`` print with ``--format json``; ``format_role`` and
``format_requirement`` build the text a person reads. Nothing here prints.
"""

from __future__ import annotations

from .model import (
    AllOf,
    AnyOf,
    Code,
    ContinuingEducation,
    Credential,
    CredentialReq,
    Evidence,
    ExperienceReq,
    Model,
    Requirement,
    Role,
    RoleReq,
    walk,
)


def org_refs(model: Model, ids) -> list[dict]:
    return [{"id": i, "label": model.label(i)} for i in ids]


def credential_dict(model: Model, cred_id: str) -> dict:
    """A credential as the JSON contract shows it (id, label, kind, issued_by, ...)."""
    cred: Credential | None = model.credentials.get(cred_id)
    if cred is None:
        return {"id": cred_id, "label": model.label(cred_id), "kind": "", "issued_by": []}
    d = {
        "id": cred.id,
        "label": cred.label,
        "kind": cred.kind,
        "issued_by": org_refs(model, cred.issued_by),
        "approved_by": org_refs(model, cred.approved_by),
        "months": cred.months,
    }
    if cred.valid_in:
        d["valid_in"] = [model.jurisdictions[j].to_dict() if j in model.jurisdictions else {"id": j}
                         for j in cred.valid_in]
    if cred.requires is not None:
        d["requires"] = requirement_dict(model, cred.requires)
    elif cred.requirements_unrecorded:
        d["requirements_unrecorded"] = True
    if cred.caveat:
        d["caveat"] = cred.caveat
    return d


def experience_dict(model: Model, req: ExperienceReq) -> dict:
    return {
        "min_months": req.min_months,
        "max_months": req.max_months,
        "within_months": req.within_months,
        "role": {"id": req.role, "label": model.label(req.role)} if req.role else None,
        "setting": {"id": req.setting, "label": model.label(req.setting)} if req.setting else None,
    }


def requirement_dict(model: Model, req: Requirement | None) -> dict | None:
    """A requirement tree: ``{"all_of": [...]}``, ``{"any_of": [...]}`` or a leaf."""
    if req is None:
        return None
    if isinstance(req, AllOf):
        d = {"all_of": [requirement_dict(model, m) for m in req.members]}
    elif isinstance(req, AnyOf):
        d = {"any_of": [requirement_dict(model, m) for m in req.members]}
    elif isinstance(req, CredentialReq):
        d = {"credential": credential_dict(model, req.credential)}
        if req.condition:
            d["condition"] = req.condition
    elif isinstance(req, ExperienceReq):
        d = {"experience": experience_dict(model, req)}
    elif isinstance(req, RoleReq):
        d = {"role": {"id": req.role, "label": model.label(req.role)}}
    elif isinstance(req, ContinuingEducation):
        d = {"continuing_education": {"label": req.label,
                                      "administered_by": org_refs(model, req.administered_by)}}
    else:  # pragma: no cover - the model has no other kinds
        raise TypeError(type(req))
    d["id"] = req.id
    if req.caveat:
        d["caveat"] = req.caveat
    d["sources"] = [e.to_dict() for e in req.sources]
    return d


def role_summary(role: Role) -> dict:
    """One entry of ``radgraph roles --format json``."""
    return {"id": role.id, "label": role.label, "alt_labels": list(role.alt_labels)}


def role_sources(model: Model, role: Role) -> list[Evidence]:
    """Every evidence behind a role: its relations, duties and requirement trees."""
    seen: dict[str, Evidence] = {e.id: e for e in role.sources}
    for tree in (role.requires, role.maintains):
        for node in walk(tree):
            for e in node.sources:
                seen.setdefault(e.id, e)
            if isinstance(node, CredentialReq) and node.credential in model.credentials:
                for e in model.credentials[node.credential].sources:
                    seen.setdefault(e.id, e)
    return sorted(seen.values(), key=lambda e: (e.section, e.id))


def role_detail(model: Model, role: Role) -> dict:
    """The object ``radgraph show ROLE --format json`` prints."""
    d = role_summary(role)
    d.update(
        {
            "requires": requirement_dict(model, role.requires),
            "maintains": requirement_dict(model, role.maintains),
            "duties": [{"id": x.id, "label": x.label} for x in role.duties],
            "skills": [x.to_dict() for x in role.skills],
            "systems": [x.to_dict() for x in role.systems],
            "supervised_by": [x.to_dict() for x in role.supervised_by],
            "directed_by": [x.to_dict() for x in role.directed_by],
            "experience_in": [{"id": s, "label": model.label(s)} for s in role.settings],
            "codes": [x.to_dict() for x in role.matches],
            "sources": [e.to_dict() for e in role_sources(model, role)],
        }
    )
    if role.caveat:
        d["caveat"] = role.caveat
    return d


# ------------------------------------------------------------------ text


def months_text(months) -> str:
    if months is None:
        return "duration not stated"
    months = int(months) if float(months).is_integer() else months
    return f"{months} month" + ("" if months == 1 else "s")


UNRECORDED = "its own requirements are not recorded"


def credential_line(model: Model, cred_id: str) -> str:
    """``label [kind] - issued by X - N months`` for one credential."""
    cred = model.credentials.get(cred_id)
    if cred is None:
        return model.label(cred_id)
    parts = [f"{cred.label} [{cred.kind}]"]
    if cred.issued_by:
        parts.append("issued by " + ", ".join(model.label(o) for o in cred.issued_by))
    if cred.approved_by:
        parts.append("approved by " + ", ".join(model.label(o) for o in cred.approved_by))
    if not cred.issued_by and not cred.approved_by:
        parts.append("issuer not stated in the source")
    if cred.requirements_unrecorded:
        parts.append(UNRECORDED)
    if cred.months is not None:
        parts.append(months_text(cred.months))
    if cred.valid_in:
        parts.append(f"from any of {len(cred.valid_in)} jurisdictions")
    return " - ".join(parts)


def experience_line(model: Model, req: ExperienceReq) -> str:
    if req.min_months is None:
        amount = "some experience (duration not stated)"
    elif req.max_months is not None:
        amount = f"{req.min_months} to {req.max_months} months of experience"
    else:
        amount = f"at least {req.min_months} months of experience"
    where = []
    if req.role:
        where.append(f"as {model.label(req.role)}")
    if req.setting:
        where.append(f"in {model.label(req.setting)}")
    text = " ".join([amount, *where])
    if req.within_months:
        text += f", within the preceding {req.within_months} months"
    return text


def requirement_lines(model: Model, req: Requirement | None, indent: str = "  ", evidence: bool = True) -> list[str]:
    """The requirement tree as indented lines, with ALL OF / ANY OF visible."""
    if req is None:
        return [indent + "(none stated)"]
    lines: list[str] = []

    def add(node: Requirement, pad: str) -> None:
        note = f"  [{node.caveat}]" if node.caveat else ""
        if isinstance(node, (AllOf, AnyOf)):
            head = "ALL OF" if isinstance(node, AllOf) else "ANY ONE OF"
            lines.append(f"{pad}{head}:{note}")
            for m in node.members:
                add(m, pad + "  ")
            return
        if isinstance(node, CredentialReq):
            text = credential_line(model, node.credential)
            if node.condition:
                text += f" ({node.condition})"
        elif isinstance(node, ExperienceReq):
            text = experience_line(model, node)
        elif isinstance(node, RoleReq):
            text = f"qualified as {model.label(node.role)}"
        else:
            text = f"ongoing: {node.label}"
        lines.append(f"{pad}- {text}{note}")
        if evidence:
            for e in node.sources:
                lines.append(f"{pad}    \u201c{e.quote}\u201d ({_where(e)})")

    add(req, indent)
    return lines


def code_line(code: Code) -> str:
    """``O*NET-SOC 29-2034.00 Radiologic Technologists (close match)``, with an ESCO occupation's ISCO-08 group."""
    name = " ".join(x for x in (code.scheme, code.notation, code.label) if x) or code.id
    groups = "".join(f"; in {' '.join(x for x in (g.notation, g.label) if x)}" for g in code.groups)
    return f"{name} ({code.match} match{groups})"


def format_role(model: Model, role: Role) -> str:
    """The text ``radgraph show ROLE`` prints."""
    out = [role.label]
    if role.alt_labels:
        out.append("Also called: " + ", ".join(role.alt_labels))
    if role.matches:
        out.append("Codes:")
        out += [f"  - {code_line(m)}" for m in role.matches]
    if role.caveat:
        out.append(f"Note: {role.caveat}")
    out += ["", "Requires (to enter):", *requirement_lines(model, role.requires)]
    out += ["", "Must maintain:", *requirement_lines(model, role.maintains)]
    for title, refs in (
        ("Supervised by", role.supervised_by),
        ("Works at the direction of", role.directed_by),
        ("Systems", role.systems),
        ("Skills", role.skills),
    ):
        if refs:
            out += ["", f"{title}:"] + [f"  - {r.label}" + (f" ({r.notation})" if r.notation else "") for r in refs]
    if role.duties:
        out += ["", "Duties:"] + [f"  - {d.label}" for d in role.duties]
    if role.settings:
        out += ["", "Counts as experience in: " + ", ".join(model.label(s) for s in role.settings)]
    by_source: dict[str, set[str]] = {}
    for e in role_sources(model, role):
        by_source.setdefault(e.source_label or e.source, set()).add(e.section)
    out += ["", "Sources:"] + [f"  - {src}: {'; '.join(sorted(secs))}" for src, secs in sorted(by_source.items())]
    return "\n".join(out)


def format_roles(roles: list[Role]) -> str:
    """The text ``radgraph roles`` prints: one role a line, with its other names."""
    lines = []
    for r in roles:
        extra = f"  (also: {', '.join(r.alt_labels)})" if r.alt_labels else ""
        lines.append(f"{r.label}{extra}")
    return "\n".join(lines)


# ------------------------------------------------------------------ paths


def _ref(model: Model, iri: str | None) -> dict:
    if iri is None:
        return {"id": None, "label": "none"}
    return {"id": iri, "label": model.label(iri)}


def _evidence_list(groups) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for group in groups:
        for e in group:
            seen.setdefault(e.id, e)
    return list(seen.values())


def step_sources(model: Model, step) -> list[Evidence]:
    """The evidence behind one step: why each item is needed, and the credential facts."""
    groups = [req.sources for _, req in step.why]
    groups += [model.credentials[c].sources for c in step.earn if c in model.credentials]
    groups += [a.requirement.sources for a in step.accrue]
    groups += [o.sources for o in step.outside]
    return _evidence_list(groups)


def rests_on(model: Model, step) -> list[dict]:
    """The source documents a step's evidence comes from (the article, public pages)."""
    found: dict[str, str] = {}
    for e in step_sources(model, step):
        found.setdefault(e.source, e.source_label)
    return [{"id": k, "label": v} for k, v in sorted(found.items(), key=lambda kv: kv[1])]


def _where(e: Evidence) -> str:
    """Where a fragment stands: its section, and its source unless it is the article."""
    if e.source.endswith("/source/article"):
        return e.section
    return f"{e.section}; {e.source_label}"


def outside_dict(model: Model, req: Requirement) -> dict:
    d = requirement_dict(model, req)
    d["description"] = _leaf_text(model, req)
    return d


def _leaf_text(model: Model, req: Requirement) -> str:
    if isinstance(req, ExperienceReq):
        return experience_line(model, req)
    if isinstance(req, RoleReq):
        return f"qualified as {model.label(req.role)}"
    if isinstance(req, CredentialReq):
        return model.label(req.credential)
    return getattr(req, "label", req.id)


def step_dict(model: Model, step) -> dict:
    """One entry of ``steps`` in ``radgraph path --format json`` (and of ``next``)."""
    earn = []
    for cid in step.earn:
        c = credential_dict(model, cid)
        earn.append({k: c[k] for k in ("id", "label", "kind", "issued_by", "approved_by", "months",
                                       "requirements_unrecorded") if k in c})
    return {
        "from": _ref(model, step.from_role),
        "to": _ref(model, step.to_role),
        "earn": earn,
        "accrue": [
            {"experience": experience_dict(model, a.requirement), "months": a.months,
             "in_role": _ref(model, a.role or None)}
            for a in step.accrue
        ],
        "outside": [outside_dict(model, o) for o in step.outside],
        "ongoing": [{"id": c.id, "label": c.label} for c in step.ongoing],
        "months": step.months,
        "unknown_months": [_ref(model, c) for c in step.unknown_months],
        "sources": [e.to_dict() for e in step_sources(model, step)],
        "rests_on": rests_on(model, step),
    }


def path_dict(model: Model, path) -> dict:
    """One entry of ``paths`` in ``radgraph path --format json``."""
    steps = [step_dict(model, step) for step in path.steps]
    return {
        "roles": [_ref(model, r) for r in path.roles],
        "months": path.months,
        "steps": steps,
    }


def plan_dict(model: Model, start: str | None, goal: str, paths) -> dict:
    """The object ``radgraph path --format json`` prints."""
    return {"from": _ref(model, start), "to": _ref(model, goal), "paths": [path_dict(model, p) for p in paths]}


def _total_text(months: float, unknown: int) -> str:
    text = months_text(months)
    if unknown:
        text += f" + {unknown} credential{'s' if unknown != 1 else ''} of unstated duration"
    return text


def format_step(model: Model, step, number: int | None = None) -> list[str]:
    """A step as text: what to earn, accrue, bring from outside, and why."""
    head = f"{model.label(step.from_role) if step.from_role else '(no role yet)'} -> {model.label(step.to_role)}"
    lines = [f"{f'{number}. ' if number else ''}{head}  ({_total_text(step.months, len(step.unknown_months))})"]
    why: dict[str, list[Evidence]] = {}
    for cid, req in step.why:
        why.setdefault(cid, [])
        why[cid].extend(e for e in req.sources if e not in why[cid])
    if step.earn:
        lines.append("   Earn:")
        for cid in step.earn:
            lines.append(f"   - {credential_line(model, cid)}")
            for e in why.get(cid, ()):
                lines.append(f"       why: \u201c{e.quote}\u201d ({_where(e)})")
    for a in step.accrue:
        lines.append(f"   Work {months_text(a.months)} more as {model.label(a.role)}: {experience_line(model, a.requirement)}")
        for e in a.requirement.sources:
            lines.append(f"       why: \u201c{e.quote}\u201d ({_where(e)})")
    for o in step.outside:
        note = f" [{o.caveat}]" if o.caveat else ""
        lines.append(f"   From outside this graph: {_leaf_text(model, o)}{note}")
        for e in o.sources:
            lines.append(f"       why: \u201c{e.quote}\u201d ({_where(e)})")
    if not (step.earn or step.accrue or step.outside):
        lines.append("   Nothing new to earn: what you hold already qualifies.")
    for c in step.ongoing:
        lines.append(f"   Then maintain: {c.label}")
    sources = rests_on(model, step)
    if sources:
        lines.append("   Rests on: " + "; ".join(x["label"] for x in sources))
    return lines


def unrecorded_credentials(model: Model, path) -> list[str]:
    """Credentials a path earns directly although in life they have requirements no source records."""
    # A path never earns a credential twice, so no de-duplication is needed.
    return [c for s in path.steps for c in s.earn
            if c in model.credentials and model.credentials[c].requirements_unrecorded]


def format_path(model: Model, path, title: str = "") -> str:
    unknown = sum(len(s.unknown_months) for s in path.steps)
    names = " -> ".join(model.label(r) if r else "(no role yet)" for r in path.roles)
    lines = [f"{title}{names}", f"Total: {_total_text(path.months, unknown)} in {len(path.steps)} step(s)"]
    if path.outside_count:
        lines[-1] += f"; {path.outside_count} requirement(s) from outside the graph"
    unrecorded = unrecorded_credentials(model, path)
    if unrecorded:
        lines.append(f"Note: {len(unrecorded)} credential(s) to earn here ({', '.join(model.label(c) for c in unrecorded)}) "
                     f"have requirements of their own that the sources read do not record; the real route may be longer.")
    lines.append("")
    for i, step in enumerate(path.steps, 1):
        lines.extend(format_step(model, step, i))
        lines.append("")
    return "\n".join(lines).rstrip()


HAVE_HINT = "Already hold some of these? Say so with --have NAME (repeatable) and the path skips them."


def format_plan(model: Model, paths) -> str:
    if len(paths) == 1:
        text = format_path(model, paths[0])
    else:
        text = "\n\n".join(format_path(model, p, title=f"Path {i}: ") for i, p in enumerate(paths, 1))
    if any(s.earn for p in paths for s in p.steps):
        text += "\n\n" + HAVE_HINT
    return text


def _mermaid_text(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in " -.,()/'" else f"#{ord(ch)};" for ch in text)


def plan_mermaid(model: Model, paths) -> str:
    """A Mermaid flowchart of the paths: roles as nodes, steps as labelled edges."""
    ids: dict[str | None, str] = {}
    lines = ["flowchart LR"]

    def node(r: str | None) -> str:
        if r not in ids:
            ids[r] = f"n{len(ids)}"
            lines.append(f'  {ids[r]}["{_mermaid_text(model.label(r) if r else "(no role yet)")}"]')
        return ids[r]

    edges = set()
    for p in paths:
        for s in p.steps:
            a, b = node(s.from_role), node(s.to_role)
            label = _mermaid_text(_total_text(s.months, len(s.unknown_months)))
            if (a, b) not in edges:
                edges.add((a, b))
                lines.append(f'  {a} -->|"{label}"| {b}')
    return "\n".join(lines)


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def plan_dot(model: Model, paths) -> str:
    """A Graphviz digraph of the paths."""
    lines = ["digraph path {", "  rankdir=LR;", '  node [shape=box, style=rounded, fontname="Helvetica"];']
    seen = set()
    for p in paths:
        for s in p.steps:
            a = model.label(s.from_role) if s.from_role else "(no role yet)"
            b = model.label(s.to_role)
            if (a, b) in seen:
                continue
            seen.add((a, b))
            label = _total_text(s.months, len(s.unknown_months))
            lines.append(f'  "{_dot_text(a)}" -> "{_dot_text(b)}" [label="{_dot_text(label)}"];')
    lines.append("}")
    return "\n".join(lines)


def next_dict(model: Model, start: str | None, steps) -> dict:
    """The object ``radgraph next ROLE --format json`` prints."""
    return {
        "from": _ref(model, start),
        "next": [step_dict(model, s) for s in steps],
    }


def format_next(model: Model, start: str | None, steps) -> str:
    if not steps:
        return f"No role can be entered from {model.label(start) if start else '(no role yet)'}."
    out = []
    for s in steps:
        out.extend(format_step(model, s))
        out.append("")
    return "\n".join(out).rstrip()

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
    """``{"id", "label"}`` for each organization, with ``correction`` where the source misnamed it."""
    out = []
    for i in ids:
        d = {"id": i, "label": model.label(i)}
        org = model.organizations.get(i)
        if org is not None and org.correction is not None:
            d["correction"] = org.correction.to_dict()
        out.append(d)
    return out


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
    d["duration"] = cred.duration.to_dict() if cred.duration is not None else None
    if cred.hours is not None:
        d["hours"] = cred.hours
    for key, ids in (("same_as", cred.same_as), ("includes", cred.includes), ("counts_as", cred.counts_as)):
        if ids:
            d[key] = [{"id": i, "label": model.label(i), **_inferred(cred, i)} for i in ids]
    if cred.correction is not None:
        d["correction"] = cred.correction.to_dict()
    if cred.requires is not None:
        d["requires"] = requirement_dict(model, cred.requires)
    elif cred.requirements_unrecorded:
        d["requirements_unrecorded"] = True
    if cred.caveat:
        d["caveat"] = cred.caveat
    return d


def _inferred(cred: Credential, other: str) -> dict:
    """``{"inferred": reason}`` when the link from ``cred`` to ``other`` is an inference, else ``{}``."""
    reason = dict(cred.inferred).get(other)
    return {"inferred": reason} if reason else {}


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
    if req.effective_from:
        d["effective_from"] = req.effective_from
    if req.effective_until:
        d["effective_until"] = req.effective_until
    if req.correction is not None:
        d["correction"] = req.correction.to_dict()
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
        return "time not known"
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
    if cred.duration is not None:
        parts.append(f"{cred.hours:g} hours" if cred.hours is not None and cred.duration.typical < 1
                     else cred.duration.text())
    if cred.valid_in:
        parts.append(f"from any of {len(cred.valid_in)} jurisdictions")
    return " - ".join(parts)


def credential_links(model: Model, cred_id: str) -> list[str]:
    """Lines naming a credential's other names, what it includes, and its correction (inferences marked)."""
    cred = model.credentials.get(cred_id)
    if cred is None:
        return []
    out = []
    reasons = dict(cred.inferred)
    for title, ids in (("same as", cred.same_as), ("includes", cred.includes), ("counts as", cred.counts_as)):
        for i in ids:
            mark = " (inferred)" if i in reasons else ""
            out.append(f"{title}: {model.label(i)}{mark}")
    if cred.correction is not None:
        out.append(f"correction: {cred.correction.text}")
    for org_id in (*cred.issued_by, *cred.approved_by):
        org = model.organizations.get(org_id)
        if org is not None and org.correction is not None:
            out.append(f"correction ({org.label}): {org.correction.text}")
    return out


def experience_line(model: Model, req: ExperienceReq) -> str:
    if req.min_months is None:
        amount = "experience (how much is not stated)"
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
        extra: list[str] = []
        if isinstance(node, CredentialReq):
            text = credential_line(model, node.credential)
            if node.condition:
                text += f" ({node.condition})"
            extra = credential_links(model, node.credential)
        elif isinstance(node, ExperienceReq):
            text = experience_line(model, node)
        elif isinstance(node, RoleReq):
            text = f"qualified as {model.label(node.role)}"
        else:
            text = f"ongoing: {node.label}"
        lines.append(f"{pad}- {text}{note}")
        lines.extend(f"{pad}    {x}" for x in extra)
        if node.effective_from or node.effective_until:
            lines.append(f"{pad}    in force: {node.effective_from or '...'} to {node.effective_until or 'now'}")
        if node.correction is not None:
            lines.append(f"{pad}    correction: {node.correction.text}")
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


def fit(line: str, width: int = 80) -> str:
    """One line folded to ``width`` columns, its continuation indented under its text.

    >>> print(fit("  - " + "word " * 20, 40))
      - word word word word word word word
          word word word word word word word
          word word word word word word
    """
    import textwrap

    if len(line) <= width:
        return line
    body = line.lstrip(" ")
    pad = " " * (len(line) - len(body))
    hang = pad + ("    " if body.startswith(("- ", "\u201c")) else "  ")
    return "\n".join(textwrap.wrap(body, width, initial_indent=pad, subsequent_indent=hang,
                                   break_on_hyphens=False, break_long_words=True))


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
    return "\n".join(fit(line) for line in out)


def format_roles(roles: list[Role]) -> str:
    """The text ``radgraph roles`` prints: one role a line, with its other names."""
    lines = []
    for r in roles:
        extra = f"  (also: {', '.join(r.alt_labels)})" if r.alt_labels else ""
        lines.append(f"{r.label}{extra}")
    return "\n".join(lines)


# ------------------------------------------------------------------ shared with paths and pictures


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

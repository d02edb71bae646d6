"""What ``radgraph path`` and ``radgraph next`` show: the JSON contract and the text a person reads.

The text opens with the answer (the route, the total as a range, what to do in
order) and fits an 80-column terminal; ``explain=True`` adds the evidence and
the reasons behind each item. The JSON always carries everything. Nothing here
prints.
"""

from __future__ import annotations

import textwrap

from .describe import (
    _leaf_text,
    _where,
    credential_dict,
    experience_dict,
    experience_line,
    outside_dict,
)
from .model import (
    AllOf,
    AnyOf,
    ContinuingEducation,
    CredentialReq,
    Evidence,
    ExperienceReq,
    Model,
    Months,
    Requirement,
    walk,
)

WIDTH = 80
NOT_KNOWN = "time not known"


# ------------------------------------------------------------------ words


def duration_text(months: Months | None, hours: float | None = None) -> str:
    """``about 2 years``, ``16 hours``, or ``time not known`` (never "0 months" for an unknown)."""
    if months is None:
        return NOT_KNOWN
    if hours is not None and months.typical < 1:
        n = int(hours) if float(hours).is_integer() else hours
        return f"{n} hours"
    return months.text()


def total_text(total: Months, unknown: int) -> str:
    """A total in plain words: ``13 to 15 years, plus 2 items of unknown length``."""
    items = f"{unknown} item{'s' if unknown != 1 else ''} of unknown length"
    if unknown and total.typical < 1:
        return f"not known ({items})"
    if unknown:
        return f"{total.text()}, plus {items}"
    if total.typical <= 0:
        return "nothing to wait for"
    return total.text()


def day_text(planner) -> str:
    """``today``, or the date the plan's rules are taken on."""
    import datetime as dt

    return "today" if planner.as_of == dt.date.today() else f"on {planner.as_of.isoformat()}"


def role_name(model: Model, iri: str | None) -> str:
    return model.label(iri) if iri else "(no role yet)"


def _wrap(text: str, indent: str, hang: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=hang if hang is not None else indent,
                         break_on_hyphens=False) or [indent.rstrip()]


def credential_duration(planner, cid: str) -> str:
    cred = planner.model.credentials.get(cid)
    return duration_text(planner.duration(cid), cred.hours if cred else None)


# ------------------------------------------------------------------ notes: corrections, superseded rules


def path_notes(planner, paths) -> list[dict]:
    """Corrections and rules no longer (or not yet) in force that touch these paths.

    Each note: ``{"about": {...}, "text": ..., "since": ..., "sources": [...], "kind": ...}``;
    kind is ``"correction"`` (a source's statement shown with the current fact) or
    ``"not_in_force"`` (a requirement a source states that the date leaves out).
    """
    source_model: Model = planner.unpruned
    m = source_model
    seen: dict[str, dict] = {}

    def add(kind: str, about_id: str, about_label: str, fix, extra: str = "") -> None:
        key = f"{kind}:{about_id}"
        if key in seen or fix is None:
            return
        note = {"kind": kind, "about": {"id": about_id, "label": about_label}, **fix.to_dict()}
        if extra:
            note["stated"] = extra
        seen[key] = note

    creds: set[str] = set()
    for p in paths:
        for step in p.steps:
            creds.update(step.earn)  # what is earned, and the credentials the requirements it meets name
            creds.update(req.credential for _, req in step.why if isinstance(req, CredentialReq))
            role = m.roles.get(step.to_role)
            for tree in (role.requires, role.maintains) if role else ():
                for node in walk(tree):
                    _node_note(m, node, planner.as_of, add)
    for cid in sorted(creds):
        cred = m.credentials.get(cid)
        if cred is None:
            continue
        add("correction", cid, cred.label, cred.correction)
        for org in (*cred.issued_by, *cred.approved_by):
            o = m.organizations.get(org)
            if o is not None:
                add("correction", org, o.label, o.correction)
        if any(cid in s.earn for p in paths for s in p.steps):
            for node in walk(cred.requires):
                _node_note(m, node, planner.as_of, add)
    return list(seen.values())


def _node_note(model: Model, node: Requirement, day, add) -> None:
    from .rules import in_force

    if node.correction is None:
        return
    kind = "correction" if in_force(node, day) else "not_in_force"
    add(kind, node.id, _node_text(model, node), node.correction, _node_text(model, node))


def _node_text(model: Model, node: Requirement) -> str:
    if isinstance(node, AllOf):
        return "all of: " + "; ".join(_node_text(model, x) for x in node.members)
    if isinstance(node, AnyOf):
        return "any of: " + "; ".join(_node_text(model, x) for x in node.members)
    if isinstance(node, ContinuingEducation):
        return node.label
    return _leaf_text(model, node)


# ------------------------------------------------------------------ JSON


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


def _months_dict(months: Months | None) -> dict | None:
    return months.to_dict() if months is not None else None


def _unknown_ref(model: Model, planner, iri: str) -> dict:
    """An item of unknown length: a credential to earn, or a requirement from outside."""
    if iri in model.credentials:
        return {**_ref(model, iri), "kind": "credential"}
    node = planner._nodes.get(iri)
    return {"id": iri, "label": _leaf_text(model, node) if node is not None else iri, "kind": "requirement"}


def step_dict(planner, step) -> dict:
    """One entry of ``steps`` in ``radgraph path --format json`` (and of ``next``)."""
    model = planner.model
    earn = []
    for cid in step.earn:
        c = credential_dict(model, cid)
        entry = {k: c[k] for k in ("id", "label", "kind", "issued_by", "approved_by", "months",
                                   "requirements_unrecorded") if k in c}
        entry["duration"] = _months_dict(planner.duration(cid))
        entry["duration_text"] = credential_duration(planner, cid)
        for k in ("same_as", "includes", "counts_as", "correction"):
            if k in c:
                entry[k] = c[k]
        earn.append(entry)
    total = step.total
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
        "months_min": step.months_min,
        "total": {**total.to_dict(), "unknown": [_unknown_ref(model, planner, x) for x in step.unknown],
                  "text": total_text(total, len(step.unknown))},
        "unknown_months": [_ref(model, c) for c in step.unknown_months],
        "direction": planner.direction(step),
        "sources": [e.to_dict() for e in step_sources(model, step)],
        "rests_on": rests_on(model, step),
    }


def path_dict(planner, path) -> dict:
    """One entry of ``paths`` in ``radgraph path --format json``."""
    model = planner.model
    total = path.total
    return {
        "roles": [_ref(model, r) for r in path.roles],
        "months": path.months,
        "months_min": total.min,
        "total": {**total.to_dict(), "unknown": [_unknown_ref(model, planner, x) for x in path.unknown],
                  "text": total_text(total, len(path.unknown))},
        "steps": [step_dict(planner, step) for step in path.steps],
    }


def plan_dict(planner, start: str | None, goal: str, paths) -> dict:
    """The object ``radgraph path --format json`` prints."""
    model = planner.model
    return {
        "from": _ref(model, start),
        "to": _ref(model, goal),
        "as_of": planner.as_of.isoformat(),
        "paths": [path_dict(planner, p) for p in paths],
        "notes": path_notes(planner, paths),
    }


def next_dict(planner, start: str | None, steps) -> dict:
    """The object ``radgraph next ROLE --format json`` prints."""
    return {
        "from": _ref(planner.model, start),
        "as_of": planner.as_of.isoformat(),
        "next": [step_dict(planner, s) for s in order_next(planner, steps)],
    }


# ------------------------------------------------------------------ text: path


def _why(step) -> dict[str, list[Evidence]]:
    why: dict[str, list[Evidence]] = {}
    for cid, req in step.why:
        why.setdefault(cid, [])
        why[cid].extend(e for e in req.sources if e not in why[cid])
    return why


def _evidence_lines(evidence, pad: str) -> list[str]:
    out = []
    for e in evidence:
        out += _wrap(f"why: \u201c{e.quote}\u201d ({_where(e)})", pad, pad + "     ")
        if e.inference:
            out += _wrap(f"inferred: {e.inference}", pad + "     ")
    return out


def _credential_detail(planner, cid: str, pad: str) -> list[str]:
    """--explain lines under a credential: who issues it, other names, caveats."""
    m = planner.model
    cred = m.credentials.get(cid)
    if cred is None:
        return []
    out = []
    who = []
    if cred.issued_by:
        who.append("issued by " + ", ".join(m.label(o) for o in cred.issued_by))
    if cred.approved_by:
        who.append("approved by " + ", ".join(m.label(o) for o in cred.approved_by))
    out += _wrap("; ".join(who) if who else "issuer not named in the sources", pad)
    for label, ids in (("same as", cred.same_as), ("also gives", (*cred.includes, *cred.counts_as))):
        if ids:
            out += _wrap(f"{label}: " + "; ".join(m.label(x) for x in ids), pad)
    if cred.requirements_unrecorded:
        out += _wrap("its own requirements are not recorded: the real route may be longer", pad)
    if cred.caveat:
        out += _wrap(f"note: {cred.caveat}", pad)
    return out


def format_step(planner, step, number: int | None = None, explain: bool = False) -> list[str]:
    """A step as text: a head line, then one line per thing to do."""
    m = planner.model
    head = f"{role_name(m, step.from_role)} -> {m.label(step.to_role)}"
    prefix = f"{number}. " if number else ""
    pad = "   "
    lines = _wrap(f"{prefix}{head}", "", " " * len(prefix))
    lines += _wrap(f"Time: {total_text(step.total, len(step.unknown))}", pad, pad + "  ")
    why = _why(step)
    for a in step.accrue:
        lines += _wrap(f"- Work {Months(a.months, a.months).text().removeprefix('about ')} more as "
                       f"{m.label(a.role)} ({experience_line(m, a.requirement)})", pad, pad + "  ")
        if explain:
            lines += _evidence_lines(a.requirement.sources, pad + "    ")
    for cid in step.earn:
        lines += _wrap(f"- Earn: {m.label(cid)} ({credential_duration(planner, cid)})", pad, pad + "  ")
        if explain:
            lines += _credential_detail(planner, cid, pad + "    ")
            lines += _evidence_lines(why.get(cid, ()), pad + "    ")
    for o in step.outside:
        length = "" if not (isinstance(o, ExperienceReq) and o.min_months is None) else f" ({NOT_KNOWN})"
        lines += _wrap(f"- Also needed, which no role here gives: {_leaf_text(m, o)}{length}", pad, pad + "  ")
        if explain:
            if o.caveat:
                lines += _wrap(f"note: {o.caveat}", pad + "    ")
            lines += _evidence_lines(o.sources, pad + "    ")
    if not (step.earn or step.accrue or step.outside):
        lines.append(pad + "- Nothing new: what you hold already qualifies.")
    for c in step.ongoing:
        lines += _wrap(f"Then keep up: {c.label}", pad, pad + "  ")
    if explain:
        sources = rests_on(m, step)
        if sources:
            lines += _wrap("Rests on: " + "; ".join(x["label"] for x in sources), pad, pad + "  ")
    return lines


def _notes_lines(planner, paths) -> list[str]:
    m = planner.model
    lines = []
    unrecorded = [c for p in paths for s in p.steps for c in s.unrecorded]
    if unrecorded:
        names = ", ".join(dict.fromkeys(m.label(c) for c in unrecorded))
        lines += _wrap(f"- {names}: no source records what earning "
                       f"{'it' if len(set(unrecorded)) == 1 else 'these'} takes; the real route may be longer.",
                       "  ", "    ")
    for note in path_notes(planner, paths):
        since = f" (since {note['since']})" if note.get("since") else ""
        if note["kind"] == "not_in_force":
            text = f"- Not used: {note['stated']}. {note['text']}{since}"
        else:
            text = f"- {note['about']['label']}: {note['text']}{since}"
        lines += _wrap(text, "  ", "    ")
    return lines


def format_path(planner, path, title: str = "", explain: bool = False) -> str:
    m = planner.model
    names = " -> ".join(role_name(m, r) for r in path.roles)
    lines = _wrap(f"{title}{names}", "", "  ")
    lines += _wrap(f"Total: {total_text(path.total, len(path.unknown))}; "
                   f"{len(path.steps)} step{'s' if len(path.steps) != 1 else ''}.", "")
    for i, step in enumerate(path.steps, 1):
        lines.append("")
        lines += format_step(planner, step, i, explain=explain)
    return "\n".join(lines)


HAVE_HINT = ("Hold some of these already? Add --have NAME. Worked in a role? --worked \"ROLE=MONTHS\". "
             "Sources and reasons: --explain.")


def format_plan(planner, paths, explain: bool = False) -> str:
    """The text ``radgraph path`` prints: the answer first, notes, then a hint."""
    if len(paths) == 1:
        text = format_path(planner, paths[0], explain=explain)
    else:
        text = "\n\n".join(format_path(planner, p, title=f"Path {i}: ", explain=explain)
                           for i, p in enumerate(paths, 1))
    notes = _notes_lines(planner, paths)
    if notes:
        text += f"\n\nNotes (rules in force {day_text(planner)}):\n" + "\n".join(notes)
    if any(s.earn for p in paths for s in p.steps):
        text += "\n\n" + "\n".join(_wrap(HAVE_HINT if not explain else HAVE_HINT.rsplit(" Sources", 1)[0], ""))
    return text


# ------------------------------------------------------------------ text: next


def order_next(planner, steps) -> list:
    """Progressions first (in the plan's ranking), then moves across, then steps down."""
    rank = {"up": 0, "across": 1, "down": 2}
    return sorted(steps, key=lambda s: rank[planner.direction(s)])


def _short_total(step) -> str:
    unknown = len(step.unknown)
    if unknown and step.total.typical < 1:
        return f"not known ({unknown} item{'s' if unknown != 1 else ''})"
    if not unknown and step.total.typical <= 0:
        return "nothing new" if not (step.earn or step.accrue or step.outside) else "<1 mo"
    text = step.total.short()
    return f"{text} + {unknown} unknown" if unknown else text


def format_next(planner, start: str | None, steps) -> str:
    """``radgraph next`` as a compact table: one line a role; progressions first, steps down last."""
    m = planner.model
    if not steps:
        return f"No role can be entered from {role_name(m, start)}."
    out = [f"One step from {role_name(m, start)} (rules in force {day_text(planner)}):"]
    groups: dict[str, list] = {"up": [], "across": [], "down": []}
    for s in order_next(planner, steps):
        groups[planner.direction(s)].append(s)
    titles = {"up": "Progressions", "across": "Across (a similar level)",
              "down": "Steps down (less senior), marked v"}
    for key in ("up", "across", "down"):
        if not groups[key]:
            continue
        out += ["", f"{titles[key]}:", f"    {'Role':<38} {'Time':<24} {'Earn':>4}"]
        mark = "v" if key == "down" else " "
        for s in groups[key]:
            label = m.label(s.to_role)
            if len(label) > 38:
                label = label[:37] + "\u2026"
            out.append(f"  {mark} {label:<38} {_short_total(s):<24} {len(s.earn):>4}".rstrip())
    start_name = role_name(m, start) if start else "none"
    out += ["", *_wrap(f"What one takes, step by step: radgraph path \"{start_name}\" ROLE", "")]
    return "\n".join(out)


__all__ = [
    "duration_text", "total_text", "path_notes", "step_dict", "path_dict", "plan_dict", "next_dict",
    "format_step", "format_path", "format_plan", "format_next", "order_next",
]

"""Seeded, deterministic generators of graphs shaped like radgraph's, in two shapes.

Both shapes write roles with nested all-of / any-of requirement trees,
credentials (some with prerequisites and durations), issuing organizations,
experience requirements in roles and in settings that many roles give,
jurisdictions for licenses, skills linked to roles (the bulk of the triples,
as in ESCO), and evidence for every fact, so the output conforms to the
shapes. ``sizes_for`` sets the counts: a role for every 330 triples.

``ladder`` (the default): one long ladder with shortcuts. Each role asks for
one to three credentials drawn from the whole graph, an any-of of two or
three more, and half the time experience in any earlier role or in one of
twelve settings; credentials ask for earlier credentials.

``esco``: occupations in families and job zones, a generated stand-in shaped
after how ESCO and O*NET describe occupations. It holds no ESCO or O*NET data:
every name, count and link is drawn here, from these published structures:

* ESCO v1.1's occupations pillar sits under ISCO-08: each occupation belongs to
  exactly one 4-digit unit group (about 2,940 occupations in 436 unit groups,
  so about 7 an occupation group), and lists its essential and optional skills
  and knowledge. https://esco.ec.europa.eu/en/classification/occupation_main
  Here: roles come in families of about 7 (a unit group, with a made-up
  4-digit code); three families make a minor group; skills are drawn mostly
  from the family's pool and a few from anywhere.
* O*NET's Job Zones (1 to 5) state the preparation an occupation needs:
  zone 1 little or none (some need a high school diploma), zone 2 some
  (a diploma and months to a year with experienced workers), zone 3 medium
  (vocational training or an associate's degree, related experience, often a
  licence), zone 4 considerable (a bachelor's degree and several years of
  experience), zone 5 extensive (a graduate degree and experience).
  https://www.onetonline.org/help/online/zones
  Here every role has a zone (weights 10/30/25/20/15 %, chosen here, not
  O*NET's counts), and its entry rises with it: zone 1 a diploma or nothing;
  zone 2 a diploma, one of the family's two programs and 6-12 months of
  experience in a setting; zone 3 a program or the family's certificate and
  12-24 months in a lower-zone role of the family; zone 4 the minor group's
  degree (which asks for a diploma) and 12-36 months in a lower-zone role of
  the family; zone 5 the family's graduate degree (which asks for the degree)
  and 24-60 months in a zone-4 role of the family, a third of the time as an
  any-of with a longer route through the degree and the certificate. Where
  the family has no such role, the months may be in a setting instead: one
  of the family's two, or the family's general setting (one of twelve, which
  entry jobs of every family and some others give).
  Regulated families (three in ten) add their licence from zone 3 up.
* O*NET's related occupations (the Career Changers matrix: occupations a
  worker may move to "with minimal additional preparation",
  https://www.onetcenter.org/reports/Related.html) are modelled as mostly
  within the family, one zone down: one experience requirement in six also
  accepts a role of a neighbouring family of the minor group.

Credentials are shared within families (programs, certificate, licence,
graduate degree) and minor groups (degree); the two diplomas are shared by
all. Each family has two settings, which most of its roles give experience in.

    python benchmarks/generate.py --triples 100000 --seed 1 -o big.ttl
    python benchmarks/generate.py --shape esco --triples 100000 --seed 1 -o esco.ttl
"""

from __future__ import annotations

import argparse
import random
import sys

PREFIXES = """@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kind: <https://w3id.org/radgraph/id/kind/> .
@prefix g: <https://example.org/gen/> .
"""

KINDS = ["certification", "license", "diploma", "program", "registry"]


def sizes_for(triples: int) -> dict[str, int]:
    """How many of each thing make about ``triples`` triples (ESCO-like proportions)."""
    roles = max(20, triples // 330)
    return {
        "roles": roles,
        "creds": roles * 2,
        "orgs": max(5, roles // 20),
        "places": 60,
        "settings": 12,
        "skills": max(50, roles * 4),
    }


def generate(triples: int, seed: int, out, shape: str = "ladder") -> int:
    """Write about ``triples`` triples of Turtle in ``shape`` to ``out``; return the count written."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    return SHAPES[shape](triples, seed, out)


def generate_ladder(triples: int, seed: int, out) -> int:
    """The ladder shape (the module docstring says what it is)."""
    rnd = random.Random(seed)
    n = sizes_for(triples)
    count = 0

    def w(line: str, k: int) -> None:
        nonlocal count
        out.write(line + "\n")
        count += k

    out.write(PREFIXES)
    w('g:src a rg:Source ; rdfs:label "generated" .', 2)
    w('g:ev a rg:Evidence ; rg:inSource g:src ; rg:section "generated" ; rg:quote "generated fact" .', 4)
    for i in range(n["orgs"]):
        w(f'g:org{i} a rg:CertifyingBody ; skos:prefLabel "Organization {i}" ; prov:wasDerivedFrom g:ev .', 3)
    for i in range(n["places"]):
        w(f'g:place{i} a rg:Jurisdiction ; skos:prefLabel "Place {i}" ; prov:wasDerivedFrom g:ev .', 3)
    for i in range(n["settings"]):
        w(f'g:setting{i} a rg:Setting ; skos:prefLabel "Setting {i}" ; prov:wasDerivedFrom g:ev .', 3)
    for i in range(n["skills"]):
        w(f'g:skill{i} a rg:Skill ; skos:prefLabel "Skill {i}" ; prov:wasDerivedFrom g:ev .', 3)

    req_id = 0

    def req_node() -> str:
        nonlocal req_id
        req_id += 1
        return f"g:q{req_id}"

    def cred_req(c: int) -> str:
        node = req_node()
        w(f"{node} a rg:CredentialRequirement ; rg:credential g:cred{c} ; prov:wasDerivedFrom g:ev .", 3)
        return node

    for c in range(n["creds"]):
        kind = rnd.choice(KINDS)
        months = rnd.choice([None, 3, 6, 12, 24])
        extra = f" ; rg:durationMonths {months}" if months is not None else ""
        pre = ""
        if c > 10 and rnd.random() < 0.3:  # prerequisites only on earlier credentials: no cycles
            pre = f" ; rg:requires {cred_req(rnd.randrange(c))}"
        w(f'g:cred{c} a rg:Credential ; skos:prefLabel "Credential {c}" ; rg:kind kind:{kind} ; '
          f'rg:issuedBy g:org{rnd.randrange(n["orgs"])}{extra}{pre} ; prov:wasDerivedFrom g:ev .', 6)
        if kind == "license":
            places = ", ".join(f"g:place{p}" for p in rnd.sample(range(n["places"]), 5))
            w(f"g:cred{c} rg:validIn {places} .", 5)

    for r in range(n["roles"]):
        # a ladder with shortcuts: a role asks for a few credentials, an any-of, and
        # often experience in an earlier role or in a setting
        members = [cred_req(rnd.randrange(n["creds"])) for _ in range(rnd.randint(1, 3))]
        alts = [cred_req(rnd.randrange(n["creds"])) for _ in range(rnd.randint(2, 3))]
        inner = req_node()
        w(f"{inner} a rg:AnyOf ; rg:member {', '.join(alts)} ; prov:wasDerivedFrom g:ev .", 2 + len(alts))
        members.append(inner)
        if r > 0 and rnd.random() < 0.5:
            e = req_node()
            target = (f"rg:role g:role{rnd.randrange(r)}" if rnd.random() < 0.6
                      else f"rg:setting g:setting{rnd.randrange(n['settings'])}")
            within = " ; rg:withinMonths 36" if rnd.random() < 0.2 else ""
            w(f"{e} a rg:ExperienceRequirement ; rg:minMonths {rnd.choice([6, 12, 24])}{within} ; {target} ; "
              f"prov:wasDerivedFrom g:ev .", 5 + bool(within))
            members.append(e)
        top = req_node()
        w(f"{top} a rg:AllOf ; rg:member {', '.join(members)} ; prov:wasDerivedFrom g:ev .", 2 + len(members))
        settings = rnd.sample(range(n["settings"]), 2)
        w(f'g:role{r} a rg:Role ; skos:prefLabel "Role {r}" ; rg:requires {top} ; '
          f"rg:providesExperienceIn g:setting{settings[0]}, g:setting{settings[1]} ; prov:wasDerivedFrom g:ev .", 7)
    # skill links fill the rest, as ESCO's occupation-skill links do
    while count < triples:
        r = rnd.randrange(n["roles"])
        links = ", ".join(f"g:skill{s}" for s in rnd.sample(range(n["skills"]), 10))
        w(f"g:role{r} rg:hasSkill {links} .", 10)
    return count


ZONE_WEIGHTS = {1: 10, 2: 30, 3: 25, 4: 20, 5: 15}  # per cent of roles in each job zone (chosen here)
FAMILY_SIZE = 7  # roles per family (ESCO: about 2,940 occupations in 436 ISCO-08 unit groups)
MINOR_GROUP = 3  # families per minor group, which share a degree


def esco_sizes(triples: int) -> dict[str, int]:
    """``sizes_for`` with families: as many roles, grouped about 7 to a family."""
    n = sizes_for(triples)
    n["families"] = max(3, n["roles"] // FAMILY_SIZE)
    n["settings"] = 2 * n["families"] + 12
    # room for the skill links to fill the graph with distinct triples (at most half of all pairs)
    n["skills"] = max(n["skills"], 2 * triples // n["roles"])
    return n


def generate_esco(triples: int, seed: int, out) -> int:
    """The ESCO/O*NET-like shape (the module docstring says what it is and where it comes from)."""
    rnd = random.Random(seed)
    n = esco_sizes(triples)
    fams = n["families"]
    count = 0

    def node(subject: str, *pairs: tuple[str, object]) -> None:
        """One subject with its predicates; a list value is several objects. Counts the triples."""
        nonlocal count
        parts = []
        for pred, obj in (*pairs, ("prov:wasDerivedFrom", "g:ev")):
            objs = obj if isinstance(obj, list) else [obj]
            parts.append(f"{pred} {', '.join(str(o) for o in objs)}")
            count += len(objs)
        out.write(f"{subject} {' ; '.join(parts)} .\n")

    out.write(PREFIXES)
    out.write('g:src a rg:Source ; rdfs:label "generated (ESCO/O*NET-like shape)" .\n')
    out.write('g:ev a rg:Evidence ; rg:inSource g:src ; rg:section "generated" ; rg:quote "generated fact" .\n')
    count += 6
    for i in range(n["orgs"]):
        node(f"g:org{i}", ("a", "rg:CertifyingBody"), ("skos:prefLabel", f'"Organization {i}"'))
    for i in range(n["places"]):
        node(f"g:place{i}", ("a", "rg:Jurisdiction"), ("skos:prefLabel", f'"Place {i}"'))
    for i in range(n["settings"]):
        node(f"g:setting{i}", ("a", "rg:Setting"), ("skos:prefLabel", f'"Setting {i}"'))
    for i in range(n["skills"]):
        node(f"g:skill{i}", ("a", "rg:Skill"), ("skos:prefLabel", f'"Skill {i}"'))

    req_id = 0

    def req(kind: str, *pairs: tuple[str, object]) -> str:
        nonlocal req_id
        req_id += 1
        name = f"g:q{req_id}"
        node(name, ("a", f"rg:{kind}"), *pairs)
        return name

    def needs(cred: str) -> str:
        return req("CredentialRequirement", ("rg:credential", cred))

    def any_of(*members: str) -> str:
        return members[0] if len(members) == 1 else req("AnyOf", ("rg:member", list(members)))

    def all_of(*members: str) -> str:
        return members[0] if len(members) == 1 else req("AllOf", ("rg:member", list(members)))

    def experience(months: int, target: tuple[str, str]) -> str:
        window = max(months, rnd.choice([36, 60])) if rnd.random() < 0.1 else None
        extra = [("rg:withinMonths", window)] if window else []
        return req("ExperienceRequirement", ("rg:minMonths", months), target, *extra)

    def credential(name: str, label: str, kind: str, org: int, months: int | None, requires: str | None = None,
                   places: list[int] | None = None) -> None:
        pairs = [("a", "rg:Credential"), ("skos:prefLabel", f'"{label}"'), ("rg:kind", f"kind:{kind}"),
                 ("rg:issuedBy", f"g:org{org % n['orgs']}")]
        if months is not None:
            pairs.append(("rg:durationMonths", months))
        if requires is not None:
            pairs.append(("rg:requires", requires))
        if places:
            pairs.append(("rg:validIn", [f"g:place{p}" for p in places]))
        node(name, *pairs)

    # the two diplomas everyone shares (no source states how long school takes: no duration)
    for d in range(2):
        credential(f"g:diploma{d}", f"Diploma {d}", "diploma", d, None)
    diploma = any_of(needs("g:diploma0"), needs("g:diploma1"))

    def code(f: int) -> str:  # a made-up ISCO-like 4-digit unit group code: major group, then the rest
        return f"{f % 9 + 1}{f // 9:03d}"

    regulated = [rnd.random() < 0.3 for _ in range(fams)]
    for m in range((fams + MINOR_GROUP - 1) // MINOR_GROUP):
        credential(f"g:degree{m}", f"Degree {m}", "program", m, rnd.choice([36, 48]), diploma)
    for f in range(fams):
        c = code(f)
        for k in range(2):
            credential(f"g:prog{f}x{k}", f"Program {c}-{k}", "program", f, rnd.choice([6, 12, 24]), diploma)
        credential(f"g:cert{f}", f"Certificate {c}", "certification", f, rnd.choice([None, 3, 6]),
                   any_of(needs(f"g:prog{f}x0"), needs(f"g:prog{f}x1")))
        credential(f"g:grad{f}", f"Graduate degree {c}", "program", f, rnd.choice([24, 36, 48]),
                   needs(f"g:degree{f // MINOR_GROUP}"))
        if regulated[f]:
            credential(f"g:licence{f}", f"Licence {c}", "license", f, rnd.choice([None, 1]),
                       any_of(needs(f"g:cert{f}"), needs(f"g:degree{f // MINOR_GROUP}")),
                       places=rnd.sample(range(n["places"]), 5))

    # roles: families of about FAMILY_SIZE, each role in a zone; lower zones first within a family,
    # so experience asked of a role is always in a lower zone (no cycles)
    family_of = sorted(rnd.randrange(fams) if r >= fams else r for r in range(n["roles"]))
    zones = rnd.choices(list(ZONE_WEIGHTS), weights=list(ZONE_WEIGHTS.values()), k=n["roles"])
    members: dict[int, list[tuple[int, int]]] = {}
    for r, f in enumerate(family_of):
        members.setdefault(f, []).append(r)
    zone_of = {}
    for rs in members.values():
        for r, z in zip(rs, sorted(zones[r] for r in rs), strict=True):
            zone_of[r] = z

    general = [rnd.randrange(12) for _ in range(fams)]  # the general setting (of 12) each family's work is in

    def setting_experience(f: int, months: int) -> str:
        """Months in a setting of the family's own, or in its general setting, which roles of many families give."""
        return any_of(experience(months, ("rg:setting", f"g:setting{2 * f + rnd.randrange(2)}")),
                      experience(months, ("rg:setting", f"g:setting{2 * fams + general[f]}")))

    def worked(r: int, lower_than: int, exactly: bool = False) -> list[str]:
        """Roles of r's family (and, one time in six, of a neighbouring family) one may have worked in."""
        f = family_of[r]
        ok = (lambda z: z == lower_than - 1) if exactly else (lambda z: z < lower_than)
        pool = [o for o in members[f] if o != r and ok(zone_of[o])]
        if pool and rnd.random() < 1 / 6:
            near = [f2 for f2 in (f - 1, f + 1) if 0 <= f2 < fams and f2 // MINOR_GROUP == f // MINOR_GROUP]
            related = [o for f2 in near for o in members.get(f2, []) if zone_of[o] == lower_than - 1]
            if related:
                return [rnd.choice(pool), rnd.choice(related)]
        return [rnd.choice(pool)] if pool else []

    def experience_in_roles(r: int, months: int, lower_than: int, exactly: bool = False) -> str:
        roles = worked(r, lower_than, exactly)
        if not roles:  # no such role in the family: experience in a setting
            return setting_experience(family_of[r], months)
        return any_of(*(experience(months, ("rg:role", f"g:role{o}")) for o in roles))

    per_family: dict[int, int] = {}
    for r in range(n["roles"]):
        f, z = family_of[r], zone_of[r]
        per_family[f] = per_family.get(f, 0) + 1
        c = code(f)
        entry: list[str] = []
        if z == 1:
            if rnd.random() < 0.6:
                entry = [diploma]
        elif z == 2:
            entry = [diploma, any_of(needs(f"g:prog{f}x0"), needs(f"g:prog{f}x1")),
                     setting_experience(f, rnd.choice([6, 12]))]
        elif z == 3:
            entry = [any_of(needs(f"g:prog{f}x{rnd.randrange(2)}"), needs(f"g:cert{f}")),
                     experience_in_roles(r, rnd.choice([12, 24]), 3)]
        elif z == 4:
            entry = [needs(f"g:degree{f // MINOR_GROUP}"), experience_in_roles(r, rnd.choice([12, 24, 36]), 4)]
        else:
            months = rnd.choice([24, 36, 60])
            graduate = all_of(needs(f"g:grad{f}"), experience_in_roles(r, months, 5, exactly=True))
            if rnd.random() < 1 / 3:  # a longer route without the graduate degree
                longer = all_of(needs(f"g:degree{f // MINOR_GROUP}"), needs(f"g:cert{f}"),
                                experience_in_roles(r, months + 36, 5, exactly=True))
                entry = [any_of(graduate, longer)]
            else:
                entry = [graduate]
        if regulated[f] and z >= 3:
            entry.append(needs(f"g:licence{f}"))
        settings = [f"g:setting{2 * f}", f"g:setting{2 * f + 1}"] if rnd.random() < 0.8 else [f"g:setting{2 * f}"]
        if z == 1 or rnd.random() < 0.3:  # entry jobs, and some others, count in a general setting
            settings.append(f"g:setting{2 * fams + rnd.randrange(12)}")
        pairs = [("a", "rg:Role"), ("skos:prefLabel", f'"Occupation {c}.{per_family[f]} (zone {z})"'),
                 ("skos:notation", f'"{c}.{per_family[f]}"'), ("rg:providesExperienceIn", settings)]
        if entry:
            pairs.append(("rg:requires", all_of(*entry)))
        node(f"g:role{r}", *pairs)

    # skill links fill the rest: most from the family's pool (essential), a few from anywhere
    # (optional); each link once, so ``count`` counts distinct triples
    pool = max(10, n["skills"] // fams)
    linked: set[tuple[int, int]] = set()
    while count < triples:
        r = rnd.randrange(n["roles"])
        start = family_of[r] * pool
        skills = {(start + s) % n["skills"] for s in rnd.sample(range(pool), 7)}
        skills.update(rnd.sample(range(n["skills"]), 3))
        new = sorted(s for s in skills if (r, s) not in linked)
        if new:
            linked.update((r, s) for s in new)
            out.write(f"g:role{r} rg:hasSkill {', '.join(f'g:skill{s}' for s in new)} .\n")
            count += len(new)
    return count


SHAPES = {"ladder": generate_ladder, "esco": generate_esco}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--triples", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shape", choices=list(SHAPES), default="ladder", help="ladder (default) or esco")
    p.add_argument("-o", "--output", default="-")
    args = p.parse_args(argv)
    if args.output == "-":
        generate(args.triples, args.seed, sys.stdout, args.shape)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            generate(args.triples, args.seed, f, args.shape)


if __name__ == "__main__":
    main()

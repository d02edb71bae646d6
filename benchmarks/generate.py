"""A seeded, deterministic generator of graphs shaped like radgraph's.

Roles with nested all-of / any-of requirement trees, credentials (some with
prerequisites and durations), issuing and approving organizations,
experience requirements in roles and settings, jurisdictions for licenses,
skills linked to roles (the bulk of the triples, as in ESCO), and evidence
for every fact, so the output conforms to the shapes.

    python benchmarks/generate.py --triples 100000 --seed 1 -o big.ttl
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


def generate(triples: int, seed: int, out) -> int:
    """Write about ``triples`` triples of Turtle to ``out``; return the count written."""
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


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--triples", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", default="-")
    args = p.parse_args(argv)
    if args.output == "-":
        generate(args.triples, args.seed, sys.stdout)
    else:
        with open(args.output, "w", encoding="utf-8") as f:
            generate(args.triples, args.seed, f)


if __name__ == "__main__":
    main()

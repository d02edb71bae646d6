"""CTDL: the export (radgraph.export.ctdl) checked the way the Registry would, and read back
(radgraph.ctdl.reader): the same requirement trees and the same paths.

pyld expands the export offline: its document loader refuses every remote address.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import radgraph
from radgraph import export
from radgraph.cache import build_from_files
from radgraph.cli import cli
from radgraph.ctdl import CETERMS, known, terms
from radgraph.ctdl.reader import read_ctdl
from radgraph.datafiles import shipped_files
from radgraph.errors import DataError
from radgraph.export.ctdl import credential_class, ctdl_document
from radgraph.planner import Planner

ID = "https://w3id.org/radgraph/id/"

#: The README's examples of `radgraph path` (FROM, TO, --have).
README_PATHS = [
    ("Radiology Assistant", "Interventional Radiology Technologist", ()),
    ("none", "Radiologic Technologist", ("High School Diploma",)),
    ("Diagnostic Radiologic Technologist", "Radiologic Technologist", ()),
    ("none", "Radiology Tech Assistant", ("GED",)),
    ("none", "Radiologist", ()),
    ("Radiologic Technologist", "MRI Technologist", ()),
    ("rt", "Radiologist Assistant", ()),
]


@pytest.fixture(scope="module")
def kg():
    return radgraph.load()


@pytest.fixture(scope="module")
def exported(kg, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ctdl") / "radgraph.ctdl.jsonld"
    export.write_ctdl(kg.graph, path)
    return path


def refuse(url, options=None):
    raise AssertionError(f"the JSON-LD processor asked for {url}: the export must read offline")


def ctdl_terms(expanded) -> set[str]:
    """Every CTDL class and property (as ``ceterms:Name``) in an expanded JSON-LD document."""
    found: set[str] = set()

    def visit(x):
        if isinstance(x, dict):
            for key, value in x.items():
                names = value if key == "@type" else [key]
                for name in names if isinstance(names, list) else [names]:
                    if isinstance(name, str) and name.startswith(CETERMS):
                        found.add("ceterms:" + name[len(CETERMS):])
                visit(value)
        elif isinstance(x, list):
            for y in x:
                visit(y)

    visit(expanded)
    return found


def unknown_terms(doc: dict) -> set[str]:
    from pyld import jsonld

    return {t for t in ctdl_terms(jsonld.expand(doc, {"documentLoader": refuse})) if not known(t)}


# ------------------------------------------------------------------ the export, checked


def test_pyld_expands_the_export_offline_and_every_ctdl_term_is_in_the_stored_list(exported):
    from pyld import jsonld

    expanded = jsonld.expand(json.loads(exported.read_text()), {"documentLoader": refuse})
    used = ctdl_terms(expanded)
    assert {"ceterms:ConditionProfile", "ceterms:alternativeCondition", "ceterms:targetCredential",
            "ceterms:yearsOfExperience", "ceterms:dateEffective", "ceterms:Occupation",
            "ceterms:QACredentialOrganization", "ceterms:offers", "ceterms:ownedBy"} <= used
    assert {t for t in used if not known(t)} == set()


def test_an_unknown_ctdl_term_is_caught(exported):
    doc = json.loads(exported.read_text())
    doc["@graph"][0]["ceterms:alternateCondition"] = "x"  # a typo for alternativeCondition
    assert unknown_terms(doc) == {"ceterms:alternateCondition"}


def test_the_stored_term_list_names_its_sources():
    t = terms()
    assert t["read"] and t["sources"]
    for term, source in {**t["classes"], **t["properties"]}.items():
        assert term.startswith("ceterms:") and source in t["sources"], term


def test_credentials_organizations_and_roles_get_their_ctdl_classes(kg):
    doc, _ = ctdl_document(kg.graph)
    types = {n["@id"].removeprefix(ID): n["@type"][0] for n in doc["@graph"] if "@type" in n}
    assert types["credential/arrt-radiography"] == "ceterms:Certification"
    assert types["credential/physician-license"] == "ceterms:License"
    assert types["credential/high-school-diploma"] == "ceterms:SecondarySchoolDiploma"
    assert types["credential/ged"] == "ceterms:GeneralEducationDevelopment"
    assert types["credential/radiography-associate-degree-program"] == "ceterms:AssociateDegree"
    assert types["credential/bachelors-degree"] == "ceterms:BachelorDegree"
    assert types["credential/radiology-residency-acgme"] == "ceterms:CertificateOfCompletion"
    assert types["organization/arrt"] == "ceterms:CredentialOrganization"
    assert types["organization/acgme"] == "ceterms:QACredentialOrganization"
    assert types["role/radiologist"] == "ceterms:Occupation"
    assert types["requirement/radiologic-technologist"] == "ceterms:ConditionProfile"


def test_a_role_carries_its_onet_code_as_an_occupation_type(kg):
    doc, _ = ctdl_document(kg.graph)
    mri = next(n for n in doc["@graph"] if n["@id"] == ID + "role/mr-technologist")
    onet = [a for a in mri["ceterms:occupationType"] if a.get("ceterms:codedNotation") == "29-2035.00"]
    assert len(onet) == 1 and onet[0]["@type"] == "ceterms:CredentialAlignmentObject"


def test_any_of_is_alternative_conditions_and_dates_are_date_effective(kg):
    doc, _ = ctdl_document(kg.graph)
    nodes = {n["@id"]: n for n in doc["@graph"]}
    rra = nodes[ID + "requirement/arrt-rra-experience-2023"]  # any of: 2 years as RT, or as DRT
    assert rra["ceterms:dateEffective"] == "2023-01-01"
    alternatives = [nodes[a["@id"]] for a in rra["ceterms:alternativeCondition"]]
    assert [a["ceterms:yearsOfExperience"] for a in alternatives] == [2, 2]
    assert sorted(a["ceterms:targetOccupation"][0] for a in alternatives) == [
        ID + "role/diagnostic-radiologic-technologist", ID + "role/radiologic-technologist"]
    anyof = next(n for n in doc["@graph"] if "rg:AnyOf" in n.get("@type", []) and n.get("rg:member"))
    assert sorted(a["@id"] for a in anyof["ceterms:alternativeCondition"]) == sorted(m["@id"] for m in anyof["rg:member"])


def test_what_the_sources_do_not_say_is_reported_missing_not_invented(kg):
    doc, findings = ctdl_document(kg.graph)
    text = json.dumps(doc)
    for never in ("ceterms:ctid", "ceterms:subjectWebpage", "ceterms:credentialStatusType", "ceterms:email"):
        assert never not in text.replace(f'"{never}": {{', "")  # only the context may name them
    missing = {f.node.removeprefix(ID): f.detail for f in findings if f.kind == "missing"}
    assert missing["credential/arrt-radiography"] == ("ceterms:ctid, ceterms:description, ceterms:subjectWebpage, "
                                                      "ceterms:credentialStatusType")
    # no issuer in any source read: the Registry's ownedBy-or-offeredBy is reported too
    assert missing["credential/istat-certification"].endswith("ceterms:ownedBy or ceterms:offeredBy")
    assert "ceterms:ctid" in missing["role/radiologist"]


def test_what_ctdl_cannot_say_is_listed_and_kept_in_radgraph_terms(kg):
    doc, findings = ctdl_document(kg.graph)
    gaps = {f.node.removeprefix(ID): f.detail for f in findings if f.kind == "gap"}
    assert "second group" in gaps["requirement/radiologist"]
    assert "no end date" in gaps["requirement/rad-residency-aoa"]
    aoa = next(n for n in doc["@graph"] if n["@id"] == ID + "requirement/rad-residency-aoa")
    assert aoa["rg:effectiveUntil"] == [{"@value": "2020-06-30", "@type": "http://www.w3.org/2001/XMLSchema#date"}]


def test_credential_class_by_name_only_for_programs_and_diplomas():
    from radgraph.model import Credential

    assert credential_class(Credential("x", "Master's degree or higher", "program")) == "ceterms:MasterDegree"
    assert credential_class(Credential("x", "Bachelor's degree", "certification")) == "ceterms:Certification"
    assert credential_class(Credential("x", "ARRT registry", "registry")) == "ceterms:Certification"


def test_cli_exports_ctdl(exported):
    result = CliRunner().invoke(cli, ["export", "--format", "ctdl"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(exported.read_text())


def test_cli_refuses_a_view_with_ctdl():
    result = CliRunner().invoke(cli, ["export", "--format", "ctdl", "--roles-only"])
    assert result.exit_code == 2
    assert "--format ctdl exports the whole RDF graph" in result.output


# ------------------------------------------------------------------ read back: the round trip


@pytest.fixture(scope="module")
def reread(exported):
    """The model of the exported file alone (with the vocabulary): none of the shipped data."""
    return build_from_files([shipped_files()[0], exported], validate=True)


def test_round_trip_gives_the_same_requirement_trees(kg, reread):
    shipped = kg.model
    assert set(reread.roles) == set(shipped.roles) and set(reread.credentials) == set(shipped.credentials)
    for rid, role in shipped.roles.items():
        assert reread.roles[rid].requires == role.requires, rid
        assert reread.roles[rid].maintains == role.maintains, rid
    for cid, cred in shipped.credentials.items():
        assert reread.credentials[cid].requires == cred.requires, cid
    assert reread == shipped


@pytest.mark.parametrize(("start", "goal", "have"), README_PATHS)
def test_round_trip_gives_the_same_paths(kg, reread, start, goal, have):
    before = Planner(kg.model, as_of="2026-12-02").plan(start, goal, have=have, alternatives=3)
    after = Planner(reread, as_of="2026-12-02").plan(start, goal, have=have, alternatives=3)
    assert [(p.roles, p.months, p.unknown) for p in after] == [(p.roles, p.months, p.unknown) for p in before]
    assert after == before


def test_cli_plans_over_the_exported_file(exported, tmp_path, monkeypatch):
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(tmp_path))
    args = ["path", "Radiology Assistant", "Interventional Radiology Technologist"]
    shipped = CliRunner().invoke(cli, args)
    merged = CliRunner().invoke(cli, ["--data", str(exported), *args])
    assert merged.exit_code == 0, merged.output
    assert merged.stdout == shipped.stdout


# ------------------------------------------------------------------ CTDL published by others

REGISTRY = "https://credentialengineregistry.org/resources/"

#: Registry records as the Registry serves them (its context by address, links as strings,
#: condition profiles as blank nodes): a certification that asks for a license and one of two
#: programs, and an occupation that asks for the certification and three years as a technologist.
OTHERS = {
    "@context": "https://credreg.net/ctdl/schema/context/json",
    "@graph": [
        {"@id": REGISTRY + "ce-cert", "@type": "ceterms:Certification",
         "ceterms:name": {"en-US": "Sonography Specialist"},
         "ceterms:ownedBy": [REGISTRY + "ce-org"],
         "ceterms:requires": [{
             "@type": "ceterms:ConditionProfile",
             "ceterms:description": {"en-US": "A license and one of two programs"},
             "ceterms:targetCredential": [REGISTRY + "ce-license"],
             "ceterms:alternativeCondition": [
                 {"@type": "ceterms:ConditionProfile", "ceterms:description": {"en-US": "Program A"},
                  "ceterms:targetCredential": [REGISTRY + "ce-program-a"]},
                 {"@type": "ceterms:ConditionProfile", "ceterms:description": {"en-US": "Program B"},
                  "ceterms:targetCredential": [REGISTRY + "ce-program-b"]}]}]},
        {"@id": REGISTRY + "ce-license", "@type": "ceterms:License", "ceterms:name": {"en-US": "State license"}},
        {"@id": REGISTRY + "ce-program-a", "@type": "ceterms:AssociateDegree",
         "ceterms:name": {"en-US": "Program A"},
         "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "P2Y"}]},
        {"@id": REGISTRY + "ce-program-b", "@type": "ceterms:CertificateOfCompletion",
         "ceterms:name": {"en-US": "Program B"}},
        {"@id": REGISTRY + "ce-org", "@type": "ceterms:CredentialOrganization",
         "ceterms:name": {"en-US": "Sonography Board"}},
        {"@id": REGISTRY + "ce-occupation", "@type": "ceterms:Occupation",
         "ceterms:name": {"en-US": "Sonography Lead"},
         "ceterms:requires": [{
             "@type": "ceterms:ConditionProfile", "ceterms:description": {"en-US": "Certified, 3 years as RT"},
             "ceterms:targetCredential": [REGISTRY + "ce-cert"],
             "ceterms:experience": "three years as a radiologic technologist",
             "ceterms:yearsOfExperience": 3,
             "ceterms:targetOccupation": [ID + "role/radiologic-technologist"]}]},
    ],
}


@pytest.fixture
def others(tmp_path) -> Path:
    path = tmp_path / "registry.ctdl.jsonld"
    path.write_text(json.dumps(OTHERS))
    return path


def test_ctdl_from_the_registry_becomes_radgraph_requirements(others):
    from radgraph.model import AllOf, AnyOf, CredentialReq, ExperienceReq

    model = radgraph.load([others]).model
    cert = model.credentials[REGISTRY + "ce-cert"]
    assert cert.kind == "certification" and cert.issued_by == (REGISTRY + "ce-org",)
    tree = cert.requires
    assert isinstance(tree, AllOf)
    creds = [m.credential for m in tree.members if isinstance(m, CredentialReq)]
    anyof = [m for m in tree.members if isinstance(m, AnyOf)]
    assert creds == [REGISTRY + "ce-license"] and len(anyof) == 1
    assert sorted(m.credential for m in anyof[0].members) == [REGISTRY + "ce-program-a", REGISTRY + "ce-program-b"]
    assert model.credentials[REGISTRY + "ce-program-a"].months == 24
    assert model.credentials[REGISTRY + "ce-program-b"].months is None  # not said: not known, never 0
    lead = model.roles[REGISTRY + "ce-occupation"].requires
    exp = next(m for m in lead.members if isinstance(m, ExperienceReq))
    assert (exp.min_months, exp.role) == (36, ID + "role/radiologic-technologist")


def test_radgraph_path_plans_over_ctdl_published_by_others(others, tmp_path, monkeypatch):
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["--data", str(others), "path", "Radiologic Technologist", "Sonography Lead",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    best = json.loads(result.stdout)["paths"][0]
    earned = {c["label"] for s in best["steps"] for c in s["earn"]}
    assert {"Sonography Specialist", "State license", "Program A"} <= earned  # Program A: known length
    assert "Program B" not in earned
    assert best["months"] >= 36 + 24 - 1e-9 or any(s["accrue"] for s in best["steps"])


def test_a_remote_context_other_than_the_registrys_is_refused(tmp_path):
    path = tmp_path / "x.jsonld"
    path.write_text(json.dumps({**OTHERS, "@context": "https://example.org/context.jsonld"}))
    with pytest.raises(DataError, match="remote context 'https://example.org/context.jsonld'"):
        read_ctdl(path.read_bytes(), path)


def test_json_that_is_not_ctdl_is_a_one_line_error(tmp_path):
    path = tmp_path / "x.jsonld"
    path.write_text("{not json")
    result = CliRunner().invoke(cli, ["--data", str(path), "roles"])
    assert result.exit_code == 2
    assert "x.jsonld: not JSON-LD" in result.output


def test_replace_keeps_models_comparable(reread):
    # the model compares by value: a changed tree is a different model (so the round trip test can fail)
    role = next(iter(reread.roles.values()))
    assert replace(role, requires=None) != role or role.requires is None


# ------------------------------------------------------------------ radgraph ctdl-check


def test_ctdl_check_reports_missing_and_gaps_in_80_columns():
    result = CliRunner().invoke(cli, ["ctdl-check"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    at = lines.index("cred:arrt-ct")
    assert lines[at + 1] == "  ceterms:Certification missing: ceterms:ctid, ceterms:description,"
    at = lines.index("req:radiologist")
    assert lines[at + 1].startswith("  ceterms:ConditionProfile gap: its group req:rad-residency is a second")


def test_ctdl_check_json_carries_every_finding(kg):
    result = CliRunner().invoke(cli, ["ctdl-check", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert len(found) == len(ctdl_document(kg.graph)[1])
    assert {"node", "cls", "kind", "detail"} == set(found[0])
    assert {f["kind"] for f in found} == {"missing", "gap"}


def test_the_readme_shows_real_ctdl_check_output():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ radgraph ctdl-check | head -3\n", 1)[1].split("```", 1)[0]
    result = CliRunner().invoke(cli, ["ctdl-check"])
    assert result.stdout.splitlines()[:3] == block.splitlines()

"""What the article states for each role, written by reading the article.

These expectations were typed from the article's text, not generated from
the graph: each names the credentials (by label), the experience and the
any-of alternatives the article gives, and the test checks the graph holds them.
They read the article's facts alone (``--source article``); the public pages
add to them (tests/test_public_facts.py).
"""

from __future__ import annotations

import pytest

from radgraph.model import AllOf, AnyOf, ContinuingEducation, CredentialReq, ExperienceReq, RoleReq, walk


@pytest.fixture
def model(article_model):
    return article_model


def labels(model, tree, kind=CredentialReq):
    return {model.label(n.credential) for n in walk(tree) if isinstance(n, kind)}


def any_of_sets(model, tree):
    """Each any-of group as the set of its members' labels."""
    out = []
    for node in walk(tree):
        if isinstance(node, AnyOf):
            out.append(frozenset(
                model.label(m.credential) if isinstance(m, CredentialReq)
                else model.label(m.setting) if isinstance(m, ExperienceReq) else m.id
                for m in node.members
            ))
    return set(out)


def experience(tree):
    return [n for n in walk(tree) if isinstance(n, ExperienceReq)]


def test_radiologic_technologist(model):
    role = model.find_role("Radiologic Technologist")
    assert isinstance(role.requires, AllOf)
    assert labels(model, role.requires) == {
        "High School Diploma",
        "2-year training program in Radiologic Technology (AMA-approved)",
        "ARRT certification",
    }
    program = model.find_credential("2-year training program in Radiologic Technology (AMA-approved)")
    assert program.months == 24
    assert [model.label(o) for o in program.approved_by] == ["American Medical Association"]
    assert [model.label(o) for o in model.find_credential("ARRT certification").issued_by] == [
        "American Registry of Radiologic Technologists"]
    assert {s.notation for s in role.systems} == {"RIS", "EMR", "PACS"}
    assert "RT" in role.alt_labels


def test_diagnostic_radiologic_technologist(model):
    role = model.find_role("Diagnostic Radiologic Technologist")
    assert labels(model, role.requires) == {
        "Accredited Radiologic Technology school or program",
        "High School Diploma",
        "CPR certification (American Red Cross)",
        "CPR certification (American Heart Association)",
        "ARRT certification",
        "State license (if applicable)",
    }
    # "in accordance with the American Red Cross or American Heart Association"
    assert frozenset({"CPR certification (American Red Cross)", "CPR certification (American Heart Association)"}) \
        in any_of_sets(model, role.requires)
    state_license = [n for n in walk(role.requires) if isinstance(n, CredentialReq)
                     and model.label(n.credential) == "State license (if applicable)"][0]
    assert state_license.condition == "if applicable" and state_license.caveat


def test_radiology_imaging_procedure_assistant(model):
    role = model.find_role("Radiology Imaging Procedure Assistant")
    groups = any_of_sets(model, role.requires)
    assert frozenset({"High School Diploma", "GED"}) in groups
    # "Previous hospital, clinical or patient care work experience is needed"
    assert frozenset({"hospital", "clinical", "patient care"}) in groups
    assert all(e.min_months is None for e in experience(role.requires))


def test_radiology_technician_is_vague_and_marked(model):
    role = model.find_role("Radiology Technician")
    assert role.requires is None  # the article states no entry requirements
    assert role.caveat
    assert labels(model, role.maintains) == {"Licensure (unspecified)", "Certification for the facility radiology equipment"}
    assert any(isinstance(n, ContinuingEducation) for n in walk(role.maintains))
    for n in walk(role.maintains):
        if isinstance(n, CredentialReq):
            assert n.caveat, "vague licensure must carry a caveat"


def test_radiology_tech_assistant(model):
    role = model.find_role("Radiology Tech Assistant")
    assert frozenset({"High School Diploma", "High school equivalent"}) in any_of_sets(model, role.requires)
    assert "Technical training (unspecified)" in labels(model, role.requires)
    (exp,) = experience(role.requires)
    assert exp.min_months is None and exp.caveat  # "some experience"
    assert [r.label for r in role.supervised_by] == ["Area Coordinator"]
    assert [r.label for r in role.directed_by] == ["Radiology Manager"]


def test_radiology_assistant(model):
    role = model.find_role("Radiology Assistant")
    assert frozenset({"High School Diploma", "GED"}) in any_of_sets(model, role.requires)
    (exp,) = experience(role.requires)
    assert (exp.min_months, exp.max_months) == (12, 36)  # "1 to 3 years of related experience"
    assert "BLS (American Heart Association)" in labels(model, role.requires)
    assert [r.label for r in role.supervised_by] == ["Chief Technologist"]


def test_interventional_radiology_technologist(model):
    role = model.find_role("Interventional Radiology Technologist")
    assert role.requires is None
    assert labels(model, role.maintains) == {
        "Venipuncture certification", "iSTAT certification", "ARRT registry",
        "Basic licensure as a Radiologic Technologist (RT)",
    }
    ce = [n for n in walk(role.maintains) if isinstance(n, ContinuingEducation)]
    assert ce and [model.label(o) for o in ce[0].administered_by] == ["American Registry of Radiologic Technologists"]
    license_ = model.find_credential("Basic licensure as a Radiologic Technologist (RT)")
    assert [n.role for n in walk(license_.requires) if isinstance(n, RoleReq)] == [
        model.find_role("Radiologic Technologist").id]
    assert {s.label for s in role.systems} >= {"Picture Archiving & Communication System", "WEBPACS", "VISTA", "CPRS",
                                               "Power injector systems"}
    assert [r.label for r in role.directed_by] == ["Radiologist"]
    assert "Interventional technologist" in role.alt_labels


def test_radiologist(model):
    role = model.find_role("Radiologist")
    groups = any_of_sets(model, role.requires)
    assert frozenset({"Graduation from an LCME-approved medical school", "Graduation from an AOA-approved medical school",
                      "ECFMG certification"}) in groups
    assert frozenset({
        "Radiology residency (ACGME-approved)",
        "Radiology residency (AOA Committee on Postdoctoral Training-approved)",
        "Canadian radiology residency (Royal College-approved)",
        "Canadian radiology residency (approved by another appropriate Canadian medical authority)",
    }) in groups
    assert {"Board certification in Diagnostic Radiology",
            "American Heart Association Basic Life Support (BLS) for Health care Providers",
            "Current, valid, unrestricted license (U.S. state or territory)"} <= labels(model, role.requires)
    (exp,) = experience(role.requires)
    assert (exp.min_months, exp.within_months) == (12, 36)
    assert model.label(exp.setting) == "acute setting"
    assert {"Board certification in Diagnostic Radiology",
            "Current, valid, unrestricted license (U.S. state or territory)"} <= labels(model, role.maintains)
    assert any("MQSA" in n.label for n in walk(role.maintains) if isinstance(n, ContinuingEducation))


def test_radiologist_license_jurisdictions(model):
    lic = model.find_credential("Current, valid, unrestricted license (U.S. state or territory)")
    names = {model.label(j) for j in lic.valid_in}
    assert len(names) == 54  # 50 states + DC + Puerto Rico + Guam + U.S. Virgin Islands
    assert {"Ohio", "District of Columbia", "Commonwealth of Puerto Rico", "Guam", "U.S. Virgin Islands"} <= names


@pytest.mark.parametrize("org", [
    "American Medical Association", "American Registry of Radiologic Technologists", "American Red Cross",
    "American Heart Association", "Liaison Committee on Medical Education", "American Osteopathic Association",
    "Educational Council for Foreign Medical Graduates", "Accreditation Council for Graduate Medical Education",
    "Committee on Postdoctoral Training of the American Osteopathic Association",
    "Royal College of Physician and Surgeons of Canada", "Pharmacy and Therapeutics Committee",
])
def test_every_named_organization_is_in_the_graph(model, org):
    assert org in {o.label for o in model.organizations.values()}


def test_every_role_is_in_the_graph(model):
    assert {r.label for r in model.roles.values()} >= {
        "Radiologic Technologist", "Diagnostic Radiologic Technologist", "Radiology Imaging Procedure Assistant",
        "Radiology Technician", "Radiology Tech Assistant", "Radiology Assistant",
        "Interventional Radiology Technologist", "Radiologist"}

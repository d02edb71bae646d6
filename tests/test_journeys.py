"""An answer key: journeys a careers advisor would sign, written by hand from the sources.

Each journey is read from the sources themselves (the article, ARRT, ABR, ACGME,
ACR, JRCERT and the pages ``advice.ttl`` cites), not from the graph: what a person
in the FROM role must earn, what they must *not* be sent back to earn, the route,
and the least and the typical known total. Every test goes through the command
line (``radgraph path ... --format json``), as a script would.

The sources, in short (each is cited in the data):

* ARRT: Radiography (R) is "certification and registration"; it needs an
  ARRT-approved program and an associate degree or higher, which may be earned
  before, during or after the program. Postprimary credentials (CT, MR, M) need a
  supporting credential such as R, 16 hours of structured education and clinical
  procedures (their number is not in any page read).
* The article: the Radiologic Technologist's 2-year AMA-approved program and the
  Diagnostic Radiologic Technologist's accredited program are one radiography
  education (JRCERT took over accreditation from the AMA's CAHEA in 1994); the GED
  is the "equivalent" of a high school diploma.
* ARRT's R.R.A.: one year of experience until 2022; from 1 January 2023 two
  years; an ARRT-approved program (two years with its preceptorship, ACR); a
  master's degree.
* ABR: the certifying exam comes about 15 months after residency (at least 12);
  ACGME: five years of residency; AAMC: four years of medical school. AOA-approved
  residencies moved to ACGME by 30 June 2020.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from radgraph.cli import cli

from .conftest import USER_TTL_HEAD

ID = "https://w3id.org/radgraph/id/"


def plan(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["path", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def best(*args: str) -> dict:
    return plan(*args)["paths"][0]


def earned(path: dict) -> set[str]:
    return {c["id"].removeprefix(ID + "credential/") for s in path["steps"] for c in s["earn"]}


def route(path: dict) -> list[str]:
    return [r["label"] for r in path["roles"]]


def total(path: dict) -> tuple[float, float]:
    return path["total"]["min"], path["total"]["typical"]


def unknown(path: dict) -> set[str]:
    return {u["id"].rsplit("/", 1)[-1] for u in path["total"]["unknown"]}


RADIOGRAPHY_EDUCATION = {"rt-training-program-ama", "accredited-rt-program", "arrt-approved-radiography-program",
                         "radiography-associate-degree-program", "associate-degree"}


# ------------------------------------------------------------------ one credential is one credential


def test_diagnostic_technologist_to_radiologic_technologist_earns_nothing():
    """A certified DRT holds ARRT certification (R) and a radiography program: the RT asks nothing more."""
    p = best("Diagnostic Radiologic Technologist", "Radiologic Technologist")
    assert route(p) == ["Diagnostic Radiologic Technologist", "Radiologic Technologist"]
    assert earned(p) == set()
    assert total(p) == (0, 0) and unknown(p) == set()


def test_diagnostic_technologist_to_interventional_is_not_sent_back_to_school():
    p = best("Diagnostic Radiologic Technologist", "Interventional Radiology Technologist")
    assert route(p)[-1] == "Interventional Radiology Technologist"
    assert not earned(p) & (RADIOGRAPHY_EDUCATION | {"arrt-radiography", "arrt-certification", "arrt-registration"})
    assert {"venipuncture-certification", "istat-certification"} <= earned(p)  # the article: maintain both
    assert total(p) == (0, 0)


def test_radiologic_technologist_holds_the_arrt_registry_already():
    """ARRT: a person is "certified and registered" by ARRT; the IRT's "ARRT registry" is not earned again."""
    p = best("Radiologic Technologist", "Interventional Radiology Technologist")
    assert route(p) == ["Radiologic Technologist", "Interventional Radiology Technologist"]
    assert "arrt-registration" not in earned(p)
    assert earned(p) == {"radiologic-technologist-license", "venipuncture-certification", "istat-certification"}
    assert total(p) == (0, 0) and len(unknown(p)) == 3  # three lengths no source gives: never "0 months"


def test_one_radiography_education_not_three():
    """From no role: one program (the common associate degree program), not the AMA program + ARRT's + a degree."""
    p = best("none", "Radiologic Technologist")
    education = earned(p) & RADIOGRAPHY_EDUCATION
    assert education == {"radiography-associate-degree-program"}
    assert {"arrt-radiography", "high-school-diploma"} <= earned(p)
    assert total(p) == (24, 24)  # "2 year training program" (the article); two-year programs most common (BLS)
    assert unknown(p) == {"arrt-radiography", "high-school-diploma"}


def test_a_ged_meets_high_school_diploma_or_equivalent():
    p = best("none", "Radiology Tech Assistant", "--have", "GED")
    assert "high-school-diploma" not in earned(p) and "high-school-equivalent" not in earned(p)
    assert earned(p) == {"technical-training"}
    without = best("none", "Radiology Tech Assistant")
    assert earned(without) & {"high-school-diploma", "high-school-equivalent", "ged"}


def test_a_ged_counts_for_the_imaging_procedure_assistant():
    """The article: "High School Diploma or G.E.D Equivalent"."""
    p = best("none", "Radiology Imaging Procedure Assistant", "--have", "GED")
    assert not earned(p) & {"high-school-diploma", "ged", "high-school-equivalent"}


def test_main_example_education_once_and_no_registry():
    p = best("Radiology Assistant", "Interventional Radiology Technologist")
    assert route(p) == ["Radiology Assistant", "Radiologic Technologist", "Interventional Radiology Technologist"]
    assert len(earned(p) & RADIOGRAPHY_EDUCATION) == 1
    assert "arrt-registration" not in earned(p) and "arrt-certification" not in earned(p)
    assert total(p) == (24, 24) and len(unknown(p)) == 5


def test_a_role_held_before_counts():
    """Someone who was a Radiologic Technologist is not sent back to school to become an IRT."""
    p = best("none", "Interventional Radiology Technologist", "--held-role", "Radiologic Technologist")
    assert not earned(p) & (RADIOGRAPHY_EDUCATION | {"arrt-radiography", "high-school-diploma"})
    assert "radiologic-technologist-license" in earned(p)


# ------------------------------------------------------------------ unknown is never zero


def test_radiologic_technologist_to_mri_is_the_postprimary_route_and_not_zero():
    """ARRT: with R, MR is postprimary: 16 hours of structured education and clinical procedures."""
    p = best("Radiologic Technologist", "MRI Technologist")
    assert earned(p) == {"arrt-mr-structured-education", "arrt-mr"}
    assert not earned(p) & (RADIOGRAPHY_EDUCATION | {"arrt-approved-mri-program"})
    assert total(p) == (0, 0)
    assert len(unknown(p)) == 2  # the MR credential itself and the clinical procedures: no source gives a length
    text = CliRunner().invoke(cli, ["path", "Radiologic Technologist", "MRI Technologist"]).stdout
    assert "0 months" not in text and "Total: not known (2 items of unknown length)" in text
    assert "(16 hours)" in text


def test_radiologic_technologist_to_ct_does_not_repeat_radiography():
    p = best("Radiologic Technologist", "CT Technologist")
    assert earned(p) == {"arrt-ct-structured-education", "arrt-ct"}
    assert p["steps"][0]["outside"], "the CT clinical procedures are listed, not dropped"


def test_radiologic_technologist_to_mammographer():
    p = best("Radiologic Technologist", "Mammographer")
    assert {"arrt-mammography", "arrt-mammography-structured-education"} <= earned(p)
    assert not earned(p) & RADIOGRAPHY_EDUCATION


def test_radiologist_from_no_role_counts_college_and_the_board_wait():
    """Bachelor's (length not given), medical school 4 years, residency 5, ABR exam 12-15 months after, 12 months' practice."""
    p = best("none", "Radiologist")
    assert route(p) == ["none", "Radiologist"]
    assert {"bachelors-degree", "radiology-residency-acgme", "diagnostic-radiology-board-certification"} <= earned(p)
    assert earned(p) & {"medical-school-lcme", "medical-school-aoa"}
    assert not earned(p) & {"ecfmg-certification", "radiology-residency-aoa", "radiology-residency-canadian-other"}
    assert total(p) == (48 + 60 + 12 + 12, 48 + 60 + 15 + 12)
    assert "bachelors-degree" in unknown(p)
    text = CliRunner().invoke(cli, ["path", "none", "Radiologist"]).stdout
    assert "Total: 11 years to 11 years 3 months, plus 3 items of unknown length" in text


def test_radiologist_by_months_does_not_take_the_unknown_shortcut():
    """Months with unknown lengths as 0 picked ECFMG and a Canadian residency (12 months); never again."""
    p = best("none", "Radiologist", "--optimize", "months")
    assert "ecfmg-certification" not in earned(p) and "radiology-residency-acgme" in earned(p)
    assert total(p)[1] >= 48 + 60


# ------------------------------------------------------------------ rules have dates


def test_rra_takes_two_years_of_experience_since_2023():
    p = best("Radiologic Technologist", "Registered Radiologist Assistant")
    accrued = [a["months"] for s in p["steps"] for a in s["accrue"]]
    assert accrued == [24]
    assert {"arrt-approved-ra-program", "masters-degree", "arrt-rra"} <= earned(p)
    assert total(p) == (48, 48)  # two years as RT, then the two-year program (ACR)


def test_rra_in_2022_took_one_year():
    p = best("Radiologic Technologist", "Registered Radiologist Assistant", "--as-of", "2022-06-01")
    assert [a["months"] for s in p["steps"] for a in s["accrue"]] == [12]
    assert plan("Radiologic Technologist", "Registered Radiologist Assistant", "--as-of", "2022-06-01")["as_of"] == "2022-06-01"


def test_months_already_worked_count():
    p = best("Radiologic Technologist", "Registered Radiologist Assistant", "--worked", "Radiologic Technologist=30")
    assert [a for s in p["steps"] for a in s["accrue"]] == []
    assert total(p) == (24, 24)
    p = best("Radiologic Technologist", "Registered Radiologist Assistant", "--worked", "rt=10")
    assert [a["months"] for s in p["steps"] for a in s["accrue"]] == [14]


def test_aoa_residencies_are_not_offered_after_2020_and_the_note_says_why():
    data = plan("none", "Radiologist")
    notes = [n for n in data["notes"] if n["kind"] == "not_in_force"]
    assert [n["about"]["id"].rsplit("/", 1)[-1] for n in notes] == ["rad-residency-aoa"]
    assert notes[0]["since"] == "2020-07-01" and "ACGME" in notes[0]["text"]
    before = plan("none", "Radiologist", "--as-of", "2019-01-01")
    assert not [n for n in before["notes"] if n["kind"] == "not_in_force"]


def test_the_article_words_stay_and_a_correction_is_shown():
    """The article's AMA approval and its name for ECFMG are kept and shown with the current fact."""
    text = CliRunner().invoke(cli, ["path", "none", "Radiologic Technologist"]).stdout
    assert "2-year training program in Radiologic Technology (AMA-approved): The AMA no" in text
    assert "JRCERT" in text
    show = json.loads(CliRunner().invoke(cli, ["show", "Radiologist", "--format", "json"]).stdout)
    school = [m for x in show["requires"]["all_of"] if "any_of" in x for m in x["any_of"]]
    ecfmg = next(m["credential"] for m in school if "ECFMG" in m["credential"]["label"])
    issuer = ecfmg["issued_by"][0]
    assert issuer["label"] == "Educational Council for Foreign Medical Graduates"  # the article's words stay
    assert "Educational Commission for Foreign Medical Graduates" in issuer["correction"]["text"]
    assert issuer["correction"]["sources"][0]["source"]["label"].startswith("ECFMG")


# ------------------------------------------------------------------ names people use


def test_radiologist_assistant_is_the_rra():
    p = best("Radiologic Technologist", "Radiologist Assistant")
    assert route(p)[-1] == "Registered Radiologist Assistant"


def test_a_name_two_roles_share_lists_both(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(USER_TTL_HEAD + """ex:xr a rg:Role ; skos:prefLabel "X-ray Operator" ; skos:altLabel "Radiographer" ;
    prov:wasDerivedFrom ex:ev .
""")
    r = CliRunner().invoke(cli, ["--data", str(mine), "path", "none", "radiographer"])
    assert r.exit_code == 2
    assert r.stderr.strip() == ("Error: 'radiographer' names more than one role: Radiologic Technologist, "
                                "X-ray Operator. Say which, by its full name.")


# ------------------------------------------------------------------ output a person reads


@pytest.mark.parametrize("args", [
    ("Radiology Assistant", "Interventional Radiology Technologist"),
    ("none", "Radiologist"),
    ("Radiologic Technologist", "Registered Radiologist Assistant"),
])
def test_path_text_fits_80_columns_and_opens_with_the_answer(args):
    text = CliRunner().invoke(cli, ["path", *args]).stdout
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[1].startswith("Total: ") or lines[2].startswith("Total: ")
    assert "unstated" not in text and "outside this graph" not in text and "0 months" not in text
    assert "why:" not in text  # evidence comes with --explain
    explained = CliRunner().invoke(cli, ["path", *args, "--explain"]).stdout
    assert "why: \u201c" in explained and max(len(line) for line in explained.splitlines()) <= 80


def test_next_is_a_table_with_steps_down_last():
    text = CliRunner().invoke(cli, ["next", "Radiologic Technologist"]).stdout
    lines = text.splitlines()
    assert len(lines) <= 24 and max(len(line) for line in lines) <= 80
    down = text.index("Steps down")
    for role in ("Radiology Tech Assistant", "Radiology Imaging Procedure Assistant", "Radiology Assistant"):
        assert text.index("  v " + role) > down
    for role in ("CT Technologist", "Registered Radiologist Assistant", "Radiologist"):
        assert text.index("    " + role) < down
    data = json.loads(CliRunner().invoke(cli, ["next", "Radiologic Technologist", "--format", "json"]).stdout)
    directions = [s["direction"] for s in data["next"]]
    assert directions == sorted(directions, key=["up", "across", "down"].index)

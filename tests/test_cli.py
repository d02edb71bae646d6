"""The CLI: roles, show, validate, global options, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from radgraph.cli import cli

from .conftest import FIXTURES


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("radgraph, version ")


def test_python_dash_m(tmp_path):
    out = subprocess.run([sys.executable, "-m", "radgraph", "roles"], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0
    assert "Radiologic Technologist  (also: RT, Radiographer, Radiological Technologist, X-Ray Technologist)" \
        in out.stdout.splitlines()


def test_roles_text():
    result = run("roles")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "Radiology Assistant" in lines
    assert "Interventional Radiology Technologist  (also: Interventional technologist)" in lines


def test_roles_json_contract():
    data = json.loads(run("roles", "--format", "json").stdout)
    assert isinstance(data, list) and len(data) >= 8
    for item in data:
        assert set(item) >= {"id", "label", "alt_labels"}
    rt = next(x for x in data if x["label"] == "Radiologic Technologist")
    assert rt["id"] == "https://w3id.org/radgraph/id/role/radiologic-technologist"
    assert rt["alt_labels"] == ["RT", "Radiographer", "Radiological Technologist", "X-Ray Technologist"]


def test_show_text_has_tree_issuers_and_sources():
    text = run("show", "Diagnostic Radiologic Technologist").stdout
    assert max(len(line) for line in text.splitlines()) <= 80
    out = " ".join(text.split())  # lines are folded at 80 columns: compare the words
    assert "ALL OF:" in out and "ANY ONE OF:" in out
    assert "CPR certification (American Red Cross) [certification] - issued by American Red Cross" in out
    assert "\u201ca state license if applicable\u201d (Diagnostic Radiologic Technologist)" in out
    assert "- Radiology careers article (eight roles): Diagnostic Radiologic Technologist; Radiologic Technologist" in out


def test_show_json_contract():
    data = json.loads(run("show", "radiologist", "--format", "json").stdout)
    assert set(data) >= {"id", "label", "requires", "maintains", "duties", "skills", "systems", "supervised_by", "sources"}
    top = data["requires"]["all_of"]
    school = next(x for x in top if "any_of" in x and any("ECFMG" in m["credential"]["label"] for m in x["any_of"]))
    ecfmg = next(m for m in school["any_of"] if "ECFMG" in m["credential"]["label"])
    (issuer,) = ecfmg["credential"]["issued_by"]
    assert {k: issuer[k] for k in ("id", "label")} == {"id": "https://w3id.org/radgraph/id/organization/ecfmg",
                                                       "label": "Educational Council for Foreign Medical Graduates"}
    assert set(issuer) <= {"id", "label", "correction"}  # keys are added, never renamed
    exp = next(x["experience"] for x in top if "experience" in x)
    assert (exp["min_months"], exp["max_months"], exp["within_months"]) == (12, None, 36)
    assert exp["setting"]["label"] == "acute setting"
    assert all({"section", "quote", "source"} <= set(s) for s in data["sources"])


def test_show_unknown_role_exit_2_one_line():
    result = CliRunner().invoke(cli, ["show", "Radiology Astronaut"])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("Error: no role matches 'Radiology Astronaut'. Did you mean: "
                                     "Radiology Assistant, Registered Radiologist Assistant, Radiology Tech Assistant?")
    assert result.stdout == ""


def test_validate_shipped_conforms():
    result = run("validate")
    assert result.exit_code == 0 and result.stdout.strip() == "conforms"


def test_validate_bad_file_exit_3_lists_violations():
    result = CliRunner().invoke(cli, ["validate", str(FIXTURES / "bad" / "requirement-cycle.ttl")])
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "req:loop -: requirement tree has a cycle: this node is its own member",
        "req:loop2 -: requirement tree has a cycle: this node is its own member",
    ]
    assert "Error: data does not conform: 2 violation(s)" in result.stderr


def test_data_option_validates_at_load():
    result = CliRunner().invoke(cli, ["--data", str(FIXTURES / "bad" / "missing-label.ttl"), "roles"])
    assert result.exit_code == 3
    assert "role:nameless skos:prefLabel" in result.stdout


def test_data_missing_file_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["--data", str(tmp_path / "nope.ttl"), "roles"])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.ttl'}: no such file or folder"


def test_data_malformed_turtle_exit_2(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <https://e/> .\nex:a ex:b .\n")
    result = CliRunner().invoke(cli, ["--data", str(bad), "roles"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}:2: ")
    assert "Traceback" not in result.output


def test_every_command_has_help_with_examples():
    for name in cli.commands:
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Examples:" in result.stdout, name


def _path(*args):
    result = CliRunner().invoke(cli, ["path", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_path_marks_credentials_whose_own_requirements_are_not_recorded():
    text = _path("none", "Diagnostic Radiologic Technologist")
    notes = text.split("Notes (rules in force today):")[1].split("\n\n")[0]
    assert ("  - CPR certification (American Heart Association), State license (if\n    applicable): no source records "
            "what earning these takes; the real route may\n    be longer.") in notes
    # the article's "ARRT certification" is earned as Radiography (R), whose requirements are recorded
    assert "ARRT certification and registration in Radiography (R)" in text and "ARRT certification," not in notes
    explained = _path("none", "Diagnostic Radiologic Technologist", "--explain")
    assert explained.count("its own requirements are not recorded: the real route may be longer") == 2
    # a program or diploma without recorded prerequisites is not marked: nothing is missing there
    diploma = explained.split("- Earn: High School Diploma")[1].split("- Earn:")[0]
    assert "not recorded" not in diploma


def test_path_json_flags_only_gated_credentials_without_requirements():
    data = json.loads(_path("none", "CT Technologist", "--format", "json"))
    earned = {c["label"]: c for s in data["paths"][0]["steps"] for c in s["earn"]}
    # ARRT's own requirements for R and CT are recorded, so neither is flagged
    assert "ARRT certification and registration in Computed Tomography (CT)" in earned
    assert all("requirements_unrecorded" not in c for c in earned.values())
    data = json.loads(_path("none", "Diagnostic Radiologic Technologist", "--format", "json"))
    flagged = sorted(c["label"] for s in data["paths"][0]["steps"] for c in s["earn"] if c.get("requirements_unrecorded"))
    assert flagged == ["CPR certification (American Heart Association)", "State license (if applicable)"]


def test_path_with_nothing_unrecorded_has_no_note():
    assert "no source records what earning" not in _path("Radiologic Technologist", "CT Technologist")


def test_radiologist_from_no_role_goes_through_medical_school_and_residency():
    """Ranked by months with unknown lengths as 0, the route through credentials of unknown length won (12 months)."""
    data = json.loads(_path("none", "Radiologist", "--format", "json"))
    best = data["paths"][0]
    earned = {c["id"].rsplit("/", 1)[-1] for s in best["steps"] for c in s["earn"]}
    assert "radiology-residency-acgme" in earned
    assert earned & {"medical-school-lcme", "medical-school-aoa"}  # both 48 months: either is right
    assert "ecfmg-certification" not in earned
    # medical school 48, residency 60, ABR's certifying exam 12 to 15 months after it, 12 months' experience
    assert (best["months_min"], best["months"]) == (48 + 60 + 12 + 12, 48 + 60 + 15 + 12)
    by_months = json.loads(_path("none", "Radiologist", "--format", "json", "--optimize", "months"))
    assert by_months["paths"][0]["months"] == best["months"]

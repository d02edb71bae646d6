"""Hostile names for roles and credentials: found, or one short `Error: no role matches ...` line, exit 2."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .hostile import assert_clean, assert_error, invoke

#: name -> the role it must find (None: it must be refused with a suggestion line)
NAMES = {
    # case, punctuation, spacing, width, IRIs
    "RADIOLOGIST!!": "Radiologist",
    "  radiologic---technologist  ": "Radiologic Technologist",
    "radiologic_technologist": "Radiologic Technologist",
    "\uff32\uff21\uff24\uff29\uff2f\uff2c\uff2f\uff27\uff29\uff33\uff34": "Radiologist",  # full-width RADIOLOGIST
    "\uff52\uff54": "Radiologic Technologist",  # full-width rt
    "https://w3id.org/radgraph/id/role/radiologist": "Radiologist",
    "radiologist\x00": "Radiologist",  # a NUL is punctuation to the lookup
    "\u202eRT": "Radiologic Technologist",  # a right-to-left override before a notation
    "\U0001fa7b rt": "Radiologic Technologist",  # an X-ray emoji
    # not found: each must be refused, one line, exit 2
    "Radiolog\u00edst": None,  # accent
    "R\u0301T": None,  # combining acute accent
    "\u0631\u0627\u062f\u06cc\u0648\u0644\u0648\u0698\u06cc\u0633\u062a": None,  # Persian, right to left
    "\u202e\u202d\u200f": None,  # only direction marks
    "\U0001f600" * 50: None,
    "e\u0301" * 3000: None,  # combining marks by the thousand
    "\x00": None,
    "a\x00b": None,
    "\x1b[31mred\x1b[0m": None,  # a terminal escape
    "rt\r\nError: injected line": None,
    "": None,
    "   ": None,
    "\t\n\r\x0b\x0c": None,
    "x" * 100_000: None,
    "\x00" * 100_000: None,
    "<https://w3id.org/radgraph/id/role/radiologist>": None,
    "role:radiologist": None,
    "file:///etc/passwd": None,
    "' OR 1=1 --": None,
    '"} UNION { ?s ?p ?o } #': None,
    "-": None,
}
IDS = [re.sub(r"[^ -~]", "?", n)[:30] or "empty" for n in NAMES]

#: Each way a name reaches the lookup; ``{}`` is the name.
SITES = {
    "show": ["show", "{}"],
    "show json": ["show", "{}", "--format", "json"],
    "next": ["next", "{}"],
    "path from": ["path", "{}", "radiologist"],
    "path to": ["path", "none", "{}"],
}


def fill(args: list[str], name: str) -> list[str]:
    return [name if a == "{}" else a for a in args]


@pytest.mark.parametrize("site", sorted(SITES))
@pytest.mark.parametrize("name", list(NAMES), ids=IDS)
def test_role_name(name, site):
    expected = NAMES[name]
    result = invoke(*fill(SITES[site], name))
    if expected is None:
        line = assert_error(result, 2, "Error: no role matches ")
        quoted = line.removeprefix("Error: no role matches ").split(". Did you mean: ")[0].split(". Run ")[0]
        assert len(quoted) <= 80, quoted
        assert "Did you mean: " in line or line.endswith(". Run 'radgraph roles' to list them.")
    elif site == "path from" and expected == "Radiologist":
        assert_error(result, 2, "FROM and TO are the same role: Radiologist")
    else:
        assert_clean(result)
        assert result.exit_code == 0, result.output
        if site == "show":
            assert result.stdout.splitlines()[0] == expected


def test_near_miss_suggests_the_role():
    line = assert_error(invoke("show", "Radiolog\u00edst"), 2)
    assert line == "Error: no role matches 'Radiolog\u00edst'. Did you mean: Radiologist, Radiology Assistant, Registered Radiologist Assistant?"


def test_echoed_name_is_cut_and_escaped():
    line = assert_error(invoke("show", "rt\r\nError: injected line" + "x" * 1000), 2)
    assert line.startswith("Error: no role matches 'rt\\r\\nError: injected line")
    assert line.count("Error:") == 2 and "\n" not in line and "\r" not in line  # the echo, escaped, on one line
    assert len(line) < 200
    line = assert_error(invoke("show", "\x00" * 100_000), 2)
    assert line == "Error: no role matches '" + "\\x00" * 18 + "...'. Run 'radgraph roles' to list them."


@pytest.mark.parametrize("name", ["", "\x00", "x" * 100_000, "\u202e\u0301", "cred:ged", "GED\n--have"],
                         ids=["empty", "NUL", "100k", "marks", "prefixed", "newline"])
def test_unknown_credential_names_a_command_that_lists_them(name):
    line = assert_error(invoke("path", "none", "rt", "--have", name), 2, "Error: no credential matches ")
    hint = re.search(r"Run '(radgraph [^']+)' to list them\.$", line)
    if hint:  # the command it names exists and lists the credentials
        listing = invoke(*hint.group(1).split()[1:])
        assert listing.exit_code == 0 and "High School Diploma" in listing.stdout
    else:
        assert "Did you mean: " in line


def test_credential_found_by_any_spelling():
    for spelling in ("High School Diploma", "HIGH-SCHOOL diploma!", "\uff27\uff25\uff24",
                     "https://w3id.org/radgraph/id/credential/ged"):
        result = invoke("path", "none", "Radiology Tech Assistant", "--have", spelling)
        assert result.exit_code == 0, (spelling, result.output)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=300), site=st.sampled_from(sorted(SITES)))
def test_any_text_is_found_or_refused_in_one_line(name, site):
    result = invoke(*fill(SITES[site], name))
    assert_clean(result)
    assert result.exit_code in (0, 1, 2)  # 1: a role found but no path to it
    if result.exit_code:
        assert_error(result, result.exit_code)


# ------------------------------------------------------------------ a user's data cannot take a shipped name over (issue 18)

USER = """@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ev: <https://w3id.org/radgraph/id/evidence/> .
@prefix src: <https://w3id.org/radgraph/id/source/> .
ev:x a rg:Evidence ; rg:inSource src:article ; rg:section "Mine" ; rg:quote "my own words" .
"""

#: A user's role built to capture a shipped name: by its IRI's last part, its other name or its notation.
HIJACKS = {
    "IRI ends in the label": '<https://example.org/radiologist> a rg:Role ; skos:prefLabel "Night Hawk" ; '
                             'prov:wasDerivedFrom ev:x .',
    "IRI ends in the notation": '<https://example.org/x/rt> a rg:Role ; skos:prefLabel "Night Hawk" ; '
                                'prov:wasDerivedFrom ev:x .',
    "other name is the label": '<https://example.org/hawk> a rg:Role ; skos:prefLabel "Night Hawk" ; '
                               'skos:altLabel "Radiologist" ; prov:wasDerivedFrom ev:x .',
    "notation is the label": '<https://example.org/hawk> a rg:Role ; skos:prefLabel "Night Hawk" ; '
                             'skos:notation "Radiologist" ; prov:wasDerivedFrom ev:x .',
    "other name folds to the label": '<https://example.org/hawk> a rg:Role ; skos:prefLabel "Night Hawk" ; '
                                     'skos:altLabel "RADIOLOGIST!" ; prov:wasDerivedFrom ev:x .',
}


@pytest.mark.parametrize("how", sorted(HIJACKS))
@pytest.mark.parametrize("name", ["radiologist", "Radiologist"])
def test_a_users_role_does_not_capture_a_shipped_label(tmp_path, how, name):
    mine = tmp_path / "mine.ttl"
    mine.write_text(USER + HIJACKS[how] + "\n")
    if "notation" in how and "IRI" in how:
        name = "rt"
    want = "Radiologic Technologist" if name == "rt" else "Radiologist"
    shown = invoke("--data", str(mine), "show", name)
    assert shown.exit_code == 0 and shown.stdout.startswith(want), shown.output
    planned = invoke("--data", str(mine), "path", "rt", "radiologist", "--format", "json")
    assert planned.exit_code == 0, planned.output
    import json

    assert json.loads(planned.stdout)["to"]["label"] == "Radiologist"


def test_a_name_two_roles_share_at_the_same_rank_lists_both(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text(USER + '<https://example.org/xr> a rg:Role ; skos:prefLabel "X-ray Operator" ; '
                           'skos:altLabel "Radiographer" ; prov:wasDerivedFrom ev:x .\n')
    line = assert_error(invoke("--data", str(mine), "show", "radiographer"), 2, "names more than one role")
    assert "X-ray Operator" in line and "Radiologic Technologist" in line

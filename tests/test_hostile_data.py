"""Hostile and broken user data (--data FILE, validate FILE): one line, a documented exit code, nothing changed.

Every user file reaches the model one of two ways: the compiled model cache
(``roles``, ``show``, ``next``, ``path``: parsed by pyoxigraph) or rdflib
(``validate``, ``query``). Each case runs through both.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from radgraph.datafiles import MAX_USER_BYTES, ONTOLOGY_DIR
from radgraph.reader import MAX_DEPTH

from .conftest import FIXTURES
from .hostile import HEAD, assert_clean, assert_error, invoke

#: One command per way in: the cached model (first four) and rdflib (the last two).
CACHED = [["roles"], ["show", "rt"], ["next", "rt"], ["path", "none", "rt"]]
RDFLIB = [["validate"], ["query", "caveats"]]
COMMANDS = CACHED + RDFLIB
IDS = [" ".join(c) for c in COMMANDS]

P = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"  # lines 1 and 2 of each broken file

#: name -> (bytes, the line the error must name on the cached path, on the rdflib path)
MALFORMED = {
    "no object": (P + "ex:a ex:b .\n", 3, 3),
    "extra term": (P + "ex:a ex:b ex:c ex:d .\n", 3, 3),
    "no final dot": (P + "ex:a ex:b ex:c\n", 4, 4),
    "string never closed": (P + 'ex:a ex:b "abc\nex:c ex:d ex:e .\n', 3, 3),
    "long string never closed": (P + 'ex:a ex:b """abc .\n\n\n', 3, 6),
    "list never closed": (P + "ex:a ex:b ( ex:c .\n", 3, 3),
    "empty language tag": (P + 'ex:a ex:b "x"@ .\n', 3, 3),
    "space in an IRI": (P + "ex:a ex:b <not an iri> .\n", 3, 3),
    "space in a relative IRI": ("@base <https://e/> .\n<a> <b> <c> .\n<x y> <b> <c> .\n", 3, 3),
    "TriG in a .ttl": (P + "GRAPH ex:g { ex:a ex:b ex:c }\n", 3, 3),
    "not UTF-8": (P.encode() + b'ex:a ex:b "\xff\xfe" .\n', 3, 3),
    "binary": (b"\x00\x01\x02\xff\xfe\x7fELF", 1, 1),
    "byte order mark": ("\ufeff" + P, 1, 1),
}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def user_file(tmp_path: Path, body: str, name: str = "mine.ttl") -> Path:
    return write(tmp_path / name, HEAD + textwrap.dedent(body))


# ------------------------------------------------------------------ malformed Turtle


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_turtle_names_file_and_line(tmp_path, case, command):
    content, cached_line, rdflib_line = MALFORMED[case]
    bad = write(tmp_path / "bad.ttl", content)
    line = cached_line if command in CACHED else rdflib_line
    assert_error(invoke("--data", str(bad), *command), 2, f"Error: {bad}:{line}: ")


@pytest.mark.parametrize("command", [["validate"], ["query", "caveats"], ["roles"]])
def test_malformed_file_given_to_validate_or_in_a_folder(tmp_path, command):
    bad = write(tmp_path / "folder" / "sub" / "bad.ttl", P + "ex:a ex:b .\n")
    write(tmp_path / "folder" / "good.ttl", P)
    assert_error(invoke("--data", str(tmp_path / "folder"), *command), 2, f"{bad}:3: ")
    assert_error(invoke("validate", str(bad)), 2, f"{bad}:3: ")


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_unknown_prefix_is_named(tmp_path, command):
    bad = write(tmp_path / "prefix.ttl", P + "nope:a nope:b nope:c .\n")
    assert_error(invoke("--data", str(bad), *command), 2, f"{bad}:3: unknown prefix 'nope'")


# ------------------------------------------------------------------ files that are not there, or not files


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "absent.ttl", "no such file or folder"),
        (lambda d: d / "absent-folder" / "", "no such file or folder"),
        (lambda d: d / "file.ttl" / "below-a-file.ttl", "no such file or folder"),
        (lambda d: (d / "empty").mkdir() or d / "empty", "folder holds no .ttl file"),
        (lambda d: write(d / "txt" / "only.txt", P).parent, "folder holds no .ttl file"),
        (lambda d: Path(os.devnull), "not a regular file or folder"),
        (lambda d: os.mkfifo(d / "pipe.ttl") or d / "pipe.ttl", "not a regular file or folder"),
        (lambda d: d / ("x" * 300 + ".ttl"), "File name too long"),
    ],
    ids=["missing file", "missing folder", "below a file", "empty folder", "no .ttl", "device", "pipe",
         "name too long"],
)
def test_missing_or_odd_path(tmp_path, make, words, command):
    write(tmp_path / "file.ttl", P)
    target = make(tmp_path)
    line = assert_error(invoke("--data", str(target), *command), 2, words)
    assert line.startswith(f"Error: {target}: ")


@pytest.mark.parametrize(("command", "words"), [
    (lambda long: ["validate", long + ".ttl"], "File name too long"),
    (lambda long: ["query", long + ".rq"], "no query file or shipped query"),
    (lambda long: ["export", "--format", "ttl", "-o", long + ".ttl"], "File name too long"),
], ids=["validate FILE", "query FILE.rq", "export -o FILE"])
def test_a_file_name_too_long_for_the_system_is_one_line_exit_2(tmp_path, command, words):
    """Path.is_file() and friends raise for such names (ENAMETOOLONG) instead of saying no."""
    assert_error(invoke(*command(str(tmp_path / ("x" * 300)))), 2, words)


def test_file_name_with_a_line_break_stays_one_line(tmp_path):
    line = assert_error(invoke("--data", str(tmp_path / "a\nb\x1b[2J.ttl"), "roles"), 2, "no such file or folder")
    assert "a\\nb\\x1b[2J.ttl" in line


def test_symlink_loop_in_a_folder_is_not_followed(tmp_path):
    folder = tmp_path / "data"
    user_file(folder, 'role:loopy a rg:Role ; skos:prefLabel "Loopy" ; prov:wasDerivedFrom ev:x .\n')
    (folder / "again").symlink_to(folder, target_is_directory=True)
    result = invoke("--data", str(folder), "show", "loopy")
    assert_clean(result)
    assert result.exit_code == 0 and result.stdout.startswith("Loopy")


# ------------------------------------------------------------------ data that parses but does not conform


def test_duplicate_id_with_conflicting_labels_exit_3_on_both_paths(tmp_path):
    """The same role in two files with two labels: SHACL's maxCount 1 on skos:prefLabel reports it."""
    first = user_file(tmp_path, 'role:pacs a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ev:x .\n',
                      "first.ttl")
    second = user_file(tmp_path, 'role:pacs a rg:Role ; skos:prefLabel "Imaging Informaticist" ; '
                                 "prov:wasDerivedFrom ev:x .\n", "second.ttl")
    expected = "role:pacs skos:prefLabel: a role needs exactly one non-empty skos:prefLabel"
    for command in (["validate"], ["path", "none", "pacs administrator"], ["roles"], ["query", "caveats"]):
        result = invoke("--data", str(first), "--data", str(second), *command)
        assert_error(result, 3, "data does not conform: 1 violation(s)")
        assert result.stdout.splitlines() == [expected]


def test_conflicting_label_for_a_shipped_role_is_refused(tmp_path):
    mine = user_file(tmp_path, 'role:radiologist skos:prefLabel "Bone Reader" .\n')
    result = invoke("--data", str(mine), "show", "radiologist")
    assert_error(result, 3, "1 violation(s)")
    assert result.stdout.splitlines() == ["role:radiologist skos:prefLabel: a role needs exactly one non-empty skos:prefLabel"]


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_cycle_in_a_requirement_tree_exit_3(command):
    result = invoke("--data", str(FIXTURES / "bad" / "requirement-cycle.ttl"), *command)
    assert_error(result, 3, "2 violation(s)")
    assert result.stdout.splitlines() == [
        "req:loop -: requirement tree has a cycle: this node is its own member",
        "req:loop2 -: requirement tree has a cycle: this node is its own member",
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=IDS)
def test_required_credential_never_defined_exit_3(command):
    result = invoke("--data", str(FIXTURES / "bad" / "undefined-credential.ttl"), *command)
    assert_error(result, 3, "1 violation(s)")
    assert result.stdout.splitlines() == [
        "req:ghost rg:credential: a credential requirement names exactly one defined rg:Credential"]


def test_every_violation_is_listed_one_per_line(tmp_path):
    mine = user_file(tmp_path, """
        role:nameless a rg:Role ; prov:wasDerivedFrom ev:x .
        role:r a rg:Role ; skos:prefLabel "R" ; rg:requires req:neg .
        req:neg a rg:ExperienceRequirement ; rg:minMonths -3 ; rg:maxMonths "lots" ; rg:role role:r ;
            prov:wasDerivedFrom ev:x .
        req:empty a rg:AnyOf ; prov:wasDerivedFrom ev:x .
        """)
    result = invoke("validate", str(mine))
    line = assert_error(result, 3)
    violations = result.stdout.splitlines()
    assert line == f"Error: data does not conform: {len(violations)} violation(s)"
    assert violations == sorted(violations) and len(violations) >= 5
    for expected in ("role:nameless skos:prefLabel:", "role:r prov:wasDerivedFrom:", "req:neg rg:minMonths:",
                     "req:neg rg:maxMonths:", "req:empty rg:member:"):
        assert any(v.startswith(expected) for v in violations), expected


def test_credential_prerequisite_cycle_exit_2(tmp_path):
    mine = user_file(tmp_path, """
        cred:a a rg:Credential ; skos:prefLabel "A" ; rg:kind kind:certification ; rg:requires req:ra ;
            prov:wasDerivedFrom ev:x .
        cred:b a rg:Credential ; skos:prefLabel "B" ; rg:kind kind:certification ; rg:requires req:rb ;
            prov:wasDerivedFrom ev:x .
        req:ra a rg:CredentialRequirement ; rg:credential cred:b ; prov:wasDerivedFrom ev:x .
        req:rb a rg:CredentialRequirement ; rg:credential cred:a ; prov:wasDerivedFrom ev:x .
        """)
    for command in (["roles"], ["validate"]):
        assert_error(invoke("--data", str(mine), *command), 2, "credential prerequisites form a cycle: ")


def test_ill_typed_literal_prints_no_traceback(tmp_path):
    """rdflib logs a warning with a traceback for "x"^^xsd:integer; RDF allows it, and the CLI stays quiet."""
    mine = write(tmp_path / "typed.ttl", P + 'ex:a ex:n "twelve"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    for command in COMMANDS:
        result = invoke("--data", str(mine), *command)
        assert_clean(result)
        assert result.exit_code == 0 and result.stderr == "", (command, result.stderr)


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    """_:r in one file is not _:r in another, on the cached path as in rdflib."""
    a = user_file(tmp_path, """
        role:a a rg:Role ; skos:prefLabel "Role A" ; rg:requires _:r ; prov:wasDerivedFrom ev:x .
        _:r a rg:CredentialRequirement ; rg:credential cred:ged ; prov:wasDerivedFrom ev:x .
        """, "a.ttl")
    b = user_file(tmp_path, """
        role:b a rg:Role ; skos:prefLabel "Role B" ; rg:requires _:r ; prov:wasDerivedFrom ev:x .
        _:r a rg:CredentialRequirement ; rg:credential cred:high-school-diploma ; prov:wasDerivedFrom ev:x .
        """, "b.ttl")
    import json

    labels = {}
    for role in ("Role A", "Role B"):
        result = invoke("--data", str(a), "--data", str(b), "show", role, "--format", "json")
        assert result.exit_code == 0, result.output
        labels[role] = json.loads(result.stdout)["requires"]["credential"]["label"]
    assert labels == {"Role A": "GED", "Role B": "High School Diploma"}


# ------------------------------------------------------------------ shapes that would exhaust the stack or the clock


def ladder(n: int) -> str:
    """A role whose requirement tree is n groups deep."""
    lines = ['role:deep a rg:Role ; skos:prefLabel "Deep" ; rg:requires req:d0 ; prov:wasDerivedFrom ev:x .']
    lines += [f"req:d{i} a rg:AllOf ; rg:member req:d{i + 1} ; prov:wasDerivedFrom ev:x ." for i in range(n - 1)]
    lines.append(f"req:d{n - 1} a rg:CredentialRequirement ; rg:credential cred:ged ; prov:wasDerivedFrom ev:x .")
    return "\n".join(lines) + "\n"


def shared_tree(n: int) -> str:
    """n levels, each group holding the next one twice over (directly and through an any-of): 2**n paths."""
    lines = ['role:tree a rg:Role ; skos:prefLabel "Tree" ; rg:requires req:t0 ; prov:wasDerivedFrom ev:x .']
    for i in range(n):
        lines.append(f"req:t{i} a rg:AllOf ; rg:member req:t{i + 1}, req:u{i + 1} ; prov:wasDerivedFrom ev:x .")
        lines.append(f"req:u{i + 1} a rg:AnyOf ; rg:member req:t{i + 1} ; prov:wasDerivedFrom ev:x .")
    lines.append(f"req:t{n} a rg:CredentialRequirement ; rg:credential cred:ged ; prov:wasDerivedFrom ev:x .")
    return "\n".join(lines) + "\n"


def prerequisites(n: int, diamond: bool = False) -> str:
    """n credentials, each requiring the next (and, in a diamond, the one after)."""
    lines = []
    for i in range(n):
        members = f"req:c{i}a" + (f", req:c{i}b" if diamond else "")
        lines.append(f'cred:c{i} a rg:Credential ; skos:prefLabel "C{i}" ; rg:kind kind:certification ; '
                     f"rg:requires req:c{i} ; prov:wasDerivedFrom ev:x .")
        lines.append(f"req:c{i} a rg:AllOf ; rg:member {members} ; prov:wasDerivedFrom ev:x .")
        lines.append(f"req:c{i}a a rg:CredentialRequirement ; rg:credential cred:c{i + 1} ; prov:wasDerivedFrom ev:x .")
        if diamond:
            lines.append(f"req:c{i}b a rg:CredentialRequirement ; rg:credential cred:c{min(i + 2, n)} ; "
                         "prov:wasDerivedFrom ev:x .")
    lines.append(f'cred:c{n} a rg:Credential ; skos:prefLabel "C{n}" ; rg:kind kind:certification ; '
                 "prov:wasDerivedFrom ev:x .")
    lines.append('role:top a rg:Role ; skos:prefLabel "Top" ; rg:requires req:top ; prov:wasDerivedFrom ev:x .')
    lines.append("req:top a rg:CredentialRequirement ; rg:credential cred:c0 ; prov:wasDerivedFrom ev:x .")
    return "\n".join(lines) + "\n"


def test_unreachable_goal_behind_a_cycle_of_roles_ends(tmp_path):
    """Day and Night Reader each need 6 recent months in the other; Chief needs a Deputy, who needs a Chief.

    Each trip round Day and Night accrued 6 more months, so the search for Chief never ended.
    """
    mine = user_file(tmp_path, """
        role:day a rg:Role ; skos:prefLabel "Day Reader" ; rg:requires req:day ; prov:wasDerivedFrom ev:x .
        req:day a rg:ExperienceRequirement ; rg:minMonths 6 ; rg:withinMonths 24 ; rg:role role:night ;
            prov:wasDerivedFrom ev:x .
        role:night a rg:Role ; skos:prefLabel "Night Reader" ; rg:requires req:night ; prov:wasDerivedFrom ev:x .
        req:night a rg:ExperienceRequirement ; rg:minMonths 6 ; rg:withinMonths 24 ; rg:role role:day ;
            prov:wasDerivedFrom ev:x .
        role:chief a rg:Role ; skos:prefLabel "Chief Reader" ; rg:requires req:chief ; prov:wasDerivedFrom ev:x .
        req:chief a rg:AllOf ; rg:member req:chief-deputy, req:chief-night ; prov:wasDerivedFrom ev:x .
        req:chief-deputy a rg:RoleRequirement ; rg:role role:deputy ; prov:wasDerivedFrom ev:x .
        req:chief-night a rg:ExperienceRequirement ; rg:minMonths 6 ; rg:withinMonths 24 ; rg:role role:night ;
            prov:wasDerivedFrom ev:x .
        role:deputy a rg:Role ; skos:prefLabel "Deputy Chief Reader" ; rg:requires req:deputy ;
            prov:wasDerivedFrom ev:x .
        req:deputy a rg:RoleRequirement ; rg:role role:chief ; prov:wasDerivedFrom ev:x .
        """)
    code = "import sys; from radgraph.cli import main; sys.argv[0] = 'radgraph'; main()"
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["path", "day reader", "chief reader"], ["path", "none", "chief reader", "--alternatives", "3"]):
        out = subprocess.run([sys.executable, "-c", code, "--data", str(mine), *args], capture_output=True,
                             text=True, env=env, timeout=120)
        assert out.returncode == 1, out.stderr
        assert out.stderr.startswith("Error: no path from ") and out.stderr.count("\n") == 1


def test_tree_at_the_depth_limit_plans(tmp_path):
    mine = user_file(tmp_path, ladder(MAX_DEPTH))
    result = invoke("--data", str(mine), "path", "none", "deep")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (ladder(MAX_DEPTH + 1), f"requirement tree nests deeper than {MAX_DEPTH} levels at req:d{MAX_DEPTH}"),
        (ladder(600), f"requirement tree nests deeper than {MAX_DEPTH} levels"),
        # pyshacl gives up ("cannot validate: the data nests too deeply"), or, where radgraph checks the
        # member cycles itself and pyshacl copes, the reader ("requirement tree nests deeper than 64 levels")
        (ladder(1500), "nests"),
        (shared_tree(25), "comes to more than 10000 requirements"),
        (prerequisites(400), f"credential prerequisites nest deeper than {MAX_DEPTH} levels under C0"),
        (prerequisites(40, diamond=True), "come to more than 10000 once every prerequisite is written out"),
    ],
    ids=["just too deep", "600 deep", "1500 deep", "shared 25 levels", "400 prerequisites", "diamond prerequisites"],
)
@pytest.mark.parametrize("command", [["path", "none", "rt"], ["validate"]], ids=["cached", "rdflib"])
def test_too_deep_or_too_shared_fails_in_one_line_and_in_time(tmp_path, body, words, command):
    mine = user_file(tmp_path, body)
    start = time.monotonic()
    assert_error(invoke("--data", str(mine), *command), 2, words)
    assert time.monotonic() - start < 120


# ------------------------------------------------------------------ a 100 MB file

PEAK = """
import resource, subprocess, sys, time
start = time.monotonic()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(proc.returncode, peak_kb, round(time.monotonic() - start, 2))
sys.stderr.write(proc.stderr)
"""


def run_measured(args: list[str], env: dict) -> tuple[int, int, float, str]:
    """Run ``radgraph ARGS`` in a child process: exit code, peak RSS in KB, seconds, stderr."""
    cmd = [sys.executable, "-c", PEAK, sys.executable, "-m", "radgraph", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    code, peak, seconds = out.stdout.split()
    return int(code), int(peak), float(seconds), out.stderr


def hundred_mb(path: Path, kind: str) -> Path:
    size = 100 * 2**20
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEAD + "@prefix ex: <https://example.org/> .\n")
        if kind == "literal":
            f.write('ex:s ex:p "')
            chunk = "a" * 2**20
            for _ in range(100):
                f.write(chunk)
            f.write('" .\n')
        else:
            i = 0
            while f.tell() < size:
                f.write("".join(f'ex:s{j} ex:p "value {j} of many, many values" .\n' for j in range(i, i + 20000)))
                i += 20000
    assert path.stat().st_size >= size
    return path


@pytest.mark.parametrize("kind", ["triples", "literal"])
def test_100mb_file_fails_cleanly_within_memory(tmp_path, kind):
    big = hundred_mb(tmp_path / "big.ttl", kind)
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    for args in (["--data", str(big), "path", "none", "rt"], ["validate", str(big)], ["--data", str(big), "query", "caveats"]):
        code, peak_kb, seconds, stderr = run_measured(args, env)
        assert code == 2, stderr
        assert stderr.splitlines() == [f"Error: {big}: too much data: your files come to more than "
                                       f"{MAX_USER_BYTES >> 20} MB, the most radgraph validates"
                                       " (with --no-validate, which skips the check, up to 64 MB)"]
        assert peak_kb < 3 * 2**20, f"peak RSS {peak_kb} KB"
        assert seconds < 60
    assert not list((tmp_path / "cache").glob("model-*"))


def test_no_validate_reads_more_on_the_cached_path(tmp_path, monkeypatch):
    monkeypatch.setattr("radgraph.datafiles.MAX_USER_BYTES", 1000)
    a = write(tmp_path / "a.ttl", P + "#" * 1200 + "\n")
    assert_error(invoke("--data", str(a), "roles"), 2, f"{a}: too much data")
    assert invoke("--no-validate", "--data", str(a), "roles").exit_code == 0


def test_data_under_the_limit_loads_within_memory(tmp_path):
    """2 MB of plain triples (about 30,000) loads on the cached path; the model and the answer are right."""
    mine = tmp_path / "mine.ttl"
    with open(mine, "w", encoding="utf-8") as f:
        f.write(HEAD + "@prefix ex: <https://example.org/> .\n")
        f.write('role:pacs a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ev:x .\n')
        f.write("".join(f'ex:s{j} ex:p "value {j} of many, many values" .\n' for j in range(40000)))
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    code, peak_kb, seconds, stderr = run_measured(["--data", str(mine), "show", "pacs administrator"], env)
    assert code == 0, stderr
    assert peak_kb < 3 * 2**20 and seconds < 60


def test_total_of_several_files_is_what_counts(tmp_path, monkeypatch):
    monkeypatch.setattr("radgraph.datafiles.MAX_USER_BYTES", 1000)
    a = write(tmp_path / "a.ttl", P + "#" * 600 + "\n")
    b = write(tmp_path / "b.ttl", P + "#" * 600 + "\n")
    assert invoke("--data", str(a), "roles").exit_code == 0
    assert_error(invoke("--data", str(a), "--data", str(b), "roles"), 2, f"{b}: too much data")


# ------------------------------------------------------------------ nothing shipped or cached changes


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


BAD_FILES = {
    **{f"malformed: {k}": v[0] for k, v in MALFORMED.items() if k in ("no object", "not UTF-8", "space in an IRI")},
    "unknown prefix": P + "nope:a nope:b nope:c .\n",
    "conflicting label": HEAD + 'role:radiologist skos:prefLabel "Bone Reader" .\n',
    "undefined credential": (FIXTURES / "bad" / "undefined-credential.ttl").read_text(),
    "requirement cycle": (FIXTURES / "bad" / "requirement-cycle.ttl").read_text(),
    "too deep": HEAD + ladder(MAX_DEPTH + 1),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_user_file_changes_neither_the_shipped_graph_nor_the_cache(tmp_path, monkeypatch, name):
    cache = tmp_path / "cache"
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(cache))
    shipped = Path(str(ONTOLOGY_DIR))
    before_roles = invoke("roles").stdout
    before_cache, before_shipped = snapshot(cache), snapshot(shipped)
    assert before_cache, "the shipped model should be cached by now"
    bad = write(tmp_path / "bad.ttl", BAD_FILES[name])
    for command in COMMANDS:
        result = invoke("--data", str(bad), *command)
        assert_clean(result)
        assert result.exit_code in (2, 3), (command, result.output)
    assert snapshot(cache) == before_cache
    assert snapshot(shipped) == before_shipped
    assert invoke("roles").stdout == before_roles
    assert not re.search(r"Bone Reader", invoke("show", "radiologist").stdout)


# ------------------------------------------------------------------ output that cannot be written


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["roles"], ["--version"], ["path", "none", "rt", "--format", "json"],
                                  ["query", "ask-role-requires-credential"]])
def test_answer_that_cannot_be_written_is_one_line_exit_1(args):
    with open("/dev/full", "w") as full:
        out = subprocess.run([sys.executable, "-m", "radgraph", *args], stdout=full, stderr=subprocess.PIPE,
                             text=True, timeout=120)
    assert out.returncode == 1
    assert out.stderr == "Error: cannot write the output: No space left on device\n"


@pytest.mark.skipif(not shutil.which("bash") or not shutil.which("head"), reason="needs bash and head")
def test_closed_pipe_is_not_an_error():
    big = "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"  # about 1.5 MB: more than a pipe holds
    out = subprocess.run(["bash", "-o", "pipefail", "-c", f"{sys.executable} -m radgraph query -e '{big}' | head -c 1"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr == "" and out.stdout == "s"


# ------------------------------------------------------------------ lengths no sum can take (issue 18)

XSD_PREFIX = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
#: Credentials on the path from no role to Radiologic Technologist, so a bad length reaches the sums.
ON_PATH = ("cred:high-school-diploma", "cred:arrt-certification")


@pytest.mark.parametrize("prop", ["rg:durationMonths", "rg:minDurationMonths", "rg:hours"])
@pytest.mark.parametrize("value", ['"1e308"^^xsd:double', '"-1e308"^^xsd:double', '"NaN"^^xsd:double',
                                   '"INF"^^xsd:double', "-50", "99999999999999999999999999", "1e400"],
                         ids=["huge", "huge negative", "NaN", "INF", "negative", "huge integer", "overflowing"])
@pytest.mark.parametrize("command", [["path", "none", "rt", "--format", "json"], ["path", "none", "rt"],
                                     ["next", "none", "--format", "json"], ["show", "rt", "--format", "json"]],
                         ids=["path json", "path", "next json", "show json"])
def test_length_no_sum_can_take_is_refused_without_validation(tmp_path, prop, value, command):
    """--no-validate skips the shapes: a length of 1e308 months, -50 or NaN must still not reach the sums
    (a traceback, or Infinity and NaN in JSON, which is not JSON)."""
    mine = tmp_path / "lengths.ttl"
    mine.write_text(HEAD + XSD_PREFIX + "".join(f"{c} {prop} {value} .\n" for c in ON_PATH))
    result = invoke("--no-validate", "--data", str(mine), *command)
    assert_error(result, 2, prop, "is not a number of")
    assert "Infinity" not in result.output and "NaN" not in result.stdout


@pytest.mark.parametrize("value", ["1201", "-1", '"1e308"^^xsd:double'])
def test_length_no_sum_can_take_does_not_conform(tmp_path, value):
    mine = tmp_path / "lengths.ttl"
    mine.write_text(HEAD + XSD_PREFIX + f"cred:ged rg:durationMonths {value} .\n")
    result = invoke("validate", str(mine))
    assert result.exit_code == 3, result.output
    assert "cred:ged rg:durationMonths: rg:durationMonths must be one number of months, from 0 to 1200" in result.stdout


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e309", "99999999999", "0", "-1"])
def test_path_timeout_that_is_not_a_sane_number_of_seconds_is_bad_usage(seconds):
    """``query`` and ``push`` refused these; ``path --timeout`` let NaN and inf through to the socket."""
    result = invoke("path", "none", "rt", "--endpoint", "http://127.0.0.1:9/query", "--timeout", seconds)
    assert_error(result, 2, "Invalid value for '--timeout'")


# ------------------------------------------------------------------ bounded work (issue 18)


class FakeClock:
    """``time.monotonic`` for the planner: one second passes each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_alternatives_share_one_time_budget(monkeypatch):
    """Each candidate search had a budget of its own: --alternatives K could take K times (and more) the limit."""
    import radgraph.planner as planner_module
    import radgraph.planner.core
    import radgraph.planner.search
    from radgraph.cache import load_model
    from radgraph.errors import RadGraphError

    clock = FakeClock()
    for module in (radgraph.planner.core, radgraph.planner.search):  # where the deadline is set, and checked
        monkeypatch.setattr(module, "time", clock)
    planner = planner_module.Planner(load_model(), max_seconds=40)
    target = "Interventional Radiology Technologist"
    assert planner.plan("none", target)  # alone, well within the budget
    with pytest.raises(RadGraphError, match="gave up"):
        planner.plan("none", target, alternatives=3)  # each search is short; together they are not
    assert clock.now < 200


#: Runs `radgraph validate FILE`, saying "validating" on stdout (which the test does not check) the moment
#: pySHACL is called, so the test interrupts the validation itself, not the start-up before it.
VALIDATING_SCRIPT = """
import sys
import radgraph.kg as kg
check = kg.validation_report
def saying(graph):
    print("validating", flush=True)
    return check(graph)
kg.validation_report = saying
sys.argv = ["radgraph", "validate", sys.argv[1]]
from radgraph.cli import main
main()
"""


@pytest.mark.parametrize("when", ["waiting for a server", "validating"])
def test_sigint_exits_130_with_one_line(tmp_path, when):
    """Ctrl-C while waiting for a server that never answers, or in pySHACL: exit 130, one line.

    The signal is sent once the command is there (the server saw it connect; it said "validating"),
    not after a fixed sleep that a slow machine outlasts and a fast one wastes.
    """
    import signal

    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)  # accepts, never answers
        server.settimeout(60)
        if when == "validating":  # 3,000 requirement nodes: pyshacl takes a second or more
            mine = tmp_path / "many.ttl"
            mine.write_text(many_requirements(3000))
            args = ["-c", VALIDATING_SCRIPT, str(mine)]
        else:
            args = ["-m", "radgraph", "query", "caveats", "--endpoint",
                    f"http://127.0.0.1:{server.getsockname()[1]}/query", "--timeout", "60"]
        proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        try:
            if when == "validating":
                assert proc.stdout.readline() == b"validating\n"
            else:
                connection, _ = server.accept()  # held open, never answered, until the test ends
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
        finally:
            proc.kill()
    assert proc.returncode == 130, (proc.returncode, err[-1000:])
    assert err.decode().splitlines() == ["Error: interrupted"], err[-1000:]
    assert b"Traceback" not in err


def many_requirements(n: int) -> str:
    """A user's role whose entry is an any-of of ``n`` experience requirements: ``n`` requirement nodes."""
    members = ", ".join(f"req:many-{i}" for i in range(n))
    lines = [HEAD, "role:many a rg:Role ; skos:prefLabel \"Many Ways\" ; prov:wasDerivedFrom ev:x ; "
                   "rg:requires req:many .",
             f"req:many a rg:AnyOf ; rg:member {members} ; prov:wasDerivedFrom ev:x ."]
    lines += [f"req:many-{i} a rg:ExperienceRequirement ; rg:role role:radiologic-technologist ; rg:minMonths {i % 60} ; "
              "prov:wasDerivedFrom ev:x ." for i in range(n)]
    return "\n".join(lines) + "\n"


def test_validate_does_not_parse_a_query_per_requirement(tmp_path, monkeypatch):
    """pyshacl parsed the cycle check's SPARQL again for every requirement node: 33 of 59 s on a 2 MB file."""
    import rdflib.plugins.sparql.processor as parser  # rdflib's Graph.query parses with this module's parseQuery

    from radgraph.kg import load_graph, validate_graph

    mine = tmp_path / "many.ttl"
    mine.write_text(many_requirements(300))
    graph, _ = load_graph([mine])
    parsed = []
    real = parser.parseQuery
    monkeypatch.setattr(parser, "parseQuery", lambda *a, **k: parsed.append(1) or real(*a, **k))
    assert validate_graph(graph) == []
    assert len(parsed) < 20, len(parsed)


def test_member_cycles_are_those_sparql_finds():
    """The cycle check radgraph makes itself finds exactly the nodes ``?x rg:member+ ?x`` does."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from rdflib import Graph, URIRef

    from radgraph.kg import _in_member_cycles

    member = URIRef("https://w3id.org/radgraph/ns#member")

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=25))
    def check(edges):
        g = Graph()
        for a, b in edges:
            g.add((URIRef(f"urn:n{a}"), member, URIRef(f"urn:n{b}")))
        expected = {row[0] for row in g.query("SELECT ?x WHERE { ?x <https://w3id.org/radgraph/ns#member>+ ?x }")}
        assert set(_in_member_cycles(g)) == expected

    check()

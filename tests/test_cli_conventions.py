"""The habits of the RDF tools people already use (rdflib's tools, Jena's riot and arq, pySHACL, ROBOT):
the export format from -o's extension, `--data -` for standard input, CONSTRUCT results in ttl, nt or
jsonld, a machine-readable validation report, binary output refused on a terminal, one size limit
rule for every command, and shell completion as the README says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from radgraph import export
from radgraph.cli import cli

from .conftest import ROOT, USER_TTL_HEAD, cache_entries

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def fails(*args, input=None):
    """Run the CLI expecting an error: returns (exit code, stderr), after checking it is no traceback."""
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


#: A user's file that conforms: one new role, with its evidence.
MINE = USER_TTL_HEAD + 'ex:pacs a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ex:ev .\n'

#: A user's file that does not: a role with two labels and no evidence (the README's pacs.ttl).
PACS = USER_TTL_HEAD + 'ex:pacs a rg:Role ; skos:prefLabel "PACS Administrator" , "PACS Admin" .\n'


# ------------------------------------------------------------------ export: the format from -o's extension

#: Every extension the README lists, and the format it stands for.
EXTENSIONS = {"ttl": "ttl", "nt": "nt", "jsonld": "jsonld", "ctdl.jsonld": "ctdl", "graphml": "graphml",
              "gexf": "gexf", "cyjs": "cyjs", "dot": "dot", "svg": "svg", "png": "png", "pdf": "pdf", "mmd": "mermaid",
              "html": "html"}
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}


def test_every_export_format_has_an_extension():
    assert set(EXTENSIONS.values()) == set(export.FORMATS)
    assert {export.format_for(f"x.{ext}") for ext in EXTENSIONS} == set(export.FORMATS)


@pytest.mark.parametrize("ext", sorted(EXTENSIONS))
def test_export_takes_the_format_from_the_extension(tmp_path, kg, ext):
    fmt = EXTENSIONS[ext]
    view = [] if fmt in export.RDF_FORMATS else ["--roles-only"]
    out = tmp_path / f"radgraph.{ext}"
    result = run("export", *view, "-o", str(out))
    assert result.exit_code == 0, result.output
    if fmt in MAGIC:
        assert out.read_bytes().startswith(MAGIC[fmt])
    else:
        want = export.generate(kg, fmt, roles_only=bool(view))
        assert out.read_text(encoding="utf-8") == want


def test_the_extension_is_read_in_any_case(tmp_path):
    out = tmp_path / "Ladder.MMD"
    assert run("export", "--roles-only", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("flowchart BT\n")


def test_format_wins_over_the_extension(tmp_path, kg):
    out = tmp_path / "radgraph.ttl"
    assert run("export", "--format", "nt", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == export.generate(kg, "nt")


@pytest.mark.parametrize(("name", "shown"), [("ladder.jpeg", ".jpeg"), ("ladder", "none"), ("ladder.json", ".json")])
def test_unknown_extension_is_one_line_exit_2_and_nothing_written(tmp_path, monkeypatch, name, shown):
    monkeypatch.chdir(tmp_path)
    code, err = fails("export", "--roles-only", "-o", name)
    assert code == 2
    assert err == (f"Error: cannot tell the format of {name!r} from its extension ({shown}): "
                   "give --format, or a name ending in .ctdl.jsonld, .ttl, .nt, .jsonld, .graphml, .gexf, .cyjs, .dot, .svg, .png, "
                   ".pdf, .mmd or .html\n")
    assert list(tmp_path.iterdir()) == []


def test_neither_format_nor_output_exit_2():
    assert fails("export", "--roles-only") == (
        2, "Error: give --format, or -o FILE whose extension names the format (e.g. -o ladder.svg)\n")


# ------------------------------------------------------------------ binary formats on a terminal


@pytest.fixture
def terminal(monkeypatch):
    import sys
    import types

    monkeypatch.setattr("radgraph.cli.export.sys", types.SimpleNamespace(stdout=types.SimpleNamespace(isatty=lambda: True),
                                                                         stderr=sys.stderr))


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_binary_to_a_terminal_is_refused_unless_o_is_given(tmp_path, terminal, fmt):
    assert fails("export", "--roles-only", "--format", fmt) == (
        2, f"Error: {fmt} is binary: give -o FILE, or redirect stdout to a file\n")
    out = tmp_path / f"ladder.{fmt}"
    result = run("export", "--roles-only", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_bytes().startswith(MAGIC[fmt])


# ------------------------------------------------------------------ --data - reads standard input


def test_data_dash_reads_turtle_from_standard_input(cache_dir):
    result = run("--data", "-", "roles", input=MINE)
    assert result.exit_code == 0, result.output
    assert "PACS Administrator" in result.stdout.splitlines()
    assert cache_entries(cache_dir) == []  # read once: nothing to key a cache entry on


def test_data_dash_reaches_every_kind_of_command():
    nt = run("--data", "-", "export", "--format", "nt", input=MINE).stdout
    assert '<https://example.org/pacs> <http://www.w3.org/2004/02/skos/core#prefLabel> "PACS Administrator" .' in nt
    rows = run("--data", "-", "query", "-e", "SELECT ?l WHERE { ?r a rg:Role ; skos:prefLabel ?l }", "--format", "csv",
               input=MINE).stdout.splitlines()
    assert "PACS Administrator" in rows
    assert run("--data", "-", "show", "pacs administrator", input=MINE).stdout.startswith("PACS Administrator")


def test_data_dash_is_validated_like_a_file():
    result = CliRunner().invoke(cli, ["--data", "-", "roles"], input=PACS)
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "https://example.org/pacs prov:wasDerivedFrom: every fact must name its evidence (prov:wasDerivedFrom an "
        "rg:Evidence)",
        "https://example.org/pacs skos:prefLabel: a role needs exactly one non-empty skos:prefLabel",
    ]
    assert result.stderr == "Error: data does not conform: 2 violation(s)\n"


def test_a_syntax_error_on_standard_input_names_stdin_and_its_line():
    code, err = fails("--data", "-", "roles", input=USER_TTL_HEAD + "ex:x a \n")
    assert code == 2
    assert re.fullmatch(r"Error: <stdin>:\d+: .+\n", err), err
    assert "radgraph-stdin" not in err


def test_validate_dash_reads_standard_input():
    assert run("validate", "-", input=MINE).stdout == "conforms\n"
    code, _ = fails("validate", "-", input=PACS)
    assert code == 3


def test_standard_input_is_read_once():
    assert fails("--data", "-", "--data", "-", "roles", input=MINE) == (2, "Error: - (standard input) can be given once\n")
    assert fails("--data", "-", "validate", "-", input=MINE) == (2, "Error: - (standard input) can be given once\n")


def test_data_dash_from_a_real_pipe(tmp_path):
    done = subprocess.run([sys.executable, "-m", "radgraph", "--data", "-", "show", "PACS Administrator",
                           "--format", "json"], input=MINE, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == "https://example.org/pacs"


# ------------------------------------------------------------------ CONSTRUCT results in ttl, nt or jsonld


@pytest.fixture(scope="module")
def constructed():
    """``construct-schema-org`` as Turtle, the default."""
    result = run("query", "construct-schema-org")
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 20
    return result.stdout, graph


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_construct_prints_each_graph_format(constructed, fmt, rdflib_format):
    turtle, graph = constructed
    result = run("query", "construct-schema-org", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert isomorphic(rdflib.Graph().parse(data=result.stdout, format=rdflib_format), graph)
    if fmt == "ttl":
        assert result.stdout == turtle
    if fmt == "nt":
        lines = result.stdout.splitlines()
        assert lines == sorted(lines) and all(line.endswith(" .") for line in lines)
    if fmt == "jsonld":
        doc = json.loads(result.stdout)
        assert doc["@context"]["schema"] == "https://schema.org/"


def test_construct_on_an_expression_takes_the_formats_too():
    result = run("query", "-e", "CONSTRUCT { ?r a rg:Role } WHERE { ?r a rg:Role }", "--format", "nt")
    assert result.exit_code == 0
    assert "<https://w3id.org/radgraph/id/role/radiologist> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
           "<https://w3id.org/radgraph/ns#Role> ." in result.stdout.splitlines()


@pytest.mark.parametrize(("args", "message"), [
    (["entry-level-roles", "--format", "nt"],
     "format 'nt' is for the graph of a CONSTRUCT or DESCRIBE query; a SELECT result is table, csv, tsv or json"),
    (["ask-role-requires-credential", "--format", "jsonld"],
     "format 'jsonld' is for the graph of a CONSTRUCT or DESCRIBE query; an ASK result is true or false (or json)"),
    (["construct-schema-org", "--format", "csv"],
     "format 'csv' does not apply to a CONSTRUCT query: it gives a graph, as ttl (the default), nt or jsonld"),
    (["--list", "--format", "ttl"], "--list prints table, csv, tsv or json, not ttl"),
])
def test_a_format_that_does_not_fit_the_query_exit_2_before_any_work(monkeypatch, args, message):
    def no_work(*a, **k):
        raise AssertionError("the graph was loaded before the format was checked")

    monkeypatch.setattr("radgraph.kg.load", no_work)
    assert fails("query", *args) == (2, f"Error: {message}\n")


# ------------------------------------------------------------------ validate --format text|json|ttl


@pytest.fixture
def pacs(tmp_path):
    path = tmp_path / "pacs.ttl"
    path.write_text(PACS, encoding="utf-8")
    return path


def test_validate_json_lists_each_violation(pacs):
    result = CliRunner().invoke(cli, ["validate", str(pacs), "--format", "json"])
    assert result.exit_code == 3
    assert result.stderr == "Error: data does not conform: 2 violation(s)\n"
    got = json.loads(result.stdout)
    shapes = "https://w3id.org/radgraph/shapes#"
    assert got == [
        {"focus": "https://example.org/pacs", "path": "http://www.w3.org/ns/prov#wasDerivedFrom",
         "message": "every fact must name its evidence (prov:wasDerivedFrom an rg:Evidence)",
         "severity": "Violation", "shape": shapes + "provenance", "value": None},
        {"focus": "https://example.org/pacs", "path": "http://www.w3.org/2004/02/skos/core#prefLabel",
         "message": "a role needs exactly one non-empty skos:prefLabel",
         "severity": "Violation", "shape": shapes + "RoleShape", "value": None},
    ]


def test_validate_ttl_is_the_report_pyshacl_gives(pacs):
    from pyshacl import validate as shacl_validate

    from radgraph.datafiles import shapes_file
    from radgraph.kg import load_graph

    result = CliRunner().invoke(cli, ["validate", str(pacs), "--format", "ttl"])
    assert result.exit_code == 3
    assert result.stderr == "Error: data does not conform: 2 violation(s)\n"
    report = rdflib.Graph().parse(data=result.stdout, format="turtle")
    node = report.value(None, rdflib.RDF.type, SH.ValidationReport)
    assert node is not None
    assert report.value(node, SH.conforms).toPython() is False
    assert len(list(report.objects(node, SH.result))) == 2
    graph, _ = load_graph([pacs])
    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    _, theirs, _ = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    assert isomorphic(report, theirs)


def test_validate_formats_when_the_data_conforms():
    assert run("validate").stdout == "conforms\n"
    result = run("validate", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])
    result = run("validate", "--format", "ttl")
    assert result.exit_code == 0
    report = rdflib.Graph().parse(data=result.stdout, format="turtle")
    node = report.value(None, rdflib.RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms).toPython() is True


def test_validate_text_is_unchanged(pacs):
    result = CliRunner().invoke(cli, ["validate", str(pacs)])
    assert result.exit_code == 3
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == "Error: data does not conform: 2 violation(s)\n"


def test_validation_report_in_the_library(pacs):
    from radgraph.kg import validate_files

    report = validate_files([pacs])
    assert not report.conforms
    assert [v.severity for v in report.violations] == ["Violation", "Violation"]
    assert report.lines() == sorted(v.line() for v in report.violations)


# ------------------------------------------------------------------ one size limit rule for every command

#: Every command that reads --data, with arguments that succeed on the shipped graph plus a small file.
COMMANDS = {
    "roles": ["roles"],
    "show": ["show", "rt"],
    "path": ["path", "none", "rt"],
    "next": ["next", "rt"],
    "query": ["query", "caveats"],
    "export": ["export", "--format", "nt"],
    "push": ["push", "--endpoint", "{url}"],
    "validate": ["validate"],
}


@pytest.fixture
def over_the_limit(tmp_path, monkeypatch, cache_dir):
    """A file a little over the (lowered) limit for validated data, well under the one for unvalidated data."""
    monkeypatch.setattr("radgraph.datafiles.MAX_USER_BYTES", 1000)
    monkeypatch.setattr("radgraph.datafiles.MAX_TRUSTED_BYTES", 4000)
    path = tmp_path / "mine.ttl"
    path.write_text(MINE + "#" * 1200 + "\n", encoding="utf-8")
    return path


def _args(name: str, url: str) -> list[str]:
    return [a.replace("{url}", url) for a in COMMANDS[name]]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_the_same_limit_for_validated_data(over_the_limit, scripted_server, name):
    code, err = fails("--data", str(over_the_limit), *_args(name, scripted_server.url))
    assert (code, err) == (2, f"Error: {over_the_limit}: too much data: your files come to more than 1000 bytes, the "
                              "most radgraph validates (with --no-validate, which skips the check, up to 4000 bytes)\n")
    assert scripted_server.requests == []


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"validate"}))
def test_no_validate_lifts_the_limit_for_every_command(over_the_limit, scripted_server, name):
    result = CliRunner().invoke(cli, ["--no-validate", "--data", str(over_the_limit),
                                      *_args(name, scripted_server.url)])
    assert result.exit_code == 0, result.output
    assert result.stdout


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - {"validate"}))
def test_no_validate_has_its_own_limit(over_the_limit, scripted_server, tmp_path, name):
    bigger = tmp_path / "bigger.ttl"
    bigger.write_text(MINE + "#" * 4200 + "\n", encoding="utf-8")
    code, err = fails("--no-validate", "--data", str(bigger), *_args(name, scripted_server.url))
    assert (code, err) == (2, f"Error: {bigger}: too much data: your files come to more than 4000 bytes, "
                              "the most radgraph reads\n")


def test_validate_always_validates():
    assert fails("--no-validate", "validate") == (
        2, "Error: validate always checks the data: --no-validate does not apply to it\n")


def test_readme_states_the_rule():
    text = " ".join(README.split())
    assert ("16 MB in all when it is validated (the default), 64 MB with `--no-validate`, for every command "
            "that reads it") in text


# ------------------------------------------------------------------ shell completion, as the README says


def completion_section() -> str:
    start = README.index("## Shell completion")
    return README[start:README.index("\n## ", start + 1)]


def test_readme_has_a_completion_line_for_each_shell():
    section = completion_section()
    for shell in ("bash", "zsh", "fish"):
        assert f"_RADGRAPH_COMPLETE={shell}_source radgraph" in section


def _program() -> str:
    here = Path(sys.executable).parent / "radgraph"
    assert here.exists(), "the radgraph console script is installed beside this Python (pip install -e .)"
    return str(here)


def test_bash_completion_from_the_readme_completes_commands_and_options(tmp_path):
    line = next(x for x in completion_section().splitlines() if "bash_source" in x).split("#")[0].strip()
    assert line == 'eval "$(_RADGRAPH_COMPLETE=bash_source radgraph)"'
    script = f"""{line}
complete -p radgraph
ask() {{ COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _radgraph_completion radgraph; echo "${{COMPREPLY[*]}}"; }}
ask radgraph ex
ask radgraph export --for
ask radgraph validate --format ''
"""
    env = {**os.environ, "PATH": str(Path(_program()).parent) + os.pathsep + os.environ.get("PATH", "")}
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["complete -o nosort -F _radgraph_completion radgraph",
                                        "export", "--format", "text json ttl"]


@pytest.mark.parametrize(("shell", "marker"), [("zsh", "#compdef radgraph"), ("fish", "complete --no-files --command radgraph")])
def test_zsh_and_fish_scripts_are_printed(shell, marker):
    done = subprocess.run([_program()], env={**os.environ, "_RADGRAPH_COMPLETE": f"{shell}_source"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and marker in done.stdout, done.stderr



def test_readme_own_data_commands_work(tmp_path):
    """The "Your own data" examples, run by a real shell (pipes and redirects included) beside a my-roles.ttl."""
    start = README.index("## Your own data")
    block = re.search(r"```sh\n(.*?)```", README[start:README.index("\n## ", start + 1)], re.S).group(1)
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert len(commands) >= 4 and any("--data -" in c for c in commands)
    (tmp_path / "my-roles.ttl").write_text(MINE, encoding="utf-8")
    env = {**os.environ, "PATH": str(Path(_program()).parent) + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        assert done.stdout or ">" in command, command
    assert "PACS Administrator" in subprocess.run(["bash", "-c", commands[1]], capture_output=True, text=True,
                                                  env=env, cwd=tmp_path, timeout=120).stdout
    report = rdflib.Graph().parse(tmp_path / "report.ttl", format="turtle")
    assert list(report.objects(None, SH.conforms)) == [rdflib.Literal(True)]

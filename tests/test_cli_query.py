"""radgraph query and radgraph push: whole outputs on the happy paths, exit codes and one-line errors otherwise."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from radgraph import sparql
from radgraph.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_error(result, code: int, *words: str) -> None:
    """One ``Error: ...`` line on stderr (after click's usage lines, for options click checks itself)."""
    assert result.exit_code == code, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    assert result.stderr.rstrip("\n").endswith(errors[0])
    assert "Traceback" not in result.output
    for word in words:
        assert word in errors[0]


# ------------------------------------------------------------------ happy paths


def test_list_names_every_shipped_query():
    result = run("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["name", "kind", "params", "summary"]
    assert [line.split()[0] for line in lines[2:]] == sparql.query_names()
    assert "credential=cred:arrt-certification" in result.stdout


def test_list_as_json():
    items = json.loads(run("query", "--list", "--format", "json").stdout)
    assert [i["name"] for i in items] == sparql.query_names()
    tree = next(i for i in items if i["name"] == "requirement-tree")
    assert tree["params"] == [{"name": "role", "default": "role:radiologic-technologist",
                               "description": "the role whose requirements to list"}]


def test_query_with_a_param_prints_a_table():
    result = run("query", "roles-requiring-credential", "--param", "credential=cred:ged")
    assert result.exit_code == 0
    assert result.stdout == (
        "role                                        roleLabel                              tree   requirement\n"
        "------------------------------------------  -------------------------------------  -----  --------------------\n"
        "role:radiology-assistant                    Radiology Assistant                    entry  req:ra-diploma-ged\n"
        "role:radiology-imaging-procedure-assistant  Radiology Imaging Procedure Assistant  entry  req:ripa-diploma-ged\n"
    )


def test_param_values_in_every_spelling_give_the_same_answer():
    spellings = ["cred:ged", "<https://w3id.org/radgraph/id/credential/ged>",
                 "https://w3id.org/radgraph/id/credential/ged"]
    outputs = {run("query", "roles-requiring-credential", "-p", f"credential={v}").stdout for v in spellings}
    assert len(outputs) == 1 and "req:ra-diploma-ged" in outputs.pop()


def test_formats():
    csv_out = run("query", "credentials-for-several-roles", "--format", "csv").stdout_bytes.decode()
    assert csv_out.startswith("credential,credentialLabel,roles\r\n")  # W3C CSV lines end in CRLF
    assert csv_out.endswith("GED,2\r\n")
    assert list(csv.reader(io.StringIO(csv_out)))[1] == [
        "https://w3id.org/radgraph/id/credential/high-school-diploma", "High School Diploma", "5"]
    tsv_out = run("query", "credentials-for-several-roles", "--format", "tsv").stdout
    assert tsv_out.splitlines()[0] == "?credential\t?credentialLabel\t?roles"
    obj = json.loads(run("query", "credentials-for-several-roles", "--format", "json").stdout)
    assert obj["head"]["vars"] == ["credential", "credentialLabel", "roles"]
    assert obj["results"]["bindings"][0]["roles"] == {
        "type": "literal", "value": "5", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_ask_prints_true_and_exits_0():
    result = run("query", "ask-role-requires-credential")
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_ask_prints_false_and_exits_1():
    result = run("query", "ask-role-requires-credential", "-p", "role=role:radiologist")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "false\n", "")


def test_ask_as_json_keeps_the_exit_code():
    result = run("query", "ask-role-requires-credential", "-p", "role=role:radiologist", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"head": {}, "boolean": False}


def test_construct_prints_turtle(shipped_graph):
    result = run("query", "construct-schema-org")
    assert result.exit_code == 0
    expected = sparql.run_query(shipped_graph, "construct-schema-org").graph
    assert isomorphic(Graph().parse(data=result.stdout, format="turtle"), expected)


def test_expression_with_the_radgraph_prefixes():
    result = run("--source", "article", "query", "-e", "SELECT ?role WHERE { ?role rg:maintains ?m } ORDER BY ?role")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        "role:interventional-radiology-technologist", "role:radiologist", "role:radiology-technician"]


def test_expression_params_bind_its_variables():
    result = run("query", "-e", "SELECT ?label WHERE { ?role skos:prefLabel ?label } ORDER BY ?label",
                 "-p", "role=role:radiologist")
    assert result.stdout.splitlines()[2:] == ["Radiologist"]


def test_query_file(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# summary: roles\nPREFIX rg: <https://w3id.org/radgraph/ns#>\n"
                    "SELECT (COUNT(?r) AS ?roles) WHERE { ?r a rg:Role } ORDER BY ?roles\n")
    result = run("--source", "article", "query", str(path))
    assert (result.exit_code, result.stdout) == (0, "roles\n-----\n8\n")


def test_data_is_merged_for_embedded_queries(tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix rg: <https://w3id.org/radgraph/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix prov: <http://www.w3.org/ns/prov#> . @prefix ev: <https://w3id.org/radgraph/id/evidence/> .\n"
        "<https://example.org/role/x> a rg:Role ; skos:prefLabel \"Radiology Xenologist\" ;"
        " prov:wasDerivedFrom ev:rt-heading .\n")
    result = CliRunner().invoke(cli, ["--data", str(extra), "query", "find", "-p", "text=xenolog"])
    assert result.exit_code == 0, result.output
    assert "Radiology Xenologist" in result.stdout


# ------------------------------------------------------------------ usage errors: exit 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["query", "no-such-query"], ["no query named 'no-such-query'"]),
        (["query", "role-duties", "-p", "rol=role:radiologist"], ["no parameter 'rol'"]),
        (["query", "role-duties", "-p", "role"], ["--param expects NAME=VALUE"]),
        (["query", "role-duties", "-p", "role=role:a", "-p", "role=role:b"], ["given twice"]),
        (["query", "role-duties", "-p", "role=rol:radiologist"], ["unknown prefix 'rol'"]),
        (["query", "role-duties", "-p", "role=<urn:x> } UNION { ?s ?p ?o } #>"], ["not a valid IRI"]),
        (["query", "-e", "DROP ALL"], ["refused", "DROP"]),
        (["query", "-e", "INSERT DATA { rg:a rg:b rg:c }"], ["refused", "INSERT DATA"]),
        (["query", "-e", "SELECT ?x WHERE { ?x"], ["not a SPARQL query", "line 1"]),
        (["query"], ["give one of"]),
        (["query", "caveats", "-e", "ASK {}"], ["give one of"]),
        (["query", "--list", "-p", "a=b"], ["--list takes no"]),
        (["query", "caveats", "--timeout", "3"], ["--timeout applies to --endpoint only"]),
        (["query", "caveats", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], ["'--timeout'"]),
        (["query", "ask-role-requires-credential", "--format", "csv"], ["does not apply to an ASK"]),
        (["query", "construct-schema-org", "--format", "json"], ["does not apply to a CONSTRUCT"]),
        (["query", "caveats", "--endpoint", "ftp://127.0.0.1/query"], ["http:// or https://"]),
        (["push", "--endpoint", "http://127.0.0.1:9/sparql"], ["give it with --store"]),
        (["push", "--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"], ["graph must be an IRI"]),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, words):
    assert_error(run(*args), 2, *words)


def test_data_with_endpoint_is_refused(tmp_path, scripted_server):
    extra = tmp_path / "extra.ttl"
    extra.write_text("")
    result = CliRunner().invoke(cli, ["--data", str(extra), "query", "caveats", "--endpoint", scripted_server.url])
    assert_error(result, 2, "--data")
    assert scripted_server.requests == []  # refused before any work


# ------------------------------------------------------------------ the work fails: exit 1


def test_connection_refused_exits_1(refused_endpoint):
    assert_error(run("query", "caveats", "--endpoint", refused_endpoint), 1, "connection refused")


def test_timeout_exits_1(silent_endpoint):
    assert_error(run("query", "caveats", "--endpoint", silent_endpoint, "--timeout", "0.5"), 1,
                 "did not answer within 0.5 seconds")


def test_http_500_exits_1(scripted_server):
    scripted_server.answer(500, "text/plain", "Internal failure\n  at line 3")
    assert_error(run("query", "caveats", "--endpoint", scripted_server.url), 1, "HTTP 500", "Internal failure")


def test_non_sparql_answer_exits_1(scripted_server):
    scripted_server.answer(200, "text/html", "<!doctype html><title>Login</title>")
    assert_error(run("query", "caveats", "--endpoint", scripted_server.url), 1,
                 "did not answer with SPARQL results", "text/html")


def test_push_refused_by_the_store_exits_1(scripted_server):
    scripted_server.answer(403, "text/plain", "read-only")
    assert_error(run("push", "--endpoint", scripted_server.url), 1, "HTTP 403", "read-only")


# ------------------------------------------------------------------ a real Oxigraph server


def test_push_then_query_remote_prints_what_embedded_prints(oxigraph_endpoint, shipped_graph):
    result = run("push", "--endpoint", oxigraph_endpoint)
    assert result.exit_code == 0, result.output
    store = oxigraph_endpoint[: -len("query")] + "store"
    assert result.stdout == f"pushed {len(shipped_graph)} triples to the default graph at {store}?default\n"
    for args in (["requirement-tree", "-p", "role=role:radiologist"], ["credentials-for-several-roles"],
                 ["supervision", "--format", "json"], ["caveats", "--format", "tsv"]):
        embedded = run("query", *args)
        remote = run("query", *args, "--endpoint", oxigraph_endpoint, "--timeout", "30")
        assert remote.exit_code == embedded.exit_code == 0, remote.output
        assert remote.stdout == embedded.stdout


def test_remote_ask_exit_codes(pushed_endpoint):
    assert run("query", "ask-role-requires-credential", "--endpoint", pushed_endpoint).exit_code == 0
    result = run("query", "ask-role-requires-credential", "-p", "role=role:radiologist", "--endpoint", pushed_endpoint)
    assert (result.exit_code, result.stdout) == (1, "false\n")


# ------------------------------------------------------------------ the README's examples


def readme_section() -> str:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "README.md").read_text()
    start = text.index("## Ask the graph")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def console_examples() -> list[tuple[str, str]]:
    """``$ radgraph ...`` lines of the README's console blocks, with the output shown under each."""
    import re

    examples = []
    for block in re.findall(r"```console\n(.*?)```", readme_section(), re.S):
        lines = block.splitlines()
        assert lines[0].startswith("$ radgraph ")
        examples.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return examples


def test_readme_shows_three_questions_and_more():
    assert len(console_examples()) >= 3


@pytest.mark.parametrize(("command", "shown"), console_examples(), ids=lambda x: x[:60] if isinstance(x, str) else "")
def test_readme_console_examples_print_what_they_show(command, shown):
    import shlex

    args = shlex.split(command)[1:]
    result = run(*args)
    assert result.exit_code in (0, 1) and result.stderr == ""
    assert result.exit_code == (1 if shown == "false\n" else 0)
    assert result.stdout == shown


def test_readme_server_commands_work(pushed_endpoint, scripted_server):
    """The README's sh lines: port 7878 on a real Oxigraph, 3030 (Fuseki) on a scripted server."""
    import re
    import shlex

    oxigraph_base = pushed_endpoint[: -len("/query")]
    fuseki_base = scripted_server.url[: -len("/query")]
    commands = [line for block in re.findall(r"```sh\n(.*?)```", readme_section(), re.S)
                for line in block.splitlines() if line.startswith("radgraph ")]
    assert len(commands) >= 4
    for command in commands:
        command = command.replace("http://127.0.0.1:7878", oxigraph_base)
        command = command.replace("http://localhost:3030", fuseki_base)
        result = run(*shlex.split(command)[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
    assert ("PUT", "/ds/data?default") in [(r.method, r.path) for r in scripted_server.requests]

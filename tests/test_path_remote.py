"""`radgraph path --endpoint`: planning on a graph held by a real Oxigraph server.

The server sends only what a plan for the goal reads (construct-names, then
construct-planner-part); every answer must be the local one, word for word.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from radgraph import sparql
from radgraph.cli import cli
from radgraph.errors import RadGraphError, UnknownNameError

MAIN = ["path", "Radiology Assistant", "Interventional Radiology Technologist"]
ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(cli, list(args))


def assert_same(local, remote):
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)


@pytest.fixture(scope="module")
def pushed(oxigraph_endpoint):
    result = run("push", "--endpoint", oxigraph_endpoint)
    assert result.exit_code == 0, result.output
    return oxigraph_endpoint


@pytest.fixture
def answers(monkeypatch):
    """What each question to a server brought back: (query name, triples), in order."""
    from radgraph.triples import TripleIndex

    seen: list[tuple[str, int]] = []
    ask = sparql.remote._ask  # every question: run_remote's, and the planner's (read into the model's index)

    def recording(endpoint, query, *args, **kwargs):
        result = ask(endpoint, query, *args, **kwargs)
        triples = result.size if isinstance(result, TripleIndex) else len(result.graph or ())
        seen.append((query if isinstance(query, str) else query.name, triples))
        return result

    monkeypatch.setattr(sparql.remote, "_ask", recording)
    return seen


@pytest.mark.parametrize("extra", [[], ["--format", "json", "--alternatives", "3"], ["--have", "High School Diploma"]])
def test_remote_path_prints_what_local_prints(pushed, extra):
    local = run(*MAIN, *extra)
    remote = run(*MAIN, *extra, "--endpoint", pushed)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    if "json" in extra:
        assert len(json.loads(remote.stdout)["paths"]) == 3


#: Journeys of the README and of tests/test_journeys.py, in every output, and the mistakes a user makes.
CASES = [
    ["none", "Radiologist"],
    ["none", "Radiologist", "--format", "json"],
    ["none", "Radiologist", "--explain"],
    ["none", "Radiologist", "--as-of", "2019-01-01"],
    ["none", "Radiologist", "--optimize", "steps", "--format", "mermaid"],
    ["none", "Radiologic Technologist", "--have", "High School Diploma", "--format", "dot"],
    ["none", "Radiology Tech Assistant", "--have", "GED", "--explain"],
    ["rt", "Radiologist Assistant", "--worked", "rt=30", "--format", "json"],
    ["rt", "Radiologist Assistant", "--as-of", "2022-06-01", "--explain"],
    ["Diagnostic Radiologic Technologist", "Radiologic Technologist"],
    ["none", "MRI Technologist", "--held-role", "Radiologic Technologist", "--worked", "Radiologic Technologist=12",
     "--worked", "rt=6", "--explain"],
    ["Radiology Assistant", "Interventional Radiology Technologist", "--held-role", "CT Technologist",
     "--have", "ARRT certification and registration in Radiography (R)", "--format", "json"],
    ["none", "CT Technologist", "--have", "ARRT registry", "--have", "BLS (American Heart Association)"],
    ["none", "CT Technologist", "--explain"],  # Radiography (R) is "same as" the article's ARRT certification
    ["none", "rt", "--have", "Astronaut License"],
    ["none", "Radiology Astronaut"],
    ["Radiology Astronaut", "rt"],
    ["none", "rt", "--worked", "Astronaut=3"],
    ["none", "rt", "--held-role", "Astronaut"],
    ["none", "rt", "--have", "ARRT"],
    ["rt", "rt"],
    ["none", "rt", "--as-of", "2019-13-01"],
]


@pytest.mark.parametrize("args", CASES, ids=" ".join)
def test_remote_path_is_the_local_path(pushed, answers, args):
    local = run("path", *args)
    remote = run("path", *args, "--endpoint", pushed)
    assert_same(local, remote)
    if local.exit_code == 0:
        assert [name for name, _ in answers] == ["construct-names", "construct-planner-part"]


def test_whole_fetch_carries_the_evidence_of_where_a_license_is_valid(pushed):
    # construct-planner left out rg:validIn, so the evidence about it was no credential's source remotely
    args = ["path", "none", "Radiologist", "--format", "json", "--alternatives", "2"]
    local = run(*args)
    assert "radiologist-license-places" in local.stdout
    assert run(*args, "--endpoint", pushed).stdout == local.stdout


def test_remote_fetch_is_smaller_than_the_graph(pushed, shipped_graph):
    answer = sparql.run_remote(pushed, "construct-planner")
    assert 0 < len(answer.graph) < len(shipped_graph)


def test_path_fetches_only_what_the_goal_reads(pushed, answers):
    whole = len(sparql.run_remote(pushed, "construct-planner").graph)
    answers.clear()
    result = run("path", "none", "Radiology Tech Assistant", "--endpoint", pushed)
    assert result.exit_code == 0, result.output
    (names, n_names), (part, n_part) = answers
    assert (names, part) == ("construct-names", "construct-planner-part")
    # every role and credential by name, then the few the goal asks for: a fifth of the planner's graph
    assert n_names + n_part < whole / 5


def test_alternatives_read_everything_the_planner_reads(pushed, answers):
    """A second-best path may take a detour through a role nothing on the way asks for."""
    result = run(*MAIN, "--alternatives", "2", "--endpoint", pushed)
    assert result.exit_code == 0, result.output
    assert [name for name, _ in answers] == ["construct-planner"]


def test_part_holds_the_names_as_ids_and_less_than_the_whole(pushed, model):
    part = sparql.fetch_part(pushed, "Radiology Assistant", start="RT",
                             have=["GED"], roles=["Radiology Tech Assistant"])
    role, cred = "https://w3id.org/radgraph/id/role/", "https://w3id.org/radgraph/id/credential/"
    assert (part.goal, part.start, part.have, part.roles) == (
        role + "radiology-assistant", role + "radiologic-technologist", (cred + "ged",),
        (role + "radiology-tech-assistant",))
    whole = sparql.fetch_model(pushed)
    assert set(part.model.roles) < set(whole.roles)
    assert set(part.model.credentials) < set(whole.credentials)
    # what is fetched is what the graph says: credentials field for field, roles in all the planner reads
    assert all(part.model.credentials[c] == model.credentials[c] for c in part.model.credentials)
    planned = ("label", "alt_labels", "notations", "requires", "maintains", "settings", "caveat")
    assert all(getattr(part.model.roles[r], f) == getattr(model.roles[r], f) for r in part.model.roles for f in planned)


def test_unknown_name_is_found_before_the_part_is_asked(pushed, answers):
    with pytest.raises(UnknownNameError, match="Radiology Astronaut"):
        sparql.fetch_part(pushed, "Radiology Astronaut")
    assert [name for name, _ in answers] == ["construct-names"]


def test_a_graph_changed_between_the_two_questions_is_one_error(pushed, monkeypatch):
    ask = sparql.remote._ask

    def emptied(endpoint, query, *args, **kwargs):
        if query == "construct-planner-part":
            query = sparql.parse_query("CONSTRUCT { ?seed ?p ?o } WHERE { ?seed ?p ?o . FILTER(false) }")
        return ask(endpoint, query, *args, **kwargs)

    monkeypatch.setattr(sparql.remote, "_ask", emptied)
    with pytest.raises(RadGraphError, match="changed while radgraph read it"):
        sparql.fetch_part(pushed, "Radiologist")


def test_unreachable_endpoint_is_one_line_exit_1():
    result = run(*MAIN, "--endpoint", "http://127.0.0.1:1/query", "--timeout", "2")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: cannot reach http://127.0.0.1:1/query: connection refused"


def test_endpoint_and_data_conflict(tmp_path):
    result = run("--data", str(tmp_path), *MAIN, "--endpoint", "http://127.0.0.1:1/query")
    assert result.exit_code == 2
    assert "cannot be combined with --endpoint" in result.stderr


# ------------------------------------------------------------------ a generated graph

#: Appended to the generated graph: a name two roles share, a role no path reaches (each of the
#: two island roles asks for the other), and a credential whose other name, stated on the other
#: name alone, gives the length it has (so a part without what points at the goal's credentials
#: would say "not known") and which counts as a badge (--explain names it).
EXTRA = """
g:echo a rg:Role ; skos:prefLabel "Echo" ; rg:requires g:echo-q .
g:echo-q a rg:CredentialRequirement ; rg:credential g:echo-cred .
g:echo-cred a rg:Credential ; skos:prefLabel "Echo credential" ; rg:countsAs g:echo-badge .
g:echo-badge a rg:Credential ; skos:prefLabel "Echo badge" .
g:echo-alias a rg:Credential ; skos:prefLabel "Echo credential, other name" ; rg:durationMonths 12 ;
    rg:sameAs g:echo-cred ."""
EXTRA += """
g:twin-a a rg:Role ; skos:prefLabel "Twin A" ; skos:altLabel "Twin" .
g:twin-b a rg:Role ; skos:prefLabel "Twin B" ; skos:altLabel "Twin" .
g:island a rg:Role ; skos:prefLabel "Island" ; rg:requires g:island-q .
g:island-q a rg:RoleRequirement ; rg:role g:island-two .
g:island-two a rg:Role ; skos:prefLabel "Island Two" ; rg:requires g:island-two-q .
g:island-two-q a rg:RoleRequirement ; rg:role g:island .
"""


@pytest.fixture(scope="module")
def generated(second_oxigraph_endpoint, tmp_path_factory):
    """benchmarks/generate.py's 20,000-triple graph (seed 1), pushed: (endpoint, file, triples held)."""
    path = tmp_path_factory.mktemp("generated") / "graph.ttl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--triples", "20000", "--seed", "1",
                    "-o", str(path)], check=True)
    with path.open("a", encoding="utf-8") as f:
        f.write(EXTRA)
    result = run("--no-validate", "--data", str(path), "push", "--endpoint", second_oxigraph_endpoint)
    assert result.exit_code == 0, result.output
    count = sparql.parse_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } ORDER BY ?n")
    triples = int(sparql.run_remote(second_oxigraph_endpoint, count).rows[0][0])
    assert triples > 15_000
    return second_oxigraph_endpoint, str(path), triples


@pytest.mark.parametrize("args", [["Role 0", "Role 3"], ["Role 0", "Role 26", "--format", "json"],
                                  ["none", "Role 9", "--explain"], ["Role 0", "Echo", "--explain"],
                                  ["Role 0", "Twin"], ["Role 0", "Island"]],
                         ids=" ".join)
def test_generated_graph_plans_alike_from_a_small_part(generated, answers, args):
    endpoint, data, triples = generated
    local = run("--no-validate", "--data", data, "path", *args)
    answers.clear()
    remote = run("path", *args, "--endpoint", endpoint)
    assert_same(local, remote)
    if args[1] == "Twin":
        assert local.exit_code == 2 and "names more than one role" in local.stderr
    elif args[1] == "Island":
        assert local.exit_code == 1 and "qualification as Island Two" in local.stderr
    else:
        assert local.exit_code == 0, local.output
        if args[1] == "Echo":
            assert "Earn: Echo credential (about 1 year)" in local.stdout and "also gives: Echo badge" in local.stdout
        assert [name for name, _ in answers] == ["construct-names", "construct-planner-part"]
        # the target of issue 15 is under 10 % on a million triples; the planner's whole graph is over 25 % here
        assert sum(n for _, n in answers) < 0.1 * triples


def test_the_part_is_read_without_an_rdflib_graph(pushed, monkeypatch):
    """rdflib took 6.8 s to parse the 160,000 triples of a part of the million-triple graph, pyoxigraph
    under 1 s: the planner's answers go straight into the model reader's index (same model: the
    tests above print the same plans as the local graph)."""
    from rdflib import Graph

    def refused(*args, **kwargs):
        raise AssertionError("the planner's answer was parsed into an rdflib Graph")

    monkeypatch.setattr(Graph, "parse", refused)
    part = sparql.fetch_part(pushed, "Radiologist", start="Radiologic Technologist")
    assert part.model.find_role("Radiologist").id == part.goal and part.triples > 0
    assert sparql.fetch_model(pushed).roles.keys() >= part.model.roles.keys()


@pytest.mark.parametrize(("content_type", "body", "words"), [
    ("text/turtle", b"<urn:a> <urn:b> .", "did not answer with valid text/turtle"),
    ("application/n-triples", b"<urn:a> <urn:b> \"x\"", "did not answer with valid application/n-triples"),
    ("application/sparql-results+json", b'{"head": {"vars": []}, "results": {"bindings": []}}',
     "did not answer with RDF (Content-Type: application/sparql-results+json)"),
])
def test_a_bad_graph_answer_to_the_planner_is_one_line(scripted_server, content_type, body, words):
    scripted_server.answer(200, content_type, body)
    with pytest.raises(RadGraphError, match=re.escape(words)) as error:
        sparql.fetch_part(scripted_server.url, "Radiologist")
    assert "\n" not in str(error.value) and str(error.value).count(scripted_server.url) == 1, error.value
    result = run("path", "none", "Radiologist", "--endpoint", scripted_server.url)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and words in result.stderr, result.output

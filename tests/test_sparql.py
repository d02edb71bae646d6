"""radgraph.sparql: the shipped queries, parameters, formats, two engines and a real server."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.parse
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result

from radgraph import sparql
from radgraph.errors import RadGraphError, UsageError
from radgraph.namespaces import PREFIXES

QUERY_DIR = Path(str(sparql.QUERY_DIR))
NAMES = sparql.query_names()
QUERIES = {q.name: q for q in sparql.list_queries()}
WITH_PARAMS = [n for n in NAMES if QUERIES[n].params]


def iri(pname: str) -> URIRef:
    prefix, local = pname.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


#: A second set of values for every query that has parameters, so each one is
#: also run away from its defaults. A new parametrized query must add a line here.
OTHER_PARAMS = {
    "ask-role-requires-credential": {"role": "role:radiologist", "credential": "cred:arrt-certification"},
    "construct-plan-evidence": {"seed": "cred:arrt-certification"},
    "construct-planner-part": {"seed": "role:radiology-tech-assistant"},
    "construct-planner-search": {"seed": "role:radiology-tech-assistant"},
    "credentials-by-organization": {"organization": "agent:american-heart-association"},
    "find": {"text": "ARRT"},
    "license-jurisdictions": {"credential": "cred:state-radiologic-license"},
    "requirement-tree": {"role": "role:radiologist"},
    "role-duties": {"role": "role:radiologist"},
    "role-evidence": {"role": "role:interventional-radiology-technologist"},
    "roles-providing-experience": {"setting": "setting:patient-care"},
    "roles-requiring-credential": {"credential": "cred:high-school-diploma"},
}

#: A value no shipped query should let out of its string.
HOSTILE = 'x" } UNION { ?s ?p ?o } # \n<urn:y> > \'\' """ \\u0022 \\'


# ------------------------------------------------------------------ two engines


@pytest.fixture(scope="session")
def oxigraph_store(shipped_graph, pyoxigraph):
    ox = pyoxigraph
    store = ox.Store()
    store.load(shipped_graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    return store


@pytest.fixture(scope="session")
def embedded(shipped_graph):
    """The shipped graph's answer to a named query on rdflib (params as a dict), worked out once per worker:
    the engine-against-engine tests below compare several engines with the same answers."""
    answers: dict = {}

    def answer(name: str, params: dict | None = None) -> sparql.QueryResult:
        key = (name, tuple(sorted((params or {}).items())))
        if key not in answers:
            answers[key] = sparql.run_query(shipped_graph, QUERIES[name], params)
        return answers[key]

    return answer


def run_oxigraph(store, query, params=None) -> sparql.QueryResult:
    """Run on pyoxigraph, parameters bound as they are for a remote endpoint (with_values)."""
    return sparql.run_query_store(store, query, params)


def assert_same(a: sparql.QueryResult, b: sparql.QueryResult) -> None:
    assert a.form == b.form
    if a.form in ("CONSTRUCT", "DESCRIBE"):
        assert isomorphic(a.graph, b.graph), "graphs differ"
    elif a.form == "ASK":
        assert a.boolean == b.boolean
    else:
        assert a.vars == b.vars
        # same rows, same order (every shipped query orders by all its columns)
        assert a.rows == b.rows


# ------------------------------------------------------------------ discovery


def test_shipped_queries_are_discovered():
    assert len(NAMES) >= 12
    assert sorted(p.stem for p in QUERY_DIR.glob("*.rq")) == NAMES
    kinds = {QUERIES[n].kind for n in NAMES}
    assert {"report", "violation", "construct", "ask"} <= kinds


@pytest.mark.parametrize("name", NAMES)
def test_query_file_is_standalone_with_summary_params_and_order_by_where_rows_have_one(name):
    text = (QUERY_DIR / f"{name}.rq").read_text()
    assert text.splitlines()[0].startswith("# summary: ") and QUERIES[name].summary
    # parsed with no prefixes given: the file declares all it uses
    q = sparql.parse_query(text, name=name)
    words = [tok.upper() for kind, tok, _ in sparql._tokens(text) if kind == "word"]
    # an ASK has no rows to order, a graph no order: a CONSTRUCT sorted on the server is sorted for
    # nothing (construct-planner took 22 s on a million triples with ORDER BY, 4 s without)
    ordered = any(a == "ORDER" and b == "BY" for a, b in zip(words, words[1:], strict=False))
    assert ordered == (q.form not in ("ASK", "CONSTRUCT")), "ORDER BY missing, or on a graph"
    for p in q.params:
        assert p.name in q.variables and p.default_text and p.description
    expected_form = {"construct": "CONSTRUCT", "ask": "ASK"}.get(q.kind, "SELECT")
    assert q.form == expected_form


@pytest.mark.parametrize("name", NAMES)
def test_query_runs_embedded(embedded, name):
    q = QUERIES[name]
    result = embedded(name)
    if q.kind == "violation":
        assert result.rows == [], f"{name} found problems:\n{sparql.generate_table(result)}"
    elif q.kind == "report":
        assert result.rows, f"{name} returned no rows"
        assert all(any(cell is not None for cell in row) for row in result.rows)
    elif q.kind == "ask":
        assert result.boolean is True
    else:
        assert len(result.graph) > 0


def test_readme_lists_exactly_the_shipped_queries():
    readme = (QUERY_DIR / "README.md").read_text()
    assert sparql.generate_query_index() in readme, "queries/README.md is stale: run `make queries-readme`"
    listed = sorted(set(__import__("re").findall(r"\[`([^`]+)`\]\(\1\.rq\)", readme)))
    assert listed == NAMES


def test_every_parametrized_query_has_other_values_to_test():
    assert sorted(OTHER_PARAMS) == WITH_PARAMS


# ------------------------------------------------------------------ what the queries answer


def test_roles_requiring_a_credential_anywhere_in_the_tree(shipped_graph):
    result = sparql.run_query(shipped_graph, "roles-requiring-credential", {"credential": "cred:ged"})
    assert [(r[0], str(r[2])) for r in result.rows] == [
        (iri("role:radiology-assistant"), "entry"),
        (iri("role:radiology-imaging-procedure-assistant"), "entry"),
    ]
    # maintained credentials count too
    result = sparql.run_query(shipped_graph, "roles-requiring-credential", {"credential": "cred:istat-certification"})
    assert [(r[0], str(r[2])) for r in result.rows] == [(iri("role:interventional-radiology-technologist"), "ongoing")]


def test_a_query_is_parsed_once_and_each_run_binds_afresh(shipped_graph):
    """parse_query remembers its answer (rdflib's parser is slow); the one parsed query then runs with one
    binding after another, each run answering for its own (nothing of a run stays in the query)."""
    text = sparql.load_query("roles-requiring-credential").text
    assert sparql.parse_query(text, name="q") is sparql.parse_query(text, name="q")
    query = sparql.parse_query(text, name="q")
    for _ in range(2):
        ged = sparql.run_query(shipped_graph, query, {"credential": "cred:ged"})
        istat = sparql.run_query(shipped_graph, query, {"credential": "cred:istat-certification"})
        assert [r[0] for r in ged.rows] == [iri("role:radiology-assistant"),
                                            iri("role:radiology-imaging-procedure-assistant")]
        assert [r[0] for r in istat.rows] == [iri("role:interventional-radiology-technologist")]
    with pytest.raises(UsageError):  # a refusal is not remembered as an answer
        sparql.parse_query("DROP ALL")
    with pytest.raises(UsageError):
        sparql.parse_query("DROP ALL")


def test_credentials_by_organization_reach_bodies_that_are_part_of_it(shipped_graph):
    result = sparql.run_query(shipped_graph, "credentials-by-organization")
    assert [(r[0], r[3]) for r in result.rows] == [
        (iri("cred:rt-training-program-ama"), iri("agent:american-medical-association")),
        (iri("cred:medical-school-lcme"), iri("agent:lcme")),
    ]


def test_entry_level_roles_ask_for_no_certification(shipped_graph):
    result = sparql.run_query(shipped_graph, "entry-level-roles")
    assert [(r[0], int(r[2])) for r in result.rows] == [
        (iri("role:radiology-imaging-procedure-assistant"), 5),
        (iri("role:radiology-tech-assistant"), 4),
    ]


def test_requirement_tree_depths(shipped_graph):
    result = sparql.run_query(shipped_graph, "requirement-tree", {"role": "role:radiologist"})
    depth = {r[3]: int(r[1]) for r in result.rows}
    assert depth[iri("req:radiologist")] == 0
    assert depth[iri("req:rad-medical-school")] == 1
    assert depth[iri("req:rad-school-lcme")] == 2
    assert {str(r[0]) for r in result.rows} == {"entry", "ongoing"}


def test_ask_answers_false_when_the_role_does_not_require_it(shipped_graph):
    result = sparql.run_query(shipped_graph, "ask-role-requires-credential", OTHER_PARAMS["ask-role-requires-credential"])
    assert result.boolean is False


#: For each check, a small break of the shipped graph and the node it must report.
BROKEN = {
    "provenance-missing-violation": ("role:unsourced a rg:Role ; skos:prefLabel 'Unsourced' .", "role:unsourced"),
    "relation-unevidenced-violation": ("role:radiologist rg:usesSystem sys:vista .", "role:radiologist"),
    "empty-group-violation": ("req:empty a rg:AnyOf .", "req:empty"),
    "undefined-credential-violation": ("req:bad a rg:CredentialRequirement ; rg:credential cred:nope .", "req:bad"),
    "undefined-role-violation": ("req:badrole a rg:RoleRequirement ; rg:role role:nope .", "req:badrole"),
    "orphan-requirement-violation": ("req:orphan a rg:ExperienceRequirement ; rg:setting setting:acute .",
                                     "req:orphan"),
    "evidence-incomplete-violation": ("ev:bad a rg:Evidence ; rg:about role:radiologist .", "ev:bad"),
}


def test_every_violation_query_has_a_broken_graph_to_catch():
    assert sorted(BROKEN) == sorted(n for n in NAMES if QUERIES[n].kind == "violation")


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_violation_query_catches_its_problem(shipped_graph, name):
    snippet, node = BROKEN[name]
    graph = Graph()
    graph += shipped_graph
    graph.parse(data=sparql.prefix_block().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n") + snippet,
                format="turtle")
    result = sparql.run_query(graph, name)
    assert result.rows, f"{name} missed: {snippet}"
    assert {row[0] for row in result.rows} == {iri(node)}


# ------------------------------------------------------------------ two engines agree


@pytest.mark.parametrize("name", NAMES)
def test_rdflib_and_oxigraph_agree(embedded, oxigraph_store, name):
    assert_same(embedded(name), run_oxigraph(oxigraph_store, QUERIES[name]))


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_rdflib_and_oxigraph_agree_on_other_values(embedded, oxigraph_store, name):
    params = OTHER_PARAMS[name]
    answer = embedded(name, params)
    assert_same(answer, run_oxigraph(oxigraph_store, QUERIES[name], params))
    assert answer != embedded(name), "the parameter changed nothing"


# ------------------------------------------------------------------ values and parameters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("role:radiologist", iri("role:radiologist")),
        ("<https://example.org/x>", URIRef("https://example.org/x")),
        ("https://example.org/x", URIRef("https://example.org/x")),
        ("urn:isbn:123", URIRef("urn:isbn:123")),
        ('"Radiologist"', Literal("Radiologist")),
        ('"Radiologue"@fr', Literal("Radiologue", lang="fr")),
        ('"12"^^xsd:integer', Literal("12", datatype=XSD.integer)),
        ('"a \\"b\\"\\n"', Literal('a "b"\n')),
        ("12", Literal("12", datatype=XSD.integer)),
        ("-1.5", Literal("-1.5", datatype=XSD.decimal)),
        ("true", Literal("true", datatype=XSD.boolean)),
        ("diploma or GED", Literal("diploma or GED")),
        ("Radiologist: senior", Literal("Radiologist: senior")),
    ],
)
def test_parse_value(text, expected):
    got = sparql.parse_value(text)
    assert type(got) is type(expected) and got == expected


@pytest.mark.parametrize(
    "text",
    ["rol:radiologist", "<not an iri>", "<urn:x> } UNION { ?s ?p ?o } #>", "role:x>} UNION {?s ?p ?o}#",
     '"x"^^"y"', "<relative>", '"\\UFFFFFFFF"', '"\\q"'],
)
def test_parse_value_refuses_bad_iris_and_unknown_prefixes(text):
    with pytest.raises(UsageError):
        sparql.parse_value(text)


def test_bind_params_defaults_and_overrides():
    q = QUERIES["ask-role-requires-credential"]
    assert sparql.bind_params(q) == {"role": iri("role:radiologic-technologist"),
                                     "credential": iri("cred:arrt-certification")}
    assert sparql.bind_params(q, {"role": "role:radiologist"})["role"] == iri("role:radiologist")


def test_bind_params_takes_rdflib_terms_as_they_are():
    q = QUERIES["find"]
    assert sparql.bind_params(q, {"text": Literal(":")}) == {"text": Literal(":")}
    assert sparql.bind_params(q, {"text": URIRef("foo:bar")}) == {"text": URIRef("foo:bar")}
    with pytest.raises(UsageError, match="quote a string"):  # the same text typed is read as a prefixed name
        sparql.bind_params(q, {"text": "a:b"})
    assert sparql.bind_params(q, {"text": '"a:b"'}) == {"text": Literal("a:b")}


def test_bind_params_refuses_unknown_names():
    with pytest.raises(UsageError, match="has no parameter 'rol'; its parameters: role"):
        sparql.bind_params(QUERIES["role-duties"], {"rol": "role:radiologist"})
    adhoc = sparql.parse_query("SELECT ?x WHERE { ?x a rg:Role } ORDER BY ?x", prefixes=True)
    assert sparql.bind_params(adhoc, {"x": "role:radiologist"}) == {"x": iri("role:radiologist")}
    with pytest.raises(UsageError, match=r"no variable \?y"):
        sparql.bind_params(adhoc, {"y": "1"})


def test_hostile_value_stays_one_literal(shipped_graph, oxigraph_store):
    q = QUERIES["find"]
    bindings = sparql.bind_params(q, {"text": HOSTILE})
    assert bindings["text"] == Literal(HOSTILE)
    text = sparql.with_values(q, bindings)
    original, bound = parseQuery(q.text), parseQuery(text)
    inline = bound[1]["where"]["part"].pop(0)
    assert inline.name == "InlineData"
    assert [str(v) for v in inline["var"]] == ["text"]
    assert [str(t["string"]) for t in inline["value"][0]] == [HOSTILE]
    assert repr(bound) == repr(original)  # nothing else changed
    # had the UNION escaped, every triple would match
    assert sparql.run_query(shipped_graph, q, {"text": HOSTILE}).rows == []
    assert run_oxigraph(oxigraph_store, q, {"text": HOSTILE}).rows == []


@pytest.mark.parametrize(
    "value", [HOSTILE, "back\\slash", "\\u0041 is not A", "\\U0001F600\\u00220000", "tab\there\rcr 'q'", "a\\"]
)
def test_both_engines_read_a_value_back_exactly(value, pyoxigraph):
    ox = pyoxigraph
    graph = Graph()
    node = URIRef("urn:test:node")
    graph.add((node, iri("rdf:type"), iri("rg:Role")))
    graph.add((node, iri("skos:prefLabel"), Literal(value)))
    store = ox.Store()
    store.load(graph.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    q = QUERIES["find"]
    expected = [(node, Literal("Role"), Literal(value), Literal(value))]
    assert sparql.run_query(graph, q, {"text": Literal(value)}).rows == expected
    assert run_oxigraph(store, q, {"text": Literal(value)}).rows == expected


def test_hostile_terms_are_refused_not_written():
    with pytest.raises(UsageError):
        sparql.sparql_term(URIRef("urn:x> } UNION { ?s ?p ?o } #"))
    with pytest.raises(UsageError):
        sparql.sparql_term(Literal("x", datatype=URIRef("urn:a> } #")))
    q = QUERIES["find"]
    with pytest.raises(UsageError):
        sparql.with_values(q, {"text) { } UNION { ?s ?p ?o } #": Literal("x")})


def test_with_values_finds_the_where_group_past_braces_in_strings_comments_and_templates(shipped_graph):
    text = """# a { comment WHERE {
    CONSTRUCT { ?role <urn:test:says> "WHERE { not this }" }
    WHERE { ?role a rg:Role . FILTER(?role != <urn:x>) }
    ORDER BY ?role"""
    q = sparql.parse_query(text, prefixes=True)
    bound = sparql.with_values(q, {"role": iri("role:radiologist")})
    assert "WHERE { VALUES (?role)" in bound
    select = sparql.parse_query(
        'SELECT ?role (EXISTS { ?role a rg:Role } AS ?isRole) WHERE { ?role a rg:Role } ORDER BY ?role', prefixes=True)
    assert "WHERE { VALUES (?role)" in sparql.with_values(select, {"role": iri("role:radiologist")})


def test_with_values_refuses_queries_it_cannot_bind_into():
    short = sparql.parse_query("CONSTRUCT WHERE { ?s a rg:Role }", prefixes=True)
    with pytest.raises(UsageError, match="cannot be bound"):
        sparql.with_values(short, {"s": iri("role:radiologist")})



def test_with_values_writes_several_rows_each_checked():
    q = QUERIES["role-duties"]
    rows = [{"role": iri("role:radiologist")}, {"role": iri("role:radiologist-assistant")}]
    bound = parseQuery(sparql.with_values(q, rows))
    inline = bound[1]["where"]["part"].pop(0)
    assert [str(v) for v in inline["var"]] == ["role"]
    assert [[str(t) for t in row] for row in inline["value"]] == [[str(r["role"])] for r in rows]
    assert repr(bound) == repr(parseQuery(q.text))
    with pytest.raises(UsageError, match="same names"):
        sparql.with_values(q, [{"role": iri("role:radiologist")}, {"x": iri("role:radiologist")}])
    with pytest.raises(UsageError, match="no rows"):
        sparql.with_values(q, [])

# ------------------------------------------------------------------ updates are refused


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT DATA"),
        ("DELETE DATA { <urn:a> <urn:b> <urn:c> }", "DELETE DATA"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", "DELETE/INSERT"),
        ("LOAD <http://127.0.0.1/x.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <urn:g>", "DROP"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
        ("PREFIX rg: <https://w3id.org/radgraph/ns#>\nINSERT DATA { rg:a rg:b rg:c } ; DROP ALL", "INSERT DATA, DROP"),
    ],
)
def test_updates_are_refused(text, op):
    with pytest.raises(UsageError, match=f"refused: this is a SPARQL update \\({op}\\)"):
        sparql.parse_query(text)


def test_refusal_is_by_parsing_not_by_words():
    q = sparql.parse_query('SELECT ?x WHERE { BIND("DROP ALL; INSERT DATA {}" AS ?x) } ORDER BY ?x')
    assert q.form == "SELECT"
    with pytest.raises(UsageError, match="not a SPARQL query"):
        sparql.parse_query("SELECT * WHERE { ?s ?p ?o } ; DROP ALL")


def test_unknown_query_name_suggests_close_ones():
    with pytest.raises(UsageError, match="no query named 'roles-requiring'. Did you mean: roles-requiring-credential"):
        sparql.load_query("roles-requiring")


def test_query_file_by_path(tmp_path, article_graph):
    path = tmp_path / "my-violation.rq"
    path.write_text("# summary: mine\nPREFIX rg: <https://w3id.org/radgraph/ns#>\n"
                    "SELECT ?r WHERE { ?r a rg:Role } ORDER BY ?r\n")
    q = sparql.load_query(str(path))
    assert (q.summary, q.kind, q.path) == ("mine", "violation", path)
    assert len(sparql.run_query(article_graph, q).rows) == 8


# ------------------------------------------------------------------ formats


@pytest.fixture(scope="module")
def sample(article_graph):
    """A result with IRIs, plain and typed literals, and unbound cells."""
    return sparql.run_query(article_graph, "experience-requirements")


def test_json_is_w3c_results_json(sample):
    obj = json.loads(sparql.generate_json(sample))
    assert obj["head"]["vars"] == list(sample.vars)
    bindings = obj["results"]["bindings"]
    assert len(bindings) == len(sample.rows)
    assert {t["type"] for b in bindings for t in b.values()} <= {"uri", "literal", "bnode"}
    assert bindings[0]["minMonths"] == {"type": "literal", "value": "12", "datatype": str(XSD.integer)}
    assert "maxMonths" not in bindings[0]  # unbound: left out
    # an independent reader (rdflib's) reads the same rows back
    back = Result.parse(io.StringIO(sparql.generate_json(sample)), format="json")
    assert [tuple(sparql.normal_term(t) for t in row) for row in back] == sample.rows
    assert sparql.parse_results_json(sparql.generate_json(sample)).rows == sample.rows


def test_csv_is_w3c_results_csv(sample):
    text = sparql.generate_csv(sample)
    assert text.startswith(",".join(sample.vars) + "\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(sample.vars)
    assert rows[1][:5] == [str(sample.rows[0][0]), "Radiologist", "entry", str(sample.rows[0][3]), "12"]
    assert rows[1][5] == ""  # unbound
    assert len(rows) == len(sample.rows) + 1


def test_tsv_is_w3c_results_tsv(sample):
    text = sparql.generate_tsv(sample)
    assert text.split("\n")[0] == "\t".join("?" + v for v in sample.vars)
    assert text.split("\n")[1].startswith(f"<{sample.rows[0][0]}>\t\"Radiologist\"\t")
    back = Result.parse(io.StringIO(text), format="tsv")
    assert [tuple(sparql.normal_term(t) for t in row) for row in back] == sample.rows


def test_table_aligns_columns_with_prefixed_names(shipped_graph):
    result = sparql.run_query(shipped_graph, "roles-requiring-credential", {"credential": "cred:ged"})
    assert sparql.generate_table(result).splitlines() == [
        "role                                        roleLabel                              tree   requirement",
        "------------------------------------------  -------------------------------------  -----  --------------------",
        "role:radiology-assistant                    Radiology Assistant                    entry  req:ra-diploma-ged",
        "role:radiology-imaging-procedure-assistant  Radiology Imaging Procedure Assistant  entry  req:ripa-diploma-ged",
    ]


def test_ask_and_construct_formats(shipped_graph):
    ask = sparql.run_query(shipped_graph, "ask-role-requires-credential")
    assert sparql.format_result(ask, "table") == "true"
    assert json.loads(sparql.format_result(ask, "json")) == {"head": {}, "boolean": True}
    construct = sparql.run_query(shipped_graph, "construct-schema-org")
    turtle = sparql.format_result(construct)
    assert "@prefix schema: <https://schema.org/> ." in turtle
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), construct.graph)


@pytest.mark.parametrize(
    ("data", "message"),
    [("<html>hi</html>", "not JSON"), ("{}", 'no "head"'), ('{"head": {"vars": ["x"]}}', "no \"results.bindings\""),
     ('{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "triple", "value": ""}}]}}', "unknown RDF"),
     ('{"head": {}, "boolean": "yes"}', "not true or false")],
)
def test_parse_results_json_refuses_what_is_not_results(data, message):
    with pytest.raises(ValueError, match=message):
        sparql.parse_results_json(data)


# ------------------------------------------------------------------ a real Oxigraph server


@pytest.mark.parametrize("name", NAMES)
def test_remote_answers_like_embedded(embedded, pushed_endpoint, name):
    assert_same(embedded(name), sparql.run_remote(pushed_endpoint, QUERIES[name], timeout=30))


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_remote_answers_like_embedded_on_other_values(embedded, pushed_endpoint, name):
    params = OTHER_PARAMS[name]
    assert_same(embedded(name, params), sparql.run_remote(pushed_endpoint, QUERIES[name], params))



def test_remote_rows_answer_as_each_row_would(pushed_endpoint):
    roles = ["role:radiologist", "role:radiology-assistant"]
    both = sparql.run_remote(pushed_endpoint, "role-duties", [{"role": r} for r in roles])
    each = [sparql.run_remote(pushed_endpoint, "role-duties", {"role": r}) for r in roles]
    assert all(e.rows for e in each)
    assert sorted(both.rows) == sorted(row for e in each for row in e.rows)

def test_remote_hostile_value_matches_nothing(pushed_endpoint):
    assert sparql.run_remote(pushed_endpoint, "find", {"text": HOSTILE}).rows == []


def test_push_twice_leaves_the_same_store(shipped_graph, pushed_endpoint):
    sparql.push(shipped_graph, pushed_endpoint)
    count = sparql.parse_query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } ORDER BY ?n")
    assert int(sparql.run_remote(pushed_endpoint, count).rows[0][0]) == len(shipped_graph)


def test_push_to_a_named_graph(pushed_endpoint):
    graph = Graph()
    graph.add((URIRef("urn:test:a"), URIRef("urn:test:b"), Literal("c")))
    url = sparql.push(graph, pushed_endpoint, "urn:test:graph")
    assert url.endswith("/store?graph=urn%3Atest%3Agraph")
    q = sparql.parse_query("SELECT ?o WHERE { GRAPH <urn:test:graph> { ?s ?p ?o } } ORDER BY ?o")
    assert sparql.run_remote(pushed_endpoint, q).rows == [(Literal("c"),)]
    # the default graph is untouched
    assert sparql.run_remote(pushed_endpoint, "find", {"text": "urn:test"}).rows == []


# ------------------------------------------------------------------ HTTP on the wire


def test_remote_parameters_travel_as_one_values_row(scripted_server):
    sparql.run_remote(scripted_server.url, "find", {"text": HOSTILE})
    (request,) = scripted_server.requests
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "application/sparql-results+json" in request.headers["Accept"]
    (sent,) = urllib.parse.parse_qs(request.body.decode())["query"]
    bound = parseQuery(sent)
    inline = bound[1]["where"]["part"].pop(0)
    assert [str(t["string"]) for t in inline["value"][0]] == [HOSTILE]
    assert repr(bound) == repr(parseQuery(QUERIES["find"].text))


def test_push_puts_n_triples_to_the_store(scripted_server):
    graph = Graph()
    graph.add((URIRef("urn:test:a"), URIRef("urn:test:b"), Literal("c")))
    scripted_server.answer(204, "text/plain", b"")
    url = sparql.push(graph, scripted_server.url)
    (request,) = scripted_server.requests
    assert (request.method, request.path) == ("PUT", "/store?default")
    assert url == scripted_server.url[: -len("query")] + "store?default"
    assert request.headers["Content-Type"] == "application/n-triples"
    assert isomorphic(Graph().parse(data=request.body, format="nt"), graph)


def test_store_url_is_told_only_for_oxigraph():
    assert sparql.store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    with pytest.raises(UsageError, match="give it with --store"):
        sparql.store_url("http://127.0.0.1:3030/ds/sparql")
    with pytest.raises(UsageError, match="http:// or https://"):
        sparql.store_url("file:///etc/passwd")


def assert_one_line_failure(exc_info, *words):
    message = str(exc_info.value)
    assert "\n" not in message and exc_info.value.exit_code == 1
    for word in words:
        assert word in message


def test_connection_refused(refused_endpoint):
    with pytest.raises(RadGraphError) as exc_info:
        sparql.run_remote(refused_endpoint, "caveats")
    assert_one_line_failure(exc_info, "cannot reach", "connection refused")


def test_timeout_is_bounded(silent_endpoint):
    start = time.monotonic()
    with pytest.raises(RadGraphError) as exc_info:
        sparql.run_remote(silent_endpoint, "caveats", timeout=0.5)
    assert time.monotonic() - start < 5
    assert_one_line_failure(exc_info, "did not answer within 0.5 seconds")


def test_http_500(scripted_server):
    scripted_server.answer(500, "text/plain", "boom\nwith a second line")
    with pytest.raises(RadGraphError) as exc_info:
        sparql.run_remote(scripted_server.url, "caveats")
    assert_one_line_failure(exc_info, "HTTP 500", "boom with a second line")


@pytest.mark.parametrize(
    ("content_type", "body", "words"),
    [("text/html", "<html><body>Welcome</body></html>", ["did not answer with SPARQL results", "text/html"]),
     ("application/sparql-results+json", "<html>oops</html>", ["did not answer with SPARQL results JSON"]),
     ("application/json", '{"status": "ok"}', ["did not answer with SPARQL results JSON"])],
)
def test_non_sparql_answer(scripted_server, content_type, body, words):
    scripted_server.answer(200, content_type, body)
    with pytest.raises(RadGraphError) as exc_info:
        sparql.run_remote(scripted_server.url, "caveats")
    assert_one_line_failure(exc_info, *words)


def test_construct_answer_that_is_not_rdf(scripted_server):
    scripted_server.answer(200, "text/turtle", "this is { not turtle")
    with pytest.raises(RadGraphError) as exc_info:
        sparql.run_remote(scripted_server.url, "construct-schema-org")
    assert_one_line_failure(exc_info, "did not answer with valid text/turtle")


def test_endpoint_must_be_http():
    with pytest.raises(UsageError):
        sparql.run_remote("file:///etc/passwd", "caveats")


# ------------------------------------------------------------------ any text at all


def _label_graph(value: str) -> Graph:
    graph = Graph()
    node = URIRef("urn:test:node")
    graph.add((node, iri("rdf:type"), iri("rg:Role")))
    graph.add((node, iri("skos:prefLabel"), Literal(value)))
    return graph


def test_any_text_binds_as_itself_on_both_engines(pyoxigraph):
    """Property: parse_value fails only with UsageError, and any string binds as exactly itself."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    q = QUERIES["find"]
    pieces = ["\\", "\\u", "\\U", "u", "0022", "005C", "0041", "0001F600", "\\u0022", "\\U0000005C",
              '"', "'", '"""', "{", "}", "#", "<", ">", "\n", "\r", "\t", " ", "a", ":", "?x", "$"]
    tricky = st.lists(st.sampled_from(pieces), max_size=12).map("".join)

    @settings(max_examples=120, deadline=None)
    @given(st.one_of(st.text(max_size=24), tricky))
    def check(value):
        try:
            sparql.parse_value(value)
        except UsageError:
            pass
        literal = Literal(value)
        bound = sparql.with_values(q, {"text": literal})  # raises if the shape changed
        graph = _label_graph(value)
        store = pyoxigraph.Store()
        store.load(graph.serialize(format="nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        expected = [(URIRef("urn:test:node"), Literal("Role"), literal, literal)]
        assert sparql.run_query(graph, q, {"text": literal}).rows == expected
        got = sparql.parse_results_json(store.query(bound).serialize(format=pyoxigraph.QueryResultsFormat.JSON))
        assert got.rows == expected

    check()


# ------------------------------------------------------------------ results as dicts and data frames


def test_to_dicts_gives_plain_values_keyed_by_variable(shipped_graph):
    result = sparql.run_query(shipped_graph, "roles-requiring-credential", {"credential": "cred:ged"})
    rows = result.to_dicts()
    assert [r["roleLabel"] for r in rows] == ["Radiology Assistant", "Radiology Imaging Procedure Assistant"]
    assert all(list(r) == list(result.vars) for r in rows)
    assert rows[0]["role"] == "https://w3id.org/radgraph/id/role/radiology-assistant"
    assert all(type(v) in (str, int) for r in rows for v in r.values())
    assert result.to_dicts(terms=True)[0]["role"] == URIRef(rows[0]["role"])


def test_to_dicts_converts_typed_literals_and_keeps_unbound_cells():
    result = sparql.QueryResult("SELECT", ("n", "d", "x", "b"),
                                [(Literal(24), Literal("2026-11-26", datatype=XSD.date), None, BNode("b1"))])
    import datetime

    assert result.to_dicts() == [{"n": 24, "d": datetime.date(2026, 11, 26), "x": None, "b": "_:b1"}]


def test_to_dicts_of_a_construct_is_its_triples_sorted(shipped_graph):
    result = sparql.run_query(shipped_graph, "construct-schema-org")
    rows = result.to_dicts()
    assert len(rows) == len(result.graph) > 0
    assert {(r["subject"], r["predicate"], r["object"]) for r in rows} == {
        tuple(sparql.results._python_value(x) for x in t) for t in result.graph}


def test_to_dicts_of_an_ask_says_to_read_boolean():
    with pytest.raises(UsageError, match=r"read its \.boolean"):
        sparql.QueryResult("ASK", boolean=True).to_dicts()


def test_to_dataframe_without_pandas_says_how_to_get_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(RadGraphError) as info:
        sparql.QueryResult("SELECT", ("n",), [(Literal(1),)]).to_dataframe()
    assert str(info.value) == "to_dataframe needs pandas, which radgraph does not install: pip install pandas"


def test_to_dataframe_hands_pandas_the_rows_and_every_column(monkeypatch):
    """pandas is no dependency (not even of the tests): a stand-in records what it is given."""
    import sys
    import types

    calls = []

    class DataFrame:
        @classmethod
        def from_records(cls, records, columns):
            calls.append((records, columns))
            return "frame"

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    empty = sparql.QueryResult("SELECT", ("role", "label"), [])
    assert empty.to_dataframe() == "frame"
    assert calls == [([], ["role", "label"])]  # no rows, and still the columns
    sparql.QueryResult("SELECT", ("n",), [(Literal(3),)]).to_dataframe()
    assert calls[-1] == ([{"n": 3}], ["n"])

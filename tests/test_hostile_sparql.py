"""SPARQL under attack, through the CLI: parameter values cannot change a query, updates and outside data are
refused, and a remote endpoint that misbehaves ends in one line, exit 1, in bounded time.

tests/test_sparql.py checks the library (one hostile value, the property that any text binds as itself);
these go through ``radgraph query`` and ``radgraph push`` as a user would, one hostile piece at a time.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable

import pytest
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from radgraph import sparql
from radgraph.namespaces import PREFIXES

from .hostile import assert_clean, assert_error, invoke

#: Pieces of text that end a string, a group, a line or an IRI in SPARQL, or open a new clause.
PIECES = [
    '"', "'", '"""', "'''", "}", "{", "#", "\n", "\r\n", "<", ">", " ", "\\", "\\u0022", "\\\"", "?s", "$s", ".", ";",
    ",", "|", "^^", "@en", "( ", "UNION", "} UNION { ?s ?p ?o } #", '" . } DROP ALL ; #', "x\" } ; INSERT DATA { <a:b> <a:c> <a:d> } #",
    '"x"@en } UNION { ?s ?p ?o', '"x" } #', "<urn:a> } UNION { ?s ?p ?o } #", "rg:Role } UNION { ?s ?p ?o",
]
PIECE_IDS = [repr(p)[1:-1][:24] for p in PIECES]

SKOS = "http://www.w3.org/2004/02/skos/core#"
LABELS = [URIRef(SKOS + "prefLabel"), URIRef(SKOS + "altLabel"), URIRef(SKOS + "notation"),
          URIRef("http://www.w3.org/2000/01/rdf-schema#label")]
RG = PREFIXES["rg"]


def expected_find(graph, text: str) -> set[tuple[str, str]]:
    """What the shipped ``find`` query must answer, computed without SPARQL: (node, matched name)."""
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    out = set()
    for prop in LABELS:
        for node, name in graph.subject_objects(prop):
            if text.lower() in str(name).lower() and any(str(c).startswith(RG) for c in graph.objects(node, rdf_type)):
                out.add((str(node), str(name)))
    return out


@pytest.mark.parametrize("piece", PIECES, ids=PIECE_IDS)
def test_param_value_is_one_literal_on_the_embedded_graph(shipped_graph, piece):
    value = f"radiolog{piece}"
    term = sparql.parse_value(value)
    assert isinstance(term, Literal)
    result = invoke("query", "find", "-p", f"text={value}", "--format", "json")
    assert_clean(result)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert {(r["node"]["value"], r["matched"]["value"]) for r in rows} == expected_find(shipped_graph, str(term))


@pytest.mark.parametrize("piece", PIECES, ids=PIECE_IDS)
def test_param_value_reaches_an_endpoint_as_one_values_row(scripted_server, piece):
    value = f"radiolog{piece}"
    result = invoke("query", "find", "-p", f"text={value}", "--endpoint", scripted_server.url)
    assert result.exit_code == 0, result.output
    (request,) = scripted_server.requests
    (sent,) = urllib.parse.parse_qs(request.body.decode())["query"]
    bound = parseQuery(sent)
    inline = bound[1]["where"]["part"].pop(0)
    assert inline.name == "InlineData" and [str(v) for v in inline["var"]] == ["text"]
    assert [str(t["string"]) for t in inline["value"][0]] == [str(sparql.parse_value(value))]
    assert repr(bound) == repr(parseQuery(sparql.load_query("find").text))  # nothing else changed


@pytest.mark.parametrize("piece", PIECES, ids=PIECE_IDS)
def test_iri_param_with_a_hostile_piece_is_refused_before_any_request(scripted_server, piece):
    bad = set(' <>"{}|^`\\\n\r')
    for value, inside in ((f"<urn:x{piece}>", piece), (f"role:x{piece}", piece.rstrip())):  # values are stripped
        sent = len(scripted_server.requests)
        result = invoke("query", "role-duties", "-p", f"role={value}", "--endpoint", scripted_server.url)
        if set(inside) & bad:
            assert_error(result, 2, "parameter 'role': ")
            assert len(scripted_server.requests) == sent  # refused before anything is sent
        else:  # only pieces an IRI may hold, e.g. "." or ","
            assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", ["text }", "te xt", "?text", "text#", "text\n", "'text'", "a" * 10_000],
                         ids=["brace", "space", "question", "hash", "newline", "quoted", "long"])
def test_hostile_param_name_is_refused(scripted_server, name):
    result = invoke("query", "-e", "SELECT ?text WHERE { ?s ?p ?text } LIMIT 1", "-p", f"{name}=x",
                    "--endpoint", scripted_server.url)
    if name == "text\n":  # names are stripped, as typed: this is ?text
        assert result.exit_code == 0, result.output
        return
    assert_error(result, 2, "no variable")
    assert scripted_server.requests == []


# ------------------------------------------------------------------ updates: refused (there is no switch to allow them)

UPDATES = {
    "INSERT DATA": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA": "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "LOAD": "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR": "CLEAR ALL",
    "DROP": "DROP GRAPH <urn:g>",
    "after a comment": "# just a question { SELECT }\nINSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "lower case": "delete where { ?s ?p ?o }",
    "mixed case, silent": "dRoP sIlEnT aLl",
    "after a prefix": "PREFIX ex: <urn:ex:>\nclear default",
    "two operations": "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; DROP ALL",
    "with WITH": "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "ADD": "ADD DEFAULT TO <urn:g>",
    "MOVE": "MOVE DEFAULT TO <urn:g>",
    "CREATE": "CREATE GRAPH <urn:g>",
}


@pytest.mark.parametrize("name", sorted(UPDATES))
@pytest.mark.parametrize("where", ["embedded", "endpoint", "file"])
def test_update_is_refused(tmp_path, scripted_server, name, where):
    text = UPDATES[name]
    if where == "file":
        path = tmp_path / "innocent.rq"
        path.write_text(f"# summary: looks like a question\n{text}\n")
        args = ["query", str(path)]
    else:
        args = ["query", "-e", text] + (["--endpoint", scripted_server.url] if where == "endpoint" else [])
    assert_error(invoke(*args), 2, "refused: this is a SPARQL update")
    assert scripted_server.requests == []  # refused before anything is sent


@pytest.mark.parametrize("text", ["SELECT * WHERE { ?s ?p ?o } ; CLEAR ALL", "ASK {} DROP ALL",
                                  "SELECT * WHERE { ?s ?p ?o } # }\nINSERT DATA { <urn:a> <urn:b> <urn:c> }"])
def test_update_after_a_query_is_not_run(scripted_server, text):
    result = invoke("query", "-e", text, "--endpoint", scripted_server.url)
    assert_error(result, 2, "not a SPARQL query")
    assert scripted_server.requests == []


def test_there_is_no_switch_to_allow_updates():
    for option in ("--allow-update", "--update", "--write"):
        assert_error(invoke("query", "-e", UPDATES["DROP"], option), 2, "No such option")
    assert "refused" in invoke("query", "--help").stdout


# ------------------------------------------------------------------ outside data: not fetched by the embedded engine


@pytest.mark.parametrize("template", [
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s a rg:Role . FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "DESCRIBE <urn:x> FROM <{url}>",
], ids=["FROM", "FROM NAMED", "SERVICE", "SERVICE in EXISTS", "SERVICE in a subquery", "CONSTRUCT FROM", "DESCRIBE FROM"])
def test_embedded_query_does_not_reach_out(tmp_path, scripted_server, template):
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:secret> <urn:is> "the secret" .\n')
    for url in (scripted_server.url, secret.as_uri()):
        result = invoke("query", "-e", template.format(url=url))
        assert_error(result, 2, "names data outside the embedded graph")
        assert "the secret" not in result.output
    assert scripted_server.requests == []


# ------------------------------------------------------------------ endpoints that misbehave


class RawServer:
    """A TCP server on 127.0.0.1 that hands each connection to ``handler(conn, stop)``."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.stop = threading.Event()
        self.handler: Callable[[socket.socket, threading.Event], None] = lambda conn, stop: None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/query"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                got = conn.recv(65536)
                if not got:
                    return
                data += got
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            while len(body) < length and (got := conn.recv(1 << 20)):  # read the whole request first
                body += got
            self.handler(conn, self.stop)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def raw_server():
    server = RawServer()
    try:
        yield server
    finally:
        server.close()


RESULTS = b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "urn:a"}}]}}'
JSON_HEADERS = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"


def trickle(data: bytes, every: float = 0.1):
    def handler(conn, stop):
        for i in range(len(data)):
            if stop.is_set():
                return
            conn.sendall(data[i:i + 1])
            time.sleep(every)
        while not stop.is_set():
            conn.sendall(b" ")
            time.sleep(every)
    return handler


def endless(conn, stop):
    conn.sendall(JSON_HEADERS + b"\r\n" + b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
    row = b'{"x": {"type": "literal", "value": "' + b"a" * 1000 + b'"}},' * 64
    while not stop.is_set():
        conn.sendall(row)


def send(data: bytes):
    return lambda conn, stop: conn.sendall(data)


def http(body: bytes, content_type: str = "application/sparql-results+json", status: str = "200 OK"):
    """A whole, well-formed HTTP answer."""
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return send(head.encode() + body)


def redirect(to: str):
    return send(f"HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\n\r\n".encode())


def slow_body(conn, stop):
    conn.sendall(JSON_HEADERS + b"Content-Length: 100000\r\n\r\n")
    trickle(b"{")(conn, stop)


MISBEHAVING = {
    "slow: headers one byte at a time": (trickle(JSON_HEADERS + b"Content-Length: 10000\r\n\r\n"), "did not answer within"),
    "slow: body one byte at a time": (slow_body, "did not answer within"),
    "slow: never answers": (lambda conn, stop: stop.wait(30), "did not answer within"),
    "truncated: shorter than its Content-Length": (
        send(JSON_HEADERS + b"Content-Length: %d\r\n\r\n" % (len(RESULTS) + 50) + RESULTS), "IncompleteRead"),
    "truncated: chunked, last chunk missing": (
        send(JSON_HEADERS + b"Transfer-Encoding: chunked\r\n\r\n%x\r\n" % len(RESULTS) + RESULTS + b"\r\n"),
        "IncompleteRead"),
    "truncated: closed in the headers": (send(b"HTTP/1.1 200 OK\r\nContent-Ty"), "did not answer with"),
    "not HTTP": (send(b"SSH-2.0-OpenSSH_9.6\r\n\x00\x01\x02"), "did not answer with HTTP"),
    "empty answer": (send(b""), "did not answer with HTTP"),
    "not SPARQL: HTML": (http(b"<html></html>", "text/html"),
                         "did not answer with SPARQL results (Content-Type: text/html)"),
    "not SPARQL: other JSON": (http(b'{"status": "ok"}'), "did not answer with SPARQL results JSON"),
    "not SPARQL: bad XML results": (http(b"<oops>", "application/sparql-results+xml"),
                                    "did not answer with valid SPARQL results XML"),
    "not SPARQL: ASK for a SELECT": (http(b'{"head": {}, "boolean": true}'), "answered a SELECT query with ASK results"),
    "not SPARQL: odd term": (http(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": 7}}]}}'),
                             "did not answer with SPARQL results JSON"),
    "HTTP 500 with a huge body": (http(b"stack trace line\n" * 60000, "text/plain", "500 Internal Server Error"),
                                  "HTTP 500 Internal Server Error: stack trace line"),
    "HTTP 503": (http(b"", "text/plain", "503 Service Unavailable"), "HTTP 503"),
    "redirect to a file": (redirect("file:///etc/passwd"), "HTTP 302"),
    "redirect loop": (None, "HTTP 302"),  # to itself: filled in by the test
    "huge: an endless answer": (endless, "more than 32 MB"),
}


#: push reads no results: any answer with a whole 2xx status line is the store's yes.
PUSH_CASES = [c for c in sorted(MISBEHAVING) if not c.startswith("not SPARQL") and c != "truncated: closed in the headers"]


@pytest.mark.parametrize(("command", "case"), [("query", c) for c in sorted(MISBEHAVING)] + [("push", c) for c in PUSH_CASES])
def test_misbehaving_endpoint_one_line_exit_1_in_bounded_time(raw_server, case, command):
    handler, words = MISBEHAVING[case]
    raw_server.handler = handler or redirect(raw_server.url)
    # a slow server is waited for until the timeout: half a second shows that as well as two
    timeout = "0.5" if case.startswith("slow") else "2"
    if command == "push":
        args = ["push", "--endpoint", raw_server.url, "--timeout", timeout]
    else:
        args = ["query", "caveats", "--endpoint", raw_server.url, "--timeout", timeout]
    start = time.monotonic()
    result = invoke(*args)
    elapsed = time.monotonic() - start
    assert_error(result, 1, words)
    assert result.stdout == ""
    assert elapsed < 10, elapsed


def test_the_whole_exchange_is_bounded_not_each_wait(raw_server):
    """A server sending a byte every 0.1 s never lets a socket timeout of 1 s fire; the exchange still ends."""
    raw_server.handler = slow_body
    start = time.monotonic()
    assert_error(invoke("query", "caveats", "--endpoint", raw_server.url, "--timeout", "1"), 1,
                 "did not answer within 1 seconds")
    assert time.monotonic() - start < 4


def test_push_to_a_closed_port_exits_1(refused_endpoint):
    start = time.monotonic()
    assert_error(invoke("push", "--endpoint", refused_endpoint, "--timeout", "2"), 1, "connection refused")
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("seconds", ["nan", "NaN", "inf", "-inf", "1e309", "99999999999", "0", "-1", "", "ten"])
@pytest.mark.parametrize("command", ["query", "push"])
def test_timeout_that_is_not_a_sane_number_of_seconds_is_bad_usage(refused_endpoint, command, seconds):
    args = ["query", "caveats"] if command == "query" else ["push"]
    assert_error(invoke(*args, "--endpoint", refused_endpoint, "--timeout", seconds), 2, "Invalid value for '--timeout'")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/\u00e9", "http://\u00fcn\u00ef.invalid/query", "http://[::1/query",
                                 "http://127.0.0.1:99999/query", "http://127.0.0.1:abc/query", "http://127.0.0.1:9/a b",
                                 "file:///etc/passwd", "gopher://127.0.0.1:9/", "http:///query", "//127.0.0.1:9/query"],
                         ids=["accent in path", "accents in host", "broken IPv6", "port too big", "port not a number",
                              "space", "file", "gopher", "no host", "no scheme"])
@pytest.mark.parametrize("option", ["query --endpoint", "push --endpoint", "push --store"])
def test_url_that_cannot_be_asked_is_bad_usage(url, option):
    command, flag = option.split()
    args = ["query", "caveats", flag, url] if command == "query" else \
        ["push", "--endpoint", url if flag == "--endpoint" else "http://127.0.0.1:9/query", *([flag, url] if flag == "--store" else [])]
    start = time.monotonic()
    assert_error(invoke(*args), 2, "URL")
    assert time.monotonic() - start < 10


# ------------------------------------------------------------------ what a server sends is never followed (issue 18)

CONSTRUCT = ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }"]


def test_jsonld_answer_naming_a_remote_context_fetches_nothing(raw_server, scripted_server):
    """rdflib's JSON-LD parser fetches the URL an @context names: a server could make radgraph call anywhere."""
    doc = json.dumps({"@context": scripted_server.url.replace("/query", "/context.jsonld"),
                      "@id": "urn:a", "urn:p": "x"}).encode()
    raw_server.handler = http(doc, "application/ld+json")
    result = invoke(*CONSTRUCT, "--endpoint", raw_server.url, "--timeout", "5")
    assert_error(result, 1, "did not answer with RDF (Content-Type: application/ld+json)")
    assert scripted_server.requests == []  # nothing fetched


def test_jsonld_answer_naming_a_local_file_reads_nothing(raw_server, tmp_path):
    secret = tmp_path / "secret.jsonld"
    secret.write_text(json.dumps({"@context": {"name": "urn:the-secret-context#name"}}))
    doc = json.dumps({"@context": secret.as_uri(), "@id": "urn:a", "name": "x"}).encode()
    raw_server.handler = http(doc, "application/ld+json")
    result = invoke(*CONSTRUCT, "--endpoint", raw_server.url, "--timeout", "5")
    assert_error(result, 1, "did not answer with RDF")
    assert "the-secret-context" not in result.output


LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "' + b"ha" * 50 + b'">\n'
          + b"".join(b'<!ENTITY %c "%s">\n' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(8))
          + b"]>\n")


def test_rdfxml_answer_with_entities_is_not_read(raw_server):
    body = LAUGHS + (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                     b'<rdf:Description rdf:about="urn:a"><p xmlns="urn:">&i;</p></rdf:Description></rdf:RDF>')
    raw_server.handler = http(body, "application/rdf+xml")
    start = time.monotonic()
    result = invoke(*CONSTRUCT, "--endpoint", raw_server.url, "--timeout", "2")
    assert_error(result, 1, "did not answer with RDF (Content-Type: application/rdf+xml)")
    assert time.monotonic() - start < 10


def test_results_xml_with_a_dtd_is_not_read(raw_server, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    body = (b'<?xml version="1.0"?>\n<!DOCTYPE sparql [<!ENTITY word "expanded-entity">'
            b'<!ENTITY file SYSTEM "' + secret.as_uri().encode() + b'">]>\n'
            b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head>'
            b'<results><result><binding name="x"><literal>&word;</literal></binding></result></results></sparql>')
    raw_server.handler = http(body, "application/sparql-results+xml")
    result = invoke("query", "-e", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", raw_server.url, "--timeout", "5")
    assert_error(result, 1, "declares a DTD or entities")
    assert "expanded-entity" not in result.output and "the secret" not in result.output


def test_reading_the_answer_counts_in_the_timeout(raw_server):
    """A Turtle answer of 2.6 MB takes rdflib seconds to read: --timeout bounds that too, not only the transfer."""
    body = "".join(f'<urn:s{i}> <urn:p> "value number {i}" .\n' for i in range(60_000)).encode()
    raw_server.handler = http(body, "text/turtle")
    start = time.monotonic()
    result = invoke(*CONSTRUCT, "--endpoint", raw_server.url, "--timeout", "1")
    assert_error(result, 1, "did not answer within 1 seconds")
    assert time.monotonic() - start < 3.5


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect",
                                    "308 Permanent Redirect"])
@pytest.mark.parametrize("command", ["query", "push", "path"])
def test_redirect_to_another_origin_is_not_followed(raw_server, scripted_server, status, command):
    """urllib follows a 30x to any host or port (turning the POST into a GET): a server could aim radgraph anywhere."""
    raw_server.handler = send(f"HTTP/1.1 {status}\r\nLocation: {scripted_server.url}\r\nContent-Length: 0\r\n\r\n"
                              .encode())
    args = {"query": ["query", "caveats", "--endpoint", raw_server.url],
            "push": ["push", "--endpoint", raw_server.url, "--store", raw_server.url],
            "path": ["path", "none", "rt", "--endpoint", raw_server.url]}[command]
    result = invoke(*args, "--timeout", "5")
    line = assert_error(result, 1, f"HTTP {status.split()[0]}", "redirect", "does not follow")
    assert scripted_server.url in line
    assert scripted_server.requests == []


def test_deeply_nested_json_answer_is_one_line(raw_server):
    raw_server.handler = http(b'{"head": {"vars": ["x"]}, "results": {"bindings": ' + b"[" * 200_000
                              + b"]" * 200_000 + b"}}")
    result = invoke("query", "caveats", "--endpoint", raw_server.url, "--timeout", "5")
    assert_error(result, 1, "nested too deeply")


@pytest.mark.parametrize("value", ["-50", '"1e308"^^<http://www.w3.org/2001/XMLSchema#double>',
                                   '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>'])
def test_length_no_sum_can_take_from_a_server_is_one_line(scripted_server, value):
    """A server's data is not validated: a negative, huge or NaN length must not reach the planner's sums."""
    from radgraph.datafiles import shipped_files

    body = "\n".join(p.read_text() for p in shipped_files())
    for cred in ("high-school-diploma", "arrt-certification"):
        body += f"\n<https://w3id.org/radgraph/id/credential/{cred}> <{RG}durationMonths> {value} .\n"
    scripted_server.answer(200, "text/turtle", body)
    for fmt in ("text", "json"):
        result = invoke("path", "none", "rt", "--endpoint", scripted_server.url, "--format", fmt)
        assert_error(result, 1, "holds data radgraph cannot plan on", "rg:durationMonths", "is not a number of months")

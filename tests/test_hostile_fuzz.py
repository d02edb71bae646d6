"""CLI fuzzing: random strings, numbers and option combinations for every command.

Whatever the arguments: the exit code is 0, 1, 2 or 3; nothing escapes as an exception or a traceback; a
failure ends in an ``Error: ...`` line (or an ASK's ``false``); and ``--format json`` that exits 0 prints
valid JSON. 300 examples in all. Nothing leaves 127.0.0.1: an endpoint is a closed port there, or text
that is not an http(s) URL.
"""

from __future__ import annotations

import json
import socket

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from radgraph import sparql
from radgraph.cache import load_model

from .conftest import FIXTURES
from .hostile import assert_clean, invoke

MODEL = load_model()
ROLE_NAMES = sorted({n for r in MODEL.roles.values() for n in r.names} | {"none", "NONE"})
CRED_NAMES = sorted({c.label for c in MODEL.credentials.values()})
QUERY_NAMES = sparql.query_names()
BAD_FILES = sorted(str(p) for p in (FIXTURES / "bad").glob("*.ttl"))

#: Text a user, a script or an attacker might type, besides plain random text.
INTERESTING = [
    "", " ", "-", "--", "--help", "-h", "--format", "json", "none", "\x00", "\n", "\r\n", "\x1b[2J", "\u202e", "\ufeff",
    "\udcff", "\ud800", "ＲＴ", "e\u0301", "\U0001f600", "x" * 10_000, "' OR 1=1 --", '"} UNION { ?s ?p ?o } #',
    "role:radiologist", "<https://w3id.org/radgraph/id/role/radiologist>", "cred:ged", "file:///etc/passwd",
    "../../../etc/passwd", "/dev/zero", "NaN", "inf", "-0", "1e309", "0x10", "  12  ",
]

#: A port on 127.0.0.1 that is bound but not listening: connecting is refused at once.
CLOSED = socket.socket()
CLOSED.bind(("127.0.0.1", 0))
CLOSED_URL = f"http://127.0.0.1:{CLOSED.getsockname()[1]}"

text = st.one_of(st.text(max_size=30), st.sampled_from(INTERESTING),
                 st.integers(-10**12, 10**12).map(str), st.floats().map(str))
role = st.one_of(st.sampled_from(ROLE_NAMES), text)
cred = st.one_of(st.sampled_from(CRED_NAMES), text)
number = st.one_of(st.integers(-5, 60).map(str), st.floats().map(str), text)
fmt = st.one_of(st.sampled_from(["text", "json", "mermaid", "dot", "table", "csv", "tsv", "JSON"]), text)
#: Never an http(s) URL anywhere but the closed port: "x" + text has the scheme "x...".
url = st.one_of(st.builds(lambda path: f"{CLOSED_URL}/{path}", st.sampled_from(["query", "sparql", "store", "q?x=1"])),
                st.builds(lambda path: f"{CLOSED_URL}/{path}", text),  # the host stays 127.0.0.1
                text.map(lambda s: "x" + s))


def options(pairs: dict[str, st.SearchStrategy]) -> st.SearchStrategy[list[str]]:
    """Some of the options, each with a value, in any order, some repeated."""
    chosen = st.lists(st.sampled_from(sorted(pairs)), max_size=4)
    return chosen.flatmap(lambda names: st.tuples(*(pairs[n].map(lambda v, n=n: [n, v]) for n in names))).map(
        lambda groups: [x for g in groups for x in g])


global_options = options({"--data": st.one_of(st.sampled_from(BAD_FILES), text.map(lambda s: "/nonexistent/" + s)),
                          "--source": st.one_of(st.sampled_from(["all", "article"]), text)})


def check(args: list[str]) -> None:
    result = invoke(*args)
    assert_clean(result)
    if result.exit_code:
        ask_false = result.exit_code == 1 and result.stdout in ("false\n", '{\n  "head": {},\n  "boolean": false\n}\n')
        help_shown = result.exit_code == 2 and result.output.startswith("Usage: ")  # `radgraph` alone
        assert ask_false or help_shown or result.stderr.splitlines()[-1].startswith("Error: "), (
            args, result.output[-500:])
    formats = [b for a, b in zip(args, args[1:], strict=False) if a == "--format"]
    help_asked = result.stdout.startswith("Usage: ")  # --help or -h among the arguments: help, whatever else
    if result.exit_code == 0 and formats and formats[-1] == "json" and not help_asked:  # click keeps the last one
        json.loads(result.stdout)


def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@fuzz(20)
@given(g=global_options, rest=options({"--format": fmt}))
def test_roles(g, rest):
    check([*g, "roles", *rest])


@fuzz(40)
@given(g=global_options, name=role, rest=options({"--format": fmt}))
def test_show(g, name, rest):
    check([*g, "show", name, *rest])


@fuzz(35)
@given(name=role, rest=options({"--format": fmt, "--have": cred}))
def test_next(name, rest):
    check(["next", name, *rest])


@fuzz(50)
@given(a=role, b=role, rest=options({"--format": fmt, "--have": cred, "--alternatives": number,
                                    "--optimize": st.one_of(st.sampled_from(["known", "months", "steps"]), text)}))
@example(a="CT Technologist", b="--help", rest=["--format", "json"])  # help, not JSON: found by this fuzzer
def test_path(a, b, rest):
    check(["path", a, b, *rest])


@fuzz(30)
@given(g=global_options, files=st.lists(st.one_of(st.sampled_from(BAD_FILES), text.map(lambda s: "/nonexistent/" + s)),
                                        min_size=1, max_size=3))
def test_validate(g, files):
    check([*g, "validate", *files])


param = st.one_of(st.builds(lambda n, v: f"{n}={v}", st.sampled_from(["role", "credential", "text", "setting",
                                                                         "organization", "x"]), text), text)
expression = st.one_of(
    text,
    st.builds(lambda v: f"SELECT ?x WHERE {{ ?x a rg:Role }} ORDER BY ?x LIMIT {v}", text),
    st.builds(lambda v: f'ASK {{ ?x skos:prefLabel "{v}" }}', text),
    st.sampled_from(["DROP ALL", "insert data { <a:b> <a:c> <a:d> }", f"SELECT * WHERE {{ SERVICE <{CLOSED_URL}/x> {{ ?s ?p ?o }} }}",
                     "CONSTRUCT WHERE { ?s a rg:Role }", "DESCRIBE role:radiologist"]),
)


@fuzz(70)
@given(g=global_options,
       what=st.one_of(st.sampled_from(QUERY_NAMES).map(lambda n: [n]), text.map(lambda t: [t]),
                      expression.map(lambda e: ["-e", e]), st.just(["--list"]), st.just([])),
       rest=options({"-p": param, "--param": param, "--format": fmt, "--endpoint": url, "--timeout": number}))
def test_query(g, what, rest):
    check([*g, "query", *what, *rest])


@fuzz(25)
@given(endpoint=url, rest=options({"--store": url, "--graph": text, "--timeout": number}))
def test_push_only_to_a_closed_port(endpoint, rest):
    check(["push", "--endpoint", endpoint, *rest])


@fuzz(30)
@given(argv=st.lists(st.one_of(text, st.sampled_from(["roles", "show", "next", "path", "validate", "query", "push",
                                                        "--format", "json", "--have", "-p", "-e", "--data"])),
                     max_size=6))
def test_any_argv(argv):
    if any(a.lower().lstrip().startswith(("http:", "https:")) for a in argv):  # nothing leaves 127.0.0.1
        return
    check(argv)


SAME = """
import sys
from click.testing import CliRunner
from radgraph.cli import cli
for args in (["path", "none", "rt"], ["path", "none", "radiologist", "--format", "json"], ["next", "none"],
             ["query", "-e", "SELECT * WHERE { ?s a rg:Role ; ?p ?o . OPTIONAL { ?o ?q ?z } } ORDER BY ?s ?p ?o ?q ?z LIMIT 5",
              "--format", "csv"]):
    sys.stdout.write(CliRunner().invoke(cli, args).output)
"""


def test_same_input_same_output_whatever_the_hash_seed(tmp_path):
    """Sets iterate in another order in each process (hash randomisation): no answer may depend on it."""
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "RADGRAPH_CACHE_DIR": str(tmp_path / f"cache-{seed}")}
        out = subprocess.run([sys.executable, "-c", SAME], capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0 and out.stderr == "", out.stderr
        outs.add(out.stdout)
    assert len(outs) == 1


@pytest.fixture(scope="module", autouse=True)
def _close_port():
    yield
    CLOSED.close()


# ------------------------------------------------------------------ issue 18: hostile text, targets, timeouts, answers

HEAD_TTL = """@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ev: <https://w3id.org/radgraph/id/evidence/> .
@prefix src: <https://w3id.org/radgraph/id/source/> .
ev:x a rg:Evidence ; rg:inSource src:article ; rg:section "Mine" ; rg:quote "my own words" .
"""
#: Any character, control characters weighted in: refused at load (exit 2) or kept by every writer.
any_label = st.text(st.one_of(st.characters(exclude_categories=("Cs",)),
                              st.sampled_from(["\x1b", "\x00", "\r", "\x85", "\x9b", "\u2028", "\u202e", "\ufffe", "\t",
                                               "\n", "<", "&", '"', "\\"])), min_size=1, max_size=20)


def turtle_string(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text) + '"'


@fuzz(25)
@given(label=any_label, command=st.sampled_from([["roles"], ["show", "fuzzed"], ["export", "--format", "graphml"],
                                                  ["export", "--format", "nt"], ["next", "none"]]),
       validate=st.booleans())
def test_any_label_is_refused_or_kept(tmp_path_factory, label, command, validate):
    import xml.etree.ElementTree as ET

    from radgraph.triples import REFUSED_TEXT

    mine = tmp_path_factory.mktemp("label") / "mine.ttl"
    mine.write_text(HEAD_TTL + f"<https://w3id.org/radgraph/id/role/fuzzed> a rg:Role ; skos:prefLabel "
                               f"{turtle_string(label)} ; prov:wasDerivedFrom ev:x .\n")
    args = [*([] if validate else ["--no-validate"]), "--data", str(mine), *command]
    result = invoke(*args)
    assert_clean(result)
    if REFUSED_TEXT.search(label):
        assert result.exit_code == 2 and "control character" in result.stderr, result.output
        return
    assert result.exit_code in (0, 3), result.output  # 3: a label of spaces only is still one character
    if result.exit_code == 0 and command[-1] == "graphml":
        ET.fromstring(result.stdout.encode())
    if result.exit_code == 0 and command[0] in ("roles", "show", "next"):
        assert not any(c in result.stdout for c in "\x1b\x00\r\x85\x9b\u202e")


@fuzz(20)
@given(kind=st.sampled_from(["fifo", "link to a device", "regular", "missing folder", "folder"]),
       fmt=st.sampled_from(["ttl", "nt", "graphml", "mermaid", "cyjs"]))
def test_export_to_any_target(tmp_path_factory, kind, fmt):
    import os
    import stat
    import tempfile

    folder = tmp_path_factory.mktemp("target")
    target = folder / "out"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "link to a device":
        target.symlink_to("/dev/null")
        with pytest.MonkeyPatch.context() as m:  # whatever happens, nothing may write through the link
            m.setattr(tempfile, "mkstemp", lambda *a, **k: (_ for _ in ()).throw(AssertionError("wrote")))
            result = invoke("export", "--format", fmt, "-o", str(target))
        assert result.exit_code == 2 and "not a regular file" in result.stderr
        return
    elif kind == "folder":
        target.mkdir()
    elif kind == "missing folder":
        target = folder / "missing" / "out"
    result = invoke("export", "--format", fmt, "-o", str(target))
    assert_clean(result)
    if kind == "regular":
        assert result.exit_code == 0 and target.stat().st_size > 0
    else:
        assert result.exit_code == 2 and result.stderr.startswith("Error: ")
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(target).st_mode)


@fuzz(20)
@given(seconds=number)
def test_path_timeout_any_number(seconds):
    check(["path", "none", "rt", "--endpoint", f"{CLOSED_URL}/query", "--timeout", seconds])


@fuzz(40)
@given(content_type=st.sampled_from(["application/sparql-results+json", "application/sparql-results+xml",
                                     "text/turtle", "application/n-triples", "application/ld+json",
                                     "application/rdf+xml", "text/html", ""]),
       body=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                      st.sampled_from([b"[" * 5000, b'{"@context": "file:///etc/passwd"}',
                                       b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
                                       b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": '
                                       b'{"type": "literal", "value": "\\u001b[2J"}}]}}'])),
       what=st.sampled_from([["query", "caveats"], ["query", "-e", "CONSTRUCT WHERE { ?s ?p ?o }"],
                             ["path", "none", "rt"]]))
def test_any_server_answer(fuzz_server, content_type, body, what):
    fuzz_server.answer(200, content_type, body)
    result = invoke(*what, "--endpoint", fuzz_server.url, "--timeout", "5")
    assert_clean(result)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code:
        assert result.stderr.splitlines()[-1].startswith("Error: "), result.output
    if what[0] == "query" and what[1] == "caveats":
        assert "\x1b" not in result.stdout  # a table: escaped


@pytest.fixture(scope="module")
def fuzz_server():
    """The scripted server of conftest, once for all examples (hypothesis runs a test many times)."""
    import http.server
    import threading

    from .conftest import ScriptedServer

    state = ScriptedServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            self.send_response(state.status)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/query"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

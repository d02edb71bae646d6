"""Hostile places to write and hostile text to write (issue 18): output targets that are not regular files, a full
disk and a closed stdout; writers that must stay well-formed for every character the shapes allow; terminal
escapes in text for people.

Nothing here writes to a device: a test that names ``/dev/null`` as ``-o`` first makes every way of writing a file
(``tempfile.mkstemp``, ``os.replace``) fail loudly, so even a broken radgraph run as root cannot replace it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .hostile import assert_error, invoke

RADGRAPH = [sys.executable, "-m", "radgraph"]


# ------------------------------------------------------------------ output targets that are not regular files


@pytest.fixture
def no_file_writes(monkeypatch):
    """Any attempt to create or rename a file fails the test (and writes nothing)."""
    attempts: list[str] = []

    def refuse(name):
        def fail(*args, **kwargs):
            attempts.append(f"{name}{args!r}")
            raise AssertionError(f"{name} called: radgraph tried to write the target")
        return fail

    monkeypatch.setattr(tempfile, "mkstemp", refuse("tempfile.mkstemp"))
    monkeypatch.setattr(os, "replace", refuse("os.replace"))
    return attempts


@pytest.mark.parametrize("fmt", ["ttl", "svg", "html"])
def test_export_to_a_device_is_refused_not_replaced(no_file_writes, fmt):
    before = os.stat("/dev/null")
    result = invoke("export", "--format", fmt, "-o", "/dev/null")
    assert_error(result, 2, "/dev/null: not a regular file (a device)")
    assert no_file_writes == []
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_export_through_a_link_to_a_device_is_refused(tmp_path, no_file_writes):
    link = tmp_path / "out.ttl"
    link.symlink_to("/dev/null")
    assert_error(invoke("export", "--format", "ttl", "-o", str(link)), 2, "not a regular file (a device)")
    assert no_file_writes == [] and link.is_symlink()


def test_export_to_a_fifo_is_refused_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_error(invoke("export", "--format", "nt", "-o", str(fifo)), 2, "not a regular file (a FIFO)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left behind


def test_export_to_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert_error(invoke("export", "--format", "ttl", "-o", str(path)), 2, "not a regular file (a socket)")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


def test_library_write_refuses_a_fifo_too(tmp_path):
    from radgraph.errors import UsageError
    from radgraph.export import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        write_atomic(fifo, "text")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def run_shell(redirect: str, *args: str) -> subprocess.CompletedProcess:
    """``radgraph ARGS REDIRECT`` in a shell, as a user types it."""
    return subprocess.run(["sh", "-c", f'"$@" {redirect}', "sh", *RADGRAPH, *args], capture_output=True, text=True,
                          timeout=120)


COMMANDS = [["roles"], ["show", "rt"], ["path", "none", "rt", "--format", "json"], ["next", "none"],
            ["export", "--format", "ttl"], ["export", "--roles-only", "--format", "png"], ["query", "caveats"],
            ["validate"]]
IDS = [" ".join(c[:3]) for c in COMMANDS]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full (a device where every write fails: disk full)")
@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_full_disk_behind_a_redirect_exits_1(args):
    out = run_shell("> /dev/full", *args)
    assert out.returncode == 1, (out.returncode, out.stderr[-500:])
    assert out.stderr.splitlines() == ["Error: cannot write the output: No space left on device"], out.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_closed_stdout_exits_1_with_a_message(args):
    out = run_shell(">&-", *args)
    assert out.returncode == 1, (out.returncode, out.stderr[-500:])
    assert out.stderr.splitlines() == ["Error: cannot write the output: stdout is closed"], out.stderr


def test_closed_stdout_does_not_stop_an_export_to_a_file(tmp_path):
    target = tmp_path / "g.ttl"
    out = run_shell(">&-", "export", "--format", "ttl", "-o", str(target))
    assert out.returncode == 0 and out.stderr == "", out.stderr
    assert target.read_text().startswith("@prefix")


# ------------------------------------------------------------------ writers keep every character the shapes allow

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from radgraph.triples import REFUSED_TEXT  # noqa: E402

#: What a label may hold: any character but a surrogate and those radgraph refuses at load.
allowed_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
    lambda t: not REFUSED_TEXT.search(t))
#: Characters that break writers that treat text carelessly, weighted in.
NASTY = ["\t", "\n", "\u2028", "\u2029", "\u202e", "\ufeff", "\u00a0", "&", "<", "]]>", '"', "'", "\\", "\\n",
         "\U0001f600", "e\u0301", "{{", "}", "#", "|", ";", "%"]
label = st.one_of(allowed_text, st.lists(st.sampled_from(NASTY), min_size=1, max_size=6).map("".join),
                  st.tuples(allowed_text, st.sampled_from(NASTY), allowed_text).map("".join))
examples = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RG = "https://w3id.org/radgraph/ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def small_graph(text: str):
    from rdflib import RDF, Graph, Literal, URIRef

    g = Graph()
    role = URIRef("https://w3id.org/radgraph/id/role/x")
    g.add((role, RDF.type, URIRef(RG + "Role")))
    g.add((role, URIRef(SKOS + "prefLabel"), Literal(text)))
    g.add((role, URIRef(SKOS + "altLabel"), Literal(text + "2", lang="en")))
    return g


@examples
@given(text=label)
def test_rdf_writers_round_trip_every_allowed_text(text):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from radgraph.export import generate_jsonld, generate_nt, generate_ttl

    g = small_graph(text)
    for fmt, generate in (("turtle", generate_ttl), ("nt", generate_nt), ("json-ld", generate_jsonld)):
        out = generate(g)
        back = Graph().parse(data=out, format=fmt)
        assert isomorphic(back, g), (fmt, out)
    nt = generate_nt(g)
    assert len(nt.split("\n")) == len(g) + 1  # one triple a line, whatever the literal holds


def small_view(text: str):
    import networkx as nx

    G = nx.DiGraph()
    G.add_node("role:x", label=text, kind="role", iri="https://w3id.org/radgraph/id/role/x")
    G.add_node("role:y", label="Y", kind="role")
    G.add_edge("role:x", "role:y", label=text)
    return G


@examples
@given(text=label)
def test_network_writers_round_trip_every_allowed_text(text):
    import io
    import json

    import networkx as nx

    from radgraph.export import generate_cyjs, generate_gexf, generate_graphml

    G = small_view(text)
    for name, back in (("graphml", nx.parse_graphml(generate_graphml(G))),
                       ("gexf", nx.read_gexf(io.BytesIO(generate_gexf(G).encode()), node_type=str))):
        assert back.nodes["role:x"]["label"] == text, name
        assert back.edges["role:x", "role:y"]["label"] == text, name
    cy = json.loads(generate_cyjs(G))
    assert cy["elements"]["nodes"][0]["data"]["label"] == text


@pytest.fixture(scope="module")
def dot():
    from radgraph.errors import RadGraphError
    from radgraph.export import dot_program

    try:
        return dot_program()
    except RadGraphError as exc:
        pytest.skip(str(exc))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=label)
def test_svg_is_well_formed_xml_for_every_allowed_text(dot, text):
    import xml.etree.ElementTree as ET

    from radgraph.export import generate_svg

    root = ET.fromstring(generate_svg(small_view(text)).encode())
    assert root.tag.endswith("svg")


ROLE_TTL = """@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ev: <https://w3id.org/radgraph/id/evidence/> .
@prefix src: <https://w3id.org/radgraph/id/source/> .
ev:x a rg:Evidence ; rg:inSource src:article ; rg:section "Mine" ; rg:quote "my own words" .
<https://w3id.org/radgraph/id/role/odd> a rg:Role ; skos:prefLabel "{label}" ; prov:wasDerivedFrom ev:x .
"""

#: Control characters (as Turtle writes them) that no writer could keep: refused at load, whichever command.
REFUSED = {"ESC": "\\u001b[2J", "NUL": "\\u0000", "BEL": "\\u0007", "CR": "\\r", "backspace": "\\b",
           "form feed": "\\f", "DEL": "\\u007f", "NEL (C1)": "\\u0085", "CSI (C1)": "\\u009b", "U+FFFE": "\\uFFFE",
           "raw ESC": "\x1b]0;title\x07"}


@pytest.mark.parametrize("name", sorted(REFUSED))
@pytest.mark.parametrize(("validate", "args"), [
    (v, a) for a in (["export", "--format", "graphml"], ["export", "--format", "nt"], ["roles"], ["validate"])
    for v in (True, False) if not (a == ["validate"] and not v)  # validate always validates (--no-validate: exit 2)
], ids=lambda x: {True: "validated", False: "--no-validate"}.get(x) if isinstance(x, bool) else "-".join(x))
def test_text_with_a_control_character_is_refused_at_load(tmp_path, name, validate, args):
    mine = tmp_path / "odd.ttl"
    mine.write_text(ROLE_TTL.format(label=f"Odd {REFUSED[name]} Role"))
    result = invoke(*([] if validate else ["--no-validate"]), "--data", str(mine), *args)
    assert_error(result, 2, "odd.ttl: ", "skos:prefLabel: text holds the control character U+")
    assert result.stdout == ""


def test_nt_export_keeps_a_literal_with_other_line_separators_on_its_line(tmp_path):
    """str.splitlines splits on U+2028, U+2029, U+001C-U+001E, U+0085: a literal holding one broke the file."""
    from rdflib import Graph

    mine = tmp_path / "odd.ttl"
    mine.write_text(ROLE_TTL.format(label="Line\\u2028separated\\u2029role"))
    result = invoke("--data", str(mine), "export", "--format", "nt")
    assert result.exit_code == 0, result.output
    back = Graph().parse(data=result.stdout, format="nt")
    assert "Line\u2028separated\u2029role" in {str(o) for o in back.objects()}


ODD_LABEL = "Tab\\there, new\\nline, \\u2028 \\u202e \\ufeff <&> \\\"q\\\" \\\\ \U0001f600"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "graphml", "gexf", "cyjs", "dot", "mermaid", "html"])
def test_text_to_a_pipe_is_the_file_written_with_o(tmp_path, monkeypatch, fmt):
    """A real process's stdout (a pipe, with the encoding Python gives it) against the file ``-o`` writes; the
    file does not depend on the process, so it is written in this one."""
    mine = tmp_path / "odd.ttl"
    mine.write_text(ROLE_TTL.format(label=ODD_LABEL))
    target = tmp_path / f"out.{fmt}"
    args = ["--data", str(mine), "export", "--format", fmt]
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    written = invoke(*args, "-o", str(target))  # first: the process then finds the file validated in the cache
    piped = subprocess.run([*RADGRAPH, *args], capture_output=True, timeout=300)
    assert piped.returncode == 0 and written.exit_code == 0, (piped.stderr, written.output)
    if fmt == "jsonld":  # rdflib's JSON-LD writer orders @graph differently run to run: the same graph
        from rdflib import Graph
        from rdflib.compare import isomorphic

        graphs = [Graph().parse(data=d, format="json-ld") for d in (piped.stdout, target.read_bytes())]
        assert isomorphic(*graphs)
    else:
        assert piped.stdout == target.read_bytes()


# ------------------------------------------------------------------ terminal escapes in text for people

EVIL = "Evil\x1b]0;pwned\x07\x1b[2J\r\x9b31m\u202eRole"
EVIL_SHOWN = "Evil\\x1b]0;pwned\\x07\\x1b[2J\\r\\x9b31m\\u202eRole"


@pytest.fixture
def evil_server(scripted_server):
    import json

    scripted_server.answer(200, "application/sparql-results+json", json.dumps(
        {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": EVIL}}]}}))
    return scripted_server


def test_server_text_in_a_table_is_escaped(evil_server):
    result = invoke("query", "caveats", "--endpoint", evil_server.url)
    assert result.exit_code == 0, result.output
    assert EVIL_SHOWN in result.stdout
    assert not any(c in result.stdout for c in "\x1b\x07\r\x9b\u202e")


def test_server_text_in_csv_to_a_pipe_is_the_data_itself(evil_server):
    """CSV, TSV and JSON are data: to a pipe or a file, the server's text as it is (W3C CSV has no escapes)."""
    result = invoke("query", "caveats", "--endpoint", evil_server.url, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == f'x\r\n"{EVIL}"\r\n'.encode()  # quoted: it holds a CR


def run_in_terminal(*args: str) -> str:
    """``radgraph ARGS`` with stdout a pseudo-terminal; what the terminal was sent."""
    import pty

    main_fd, sub_fd = pty.openpty()
    proc = subprocess.Popen([*RADGRAPH, *args], stdout=sub_fd, stderr=subprocess.PIPE)
    os.close(sub_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(main_fd)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_server_text_to_a_terminal_is_escaped_whatever_the_format(evil_server, fmt):
    shown = run_in_terminal("query", "caveats", "--endpoint", evil_server.url, "--format", fmt)
    assert not any(c in shown for c in "\x1b\x07\x9b\u202e"), repr(shown)


def test_bidi_override_in_a_label_is_escaped_in_text_but_kept_in_json(tmp_path):
    """U+202E (allowed in data: some scripts need bidi controls) reorders what a terminal line shows."""
    import json

    mine = tmp_path / "odd.ttl"
    mine.write_text(ROLE_TTL.format(label="Odd \\u202eeloR"))
    text = invoke("--data", str(mine), "show", "odd")
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("Odd \\u202eeloR") and "\u202e" not in text.stdout
    data = invoke("--data", str(mine), "show", "odd", "--format", "json")
    assert json.loads(data.stdout)["label"] == "Odd \u202eeloR"

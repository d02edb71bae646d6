"""Shared fixtures.

SPARQL servers for tests/test_sparql.py and tests/test_cli_query.py, all on
127.0.0.1 only: a real Oxigraph server, a small scripted HTTP server, a socket
that accepts and never answers, and a port where nothing listens.
"""

from __future__ import annotations

import gc
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import radgraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The source article is not part of the project (it may not be copied in); it sits in
#: shared/ beside the clone, as in CI, or where RADGRAPH_ARTICLE points.
ARTICLE = Path(os.environ.get("RADGRAPH_ARTICLE")
               or ROOT.parent / "shared" / "sources" / "radiology-careers-article.txt")

#: A test worker's heap grows to millions of objects (session graphs, models, hypothesis' data), and
#: CPython's full collection walks all of them: with the default thresholds (700, 10, 10) a worker made
#: about 100 of them, some 20 s of a 2.5-minute run. Collecting the youngest objects every 50,000
#: allocations instead of 700, a worker makes one or two full collections a run (two runs each, alternated:
#: the suite 8 % faster in wall time, 10 % less CPU). What is collected is unchanged; only when.
gc.set_threshold(50_000, 20, 20)


#: The start of a user's Turtle file in tests: prefixes, one evidence node (ex:ev) and its source.
USER_TTL_HEAD = """
@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix ex: <https://example.org/> .
ex:ev a rg:Evidence ; rg:inSource ex:src ; rg:section "Mine" ; rg:quote "my note" .
ex:src a rg:Source ; <http://www.w3.org/2000/01/rdf-schema#label> "my notes" .
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A model cache folder of the test's own."""
    d = tmp_path / "cache"
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(d))
    return d


def cache_entries(d: Path) -> list[Path]:
    return sorted(d.glob("model-*.json")) if d.exists() else []


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Every test run uses its own model cache, never the user's."""
    os.environ["RADGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def kg():
    return radgraph.load()


@pytest.fixture(scope="session")
def model(kg):
    return kg.model


@pytest.fixture(scope="session")
def article_model():
    """The article's facts alone (``--source article``)."""
    return radgraph.load(source="article").model


def article_missing() -> str | None:
    """Why the source article cannot be read (where to put it), or None when it can."""
    if ARTICLE.is_file():
        return None
    return (f"the source article is missing: {ARTICLE} (it is not shipped: put it in shared/sources/ beside "
            "the clone, or point RADGRAPH_ARTICLE at it)")


@pytest.fixture(scope="session")
def article_text() -> str:
    """The source article: skipped without it on a developer's machine, a failure in CI (CI=true), which has it."""
    missing = article_missing()
    if missing:
        if _in_ci():
            pytest.fail(missing)
        pytest.skip(missing)
    return ARTICLE.read_text(encoding="utf-8")


def _article_line() -> str:
    missing = article_missing()
    if missing is None:
        return f"source article: {ARTICLE}"
    return f"{missing}: the evidence test will {'FAIL (CI=true)' if _in_ci() else 'be SKIPPED'}"


def pytest_report_header(config):
    """Where the source article is, or why its test will skip: said at the start of the run."""
    return _article_line()


def pytest_sessionstart(session):
    """``pytest -q`` (make test) prints no header: say a missing article at the start all the same."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and session.config.option.verbose < 0 and article_missing():
        reporter.write_line(_article_line(), yellow=True)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` program the test extras install (next to this Python, or on PATH)."""
    here = str(Path(sys.executable).parent)
    return shutil.which("oxigraph", path=os.pathsep.join([here, os.environ.get("PATH", "")]))


#: Test modules whose tests must all run in CI: a skip there is a failure.
NO_SKIP_IN_CI = ("test_sparql.py", "test_cli_query.py", "test_export.py", "test_export_html.py", "test_path_remote.py")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _in_ci() and Path(str(item.fspath)).name in NO_SKIP_IN_CI:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where it must run: {report.longrepr}"


@pytest.fixture(scope="session")
def pyoxigraph():
    """The pyoxigraph module (test extras); skipped where it is missing, a failure in CI."""
    try:
        import pyoxigraph
    except ImportError:
        message = "pyoxigraph is missing: pip install -e '.[test]' installs it"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return pyoxigraph


@pytest.fixture(scope="session")
def shipped_graph():
    import radgraph

    return radgraph.load().graph


@pytest.fixture(scope="session")
def article_graph():
    """The article's facts alone (``--source article``), for answers written from the article."""
    import radgraph

    return radgraph.load(source="article").graph


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory):
    """A real Oxigraph server on a free 127.0.0.1 port; yields its query URL. Stopped at the end.

    Missing binary: skipped on a developer's machine, a failure in CI (CI=true).
    """
    yield from _serve_oxigraph(tmp_path_factory)


@pytest.fixture(scope="session")
def second_oxigraph_endpoint(tmp_path_factory):
    """Another real Oxigraph server, for tests that replace its whole graph (the shipped graph stays on
    ``oxigraph_endpoint``, which other tests read)."""
    yield from _serve_oxigraph(tmp_path_factory)


def _serve_oxigraph(tmp_path_factory):
    binary = oxigraph_binary()
    if binary is None:
        message = "the oxigraph binary is missing: pip install -e '.[test]' installs it"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    location = tmp_path_factory.mktemp("oxigraph")
    log = open(location / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    proc = None
    url = ""
    for _ in range(3):  # the port could be taken between picking and binding it
        port = _free_port()
        url = f"http://127.0.0.1:{port}/query"
        proc = subprocess.Popen(
            [binary, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        if _wait_until_answers(url, proc, seconds=30):
            break
        proc.kill()
        proc.wait(timeout=10)
        proc = None
    if proc is None:
        log.close()
        pytest.fail("oxigraph did not start: " + (location / "server.log").read_text(errors="replace")[-500:])
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _wait_until_answers(url: str, proc: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    body = b"query=ASK%20%7B%7D"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            request = urllib.request.Request(
                url, data=body, headers={"Accept": "application/sparql-results+json",
                                         "Content-Type": "application/x-www-form-urlencoded"},
            )
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def pushed_endpoint(oxigraph_endpoint, shipped_graph):
    """The Oxigraph server with the shipped graph in its default graph."""
    from radgraph.sparql import push

    push(shipped_graph, oxigraph_endpoint)
    return oxigraph_endpoint


# ------------------------------------------------------------------ scripted servers


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class ScriptedServer:
    """An HTTP server on 127.0.0.1 that answers every request with ``status``, ``content_type``, ``body``."""

    url: str = ""
    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    requests: list[Recorded] = field(default_factory=list)

    def answer(self, status: int, content_type: str, body: bytes | str) -> None:
        self.status, self.content_type = status, content_type
        self.body = body.encode() if isinstance(body, str) else body


@pytest.fixture
def scripted_server():
    state = ScriptedServer()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
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


@pytest.fixture
def silent_endpoint():
    """A query URL whose socket accepts connections (in the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    finally:
        sock.close()


@pytest.fixture
def refused_endpoint():
    """A query URL on a port that is bound (so nobody else takes it) but not listening."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/query"
    finally:
        sock.close()

"""`radgraph path --endpoint`: planning on a graph held by a real Oxigraph server."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from radgraph.cli import cli

MAIN = ["path", "Radiology Assistant", "Interventional Radiology Technologist"]


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def pushed(oxigraph_endpoint):
    result = run("push", "--endpoint", oxigraph_endpoint)
    assert result.exit_code == 0, result.output
    return oxigraph_endpoint


@pytest.mark.parametrize("extra", [[], ["--format", "json", "--alternatives", "3"], ["--have", "High School Diploma"]])
def test_remote_path_prints_what_local_prints(pushed, extra):
    local = run(*MAIN, *extra)
    remote = run(*MAIN, *extra, "--endpoint", pushed)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    if "json" in extra:
        assert len(json.loads(remote.stdout)["paths"]) == 3


def test_whole_fetch_carries_the_evidence_of_where_a_license_is_valid(pushed):
    # construct-planner left out rg:validIn, so the evidence about it was no credential's source remotely
    args = ["path", "none", "Radiologist", "--format", "json", "--alternatives", "2"]
    local = run(*args)
    assert "radiologist-license-places" in local.stdout
    assert run(*args, "--endpoint", pushed).stdout == local.stdout


def test_remote_fetch_is_smaller_than_the_graph(pushed, shipped_graph):
    from radgraph import sparql

    answer = sparql.run_remote(pushed, "construct-planner")
    assert 0 < len(answer.graph) < len(shipped_graph)


def test_unreachable_endpoint_is_one_line_exit_1():
    result = run(*MAIN, "--endpoint", "http://127.0.0.1:1/query", "--timeout", "2")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: cannot reach http://127.0.0.1:1/query: connection refused"


def test_endpoint_and_data_conflict(tmp_path):
    result = run("--data", str(tmp_path), *MAIN, "--endpoint", "http://127.0.0.1:1/query")
    assert result.exit_code == 2
    assert "cannot be combined with --endpoint" in result.stderr

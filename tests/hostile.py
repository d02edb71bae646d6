"""Helpers for the tests/test_hostile_*.py modules: run the CLI as a user would, check what they see."""

from __future__ import annotations

from click.testing import CliRunner, Result

from radgraph.cli import cli

#: The prefixes and one piece of evidence every user file below starts with.
HEAD = """@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix role: <https://w3id.org/radgraph/id/role/> .
@prefix cred: <https://w3id.org/radgraph/id/credential/> .
@prefix req: <https://w3id.org/radgraph/id/requirement/> .
@prefix ev: <https://w3id.org/radgraph/id/evidence/> .
@prefix src: <https://w3id.org/radgraph/id/source/> .
@prefix kind: <https://w3id.org/radgraph/id/kind/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
ev:x a rg:Evidence ; rg:inSource src:article ; rg:section "Mine" ; rg:quote "my own words" .
"""

#: Longest error line a user should see (radgraph.cli.common.one_line cuts at 400).
MAX_LINE = 400


def invoke(*args: str, env: dict | None = None) -> Result:
    """Run ``radgraph ARGS`` in-process; exceptions are caught, as the brief asks, and checked by the caller."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=True, env=env)


def assert_clean(result: Result) -> None:
    """What every run must give: a documented exit code, and no traceback or stray exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2, 3), result.exit_code
    assert "Traceback" not in result.output


def assert_error(result: Result, code: int, *words: str) -> str:
    """Exit ``code`` and one short ``Error: ...`` line, the last on stderr, holding ``words``; returns it."""
    assert_clean(result)
    assert result.exit_code == code, (result.exit_code, result.output[-1000:])
    lines = result.stderr.splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    line = errors[0]
    assert len(line) <= MAX_LINE + len("Error: "), len(line)
    assert line.isprintable(), repr(line)
    for word in words:
        assert word in line, (word, line)
    return line

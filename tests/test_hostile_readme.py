"""The README's "Exit codes and errors": every code in the table, and every example is what a real run prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from radgraph.cli import cli

from .hostile import HEAD

README = Path(__file__).resolve().parents[1] / "README.md"

#: The files the examples name, made in an empty folder before each runs.
FILES = {
    "my-roles.ttl": '@prefix role: <https://w3id.org/radgraph/id/role/> .\n'
                    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    'role:pacs-administrator skos:prefLabel "PACS Administrator" ;\n',
    "pacs.ttl": '@prefix rg: <https://w3id.org/radgraph/ns#> .\n'
                '@prefix role: <https://w3id.org/radgraph/id/role/> .\n'
                '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                'role:pacs-administrator a rg:Role ; skos:prefLabel "PACS Administrator", "PACS Admin" .\n',
    "night-roles.ttl": HEAD + """
role:night-reader a rg:Role ; skos:prefLabel "Night Reader" ; rg:requires req:night-reader ; prov:wasDerivedFrom ev:x .
role:day-reader a rg:Role ; skos:prefLabel "Day Reader" ; rg:requires req:day-reader ; prov:wasDerivedFrom ev:x .
req:night-reader a rg:RoleRequirement ; rg:role role:day-reader ; prov:wasDerivedFrom ev:x .
req:day-reader a rg:RoleRequirement ; rg:role role:night-reader ; prov:wasDerivedFrom ev:x .
""",
}


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Exit codes and errors")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def examples() -> list[tuple[str, int, str]]:
    """(command, exit code, what it prints) for each ``$ radgraph ...   # exit N`` line of the section."""
    out = []
    for block in re.findall(r"```console\n(.*?)```", section(), re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if not chunk.strip():
                continue
            first, _, shown = chunk.partition("\n")
            m = re.fullmatch(r"\$ (radgraph .*?)\s+# exit (\d)", first)
            assert m, first
            out.append((m.group(1), int(m.group(2)), shown))
    return out


def test_table_lists_every_exit_code():
    rows = re.findall(r"^\| (\d) \| ", section(), re.M)
    assert rows == ["0", "1", "2", "3"]
    assert {code for _, code, _ in examples()} == {1, 2, 3}


@pytest.mark.parametrize(("command", "code", "shown"), examples(), ids=[c[:60] for c, _, _ in examples()])
def test_example_prints_what_the_readme_shows(tmp_path, monkeypatch, refused_endpoint, command, code, shown):
    monkeypatch.chdir(tmp_path)
    for name, content in FILES.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    if "everything.ttl" in command:  # 17 MB: written only for the example that reads it
        with open(tmp_path / "everything.ttl", "w", encoding="utf-8") as f:
            f.write("@prefix ex: <https://example.org/> .\n")
            f.write('ex:s ex:p "' + "x" * (17 * 2**20) + '" .\n')
    port = refused_endpoint.split(":")[2].split("/")[0]
    args = shlex.split(command.replace("127.0.0.1:7878", f"127.0.0.1:{port}"))[1:]
    result = CliRunner().invoke(cli, args, prog_name="radgraph", catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert result.output == shown.replace("127.0.0.1:7878", f"127.0.0.1:{port}")

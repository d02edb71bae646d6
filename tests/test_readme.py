"""The README stays true: its examples run and print what it shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from radgraph.cli import cli

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:] if end < 0 else README[start:end]


def invoke(command: str):
    args = shlex.split(command)
    assert args[0] == "radgraph"
    return CliRunner().invoke(cli, args[1:])


def test_quick_start_console_block_is_real_output():
    blocks = re.findall(r"```console\n(.*?)```", section("Quick start"), re.S)
    assert blocks
    for block in blocks:
        first, *shown = block.splitlines()
        result = invoke(first.removeprefix("$ "))
        assert result.exit_code == 0
        assert result.stdout == "\n".join(shown) + "\n"


QUICK = [line.split("#")[0].strip() for line in re.findall(r"```sh\n(.*?)```", section("Quick start"), re.S)[0]
         .splitlines() if line.startswith("radgraph ")]


def test_quick_start_commands_found():
    assert len(QUICK) >= 5


@pytest.mark.parametrize("command", QUICK)
def test_quick_start_commands_work(command):
    result = invoke(command)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_library_example_runs(capsys):
    code = re.findall(r"```python\n(.*?)```", section("Library"), re.S)[0]
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "['Radiology Assistant', 'Radiologic Technologist', 'Interventional Radiology Technologist']" in out


def test_sources_query_shown_in_readme_works():
    line = next(x for x in section("Where the data comes from").splitlines() if "radgraph query -e" in x)
    command = re.search(r"`(radgraph query -e .*)`", line).group(1)
    result = invoke(command)
    assert result.exit_code == 0
    assert "ARRT: Primary Requirements" in result.stdout

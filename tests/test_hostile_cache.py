"""The compiled model cache, through the CLI: a damaged, stale or foreign entry is ignored and rebuilt, never
trusted, and processes racing to write it each leave a whole file.

tests/test_cache.py covers the library (load_model) for truncated, garbage, empty and foreign entries; these
run ``radgraph`` itself and add what it lacks: entries written by other code, a directory in an entry's place,
an interrupted write, a cache that cannot be written, and processes racing through the CLI.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from radgraph import cache
from radgraph.model import Model

from .conftest import cache_entries
from .hostile import HEAD, assert_clean, invoke

entries = cache_entries


def roles_output() -> str:
    result = invoke("roles")
    assert_clean(result)
    assert result.exit_code == 0 and result.stderr == "", result.output
    return result.stdout


class Gone:
    """Stands for a class an older radgraph had and this one does not."""


def signed(entry: Path, body: bytes, header: bytes | None = None) -> None:
    """Write ``body`` under the entry's own header, with a checksum that matches it: only the body is wrong."""
    head = header or entry.read_bytes().split(b"\n", 1)[0]
    entry.write_bytes(head.rsplit(b" ", 1)[0] + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def damage(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    key = entry.stem.split("-", 1)[1]
    head, body = data.split(b"\n", 1)
    if how == "truncated":
        entry.write_bytes(data[: len(data) // 3])
    elif how == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "a directory":
        entry.unlink()
        entry.mkdir()
        (entry / "x").write_text("x")
    elif how == "another key inside":
        entry.write_bytes(data.replace(key.encode(), b"0" * 64, 1))
    elif how == "not a model":
        signed(entry, b'{"roles": {}}')
    elif how == "a class that is gone":  # a class an older radgraph had and this one lacks
        signed(entry, body.replace(b'"@":"Role"', b'"@":"OldRole"'))
    elif how == "a class that is not the model's":
        signed(entry, body.replace(b'"@":"Ref"', b'"@":"Path"'))
    elif how == "a newer format":
        entry.write_bytes(head.replace(b" %d " % cache.FORMAT, b" 99 ", 1) + b"\n" + body)
    elif how == "tampered: a label changed":
        entry.write_bytes(head + b"\n" + body.replace(b"Radiologist", b"Astronaut"))
    elif how == "a pickle":
        entry.write_bytes(pickle.dumps((key, cache.load_model(use_cache=False))))


DAMAGE = ["truncated", "garbage", "empty", "a directory", "another key inside", "not a model",
          "a class that is gone", "a class that is not the model's", "a newer format", "tampered: a label changed",
          "a pickle"]


@pytest.mark.parametrize("how", DAMAGE)
def test_damaged_entry_is_ignored_and_rebuilt(cache_dir, how):
    expected = roles_output()
    (entry,) = entries(cache_dir)
    damage(entry, how)
    assert roles_output() == expected
    for command in (["show", "rt"], ["next", "rt"], ["path", "none", "rt"]):
        result = invoke(*command)
        assert result.exit_code == 0 and result.stderr == "", (command, result.output)
    if how != "a directory":  # rewritten whole (a directory cannot be replaced by a file: the cache is skipped)
        assert cache.read_cached(entry.stem.split("-", 1)[1]) is not None


def test_entry_written_by_older_code_is_never_read(cache_dir, tmp_path, monkeypatch):
    """An editable install keeps its version while the model's code changes: an old entry must not be read.

    Here the old code's entry holds no ``labels``; were it read, ``show`` would print IRIs for names.
    """
    code = tmp_path / "code"
    shutil.copytree(Path(cache.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__", "ontology", "queries"))
    (code / "model.py").write_text((code / "model.py").read_text() + "\n# an older model\n")
    monkeypatch.setattr(cache, "__file__", str(code / "cache.py"))
    old_key = cache.cache_key(cache.shipped_files(), "all", False)
    monkeypatch.undo()
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(cache_dir))
    assert old_key != cache.cache_key(cache.shipped_files(), "all", False)

    old = cache.load_model(use_cache=False)
    old.labels = {}  # an older model, read by the new code, would show IRIs for names
    cache.write_cached(old_key, old)
    result = invoke("show", "radiologist")
    assert_clean(result)
    assert result.exit_code == 0 and result.stdout.startswith("Radiologist"), result.output
    assert "https://w3id.org/radgraph/id/" not in result.stdout.splitlines()[0]
    assert len(entries(cache_dir)) == 2  # the old entry is left alone, a new one is built


def test_version_and_format_are_part_of_the_key(cache_dir, monkeypatch):
    roles_output()
    monkeypatch.setattr(cache, "__version__", "0.0.1")
    roles_output()
    monkeypatch.setattr(cache, "FORMAT", 0)
    roles_output()
    assert len(entries(cache_dir)) == 3


def test_changed_shapes_recheck_a_cached_user_file(cache_dir, tmp_path, monkeypatch):
    shapes = tmp_path / "shapes.ttl"
    shutil.copy(cache.shapes_file(), shapes)
    monkeypatch.setattr("radgraph.cache.shapes_file", lambda: shapes)
    monkeypatch.setattr("radgraph.kg.shapes_file", lambda: shapes)
    mine = tmp_path / "mine.ttl"
    mine.write_text(HEAD + 'role:pacs a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ev:x .\n')
    assert invoke("--data", str(mine), "show", "pacs administrator").exit_code == 0
    # the new shapes refuse every role: the cached answer must not stand
    shapes.write_text(shapes.read_text() + """
rgsh:NoRoles a sh:NodeShape ; sh:targetClass rg:Role ; sh:property [ sh:path rg:nothing ; sh:minCount 1 ;
    sh:message "no role is allowed now" ] .
""")
    result = invoke("--data", str(mine), "show", "pacs administrator")
    assert result.exit_code == 3 and "role:pacs rg:nothing: no role is allowed now" in result.stdout


def test_interrupted_write_leaves_a_temporary_file_that_changes_nothing(cache_dir):
    expected = roles_output()
    (entry,) = entries(cache_dir)
    (cache_dir / ".model-interrupted.tmp").write_bytes(entry.read_bytes()[:100])
    entry.unlink()
    assert roles_output() == expected
    assert len(entries(cache_dir)) == 1


@pytest.mark.parametrize("how", ["a file in its place", "below a file"])
def test_cache_that_cannot_be_written_still_answers(tmp_path, monkeypatch, how):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(blocker if how == "a file in its place" else blocker / "cache"))
    first, second = roles_output(), roles_output()
    assert first == second and "Radiologist" in first


def test_odd_cache_dir_values(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", "")  # empty: the XDG folder
    roles_output()
    assert entries(tmp_path / "xdg" / "radgraph")
    odd = tmp_path / "line\nbreak \u202e\U0001f600"
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(odd))
    roles_output()
    assert entries(odd)


RACE = """
import sys
from click.testing import CliRunner
from radgraph.cli import cli
r = CliRunner().invoke(cli, sys.argv[1:])
sys.stdout.write(f"{r.exit_code}\\n{r.stdout}")
"""


@pytest.mark.parametrize("with_data", [False, True], ids=["shipped", "with --data"])
def test_processes_racing_to_build_the_cache(cache_dir, tmp_path, with_data):
    data = []
    if with_data:
        mine = tmp_path / "mine.ttl"
        mine.write_text(HEAD + 'role:pacs a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ev:x .\n')
        data = ["--data", str(mine)]
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(cache_dir)}
    commands = [[*data, "roles"], [*data, "show", "rt"], [*data, "roles"], [*data, "path", "none", "rt"]] * 2
    procs = [subprocess.Popen([sys.executable, "-c", RACE, *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for c in commands]
    outs = [p.communicate(timeout=300) for p in procs]
    for (out, err), proc in zip(outs, procs, strict=True):
        assert proc.returncode == 0 and err == "", err
        assert out.startswith("0\n"), out[:300]
    by_command: dict[str, set[str]] = {}
    for command, (out, _) in zip(commands, outs, strict=True):
        by_command.setdefault(" ".join(command), set()).add(out)
    assert all(len(v) == 1 for v in by_command.values())  # the same answer, whoever won the race
    (entry,) = entries(cache_dir)
    assert isinstance(cache.read_cached(entry.stem.split("-", 1)[1]), Model)
    assert not list(cache_dir.glob(".model-*"))  # no temporary file left behind



# ------------------------------------------------------------------ a planted entry runs nothing (issue 18)


class Plant:
    """Unpickling this runs ``touch MARKER``: what a planted pickle could do with the user's rights."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("name", ["pickle", "json"])
def test_a_planted_pickle_is_never_run(cache_dir, tmp_path, name):
    """The cache was a pickle, unpickled before its key was checked: a file planted in the cache folder ran code."""
    expected = roles_output()
    (entry,) = sorted(cache_dir.glob("model-*"))  # whatever its format
    key = entry.stem.split("-", 1)[1]
    marker = tmp_path / "ran"
    planted = pickle.dumps((key, Plant(marker)))
    for path in (cache_dir / f"model-{key}.{name}", entry):  # under the old name and the current one
        path.write_bytes(planted)
    assert roles_output() == expected
    assert cache.load_model() is not None
    assert not marker.exists(), "the planted pickle ran"


def test_the_cache_holds_no_pickle(cache_dir):
    roles_output()
    (entry,) = entries(cache_dir)
    head, body = entry.read_bytes().split(b"\n", 1)
    assert head.startswith(b"radgraph-model ") and body.startswith(b"{")
    import json

    json.loads(body)  # plain JSON


def test_a_shared_requirement_is_read_back_shared(cache_dir):
    """The JSON writes an object met again as a reference, so a model read back shares what the built one does."""
    built = cache.load_model(use_cache=False)
    read = cache.decode_model(cache.encode_model(built))
    assert read == built
    evidence = [e for c in read.credentials.values() for e in c.sources]
    assert len({id(e) for e in evidence}) == len({e.id for e in evidence})

"""The compiled model cache: warm loads, invalidation, corruption, concurrency."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import radgraph
from radgraph import cache
from radgraph.errors import NotConformingError

from .conftest import FIXTURES, USER_TTL_HEAD, cache_entries

MINE = USER_TTL_HEAD + """ex:role a rg:Role ; skos:prefLabel "%s" ; prov:wasDerivedFrom ex:ev .
"""

entries = cache_entries


def test_warm_load_reads_no_turtle(cache_dir, monkeypatch):
    first = cache.load_model()
    assert len(entries(cache_dir)) == 1

    def boom(*a, **k):
        raise AssertionError("parsed Turtle on a warm load")

    monkeypatch.setattr("radgraph.triples.parse_files", boom)
    second = cache.load_model()
    assert second.roles.keys() == first.roles.keys()


def test_cached_model_equals_fresh_model(cache_dir):
    cache.load_model()
    assert cache.load_model() == radgraph.load().model


def test_changed_user_file_rebuilds(cache_dir, tmp_path):
    f = tmp_path / "mine.ttl"
    f.write_text(MINE % "First Name")
    assert cache.load_model([f]).find_role("first name")
    f.write_text(MINE % "Second Name")
    assert cache.load_model([f]).find_role("second name")
    assert len(entries(cache_dir)) == 2


def test_source_choice_is_part_of_the_key(cache_dir):
    assert len(cache.load_model(source="article").roles) == 8
    assert len(cache.load_model(source="all").roles) > 8


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign-key", "not-a-model"])
def test_damaged_entry_is_ignored_and_rebuilt(cache_dir, damage):
    good = cache.load_model()
    (entry,) = entries(cache_dir)
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x05not a model at all")
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "foreign-key":  # e.g. written by another version under a clashing name
        entry.write_bytes(data.replace(entry.stem.split("-", 1)[1].encode(), b"0" * 64, 1))
    else:
        body = b'{"roles": 1}'
        entry.write_bytes(data.split(b"\n", 1)[0].rsplit(b" ", 1)[0] + b" "
                          + cache.hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert cache.load_model() == good
    assert cache.read_cached(entry.stem.split("-", 1)[1]) == good  # rewritten whole


def test_version_is_part_of_the_key(cache_dir, monkeypatch):
    cache.load_model()
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    cache.load_model()
    assert len(entries(cache_dir)) == 2


def test_bad_user_file_is_never_cached_and_changes_nothing(cache_dir):
    shipped = cache.load_model()
    before = {p.name: p.read_bytes() for p in entries(cache_dir)}
    with pytest.raises(NotConformingError):
        cache.load_model([FIXTURES / "bad" / "missing-label.ttl"])
    assert {p.name: p.read_bytes() for p in entries(cache_dir)} == before
    assert cache.load_model() == shipped


def test_unwritable_cache_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    monkeypatch.setenv("RADGRAPH_CACHE_DIR", str(blocker / "cache"))
    assert cache.load_model().find_role("rt")


def test_two_processes_building_at_once(cache_dir):
    code = "from radgraph.cache import load_model; print(len(load_model().roles))"
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(cache_dir)}
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
             for _ in range(4)]
    outs = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(set(outs)) == 1
    (entry,) = entries(cache_dir)
    assert cache.read_cached(entry.stem.split("-", 1)[1]) is not None
    assert not list(cache_dir.glob(".model-*"))  # no temporary file left behind


def test_path_command_imports_no_rdflib_when_warm(cache_dir):
    env = {**os.environ, "RADGRAPH_CACHE_DIR": str(cache_dir)}
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from radgraph.cli import cli\n"
        "r = CliRunner().invoke(cli, ['path', 'Radiology Assistant', 'Interventional Radiology Technologist'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))\n"
    )
    for _ in range(2):  # the first run builds the cache, the second is warm
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


def test_export_with_data_validates_the_same_bytes_once(cache_dir, tmp_path, monkeypatch):
    """The graph commands (export, query) read the cache too: files that conformed are not checked again, and
    the answer is the same; new bytes are checked again, and a file that breaks a shape is still refused."""
    from click.testing import CliRunner

    from radgraph.cli import cli

    mine = tmp_path / "mine.ttl"
    mine.write_text(MINE % "Cached Role")
    args = ["--data", str(mine), "export", "--format", "nt"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output

    def boom(graph):
        raise AssertionError("validated the same bytes again")

    with monkeypatch.context() as m:
        m.setattr("radgraph.kg.validate_graph", boom)
        again = CliRunner().invoke(cli, args)
        assert again.exit_code == 0, again.output
        assert again.stdout == first.stdout
        assert "Cached Role" in again.stdout
        mine.write_text(MINE % "Changed Role")  # other bytes: checked again
        changed = CliRunner().invoke(cli, args)
        assert isinstance(changed.exception, AssertionError)
    bad = FIXTURES / "bad" / "missing-label.ttl"
    for _ in range(2):  # refused, and so never cached: refused again
        refused = CliRunner().invoke(cli, ["--data", str(bad), "export", "--format", "nt"])
        assert refused.exit_code == 3, refused.output


def test_graph_and_model_loads_share_one_entry(cache_dir, tmp_path):
    """load_kg() and load_model() use one key: either one's entry serves the other."""
    from radgraph.kg import load

    mine = tmp_path / "mine.ttl"
    mine.write_text(MINE % "Shared Role")
    kg = cache.load_kg([mine])
    assert len(entries(cache_dir)) == 1
    assert cache.load_model([mine]) == kg.model == load([mine]).model
    assert len(entries(cache_dir)) == 1

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

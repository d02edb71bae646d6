"""The built wheel: its metadata, what it holds, a build without warnings, and an install that works from any folder."""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: What setuptools prints when pyproject.toml uses a deprecated or unknown form.
BUILD_WARNING = re.compile(r"BuildBackendWarning|SetuptoolsDeprecationWarning|SetuptoolsWarning|\bdeprecated\b", re.I)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """``pip wheel .`` into a fresh folder: (the wheel, pip's verbose output)."""
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--verbose", "--disable-pip-version-check",
         "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    wheels = list(out.glob("radgraph-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0], run.stdout + run.stderr


def metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return email.message_from_bytes(z.read(name))


def test_the_build_prints_no_setuptools_warning(built):
    _, log = built
    assert [line for line in log.splitlines() if BUILD_WARNING.search(line)] == []


def test_the_licence_is_an_spdx_expression_and_its_text_ships(built):
    wheel, _ = built
    meta = metadata(wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta["License"] is None  # the deprecated free-text field is gone
    assert not [c for c in meta.get_all("Classifier") if c.startswith("License ::")]  # PEP 639: the expression only
    with zipfile.ZipFile(wheel) as z:
        licences = [n for n in z.namelist() if n.endswith("/LICENSE")]
        assert licences, z.namelist()
        text = z.read(licences[0]).decode()
    assert text.startswith("MIT License") and "radgraph contributors" in text
    assert text == (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_wheel_is_typed_and_classified(built):
    wheel, _ = built
    meta = metadata(wheel)
    classifiers = meta.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert "Programming Language :: Python :: 3.11" in classifiers
    assert meta["Requires-Python"] == ">=3.11"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert "radgraph/py.typed" in names
    assert {"radgraph/ontology/shapes.ttl", "radgraph/ontology/data/article.ttl", "radgraph/queries/README.md"} <= names


def test_pandas_is_not_a_dependency(built):
    wheel, _ = built
    assert not [r for r in metadata(wheel).get_all("Requires-Dist") if r.lower().startswith("pandas")]


def test_the_installed_wheel_works_from_another_folder(built, tmp_path):
    """Installed (not the source tree), run from a folder that holds no radgraph: the data ships inside."""
    wheel, _ = built
    target = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--disable-pip-version-check", "--quiet",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    env = {**os.environ, "PYTHONPATH": str(target)}  # ahead of the editable install of the source tree
    code = ("import radgraph; print(radgraph.__file__); "
            "print(radgraph.load().find_role('rt').label)")
    run = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    where, label = run.stdout.splitlines()
    assert Path(where).is_relative_to(target)
    assert label == "Radiologic Technologist"
    script = target / "bin" / "radgraph"
    cli = subprocess.run([str(script), "show", "rt", "--format", "json"], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert '"label": "Radiologic Technologist"' in cli.stdout

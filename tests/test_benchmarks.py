"""benchmarks/: the generator's two shapes conform and keep their structure; pairs are drawn, not picked."""

from __future__ import annotations

import importlib.util
import io
import itertools
import re
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from radgraph.cache import build_from_files
from radgraph.datafiles import shipped_files
from radgraph.kg import validate_files
from radgraph.model import CredentialReq, ExperienceReq, walk

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _module("generate")
measure = _module("measure")


@pytest.fixture(scope="module", params=["ladder", "esco"])
def graph_file(request, tmp_path_factory) -> tuple[str, Path, int]:
    path = tmp_path_factory.mktemp(request.param) / f"{request.param}.ttl"
    with open(path, "w", encoding="utf-8") as f:
        written = generate.generate(10_000, 1, f, request.param)
    return request.param, path, written


def test_each_shape_conforms_to_the_shapes(graph_file):
    shape, path, _ = graph_file
    report = validate_files([path])
    assert report.conforms, f"{shape}: " + "\n".join(report.lines()[:5])


def test_each_shape_is_the_same_for_the_same_seed_and_differs_for_another(graph_file):
    shape, path, _ = graph_file
    again, other = io.StringIO(), io.StringIO()
    generate.generate(10_000, 1, again, shape)
    generate.generate(10_000, 2, other, shape)
    assert again.getvalue() == path.read_text(encoding="utf-8")
    assert other.getvalue() != again.getvalue()


def test_each_shape_has_a_role_for_every_330_triples(graph_file):
    _, path, _ = graph_file
    model = build_from_files([*shipped_files(), path], validate=False)
    assert len(measure.generated_roles(model.roles)) == generate.sizes_for(10_000)["roles"] == 30


def test_the_esco_shape_counts_distinct_triples():
    out = io.StringIO()
    written = generate.generate(20_000, 3, out, "esco")
    distinct = set(ox.parse(out.getvalue().encode(), format=ox.RdfFormat.TURTLE))
    assert written == len(distinct)
    assert 20_000 <= written < 20_000 + 12  # the last skill line may pass the mark by a few


def test_an_unknown_shape_is_refused():
    with pytest.raises(ValueError, match="'onet'"):
        generate.generate(10_000, 1, io.StringIO(), "onet")


def _zone(label: str) -> int:
    return int(re.search(r"\(zone (\d)\)", label).group(1))


@pytest.fixture(scope="module")
def esco_model(tmp_path_factory):
    """300 roles in about 40 families: enough for every zone and for neighbouring families."""
    path = tmp_path_factory.mktemp("esco") / "esco-100000.ttl"
    with open(path, "w", encoding="utf-8") as f:
        generate.generate(100_000, 1, f, "esco")
    return build_from_files([*shipped_files(), path], validate=False)


def test_esco_entry_rises_with_the_job_zone(esco_model):
    """Zone 4 asks for a degree, zone 5 for a graduate degree (or, as an alternative, the degree)."""
    model = esco_model
    roles = [model.roles[r] for r in measure.generated_roles(model.roles)]
    assert {_zone(r.label) for r in roles} == {1, 2, 3, 4, 5}
    for role in roles:
        creds = {model.credentials[q.credential].label.split()[0] for q in walk(role.requires)
                 if isinstance(q, CredentialReq)}
        zone = _zone(role.label)
        if zone == 4:
            assert "Degree" in creds, role.label
        if zone == 5:
            assert "Graduate" in creds, role.label
        if zone <= 2:
            assert not creds & {"Degree", "Graduate"}, role.label


def test_esco_experience_is_asked_in_a_lower_zone_mostly_of_the_same_family(esco_model):
    model = esco_model
    same = other = 0
    for rid in measure.generated_roles(model.roles):
        role = model.roles[rid]
        for q in walk(role.requires):
            if isinstance(q, ExperienceReq) and q.role is not None:
                worked = model.roles[q.role]
                assert _zone(worked.label) < _zone(role.label), (role.label, worked.label)
                if worked.notations[0].split(".")[0] == role.notations[0].split(".")[0]:
                    same += 1
                else:
                    other += 1
    assert same > 4 * other > 0


def test_pairs_are_drawn_from_every_role_with_the_seed():
    roles = [f"r{i}" for i in range(5)]
    every = measure.draw_pairs(roles, 100, seed=7)
    assert sorted(every) == sorted(itertools.permutations(roles, 2))  # all 20, none left out
    assert measure.draw_pairs(roles, 6, seed=7) == every[:6]
    assert measure.draw_pairs(roles, 6, seed=8) != every[:6]


def test_generated_roles_are_in_the_generators_order_and_leave_shipped_roles_out():
    ids = [f"{measure.GENERATED_ROLE}{i}" for i in (10, 2, 1)] + ["https://w3id.org/radgraph/id/role/radiologist"]
    assert measure.generated_roles(ids) == [f"{measure.GENERATED_ROLE}{i}" for i in (1, 2, 10)]

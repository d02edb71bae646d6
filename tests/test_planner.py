"""The planner: tiny hand-built graphs with exact answers, and the article's main example."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from radgraph.cli import cli
from radgraph.errors import NoPathError, UnknownNameError
from radgraph.model import (
    AllOf,
    AnyOf,
    ContinuingEducation,
    Credential,
    CredentialReq,
    ExperienceReq,
    Model,
    Role,
    RoleReq,
)
from radgraph.planner import Planner

from .conftest import USER_TTL_HEAD


def cred(cid, months=None, requires=None, counts_as=()):
    return Credential(id=cid, label=cid.upper(), kind="certification", months=months, requires=requires,
                      counts_as=tuple(counts_as))


def role(rid, requires=None, maintains=None, settings=()):
    return Role(id=rid, label=rid.upper(), requires=requires, maintains=maintains, settings=tuple(settings))


def need(cid, rid=None):
    return CredentialReq(id=rid or f"need-{cid}-{id(cid)}", credential=cid)


def model_of(roles, creds):
    m = Model()
    for r in roles:
        m.roles[r.id] = r
        m.labels[r.id] = r.label
    for c in creds:
        m.credentials[c.id] = c
        m.labels[c.id] = c.label
    return m


def test_any_of_takes_the_cheapest_branch():
    m = model_of([role("a"), role("b", AnyOf("g", (need("x", "n1"), need("y", "n2"))))],
                 [cred("x", 10), cred("y", 3)])
    (p,) = Planner(m).plan("a", "b")
    assert p.steps[0].earn == ("y",) and p.months == 3


def test_shared_credential_is_counted_once_and_carried_forward():
    # b needs x(5); c needs x and z(2): the path a -> b -> c earns x once.
    m = model_of([role("a"), role("b", need("x", "n1")), role("c", AllOf("g", (need("x", "n2"), need("z", "n3"), RoleReq("r", "b"))))],
                 [cred("x", 5), cred("z", 2)])
    (p,) = Planner(m).plan("a", "c")
    assert p.roles == ("a", "b", "c")
    assert [s.earn for s in p.steps] == [("x",), ("z",)]
    assert p.months == 7


def test_exact_search_beats_pairwise_choice():
    # b: any of x(1) | y(4). c: needs y and role b. Pairwise, a->b takes x (1) then b->c needs y (4): 5.
    # Exact: take y at once (4), then c costs nothing more: 4.
    m = model_of(
        [role("a"), role("b", AnyOf("g", (need("x", "n1"), need("y", "n2")))),
         role("c", AllOf("h", (need("y", "n3"), RoleReq("r", "b"))))],
        [cred("x", 1), cred("y", 4)],
    )
    (p,) = Planner(m).plan("a", "c")
    assert p.months == 4
    assert [s.earn for s in p.steps] == [("y",), ()]


@pytest.mark.parametrize("optimize", ["known", "months"])
def test_the_search_bound_never_hides_a_cheaper_detour(optimize):
    # c: any of x(10) | (y(1) and role b). Entering c at once costs 10; the detour a -> b -> c
    # costs 1. The A* bound at b is 1 (the cheapest credential set still missing); a bound
    # that overestimated it past 10 would return the direct step first.
    m = model_of(
        [role("a"), role("b"), role("c", AnyOf("g", (need("x", "n1"), AllOf("h", (need("y", "n2"), RoleReq("r", "b"))))))],
        [cred("x", 10), cred("y", 1)],
    )
    (p,) = Planner(m).plan("a", "c", optimize=optimize)
    assert p.roles == ("a", "b", "c") and p.months == 1


def test_experience_accrues_in_the_current_role():
    m = model_of(
        [role("a"), role("b", ExperienceReq("e", min_months=12, role="a"))], [])
    (p,) = Planner(m).plan("a", "b")
    (acc,) = p.steps[0].accrue
    assert (acc.months, acc.role) == (12, "a") and p.months == 12


def test_experience_in_a_setting_comes_from_roles_that_give_it():
    m = model_of(
        [role("a"), role("h", settings=["hospital"]), role("b", ExperienceReq("e", min_months=6, setting="hospital"))], [])
    (p,) = Planner(m).plan("a", "b")
    assert p.roles == ("a", "h", "b") and p.months == 6


def test_requirement_nothing_provides_is_listed_as_outside():
    m = model_of([role("a"), role("b", ExperienceReq("e", min_months=24, setting="nowhere"))], [])
    (p,) = Planner(m).plan("a", "b")
    assert [o.id for o in p.steps[0].outside] == ["e"]
    assert p.months == 24  # stated months still count


def test_counts_as_satisfies_and_can_be_earned_instead():
    m = model_of([role("a"), role("b", need("generic", "n1"))],
                 [cred("generic"), cred("specific", 2, counts_as=["generic"])])
    planner = Planner(m)
    assert planner.plan("a", "b", have=["SPECIFIC"])[0].steps[0].earn == ()


def test_prerequisites_come_first():
    m = model_of([role("a"), role("b", need("top", "n1"))],
                 [cred("base", 1), cred("top", 2, requires=need("base", "n2"))])
    (p,) = Planner(m).plan("a", "b")
    assert p.steps[0].earn == ("base", "top") and p.months == 3


def test_no_path_names_the_blocking_requirement():
    m = model_of([role("a"), role("b", RoleReq("r", "c")), role("c", RoleReq("r2", "b"))], [])
    with pytest.raises(NoPathError) as info:
        Planner(m).plan("a", "b")
    assert str(info.value) == "no path from A to B: nothing reachable provides qualification as C"


def test_continuing_education_is_ongoing_not_entry():
    ce = ContinuingEducation("ce", label="24 credits")
    m = model_of([role("a"), role("b", maintains=ce)], [])
    (p,) = Planner(m).plan("a", "b")
    assert p.steps[0].earn == () and p.steps[0].ongoing == (ce,)


def test_optimize_steps_prefers_fewer_role_changes():
    m = model_of(
        [role("a"), role("b", need("x", "n1")), role("c", AnyOf("g", (need("y", "n2"), AllOf("h", (need("x", "n3"), RoleReq("r", "b"))))))],
        [cred("x", 1), cred("y", 10)],
    )
    planner = Planner(m)
    assert planner.plan("a", "c")[0].roles == ("a", "b", "c")
    assert planner.plan("a", "c", optimize="steps")[0].roles == ("a", "c")


def test_no_ranking_prefers_a_branch_because_its_length_is_unknown():
    """An unknown length is never counted as 0 months: neither ranking by time takes the shortcut."""
    m = model_of([role("a"), role("b", AnyOf("g", (need("school", "n1"), need("shortcut", "n2"))))],
                 [cred("school", 48), cred("shortcut")])
    planner = Planner(m)
    for optimize in ("known", "months"):
        (p,) = planner.plan("a", "b", optimize=optimize)
        assert p.steps[0].earn == ("school",) and p.months == 48 and p.unknown == ()


def test_default_ranking_still_takes_the_fewer_months_among_known_branches():
    m = model_of([role("a"), role("b", AnyOf("g", (need("long", "n1"), need("short", "n2"))))],
                 [cred("long", 48), cred("short", 6)])
    assert Planner(m).plan("a", "b")[0].steps[0].earn == ("short",)


def test_unknown_optimize_is_refused():
    m = model_of([role("a"), role("b")], [])
    with pytest.raises(Exception, match="optimize must be one of known, months, steps"):
        Planner(m).plan("a", "b", optimize="cheapest")


# ------------------------------------------------------------------ the shipped graph


MAIN = ("Radiology Assistant", "Interventional Radiology Technologist")


def test_main_example_goes_through_radiologic_technologist(model):
    (p,) = Planner(model).plan(*MAIN)
    assert [model.label(r) for r in p.roles] == [
        "Radiology Assistant", "Radiologic Technologist", "Interventional Radiology Technologist"]
    earned = {model.label(c) for s in p.steps for c in s.earn}
    assert {"Associate degree program in radiography", "Venipuncture certification",
            "iSTAT certification"} <= earned
    assert any(model.credentials[c].issued_by == ("https://w3id.org/radgraph/id/organization/arrt",)
               for s in p.steps for c in s.earn)


def test_main_example_text_lists_issuers_and_evidence():
    out = CliRunner().invoke(cli, ["path", *MAIN, "--explain"]).stdout
    assert "1. Radiology Assistant -> Radiologic Technologist\n   Time: about 2 years, plus 2 items of unknown length" in out
    assert "- Earn: ARRT certification and registration in Radiography (R) (time not\n     known)\n" \
           "       issued by American Registry of Radiologic Technologists" in out
    assert "- Earn: Associate degree program in radiography (about 2 years)" in out
    assert "- Earn: Venipuncture certification (time not known)\n       issuer not named in the sources" in out
    assert "- Earn: iSTAT certification" in out
    assert "why: \u201cTo remain in practice, the Interventional technologist must\n" in out


def test_article_alone_gives_the_article_path():
    out = CliRunner().invoke(cli, ["--source", "article", "path", *MAIN, "--explain"]).stdout
    assert out.startswith("Radiology Assistant -> Radiologic Technologist -> Interventional Radiology\n  Technologist\n")
    assert "- Earn: ARRT certification (time not known)\n       issued by American Registry of Radiologic Technologists" in out
    assert "Radiography (R)" not in out
    assert "   Rests on: Radiology careers article (eight roles)" in out


def test_steps_say_which_sources_they_rest_on():
    data = json.loads(CliRunner().invoke(cli, ["path", "rt", "CT Technologist", "--format", "json"]).stdout)
    labels = [s["label"] for s in data["paths"][0]["steps"][0]["rests_on"]]
    assert any(label.startswith("ARRT") for label in labels)


def test_path_json_contract():
    data = json.loads(CliRunner().invoke(cli, ["path", *MAIN, "--format", "json", "--alternatives", "3"]).stdout)
    assert data["from"]["label"] == "Radiology Assistant"
    assert data["to"]["label"] == "Interventional Radiology Technologist"
    paths = data["paths"]
    assert len(paths) == 3
    assert [p["months"] for p in paths] == sorted(p["months"] for p in paths)
    assert len({tuple(r["id"] for r in p["roles"]) for p in paths}) == 3  # distinct
    step = paths[0]["steps"][0]
    assert set(step) >= {"from", "to", "earn", "accrue", "outside", "months", "sources"}
    assert set(step["earn"][0]) >= {"id", "label", "kind", "issued_by", "months"}


@pytest.mark.parametrize("shard", range(4))
def test_a_path_never_asks_for_what_is_held(model, shard):
    """Every start (and no role) to every goal, two paths each: in four shards, so workers share them."""
    planner = Planner(model)
    for start in [*model.roles, None][shard::4]:
        for goal in model.roles:
            if goal == start:
                continue
            try:
                paths = planner.plan(start or "none", goal, alternatives=2)
            except NoPathError:
                continue
            for p in paths:
                held = set(planner.start_state(start).held)
                for s in p.steps:
                    assert not (set(s.earn) & held), (start, goal)
                    held |= set(s.earn)


def test_have_skips_credentials(model):
    planner = Planner(model)
    p = planner.plan("none", "Radiologic Technologist", have=["High School Diploma"])[0]
    assert "High School Diploma" not in {model.label(c) for c in p.steps[0].earn}


def test_unknown_names_exit_2_and_no_path_exit_1(tmp_path):
    r = CliRunner().invoke(cli, ["path", "Radiology Astronaut", "rt"])
    assert r.exit_code == 2 and "Did you mean: Radiology Assistant" in r.stderr
    r = CliRunner().invoke(cli, ["path", "none", "rt", "--have", "Unicorn Diploma"])
    assert r.exit_code == 2 and r.stderr.startswith("Error: no credential matches 'Unicorn Diploma'")
    mine = tmp_path / "island.ttl"
    mine.write_text(USER_TTL_HEAD + """ex:a a rg:Role ; skos:prefLabel "Island A" ; rg:requires ex:ra ; prov:wasDerivedFrom ex:ev .
ex:b a rg:Role ; skos:prefLabel "Island B" ; rg:requires ex:rb ; prov:wasDerivedFrom ex:ev .
ex:ra a rg:RoleRequirement ; rg:role ex:b ; prov:wasDerivedFrom ex:ev .
ex:rb a rg:RoleRequirement ; rg:role ex:a ; prov:wasDerivedFrom ex:ev .
""")
    r = CliRunner().invoke(cli, ["--data", str(mine), "path", "rt", "Island A"])
    assert r.exit_code == 1
    assert r.stderr.strip() == ("Error: no path from Radiologic Technologist to Island A: "
                                "nothing reachable provides qualification as Island B")


def test_next_lists_roles_with_needs():
    out = CliRunner().invoke(cli, ["next", "Radiologic Technologist"]).stdout
    assert "\n    Interventional Radiology Technologist  not known (3 items)         3\n" in out
    data = json.loads(CliRunner().invoke(cli, ["next", "none", "--format", "json"]).stdout)
    assert data["from"] == {"id": None, "label": "none"}
    assert {s["to"]["label"] for s in data["next"]} >= {"Radiologic Technologist", "Radiology Imaging Procedure Assistant"}


def test_mermaid_and_dot_outputs():
    mer = CliRunner().invoke(cli, ["path", *MAIN, "--format", "mermaid"]).stdout
    assert mer.startswith("flowchart LR\n") and "-->|" in mer
    dot = CliRunner().invoke(cli, ["path", *MAIN, "--format", "dot"]).stdout
    assert dot.startswith("digraph path {") and '"Radiology Assistant" -> "Radiologic Technologist"' in dot


def test_same_role_is_usage_error(model):
    with pytest.raises(Exception) as info:
        Planner(model).plan("rt", "Radiologic Technologist")
    assert getattr(info.value, "exit_code", None) == 2


def test_unknown_goal_raises(model):
    with pytest.raises(UnknownNameError):
        Planner(model).plan("rt", "astronaut")


def test_a_search_that_runs_too_long_gives_up_with_one_line(model):
    planner = Planner(model, max_states=1)
    with pytest.raises(Exception) as info:
        planner.plan("none", "Interventional Radiology Technologist")
    assert getattr(info.value, "exit_code", None) == 1
    assert str(info.value).startswith("the search for a path to Interventional Radiology Technologist gave up after 2 states")


def test_no_path_is_found_even_when_revisits_could_bank_experience_for_ever():
    # a and b each ask for a recent stint in the other: going round accrues months without end,
    # but the goal needs a role nothing can reach. The search must end with "no path".
    m = model_of(
        [role("a", ExperienceReq("ea", min_months=6, within_months=12, role="b")),
         role("b", ExperienceReq("eb", min_months=6, within_months=12, role="a")),
         role("g", AllOf("gg", (RoleReq("rg", "h"), ExperienceReq("eg", min_months=6, role="a")))),
         role("h", RoleReq("rh", "g"))],
        [],
    )
    planner = Planner(m, max_seconds=30)
    with pytest.raises(NoPathError):
        planner.plan("a", "g")


def test_a_next_entry_is_the_same_object_as_the_one_step_path_to_it():
    nxt = json.loads(CliRunner().invoke(cli, ["next", "none", "--format", "json"]).stdout)["next"]
    entry = next(s for s in nxt if s["to"]["label"] == "Radiologic Technologist")
    path = json.loads(CliRunner().invoke(cli, ["path", "none", "Radiologic Technologist", "--format", "json"]).stdout)
    (step,) = path["paths"][0]["steps"]
    assert entry == step


def test_paths_and_model_objects_print_short(model):
    """A path names its roles and its total in plain words; roles and credentials print as their labels."""
    (p,) = Planner(model).plan("Radiologic Technologist", "Registered Radiologist Assistant")
    assert repr(p) == "Path(Radiologic Technologist -> Registered Radiologist Assistant: about 4 years, 2 unknown)"
    assert [(r.id.rsplit("/", 1)[-1], r.label) for r in p.role_refs] == [
        ("radiologic-technologist", "Radiologic Technologist"),
        ("registered-radiologist-assistant", "Registered Radiologist Assistant")]
    assert repr(model.find_role("rt")) == "Role('Radiologic Technologist')"
    assert repr(model.find_credential("GED")) == "Credential('GED')"
    assert repr(model).startswith("Model(") and "roles" in repr(model)
    assert "24.0" not in repr(p)


def test_a_search_pauses_cyclic_collection_and_gives_it_back(model, monkeypatch):
    """CPython's full collections walked the search's ever-growing heap (a third of the time at 3,000
    roles): a search runs with them off, and leaves them as it found them, when it answers, when it
    gives up, and when the caller had them off already."""
    import gc
    import traceback

    from radgraph.errors import RadGraphError
    from radgraph.planner.steps import Stepper

    seen = []
    stays = Stepper.stays

    def watched(self, state):
        seen.append(gc.isenabled())
        return stays(self, state)

    monkeypatch.setattr(Stepper, "stays", watched)
    assert gc.isenabled()
    planner = Planner(model)
    assert planner.plan("Radiologic Technologist", "Radiologist")
    assert seen and not any(seen)
    assert gc.isenabled()
    planner.max_seconds = -1  # gives up at the first state it expands
    with pytest.raises(RadGraphError, match="gave up") as gave_up:
        planner.plan("none", "Radiologist")
    assert gc.isenabled()
    # nor does the error keep the search's frame (its heap) alive for the first collection to walk
    frames = [frame.f_code.co_name for frame, _ in traceback.walk_tb(gave_up.value.__traceback__)]
    assert "plan" in frames and "_best" not in frames, frames
    gc.disable()
    try:
        planner.max_seconds = 60
        assert planner.plan("Radiologic Technologist", "Radiologist")
        assert not gc.isenabled()
    finally:
        gc.enable()

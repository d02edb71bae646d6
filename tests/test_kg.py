"""Loading, lookup, provenance and user data."""

from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV

import radgraph
from radgraph.errors import DataError, UnknownNameError
from radgraph.namespaces import RG

from .conftest import USER_TTL_HEAD


def test_every_evidence_fragment_is_verbatim_in_the_article(kg, article_text):
    quotes = [(ev, str(q)) for ev, q in kg.graph.subject_objects(RG.quote)
              if kg.graph.value(ev, RG.inSource) == URIRef("https://w3id.org/radgraph/id/source/article")]
    assert len(quotes) > 100
    missing = [(str(ev), q) for ev, q in quotes if q not in article_text]
    assert missing == []


def test_fragments_are_short_clauses_not_paragraphs(kg):
    for q in kg.graph.objects(None, RG.quote):
        assert 3 <= len(str(q)) <= 300


RELATIONS = [RG.usesSystem, RG.hasSkill, RG.supervisedBy, RG.directedBy, RG.issuedBy, RG.approvedBy,
             RG.validIn, RG.providesExperienceIn, RG.partOf, RG.countsAs]


def test_every_relation_names_its_evidence(kg):
    g = kg.graph
    stated = {(g.value(ev, RG.about), g.value(ev, RG.property), v)
              for ev in g.subjects(RDF.type, RG.Evidence) for v in g.objects(ev, RG.value)}
    facts = [(s, p, o) for p in RELATIONS for s, o in g.subject_objects(p)]
    assert len(facts) > 50
    assert [f for f in facts if f not in stated] == []


def test_every_requirement_duty_and_credential_names_its_evidence(kg):
    g = kg.graph
    for cls in (RG.Requirement, RG.AllOf, RG.AnyOf, RG.CredentialRequirement, RG.ExperienceRequirement,
                RG.Duty, RG.Credential, RG.Role, RG.Organization):
        for node in g.subjects(RDF.type, cls):
            assert g.value(node, PROV.wasDerivedFrom) is not None, node


@pytest.mark.parametrize("name", [
    "Radiologic Technologist", "radiologic technologist", "RADIOLOGIC-TECHNOLOGIST", "  radiologic   technologist ",
    "RT", "rt", "Ｒａｄｉｏｌｏｇｉｃ Ｔｅｃｈｎｏｌｏｇｉｓｔ", "https://w3id.org/radgraph/id/role/radiologic-technologist",
    "radiologic-technologist", "Radiologic Technologist!",
])
def test_role_lookup_by_any_name(model, name):
    assert model.find_role(name).label == "Radiologic Technologist"


def test_alt_label_lookup(model):
    assert model.find_role("Interventional technologist").label == "Interventional Radiology Technologist"


def test_unknown_role_suggests_closest(model):
    with pytest.raises(UnknownNameError) as info:
        model.find_role("Radiology Astronaut")
    assert "Radiology Assistant" in info.value.suggestions
    assert str(info.value).startswith("no role matches 'Radiology Astronaut'. Did you mean: Radiology Assistant")


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 5000, "رادیولوژی", "é"])
def test_odd_names_raise_unknown_name(model, name):
    with pytest.raises(UnknownNameError) as info:
        model.find_role(name)
    assert len(str(info.value)) < 300


def test_user_data_merges_a_role(tmp_path):
    f = tmp_path / "mine.ttl"
    f.write_text(USER_TTL_HEAD + """ex:role a rg:Role ; skos:prefLabel "PACS Administrator" ; rg:requires ex:req ; prov:wasDerivedFrom ex:ev .
ex:req a rg:CredentialRequirement ; rg:credential <https://w3id.org/radgraph/id/credential/arrt-certification> ;
    prov:wasDerivedFrom ex:ev .
""")
    kg = radgraph.load([tmp_path])
    role = kg.find_role("pacs administrator")
    assert role.requires.credential.endswith("arrt-certification")
    assert "PACS Administrator" not in {r.label for r in radgraph.load().model.roles.values()}


def test_malformed_turtle_names_file_and_line(tmp_path):
    f = tmp_path / "broken.ttl"
    f.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n\n")
    with pytest.raises(DataError) as info:
        radgraph.load([f])
    assert str(info.value) == f"{f}:3: Bad syntax (expected '.' or '}}' or ']' at end of statement)"


def test_unknown_prefix_is_named(tmp_path):
    f = tmp_path / "prefix.ttl"
    f.write_text("nope:a nope:b nope:c .\n")
    with pytest.raises(DataError) as info:
        radgraph.load([f])
    assert "unknown prefix 'nope'" in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(DataError) as info:
        radgraph.load([tmp_path / "absent.ttl"])
    assert "no such file or folder" in str(info.value)


def test_credential_prerequisite_cycle_is_refused(tmp_path):
    f = tmp_path / "cycle.ttl"
    f.write_text("""
@prefix rg: <https://w3id.org/radgraph/ns#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix kind: <https://w3id.org/radgraph/id/kind/> .
@prefix ex: <https://example.org/> .
ex:ev a rg:Evidence ; rg:inSource ex:src ; rg:section "Mine" ; rg:quote "my note" .
ex:src a rg:Source ; <http://www.w3.org/2000/01/rdf-schema#label> "my notes" .
ex:a a rg:Credential ; skos:prefLabel "A" ; rg:kind kind:certification ; rg:requires ex:ra ; prov:wasDerivedFrom ex:ev .
ex:b a rg:Credential ; skos:prefLabel "B" ; rg:kind kind:certification ; rg:requires ex:rb ; prov:wasDerivedFrom ex:ev .
ex:ra a rg:CredentialRequirement ; rg:credential ex:b ; prov:wasDerivedFrom ex:ev .
ex:rb a rg:CredentialRequirement ; rg:credential ex:a ; prov:wasDerivedFrom ex:ev .
""")
    with pytest.raises(DataError) as info:
        radgraph.load([f])
    assert "cycle" in str(info.value) and "A" in str(info.value)


def test_literal_months_read_as_numbers(model):
    assert isinstance(model.find_credential("2-year training program in Radiologic Technology (AMA-approved)").months, int)
    assert Literal(24).toPython() == 24


def test_user_role_codes_carry_match_type_scheme_and_group(tmp_path):
    """A role's skos:exactMatch / closeMatch become codes with the scheme and group they name."""
    (tmp_path / "codes.ttl").write_text(USER_TTL_HEAD + """
ex:role a rg:Role ; skos:prefLabel "PACS Administrator" ; prov:wasDerivedFrom ex:ev ;
    skos:exactMatch ex:pacs ; skos:closeMatch ex:group .
ex:pacs skos:prefLabel "PACS administrator" ; skos:inScheme ex:scheme ; skos:broader ex:group .
ex:group skos:prefLabel "Medical records technicians" ; skos:notation "3252" ; skos:inScheme ex:isco .
ex:scheme skos:prefLabel "My scheme" .
ex:isco skos:prefLabel "My groups" .
""")
    role = radgraph.load([tmp_path]).find_role("PACS Administrator")
    by_id = {c.id: c for c in role.matches}
    pacs, group = by_id["https://example.org/pacs"], by_id["https://example.org/group"]
    assert (pacs.match, pacs.scheme, pacs.notation) == ("exact", "My scheme", "")
    assert [g.to_dict() for g in pacs.groups] == [
        {"id": "https://example.org/group", "label": "Medical records technicians", "notation": "3252"}]
    assert (group.match, group.scheme, group.notation, group.groups) == ("close", "My groups", "3252", ())
    assert group.to_dict() == {"id": "https://example.org/group", "label": "Medical records technicians",
                               "notation": "3252", "match": "close", "scheme": "My groups"}


def test_shipped_files_are_parsed_once_and_each_graph_is_its_own(tmp_path, monkeypatch):
    """graph_from_files keeps the shipped files' triples: a graph equal to a fresh parse, in the file's
    order, that is not shared with the next load; a shipped file whose bytes change is read again."""
    import shutil

    from rdflib import Graph

    from radgraph import datafiles
    from radgraph.kg import graph_from_files, shipped_files
    from radgraph.namespaces import PREFIXES
    from radgraph.triples import parse_into

    def fresh(paths):
        graph = Graph()
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        for path in paths:
            parse_into(graph, path)
        return graph

    for source in ("all", "article"):
        paths = shipped_files(source)
        first, second, parsed = graph_from_files(paths), graph_from_files(paths), fresh(paths)
        assert list(first) == list(parsed)  # the same triples, indexed in the same order
        assert list(first.namespaces()) == list(parsed.namespaces())
        assert first.serialize(format="turtle") == parsed.serialize(format="turtle")
        mine = (URIRef("urn:x:a"), URIRef("urn:x:note"), Literal("only in the first"))
        first.add(mine)
        assert mine not in second and mine not in graph_from_files(paths)
    copy = tmp_path / "ontology"
    shutil.copytree(str(datafiles.ONTOLOGY_DIR), copy)
    monkeypatch.setattr(datafiles, "ONTOLOGY_DIR", copy)
    before = graph_from_files(shipped_files())
    article = copy / "data" / "article.ttl"
    text = article.read_text(encoding="utf-8")
    assert 'skos:prefLabel "Radiologist" ;' in text
    article.write_text(text.replace('skos:prefLabel "Radiologist" ;', 'skos:prefLabel "Bone Reader" ;'), encoding="utf-8")
    after = graph_from_files(shipped_files())
    label = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")
    radiologist = URIRef("https://w3id.org/radgraph/id/role/radiologist")
    assert set(before.objects(radiologist, label)) == {Literal("Radiologist")}
    assert set(after.objects(radiologist, label)) == {Literal("Bone Reader")}

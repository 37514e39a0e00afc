"""Each SHACL shape rejects a hand-made bad graph and accepts the matching good one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.build import vocabularies
from kg.config import Settings
from kg.iris import Iris
from kg.validate import validate

IRIS = Iris()
LGP = IRIS.lgp
SETTINGS = Settings()
ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"


def check(triples: list[tuple]) -> list[tuple[str, str | None, str]]:
    graph = vocabularies(SETTINGS)
    for triple in triples:
        graph.add(triple)
    result = validate(graph, ONTOLOGY, SETTINGS.base)
    return [(v.focus, v.path, v.message) for v in result.violations]


def lg(code: str, kind: str = "Municipality", label: str | None = "テスト市") -> list[tuple]:
    node = IRIS.lg(code)
    triples = [(node, RDF.type, LGP[kind]), (node, DCTERMS.identifier, Literal(code))]
    if label:
        triples.append((node, RDFS.label, Literal(label, lang="ja")))
    return triples


SOURCE = IRIS.source("test-source")


def claim(name: str = "c1", **changes) -> list[tuple]:
    node = IRIS.claim(name)
    values = {
        PROV.wasDerivedFrom: SOURCE,
        LGP.sourceLine: Literal(3, datatype=XSD.positiveInteger),
        LGP.rawText: Literal("萩市(山口県・H14.12.18 友好都市提携)", lang="ja"),
        LGP.statedKind: IRIS.kind("friendship-city"),
        LGP.kindDecidedBy: Literal("wording"),
        LGP.kindRule: Literal("友好都市"),
    }
    values.update(changes)
    triples = [(node, RDF.type, LGP.Claim), (SOURCE, RDF.type, DCAT.Dataset)]
    triples += [(node, p, o) for p, o in values.items() if o is not None]
    for number in (1, 2):
        stated = IRIS.stated_party(name, number)
        triples += [(node, LGP.statedParty, stated), (stated, RDF.type, LGP.StatedParty),
                    (stated, LGP.writtenName, Literal("萩市", lang="ja")), (stated, LGP.resolvedTo, IRIS.lg("352047"))]
    return triples


def partnership(parties=("102016", "352047"), kind="friendship-city", date=Literal("2002-12-18", datatype=XSD.date)) -> list[tuple]:
    node = IRIS.partnership("p1")
    triples = [(node, RDF.type, LGP.Partnership), (node, RDFS.label, Literal("前橋市・萩市", lang="ja")),
               (node, LGP.claim, IRIS.claim("c1"))]
    if kind:
        triples.append((node, LGP.kind, IRIS.kind(kind)))
    if date is not None:
        triples.append((node, LGP.date, date))
    for code in parties:
        triples.append((node, LGP.party, IRIS.lg(code)))
    return triples + lg("102016", label="前橋市") + lg("352047", label="萩市") + claim()


def focus_and_messages(violations):
    return {(focus.rsplit("/", 1)[-1], message) for focus, _, message in violations}


def test_a_good_partnership_conforms():
    assert check(partnership()) == []


def test_a_partnership_needs_two_distinct_parties():
    violations = check(partnership(parties=("102016", "102016")))
    assert ("p1", "A partnership has two or more distinct parties.") in focus_and_messages(violations)


def test_a_partnership_needs_exactly_one_kind():
    assert any("exactly one kind" in m for _, _, m in check(partnership(kind=None)))
    two = partnership() + [(IRIS.partnership("p1"), LGP.kind, IRIS.kind("sister-city"))]
    assert any("exactly one kind" in m for _, _, m in check(two))


def test_a_kind_must_come_from_the_scheme_and_not_be_a_family():
    assert any(p == str(LGP.kind) for _, p, _ in check(partnership(kind="twinning")))
    bad = partnership(kind=None) + [(IRIS.partnership("p1"), LGP.kind, URIRef("http://example.org/other"))]
    assert any(p == str(LGP.kind) for _, p, _ in check(bad))


@pytest.mark.parametrize("value", [
    Literal("2002-12-18", datatype=XSD.date),
    Literal("2002-12", datatype=XSD.gYearMonth),
    Literal("1868", datatype=XSD.gYear),
])
def test_dates_at_every_precision_conform(value):
    assert check(partnership(date=value)) == []


@pytest.mark.parametrize("value", [
    Literal("2002-12-18"),  # a plain string
    Literal("1850", datatype=XSD.gYear),  # before the Meiji era
    Literal("2150-01-01", datatype=XSD.date),  # implausibly late
    Literal("2002-13", datatype=XSD.gYearMonth),
    Literal("2002", datatype=XSD.integer),
])
def test_implausible_or_untyped_dates_are_rejected(value):
    violations = check(partnership(date=value))
    assert any(path == str(LGP.date) and "between 1868 and 2099" in message for _, path, message in violations)


def test_a_wrong_check_digit_is_rejected():
    violations = check(lg("104494", label="みなかみ町"))
    assert violations == [(str(IRIS.lg("104494")), str(DCTERMS.identifier),
                           "The check digit of local government code 104494 is wrong.")]


def test_a_right_check_digit_with_a_leading_zero_conforms():
    assert check(lg("011002", kind="Municipality", label="札幌市")) == []


def test_a_code_must_have_six_digits_and_a_japanese_label():
    violations = check(lg("10449", label=None))
    messages = {m for _, _, m in violations}
    assert "A Japanese local government has one 6-digit 全国地方公共団体コード." in messages
    assert "A Japanese local government has a Japanese label." in messages


def test_an_english_label_alone_is_not_enough():
    node = IRIS.lg("104493")
    triples = lg("104493", label=None) + [(node, RDFS.label, Literal("Minakami", lang="en"))]
    assert any("Japanese label" in m for _, _, m in check(triples))


def test_a_foreign_party_needs_a_country():
    node = IRIS.place("CN/CN-HE/承徳市")
    triples = [(node, RDF.type, LGP.ForeignLocalAuthority), (node, RDFS.label, Literal("承德市", lang="ja"))]
    assert any("has a country" in m for _, _, m in check(triples))
    country = IRIS.country("CN")
    good = triples + [(node, LGP.country, country), (country, RDF.type, LGP.Country), (country, SKOS.notation, Literal("CN"))]
    assert check(good) == []


def test_a_claim_needs_its_source_and_line():
    violations = check(claim(**{PROV.wasDerivedFrom: None, LGP.sourceLine: None}))
    messages = {m for _, _, m in violations}
    assert "Every claim names the source it comes from." in messages
    assert "Every claim gives the line(s) of its source." in messages


def test_a_claim_line_is_a_positive_integer():
    violations = check(claim(**{LGP.sourceLine: Literal("3")}))
    assert any(path == str(LGP.sourceLine) for _, path, _ in violations)


def test_a_partnership_needs_a_claim():
    triples = [t for t in partnership() if t[1] != LGP.claim]
    assert any("rests on at least one source claim" in m for _, _, m in check(triples))


def test_a_project_needs_a_special_ward():
    node = IRIS.project("x1")
    triples = [(node, RDF.type, LGP.Project), (node, DCTERMS.title, Literal("植樹ツアー", lang="ja")),
               (node, PROV.wasDerivedFrom, SOURCE), (SOURCE, RDF.type, DCAT.Dataset),
               (node, LGP.sourceLine, Literal(17, datatype=XSD.positiveInteger)),
               (node, LGP.ward, IRIS.lg("102016"))] + lg("102016", label="前橋市")
    assert any(path == str(LGP.ward) for _, path, _ in check(triples))
    ward = [(node, LGP.ward, IRIS.lg("131016"))] + lg("131016", kind="SpecialWard", label="千代田区")
    assert check([t for t in triples if t[1] != LGP.ward] + ward) == []


def test_the_shapes_kind_list_is_the_schemes_narrower_concepts():
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    listed = set(shapes.items(URIRef(SETTINGS.base + "def/shapes#kinds")))
    scheme = Graph().parse(ONTOLOGY / "kinds.ttl")
    narrower = set(scheme.subjects(SKOS.broader, None))
    assert listed == narrower


def test_a_status_must_be_one_of_the_statuses():
    node = IRIS.partnership("p1")
    assert check(partnership() + [(node, LGP.status, IRIS.status("renewed"))]) == []
    bad = partnership() + [(node, LGP.status, IRIS.kind("sister-city"))]
    assert any(path == str(LGP.status) for _, path, _ in check(bad))


def test_a_claim_says_which_column_decided_its_kind():
    missing = check([t for t in partnership() if t[1] != LGP.kindDecidedBy])
    assert any(path == str(LGP.kindDecidedBy) for _, path, _ in missing)
    unknown = check([t for t in partnership() if t[1] != LGP.kindDecidedBy]
                    + [(IRIS.claim("c1"), LGP.kindDecidedBy, Literal("guess"))])
    assert any(path == str(LGP.kindDecidedBy) for _, path, _ in unknown)


def test_a_national_body_needs_its_country():
    body = URIRef(str(IRIS.party("org/TH/工業省")))
    triples = [(body, RDF.type, LGP.OtherBody), (body, RDF.type, LGP.NationalBody),
               (body, RDFS.label, Literal("工業省", lang="ja"))]
    assert any(path == str(LGP.country) for _, path, _ in check(triples))
    country = IRIS.country("TH")
    good = triples + [(body, LGP.country, country), (country, RDF.type, LGP.Country), (country, SKOS.notation, Literal("TH"))]
    assert check(good) == []


def _many_violations() -> Graph:
    """One graph breaking many shapes at once, on nodes pointing at each other."""
    graph = vocabularies(SETTINGS)
    bad_party = partnership(parties=("102016",), kind="family")
    node = IRIS.partnership("p1")
    triples = bad_party + [(node, LGP.status, IRIS.kind("sister-city")), (node, LGP.date, Literal("2002-12-18"))]
    triples += claim("c2", **{PROV.wasDerivedFrom: None, LGP.sourceLine: Literal("3")})
    triples += lg("104494", label="みなかみ町") + lg("12345", label=None)
    foreign = URIRef(SETTINGS.base + "id/place/TW/x")
    triples += [(foreign, RDF.type, LGP.ForeignLocalAuthority), (foreign, RDFS.label, Literal("x", lang="ja")),
                (node, LGP.party, foreign)]
    for triple in triples:
        graph.add(triple)
    return graph


def test_partitioned_validation_finds_what_pyshacl_finds_over_the_whole_graph():
    import pyshacl

    from kg.validate import _violations, load_shapes

    graph = _many_violations()
    expected = []
    for name, advanced in (("shapes.ttl", False), ("shapes-sparql.ttl", True)):
        _, report, _ = pyshacl.validate(graph, shacl_graph=load_shapes(ONTOLOGY, name, SETTINGS.base),
                                        inference="none", advanced=advanced)
        expected += [(v.focus, v.path, v.message) for v in _violations(report)]
    got = [(v.focus, v.path, v.message) for v in validate(graph, ONTOLOGY, SETTINGS.base).violations]
    assert len(expected) > 8
    assert sorted(got, key=str) == sorted(expected, key=str)


def test_partitions_of_one_subject_find_the_same():
    from kg.validate import validate_ntriples

    lines = sorted(_many_violations().serialize(format="nt").splitlines(keepends=True))
    def found(**options):
        result = validate_ntriples("".join(lines), ONTOLOGY, SETTINGS.base, **options)
        return [(v.focus, v.path, v.message) for v in result.violations]

    assert found(partition=1) == found() != []


def test_triples_not_grouped_by_subject_are_refused():
    from kg.validate import validate_ntriples

    lines = sorted(_many_violations().serialize(format="nt").splitlines(keepends=True))
    with pytest.raises(ValueError, match="not grouped by subject"):
        validate_ntriples("".join(lines[1:] + lines[:1]), ONTOLOGY, SETTINGS.base)

"""The ontology, the kind scheme and the wording table agree with each other and with the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.kinds import KindScheme
from mapping.records import PartnershipRecord

ROOT = Path(__file__).resolve().parents[2]
LGP = "http://localhost:8000/def/lgp#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "lgp.ttl")


def declared_terms(ontology: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s) for k in kinds for s in ontology.subjects(RDF.type, k)}


def test_ontology_metadata(ontology):
    node = URIRef("http://localhost:8000/def/lgp")
    assert (node, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(node, OWL.versionIRI) is not None
    assert ontology.value(node, URIRef("http://purl.org/dc/terms/license")) is not None


def test_every_term_has_a_japanese_and_an_english_label(ontology):
    for term in declared_terms(ontology):
        languages = {label.language for label in ontology.objects(URIRef(term), RDFS.label)}
        assert {"ja", "en"} <= languages, term


def test_every_lgp_term_the_graph_uses_is_declared(ontology, built):
    declared = declared_terms(ontology)
    used = {str(p) for p in built.graph.predicates() if str(p).startswith(LGP)}
    used |= {str(o) for o in built.graph.objects(None, RDF.type) if str(o).startswith(LGP)}
    assert used and used <= declared, sorted(used - declared)


def test_alignments_with_other_vocabularies(ontology):
    def aligned(term: str) -> set[str]:
        node = URIRef(LGP + term)
        links = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentProperty, OWL.equivalentClass)
        return {str(o) for p in links for o in ontology.objects(node, p)}

    assert "http://www.wikidata.org/prop/direct/P190" in aligned("twinnedWith")
    assert "http://www.wikidata.org/prop/direct/P429" in aligned("localGovernmentCode")
    assert "http://www.w3.org/ns/org#Organization" in aligned("Party")
    assert "http://www.w3.org/ns/prov#Entity" in aligned("Claim")
    assert "https://schema.org/Project" in aligned("Project")


def test_every_kind_has_labels_in_japanese_english_and_traditional_chinese():
    scheme = Graph().parse(ROOT / "ontology" / "kinds.ttl")
    concepts = set(scheme.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 18
    for concept in concepts:
        assert {label.language for label in scheme.objects(concept, SKOS.prefLabel)} == {"ja", "en", "zh-Hant"}


def test_every_wording_in_the_sources_maps_to_a_kind(built):
    scheme = KindScheme.load(ROOT / "ontology", ROOT / "data" / "curated")
    unmapped = set()
    for result, source in zip(built.ingestion.results, built.ingestion.sources):
        for record in result.records:
            if isinstance(record, PartnershipRecord) and record.wording:
                evidence = scheme.classify(source.id, record.section,
                                           [("field", record.field), ("wording", record.wording), ("title", record.title)])
                if evidence.column == "premise":
                    unmapped.add((source.id, record.wording))
            elif isinstance(record, PartnershipRecord):
                assert source.tie or record.field or record.title, (source.id, record.provenance.lines)
    assert unmapped == set()


def test_the_kinds_the_wording_table_names_exist():
    scheme = KindScheme.load(ROOT / "ontology", ROOT / "data" / "curated")
    assert {kind for _, kind, _ in scheme.patterns} <= set(scheme.kinds)
    assert set(scheme.kinds) == {kind for _, kind, _ in scheme.patterns}

"""dist/catalog.ttl against the official DCAT-AP 3.0.1 SHACL shapes, and what it says of the sources."""

from __future__ import annotations

from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID

SHAPES = Path(__file__).resolve().parents[1] / "data" / "conformance" / "dcat-ap-3.0.1"


def dcat_ap_shapes() -> tuple[Graph, int]:
    shapes = Graph().parse(SHAPES / "dcat-ap-SHACL.ttl")
    shapes.parse(SHAPES / "ranges.ttl")
    dangling = [(s, o) for s, o in shapes.subject_objects(SH.property) if (o, SH.path, None) not in shapes]
    for pair in dangling:
        shapes.remove((pair[0], SH.property, pair[1]))
    return shapes, len(dangling)


def test_catalog_conforms_to_dcat_ap(settings, built):
    shapes, dropped = dcat_ap_shapes()
    assert dropped == 5
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    conforms, report, text = pyshacl.validate(catalog, shacl_graph=shapes, inference="none")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms and results == [], text


def test_the_dcat_ap_shapes_do_catch_a_broken_catalog(settings, built):
    shapes, _ = dcat_ap_shapes()
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    for node in list(catalog.subjects(RDF.type, DCAT.Catalog)):
        catalog.remove((node, DCTERMS.title, None))
    conforms, _, _ = pyshacl.validate(catalog, shacl_graph=shapes, inference="none")
    assert not conforms


def test_catalog_says_what_the_sources_do_not(settings, built):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    sources = {str(catalog.value(node, DCTERMS.identifier)): node
               for node in catalog.objects(URIRef(settings.base + "id/dataset"), DCTERMS.source)}
    assert set(sources) == {s.id for s in built.ingestion.sources}
    for source_id, node in sources.items():
        # No source states a licence: each says so through a rights statement.
        assert catalog.value(node, DCTERMS.license) is None
        assert catalog.value(node, DCTERMS.rights) == URIRef(settings.base + "id/rights/licence-not-stated")
    gunma = sources["gunma-2021"]
    period = catalog.value(gunma, DCTERMS.temporal)
    assert str(catalog.value(period, DCAT.endDate)) == "2021-06-01"
    assert catalog.value(sources["taiwan-japan"], DCTERMS.temporal) is None


def test_void_statistics_match_the_graph(settings, built):
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    dataset = URIRef(settings.base + "id/dataset")
    assert int(catalog.value(dataset, VOID.triples)) == len(built.graph)
    partitions = {catalog.value(p, VOID["class"]): int(catalog.value(p, VOID.entities))
                  for p in catalog.objects(dataset, VOID.classPartition)}
    lgp = URIRef(settings.base + "def/lgp#Partnership")
    assert partitions[lgp] == len(built.merged.partnerships)


def test_the_graph_and_the_catalog_describe_a_source_alike(settings, built):
    """One DCAT description of each source: the graph's is the catalog's, less the distribution."""
    catalog = Graph().parse(settings.dist / "catalog.ttl")
    graph = Graph().parse(settings.dist / "kg.nt", format="nt")
    for source in built.ingestion.sources:
        node = URIRef(settings.base + f"id/source/{source.id}")
        in_catalog = {(p, o) for p, o in catalog.predicate_objects(node) if p != DCAT.distribution}
        assert set(graph.predicate_objects(node)) >= in_catalog
        language = graph.value(node, DCTERMS.language)
        assert isinstance(language, URIRef) and str(language).startswith(
            "http://publications.europa.eu/resource/authority/language/"
        )

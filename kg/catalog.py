"""The catalog: DCAT for the dataset, its distributions and its sources; VoID statistics.

Where the sources do not say something a catalog asks for (a licence, a
publisher), the catalog says it is not stated rather than inventing a value.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD, Namespace

from kg.dcat import describe_source, language_iri, no_licence, typed
from kg.dumps import MEDIA_TYPES
from kg.iris import RDF_TYPE, Iris, bind_prefixes
from mapping.manifest import Source

IANA = "https://www.iana.org/assignments/media-types/"
A = f"<{RDF_TYPE}>"
"""``rdf:type`` as N-Triples writes it."""
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DATASET_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
FORMATS = {
    "application/n-triples": "http://publications.europa.eu/resource/authority/file-type/RDF_N_TRIPLES",
    "text/turtle": "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE",
    "application/ld+json": "http://publications.europa.eu/resource/authority/file-type/JSON_LD",
    "text/csv": "http://publications.europa.eu/resource/authority/file-type/CSV",
    "application/csvm+json": "http://publications.europa.eu/resource/authority/file-type/JSON",
}


def catalog(
    iris: Iris, sources: list[Source], dist: Path, ntriples: str | bytes, modified: str,
    publisher_name: str = "jp-lg-partnerships", publisher_homepage: str | None = None,
) -> Graph:
    """DCAT catalog of the built dataset with VoID statistics of its sorted N-Triples; its publisher
    is the deployment's (``KG_PUBLISHER``, ``KG_PUBLISHER_HOMEPAGE``)."""
    graph = bind_prefixes(Graph(), iris.base)
    base = iris.base
    catalog_node = URIRef(base + "id/catalog")
    dataset = iris.dataset
    publisher = URIRef(base + "id/publisher")

    graph.add((catalog_node, RDF.type, DCAT.Catalog))
    graph.add((catalog_node, DCTERMS.title, Literal("自治体間連携データカタログ", lang="ja")))
    graph.add((catalog_node, DCTERMS.title, Literal("Catalog of partnerships between local governments", lang="en")))
    graph.add((catalog_node, DCTERMS.description, Literal(
        "Linked data on sister cities, friendship cities, disaster mutual-aid agreements, thematic "
        "cooperation and joint projects of Japanese local governments, built from published lists.", lang="en")))
    graph.add((catalog_node, DCTERMS.publisher, publisher))
    graph.add((catalog_node, DCAT.dataset, dataset))
    typed(graph, URIRef(base), FOAF.Document, FOAF.homepage, catalog_node)
    graph.add((catalog_node, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    typed(graph, DATASET_LICENCE, DCTERMS.LicenseDocument, DCTERMS.license, catalog_node)

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(publisher_name)))
    if publisher_homepage:
        graph.add((publisher, FOAF.homepage, URIRef(publisher_homepage)))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("自治体間連携ナレッジグラフ", lang="ja")))
    graph.add((dataset, DCTERMS.title, Literal("Knowledge graph of partnerships between local governments", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "One validated graph of the ties between Japanese local governments and their partners at home "
        "and abroad, merged across sources, with every source claim kept down to its line.", lang="en")))
    graph.add((dataset, DCTERMS.publisher, publisher))
    typed(graph, DATASET_LICENCE, DCTERMS.LicenseDocument, DCTERMS.license, dataset)
    graph.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    for language in sorted({source.language for source in sources} | {"ja"}):
        typed(graph, language_iri(language), DCTERMS.LinguisticSystem, DCTERMS.language, dataset)
    typed(graph, URIRef(base), FOAF.Document, DCAT.landingPage, dataset)
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    graph.add((dataset, VOID.vocabulary, URIRef(base + "def/lgp#")))

    for source in sources:
        node = iris.source(source.id)
        graph.add((dataset, DCTERMS.source, node))
        graph.add((dataset, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), node))
        describe_source(graph, iris, source)
        distribution = iris.distribution(f"source-{source.id}")
        graph.add((node, DCAT.distribution, distribution))
        _distribution(graph, distribution, iris, f"sources/{source.file}", "text/plain",
                      dist / "sources" / source.file, None, URIRef(source.licence) if source.licence else None)
        if not source.licence:
            no_licence(graph, distribution, iris)

    for name, media_type in MEDIA_TYPES.items():
        for file_name, file_type in ((name, media_type), (name + ".gz", "application/gzip")):
            file_path = dist / file_name
            if not file_path.exists():
                continue
            distribution = iris.distribution(file_name.replace("/", "-"))
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((dataset, VOID.dataDump, iris.download(file_name)))
            _distribution(graph, distribution, iris, file_name, file_type, file_path,
                          media_type if file_type == "application/gzip" else None)
    _void(graph, dataset, ntriples)
    return graph


def _distribution(graph: Graph, node: URIRef, iris: Iris, name: str, media_type: str, path: Path,
                  packaged: str | None, licence: URIRef | None = DATASET_LICENCE) -> None:
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(name, lang="en")))
    graph.add((node, DCAT.accessURL, iris.download(name)))
    graph.add((node, DCAT.downloadURL, iris.download(name)))
    typed(graph, URIRef(IANA + media_type), DCTERMS.MediaType, DCAT.mediaType, node)
    format_of = FORMATS.get(packaged or media_type)
    if format_of:
        typed(graph, URIRef(format_of), DCTERMS.MediaTypeOrExtent, DCTERMS.format, node)
    if packaged:
        typed(graph, URIRef(IANA + "application/gzip"), DCTERMS.MediaType, DCAT.compressFormat, node)
    if licence is not None:
        typed(graph, licence, DCTERMS.LicenseDocument, DCTERMS.license, node)
    if path.is_file():
        graph.add((node, DCAT.byteSize, Literal(path.stat().st_size, datatype=XSD.nonNegativeInteger)))
        with path.open("rb") as content:  # read in pieces: a dump can be larger than memory should hold
            digest = hashlib.file_digest(content, "sha256").hexdigest()
        checksum = URIRef(str(node) + "/sha256")
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        typed(graph, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm, SPDX.algorithm, checksum)
        graph.add((checksum, SPDX.checksumValue, Literal(digest, datatype=XSD.hexBinary)))


def _void(graph: Graph, dataset: URIRef, ntriples: str | bytes) -> None:
    """VoID statistics from the sorted N-Triples: triples, entities, classes and properties.

    Sorted, a subject's lines come together: subjects are counted as they change, and
    the lines are read as bytes, one at a time, never all split out at once.
    """
    classes: Counter[bytes] = Counter()
    properties: Counter[bytes] = Counter()
    count = subjects = typed = 0
    previous, previous_typed = b"", b""
    a = A.encode("ascii")
    data = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
    for line in io.BytesIO(data):
        parts = line.split(b" ", 2)
        if len(parts) < 3:
            continue  # a blank line
        subject, predicate, rest = parts
        count += 1
        if subject != previous:
            subjects += 1
            previous = subject
        properties[predicate] += 1
        if predicate == a:
            if subject != previous_typed:
                typed += 1
                previous_typed = subject
            classes[rest.rstrip()[:-1].strip()] += 1
    classes = Counter({key.decode("utf-8"): value for key, value in classes.items()})
    properties = Counter({key.decode("utf-8"): value for key, value in properties.items()})
    graph.add((dataset, VOID.triples, Literal(count, datatype=XSD.integer)))
    graph.add((dataset, VOID.distinctSubjects, Literal(subjects, datatype=XSD.integer)))
    graph.add((dataset, VOID.entities, Literal(typed, datatype=XSD.integer)))
    graph.add((dataset, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    graph.add((dataset, VOID.properties, Literal(len(properties), datatype=XSD.integer)))
    for number, (cls, count) in enumerate(sorted(classes.items()), start=1):
        partition = URIRef(f"{dataset}/class/{number}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls[1:-1])))
        graph.add((partition, VOID.entities, Literal(count, datatype=XSD.integer)))
    for number, (prop, count) in enumerate(sorted(properties.items()), start=1):
        partition = URIRef(f"{dataset}/property/{number}")
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop[1:-1])))
        graph.add((partition, VOID.triples, Literal(count, datatype=XSD.integer)))

"""The link sets in ``dist/`` and in the catalog: one ``void:Linkset`` per set.

Each link set is written as ``dist/links/<id>.nt`` (its links, sorted) and described
as a ``void:Linkset`` (and ``dcat:Dataset``) that is a subset of the graph's dataset:
subjects and objects target, link predicate, number of links, its N-Triples
distribution, and the tables it was made from with their provenance (source,
endpoint, retrieval date, licence) as further distributions.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, SKOS, VOID, XSD

from kg.catalog import _distribution
from kg.iris import Iris
from kg.links import LinkSet, Links
from kg.links.tables import MANIFEST


def write_linksets(sets: list[LinkSet], links: Links, dist: Path, quickstatements: list[str]) -> list[Path]:
    """``dist/links/``: each set's N-Triples, the tables and manifest it came from, the QuickStatements."""
    folder = dist / "links"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for linkset in sets:
        lines = sorted({f"<{s}> <{linkset.predicate}> <{o}> .\n" for s, o in linkset.links})
        path = folder / f"{linkset.id}.nt"
        path.write_text("".join(lines), encoding="utf-8")
        written.append(path)
    for table in links.manifest.tables:
        written.append(Path(shutil.copyfile(links.manifest.folder / table.file, folder / table.file)))
    written.append(Path(shutil.copyfile(links.manifest.folder / MANIFEST, folder / MANIFEST)))
    path = folder / "wikidata-p190.qs"
    path.write_text("".join(line + "\n" for line in quickstatements), encoding="utf-8")
    written.append(path)
    return written


def describe_linksets(graph: Graph, iris: Iris, sets: list[LinkSet], links: Links, dist: Path) -> Graph:
    """Add the link sets and their targets to the catalog graph."""
    dataset = iris.dataset
    for target in {linkset.target.id: linkset.target for linkset in sets}.values():
        node = iris.linked_dataset(target.id)
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, DCTERMS.title, Literal(target.title)))
        graph.add((node, FOAF.homepage, URIRef(target.homepage)))
        graph.add((URIRef(target.homepage), RDF.type, FOAF.Document))
        graph.add((node, VOID.sparqlEndpoint, URIRef(target.sparql)))
        graph.add((node, VOID.uriSpace, Literal(target.uri_space)))
    for linkset in sets:
        node = iris.linkset(linkset.id)
        graph.add((dataset, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Linkset))
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.title, Literal(linkset.title)))
        made = "minted from the 団体コード" if not linkset.tables else "from " + ", ".join(linkset.tables)
        graph.add((node, DCTERMS.description, Literal(
            f"Links from the graph's local governments to {linkset.target.title} with <{linkset.predicate}>, "
            f"{made}.", lang="en")))
        graph.add((node, VOID.subjectsTarget, dataset))
        graph.add((node, VOID.objectsTarget, iris.linked_dataset(linkset.target.id)))
        graph.add((node, VOID.linkPredicate, linkset.predicate))
        graph.add((node, VOID.triples, Literal(len(linkset.links), datatype=XSD.integer)))
        distribution = iris.distribution(f"links-{linkset.id}.nt")
        graph.add((node, DCAT.distribution, distribution))
        graph.add((node, VOID.dataDump, iris.download(f"links/{linkset.id}.nt")))
        _distribution(graph, distribution, iris, f"links/{linkset.id}.nt", "application/n-triples",
                      dist / "links" / f"{linkset.id}.nt", None)
        for file in linkset.tables:
            table = links.manifest.table(file)
            if table.retrieved:
                graph.add((node, PROV.wasDerivedFrom, URIRef(table.endpoint)))
            source = iris.distribution(f"links-{file}")
            graph.add((node, DCAT.distribution, source))
            _distribution(graph, source, iris, f"links/{file}", "text/csv", dist / "links" / file, None,
                          URIRef(table.licence))
            graph.add((source, DCTERMS.description, Literal(f"{table.source} ({table.command})", lang="en")))
            if table.retrieved:
                graph.add((source, DCTERMS.modified, Literal(table.retrieved, datatype=XSD.date)))
            else:
                graph.add((source, SKOS.editorialNote, Literal(
                    f"Not fetched yet: `{table.command}` fills this table.", lang="en")))
    return graph

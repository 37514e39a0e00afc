"""The small graph the endpoint's tests serve, shared by fixtures and tests."""

from __future__ import annotations

import gzip
from pathlib import Path

from pyoxigraph import RdfFormat, parse, serialize

BASE = "http://localhost:8000/"
NAMED_GRAPH = "http://example.org/graph/extra"
CHENGDE = "id/place/CN/CN-HE/%E6%89%BF%E5%BE%B3%E5%B8%82"

GRAPH_TTL = f"""
@prefix lgp: <{BASE}def/lgp#> .
@prefix kind: <{BASE}def/kind/> .
@prefix data: <{BASE}id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<{BASE}def/lgp> a owl:Ontology ; dcterms:title "Local government partnership ontology"@en .
lgp:Partnership a owl:Class ; rdfs:label "連携"@ja, "Partnership"@en .
lgp:Municipality a owl:Class ; rdfs:label "市町村"@ja, "Municipality"@en .
lgp:party a owl:ObjectProperty ; rdfs:label "当事者"@ja, "party"@en .
lgp:kind a owl:ObjectProperty ; rdfs:label "種類"@ja, "kind"@en .

kind: a skos:ConceptScheme ; skos:prefLabel "自治体間連携の種類"@ja, "Kinds of tie"@en .
kind:sister-city a skos:Concept ; skos:inScheme kind: ; skos:notation "sister-city" ;
    skos:prefLabel "姉妹都市"@ja, "Sister city"@en .
kind:disaster-mutual-aid a skos:Concept ; skos:inScheme kind: ; skos:notation "disaster-mutual-aid" ;
    skos:prefLabel "災害時相互応援"@ja, "Disaster mutual aid"@en .

data:lg\\/011002 a lgp:Municipality ; rdfs:label "札幌市"@ja, "Sapporo"@en ; dcterms:identifier "011002" .
data:lg\\/131016 a lgp:Municipality ; rdfs:label "千代田区"@ja, "Chiyoda"@en ; dcterms:identifier "131016" .
data:lg\\/271004 a lgp:Municipality ; rdfs:label "大阪市"@ja, "Osaka"@en ; dcterms:identifier "271004" .
<{BASE}{CHENGDE}> a lgp:ForeignLocalAuthority ; rdfs:label "承徳市"@ja .

data:partnership\\/a1 a lgp:Partnership ; lgp:party data:lg\\/011002, data:lg\\/271004 ;
    lgp:kind kind:sister-city ; lgp:date "1959-11-01"^^xsd:date .
data:partnership\\/b2 a lgp:Partnership ; lgp:party data:lg\\/131016, <{BASE}{CHENGDE}> ;
    lgp:kind kind:disaster-mutual-aid ; lgp:date "1995"^^xsd:gYear .
"""

NAMED_TRIG = f"""<{NAMED_GRAPH}> {{ <{BASE}id/lg/999999> <http://www.w3.org/2000/01/rdf-schema#label> "only in a named graph" . }}"""

CATALOG_TTL = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix void: <http://rdfs.org/ns/void#> .
<{BASE}id/catalog> a dcat:Catalog ; dcterms:title "Catalog"@en ; dcat:dataset <{BASE}id/dataset> .
<{BASE}id/dataset> a dcat:Dataset, void:Dataset ; dcterms:title "Local government partnerships"@en ;
    dcat:distribution <{BASE}id/distribution/nt> ; void:dataDump <{BASE}download/kg.nt> ;
    void:sparqlEndpoint <{BASE}sparql> ; void:uriSpace "{BASE}id/" ; void:triples 1 ;
    dcterms:source <{BASE}id/source/s1> .
<{BASE}id/source/s1> a dcat:Dataset ; dcterms:title "A source list"@en .
<{BASE}id/distribution/nt> a dcat:Distribution ; dcat:downloadURL <{BASE}download/kg.nt> ;
    dcat:mediaType <https://www.iana.org/assignments/media-types/application/n-triples> .
"""


def graph_ntriples() -> bytes:
    """The fixture graph as N-Triples, the way the build writes ``kg.nt``."""
    triples = [q.triple for q in parse(GRAPH_TTL, RdfFormat.TURTLE)]
    return serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES)


def vary(response) -> set[str]:
    """The header names of a response's ``Vary``."""
    return {name.strip() for name in response.headers.get("vary", "").split(",") if name.strip()}


def write_dist(folder: Path) -> Path:
    """A built folder as ``kg build`` leaves it, small: the fixture graph, its catalog, a CSV, a report."""
    nt = graph_ntriples()
    (folder / "kg.nt").write_bytes(nt)
    (folder / "kg.nt.gz").write_bytes(gzip.compress(nt))
    (folder / "kg.ttl").write_text(GRAPH_TTL, encoding="utf-8")
    (folder / "catalog.ttl").write_text(CATALOG_TTL, encoding="utf-8")
    (folder / "csv").mkdir()
    (folder / "csv" / "partnerships.csv").write_text("id,kind\na1,sister-city\n", encoding="utf-8")
    (folder / "report.json").write_text('{"conforms": true}', encoding="utf-8")
    return folder

"""Downloads, catalog, VoID and the offline API docs."""

from __future__ import annotations

import gzip
import re

import httpx
import pytest
from endpoint_data import BASE, vary
from rdflib import RDF, Graph, Literal, Namespace, URIRef

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("kg.nt", "application/n-triples"),
        ("kg.ttl", "text/turtle"),
        ("kg.nt.gz", "application/gzip"),
        ("csv/partnerships.csv", "text/csv"),
        ("catalog.ttl", "text/turtle"),
        ("report.json", "application/json"),
    ],
)
def test_download_media_types(server, dist, name, media_type):
    response = httpx.get(server + "/download/" + name)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.content == (dist / name).read_bytes()


def test_gzip_downloads_are_the_compressed_file(server, dist):
    response = httpx.get(server + "/download/kg.nt.gz", headers={"Accept-Encoding": "identity"})
    assert gzip.decompress(response.content) == (dist / "kg.nt").read_bytes()


@pytest.mark.parametrize("name", ["missing.nt", "../kg.nt", "%2e%2e/%2e%2e/etc/passwd", "csv"])
def test_downloads_stay_inside_dist(server, name):
    assert httpx.get(server + "/download/" + name).status_code == 404


def test_download_listing(server):
    listing = httpx.get(server + "/download/", headers={"Accept": "application/json"}).json()
    names = {entry["name"] for entry in listing}
    assert {"kg.nt", "kg.nt.gz", "csv/partnerships.csv", "catalog.ttl"} <= names
    page = httpx.get(server + "/download/", headers={"Accept": "text/html"}).text
    assert 'href="/download/csv/partnerships.csv"' in page


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"), ("application/n-triples", "nt")],
)
def test_catalog_by_conneg(server, accept, rdflib_format):
    response = httpx.get(server + "/catalog", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert "Accept" in vary(response)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    assert (URIRef(BASE + "id/catalog"), RDF.type, DCAT.Catalog) in graph


def test_catalog_suffix_and_page(server):
    assert httpx.get(server + "/catalog.jsonld").headers["content-type"].startswith("application/ld+json")
    page = httpx.get(server + "/catalog", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    # The catalog's own statements, not the navigation bar's link to it.
    main = page.text.split("<main", 1)[1]
    assert "/download/kg.nt" in main and "Local government partnerships" in main


def test_void_describes_the_served_dataset_once(server):
    response = httpx.get(server + "/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(BASE + "id/dataset")
    assert set(graph.subjects(RDF.type, VOID.Dataset)) == {dataset}
    # The endpoint answering, once; not also the catalog's idea of it.
    assert set(graph.objects(dataset, VOID.sparqlEndpoint)) == {URIRef(server + "/sparql")}
    assert (dataset, VOID.dataDump, URIRef(BASE + "download/kg.nt")) in graph
    assert (dataset, VOID.uriSpace, Literal(BASE + "id/")) in graph
    counted = httpx.get(server + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"},
                        headers={"Accept": "application/sparql-results+json"}).json()
    assert [int(t) for t in graph.objects(dataset, VOID.triples)] == [int(counted["results"]["bindings"][0]["n"]["value"])]
    # The source the catalog lists is not described as a VoID dataset of its own.
    assert not set(graph.predicate_objects(URIRef(BASE + "id/source/s1")))


def test_missing_catalog_says_to_build(tmp_path, store):
    from endpoint.app import create_app
    from endpoint.server import fetch
    from endpoint.settings import ServeSettings

    app = create_app(ServeSettings(dist=tmp_path), backend=store)
    response = fetch(app, "/catalog")
    assert response.status_code == 404
    assert "kg build" in response.text


def test_docs_work_offline(server):
    page = httpx.get(server + "/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
    assert assets
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert httpx.get(server + asset).status_code == 200, asset
    assert "cdn" not in page.text.lower()


def test_openapi_lists_the_protocol(server):
    schema = httpx.get(server + "/openapi.json").json()
    assert {"get", "post"} <= set(schema["paths"]["/sparql"])
    assert "/id/{path}" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/sparql"]["get"]["parameters"]}
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= parameters
    # The POSTs, answered ahead of the routes, are in the schema all the same.
    posted = schema["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"} <= set(posted)
    assert "application/sparql-update" in schema["paths"]["/update"]["post"]["requestBody"]["content"]


def test_home(server):
    page = httpx.get(server + "/")
    assert page.status_code == 200
    assert 'href="/sparql"' in page.text

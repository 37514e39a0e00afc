"""Linked Data: IRIs under the base resolve by content negotiation, suffixes and pages."""

from __future__ import annotations

import re

import httpx
import pytest
from endpoint_data import BASE, CHENGDE, GRAPH_TTL, vary
from pyld import jsonld
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

LG = URIRef(BASE + "id/lg/011002")


def outgoing(subject: URIRef) -> Graph:
    whole = Graph().parse(data=GRAPH_TTL, format="turtle")
    graph = Graph()
    for triple in whole.triples((subject, None, None)):
        graph.add(triple)
    return graph


def no_loader(url, options=None):
    raise AssertionError(f"tried to fetch {url}")


def parse(response: httpx.Response) -> Graph:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/ld+json":
        nquads = jsonld.to_rdf(response.json(), {"format": "application/n-quads", "documentLoader": no_loader})
        return Graph().parse(data=nquads, format="nt")
    rdflib_format = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}[media_type]
    return Graph().parse(data=response.text, format=rdflib_format)


@pytest.mark.parametrize(
    ("accept", "media_type", "extension"),
    [
        ("text/turtle", "text/turtle", "ttl"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "jsonld"),
        ("application/rdf+xml", "application/rdf+xml", "rdf"),
        ("*/*", "text/turtle", "ttl"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.4", "application/rdf+xml", "rdf"),
    ],
)
def test_resource_by_content_negotiation(server, accept, media_type, extension):
    response = httpx.get(server + "/id/lg/011002", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in vary(response)
    assert response.headers["content-location"] == f"/id/lg/011002.{extension}"
    assert isomorphic(parse(response), outgoing(LG))


@pytest.mark.parametrize("extension", ["ttl", "nt", "jsonld", "rdf"])
def test_resource_by_suffix_ignores_accept(server, extension):
    response = httpx.get(server + f"/id/lg/011002.{extension}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert isomorphic(parse(response), outgoing(LG))
    assert "Accept" not in vary(response)


def test_link_header_lists_alternates(server):
    response = httpx.get(server + "/id/lg/011002")
    assert '</id/lg/011002.jsonld>; rel="alternate"; type="application/ld+json"' in response.headers["link"]


def test_not_acceptable_resource(server):
    response = httpx.get(server + "/id/lg/011002", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text and "text/html" in response.text


def test_jsonld_is_compact(server):
    document = httpx.get(server + "/id/partnership/a1.jsonld").json()
    assert document["@context"]["lgp"] == BASE + "def/lgp#"
    node = document["@graph"][0]
    assert node["@id"] == "data:partnership/a1"
    # Compacted as the JSON-LD algorithm does: one value as itself, several as an array.
    assert node["@type"] == "lgp:Partnership"
    assert node["lgp:date"] == {"@value": "1959-11-01", "@type": "xsd:date"}


def test_percent_encoded_iri(server):
    subject = URIRef(BASE + CHENGDE)
    response = httpx.get(server + "/" + CHENGDE + ".nt")
    assert isomorphic(parse(response), outgoing(subject))
    lowercase = httpx.get(server + "/" + CHENGDE.lower().replace("id/place/cn/cn-he", "id/place/CN/CN-HE") + ".nt")
    assert isomorphic(parse(lowercase), outgoing(subject))


def test_ontology_document_holds_its_hash_terms(server):
    graph = parse(httpx.get(server + "/def/lgp", headers={"Accept": "text/turtle"}))
    assert (URIRef(BASE + "def/lgp"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in graph
    assert (URIRef(BASE + "def/lgp#Partnership"), RDFS.label, Literal("Partnership", lang="en")) in graph
    assert (URIRef(BASE + "def/lgp#party"), RDFS.label, Literal("party", lang="en")) in graph
    assert not list(graph.triples((LG, None, None)))


def test_concept_scheme_holds_its_concepts(server):
    graph = parse(httpx.get(server + "/def/kind/", headers={"Accept": "text/turtle"}))
    scheme = URIRef(BASE + "def/kind/")
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert concepts == {URIRef(BASE + "def/kind/sister-city"), URIRef(BASE + "def/kind/disaster-mutual-aid")}
    assert (URIRef(BASE + "def/kind/sister-city"), SKOS.prefLabel, Literal("姉妹都市", lang="ja")) in graph


def test_concept(server):
    graph = parse(httpx.get(server + "/def/kind/sister-city.ttl"))
    assert isomorphic(graph, outgoing(URIRef(BASE + "def/kind/sister-city")))


@pytest.mark.parametrize("path", ["/id/lg/000000", "/id/lg/000000.ttl", "/def/nothing", "/id/"])
def test_unknown_iri_is_404(server, path):
    response = httpx.get(server + path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert "nothing is said about" in response.text


def test_unknown_iri_is_a_404_page_for_browsers(server):
    response = httpx.get(server + "/id/lg/000000", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in response.text


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_browsers_get_a_page(server):
    response = httpx.get(server + "/id/partnership/a1", headers={"Accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<h1>id/partnership/a1</h1>" in page or "<h1>data:partnership/a1</h1>" in page
    # Labels stand for IRIs, links stay on this server.
    assert '<a href="/id/lg/011002" title="http://localhost:8000/id/lg/011002">札幌市</a>' in page
    assert '<a href="/def/kind/sister-city" title="http://localhost:8000/def/kind/sister-city">姉妹都市</a>' in page
    assert "1959-11-01" in page and "xsd:date" in page
    assert 'href="/id/partnership/a1.ttl"' in page


def test_page_shows_incoming_links(server):
    page = httpx.get(server + "/id/lg/011002.html").text
    assert "札幌市" in page
    assert 'href="/id/partnership/a1"' in page  # referenced by the partnership


def test_vocabulary_page_anchors_terms(server):
    page = httpx.get(server + "/def/lgp", headers={"Accept": "text/html"}).text
    assert 'id="Partnership"' in page
    assert 'id="party"' in page


def test_pages_load_nothing_remote(server):
    for path in ("/id/partnership/a1.html", "/def/lgp.html", "/sparql", "/", "/download/"):
        page = httpx.get(server + path, headers={"Accept": "text/html"}).text
        assets = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="([^"]+)"', page)
        assert assets, path
        assert all(asset.startswith("/") for asset in assets), (path, assets)


def test_static_css(server):
    response = httpx.get(server + "/static/style.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")

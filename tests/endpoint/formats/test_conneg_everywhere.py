"""One rule set for every negotiated answer: q-values, wildcards, `format`, suffixes, 406 and Vary."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from endpoint_data import BASE, GRAPH_TTL, vary
from rdflib import Graph, Literal, URIRef

SELECT = f"SELECT ?s WHERE {{ ?s a <{BASE}def/lgp#Partnership> }}"
ASK = "ASK {}"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{BASE}id/lg/011002> ?p ?o }}"

# Every negotiated place, what */* gets there, and what a client asking for images must be told.
PLACES = [
    ("/sparql", {"query": SELECT}, "application/sparql-results+json"),
    ("/sparql", {"query": ASK}, "application/sparql-results+json"),
    ("/sparql", {"query": CONSTRUCT}, "text/turtle"),
    ("/sparql", {}, "text/turtle"),  # the service description
    ("/id/lg/011002", {}, "text/turtle"),
    ("/def/kind/", {}, "text/turtle"),
    ("/catalog", {}, "text/turtle"),
    ("/.well-known/void", {}, "text/turtle"),
    ("/download/", {}, "text/html"),
]
IDS = ["select", "ask", "construct", "service", "resource", "vocabulary", "catalog", "void", "downloads"]


@pytest.mark.parametrize(("path", "params", "default"), PLACES, ids=IDS)
def test_anything_gets_the_default_and_says_vary(server, path, params, default):
    for accept in ("*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = httpx.get(server + path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == default
        assert "Accept" in vary(response)


@pytest.mark.parametrize(("path", "params", "default"), PLACES, ids=IDS)
@pytest.mark.parametrize("accept", ["image/png", "image/*", "*/*;q=0", f"{'text/turtle;q=0'}, image/png"])
def test_nothing_acceptable_is_406_with_the_list(server, path, params, default, accept):
    response = httpx.get(server + path, params=params, headers={"Accept": accept})
    assert response.status_code == 406
    assert "ask for one of:" in response.text and default in response.text
    assert "Accept" in vary(response)


@pytest.mark.parametrize(
    ("path", "params", "accept", "expected"),
    [
        ("/sparql", {"query": SELECT}, "text/csv;q=0.9, application/sparql-results+xml;q=0.5", "text/csv"),
        ("/sparql", {"query": SELECT}, "text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
        ("/sparql", {"query": ASK}, "application/*;q=0.5, application/sparql-results+json;q=0", "application/sparql-results+xml"),
        ("/sparql", {"query": CONSTRUCT}, "application/*;q=0.8, text/turtle;q=0.7", "application/n-triples"),
        ("/id/lg/011002", {}, "text/csv;q=0.9, text/turtle;q=0.5", "text/csv"),
        ("/id/lg/011002", {}, "text/*", "text/turtle"),
        ("/id/lg/011002", {}, "text/turtle;q=0, text/*", "text/html"),
        ("/id/lg/011002", {}, "application/*;q=0.2, text/html;q=0.1", "application/n-triples"),
        ("/catalog", {}, "text/csv, */*;q=0.1", "text/csv"),
        ("/.well-known/void", {}, "application/ld+json;q=0.9, */*;q=0.8", "application/ld+json"),
    ],
)
def test_quality_values_and_wildcards(server, path, params, accept, expected):
    response = httpx.get(server + path, params=params, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in vary(response)


def test_ask_cannot_be_turtle(server):
    response = httpx.get(server + "/sparql", params={"query": ASK}, headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


@pytest.mark.parametrize(
    ("word", "media_type"),
    [("csv", "text/csv"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"), ("html", "text/html")],
)
def test_format_parameter_on_resources(server, word, media_type):
    response = httpx.get(server + "/id/lg/011002", params={"format": word}, headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
     ("rdf", "application/rdf+xml"), ("csv", "text/csv"), ("html", "text/html")],
)
@pytest.mark.parametrize("path", ["/id/lg/011002", "/def/kind/sister-city", "/catalog"])
def test_suffixes(server, path, suffix, media_type):
    response = httpx.get(f"{server}{path}.{suffix}", headers={"Accept": "image/png"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" not in vary(response)


def test_resource_csv_is_its_triples(server):
    response = httpx.get(server + "/id/lg/011002.csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["subject", "predicate", "object", "datatype", "language"]
    whole = Graph().parse(data=GRAPH_TTL, format="turtle")
    subject = URIRef(BASE + "id/lg/011002")
    expected = set()
    for _, p, o in whole.triples((subject, None, None)):
        if isinstance(o, Literal):
            datatype = str(o.datatype) if o.datatype else (
                "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString" if o.language else "http://www.w3.org/2001/XMLSchema#string")
            expected.add((str(subject), str(p), str(o), datatype, o.language or ""))
        else:
            expected.add((str(subject), str(p), str(o), "", ""))
    assert {tuple(row.values()) for row in rows} == expected


def test_negotiated_csv_says_where_it_is(server):
    response = httpx.get(server + "/id/lg/011002", headers={"Accept": "text/csv"})
    assert response.headers["content-location"] == "/id/lg/011002.csv"
    assert '</id/lg/011002.csv>; rel="alternate"; type="text/csv"' in response.headers["link"]


def test_unknown_suffix_is_404(server):
    assert httpx.get(server + "/catalog.xlsx").status_code == 404
    assert httpx.get(server + "/id/lg/011002.xlsx").status_code == 404


def test_equal_formats_keep_their_identity():
    """Negotiation is cached; a format equal to another module's must still come back as itself."""
    from endpoint.formats.negotiation import negotiate
    from endpoint.formats.media import HTML, Format, Kind

    mine, theirs = (Format("json", "application/json", "json", Kind.PAGE) for _ in range(2))
    assert negotiate("application/json", (HTML, mine)) is mine
    assert negotiate("application/json", (HTML, theirs)) is theirs

"""Content negotiation: the rule itself, then as /sparql applies it."""

from __future__ import annotations

import httpx
import pytest
from endpoint_data import BASE, vary

from endpoint.formats.negotiation import NotAcceptable, choose, negotiate, parse_accept
from endpoint.formats.media import CSV, GRAPHS, HTML, JSON, JSON_LD, N_TRIPLES, RDF_XML, RESULTS, TSV, TURTLE, XML, Format

SELECT = f"SELECT ?s WHERE {{ ?s a <{BASE}def/lgp#Partnership> }} ORDER BY ?s"
CONSTRUCT = f"CONSTRUCT WHERE {{ <{BASE}id/lg/011002> ?p ?o }}"


@pytest.mark.parametrize(
    ("header", "offered", "expected"),
    [
        (None, RESULTS, JSON),
        ("", GRAPHS, TURTLE),
        ("*/*", GRAPHS, TURTLE),
        ("text/csv", RESULTS, CSV),
        ("text/csv;q=0.5, text/tab-separated-values", RESULTS, TSV),
        ("application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.8", RESULTS, XML),
        ("text/*", RESULTS, CSV),  # the first text/ format of the list
        ("text/*;q=0.2, */*;q=0.1", GRAPHS, TURTLE),
        ("application/*", GRAPHS, N_TRIPLES),
        ("*/*;q=0.1, application/ld+json", GRAPHS, JSON_LD),
        ("application/json", RESULTS, JSON),
        ("application/json", GRAPHS, JSON_LD),
        ("application/xml", GRAPHS, RDF_XML),
        ("text/turtle;q=0, */*", GRAPHS, N_TRIPLES),  # an exact q=0 outranks the wildcard
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", (*GRAPHS, HTML), HTML),
        ("TEXT/Turtle", GRAPHS, TURTLE),
        ("text/turtle; charset=utf-8; q=0.7, application/n-triples; q=0.6", GRAPHS, TURTLE),
    ],
)
def test_negotiate(header, offered, expected):
    assert negotiate(header, offered) is expected


@pytest.mark.parametrize("header", ["image/png", "text/turtle;q=0", "application/sparql-results+json;q=0"])
def test_nothing_acceptable(header):
    with pytest.raises(NotAcceptable, match="ask for one of: text/turtle"):
        negotiate(header, GRAPHS)


def test_parse_accept_ignores_nonsense():
    assert parse_accept("text/turtle;q=abc, garbage, */*;q=2") == [("text/turtle", 0.0), ("*/*", 1.0)]


@pytest.mark.parametrize(
    ("words", "offered", "expected"),
    [
        (["json"], RESULTS, JSON),
        (["json"], GRAPHS, JSON_LD),
        (["xml"], GRAPHS, RDF_XML),
        (["rdfxml"], GRAPHS, RDF_XML),
        (["turtle"], GRAPHS, TURTLE),
        (["text/tab-separated-values"], RESULTS, TSV),
        (["tsv", "text/tab-separated-values"], RESULTS, TSV),
        (["nonsense", "csv"], RESULTS, CSV),
    ],
)
def test_format_parameter(words, offered, expected):
    assert choose(words, "application/sparql-results+json", offered) is expected


def test_format_parameter_naming_nothing_offered():
    with pytest.raises(NotAcceptable, match="format parameter"):
        choose(["png"], None, RESULTS)


@pytest.mark.parametrize("fmt", [*RESULTS, *GRAPHS, HTML])
def test_formats_are_found_by_media_type_and_name(fmt):
    offered = RESULTS if fmt in RESULTS else (*GRAPHS, HTML)
    assert Format.parse(fmt.media_type, offered) is fmt
    assert Format.parse(fmt.name, offered) is fmt
    assert Format.parse(fmt.content_type, offered) is fmt


def get(server: str, query: str, accept: str | None = None, **params) -> httpx.Response:
    headers = {"Accept": accept} if accept is not None else {}
    return httpx.get(server + "/sparql", params={"query": query, **params}, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("text/*", "text/csv"),
        ("*/*", "application/sparql-results+json"),
        (None, "application/sparql-results+json"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_by_accept(server, accept, media_type):
    response = get(server, SELECT, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in vary(response)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/n-triples, text/turtle;q=0.5", "application/n-triples"),
        ("application/*", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/json", "application/ld+json"),
        ("*/*", "text/turtle"),
    ],
)
def test_construct_by_accept(server, accept, media_type):
    response = get(server, CONSTRUCT, accept)
    assert response.headers["content-type"].split(";")[0] == media_type


def test_not_acceptable_lists_the_supported_types(server):
    response = get(server, SELECT, "image/png")
    assert response.status_code == 406
    for media_type in ("application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        assert media_type in response.text
    assert "Accept" in vary(response)


def test_not_acceptable_for_a_graph_query(server):
    response = get(server, CONSTRUCT, "text/csv")
    assert response.status_code == 406
    assert "text/turtle" in response.text


@pytest.mark.parametrize(
    ("word", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
    ],
)
def test_select_format_parameter_wins_over_accept(server, word, media_type):
    response = get(server, SELECT, "application/sparql-results+json", format=word)
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("word", "media_type"),
    [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml")],
)
def test_construct_format_parameter(server, word, media_type):
    response = get(server, CONSTRUCT, "text/html", format=word)
    assert response.headers["content-type"].split(";")[0] == media_type


def test_unknown_format_parameter(server):
    response = get(server, SELECT, format="yaml")
    assert response.status_code == 406
    assert "format parameter" in response.text


def test_format_parameter_in_a_form_post(server):
    response = httpx.post(server + "/sparql", data={"query": SELECT, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "s"

"""The SPARQL 1.1 Protocol at /sparql, driven by SPARQLWrapper, rdflib's SPARQLStore and httpx."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from endpoint_data import BASE, GRAPH_TTL, NAMED_GRAPH, vary
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

LGP = Namespace(BASE + "def/lgp#")
SELECT_PARTIES = f"""
PREFIX lgp: <{BASE}def/lgp#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?party ?label WHERE {{
  <{BASE}id/partnership/a1> lgp:party ?party . ?party rdfs:label ?label FILTER(LANG(?label) = "ja")
}} ORDER BY ?label
"""
CONSTRUCT_A1 = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<{BASE}id/partnership/a1> AS ?s) ?s ?p ?o }}"
EXPECTED_LABELS = ["大阪市", "札幌市"]


def expected_a1() -> Graph:
    whole = Graph().parse(data=GRAPH_TTL, format="turtle")
    subject = URIRef(BASE + "id/partnership/a1")
    graph = Graph()
    for triple in whole.triples((subject, None, None)):
        graph.add(triple)
    return graph


def wrapper(server: str, return_format: str, query: str, *, method: str = "GET", request: str = URLENCODED):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(return_format)
    client.setMethod(method)
    client.setRequestMethod(request)
    return client.query()


@pytest.mark.parametrize(
    ("method", "request_method"), [("GET", URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
)
def test_select_json_by_every_request_method(server, method, request_method):
    result = wrapper(server, JSON, SELECT_PARTIES, method=method, request=request_method)
    data = result.convert()
    assert result.info()["content-type"].startswith("application/sparql-results+json")
    assert data["head"]["vars"] == ["party", "label"]
    assert [row["label"]["value"] for row in data["results"]["bindings"]] == EXPECTED_LABELS
    assert data["results"]["bindings"][0]["label"]["xml:lang"] == "ja"


def test_select_xml(server):
    document = wrapper(server, XML, SELECT_PARTIES).convert()
    labels = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert labels == EXPECTED_LABELS


def test_select_csv(server):
    result = wrapper(server, CSV, SELECT_PARTIES)
    assert result.info()["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(result.convert().decode())))
    assert rows == [["party", "label"], [BASE + "id/lg/271004", "大阪市"], [BASE + "id/lg/011002", "札幌市"]]


def test_select_tsv(server):
    result = wrapper(server, TSV, SELECT_PARTIES)
    assert result.info()["content-type"].startswith("text/tab-separated-values")
    lines = result.convert().decode().splitlines()
    assert lines == ["?party\t?label", f'<{BASE}id/lg/271004>\t"大阪市"@ja', f'<{BASE}id/lg/011002>\t"札幌市"@ja']


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_ask(server, return_format):
    yes = wrapper(server, return_format, f"ASK {{ <{BASE}id/partnership/a1> ?p ?o }}").convert()
    no = wrapper(server, return_format, f"ASK {{ <{BASE}id/partnership/zz> ?p ?o }}").convert()
    if return_format == JSON:
        assert (yes["boolean"], no["boolean"]) == (True, False)
    else:
        assert [d.getElementsByTagName("boolean")[0].firstChild.data for d in (yes, no)] == ["true", "false"]


@pytest.mark.parametrize(("return_format", "rdflib_format"), [(TURTLE, "turtle"), (N3, "turtle")])
def test_construct_turtle(server, return_format, rdflib_format):
    result = wrapper(server, return_format, CONSTRUCT_A1)
    assert result.info()["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=result.convert().decode(), format=rdflib_format)
    assert isomorphic(graph, expected_a1())


@pytest.mark.parametrize("return_format", [RDFXML, JSONLD])
def test_construct_rdfxml_and_jsonld(server, return_format):
    graph = wrapper(server, return_format, CONSTRUCT_A1).convert()
    assert isomorphic(graph, expected_a1())


def test_construct_ntriples(server):
    response = httpx.get(server + "/sparql", params={"query": CONSTRUCT_A1}, headers={"Accept": "application/n-triples"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert isomorphic(Graph().parse(data=response.text, format="nt"), expected_a1())


def test_construct_jsonld_is_compact_and_expands_to_the_same_graph(server):
    from pyld import jsonld

    response = httpx.get(server + "/sparql", params={"query": CONSTRUCT_A1, "format": "jsonld"})
    document = response.json()
    assert document["@context"]["lgp"] == BASE + "def/lgp#"
    assert document["@graph"][0]["@type"] == "lgp:Partnership"
    # pyld reads it with the inline context alone: no document loader is ever asked.
    def no_loader(url, options=None):
        raise AssertionError(f"tried to fetch {url}")

    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": no_loader})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), expected_a1())


def test_describe(server):
    response = httpx.get(server + "/sparql", params={"query": f"DESCRIBE <{BASE}id/lg/011002>"})
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(BASE + "id/lg/011002"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("札幌市", lang="ja")) in graph


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_rdflib_sparqlstore_select(server, method, return_format):
    store = SPARQLStore(server + "/sparql", method=method, returnFormat=return_format)
    rows = list(Graph(store).query(SELECT_PARTIES))
    assert [str(row[1]) for row in rows] == EXPECTED_LABELS


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore_ask_and_construct(server, method):
    graph = Graph(SPARQLStore(server + "/sparql", method=method))
    assert graph.query(f"ASK {{ <{BASE}id/lg/011002> ?p ?o }}").askAnswer is True
    constructed = Graph()
    for triple in graph.query(CONSTRUCT_A1):
        constructed.add(triple)
    assert isomorphic(constructed, expected_a1())


def test_rdflib_sparqlstore_triples(server):
    graph = Graph(SPARQLStore(server + "/sparql"))
    parties = set(graph.objects(URIRef(BASE + "id/partnership/a1"), LGP.party))
    assert parties == {URIRef(BASE + "id/lg/011002"), URIRef(BASE + "id/lg/271004")}


LABEL_QUERY = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label . FILTER(?label = 'only in a named graph') }"


def labels(response: httpx.Response) -> list[str]:
    return [row["label"]["value"] for row in response.json()["results"]["bindings"]]


def test_default_graph_uri_replaces_the_default_graph(server):
    plain = httpx.get(server + "/sparql", params={"query": LABEL_QUERY})
    scoped = httpx.get(server + "/sparql", params={"query": LABEL_QUERY, "default-graph-uri": NAMED_GRAPH})
    assert labels(plain) == []
    assert labels(scoped) == ["only in a named graph"]


def test_dataset_parameters_in_a_form_post(server):
    response = httpx.post(server + "/sparql", data={"query": LABEL_QUERY, "default-graph-uri": NAMED_GRAPH})
    assert labels(response) == ["only in a named graph"]


def test_dataset_parameters_with_a_direct_post(server):
    response = httpx.post(
        server + "/sparql",
        params={"default-graph-uri": NAMED_GRAPH},
        content=LABEL_QUERY,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert labels(response) == ["only in a named graph"]


def test_named_graph_uri_limits_graph_and_empties_the_default(server):
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } } GROUP BY ?g"
    everything = httpx.get(server + "/sparql", params={"query": query}).json()["results"]["bindings"]
    named = httpx.get(server + "/sparql", params={"query": query, "named-graph-uri": NAMED_GRAPH}).json()["results"]["bindings"]
    assert len(everything) == 2  # the default graph and the named one
    assert [row["g"]["value"] for row in named] == [NAMED_GRAPH]
    none = httpx.get(server + "/sparql", params={"query": query, "named-graph-uri": "http://example.org/none"})
    assert none.json()["results"]["bindings"] == []


def test_sparqlwrapper_default_graph(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery(LABEL_QUERY)
    client.setReturnFormat(JSON)
    client.addDefaultGraph(NAMED_GRAPH)
    bindings = client.query().convert()["results"]["bindings"]
    assert [row["label"]["value"] for row in bindings] == ["only in a named graph"]


SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [("text/turtle", "turtle"), ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"), ("*/*", "turtle")],
)
def test_service_description(server, accept, rdflib_format):
    response = httpx.get(server + "/sparql", headers={"Accept": accept})
    assert response.status_code == 200
    assert "Accept" in vary(response)
    graph = Graph().parse(data=response.text, format=rdflib_format)
    service = URIRef(server + "/sparql")
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (None, SD.resultFormat, URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    assert (service, SD.feature, SD.BasicFederatedQuery) not in graph


def test_browsers_get_a_query_form(server):
    response = httpx.get(server + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.headers["content-type"].startswith("text/html")
    assert '<form class="query"' in response.text and "<textarea" in response.text


def test_cors(server):
    simple = httpx.get(server + "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://elsewhere.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "X-Result-Truncated" in simple.headers["access-control-expose-headers"]
    preflight = httpx.options(
        server + "/sparql",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_json_results_are_valid_json_for_every_term_kind(server):
    query = 'SELECT ?iri ?blank ?typed ?plain ?unbound WHERE { BIND(<http://e.org/x> AS ?iri) BIND(BNODE() AS ?blank) BIND(42 AS ?typed) BIND("p" AS ?plain) }'
    response = httpx.get(server + "/sparql", params={"query": query})
    row = json.loads(response.text)["results"]["bindings"][0]
    assert row["iri"] == {"type": "uri", "value": "http://e.org/x"}
    assert row["blank"]["type"] == "bnode"
    assert row["typed"] == {"type": "literal", "value": "42", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["plain"] == {"type": "literal", "value": "p"}
    assert "unbound" not in row

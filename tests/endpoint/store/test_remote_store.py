"""`kg publish` into a real `oxigraph serve`, then `kg serve --store` over it."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner
from endpoint_data import BASE, GRAPH_TTL
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from endpoint.app import create_app
from endpoint.store.backends import RemoteStore
from cli.serve import publish
from endpoint.server import BackgroundServer
from endpoint.settings import ServeSettings


@pytest.fixture(scope="session")
def published(oxigraph_server, dist):
    result = CliRunner().invoke(publish, ["--to", f"{oxigraph_server}/store", "--dist", str(dist)])
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    return oxigraph_server


@pytest.fixture(scope="session")
def remote_server(published, dist):
    settings = ServeSettings(dist=dist, store=f"{published}/query")
    with BackgroundServer(create_app(settings)) as running:
        yield running.url


def test_publish_put_the_whole_graph(published):
    response = httpx.get(f"{published}/store", params={"default": ""}, headers={"Accept": "application/n-triples"})
    graph = Graph().parse(data=response.text, format="nt")
    assert isomorphic(graph, Graph().parse(data=GRAPH_TTL, format="turtle"))


def test_publish_to_a_named_graph(published, dist):
    graph_iri = "http://example.org/published"
    result = CliRunner().invoke(publish, ["--to", f"{published}/store", "--graph", graph_iri, "--dist", str(dist)])
    assert result.exit_code == 0, result.output
    ask = httpx.get(f"{published}/query", params={"query": f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"},
                    headers={"Accept": "application/sparql-results+json"})
    assert ask.json()["boolean"] is True


def test_select_through_the_remote_store(remote_server):
    client = SPARQLWrapper(remote_server + "/sparql")
    client.setQuery(f"SELECT ?label WHERE {{ <{BASE}id/lg/011002> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} ORDER BY ?label")
    client.setReturnFormat(JSON)
    labels = [row["label"]["value"] for row in client.query().convert()["results"]["bindings"]]
    assert labels == ["Sapporo", "札幌市"]
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines() == ["label", "Sapporo", "札幌市"]


def test_rdflib_through_the_remote_store(remote_server):
    graph = Graph(SPARQLStore(remote_server + "/sparql"))
    assert graph.query(f"ASK {{ <{BASE}id/partnership/a1> ?p ?o }}").askAnswer is True


def test_construct_through_the_remote_store(remote_server):
    response = httpx.get(remote_server + "/sparql", params={"query": f"CONSTRUCT WHERE {{ <{BASE}id/lg/011002> ?p ?o }}"},
                         headers={"Accept": "application/n-triples"})
    assert len(Graph().parse(data=response.text, format="nt")) == 4


def test_pages_through_the_remote_store(remote_server):
    response = httpx.get(remote_server + "/id/partnership/a1", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "札幌市" in response.text
    turtle = httpx.get(remote_server + "/def/kind/", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(BASE + "def/kind/sister-city"), None, None) in graph
    assert httpx.get(remote_server + "/id/lg/000000").status_code == 404


def test_remote_syntax_error_is_400(remote_server):
    response = httpx.get(remote_server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p"})
    assert response.status_code == 400
    assert "syntax" in response.text.lower()


def test_remote_updates_are_refused_before_reaching_the_store(remote_server):
    response = httpx.post(remote_server + "/sparql", data={"update": "CLEAR ALL"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        f"INSERT DATA {{ <{BASE}id/lg/011002> <http://example.org/p> 1 }}",
        f"PREFIX e: <http://example.org/> DELETE WHERE {{ <{BASE}id/lg/011002> ?p ?o }}",
    ],
)
def test_updates_sent_as_queries_never_reach_the_store(remote_server, published, query):
    for response in (
        httpx.get(remote_server + "/sparql", params={"query": query}),
        httpx.post(remote_server + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 403
    count = httpx.get(f"{published}/query", params={"query": f"SELECT (COUNT(*) AS ?n) {{ <{BASE}id/lg/011002> ?p ?o }}"},
                      headers={"Accept": "application/sparql-results+json"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "4"


def test_a_slow_remote_store_is_504(stub_endpoint):
    store = RemoteStore(stub_endpoint.url.replace("/sparql", "/slow"), timeout=1)
    # The store's own timeout (1 s) runs out before the server's (5 s): the gateway timed out.
    app = create_app(ServeSettings(query_timeout=5, store=stub_endpoint.url), backend=store)
    with BackgroundServer(app) as running:
        response = httpx.get(running.url + "/sparql", params={"query": "SELECT * {}"}, timeout=30)
    assert response.status_code == 504
    assert "did not answer in time" in response.text

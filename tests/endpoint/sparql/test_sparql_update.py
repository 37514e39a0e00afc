"""SPARQL Update, opt-in: who may update, what an update sees, and the remote store."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from endpoint_data import BASE, GRAPH_TTL
from pyoxigraph import RdfFormat
from rdflib import Graph, Namespace, URIRef
from SPARQLWrapper import POST, SPARQLWrapper

from endpoint.app import create_app
from endpoint.store.backends import EmbeddedStore
from endpoint.problem import Problem
from endpoint.server import BackgroundServer
from endpoint.sparql.update import apply_dataset, exposure, operations
from endpoint.settings import ServeSettings

EX = "http://example.org/"
TOKEN = "s3cret-token"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def fresh_store() -> EmbeddedStore:
    return EmbeddedStore.from_text(GRAPH_TTL, RdfFormat.TURTLE)


@pytest.fixture(scope="module")
def updatable(dist):
    """A server that takes updates from loopback clients, over its own copy of the fixture graph."""
    with BackgroundServer(create_app(ServeSettings(dist=dist, allow_update=True), backend=fresh_store())) as running:
        yield running.url


@pytest.fixture(scope="module")
def guarded(dist):
    """A server that takes updates only with the bearer token."""
    settings = ServeSettings(dist=dist, allow_update=True, update_token=TOKEN)
    with BackgroundServer(create_app(settings, backend=fresh_store())) as running:
        yield running.url


def ask(server: str, pattern: str, **params) -> bool:
    response = httpx.get(server + "/sparql", params={"query": f"ASK {{ {pattern} }}", **params})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def post_update(server: str, text: str, *, path: str = "/sparql", params=None, headers=None) -> httpx.Response:
    return httpx.post(server + path, content=text, params=params,
                      headers={"Content-Type": "application/sparql-update", **(headers or {})})


# --- the rewrite of the protocol's dataset --------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INSERT { GRAPH <g:t> { ?s a ?t } } WHERE { ?s a ?t }",
         "INSERT { GRAPH <g:t> { ?s a ?t } } USING <http://a/> USING NAMED <http://b/> WHERE { ?s a ?t }"),
        ("DELETE WHERE { ?s <p:x> ?o }",
         "DELETE { ?s <p:x> ?o } USING <http://a/> USING NAMED <http://b/> WHERE { ?s <p:x> ?o }"),
        ("CLEAR ALL ; INSERT DATA { <a:s> <a:p> 'WHERE' } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
         "CLEAR ALL ; INSERT DATA { <a:s> <a:p> 'WHERE' } ; DELETE { ?s ?p ?o } USING <http://a/> USING NAMED <http://b/> WHERE { ?s ?p ?o }"),
        ("# WHERE in a comment\nINSERT { ?s a <x:Where> } where { ?s ?p ?o FILTER EXISTS { ?s ?p ?o } }",
         "# WHERE in a comment\nINSERT { ?s a <x:Where> } USING <http://a/> USING NAMED <http://b/> where { ?s ?p ?o FILTER EXISTS { ?s ?p ?o } }"),
    ],
)
def test_apply_dataset(text, expected):
    assert apply_dataset(text, using=("http://a/",), using_named=("http://b/",)) == expected


@pytest.mark.parametrize(
    "text",
    ["WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "INSERT { ?s ?p ?o } USING <http://g/> WHERE { ?s ?p ?o }",
     "CLEAR ALL ; DELETE { ?s ?p ?o } USING NAMED <http://g/> WHERE { GRAPH ?g { ?s ?p ?o } }"],
)
def test_a_dataset_given_twice_is_400(text):
    assert apply_dataset(text) == text  # nothing to add: fine
    with pytest.raises(Problem, match="cannot be combined"):
        apply_dataset(text, using=("http://a/",))


def test_operations_find_load_sources():
    found = operations("PREFIX d: <http://data.example/> LOAD SILENT d:x.ttl INTO GRAPH <g:a> ; LOAD <http://o/y>")
    assert [(op.kind, op.source) for op in found] == [("load", "http://data.example/x.ttl"), ("load", "http://o/y")]


# --- updates through the protocol -----------------------------------------------------


def test_update_by_form_by_body_and_at_update(updatable):
    assert httpx.post(updatable + "/sparql", data={"update": f"INSERT DATA {{ <{EX}a> <{EX}p> 1 }}"}).status_code == 204
    assert post_update(updatable, f"INSERT DATA {{ <{EX}b> <{EX}p> 2 }}").status_code == 204
    assert post_update(updatable, f"INSERT DATA {{ <{EX}c> <{EX}p> 3 }}", path="/update").status_code == 204
    assert httpx.post(updatable + "/update", data={"update": f"INSERT DATA {{ <{EX}d> <{EX}p> 4 }}"}).status_code == 204
    for name in "abcd":
        assert ask(updatable, f"<{EX}{name}> <{EX}p> ?o")


def test_sparqlwrapper_update(updatable):
    client = SPARQLWrapper(updatable + "/sparql", updateEndpoint=updatable + "/update")
    client.setMethod(POST)
    client.setQuery(f"INSERT DATA {{ GRAPH <{EX}wrapped> {{ <{EX}w> <{EX}p> 'w' }} }}")
    assert client.query().response.status == 204
    assert ask(updatable, f"GRAPH <{EX}wrapped> {{ <{EX}w> ?p ?o }}")


def test_using_graph_uri_with_delete_where(updatable):
    post_update(updatable, f"INSERT DATA {{ GRAPH <{EX}g1> {{ <{EX}x> <{EX}q> 1 }} GRAPH <{EX}g2> {{ <{EX}x> <{EX}q> 2 }} }}")
    # DELETE WHERE matches the default graph given by using-graph-uri, and deletes from the store's default graph.
    post_update(updatable, f"INSERT DATA {{ <{EX}x> <{EX}q> 1 }}")
    response = post_update(updatable, f"DELETE WHERE {{ <{EX}x> <{EX}q> ?o }}", params={"using-graph-uri": f"{EX}g1"})
    assert response.status_code == 204
    assert not ask(updatable, f"<{EX}x> <{EX}q> 1")
    assert ask(updatable, f"GRAPH <{EX}g1> {{ <{EX}x> <{EX}q> 1 }}")


def test_relative_iris_resolve_against_the_endpoint(updatable):
    assert post_update(updatable, f"INSERT DATA {{ GRAPH <{EX}base> {{ <{EX}s> <{EX}p> <relative> }} }}").status_code == 204
    response = httpx.get(updatable + "/sparql", params={"query": f"SELECT ?o {{ GRAPH <{EX}base> {{ ?s ?p ?o }} }}"})
    assert response.json()["results"]["bindings"][0]["o"]["value"] == updatable + "/relative"


def test_update_errors(updatable):
    assert post_update(updatable, "CLEAR XYZ").status_code == 400
    conflict = post_update(updatable, f"WITH <{EX}g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
                           params={"using-named-graph-uri": f"{EX}h"})
    assert conflict.status_code == 400 and "cannot be combined" in conflict.text
    assert post_update(updatable, "CLEAR ALL", params={"default-graph-uri": f"{EX}g"}).status_code == 400
    assert post_update(updatable, "CLEAR ALL", params={"using-graph-uri": "not an iri"}).status_code == 400
    assert httpx.get(updatable + "/sparql", params={"update": "CLEAR ALL"}).status_code == 400
    assert httpx.post(updatable + "/sparql", data={"update": "CLEAR ALL", "query": "ASK {}"}).status_code == 400
    as_query = httpx.get(updatable + "/sparql", params={"query": f"INSERT DATA {{ <{EX}z> <{EX}p> 1 }}"})
    assert as_query.status_code == 400 and "application/sparql-update" in as_query.text
    assert httpx.post(updatable + "/update", data={"query": "ASK {}"}).status_code == 400
    get = httpx.get(updatable + "/update")
    assert get.status_code == 405 and get.headers["allow"] == "POST"
    assert ask(updatable, f"<{BASE}id/lg/011002> ?p ?o")  # CLEAR ALL never ran


def test_load_and_service_only_to_allowed_hosts(updatable, stub_endpoint):
    before = len(stub_endpoint.hits)
    load = post_update(updatable, f"LOAD <{stub_endpoint.url}>")
    assert load.status_code == 403 and "LOAD calls to" in load.text
    service = post_update(updatable, f"INSERT {{ <{EX}s> <{EX}p> ?x }} WHERE {{ SERVICE <{stub_endpoint.url}> {{ ?x ?y ?z }} }}")
    assert service.status_code == 403 and "KG_ALLOW_SERVICE" in service.text
    assert len(stub_endpoint.hits) == before


def test_service_description_says_update(updatable, server):
    def languages(url):
        graph = Graph().parse(data=httpx.get(url + "/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
        return set(graph.objects(URIRef(url + "/sparql"), SD.supportedLanguage))

    assert SD.SPARQL11Update in languages(updatable)
    assert SD.SPARQL11Update not in languages(server)


def test_read_only_server_refuses_at_update_too(server):
    for response in (post_update(server, "CLEAR ALL", path="/update"),
                     httpx.post(server + "/update", data={"update": "CLEAR ALL"})):
        assert response.status_code == 403 and "read-only" in response.text


# --- who may update -------------------------------------------------------------------


def test_token_is_required(guarded):
    update = f"INSERT DATA {{ <{EX}t> <{EX}p> 1 }}"
    missing = post_update(guarded, update)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert post_update(guarded, update, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert post_update(guarded, update, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert not ask(guarded, f"<{EX}t> ?p ?o")
    assert post_update(guarded, update, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 204
    assert ask(guarded, f"<{EX}t> ?p ?o")  # queries need no token


def _from(app, client: tuple[str, int], text: str, headers=None, base_url="http://127.0.0.1:8000") -> httpx.Response:
    async def go():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=client)
            async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
                return await http.post("/update", content=text, headers={"Content-Type": "application/sparql-update", **(headers or {})})

    return asyncio.run(go())


def test_without_a_token_only_loopback_clients_update():
    app = create_app(ServeSettings(allow_update=True), backend=fresh_store())
    assert _from(app, ("203.0.113.7", 5000), "CLEAR ALL").status_code == 403
    assert _from(app, ("127.0.0.1", 5000), "CLEAR ALL").status_code == 204
    tokened = create_app(ServeSettings(allow_update=True, update_token=TOKEN), backend=fresh_store())
    assert _from(tokened, ("203.0.113.7", 5000), "CLEAR ALL", {"Authorization": f"Bearer {TOKEN}"}).status_code == 204


@pytest.mark.parametrize(
    ("host", "token", "refused"),
    [("127.0.0.1", None, False), ("::1", None, False), ("localhost", None, False),
     ("0.0.0.0", None, True), ("192.0.2.1", None, True), ("0.0.0.0", TOKEN, False)],
)
def test_exposure(host, token, refused):
    assert (exposure(ServeSettings(allow_update=True, host=host, update_token=token)) is not None) is refused
    assert exposure(ServeSettings(host=host)) is None


# --- the remote store -----------------------------------------------------------------


@pytest.fixture(scope="module")
def remote_updatable(oxigraph_server, dist):
    settings = ServeSettings(dist=dist, store=f"{oxigraph_server}/query", store_update=f"{oxigraph_server}/update", allow_update=True)
    with BackgroundServer(create_app(settings)) as running:
        yield running.url


def test_updates_reach_the_remote_store(remote_updatable, oxigraph_server):
    graph = f"{EX}remote-staging"
    try:
        response = post_update(
            remote_updatable,
            f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}r> <{EX}p> <relative> }} }}",
        )
        assert response.status_code == 204, response.text
        direct = httpx.get(f"{oxigraph_server}/query", params={"query": f"SELECT ?o {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
                           headers={"Accept": "application/sparql-results+json"})
        assert direct.json()["results"]["bindings"][0]["o"]["value"] == remote_updatable + "/relative"
        # using-graph-uri travels as USING in the text.
        moved = post_update(remote_updatable, f"INSERT {{ GRAPH <{graph}-copy> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}",
                            params={"using-graph-uri": graph})
        assert moved.status_code == 204, moved.text
        assert ask(remote_updatable, f"GRAPH <{graph}-copy> {{ <{EX}r> ?p ?o }}")
        assert post_update(remote_updatable, "CLEAR XYZ").status_code == 400
    finally:
        httpx.post(f"{oxigraph_server}/update", data={"update": f"DROP SILENT GRAPH <{graph}> ; DROP SILENT GRAPH <{graph}-copy>"})

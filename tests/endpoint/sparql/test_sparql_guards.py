"""What /sparql refuses or limits: bad syntax, updates, SERVICE, time, size."""

from __future__ import annotations

import urllib.error

import httpx
import pytest
from endpoint_data import BASE
from rdflib import Graph
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from endpoint.sparql.text import host_allowed, scan

ALL_TRIPLES = "SELECT * WHERE { ?s ?p ?o }"
# 100^4 rows streamed one by one: far more than half a second's work.
ENDLESS = "SELECT * WHERE { VALUES ?a { %s } VALUES ?b { %s } VALUES ?c { %s } VALUES ?d { %s } }" % (
    (" ".join(str(n) for n in range(100)),) * 4
)


def test_syntax_error_is_400_with_the_parser_message(server):
    response = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    assert response.text.startswith("400 Bad Request: SPARQL syntax error: error at 1:")
    assert "expected" in response.text


def test_syntax_error_through_sparqlwrapper(server):
    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("SELECT ?x WHERE { ?x ?y }")
    client.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed, match="syntax error"):
        client.query()


def test_undefined_prefix_is_a_syntax_error(server):
    response = httpx.get(server + "/sparql", params={"query": "SELECT * WHERE { ?s nope:p ?o }"})
    assert response.status_code == 400
    assert "Prefix not found" in response.text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "params": {"update": "CLEAR ALL"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "POST", "content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "GET", "params": {"query": "INSERT DATA { <http://e.org/a> <http://e.org/b> 1 }"}},
        {"method": "POST", "data": {"query": "PREFIX e: <http://e.org/> DELETE WHERE { ?s ?p ?o }"}},
        {"method": "POST", "content": "drop default", "headers": {"Content-Type": "application/sparql-query"}},
    ],
    ids=["update-param", "update-form", "update-body", "insert-as-query", "delete-as-form-query", "drop-as-body"],
)
def test_updates_are_refused(server, request_kwargs):
    method = request_kwargs.pop("method")
    response = httpx.request(method, server + "/sparql", **request_kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    # And nothing changed.
    still = httpx.get(server + "/sparql", params={"query": f"ASK {{ <{BASE}id/lg/011002> ?p ?o }}"})
    assert still.json()["boolean"] is True


def test_unsupported_body_type(server):
    response = httpx.post(server + "/sparql", content="SELECT * {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.text


@pytest.mark.parametrize(
    "params",
    [{"query": ""}, [("query", "ASK {}"), ("query", "ASK {}")]],
    ids=["empty", "twice"],
)
def test_malformed_requests(server, params):
    assert httpx.get(server + "/sparql", params=params).status_code == 400


def service_queries(target: str) -> list[str]:
    host = target.split("/")[2]
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?x ?y ?z }} }}",
        f"select * where {{ service silent <{target}> {{ ?x ?y ?z }} }}",
        f"PREFIX remote: <http://{host}/> SELECT * WHERE {{ SERVICE remote:sparql {{ ?x ?y ?z }} }}",
        f"BASE <http://{host}/> SELECT * WHERE {{ SERVICE <sparql> {{ ?x ?y ?z }} }}",
        f"SELECT * WHERE {{ SERVICE <http://{host}/\\u0073parql> {{ ?x ?y ?z }} }}",
    ]


def test_service_to_an_unlisted_host_is_refused_and_never_called(server, stub_endpoint):
    before = len(stub_endpoint.hits)
    for query in service_queries(stub_endpoint.url):
        response = httpx.get(server + "/sparql", params={"query": query})
        assert response.status_code == 403, query
        assert "KG_ALLOW_SERVICE" in response.text
    assert len(stub_endpoint.hits) == before


def test_service_by_variable_is_refused(federating_server, stub_endpoint):
    query = f"SELECT * WHERE {{ VALUES ?e {{ <{stub_endpoint.url}> }} SERVICE ?e {{ ?x ?y ?z }} }}"
    response = httpx.get(federating_server + "/sparql", params={"query": query})
    assert response.status_code == 403
    assert "variable" in response.text


def test_service_to_an_allowed_host_is_followed(federating_server, stub_endpoint):
    before = len(stub_endpoint.hits)
    query = f"SELECT ?x WHERE {{ SERVICE <{stub_endpoint.url}> {{ ?x ?y ?z }} }}"
    response = httpx.get(federating_server + "/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "from the stub"}}]
    assert len(stub_endpoint.hits) == before + 1


def test_an_allowed_endpoint_describes_federation(federating_server):
    graph = Graph().parse(data=httpx.get(federating_server + "/sparql").text, format="turtle")
    assert "BasicFederatedQuery" in graph.serialize(format="nt")


def test_service_in_strings_comments_and_names_is_not_a_call(server):
    query = 'PREFIX ex: <http://e.org/> SELECT ?service WHERE { BIND("SERVICE <http://x.org/>" AS ?service) } # SERVICE <http://y.org/>'
    response = httpx.get(server + "/sparql", params={"query": query})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("text", "form", "services"),
    [
        ("SELECT * {}", "SELECT", ()),
        ("PREFIX a: <http://a/> ASK { a:b a:c a:d }", "ASK", ()),
        ("BASE <http://h/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", ()),
        ("DESCRIBE <http://x/>", "DESCRIBE", ()),
        ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE", ()),
        ("LOAD <http://e.org/data.ttl>", "UPDATE", ()),
        ("SELECT * { SERVICE <http://a.org/s> {} SERVICE ?v {} }", "SELECT", ("http://a.org/s", None)),
        ("SELECT * { SERVICE unknown:x {} }", "SELECT", (None,)),
        ("SELECT * { ?s <http://e.org/SERVICE> 'SERVICE' . ?service ?p e:SERVICE }", "SELECT", ()),
        ('SELECT * { ?s ?p """a "SERVICE <http://x/>" b""" }', "SELECT", ()),
        ("SELECT * { FILTER(?a<?b) SERVICE <http://z.org/> {} }", "SELECT", ("http://z.org/",)),
    ],
)
def test_scan(text, form, services):
    assert scan(text) == type(scan(""))(form, services)


@pytest.mark.parametrize(
    ("iri", "allowed", "expected"),
    [
        ("http://a.org/sparql", ("a.org",), True),
        ("https://A.org:8443/sparql", ("a.org",), True),
        ("http://a.org:8000/sparql", ("a.org:8000",), True),
        ("http://a.org:8001/sparql", ("a.org:8000",), False),
        ("http://b.org/sparql", ("a.org",), False),
        ("http://a.org.evil/sparql", ("a.org",), False),
        ("file:///etc/passwd", ("a.org",), False),
        (None, ("a.org",), False),
        ("http://a.org/sparql", (), False),
    ],
)
def test_host_allowed(iri, allowed, expected):
    assert host_allowed(iri, allowed) is expected


def test_result_cap_on_select(capped_server):
    response = httpx.get(capped_server + "/sparql", params={"query": ALL_TRIPLES})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 3
    assert response.headers["x-result-truncated"] == "true"
    assert response.headers["x-result-limit"] == "3"


def test_result_cap_on_construct(capped_server):
    response = httpx.get(capped_server + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(response.text.strip().splitlines()) == 3
    assert response.headers["x-result-truncated"] == "true"


def test_results_within_the_cap_are_not_flagged(capped_server):
    response = httpx.get(capped_server + "/sparql", params={"query": "SELECT * WHERE { VALUES ?n { 1 2 3 } }"})
    assert len(response.json()["results"]["bindings"]) == 3
    assert "x-result-truncated" not in response.headers


def test_a_query_past_the_timeout_is_503(impatient_server):
    response = httpx.get(impatient_server + "/sparql", params={"query": ENDLESS}, timeout=30)
    assert response.status_code == 503
    assert "KG_QUERY_TIMEOUT" in response.text


def test_the_server_still_answers_after_a_timeout(impatient_server):
    httpx.get(impatient_server + "/sparql", params={"query": ENDLESS}, timeout=30)
    response = httpx.get(impatient_server + "/sparql", params={"query": "ASK {}"})
    assert response.json() == {"head": {}, "boolean": True}


def test_sparqlwrapper_sees_the_timeout_as_an_http_error(impatient_server):
    client = SPARQLWrapper(impatient_server + "/sparql")
    client.setQuery(ENDLESS)
    client.setReturnFormat(JSON)
    with pytest.raises(urllib.error.HTTPError) as raised:
        client.query()
    assert raised.value.code == 503

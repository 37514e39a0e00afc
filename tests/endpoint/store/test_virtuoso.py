"""Virtuoso as the store: ``kg publish`` loads it, ``kg serve --store`` serves over it, its quirks handled.

The pages and the example queries run over it too (``test_pages_built``,
``test_pages_remote``, ``tests/kg/test_queries``); here are its own traits: a
private database on loopback, digest authentication, answers cut at its row
limit or stopped at its time limit, never passed on as complete.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli.serve import publish, serve
from endpoint.app import create_app
from endpoint.settings import ServeSettings
from endpoint.store.backends import BackendTimeout, RemoteStore, ResultCut
from tests.conftest import VIRTUOSO_GRAPH
from tests.virtuoso import ROW_LIMIT

JSON = {"Accept": "application/sparql-results+json"}


def listening(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_listens_on_loopback_only(virtuoso):
    http_port = int(virtuoso.sparql.split(":")[2].split("/")[0])
    for port in (http_port, virtuoso.sql_port):
        assert listening(port) == {"0100007F"}  # 127.0.0.1, and no other address


def test_the_stock_password_is_gone(virtuoso, settings, built):
    result = CliRunner().invoke(
        publish, ["--to", virtuoso.graph_store, "--graph", "http://example.org/x", "--user", "dba",
                  "--dist", str(settings.dist)], env={"KG_STORE_PASSWORD": "dba"},
    )
    assert result.exit_code == 1 and "refused the credentials" in result.output


def test_publish_needs_a_graph_and_says_why(virtuoso, settings, built):
    result = CliRunner().invoke(publish, ["--to", virtuoso.graph_store, "--user", "dba", "--dist", str(settings.dist)],
                                env={"KG_STORE_PASSWORD": virtuoso.password})
    assert result.exit_code == 1
    assert "not configured to have default graph" in result.output and "<" not in result.output


def test_publish_loaded_every_triple(virtuoso_built, settings):
    answer = httpx.post(virtuoso_built.sparql, data={"query": f"SELECT (COUNT(*) AS ?n) FROM <{VIRTUOSO_GRAPH}> {{ ?s ?p ?o }}"},
                        headers=JSON)
    lines = (settings.dist / "kg.nt").read_bytes().count(b"\n")
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == lines > 100_000


def test_queries_read_the_published_graph_only(virtuoso_built):
    # The store's default graph is all its graphs, its own system graphs among them.
    query = "ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'http://www.openlinksw.com/')) }"
    assert bool(RemoteStore(virtuoso_built.sparql, timeout=30).query(query)) is True
    assert bool(RemoteStore(virtuoso_built.sparql, timeout=30, graph=VIRTUOSO_GRAPH).query(query)) is False


def test_an_answer_cut_at_the_row_limit_is_an_error(virtuoso_built):
    store = RemoteStore(virtuoso_built.sparql, timeout=30, graph=VIRTUOSO_GRAPH)
    with pytest.raises(ResultCut, match=f"at {ROW_LIMIT} rows"):
        store.query("SELECT * WHERE { ?s ?p ?o }")
    assert store.row_cap == ROW_LIMIT
    # A graph answer says nothing of the cut: the limit learnt above tells.
    with pytest.raises(ResultCut):
        store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert len(list(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 20"))) == 20


def test_the_server_reports_a_cut_answer(virtuoso_built, settings):
    # Over the store, an answer longer than its row limit is a clear error, never a short answer.
    app = create_app(ServeSettings(dist=settings.dist, store=virtuoso_built.sparql, store_graph=VIRTUOSO_GRAPH,
                                   query_timeout=120))
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON)
        assert response.status_code == 502 and "ResultSetMaxRows" in response.text
        below = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 15000"}, headers=JSON)
    assert below.status_code == 200
    assert below.headers["X-Result-Truncated"] == "true"
    assert len(below.json()["results"]["bindings"]) == 10_000


def test_serve_refuses_a_store_that_cuts_below_its_result_limit(virtuoso_built, settings):
    result = CliRunner().invoke(
        serve, ["--store", virtuoso_built.sparql, "--store-graph", VIRTUOSO_GRAPH, "--dist", str(settings.dist),
                "--get", "/id/lg/104493"], env={"KG_RESULT_LIMIT": str(ROW_LIMIT * 2)},
    )
    assert result.exit_code == 1 and "ResultSetMaxRows" in result.output
    fine = CliRunner().invoke(
        serve, ["--store", virtuoso_built.sparql, "--store-graph", VIRTUOSO_GRAPH, "--dist", str(settings.dist),
                "--get", "/id/lg/104493", "--accept", "application/n-triples"],
    )
    assert fine.exit_code == 0, fine.output
    assert '"みなかみ町"@ja' in fine.output


def test_an_answer_stopped_at_the_time_limit_is_a_timeout(virtuoso_built):
    # Virtuoso stops at the request's timeout and answers 200 with what it counted so far.
    # Cheap enough by Virtuoso's estimate (a costlier one is refused up front), long to run.
    lgp = "http://localhost:8000/def/lgp#Partnership"
    slow = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a <{lgp}> . ?b a <{lgp}> . ?c a <{lgp}> }}"
    with pytest.raises(BackendTimeout):
        RemoteStore(virtuoso_built.sparql, timeout=1, graph=VIRTUOSO_GRAPH).query(slow)


def test_a_syntax_error_is_a_syntax_error(virtuoso_built):
    with pytest.raises(SyntaxError):
        RemoteStore(virtuoso_built.sparql, timeout=10).query("SELECT * WHERE { ?s ?p")


def test_wkt_points_keep_their_datatype(virtuoso_built):
    store = RemoteStore(virtuoso_built.sparql, timeout=30, graph=VIRTUOSO_GRAPH)
    query = "SELECT ?wkt WHERE { ?x <http://www.opengis.net/ont/geosparql#asWKT> ?wkt } LIMIT 1"
    [row] = list(store.query(query))
    assert row["wkt"].datatype.value == "http://www.opengis.net/ont/geosparql#wktLiteral"
    [triple] = store.query("CONSTRUCT WHERE { ?x <http://www.opengis.net/ont/geosparql#asWKT> ?wkt } LIMIT 1")
    assert triple.object.datatype.value == "http://www.opengis.net/ont/geosparql#wktLiteral"

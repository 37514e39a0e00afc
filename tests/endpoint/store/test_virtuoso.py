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
from pyoxigraph import Quad, RdfFormat, parse

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
    assert len(list(store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 20"))) == 20
    # A graph answer says nothing of the cut: the limit learnt above tells. A DESCRIBE cannot be paged.
    with pytest.raises(ResultCut, match="DESCRIBE cannot be read in pages"):
        store.query("DESCRIBE ?s WHERE { ?s a ?type }")
    with pytest.raises(ResultCut, match="drop the query's own LIMIT"):
        store.query(f"CONSTRUCT WHERE {{ ?s ?p ?o }} LIMIT {ROW_LIMIT * 2}")


def test_a_construct_longer_than_the_row_limit_is_read_in_pages(virtuoso_built, settings):
    store = RemoteStore(virtuoso_built.sparql, timeout=120, graph=VIRTUOSO_GRAPH)
    store.check_rows(10_001)  # as `kg serve --store` does, which learns the limit
    whole = store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    dump = (settings.dist / "kg.nt").read_bytes()
    assert len(whole) == dump.count(b"\n") > 5 * ROW_LIMIT
    # Every triple of the dump, once (Virtuoso prints its own WKT coordinates: compare the rest).
    wkt = "http://www.opengis.net/ont/geosparql#asWKT"
    built = {t for t in parse(dump, RdfFormat.N_TRIPLES) if t.predicate.value != wkt}
    assert {Quad(t.subject, t.predicate, t.object) for t in whole if t.predicate.value != wkt} == built
    # Two triples a solution, in the query's own order: pages of half the limit, nothing lost.
    seen = "http://example.org/seen"
    marked = store.query(f"CONSTRUCT {{ ?s ?p ?o . ?s <{seen}> true }} WHERE {{ ?s ?p ?o }} ORDER BY DESC(?s)")
    subjects = {t.subject for t in built}
    assert sum(1 for t in marked if t.predicate.value == seen) == len(subjects)
    assert len(marked) == len(whole) + len(subjects)


def test_the_server_reports_a_cut_answer(virtuoso_built, settings):
    # Over the store, an answer longer than its row limit is a clear error, never a short answer.
    app = create_app(ServeSettings(dist=settings.dist, store=virtuoso_built.sparql, store_graph=VIRTUOSO_GRAPH,
                                   query_timeout=120))
    with TestClient(app) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=JSON)
        assert response.status_code == 502 and "ResultSetMaxRows" in response.text
        below = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 15000"}, headers=JSON)
        # A graph answer longer than the store's limit is read in pages, then capped by the server's own, which says so.
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                           headers={"Accept": "application/n-triples"})
    assert graph.status_code == 200 and graph.headers["X-Result-Truncated"] == "true"
    assert graph.content.count(b"\n") == 10_000
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

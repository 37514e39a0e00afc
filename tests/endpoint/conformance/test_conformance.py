"""The W3C SPARQL 1.1 Protocol suite against the real server, its EARL report and /conformance.

The suite runs once per session, in both modes, through the same code as
`kg conformance` (about three seconds: one server per set of graphs, replaced
after each accepted update).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from endpoint_data import vary
from pyoxigraph import RdfFormat, parse
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from cli.serve import conformance
from endpoint.app import create_app
from endpoint.conformance import earl
from endpoint.conformance.suite import (
    INAPPLICABLE,
    MANIFEST,
    MODES,
    PASSED,
    READ_ONLY,
    UPDATES,
    ManifestError,
    Outcome,
    read_manifest,
    run_suite,
    run_test,
)
from endpoint.server import BackgroundServer, free_port
from endpoint.settings import ServeSettings
from endpoint.store.backends import EmbeddedStore
from kg.config import ROOT

EARL = Namespace("http://www.w3.org/ns/earl#")
DOAP = Namespace("http://usefulinc.com/ns/doap#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
TESTS = read_manifest()
BY_NAME = {test.local_name: test for test in TESTS}
DOCS = ROOT / "docs" / "conformance.md"


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory) -> dict[tuple[str, str], Outcome]:
    settings = ServeSettings(dist=tmp_path_factory.mktemp("conformance-dist"))
    return {(o.mode.key, o.test.iri): o for o in run_suite(TESTS, MODES, settings=settings, create_app=create_app)}


def test_the_manifest_is_the_whole_suite():
    manifest = Graph().parse(MANIFEST, format="turtle")
    assert len(TESTS) == 34 == len(set(manifest.subjects(RDF.type, MF.ProtocolTest)))
    # 14 tests are about updates; two send no recognisable update (text/plain, no media type).
    assert sum(test.updates for test in TESTS) == 12
    graphs = {graph for test in TESTS for graph, _ in test.graphs}
    assert graphs == {f"http://kasei.us/2009/09/sparql/data/data{n}.rdf" for n in (1, 2, 3)}


@pytest.mark.parametrize("test", TESTS, ids=[test.local_name for test in TESTS])
def test_with_updates_allowed_every_test_passes(outcomes, test):
    outcome = outcomes[(UPDATES.key, test.iri)]
    assert outcome.outcome == PASSED, outcome.info


@pytest.mark.parametrize("test", TESTS, ids=[test.local_name for test in TESTS])
def test_read_only_every_query_passes_and_every_update_is_refused(outcomes, test):
    outcome = outcomes[(READ_ONLY.key, test.iri)]
    if outcome.outcome == INAPPLICABLE:
        # Only a test whose update was to succeed, and only because it got a 4xx.
        assert test.updates, outcome.info
        assert "update refused with 4" in outcome.info
    else:
        assert outcome.outcome == PASSED, outcome.info


def test_read_only_counts(outcomes):
    read_only = [o for (mode, _), o in outcomes.items() if mode == READ_ONLY.key]
    assert sum(o.outcome == PASSED for o in read_only) == 27
    assert sum(o.outcome == INAPPLICABLE for o in read_only) == 7


def test_a_broken_server_fails_the_suite(tmp_path):
    """The runner does check: a server that ignores the protocol's dataset fails the dataset tests."""
    store = EmbeddedStore.from_sources(graphs=BY_NAME["query_dataset_full"].graphs)
    store.query = lambda text, *, dataset=None, base_iri=None: EmbeddedStore.query(store, text, base_iri=base_iri)
    with BackgroundServer(create_app(ServeSettings(dist=tmp_path), backend=store)) as running, \
            httpx.Client(base_url=running.url) as client:
        outcome, _ = run_test(BY_NAME["query_dataset_full"], client, READ_ONLY)
        assert outcome.outcome == "failed" and "boolean False, expected True" in outcome.info
        outcome, _ = run_test(BY_NAME["query_content_type_select"], client, READ_ONLY)
        assert outcome.outcome == PASSED


# --- the report -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def report_dist(outcomes, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("report-dist")
    written = earl.write(list(outcomes.values()), earl.folder(dist), base="http://localhost:8000/")
    assert written == [dist / "conformance" / "earl.ttl"]
    return dist


def test_earl_report(report_dist):
    graph = Graph().parse(report_dist / "conformance" / "earl.ttl", format="turtle")
    assertions = list(graph.subjects(RDF.type, EARL.Assertion))
    assert len(assertions) == 68
    manifest_tests = {URIRef(test.iri) for test in TESTS}
    seen = set()
    for assertion in assertions:
        test = graph.value(assertion, EARL.test)
        subject = graph.value(assertion, EARL.subject)
        result = graph.value(assertion, EARL.result)
        assert test in manifest_tests
        assert (subject, RDF.type, EARL.TestSubject) in graph
        assert str(graph.value(subject, DOAP.revision)) == earl.version()
        assert graph.value(result, EARL.outcome) in (EARL.passed, EARL.inapplicable)
        assert graph.value(assertion, EARL.assertedBy) is not None
        seen.add((subject, test))
    assert len(seen) == 68  # one per test and mode
    assert str(graph.value(URIRef(TESTS[0].iri), MF.name)) == TESTS[0].name


def test_docs_table_is_current(outcomes):
    """docs/conformance.md is what the last run wrote; regenerate it with the command it names."""
    expected = earl.markdown(earl.report_of(list(outcomes.values()), release=earl.version()))
    assert DOCS.read_text(encoding="utf-8") == expected, f"run `{earl.RERUN}`"


def test_report_reads_back(report_dist, outcomes):
    triples = [quad.triple for quad in parse(path=report_dist / "conformance" / "earl.ttl", format=RdfFormat.TURTLE)]
    report = earl.read_report(list(triples))
    assert report.release == earl.version()
    assert [key for key, _ in report.modes] == [UPDATES.key, READ_ONLY.key]
    assert report.rows == earl.report_of(list(outcomes.values()), release=earl.version()).rows
    assert report.counts(UPDATES.key) == {PASSED: 34}


@pytest.fixture(scope="session")
def reporting_server(report_dist, store):
    with BackgroundServer(create_app(ServeSettings(dist=report_dist), backend=store)) as running:
        yield running.url


def test_conformance_page(reporting_server):
    response = httpx.get(reporting_server + "/conformance", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in vary(response)
    page = response.text
    assert "<table" in page and page.count("<tr>") == 35
    assert "query via URL-encoded POST" in page and "inapplicable" in page
    assert "34 passed" in page


@pytest.mark.parametrize(
    ("accept", "suffix", "media_type"),
    [("text/turtle", "ttl", "text/turtle"), ("application/n-triples", "nt", "application/n-triples"),
     ("application/ld+json", "jsonld", "application/ld+json"), ("text/csv", "csv", "text/csv"),
     ("*/*", "html", "text/turtle")],
)
def test_conformance_formats(reporting_server, accept, suffix, media_type):
    negotiated = httpx.get(reporting_server + "/conformance", headers={"Accept": accept})
    assert negotiated.status_code == 200
    assert negotiated.headers["content-type"].split(";")[0] == media_type
    by_suffix = httpx.get(f"{reporting_server}/conformance.{suffix}", headers={"Accept": "image/png"})
    assert by_suffix.status_code == 200
    assert "Accept" not in vary(by_suffix)
    if media_type in ("text/turtle", "application/n-triples"):
        graph = Graph().parse(data=negotiated.text, format="turtle" if media_type == "text/turtle" else "nt")
        assert len(list(graph.subjects(RDF.type, EARL.Assertion))) == 68
    if media_type == "text/csv":
        lines = negotiated.text.splitlines()
        assert lines[0] == "test,name,mode,outcome,info" and len(lines) == 69


def test_conformance_not_acceptable_and_missing(reporting_server, server):
    refused = httpx.get(reporting_server + "/conformance", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/csv" in refused.text and "Accept" in vary(refused)
    assert httpx.get(reporting_server + "/conformance.xlsx").status_code == 404
    missing = httpx.get(server + "/conformance", headers={"Accept": "text/turtle"})
    assert missing.status_code == 404 and "kg conformance" in missing.text


# --- the command ------------------------------------------------------------------------


def test_command_on_a_part_of_the_suite(tmp_path):
    """`kg conformance` end to end, on a manifest of two tests (one with graphs) to stay quick."""
    manifest = Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.resolve().as_uri())
    entries = Collection(manifest, manifest.value(next(manifest.subjects(RDF.type, MF.Manifest)), MF.entries))
    entries.clear()
    for name in ("query_dataset_full", "update_post_direct"):
        entries.append(URIRef(BY_NAME[name].iri))
    path = tmp_path / "manifest.ttl"
    manifest.serialize(path, format="turtle")
    out, docs = tmp_path / "out", tmp_path / "docs" / "conformance.md"
    result = CliRunner().invoke(conformance, ["--manifest", str(path), "--out", str(out), "--docs", str(docs),
                                              "--dist", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "updates allowed: 2 passed of 2" in result.output
    assert "read-only: 1 passed, 1 inapplicable of 2" in result.output
    assert (out / "earl.ttl").is_file() and "| `update_post_direct` |" in docs.read_text(encoding="utf-8")


def test_command_with_a_bad_manifest(tmp_path):
    bad = tmp_path / "manifest.ttl"
    bad.write_text("@prefix : <http://x/> .\n:a :b .\n", encoding="utf-8")
    result = CliRunner().invoke(conformance, ["--manifest", str(bad), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.startswith(f"kg: error: {bad}:") and len(result.output.strip().splitlines()) == 1
    with pytest.raises(ManifestError):
        read_manifest(tmp_path / "missing.ttl")


def test_kg_serve_with_the_suite_graphs_as_a_process():
    """The suite's dataset test against `python -m cli serve --graph IRI=FILE …`, a separate process."""
    test = BY_NAME["query_dataset_full"]
    port = free_port()
    args = [sys.executable, "-m", "cli", "serve", "--port", str(port)]
    for iri, path in test.graphs:
        args += ["--graph", f"{iri}={path}"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "KG_BASE": "http://localhost:8000/"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode(errors="replace")) from None
                time.sleep(0.05)
        with httpx.Client(base_url=url) as client:
            outcome, _ = run_test(test, client, READ_ONLY)
            assert outcome.outcome == PASSED, outcome.info
            refused, _ = run_test(BY_NAME["update_post_direct"], client, READ_ONLY)
            assert refused.outcome == INAPPLICABLE
    finally:
        process.terminate()
        process.wait(timeout=10)

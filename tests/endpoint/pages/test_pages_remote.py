"""The pages over the remote-store backend: the same data, asked for in SPARQL over HTTP.

The remote store here is this project's own endpoint serving the pages' graph
on a loopback port; the app under test reaches it only through
:class:`~endpoint.backends.RemoteStore`, so any page that reached past the
backend interface (to the embedded store, to ``len(store)``) would fail or differ.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pages_data import TAINAN, pages_store, write_dist
from pyoxigraph import DefaultGraph, RdfFormat

from endpoint.app import create_app
from endpoint.store.backends import RemoteStore
from endpoint.store.publish import put_graph
from endpoint.server import BackgroundServer
from endpoint.settings import ServeSettings


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    return write_dist(tmp_path_factory.mktemp("remote-pages-dist"))


@pytest.fixture(scope="module")
def embedded(dist):
    with TestClient(create_app(ServeSettings(dist=dist), backend=pages_store())) as client:
        yield client


PAGES_GRAPH = "http://example.org/pages"


@pytest.fixture(scope="module", params=["endpoint", "virtuoso"])
def remote(request, dist, tmp_path_factory):
    """The pages over this project's own endpoint, and over Virtuoso holding the same graph."""
    if request.param == "virtuoso":
        virtuoso = request.getfixturevalue("virtuoso")
        dump = tmp_path_factory.mktemp("pages-graph") / "pages.nt"
        dump.write_bytes(pages_store().store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph()))
        put_graph(dump, virtuoso.graph_store, graph=PAGES_GRAPH, auth=("dba", virtuoso.password))
        settings = ServeSettings(dist=dist, store=virtuoso.sparql, store_graph=PAGES_GRAPH)
        with TestClient(create_app(settings)) as client:
            yield client
        return
    with BackgroundServer(create_app(ServeSettings(dist=dist), backend=pages_store())) as origin:
        app = create_app(ServeSettings(dist=dist, store=origin.url + "/sparql"))
        with TestClient(app) as client:
            assert isinstance(app.state.backend, RemoteStore)
            yield client


@pytest.mark.parametrize(
    "path",
    ["/search.json?q=みなかみ", "/search.json?q=104493", "/prefecture/100005.json", "/country/TW.json", "/query.json"],
)
def test_json_pages_are_the_same(embedded, remote, path):
    expected, got = embedded.get(path), remote.get(path)
    assert got.status_code == 200, got.text
    assert same(got.json(), expected.json())


def same(got, expected) -> bool:
    """Equal, but for coordinates within 1e-4 degrees: Virtuoso answers WKT points in single precision."""
    if isinstance(got, float) and isinstance(expected, float):
        return abs(got - expected) < 1e-4
    if isinstance(got, list) and isinstance(expected, list):
        return len(got) == len(expected) and all(same(a, b) for a, b in zip(got, expected))
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(same(got[key], expected[key]) for key in got)
    return got == expected


def test_home_is_the_same_but_for_the_triple_count(embedded, remote):
    expected, got = embedded.get("/index.json").json(), remote.get("/index.json").json()
    assert expected.pop("triples") > 0 and got.pop("triples") is None  # a remote store is not counted
    assert got == expected


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize(
    "path",
    ["/id/partnership/tainan", "/id/lg/104493", "/id/claim/gunma32", "/id/project/forest", TAINAN[len("http://localhost:8000"):],
     "/id/country/CN", "/id/region/TW-TNN", "/def/kind/", "/def/kind/sister-city", "/id/source/gunma-2021"],
)
def test_resource_pages_are_the_same(embedded, remote, path):
    expected = embedded.get(path, headers={"Accept": "text/html"})
    got = remote.get(path, headers={"Accept": "text/html"})
    assert got.status_code == 200, got.text[:300]
    assert re.search(r"<h1>.*?</h1>", got.text).group(0) == re.search(r"<h1>.*?</h1>", expected.text).group(0)
    assert sorted(links(got.text)) == sorted(links(expected.text))
    assert got.text.count("<svg") == expected.text.count("<svg")

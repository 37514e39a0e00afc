"""Session fixtures for the endpoint: a small graph, the app served on loopback ports.

Every server here is started once per session on a free 127.0.0.1 port and
stopped at the end; nothing depends on ``dist/`` of the working tree.
"""

from __future__ import annotations

import http.server
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from endpoint_data import GRAPH_TTL, NAMED_TRIG, write_dist
from pyoxigraph import RdfFormat

from endpoint.app import create_app
from endpoint.server import BackgroundServer
from endpoint.settings import ServeSettings
from endpoint.store.backends import EmbeddedStore


@pytest.fixture(scope="session")
def dist(tmp_path_factory) -> Path:
    """A built folder as ``kg build`` leaves it, small."""
    return write_dist(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def store() -> EmbeddedStore:
    """The fixture graph in the default graph, and one triple in a named graph."""
    loaded = EmbeddedStore.from_text(GRAPH_TTL, RdfFormat.TURTLE)
    loaded.store.load(NAMED_TRIG, format=RdfFormat.TRIG)
    return loaded


def _serve(settings: ServeSettings, backend) -> BackgroundServer:
    return BackgroundServer(create_app(settings, backend=backend))


@pytest.fixture(scope="session")
def server(dist, store):
    """The app as ``kg serve`` runs it, over the fixture store."""
    with _serve(ServeSettings(dist=dist), store) as running:
        yield running.url


@pytest.fixture(scope="session")
def capped_server(dist, store):
    """The app with a result cap of 3 rows or triples."""
    with _serve(ServeSettings(dist=dist, result_limit=3), store) as running:
        yield running.url


@pytest.fixture(scope="session")
def impatient_server(dist, store):
    """The app with a query timeout of half a second."""
    with _serve(ServeSettings(dist=dist, query_timeout=0.5, result_limit=10**9), store) as running:
        yield running.url


@dataclass
class StubEndpoint:
    """A SPARQL endpoint on loopback that answers one fixed row and counts its calls."""

    url: str
    hits: list[str]
    netloc: str


class _StubHandler(http.server.BaseHTTPRequestHandler):
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the stub"}}]}}'

    def _answer(self):
        self.server.hits.append(self.path)
        if "slow" in self.path:
            time.sleep(3)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def stub_endpoint():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    httpd.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    netloc = f"127.0.0.1:{httpd.server_port}"
    yield StubEndpoint(f"http://{netloc}/sparql", httpd.hits, netloc)
    httpd.shutdown()


@pytest.fixture(scope="session")
def federating_server(dist, store, stub_endpoint):
    """The app allowed to call the stub endpoint's host and port, and no other."""
    settings = ServeSettings(dist=dist, allow_service=(stub_endpoint.netloc,))
    with _serve(settings, store) as running:
        yield running.url

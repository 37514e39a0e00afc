"""The W3C SPARQL 1.1 Protocol test suite, replayed against this server on a loopback port.

The suite's manifest (``sparql11-protocol/manifest.ttl`` beside this module, package
data copied from w3c/rdf-tests) describes each test in RDF: the graphs to load
(``ut:graphData``: a file and the name of its graph), then HTTP requests in the
HTTP Vocabulary (``ht:methodName``, ``ht:absolutePath``, ``ht:headers``,
``ht:body``) each with what the response must be (``mf:expectedStatus`` as a
class such as ``hts:StatusCode2xx``, ``mf:expectedFormat`` and
``mf:expectedBoolean``). Nothing here knows a test by its name.

For each test the runner starts the server as ``kg serve --graph IRI=FILE …``
would (same settings, same application, uvicorn on a free 127.0.0.1 port) with
exactly that test's graphs, replays the requests in order with the path
prefix ``/sparql/`` replaced by ``/sparql`` (the manifest asks for that
substitution), and checks every expectation: the status class, the media type
of the format, that the body parses in it, and the boolean. A server nobody
changed is used again for the next test with the same graphs; one that
accepted an update is replaced.

Two modes: with updates allowed every test must pass. Read-only, a request
that carries an update must be refused with a 4xx; a test that expects such an
update to succeed is then *inapplicable* (SPARQL Update is an optional part of
the protocol) and its later requests are not sent.

>>> request = HttpRequest("GET", "/sparql/?update=CLEAR%20ALL", (), None, Expectation(("4xx",)))
>>> request.carries_update, request.target(), request.expect.admits(405), request.expect.admits(503)
(True, '/sparql?update=CLEAR%20ALL', True, False)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
from pyoxigraph import (
    QueryBoolean,
    Store,
    parse,
    parse_query_results,
)
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from endpoint.formats.media import (
    JSON,
    N_TRIPLES,
    RDF_XML,
    RESULTS,
    TURTLE,
    XML,
    Format,
)
from endpoint.server import BackgroundServer
from endpoint.settings import ServeSettings
from endpoint.store.backends import EmbeddedStore

MANIFEST = Path(__file__).resolve().parent / "sparql11-protocol" / "manifest.ttl"
"""The suite as copied from w3c/rdf-tests, shipped with the package."""
ENDPOINT_PATH = "/sparql"
SUITE_PREFIX = "/sparql/"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"

# What each mf:expectedFormat admits, by media type, and how to read it back.
def _natives(*formats: Format) -> dict:
    return {fmt.media_type: fmt.native for fmt in formats}


FORMATS: dict[str, dict] = {
    "boolean": _natives(JSON, XML),
    "tabular": _natives(*RESULTS),
    "RDF": _natives(TURTLE, N_TRIPLES, RDF_XML),
}

AppFactory = Callable[..., Any]
"""``create_app(settings, backend=store)``: the ASGI application of a server under test."""

PASSED, FAILED, INAPPLICABLE = "passed", "failed", "inapplicable"
OUTCOMES = (PASSED, FAILED, INAPPLICABLE)


class ManifestError(ValueError):
    """The manifest cannot be read as a protocol test suite."""


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a response must be."""

    statuses: tuple[str, ...]
    """Status classes (``2xx``) or codes (``200``), any of which will do."""
    format: str | None = None
    """``boolean``, ``tabular`` or ``RDF``."""
    boolean: bool | None = None

    def admits(self, status: int) -> bool:
        return any(str(status) == wanted or f"{status // 100}xx" == wanted for wanted in self.statuses)


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """One request of a test, as the manifest describes it."""

    method: str
    path: str
    """``ht:absolutePath``: path and query string, under the suite's ``/sparql/``."""
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    expect: Expectation

    @property
    def carries_update(self) -> bool:
        """Whether this request asks for a SPARQL update (by media type, form field or parameter)."""
        content_type = next((v for k, v in self.headers if k.lower() == "content-type"), "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type == "application/sparql-update" or "update" in parse_qs(urlsplit(self.path).query):
            return True
        if media_type == "application/x-www-form-urlencoded" and self.body is not None:
            return "update" in parse_qs(self.body.decode("utf-8", "replace"))
        return False

    def target(self, endpoint_path: str = ENDPOINT_PATH) -> str:
        """The path to send, with the suite's prefix replaced by the endpoint's."""
        if not self.path.startswith(SUITE_PREFIX):
            raise ManifestError(f"{self.path!r} does not start with {SUITE_PREFIX}")
        rest = self.path[len(SUITE_PREFIX):]
        return endpoint_path + ("/" + rest if rest and not rest.startswith("?") else rest)


@dataclass(frozen=True, slots=True)
class ProtocolTest:
    """One test of the suite."""

    iri: str
    name: str
    requests: tuple[HttpRequest, ...]
    data: tuple[Path, ...] = ()
    """Files of the default graph (``ut:data``)."""
    graphs: tuple[tuple[str, Path], ...] = ()
    """``(graph IRI, file)`` of the named graphs (``ut:graphData``)."""

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]

    @property
    def updates(self) -> bool:
        return any(request.carries_update for request in self.requests)


@dataclass(frozen=True, slots=True)
class Mode:
    """A configuration of the server the suite runs against."""

    key: str
    label: str
    allow_update: bool
    command: str


UPDATES = Mode("updates-allowed", "updates allowed", True, "kg serve --allow-update")
READ_ONLY = Mode("read-only", "read-only", False, "kg serve")
MODES = (UPDATES, READ_ONLY)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one test went in one mode."""

    test: ProtocolTest
    mode: Mode
    outcome: str
    info: str


def _file(term, manifest: Path) -> Path:
    url = str(term)
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path))
    return (manifest.parent / url).resolve()


def read_manifest(path: Path = MANIFEST) -> list[ProtocolTest]:
    """The tests of a protocol manifest, in the order of its ``mf:entries``."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=path.resolve().as_uri())
    except (OSError, SyntaxError, ValueError) as error:
        raise ManifestError(f"{path}: {error}") from None
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest, any=True)
    entries = graph.value(manifest, MF.entries) if manifest is not None else None
    if entries is None:
        raise ManifestError(f"{path}: no mf:Manifest with mf:entries")
    return [_test(graph, entry, path) for entry in Collection(graph, entries)]


def _test(graph: Graph, entry, path: Path) -> ProtocolTest:
    action = graph.value(entry, MF.action)
    requests_list = graph.value(action, HT.requests) if action is not None else None
    if requests_list is None:
        raise ManifestError(f"{path}: {entry} has no ht:requests")
    requests = tuple(_request(graph, node) for node in Collection(graph, requests_list))
    data = tuple(_file(file, path) for file in graph.objects(entry, UT.data))
    graphs = tuple(
        sorted((str(graph.value(node, RDFS.label)), _file(graph.value(node, UT.graph), path))
               for node in graph.objects(entry, UT.graphData))
    )
    name = str(graph.value(entry, MF.name) or entry)
    return ProtocolTest(str(entry), name, requests, data, graphs)


def _request(graph: Graph, node) -> HttpRequest:
    headers = ()
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        headers = tuple(
            (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue))) for h in Collection(graph, header_list)
        )
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = tuple(
        sorted(str(code).removeprefix(HTS).removeprefix("StatusCode").removeprefix("statusCode")
               for code in graph.objects(response, MF.expectedStatus))
    )
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    expect = Expectation(statuses, str(fmt) if fmt is not None else None, boolean.toPython() if boolean is not None else None)
    return HttpRequest(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)), headers, body, expect)


def check(expect: Expectation, response: httpx.Response) -> str | None:
    """What is wrong with ``response``, or None when it is what ``expect`` asks for."""
    status = response.status_code
    if not expect.admits(status):
        detail = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        return f"status {status}, expected {' or '.join(expect.statuses)}" + (f" ({detail})" if detail else "")
    if expect.format is None:
        return None
    media_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    admitted = FORMATS.get(expect.format)
    if admitted is None:
        return f"unknown expected format {expect.format!r}"
    if media_type not in admitted:
        return f"content type {media_type or 'none'} is not {expect.format} ({', '.join(admitted)})"
    try:
        if expect.format == "RDF":
            list(parse(response.content, admitted[media_type]))
            return None
        result = parse_query_results(response.content, admitted[media_type])
    except (SyntaxError, ValueError, OSError) as error:
        return f"the {media_type} body does not parse: {error}"
    if expect.format == "boolean" and not isinstance(result, QueryBoolean):
        return f"a {media_type} body without a boolean"
    if expect.boolean is not None and (not isinstance(result, QueryBoolean) or bool(result) is not expect.boolean):
        return f"boolean {bool(result)}, expected {expect.boolean}"
    return None


def run_test(test: ProtocolTest, client: httpx.Client, mode: Mode, *, endpoint_path: str = ENDPOINT_PATH) -> tuple[Outcome, bool]:
    """Replay one test through ``client``; the outcome, and whether the server accepted an update."""
    changed = False
    seen: list[str] = []
    for number, request in enumerate(test.requests, start=1):
        response = client.request(
            request.method, request.target(endpoint_path), headers=dict(request.headers), content=request.body
        )
        where = f"request {number} ({request.method})"
        if request.carries_update and response.status_code < 300:
            changed = True
        if not mode.allow_update and request.carries_update and request.expect.admits(200):
            if 400 <= response.status_code < 500:
                info = f"{where}: update refused with {response.status_code}, as a read-only server must"
                return Outcome(test, mode, INAPPLICABLE, info), changed
            info = f"{where}: a read-only server answered an update with {response.status_code}"
            return Outcome(test, mode, FAILED, info), changed
        problem = check(request.expect, response)
        if problem is not None:
            return Outcome(test, mode, FAILED, f"{where}: {problem}"), changed
        seen.append(f"{request.method} {_seen(request.expect, response)}")
    return Outcome(test, mode, PASSED, "; ".join(seen)), changed


def _seen(expect: Expectation, response: httpx.Response) -> str:
    """What was checked of a response that met its expectation, for the report."""
    parts = [f"{response.status_code} (expected {'/'.join(expect.statuses)})"]
    if expect.format:
        media_type = response.headers.get("content-type", "").split(";", 1)[0]
        parts.append(f"{media_type} ({expect.format})")
    if expect.boolean is not None:
        parts.append(f"boolean {json.dumps(expect.boolean)}")
    return ", ".join(parts)


class _Servers:
    """Running servers by the graphs they hold; a server that took an update is not used again."""

    def __init__(self, settings: ServeSettings, mode: Mode, create_app: AppFactory):
        self.settings, self.mode, self.create_app = settings, mode, create_app
        self.running: dict[tuple, BackgroundServer] = {}

    def get(self, test: ProtocolTest) -> BackgroundServer:
        key = (test.data, test.graphs)
        if key not in self.running:
            settings = self.settings.model_copy(
                update={"data": test.data, "graphs": test.graphs, "allow_update": self.mode.allow_update,
                        "update_token": None, "store": None, "host": "127.0.0.1"}
            )
            # As `kg serve --data … --graph …` opens it; a test without graphs gets an empty store.
            files = settings.data or settings.graphs
            backend = EmbeddedStore.from_sources(settings.data, settings.graphs) if files else EmbeddedStore(Store())
            server = BackgroundServer(self.create_app(settings, backend=backend))
            self.running[key] = server.__enter__()
        return self.running[key]

    def discard(self, test: ProtocolTest) -> None:
        server = self.running.pop((test.data, test.graphs), None)
        if server is not None:
            server.__exit__(None, None, None)

    def close(self) -> None:
        for server in self.running.values():
            server.__exit__(None, None, None)
        self.running.clear()


def run_suite(
    tests: Sequence[ProtocolTest],
    modes: Iterable[Mode] = MODES,
    *,
    create_app: AppFactory,
    settings: ServeSettings | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Every test in every mode, each against a server that ``create_app`` makes with its graphs.

    The application comes from the caller (:func:`endpoint.app.create_app`): the
    app serves this package's report, so this package cannot import it.
    """
    settings = settings or ServeSettings()
    outcomes = []
    for mode in modes:
        servers = _Servers(settings, mode, create_app)
        try:
            with httpx.Client(timeout=30) as client:
                for test in tests:
                    server = servers.get(test)
                    client.base_url = server.url
                    outcome, changed = run_test(test, client, mode)
                    if changed:
                        servers.discard(test)
                    outcomes.append(outcome)
                    if progress is not None:
                        progress(outcome)
        finally:
            servers.close()
    return outcomes


def conforms(outcomes: Iterable[Outcome]) -> bool:
    """Whether every outcome is what its mode requires: passed, or inapplicable only while read-only."""
    return all(o.outcome == PASSED or (o.outcome == INAPPLICABLE and not o.mode.allow_update) for o in outcomes)

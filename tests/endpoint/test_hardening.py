"""What one request cannot do to a public server: crash it, outlast the time limit, hold the loop,
send too much, update it from another site, keep a connection forever, or inject links.

The servers here are ``kg serve`` subprocesses (:mod:`served`): a query that
ended the server would otherwise end the test run.
"""

from __future__ import annotations

import asyncio
import http.client
import select
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest
from endpoint_data import BASE
from served import ServedProcess

from endpoint.app import create_app
from endpoint.server import fetch
from endpoint.settings import ServeSettings
from endpoint.store.backends import EmbeddedStore

ASK = {"query": "ASK {}"}
JSON = {"Accept": "application/sparql-results+json"}
TIME_LIMIT = 3.0
DEEP = 3000
VALUES = " ".join(str(n) for n in range(60))
HEAVY = [
    # Closure over a chain of thousands of nodes: pairs by the million, inside one engine call.
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (<http://example.org/p>|!<http://example.org/p>)* ?o }",
    # A sort and a group over a cartesian product of 60^4 rows.
    f"SELECT (GROUP_CONCAT(STR(?a)) AS ?g) WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }}"
    f" VALUES ?c {{ {VALUES} }} VALUES ?d {{ {VALUES} }} }}",
    f"SELECT * WHERE {{ VALUES ?a {{ {VALUES} }} VALUES ?b {{ {VALUES} }} VALUES ?c {{ {VALUES} }}"
    f" VALUES ?d {{ {VALUES} }} }} ORDER BY DESC(?d) ?c LIMIT 1",
]

DEEP_QUERIES = {
    "groups": "SELECT * WHERE " + "{" * DEEP + "}" * DEEP,
    "filter-parentheses": "SELECT * WHERE { FILTER(" + "(" * DEEP + "true" + ")" * DEEP + ") }",
    "negations": "ASK { FILTER(" + "!" * DEEP + "true) }",
    "additions": "SELECT (" + "+".join(["1"] * DEEP) + " AS ?x) {}",
    "subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * 1000 + "{}" + "}" * 1000,
    "exists": "ASK { FILTER(" + "EXISTS { FILTER(" * 1000 + "true" + ")}" * 1000 + ") }",
    "unions": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * DEEP) + " }",
    "path": "SELECT * WHERE { ?s " + "/".join(["<http://example.org/p>"] * DEEP) + " ?o }",
}


@pytest.fixture(scope="module")
def chain_dist(tmp_path_factory):
    """A built folder whose graph is a chain of 4,000 nodes: paths over it are heavy."""
    folder = tmp_path_factory.mktemp("chain")
    lines = [f"<http://example.org/n{i}> <http://example.org/p> <http://example.org/n{i + 1}> .\n" for i in range(4000)]
    (folder / "kg.nt").write_text("".join(lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(chain_dist, tmp_path_factory):
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with ServedProcess(
        chain_dist, log, query_timeout=TIME_LIMIT, query_workers=2, client_queries=32, idle_timeout=1.5,
        read_timeout=1.5,
    ) as running:
        yield running


def _get(server: ServedProcess, path: str, params: dict, headers: dict | None = None) -> tuple[int, str]:
    """A GET with any length of URL (httpx refuses query strings over 64 KB)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", f"{path}?{urlencode(params)}", headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _recv(raw: socket.socket) -> bytes:
    """What the server sent until it closed the connection (it closes after these answers)."""
    received = b""
    try:
        while chunk := raw.recv(65536):
            received += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return received


def _alive(server: ServedProcess) -> None:
    assert server.alive()
    answer = httpx.get(server.url + "/sparql", params=ASK, headers=JSON, timeout=10)
    assert answer.status_code == 200 and answer.json()["boolean"] is True


# --- 1. deep nesting --------------------------------------------------------------------------


@pytest.mark.parametrize("name", DEEP_QUERIES)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_deep_queries_are_400_with_the_reason_and_the_server_stays_up(served, name, method):
    text = DEEP_QUERIES[name]
    if method == "GET":
        status, body = _get(served, "/sparql", {"query": text})
        if len(urlencode({"query": text})) > ServeSettings().max_url:
            assert status == 414 and "send the query by POST" in body
            _alive(served)
            return
    else:
        response = httpx.post(served.url + "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}, timeout=10)
        status, body = response.status_code, response.text
    assert status == 400, body[:200]
    assert "nests deeper than the limit" in body and "KG_QUERY_MAX_DEPTH" in body
    _alive(served)


def test_a_worker_that_dies_costs_one_query(chain_dist, tmp_path):
    # With the depth check lifted, text deep enough overflows the engine's stack: the
    # worker process ends, that query is answered 503, and the next one is answered.
    with ServedProcess(
        chain_dist, tmp_path / "serve.log", query_max_depth=10**7, query_max_length=10**7, max_body=10**7,
        query_workers=1,
    ) as server:
        deep = 400_000
        text = "SELECT * WHERE " + "{" * deep + "}" * deep
        response = httpx.post(server.url + "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}, timeout=60)
        assert response.status_code == 503
        assert "the server goes on" in response.text
        _alive(server)


# --- 2. time limits that stop the work --------------------------------------------------------


def test_heavy_queries_are_stopped_and_light_ones_keep_answering(served):
    light: list[tuple[float, float, int]] = []
    done = threading.Event()

    def light_loop():
        with httpx.Client(timeout=30) as client:
            while not done.is_set():
                sent = time.monotonic()
                status = client.get(served.url + "/sparql", params=ASK, headers=JSON).status_code
                light.append((sent, time.monotonic(), status))
                time.sleep(0.05)

    def heavy(text):
        began = time.monotonic()
        response = httpx.get(served.url + "/sparql", params={"query": text}, timeout=60)
        return response.status_code, response.text, time.monotonic() - began

    watcher = threading.Thread(target=light_loop)
    watcher.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(heavy, [HEAVY[n % len(HEAVY)] for n in range(8)]))
        time.sleep(1.5)
    finally:
        done.set()
        watcher.join()
    for status, text, took in results:
        assert status == 503, text[:200]
        assert "KG_QUERY_TIMEOUT" in text
        assert took < TIME_LIMIT + 2
    assert all(status == 200 for _, _, status in light)
    # Light queries sent after the time limit are answered within a second of it.
    late = [(sent, answered) for sent, answered, _ in light if sent > started + TIME_LIMIT]
    assert late and all(answered - started < TIME_LIMIT + 1.5 for sent, answered in late if sent < started + TIME_LIMIT + 0.5)
    _alive(served)


def test_stopped_queries_leave_no_memory_behind(served):
    before = served.memory()
    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda text: httpx.get(served.url + "/sparql", params={"query": text}, timeout=60), HEAVY[1:] * 2))
    time.sleep(1)
    assert served.memory() < before * 1.5 + 100 * 2**20


# --- 3. nothing slow on the event loop --------------------------------------------------------


def test_a_huge_body_does_not_hold_up_other_requests(served):
    # 10 MB that says "service" everywhere: refused by its size, never scanned.
    body = ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } } # " + "service " * 1_300_000).encode()
    with ThreadPoolExecutor(1) as pool:
        big = pool.submit(httpx.post, served.url + "/sparql", content=body,
                          headers={"Content-Type": "application/sparql-query"}, timeout=60)
        began = time.monotonic()
        assert httpx.get(served.url + "/sparql", params=ASK, headers=JSON, timeout=10).status_code == 200
        assert time.monotonic() - began < 2
        assert big.result().status_code == 413


def test_a_long_query_mentioning_service_is_scanned_off_the_loop(served):
    text = "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } } #" + "x" * 90_000
    response = httpx.post(served.url + "/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 403 and "not allowed" in response.text


# --- 4. size limits ---------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_without_being_read(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: 200000000\r\n\r\n")  # and not one byte of the body
        answer = _recv(raw)
    assert answer.startswith(b"HTTP/1.1 413") and b"KG_MAX_BODY" in answer


def test_a_chunked_body_over_the_limit_is_413(served):
    def chunks():
        for _ in range(30):
            yield b"#" * 100_000

    response = httpx.post(served.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413


def test_huge_headers_are_431_before_they_are_all_sent(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        raw.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ")
        answer = b""
        for _ in range(1000):  # up to 100 MB, but the server answers long before
            if select.select([raw], [], [], 0.05)[0]:
                answer = _recv(raw)
                break
            try:
                raw.sendall(b"a" * 10_000)
            except OSError:
                answer = _recv(raw)
                break
    assert answer.startswith(b"HTTP/1.1 431")


def test_a_long_url_is_414(served):
    status, body = _get(served, "/sparql", {"query": "ASK {} #" + "x" * 70_000})
    assert status == 414
    assert "POST" in body


def test_a_query_over_the_length_limit_is_400_with_the_reason(served):
    text = "ASK {} #" + "x" * 200_000
    response = httpx.post(served.url + "/sparql", data={"query": text})
    assert response.status_code == 400 and "KG_QUERY_MAX_LENGTH" in response.text


def test_too_many_queries_from_one_client_are_429(chain_dist, tmp_path):
    with ServedProcess(chain_dist, tmp_path / "serve.log", client_queries=2, query_timeout=2, query_workers=2) as server:
        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(lambda text: httpx.get(server.url + "/sparql", params={"query": text}, timeout=30).status_code, HEAVY[1:] * 2))
        assert 429 in statuses
        _alive(server)


# --- 6. connections that time out -------------------------------------------------------------


def test_an_idle_connection_is_closed(served):
    # The socket's own timeout bounds the wait: a server that kept the connection would raise it.
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        assert raw.recv(100) == b""  # closed by the server


def test_half_sent_headers_get_408(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        raw.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = _recv(raw)
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_half_sent_body_gets_408(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                    b"Content-Length: 100\r\n\r\nASK")
        answer = _recv(raw)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408")


# --- the speed of immutable data --------------------------------------------------------------


def test_large_answers_come_whole_from_the_workers(served):
    response = httpx.get(served.url + "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(response.content) > 256_000 and response.text.count("\n") == 4000


def test_answers_carry_validators_and_conditional_requests_are_304(served):
    first = httpx.get(served.url + "/sparql", params=ASK, headers=JSON)
    tag = first.headers["etag"]
    assert first.headers["last-modified"] and "max-age" in first.headers["cache-control"]
    again = httpx.get(served.url + "/sparql", params=ASK, headers={**JSON, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    since = httpx.get(served.url + "/sparql", params=ASK, headers={**JSON, "If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    other = httpx.get(served.url + "/sparql", params=ASK, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert other.status_code == 200  # another representation, another tag
    listing = httpx.get(served.url + "/download/")
    assert listing.headers["etag"] and ".store" not in listing.text


# --- 5. update guards -------------------------------------------------------------------------


def _post(app, text: str, *, client=("127.0.0.1", 5000), base_url="http://127.0.0.1:8000", headers=None):
    async def go():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=client)
            async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
                return await http.post("/update", content=text, headers={"Content-Type": "application/sparql-update", **(headers or {})})

    return asyncio.run(go())


def _updatable(**settings) -> object:
    return create_app(ServeSettings(allow_update=True, **settings), backend=EmbeddedStore.from_text(""))


def test_an_empty_token_is_no_token(monkeypatch):
    monkeypatch.setenv("KG_UPDATE_TOKEN", "")
    assert ServeSettings().update_token is None
    from click.testing import CliRunner

    from cli.serve import serve

    result = CliRunner().invoke(serve, ["--allow-update", "--host", "0.0.0.0", "--data", "endpoint/conformance/sparql11-protocol/data1.nt"])
    assert result.exit_code == 2 and "needs a bearer token" in result.output


@pytest.mark.parametrize(
    "text",
    [
        'VERSION "1.2" LOAD <http://127.0.0.1:9/data.ttl>',
        'PREFIX x: <http://127.0.0.1:9/> VERSION "1.2" LOAD SILENT x:data',
        "CLEAR ALL ; LOAD <http://127.0.0.1:9/a> INTO GRAPH <http://example.org/g>",
        'BASE <http://127.0.0.1:9/> INSERT DATA { <a:s> <a:p> "x" } ; LOAD <data>',
    ],
)
def test_every_load_goes_through_the_host_allow_list(text):
    response = _post(_updatable(), text)
    assert response.status_code == 403 and "LOAD calls to" in response.text


def test_failed_calls_do_not_say_why(stub_endpoint):
    app = _updatable(allow_service=(stub_endpoint.netloc.split(":")[0],))  # the host, on a port nobody serves
    response = _post(app, "LOAD <http://127.0.0.1:9/nothing.ttl>")
    assert response.status_code == 500
    assert "refused" not in response.text.lower() and "did not succeed" in response.text


@pytest.mark.parametrize(
    "headers, base_url",
    [
        ({"Origin": "http://evil.example"}, "http://127.0.0.1:8000"),
        ({"Sec-Fetch-Site": "cross-site"}, "http://127.0.0.1:8000"),
        ({}, "http://rebound.example:8000"),  # a name of the attacker's that resolves to 127.0.0.1
    ],
    ids=["cross-origin", "cross-site", "dns-rebinding"],
)
def test_updates_without_a_token_must_come_from_this_server(headers, base_url):
    response = _post(_updatable(), "CLEAR ALL", headers=headers, base_url=base_url)
    assert response.status_code == 403
    assert _post(_updatable(), "CLEAR ALL", headers={"Origin": "http://127.0.0.1:8000"}).status_code == 204


def test_update_answers_carry_no_wildcard_cors():
    response = _post(_updatable(), "CLEAR ALL", headers={"Origin": "http://127.0.0.1:8000"})
    assert "access-control-allow-origin" not in response.headers
    query = fetch(_updatable(), "/sparql?query=ASK%7B%7D", headers={"Origin": "http://elsewhere.example", **JSON})
    assert query.headers["access-control-allow-origin"] == "*"  # queries stay open to every site


# --- 7. pages ---------------------------------------------------------------------------------

HOSTILE = (
    f'<{BASE}id/lg/1> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'
    f"<{BASE}id/lg/1> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(1)> .\n"
    f"<{BASE}id/lg/1> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <data:text/html,hi> .\n"
    f"<{BASE}id/lg/1> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <https://example.org/fine> .\n"
)


def test_only_http_iris_become_links():
    page = fetch(create_app(ServeSettings(), backend=EmbeddedStore.from_text(HOSTILE)), "/id/lg/1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="javascript:' not in page.text and 'href="data:' not in page.text
    assert "javascript:alert(1)" in page.text  # still shown, as text
    assert 'href="https://example.org/fine"' in page.text


@pytest.mark.parametrize("path", ["/", "/sparql?query=ASK%7B%7D", "/sparql", "/id/lg/1", "/nowhere", "/static/style.css"])
def test_security_headers_on_every_response(path):
    response = fetch(create_app(ServeSettings(), backend=EmbeddedStore.from_text(HOSTILE)), path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]


def test_a_nul_in_a_download_name_is_404(served):
    assert httpx.get(served.url + "/download/%00").status_code == 404
    assert httpx.get(served.url + "/download/.store/CURRENT").status_code == 404


def test_the_trailing_slash_redirect_does_not_name_the_host_sent(served):
    response = httpx.get(served.url + "/sparql/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert response.status_code in (307, 308)
    assert "evil.example" not in response.headers["location"]


def test_repeated_pages_come_from_the_cache_in_their_own_format(served):
    html = [httpx.get(served.url + "/", headers={"Accept": "text/html"}) for _ in range(2)]
    as_json = httpx.get(served.url + "/", headers={"Accept": "application/json"})
    assert html[0].status_code == 200 and html[0].text == html[1].text
    assert html[1].headers["content-type"].startswith("text/html")
    assert as_json.headers["content-type"].startswith("application/json") and as_json.text != html[0].text
    assert html[0].headers["etag"] != as_json.headers["etag"]

"""The hot path: SPARQL requests answered before FastAPI's routing and dependency layers.

A lookup query takes pyoxigraph a few tens of microseconds; FastAPI's layers
(routing, dependency solving, exception and CORS middleware) took several
times that, so this ASGI middleware answers ``GET``/``POST /sparql`` and
``POST /update`` itself, with the very functions the routes use. Everything
else, the service description and CORS preflights included, goes on to the app.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from endpoint.errors import problem_reply
from endpoint.problem import Problem
from endpoint.sparql.protocol import Call
from endpoint.sparql.query import SPARQL_POST, answer
from endpoint.sparql.update import UPDATE_POST

PROTOCOL_OPERATIONS = {"/sparql": {"post": SPARQL_POST}, "/update": {"post": UPDATE_POST}}
"""The OpenAPI operations answered here and by no route, for the application's schema."""
CORS_EXPOSED = b"X-Result-Limit, X-Result-Truncated, Content-Location, Link"
NO_BODY = (204, 304)


class SparqlFastPath:
    """ASGI middleware answering SPARQL protocol requests at ``path`` (queries, updates) and ``update_path``."""

    def __init__(self, app, *, state, path: str = "/sparql", update_path: str = "/update"):
        self.app = app
        self.state = state
        self.path = path
        self.update_path = update_path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if not ((path == self.path and method in ("GET", "POST")) or (path == self.update_path and method == "POST")):
            await self.app(scope, receive, send)
            return
        params: dict[str, list[str]] = {}
        for key, value in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
            params.setdefault(key, []).append(value)
        if method == "GET" and "query" not in params and "update" not in params:
            await self.app(scope, receive, send)  # the service description or the form
            return
        body = await _read_body(receive) if method == "POST" else b""
        call = Call.from_scope(scope, body, params)
        try:
            reply = await answer(self.state, call, queries=path == self.path)
            status, content, out = reply.status, reply.body, reply.headers
        except Problem as problem:
            pages = getattr(self.state, "pages", None)
            content_type, content, out = problem_reply(problem, call.headers.get("accept"), pages)
            status, out = problem.status, {"Content-Type": content_type, **out}
        raw = [(key.lower().encode("latin-1"), value.encode("latin-1")) for key, value in out.items()]
        if status not in NO_BODY:
            raw.append((b"content-length", str(len(content)).encode()))
        if "origin" in call.headers and path == self.path and status != 204:  # never on updates
            raw.append((b"access-control-allow-origin", b"*"))
            raw.append((b"access-control-expose-headers", CORS_EXPOSED))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": content})


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)

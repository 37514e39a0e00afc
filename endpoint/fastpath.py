"""The hot path: SPARQL queries answered before FastAPI's routing and dependency layers.

A lookup query takes pyoxigraph a few tens of microseconds; FastAPI's layers
(routing, dependency solving, exception and CORS middleware) took several
times that, so this ASGI middleware answers ``GET``/``POST /sparql`` queries
itself, with the very functions the ``/sparql`` routes use. Everything else,
the service description and CORS preflights included, goes on to the app.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from endpoint.errors import Problem, problem_reply
from endpoint.sparql import answer_query, read_request

CORS_EXPOSED = b"X-Result-Limit, X-Result-Truncated, Content-Location, Link"


class SparqlFastPath:
    """ASGI middleware answering SPARQL protocol queries at ``path`` directly."""

    def __init__(self, app, *, state, path: str = "/sparql"):
        self.app = app
        self.state = state
        self.path = path

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        params: dict[str, list[str]] = {}
        for key, value in parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True):
            params.setdefault(key, []).append(value)
        method = scope["method"]
        if method == "GET" and "query" not in params and "update" not in params:
            await self.app(scope, receive, send)  # the service description or the form
            return
        headers: dict[str, str] = {}
        for name, value in scope["headers"]:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        accept = headers.get("accept")
        body = await _read_body(receive) if method == "POST" else b""
        try:
            query = read_request(method, params, headers.get("content-type", ""), body, accept)
            reply = await answer_query(self.state, query)
            status, content, out = reply.status, reply.body, reply.headers
        except Problem as problem:
            content_type, content, out = problem_reply(problem, accept, getattr(self.state, "pages", None))
            status, out = problem.status, {"Content-Type": content_type, **out}
        raw = [(key.lower().encode("latin-1"), value.encode("latin-1")) for key, value in out.items()]
        raw.append((b"content-length", str(len(content)).encode()))
        if "origin" in headers:
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

"""The outermost layer of every request: size limits, security headers, validators of a read-only build.

- A request target longer than ``KG_MAX_URL`` bytes is 414, a request line and
  headers over ``KG_MAX_HEADERS`` bytes 431, a body over ``KG_MAX_BODY`` bytes 413
  (by its ``Content-Length``, or as it arrives). The server's HTTP protocol
  (:mod:`endpoint.server`) applies the header limit while the headers arrive, so
  no huge header is ever held; this layer says the same for any other server.
- Every response carries a Content-Security-Policy (scripts, styles and images
  from this server only, no framing), ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy`` and ``X-Frame-Options``.
- A redirect this server makes never names the ``Host`` the client sent: its
  ``Location`` is a path.
- When the data cannot change (a read-only server of a built dump), each ``GET``
  answer carries an ``ETag`` made of the build's digest, ``Last-Modified`` (the
  dump's time) and ``Cache-Control``; a request whose ``If-None-Match`` or
  ``If-Modified-Since`` matches is answered 304 before anything reads the store,
  and recent pages and descriptions are answered again without being rendered.

>>> tags = Validators("ab" * 32, 0, code="1")
>>> tags.etag(b"/sparql", b"query=ASK%7B%7D", b"text/csv", b""), tags.last_modified
(b'"abababababababab-9f01efaf"', b'Thu, 01 Jan 1970 00:00:00 GMT')
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';"
    " font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
"""The API documentation page (Swagger UI) starts itself with an inline script."""
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]
REDIRECTS = (301, 302, 303, 307, 308)
LONG_LIVED = (b"/download/", b"/static/")
"""Paths whose answers change only with a new build or release: cached for longer."""


def _code_fingerprint() -> str:
    """Changes with the server's own code and templates, so a new release is never answered 304."""
    root = Path(__file__).resolve().parent
    parts = sorted(
        f"{path.relative_to(root)}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
        for path in root.rglob("*")
        if path.suffix in (".py", ".html", ".js", ".css") and path.is_file()
    )
    return format(zlib.crc32("\n".join(parts).encode()), "08x")


@dataclass(frozen=True)
class Validators:
    """The build's digest and time, as HTTP validators."""

    digest: str
    mtime: float
    code: str = field(default_factory=_code_fingerprint)

    @property
    def last_modified(self) -> bytes:
        return formatdate(self.mtime, usegmt=True).encode()

    def etag(self, path: bytes, query: bytes, accept: bytes, language: bytes) -> bytes:
        """The tag of one representation: the build, the code, and what the request asked for."""
        varying = zlib.crc32(b"\0".join((path, query, accept, language, self.code.encode())))
        return f'"{self.digest[:16]}-{varying:08x}"'.encode()

    def not_modified(self, headers: dict[bytes, bytes], etag: bytes) -> bool:
        """Whether the client's conditional headers show it holds this representation."""
        match = headers.get(b"if-none-match")
        if match is not None:
            tags = [tag.strip().removeprefix(b"W/") for tag in match.split(b",")]
            return b"*" in tags or etag in tags
        since = headers.get(b"if-modified-since")
        if since is not None:
            try:
                return parsedate_to_datetime(since.decode("latin-1")).timestamp() >= int(self.mtime)
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
        return False


class _TooLarge(Exception):
    pass


PAGE_CACHE = 32 * 2**20
"""Bytes of rendered answers (pages, descriptions, the catalog) a read-only build keeps."""
PAGE_ENTRY = 1 * 2**20
UNCACHED = (b"/download/", b"/static/", b"/sparql", b"/update", b"/docs", b"/openapi")


class _Responses:
    """Whole ``200`` answers to ``GET`` by request, least recently used out, within a size."""

    def __init__(self, size: int):
        from collections import OrderedDict

        self.size, self.used = size, 0
        self.entries: OrderedDict = OrderedDict()

    def get(self, key):
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key, headers, body: bytes) -> None:
        if len(body) > PAGE_ENTRY or key in self.entries:
            return
        self.entries[key] = (headers, body)
        self.used += len(body) + 512
        while self.used > self.size:
            _, (_, old) = self.entries.popitem(last=False)
            self.used -= len(old) + 512


class Guards:
    """ASGI middleware applying the limits, headers and validators above; ``state`` is the app's state."""

    def __init__(self, app, *, state):
        self.app = app
        self.state = state
        self.responses = _Responses(PAGE_CACHE)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.state.settings
        path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        query = scope.get("query_string", b"")
        if len(path) + len(query) + 1 > settings.max_url:
            await _refuse(send, 414, f"the URL is longer than {settings.max_url:,} bytes (KG_MAX_URL): send the query by POST")
            return
        headers = dict(scope["headers"])
        size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
        if size > settings.max_headers:
            await _refuse(send, 431, f"the request's headers pass {settings.max_headers:,} bytes (KG_MAX_HEADERS)")
            return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body:
            await _refuse(send, 413, f"the request body is larger than {settings.max_body:,} bytes (KG_MAX_BODY)")
            return

        csp = (DOCS_CSP if scope["path"].startswith("/docs") else CSP).encode()
        validators: Validators | None = getattr(self.state, "validators", None)
        etag = None
        if validators is not None and scope["method"] in ("GET", "HEAD"):
            etag = validators.etag(path, query, headers.get(b"accept", b""), headers.get(b"accept-language", b""))
            if validators.not_modified(headers, etag):
                await send({"type": "http.response.start", "status": 304, "headers": [
                    (b"etag", etag), (b"last-modified", validators.last_modified), *_caching(path),
                    (b"vary", b"Accept, Accept-Language"), *SECURITY_HEADERS, (b"content-security-policy", csp),
                ]})
                await send({"type": "http.response.body", "body": b""})
                return

        key = None
        if etag is not None and scope["method"] == "GET" and not path.startswith(UNCACHED):
            key = etag  # the build, the code, the path, the query string, Accept and Accept-Language
            hit = self.responses.get(key)
            if hit is not None:
                out, body = hit
                await send({"type": "http.response.start", "status": 200, "headers": out})
                await send({"type": "http.response.body", "body": body})
                return
        received = 0
        started = False
        kept: list = []

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > settings.max_body:
                    raise _TooLarge
            return message

        async def guarded_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                out = [
                    (name, value) for name, value in message.get("headers", [])
                    if name.lower() not in (b"content-security-policy", b"x-content-type-options")
                ]
                out += SECURITY_HEADERS
                out.append((b"content-security-policy", csp))
                if status in REDIRECTS:
                    host = headers.get(b"host", b"")
                    out = [
                        (name, _relative(value, host) if name.lower() == b"location" else value) for name, value in out
                    ]
                if etag is not None and status == 200:
                    out += [(b"etag", etag), (b"last-modified", validators.last_modified), *_caching(path)]
                    if key is not None:
                        kept.append(out)
                message = {**message, "headers": out}
            elif message["type"] == "http.response.body" and kept:
                kept.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self.responses.put(key, kept[0], b"".join(kept[1:]))
                elif sum(len(part) for part in kept[1:]) > PAGE_ENTRY:
                    kept.clear()
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, f"the request body is larger than {settings.max_body:,} bytes (KG_MAX_BODY)")


def _caching(path: bytes) -> list[tuple[bytes, bytes]]:
    seconds = b"3600" if path.startswith(LONG_LIVED) else b"300"
    return [(b"cache-control", b"public, max-age=" + seconds)]


def _relative(location: bytes, host: bytes) -> bytes:
    """A redirect's target on the requested ``host`` as a path: that host came from the client.

    >>> _relative(b"http://evil.example/sparql/?a=1", b"evil.example"), _relative(b"https://w3.org/x", b"h")
    (b'/sparql/?a=1', b'https://w3.org/x')
    """
    scheme, sep, rest = location.partition(b"://")
    if not sep or b"/" in scheme:
        return location
    netloc, slash, tail = rest.partition(b"/")
    if netloc.lower() != host.lower():
        return location
    return slash + tail if slash else b"/"


async def _refuse(send, status: int, detail: str) -> None:
    from http import HTTPStatus

    body = f"{status} {HTTPStatus(status).phrase}: {detail}\n".encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *SECURITY_HEADERS, (b"content-security-policy", CSP.encode()),
    ]})
    await send({"type": "http.response.body", "body": body})

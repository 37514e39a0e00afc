"""Running the app: under uvicorn, in a background thread, or for one request in-process.

>>> from endpoint.app import create_app
>>> from endpoint.store.backends import EmbeddedStore
>>> app = create_app(backend=EmbeddedStore.from_text(""))
>>> fetch(app, "/sparql?query=ASK{}", headers={"Accept": "application/sparql-results+json"}).text
'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import asyncio
import importlib.util
import socket
import threading
import time
from http import HTTPStatus

import httpx
import uvicorn
from fastapi import FastAPI

from endpoint.settings import ServeSettings


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


HTTPTOOLS_HEAD = 80 * 1024
"""Bytes of request line and headers past which httptools gives up on a request (a bare 400)."""
HTTPTOOLS_URL = 64 * 1024 - 64
"""Bytes of request line past which httptools gives up on a request."""


def _guarded(base: type, settings: ServeSettings) -> type:
    """uvicorn's HTTP protocol ``base`` with the limits a public server needs while a request arrives.

    - the request line and headers may not pass ``max_url + max_headers`` bytes (414 while still in
      the URL, else 431; :mod:`endpoint.guards` then holds each to its own limit);
    - a request must arrive whole, headers and body, within ``read_timeout`` seconds (408);
    - a new connection must start its first request within ``idle_timeout`` seconds (after a
      response, uvicorn's own keep-alive timeout of the same length applies).
    """
    # httptools itself refuses a head over 80 KiB with a bare 400: answer before it does.
    limit = min(settings.max_url + settings.max_headers, HTTPTOOLS_HEAD - 1024)
    url_limit = min(settings.max_url + 16, HTTPTOOLS_URL)  # "GET " and " HTTP/1.1" besides the target
    read_timeout, idle_timeout = settings.read_timeout, settings.idle_timeout

    class Guarded(base):
        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._head = 0
            self._in_head = True
            self._url_done = False
            self._line = 0
            self._timer = self.loop.call_later(idle_timeout, self._expire, None)

        def _expire(self, status) -> None:
            if self.transport.is_closing():
                return
            if status is None:
                self.transport.close()  # silent since it connected
                return
            self._refuse(status, "the request did not arrive in time")

        def _refuse(self, status: int, detail: str) -> None:
            body = f"{status} {HTTPStatus(status).phrase}: {detail}\n".encode()
            self.transport.write(
                f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: text/plain; charset=utf-8\r\n"
                f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode() + body
            )
            self.transport.close()

        def data_received(self, data: bytes) -> None:
            if self._in_head:
                self._head += len(data)
                if not self._url_done:
                    end = data.find(b"\r\n")
                    self._line += len(data) if end < 0 else end
                    self._url_done = end >= 0
                    if self._line > url_limit:
                        self._refuse(414, f"the URL is longer than {settings.max_url:,} bytes (KG_MAX_URL): send the query by POST")
                        return
                if self._head > limit and b"\r\n\r\n" not in data:
                    self._refuse(431, f"the request's headers pass {settings.max_headers:,} bytes (KG_MAX_HEADERS)")
                    return
            super().data_received(data)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head, self._url_done, self._line = True, False, 0
            self._timer.cancel()
            self._timer = self.loop.call_later(read_timeout, self._expire, 408)

        def on_headers_complete(self) -> None:
            self._url_done = True
            self._in_head = False
            self._head = 0
            super().on_headers_complete()

        def on_header(self, name: bytes, value: bytes) -> None:
            self._url_done = True
            super().on_header(name, value)

        def on_message_complete(self) -> None:
            self._timer.cancel()
            super().on_message_complete()

        def connection_lost(self, exc) -> None:
            self._timer.cancel()
            super().connection_lost(exc)

    Guarded.__name__ = Guarded.__qualname__ = f"Guarded{base.__name__}"
    return Guarded


def _fast_parts(settings: ServeSettings | None = None) -> dict:
    # uvloop and httptools roughly halve uvicorn's own share of each request.
    options = {"loop": "asyncio", "http": "h11"}
    if importlib.util.find_spec("uvloop"):
        options["loop"] = "uvloop"
    if importlib.util.find_spec("httptools"):
        options["http"] = "httptools"
        if settings is not None:
            from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

            options["http"] = _guarded(HttpToolsProtocol, settings)
    if settings is not None:
        options["timeout_keep_alive"] = settings.idle_timeout
        options["h11_max_incomplete_event_size"] = settings.max_url + settings.max_headers
    return options


def uvicorn_config(
    app, *, host: str, port: int, access_log: bool = False, settings: ServeSettings | None = None, **options
) -> uvicorn.Config:
    """uvicorn's configuration for this app: the fastest parts installed, the settings' connection
    limits, quiet access log by default."""
    settings = settings if settings is not None else getattr(getattr(app, "state", None), "settings", None)
    options = {"log_level": "info", **_fast_parts(settings), **options}
    return uvicorn.Config(app, host=host, port=port, access_log=access_log, lifespan="on", **options)


def run(app: FastAPI, settings: ServeSettings, *, access_log: bool = False) -> None:
    """Serve until interrupted (queries run in the app's worker processes, see endpoint.sparql.workers)."""
    config = uvicorn_config(app, host=settings.host, port=settings.port, access_log=access_log, settings=settings)
    uvicorn.Server(config).run()


class BackgroundServer:
    """The app served by uvicorn in a thread of this process, on a free loopback port.

    Use as a context manager; ``url`` is where it listens.
    """

    def __init__(self, app: FastAPI, *, host: str = "127.0.0.1", port: int | None = None, startup_timeout: float = 30):
        self.host, self.port = host, port or free_port(host)
        # log_config=None leaves the host's logging alone (and still silences the access log).
        config = uvicorn_config(app, host=self.host, port=self.port, log_config=None, log_level="warning")
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)
        self._startup_timeout = startup_timeout

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server at {self.url} did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)


async def _fetch(app: FastAPI, method: str, path: str, headers: dict[str, str] | None, content) -> httpx.Response:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
            response = await client.request(method, path, headers=headers, content=content)
            await response.aread()
            return response


def fetch(
    app: FastAPI, path: str, *, method: str = "GET", headers: dict[str, str] | None = None, content=None
) -> httpx.Response:
    """Answer one request in-process, lifespan included, without a socket."""
    return asyncio.run(_fetch(app, method, path, headers, content))

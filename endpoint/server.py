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
import json
import os
import socket
import threading
import time

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from endpoint.settings import ServeSettings


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _fast_parts() -> dict:
    # uvloop and httptools roughly halve uvicorn's own share of each request.
    options = {"loop": "asyncio", "http": "h11"}
    if importlib.util.find_spec("uvloop"):
        options["loop"] = "uvloop"
    if importlib.util.find_spec("httptools"):
        options["http"] = "httptools"
    return options


def uvicorn_config(app, *, host: str, port: int, access_log: bool = False, **options) -> uvicorn.Config:
    """uvicorn's configuration for this app: the fastest parts installed, quiet access log by default."""
    options = {"log_level": "info", **_fast_parts(), **options}
    return uvicorn.Config(app, host=host, port=port, access_log=access_log, lifespan="on", **options)


def settings_environment(settings: ServeSettings) -> dict[str, str]:
    """``KG_*`` variables that rebuild ``settings`` in another process (secrets included)."""
    environment = {}
    for name, value in settings.model_dump(mode="json").items():
        secret = getattr(settings, name)
        if isinstance(secret, SecretStr):
            value = secret.get_secret_value()  # the JSON dump masks it
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value)
        environment[f"KG_{name.upper()}"] = text
    return environment


def run(app: FastAPI | None, settings: ServeSettings, *, workers: int = 1, access_log: bool = False) -> None:
    """Serve until interrupted. Several workers each load their own copy of the store."""
    options = dict(host=settings.host, port=settings.port, access_log=access_log, log_level="info", **_fast_parts())
    if workers > 1:
        # Worker processes build their app from the environment.
        os.environ.update(settings_environment(settings))
        uvicorn.run("endpoint.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(app, **options)


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

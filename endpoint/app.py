"""The ASGI application: ``create_app(settings)`` wires routers, store and pages.

The store opens in the lifespan, not at import, so tests and tools build apps
around their own settings or an already loaded store:

>>> from endpoint.store.backends import EmbeddedStore
>>> from endpoint.server import fetch
>>> store = EmbeddedStore.from_text('<http://localhost:8000/id/lg/1> <http://www.w3.org/2000/01/rdf-schema#label> "A" .')
>>> fetch(create_app(ServeSettings(), backend=store), "/id/lg/1", headers={"Accept": "application/n-triples"}).text
'<http://localhost:8000/id/lg/1> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\\n'
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from endpoint.catalog import downloads
from endpoint.conformance import earl
from endpoint.errors import http_exception_handler, problem_handler
from endpoint.linked_data import resources
from endpoint.pages import docs, routes
from endpoint.pages.render import STATIC, Pages
from endpoint.problem import Problem
from endpoint.runner import Runner
from endpoint.settings import ServeSettings
from endpoint.sparql import query, update
from endpoint.sparql.fastpath import SparqlFastPath
from endpoint.store.backends import Backend, EmbeddedStore, RemoteStore
from kg.iris import prefix_table

QUERY_THREADS = min(32, 4 * (os.cpu_count() or 1))
"""Threads that run queries; pyoxigraph releases the GIL, so they run in parallel."""


class MissingDump(FileNotFoundError):
    """The graph has not been built."""

    def __init__(self, path: Path):
        super().__init__(f"no graph at {path}: run `kg build` first")
        self.path = path


def dump_path(settings: ServeSettings) -> Path:
    """The N-Triples dump the embedded store loads."""
    return settings.dist / "kg.nt"


def open_backend(settings: ServeSettings) -> Backend:
    """The store the settings ask for: the remote endpoint ``store``, the files ``data`` and
    ``graphs`` in memory, else ``dist/kg.nt`` in memory."""
    if settings.store:
        return RemoteStore(settings.store, timeout=settings.query_timeout, update_url=settings.store_update,
                           graph=settings.store_graph)
    if settings.data or settings.graphs:
        return EmbeddedStore.from_sources(settings.data, settings.graphs)
    dump = dump_path(settings)
    if not dump.is_file():
        raise MissingDump(dump)
    return EmbeddedStore.from_files(dump)


def create_app(settings: ServeSettings | None = None, *, backend: Backend | None = None) -> FastAPI:
    """The application for ``settings``; with ``backend``, that store instead of opening one."""
    settings = settings or ServeSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = backend if backend is not None else open_backend(settings)
        runner = Runner(timeout=settings.query_timeout, workers=QUERY_THREADS)
        app.state.backend, app.state.runner = store, runner
        try:
            yield
        finally:
            runner.close()
            if backend is None:
                store.close()

    app = FastAPI(
        title="Local government partnerships: SPARQL and Linked Data",
        summary="Read-only SPARQL 1.1 endpoint and Linked Data for ties between Japanese local governments.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by endpoint.pages.docs without a CDN
        redoc_url=None,
        # Checking for OpenTelemetry providers costs each request more than a lookup query.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    prefixes = prefix_table(settings.base)
    pages = Pages(settings.base, prefixes)
    app.state.settings, app.state.prefixes, app.state.pages = settings, prefixes, pages

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["X-Result-Limit", "X-Result-Truncated", "Content-Location", "Link"],
    )
    # Last added, so outermost: queries skip the layers below (see endpoint.sparql.fastpath).
    app.add_middleware(SparqlFastPath, state=app.state)
    app.add_exception_handler(Problem, problem_handler)
    app.add_exception_handler(HTTPException, http_exception_handler)

    app.include_router(docs.router)
    app.include_router(routes.router)
    app.include_router(query.router)
    app.include_router(resources.router, prefix=pages.urls.root)
    app.include_router(downloads.router)
    app.include_router(update.router)
    app.include_router(earl.router)
    swagger = docs.swagger_files()
    if swagger is not None:
        app.mount(docs.SWAGGER_PREFIX, StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def app_from_env() -> FastAPI:
    """The application of the ``KG_*`` environment, for ``uvicorn --factory`` and worker processes."""
    return create_app(ServeSettings())

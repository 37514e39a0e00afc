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
from functools import partial
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from endpoint.catalog import downloads
from endpoint.conformance import earl
from endpoint.errors import http_exception_handler, problem_handler
from endpoint.head import HeadAsGet
from endpoint.linked_data import resources
from endpoint.pages import docs, routes
from endpoint.pages.render import STATIC, Pages
from endpoint.problem import Problem
from endpoint.runner import Runner
from endpoint.settings import ServeSettings
from endpoint.sparql import query, update
from endpoint.sparql.fastpath import PROTOCOL_OPERATIONS, SparqlFastPath
from endpoint.sparql.cache import AnswerCache, ClientSlots
from endpoint.sparql.execute import Limits
from endpoint.sparql.workers import QueryPool, WorkerConfig
from endpoint.store import ondisk
from endpoint.store.backends import Backend, EmbeddedStore, RemoteStore
from endpoint.guards import Guards, Validators
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


def store_folder(settings: ServeSettings) -> Path:
    """Where the on-disk store of ``dist/kg.nt`` lives."""
    return settings.store_dir or settings.dist / ".store"


def open_backend(settings: ServeSettings) -> Backend:
    """The store the settings ask for: the remote endpoint ``store``, the files ``data`` and
    ``graphs`` in memory, ``dist/kg.nt`` in memory when updates are allowed, else ``dist/kg.nt``
    loaded once into an on-disk store that query workers open read-only."""
    if settings.store:
        return RemoteStore(settings.store, timeout=settings.query_timeout, update_url=settings.store_update,
                           graph=settings.store_graph)
    if settings.data or settings.graphs:
        return EmbeddedStore.from_sources(settings.data, settings.graphs)
    dump = dump_path(settings)
    if not dump.is_file():
        raise MissingDump(dump)
    if settings.allow_update:
        return EmbeddedStore.from_files(dump)
    return ondisk.open_read_only(ondisk.prepare(dump, store_folder(settings)).path)


def build_validators(settings: ServeSettings, backend: Backend) -> Validators | None:
    """Validators of a read-only build's answers: its digest and time; None when the data may change."""
    folder = getattr(backend, "path", None)
    if settings.allow_update or folder is None or not (folder / ondisk.DIGEST_FILE).is_file():
        return None
    dump = dump_path(settings)
    mtime = dump.stat().st_mtime if dump.is_file() else (folder / ondisk.DIGEST_FILE).stat().st_mtime
    return Validators((folder / ondisk.DIGEST_FILE).read_text().strip(), mtime)


def create_app(settings: ServeSettings | None = None, *, backend: Backend | None = None) -> FastAPI:
    """The application for ``settings``; with ``backend``, that store instead of opening one."""
    settings = settings or ServeSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = backend if backend is not None else open_backend(settings)
        runner = Runner(timeout=settings.query_timeout, workers=QUERY_THREADS)
        app.state.backend, app.state.runner = store, runner
        app.state.limits = Limits.of(settings, prefixes)
        app.state.clients = ClientSlots(settings.client_queries)
        app.state.validators = build_validators(settings, store)
        app.state.answers = app.state.pool = None
        folder = getattr(store, "path", None)  # an on-disk store, which nothing changes while served
        if folder is not None and not settings.allow_update and settings.answer_cache:
            app.state.answers = AnswerCache(settings.answer_cache * 2**20)
        if folder is not None and not settings.allow_update and settings.query_workers:
            memory = settings.query_memory * 2**20 or None
            dump = dump_path(settings)
            served = dump.is_file() and not (settings.data or settings.graphs or settings.store)
            config = WorkerConfig(str(folder), app.state.limits, memory, str(dump.resolve()) if served else None)
            app.state.pool = QueryPool(config, size=settings.query_workers, timeout=settings.query_timeout)
            await app.state.pool.start()
        try:
            yield
        finally:
            if app.state.pool is not None:
                app.state.pool.close()
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
    pages = Pages(settings.base, prefixes, dist=settings.dist)
    app.state.settings, app.state.prefixes, app.state.pages = settings, prefixes, pages

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type", "Accept-Language"],  # not Authorization: no updates from other sites
        expose_headers=["X-Result-Limit", "X-Result-Truncated", "Content-Location", "Link"],
    )
    # Added after, so outside: queries skip the layers below (see endpoint.sparql.fastpath),
    # and every request meets the limits, headers and validators of endpoint.guards first.
    app.add_middleware(SparqlFastPath, state=app.state)
    app.add_middleware(Guards, state=app.state)
    app.add_middleware(HeadAsGet)  # outermost: HEAD is GET without the body, everywhere
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
    app.openapi = partial(_openapi, app)
    return app


def _openapi(app: FastAPI) -> dict:
    """FastAPI's schema of the routes, with the protocol operations only the fast path answers."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, description=app.description, routes=app.routes
        )
        for path, operations in PROTOCOL_OPERATIONS.items():
            schema["paths"].setdefault(path, {}).update(operations)
        app.openapi_schema = schema
    return app.openapi_schema


def app_from_env() -> FastAPI:
    """The application of the ``KG_*`` environment, for ``uvicorn --factory`` and worker processes."""
    return create_app(ServeSettings())

"""The server's settings, read from ``KG_*`` environment variables (``kg serve`` options win).

The build has its own (:class:`kg.config.Settings`); the two share only the
IRI base, the ``dist/`` folder the build writes and the server reads, and the
folder of example queries.

>>> ServeSettings(port=8080, allow_service=("query.example.org",)).allow_service
('query.example.org',)
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.config import DEFAULT_BASE, check_base, default_data_dir, default_dist


class ServeSettings(BaseSettings):
    """What the server serves, where it listens, and its limits."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    base: str = DEFAULT_BASE
    """IRI base of the graph served: ``/id/…`` and ``/def/…`` resolve under it."""
    dist: Path = Field(default_factory=default_dist)
    """The build's output folder: ``kg.nt``, the catalog, downloads, the conformance report."""
    queries: Path = Field(default_factory=lambda: default_data_dir() / "queries")
    """Example queries shown on the home page and in the query editor."""
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(10.0, gt=0)
    """Seconds a SPARQL query may run, waiting for a worker included; then it is stopped (503)."""
    result_limit: int = Field(10000, ge=1)
    """Most rows (or triples) a query returns; more are cut and flagged."""
    query_workers: int = Field(default_factory=lambda: max(4, 2 * (os.cpu_count() or 1)), ge=0)
    """Worker processes that run read-only queries over the on-disk store; 0 runs them in threads.
    Two per core: a light query finds a worker free while a heavy one runs on each core."""
    query_memory: int = Field(2048, ge=0)
    """Megabytes of address space a query may add to its worker (beyond the graph it holds): a query
    needing more is stopped (503) and the worker replaced; 0 for no cap."""
    query_max_length: int = Field(100_000, ge=1)
    """Most bytes of query text (400 beyond)."""
    query_max_depth: int = Field(128, ge=1)
    """Deepest nesting of a query's brackets, operators and UNIONs (400 beyond)."""
    client_queries: int = Field(8, ge=1)
    """Queries one client address may have running or waiting at once (429 beyond)."""
    max_body: int = Field(1_000_000, ge=1)
    """Most bytes of a request body (413 beyond)."""
    max_url: int = Field(32_768, ge=1)
    """Most bytes of a request's target, path and query string (414 beyond): longer queries go by POST."""
    max_headers: int = Field(32_768, ge=1)
    """Most bytes of a request's headers (431 beyond)."""
    idle_timeout: float = Field(5.0, gt=0)
    """Seconds an open connection may stay silent between requests before it is closed."""
    read_timeout: float = Field(30.0, gt=0)
    """Seconds a client has to send a whole request, headers and body, before it gets 408."""
    answer_cache: int = Field(64, ge=0)
    """Megabytes of answers kept to repeat (the data does not change while served); 0 for none."""
    store_dir: Path | None = None
    """Folder of the on-disk store loaded from ``dist/kg.nt`` (default ``dist/.store``)."""
    allowed_hosts: tuple[str, ...] = ()
    """``Host`` names (``name`` or ``name:port``) the server answers besides its own address and loopback names."""
    allow_service: tuple[str, ...] = ()
    """Hosts a SPARQL ``SERVICE`` clause may call; none by default."""
    store: str | None = None
    """URL of a remote SPARQL endpoint to serve from instead of the embedded store."""
    store_update: str | None = None
    """URL where the remote store takes SPARQL Update, when not ``store`` itself (oxigraph: ``…/update``)."""
    store_graph: str | None = None
    """Graph of the remote store that queries naming no dataset read (Virtuoso: the graph ``kg publish`` loaded)."""
    data: tuple[Path, ...] = ()
    """RDF files to serve in the default graph instead of ``dist/kg.nt`` (``kg serve --data``)."""
    graphs: tuple[tuple[str, Path], ...] = ()
    """``(IRI, file)`` pairs: RDF files to serve in named graphs (``kg serve --graph IRI=FILE``)."""
    allow_update: bool = False
    """Accept SPARQL Update at ``/sparql`` and ``/update``; read-only otherwise."""
    update_token: SecretStr | None = None
    """Bearer token updates must present; required to allow updates on a non-loopback address.
    An empty value is no token."""

    @field_validator("update_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value):
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if text is None or not str(text).strip() else value

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        return check_base(value)

"""The server's settings, read from ``KG_*`` environment variables (``kg serve`` options win).

The build has its own (:class:`kg.config.Settings`); the two share only the
IRI base, the ``dist/`` folder the build writes and the server reads, and the
folder of example queries.

>>> ServeSettings(port=8080, allow_service=("query.example.org",)).allow_service
('query.example.org',)
"""

from __future__ import annotations

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
    query_timeout: float = 10.0
    """Seconds a SPARQL query may run before it is cancelled."""
    result_limit: int = 10000
    """Most rows (or triples) a query returns; more are cut and flagged."""
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
    """Bearer token updates must present; required to allow updates on a non-loopback address."""

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        return check_base(value)

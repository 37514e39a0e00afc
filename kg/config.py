"""All configuration in one place, read from ``KG_*`` environment variables.

>>> Settings(base="https://example.org/lg/").base
'https://example.org/lg/'
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = "http://localhost:8000/"


class Settings(BaseSettings):
    """Paths, the IRI base and the server's limits."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    base: str = DEFAULT_BASE
    """IRI base every identifier of the graph is minted under."""
    manifest: Path = ROOT / "data" / "sources" / "manifest.toml"
    curated: Path = ROOT / "data" / "curated"
    ontology: Path = ROOT / "ontology"
    queries: Path = ROOT / "queries"
    dist: Path = ROOT / "dist"
    links: Path = ROOT / "data" / "links"
    """Link tables and their manifest (``kg link`` refreshes them; every build reads them)."""
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"
    """SPARQL endpoint ``kg link wikidata`` asks (with ``estat_endpoint``, the only outside services)."""
    estat_endpoint: str = "http://data.e-stat.go.jp/lod/sparql/alldata/query"
    """SPARQL endpoint ``kg link estat`` asks (e-Stat's statistical LOD)."""

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
        if not value.startswith(("http://", "https://")) or not value.endswith("/"):
            raise ValueError("KG_BASE must be an http(s) IRI ending with '/'")
        return value

"""The build's settings in one place, read from ``KG_*`` environment variables.

The inputs (``ontology/``, ``data/``, ``queries/``) are read from one data
folder: ``KG_DATA_DIR`` (``kg build --data-dir``) when given, else the checkout
this package runs from, else the copy installed with the package under
``<prefix>/share/jp-lg-partnerships/``. The server's settings are its own
(:mod:`endpoint.settings`).

>>> Settings(base="https://example.org/lg/").base
'https://example.org/lg/'
>>> settings = Settings(data_dir="/srv/lg")
>>> settings.ontology.as_posix(), settings.manifest.as_posix()
('/srv/lg/ontology', '/srv/lg/data/sources/manifest.toml')
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mapping.paths import INSTALLED_DATA, ROOT, default_data_dir, in_checkout

__all__ = ["DEFAULT_BASE", "INSTALLED_DATA", "ROOT", "Settings", "check_base", "default_data_dir", "default_dist",
           "in_checkout"]

DEFAULT_BASE = "http://localhost:8000/"


def default_dist() -> Path:
    """Where the build writes: the checkout's ``dist/``, else ``dist/`` in the working folder."""
    return ROOT / "dist" if in_checkout() else Path.cwd() / "dist"


def check_base(value: str) -> str:
    """An IRI base is http(s) and ends with ``/``."""
    if not value.startswith(("http://", "https://")) or not value.endswith("/"):
        raise ValueError("KG_BASE must be an http(s) IRI ending with '/'")
    return value


class Settings(BaseSettings):
    """The build's inputs, outputs and IRI base."""

    model_config = SettingsConfigDict(env_prefix="KG_", frozen=True)

    base: str = DEFAULT_BASE
    """IRI base every identifier of the graph is minted under."""
    data_dir: Path = Field(default_factory=default_data_dir)
    """Folder of the inputs: ``ontology/``, ``data/sources/``, ``data/curated/``, ``data/links/``, ``queries/``."""
    manifest: Path = Field(default_factory=lambda data: data["data_dir"] / "data" / "sources" / "manifest.toml")
    curated: Path = Field(default_factory=lambda data: data["data_dir"] / "data" / "curated")
    ontology: Path = Field(default_factory=lambda data: data["data_dir"] / "ontology")
    queries: Path = Field(default_factory=lambda data: data["data_dir"] / "queries")
    dist: Path = Field(default_factory=default_dist)
    links: Path = Field(default_factory=lambda data: data["data_dir"] / "data" / "links")
    """Link tables and their manifest (``kg link`` refreshes them; every build reads them)."""
    publisher: str = "jp-lg-partnerships"
    """Who publishes this deployment: the catalog's ``dcterms:publisher`` and the pages' citation (``KG_PUBLISHER``)."""
    publisher_homepage: str | None = None
    """The publisher's web address, when it has one (``KG_PUBLISHER_HOMEPAGE``)."""
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"
    """SPARQL endpoint ``kg link wikidata`` asks (with ``estat_endpoint``, the only outside services)."""
    estat_endpoint: str = "http://data.e-stat.go.jp/lod/sparql/alldata/query"
    """SPARQL endpoint ``kg link estat`` asks (e-Stat's statistical LOD)."""

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        return check_base(value)

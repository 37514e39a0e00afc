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

import sysconfig
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
"""The folder above the package: a checkout's root when run from one."""
DEFAULT_BASE = "http://localhost:8000/"
INSTALLED_DATA = Path(sysconfig.get_paths()["data"]) / "share" / "jp-lg-partnerships"
"""Where ``pip install`` puts ``ontology/``, ``data/`` and ``queries/`` (``[tool.setuptools.data-files]``)."""


def in_checkout() -> bool:
    """Whether this package runs from a checkout of the repository, inputs beside it."""
    return (ROOT / "ontology" / "lgp.ttl").is_file() and (ROOT / "pyproject.toml").is_file()


def default_data_dir() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``: the checkout, else the installed copy."""
    return ROOT if in_checkout() else INSTALLED_DATA


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
    """Links to other datasets fetched by ``kg link`` (read by the build if present)."""
    publisher: str = "jp-lg-partnerships"
    """Who publishes this deployment: the catalog's ``dcterms:publisher`` and the pages' citation (``KG_PUBLISHER``)."""
    publisher_homepage: str | None = None
    """The publisher's web address, when it has one (``KG_PUBLISHER_HOMEPAGE``)."""
    wikidata_endpoint: str = "https://query.wikidata.org/sparql"
    """SPARQL endpoint ``kg link wikidata`` asks; the only outside service the project calls."""

    @field_validator("base")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        return check_base(value)

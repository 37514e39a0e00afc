"""Links to other government datasets, as data: e-Stat's statistical LOD and Wikidata.

``data/links/`` holds the tables ``kg link`` fetched, with a manifest saying where
each came from; every build reads them and stays offline. Each link set (e-Stat's
plain and dated standard area codes, Wikidata's items) is described in the catalog
as a ``void:Linkset`` with its own N-Triples distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from kg.links.estat import ESTAT_SPARQL, SAC, DatedCode, plain_code, read_latest_codes
from kg.links.tables import Manifest
from kg.links.wikidata import ENTITY, WIKIDATA_SPARQL
from kg.resolve.japan import valid_code
from mapping.errors import InputError


@dataclass(frozen=True, slots=True)
class Target:
    """A dataset the graph links to."""

    id: str
    title: str
    homepage: str
    sparql: str
    uri_space: str


ESTAT = Target("estat", "e-Stat 統計LOD: 標準地域コード", "https://data.e-stat.go.jp/lodw/", ESTAT_SPARQL, SAC)
WIKIDATA = Target("wikidata", "Wikidata", "https://www.wikidata.org/", WIKIDATA_SPARQL, ENTITY)


@dataclass(slots=True)
class LinkSet:
    """One set of links from the graph's resources to one target, with one predicate."""

    id: str
    title: str
    predicate: URIRef
    target: Target
    tables: tuple[str, ...]
    """The link tables it is made from; none when it is minted from the codes."""
    links: list[tuple[URIRef, URIRef]] = field(default_factory=list)


@dataclass(slots=True)
class Links:
    """The link tables of one folder, read and checked."""

    manifest: Manifest
    items: dict[str, str]
    """団体コード → Wikidata item."""
    p190: list[dict[str, str]]
    dated: dict[str, DatedCode]
    """5-digit code → its latest dated code in e-Stat."""

    @classmethod
    def load(cls, folder: Path) -> Links:
        manifest = Manifest.load(folder)
        items = {}
        for number, row in enumerate(manifest.read("wikidata.csv"), start=2):
            if not valid_code(row["code"]) or not row["item"].startswith(ENTITY):
                raise InputError(f"{folder / 'wikidata.csv'}:{number}: not a code and an item IRI: {row}")
            items[row["code"]] = row["item"]
        p190 = manifest.read("wikidata-p190.csv")
        for number, row in enumerate(p190, start=2):
            if not row["item"].startswith(ENTITY) or not row["partner"].startswith(ENTITY):
                raise InputError(f"{folder / 'wikidata-p190.csv'}:{number}: not an item and a partner IRI: {row}")
        dated = read_latest_codes(manifest.read("estat.csv"), str(folder / "estat.csv"))
        return cls(manifest, items, p190, dated)

    @property
    def p190_retrieved(self) -> bool:
        return bool(self.manifest.table("wikidata-p190.csv").retrieved)


__all__ = ["ESTAT", "WIKIDATA", "LinkSet", "Links", "Target", "plain_code"]

"""The build's output folder as the server sees it: its files, their sizes and media types.

>>> list_dist(Path("/no/such/folder"))
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from endpoint.formats.media import file_type


@dataclass(frozen=True, slots=True)
class DistFile:
    name: str
    size: int
    media_type: str


def list_dist(dist: Path) -> list[DistFile]:
    """The files of ``dist/``, by path."""
    if not dist.is_dir():
        return []
    return [
        DistFile(path.relative_to(dist).as_posix(), path.stat().st_size, file_type(path.name))
        for path in sorted(dist.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(dist).parts)
    ]


@lru_cache(maxsize=4)
def _read_triples(path: Path, mtime: float) -> tuple[Triple, ...]:
    with path.open("rb") as data:
        return tuple(Triple(q.subject, q.predicate, q.object) for q in parse(data, RdfFormat.TURTLE))


def catalog_graph(dist: Path) -> tuple[Triple, ...]:
    """The triples of ``dist/catalog.ttl`` (the catalog, the dataset, its distributions and VoID
    partitions), read once per change of the file; none when the graph was not built."""
    path = dist / "catalog.ttl"
    if not path.is_file():
        return ()
    return _read_triples(path, path.stat().st_mtime)

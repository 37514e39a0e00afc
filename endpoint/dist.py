"""The build's output folder as the server sees it: its files, their sizes and media types.

>>> list_dist(Path("/no/such/folder"))
[]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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

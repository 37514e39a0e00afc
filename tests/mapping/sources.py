"""Reading the vendored sources in parser tests, the way the build reads them."""

from __future__ import annotations

from pathlib import Path

from mapping.ingest import read_lines
from mapping.manifest import load_manifest
from mapping.parsers import PARSERS
from mapping.records import PartnershipRecord

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"


def source_lines(source_id: str) -> list[str]:
    """The vendored file's lines, decoded as the build decodes them."""
    source = next(s for s in load_manifest(SOURCES / "manifest.toml", frozenset(PARSERS)) if s.id == source_id)
    text = read_lines(source, SOURCES)
    assert text.problems == []
    return text.lines


def at(result, line: int) -> PartnershipRecord:
    """The record whose provenance starts on ``line``."""
    return next(r for r in result.records if r.provenance.first_line == line)

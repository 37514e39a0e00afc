"""Read every source of the manifest through its parser.

Decoding problems are reported per line rather than stopping the build: a line
that is not valid UTF-8 becomes a problem in the report and the parser sees it
as blank, so every other record of the file is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mapping.errors import InputError
from mapping.manifest import Source, load_manifest
from mapping.parsers import PARSERS
from mapping.records import ParseResult, Problem


@dataclass(slots=True)
class SourceText:
    """A source's lines as decoded, with the problems found while decoding."""

    lines: list[str]
    problems: list[Problem]


@dataclass(slots=True)
class Ingestion:
    """Sources and what their parsers made of them, in manifest order."""

    sources: list[Source]
    results: list[ParseResult]
    texts: dict[str, list[str]]


def read_lines(source: Source, folder: Path) -> SourceText:
    """Decode a source file line by line; bad bytes are reported, not fatal."""
    path = source.path(folder)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: source {source.id!r} not found") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read source {source.id!r}: {error.strerror}") from None
    problems: list[Problem] = []
    if not data.strip():
        problems.append(Problem(source.id, (1,), "", f"{path.name}: file is empty"))
        return SourceText([], problems)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines: list[str] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.removesuffix(b"\r")
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            lines.append("")
            problems.append(
                Problem(
                    source.id,
                    (number,),
                    raw.decode("utf-8", errors="replace"),
                    f"{path.name}:{number}: not valid UTF-8 (byte {error.start + 1} of the line)",
                )
            )
    if lines and lines[-1] == "":
        lines.pop()
    if source.sha256 and source.digest(folder) != source.sha256:
        problems.append(
            Problem(source.id, (), "", f"{path.name}: content differs from the sha256 in the manifest")
        )
    return SourceText(lines, problems)


def ingest(manifest: Path) -> Ingestion:
    """Parse every source listed in ``manifest`` (a ``manifest.toml``)."""
    sources = load_manifest(manifest, frozenset(PARSERS))
    folder = manifest.parent
    results: list[ParseResult] = []
    texts: dict[str, list[str]] = {}
    for source in sources:
        text = read_lines(source, folder)
        result = PARSERS[source.format](text.lines, source.id)
        result.problems[:0] = text.problems
        results.append(result)
        texts[source.id] = text.lines
    return Ingestion(sources, results, texts)


def uncovered_lines(lines: list[str], result: ParseResult) -> list[int]:
    """Non-blank lines that are in no record, no problem and no structural role."""
    covered = result.covered_lines()
    return [n for n, line in enumerate(lines, start=1) if line.strip() and n not in covered]

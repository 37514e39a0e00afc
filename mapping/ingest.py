"""Read every source of the manifest through its parser.

A source is read whole or not at all: a file that is empty, is not UTF-8 text,
differs from the digest the manifest records, or yields fewer records than the
manifest records stops the build with one line naming the file
(:class:`~mapping.errors.InputError`). ``kg vendor FILE`` accepts a new
edition by recording its digest and record count (:mod:`mapping.vendor`).
Line ends of every kind (LF, CRLF, CR) read alike.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from mapping.errors import InputError
from mapping.manifest import Source, load_manifest
from mapping.parsers import PARSERS
from mapping.records import ParseResult, Problem

LINE_END = re.compile(r"\r\n|\r|\n")
BOM = b"\xef\xbb\xbf"
GUESSES = (("Shift_JIS", "cp932"), ("EUC-JP", "euc_jp"))
"""Encodings a Japanese list that is not UTF-8 is most likely in, for the error message."""


@dataclass(slots=True)
class SourceText:
    """A source's lines as decoded, and the digest of its bytes."""

    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    """Problems found while decoding: none, since a file that does not decode stops the build."""
    sha256: str = ""


@dataclass(slots=True)
class Ingestion:
    """Sources and what their parsers made of them, in manifest order."""

    sources: list[Source]
    results: list[ParseResult]
    texts: dict[str, list[str]]


def read_lines(source: Source, folder: Path) -> SourceText:
    """Decode a source file into lines; a file that cannot be read whole is an :class:`InputError`."""
    path = source.path(folder)
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"{path}: source {source.id!r} is outside the sources folder {folder}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: source {source.id!r} not found") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read source {source.id!r}: {error.strerror}") from None
    return SourceText(decode_lines(data, path), sha256=hashlib.sha256(data).hexdigest())


def decode_lines(data: bytes, path: Path) -> list[str]:
    r"""The lines of a UTF-8 text (a BOM is dropped; LF, CRLF and CR all end a line).

    >>> decode_lines(b"a\r\nb\rc\nd", Path("s.txt"))
    ['a', 'b', 'c', 'd']
    >>> decode_lines("一覧".encode("shift_jis"), Path("s.txt"))
    Traceback (most recent call last):
    ...
    mapping.errors.InputError: s.txt:1: not UTF-8 text (byte 1 of the line); it reads as Shift_JIS: convert it to UTF-8 (iconv -f SHIFT_JIS -t UTF-8)
    """
    data = data.removeprefix(BOM)
    if not data.strip():
        raise InputError(f"{path}: file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise InputError(f"{path}: not UTF-8 text (it looks like UTF-16): convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + data.count(b"\r", 0, error.start) - data.count(
            b"\r\n", 0, error.start) + 1
        column = error.start - max(data.rfind(b"\n", 0, error.start), data.rfind(b"\r", 0, error.start))
        raise InputError(f"{path}:{line}: not UTF-8 text (byte {column} of the line){_guess(data)}") from None
    lines = LINE_END.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def _guess(data: bytes) -> str:
    for name, codec in GUESSES:
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return f"; it reads as {name}: convert it to UTF-8 (iconv -f {name.upper()} -t UTF-8)"
    return ""


def ingest(manifest: Path) -> Ingestion:
    """Parse every source listed in ``manifest`` (a ``manifest.toml``), checking each is the vendored edition."""
    sources = load_manifest(manifest, frozenset(PARSERS))
    folder = manifest.parent
    results: list[ParseResult] = []
    texts: dict[str, list[str]] = {}
    for source in sources:
        text = read_lines(source, folder)
        path = source.path(folder)
        missing = [key for key, value in (("sha256", source.sha256), ("records", source.records)) if value in ("", None)]
        if missing:
            raise InputError(f"{path}: the manifest records no {' and '.join(missing)} for source {source.id!r}; "
                             f"`kg vendor {path}` records them")
        if text.sha256 != source.sha256:
            raise InputError(f"{path}: content differs from the sha256 in the manifest; "
                             f"if this is a new edition, `kg vendor {path}` accepts it")
        result = PARSERS[source.format](text.lines, source.id)
        if len(result.records) < source.records:
            raise InputError(f"{path}: {len(result.records)} records where the manifest records {source.records}: "
                             f"{source.records - len(result.records)} lost (if the parser now reads it rightly, "
                             f"`kg vendor {path}` records the new count)")
        result.problems[:0] = text.problems
        results.append(result)
        texts[source.id] = text.lines
    return Ingestion(sources, results, texts)


def uncovered_lines(lines: list[str], result: ParseResult) -> list[int]:
    """Non-blank lines that are in no record, no problem and no structural role."""
    covered = result.covered_lines()
    return [n for n, line in enumerate(lines, start=1) if line.strip() and n not in covered]

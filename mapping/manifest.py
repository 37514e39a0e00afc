"""The source manifest: which files the graph is built from, and what they are."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mapping.errors import InputError

REQUIRED = ("id", "file", "format", "title", "language")
OPTIONAL = ("publisher", "as_of", "licence", "note", "sha256", "tie")


@dataclass(frozen=True, slots=True)
class Source:
    """One vendored source document as the manifest describes it."""

    id: str
    file: str
    format: str
    title: str
    language: str
    publisher: str = ""
    as_of: str = ""
    licence: str = ""
    note: str = ""
    sha256: str = ""
    tie: str = ""
    """The tie every row of the document states, for documents whose rows carry no wording."""

    def path(self, folder: Path) -> Path:
        return folder / self.file

    def digest(self, folder: Path) -> str:
        return hashlib.sha256(self.path(folder).read_bytes()).hexdigest()


def load_manifest(path: Path, known_formats: frozenset[str]) -> list[Source]:
    """Read and check ``manifest.toml``; errors name the file and the entry.

    >>> load_manifest(Path("missing.toml"), frozenset())
    Traceback (most recent call last):
    ...
    mapping.errors.InputError: missing.toml: manifest not found
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: manifest not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a valid TOML manifest: {error}") from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{path}: no [[source]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source #{number}"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: not a table of keys")
        nested = sorted(key for key, value in entry.items() if isinstance(value, (list, dict)))
        if nested:
            raise InputError(f"{where}: {', '.join(nested)} must be a string, not a list or table")
        missing = [key for key in REQUIRED if not entry.get(key)]
        if missing:
            raise InputError(f"{where}: missing {', '.join(missing)}")
        unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
        if unknown:
            raise InputError(f"{where} ({entry['id']}): unknown key(s) {', '.join(sorted(unknown))}")
        if entry["format"] not in known_formats:
            raise InputError(
                f"{where} ({entry['id']}): unknown format {entry['format']!r}; "
                f"known: {', '.join(sorted(known_formats))}"
            )
        if entry["id"] in seen:
            raise InputError(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        sources.append(Source(**{key: str(value) for key, value in entry.items()}))
    return sources

"""The source manifest: which files the graph is built from, and what they are."""

from __future__ import annotations

import datetime
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import langcodes

from mapping.errors import InputError

REQUIRED = ("id", "file", "format", "title", "language")
OPTIONAL = ("publisher", "as_of", "licence", "note", "sha256", "records", "tie", "url", "based_on", "based_on_title")
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SHA256 = re.compile(r"[0-9a-f]{64}")
AS_OF = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
UNKNOWN = "unknown"
"""The ``url`` of a document whose address neither it nor its publisher states."""


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
    """Digest of the edition the graph is built from; a file that differs stops the build."""
    records: int | None = None
    """Records the parser made of that edition; a build that makes fewer stops."""
    tie: str = ""
    """The tie every row of the document states, for documents whose rows carry no wording."""
    url: str = UNKNOWN
    """The original document's address, as the document (or its publisher's page) states it; ``unknown`` if neither does."""
    based_on: str = ""
    """The address of the work the document says it was compiled from, when that is known."""
    based_on_title: str = ""
    """The work the document says it was compiled from, named as the document names it."""

    @property
    def address(self) -> str | None:
        """The original document's address, None when it is not known."""
        return None if self.url == UNKNOWN else self.url

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
    files: dict[str, str] = {}
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
        file = str(entry["file"])
        if file in files:
            raise InputError(f"{where} ({entry['id']}): file {file!r} is already source {files[file]!r}")
        files[file] = entry["id"]
        values = {key: str(value) for key, value in entry.items() if key != "records"}
        _check_values(values, entry.get("records"), f"{where} ({entry['id']})")
        sources.append(Source(**values, records=entry.get("records")))
    return sources


def _check_values(values: dict[str, str], records: object, where: str) -> None:
    """Values the later stages would choke on, each named with its key.

    >>> _check_values({"id": "a", "file": "../a.txt", "language": "ja"}, None, "m.toml: source #1 (a)")
    Traceback (most recent call last):
    ...
    mapping.errors.InputError: m.toml: source #1 (a): file '../a.txt' must be a file name in the manifest's folder
    """
    if not ID.fullmatch(values["id"]):
        raise InputError(f"{where}: id {values['id']!r} must be letters, digits, '.', '_' or '-' (it is part of IRIs)")
    file = values["file"]
    if Path(file).name != file or file in (".", "..") or "\\" in file:
        raise InputError(f"{where}: file {file!r} must be a file name in the manifest's folder")
    if not langcodes.tag_is_valid(values["language"]):
        raise InputError(f"{where}: language {values['language']!r} is not a valid BCP 47 tag (ja, zh-Hant, en, …)")
    as_of = values.get("as_of", "")
    if as_of and not _valid_as_of(as_of):
        raise InputError(f"{where}: as_of {as_of!r} must be a date YYYY-MM-DD, YYYY-MM or YYYY")
    for key in ("url", "based_on"):
        value = values.get(key, "")
        if value and not (ADDRESS.fullmatch(value) or (key == "url" and value == UNKNOWN)):
            also = f" or {UNKNOWN!r}" if key == "url" else ""
            raise InputError(f"{where}: {key} {value!r} must be an http(s) address{also}")
    sha256 = values.get("sha256", "")
    if sha256 and not SHA256.fullmatch(sha256):
        raise InputError(f"{where}: sha256 {sha256!r} must be 64 lowercase hex digits")
    if records is not None and (type(records) is not int or records < 0):
        raise InputError(f"{where}: records {records!r} must be a whole number (the records of the vendored file)")


def _valid_as_of(text: str) -> bool:
    match = AS_OF.fullmatch(text)
    if not match:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True

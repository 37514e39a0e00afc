"""Accepting an edition of a source: ``kg vendor FILE``.

The manifest pins each source to one edition: its ``sha256`` and the number of
``records`` its parser makes of it. A build stops on a file that differs from
either (:func:`mapping.ingest.ingest`). ``vendor`` is the one way to move the
pin: it reads the file as the build would (it must be non-empty UTF-8 text
that yields records in its format), copies it into the sources folder when it
comes from elsewhere, and writes the new digest and record count into the
manifest entry whose ``file`` has the same name, leaving the rest of the
manifest as it was written.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import tomlkit

from mapping.errors import InputError
from mapping.ingest import decode_lines
from mapping.manifest import Source, load_manifest
from mapping.parsers import PARSERS


@dataclass(frozen=True, slots=True)
class Vendored:
    """What ``vendor`` recorded for one source, next to what the manifest had."""

    source: Source
    target: Path
    sha256: str
    records: int
    problems: int
    copied_from: Path | None

    @property
    def changed(self) -> bool:
        return (self.sha256, self.records) != (self.source.sha256, self.source.records) or self.copied_from is not None

    def summary(self) -> str:
        """One line for the console.

        >>> s = Source("a", "a.txt", "japan-china-tsv", "t", "ja", sha256="0" * 64, records=10)
        >>> Vendored(s, Path("data/a.txt"), "1" * 64, 7, 0, None).summary()
        'a: data/a.txt: sha256 00000000… → 11111111…, records 10 → 7 (3 fewer), 0 problems (see report.md after the build)'
        """
        if not self.changed:
            return f"{self.source.id}: {self.target}: already the recorded edition ({self.records} records)"
        old = self.source.records
        delta = "" if old is None or old == self.records else (
            f" ({old - self.records} fewer)" if old > self.records else f" ({self.records - old} more)")
        parts = [f"sha256 {self.source.sha256[:8] + '…' if self.source.sha256 else 'none'} → {self.sha256[:8]}…"
                 if self.sha256 != self.source.sha256 else "sha256 unchanged",
                 f"records {'none' if old is None else old} → {self.records}{delta}" if old != self.records
                 else f"records unchanged ({old})",
                 f"{self.problems} problem{'s' if self.problems != 1 else ''} (see report.md after the build)"]
        copied = f" (copied from {self.copied_from})" if self.copied_from else ""
        return f"{self.source.id}: {self.target}{copied}: " + ", ".join(parts)


def vendor(file: Path, manifest: Path) -> Vendored:
    """Record ``file`` as the edition of the manifest's source of the same file name."""
    folder = manifest.parent
    sources = load_manifest(manifest, frozenset(PARSERS))
    matches = [index for index, source in enumerate(sources) if source.file == file.name]
    if not matches:
        raise InputError(f"{manifest}: no [[source]] entry has file = {file.name!r}; add one (id, file, format, "
                         f"title, language), then run `kg vendor {file}` again")
    index = matches[0]
    source = sources[index]
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{file}: not found") from None
    except OSError as error:
        raise InputError(f"{file}: cannot read: {error.strerror}") from None
    result = PARSERS[source.format](decode_lines(data, file), source.id)
    if not result.records:
        raise InputError(f"{file}: no records in format {source.format!r} (source {source.id!r}): "
                         f"is it the right file, or the right format?")
    target = source.path(folder)
    copied_from = None if target.exists() and file.resolve() == target.resolve() else file
    vendored = Vendored(source, target, hashlib.sha256(data).hexdigest(), len(result.records), len(result.problems),
                        copied_from)
    if not vendored.changed:
        return vendored
    if copied_from is not None:
        _replace(target, data)
    document = tomlkit.parse(manifest.read_text(encoding="utf-8"))
    entry = document["source"][index]
    entry["sha256"] = vendored.sha256
    entry["records"] = vendored.records
    _replace(manifest, tomlkit.dumps(document).encode("utf-8"))
    return vendored


def _replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        if path.exists():
            shutil.copymode(path, name)
        else:
            os.chmod(name, 0o644)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise

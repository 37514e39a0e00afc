"""The built dump as an on-disk pyoxigraph store, loaded once and then opened read-only by many processes.

The graph does not change between builds, so the server bulk-loads
``dist/kg.nt`` into a store folder the first time it serves a build, and
afterwards opens that folder read-only from every query worker
(:mod:`endpoint.sparql.workers`). The folder records the SHA-256 of the dump it
holds; a new build (another digest) is loaded afresh. The digest is also the
build's validator: ``ETag`` of every answer.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "kg.nt").write_text('<http://example.org/a> <http://example.org/p> "1" .\\n')
52
>>> loaded = prepare(folder / "kg.nt", folder / ".store")
>>> loaded.digest == file_digest(folder / "kg.nt"), len(open_read_only(loaded.path).store)
(True, 1)
>>> prepare(folder / "kg.nt", folder / ".store").fresh
False
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from endpoint.store.backends import EmbeddedStore

DIGEST_FILE = "kg.nt.sha256"


def file_digest(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Loaded:
    path: Path
    digest: str
    fresh: bool
    """Whether this call loaded it (else the folder already held this dump)."""


def prepare(dump: Path, folder: Path) -> Loaded:
    """``folder`` holding ``dump`` as a store: loaded now unless it already holds the same bytes."""
    digest = file_digest(dump)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two servers starting at once load it once
        marker = folder / DIGEST_FILE
        if marker.is_file() and marker.read_text().strip() == digest:
            return Loaded(folder, digest, False)
        staging = folder.with_name(folder.name + ".loading")
        shutil.rmtree(staging, ignore_errors=True)
        store = Store(str(staging))
        # lenient: the dump was validated when built; loading is the start-up time.
        store.bulk_load(path=dump, format=RdfFormat.N_TRIPLES, lenient=True)
        store.flush()
        del store
        (staging / DIGEST_FILE).write_text(digest + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        staging.rename(folder)
        return Loaded(folder, digest, True)


def open_read_only(path: Path) -> EmbeddedStore:
    """The store at ``path``, read-only (any number of processes may hold it open)."""
    return EmbeddedStore(Store.read_only(str(path)), path)

"""``kg link <target>``: refresh a link table from its SPARQL endpoint (the only commands that go online).

``estat`` writes ``estat.csv`` (the latest dated code of each plain standard area code);
``wikidata`` writes ``wikidata.csv`` (the item of each 団体コード) and
``wikidata-p190.csv`` (the P190 statements of those items). Each rewrites its entries
of the manifest with the endpoint asked and the day of the fetch.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kg.links.estat import fetch_latest_codes
from kg.links.tables import MANIFEST, Manifest, empty_folder
from kg.links.wikidata import fetch_p190, fetch_wikidata_links

TARGETS = ("estat", "wikidata")


def _manifest(folder: Path) -> Manifest:
    return Manifest.load(folder) if (folder / MANIFEST).exists() else empty_folder(folder)


def refresh(target: str, endpoint: str, folder: Path, *, timeout: float = 120.0,
            today: dt.date | None = None) -> list[str]:
    """Fetch ``target``'s tables from ``endpoint`` into ``folder``; one line per table written."""
    manifest = _manifest(folder)
    retrieved = (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    if target == "estat":
        rows, invalid = fetch_latest_codes(endpoint, timeout=timeout)
        path = manifest.write("estat.csv", rows, endpoint=endpoint, retrieved=retrieved)
        return [f"{len(rows)} dated codes ({invalid} answers that are not codes left out) → {path}"]
    pairs, invalid = fetch_wikidata_links(endpoint, timeout=timeout)
    path = manifest.write("wikidata.csv", pairs, endpoint=endpoint, retrieved=retrieved)
    ties = fetch_p190(endpoint, {item for _, item in pairs}, timeout=timeout)
    manifest = Manifest.load(folder)
    p190 = manifest.write("wikidata-p190.csv", ties, endpoint=endpoint, retrieved=retrieved)
    statements = len({(row[0], row[1]) for row in ties})
    return [f"{len(pairs)} links ({invalid} values that are not valid codes left out) → {path}",
            f"{statements} P190 statements → {p190}"]

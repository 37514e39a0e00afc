"""Links to other datasets, fetched only when asked: ``kg link wikidata``.

Wikidata records the 全国地方公共団体コード of Japanese local governments as
P429. ``kg link wikidata`` asks a SPARQL endpoint (Wikidata's unless told
otherwise) for those items and writes ``data/links/wikidata.csv``; the build
then adds ``schema:sameAs`` from each government to its item. Nothing is fetched
while building or serving, so both stay offline and deterministic.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.resolve.japan import valid_code
from mapping.errors import InputError

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
CODES_QUERY = """
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?item ?code WHERE { ?item wdt:P429 ?code . }
"""
COLUMNS = ("code", "item")


def fetch_wikidata_links(endpoint: str, *, timeout: float = 60.0) -> tuple[list[tuple[str, str]], int]:
    """``(code, item)`` pairs with a valid code, and how many values were not valid codes.

    A code claimed by several items is left out: a link must be unambiguous.
    """
    client = SPARQLWrapper(endpoint, agent="jp-lg-partnerships (kg link wikidata)")
    client.setQuery(CODES_QUERY)
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    try:
        bindings = client.queryAndConvert()["results"]["bindings"]
    except (SPARQLWrapperException, OSError, ValueError, KeyError) as error:
        raise InputError(f"{endpoint}: the SPARQL query for P429 failed: {error}") from None
    items: dict[str, set[str]] = {}
    invalid = 0
    for row in bindings:
        code = row["code"]["value"].strip()
        if not valid_code(code):
            invalid += 1
            continue
        items.setdefault(code, set()).add(row["item"]["value"])
    pairs = sorted((code, next(iter(found))) for code, found in items.items() if len(found) == 1)
    return pairs, invalid


def write_links(pairs: list[tuple[str, str]], path: Path) -> Path:
    """The links as a sorted CSV, so a refresh shows as a readable diff."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(pairs))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def read_links(path: Path) -> dict[str, str]:
    """Code → item; an absent file means no links yet."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise InputError(f"{path}:1: expected the columns {', '.join(COLUMNS)}")
        links = {}
        for row in reader:
            if not valid_code(row["code"]) or not row["item"].startswith(("http://", "https://")):
                raise InputError(f"{path}:{reader.line_num}: not a code and an item IRI: {row}")
            links[row["code"]] = row["item"]
        return links

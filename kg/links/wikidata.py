"""Wikidata: the item of each Japanese government, and the P190 ties of those items.

Wikidata records the 全国地方公共団体コード as P429. ``kg link wikidata`` asks a
SPARQL endpoint (Wikidata's unless told otherwise) for those items, writing
``data/links/wikidata.csv`` (the build links each government to its item with
``schema:sameAs``), and for the P190 ("twinned administrative body") statements of
those items with each partner's P429, country and labels, writing
``data/links/wikidata-p190.csv`` (the build compares them with the graph's ties).
"""

from __future__ import annotations

import re

from kg.links.sparql import select
from kg.resolve.japan import valid_code

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
ISO_3166_2 = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
ENTITY = "http://www.wikidata.org/entity/"
CODES_QUERY = """\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
SELECT ?item ?code WHERE { ?item wdt:P429 ?code . }
ORDER BY ?item ?code"""
LANGUAGES = ("ja", "zh", "zh-hant", "zh-tw", "zh-hans", "ko", "en")
P190_QUERY = """\
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?item ?partner ?code ?iso ?country ?label ?language WHERE {
  ?item wdt:P429 ?own ; wdt:P190 ?partner .
  OPTIONAL { ?partner wdt:P429 ?code }
  OPTIONAL { ?partner wdt:P300 ?iso }
  OPTIONAL { ?partner wdt:P17 ?state . ?state wdt:P297 ?country }
  OPTIONAL { ?partner rdfs:label ?label . BIND(LANG(?label) AS ?language)
             FILTER(LANG(?label) IN (%s)) }
}
ORDER BY ?item ?partner ?code ?iso ?country ?label""" % ", ".join(f'"{language}"' for language in LANGUAGES)


def fetch_wikidata_links(endpoint: str, *, timeout: float = 60.0, page: int = 5000) -> tuple[list[tuple[str, str]], int]:
    """``(code, item)`` pairs with a valid code, and how many values were not valid codes.

    A code claimed by several items is left out: a link must be unambiguous.
    """
    items: dict[str, set[str]] = {}
    invalid = 0
    for row in select(endpoint, CODES_QUERY, what="P429", timeout=timeout, page=page):
        code = row.get("code", "").strip()
        if not valid_code(code) or not row.get("item", "").startswith(ENTITY):
            invalid += 1
            continue
        items.setdefault(code, set()).add(row["item"])
    pairs = sorted((code, next(iter(found))) for code, found in items.items() if len(found) == 1)
    return pairs, invalid


def fetch_p190(endpoint: str, items: set[str], *, timeout: float = 60.0, page: int = 5000) -> list[tuple[str, ...]]:
    """Rows of ``wikidata-p190.csv`` for the P190 statements of ``items``.

    One row per label of a partner (a partner without a label in the languages asked
    for has one row with an empty label); a partner code (P429) or ISO 3166-2 code
    (P300) that is not valid is dropped.
    """
    rows = set()
    for row in select(endpoint, P190_QUERY, what="P190", timeout=timeout, page=page):
        if row.get("item") not in items or not row.get("partner", "").startswith(ENTITY):
            continue
        code = row.get("code", "")
        country = row.get("country", "")
        iso = row.get("iso", "")
        rows.add((row["item"], row["partner"], code if valid_code(code) else "", iso if ISO_3166_2.match(iso) else "",
                  country if len(country) == 2 and country.isalpha() and country.isupper() else "",
                  row.get("label", ""), row.get("language", "") if row.get("label") else ""))
    return sorted(rows)

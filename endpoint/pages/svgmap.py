"""Draws a :class:`~endpoint.pages.views.maps.MapData` as inline SVG: no tiles, no script, no remote file.

The projection is equirectangular, scaled by the cosine of the middle
latitude, which is faithful enough at the scale of a prefecture or of Japan.
The frame fits the area's dots, or all of Japan's for a map of the whole
country (outliers left out, so Ogasawara does not shrink Tokyo to a speck),
and every highlighted spot. Background dots are one
path of zero-length segments with round caps: a few bytes a dot.

>>> from endpoint.pages.views.maps import MapData, Spot
>>> data = MapData("c", "c", area=[(139.0, 36.0), (139.5, 36.5)], spots=[Spot("x", "X", 139.2, 36.2, "subject")])
>>> svg = draw(data)
>>> svg.width, round(svg.height) > 0, svg.spots[0].name, svg.area_path.count("h0")
(640, True, 'X', 2)
>>> draw(MapData("c", "c")) is None
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from endpoint.pages.outlines import prefecture_outlines
from endpoint.pages.views.maps import MapData, Point

WIDTH = 640
MAX_RATIO = 1.15
"""Tallest frame, as height over width."""
MIN_RATIO = 0.5
MIN_SPAN = 0.25
"""Smallest frame, in degrees, around a single point."""
PAD = 0.08
KM_PER_DEGREE = 111.2
NICE_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@dataclass(frozen=True, slots=True)
class PlacedSpot:
    x: float
    y: float
    iri: str
    name: str
    role: str
    en: str | None = None


@dataclass(frozen=True, slots=True)
class Svg:
    """What the ``_map.html`` partial writes out."""

    width: int
    height: float
    context_path: str
    area_path: str
    lines: list[tuple[float, float, float, float]]
    spots: list[PlacedSpot]
    scale_length: float
    scale_km: int
    labelled: bool
    """Whether spots carry their name beside them (few spots) or only as a tooltip."""
    outline_path: str = ""
    """Prefecture outlines in the frame (:mod:`endpoint.pages.outlines`), one closed ring each."""

    @property
    def crowded(self) -> bool:
        """Too many spots to link each: the partners become one path of dots (the page lists them)."""
        return len(self.spots) > LINKED_SPOTS

    def lines_path(self) -> str:
        """Every tie as one path: ``M x1 y1 L x2 y2`` for each."""
        return "".join(f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}" for x1, y1, x2, y2 in self.lines)

    def dots_path(self, role: str) -> str:
        """The spots of ``role`` as one path of round dots (drawn by the stroke's round caps)."""
        return "".join(f"M{spot.x:.1f} {spot.y:.1f}h0" for spot in self.spots if spot.role == role)


def _quantile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))]


def _core(points: list[Point], cut: float = 0.03) -> list[Point]:
    """The corners of the points without outliers: those within the ``cut`` and ``1 - cut`` quantiles."""
    if len(points) < 20:
        return list(points)
    lngs, lats = sorted(p[0] for p in points), sorted(p[1] for p in points)
    lo_x, hi_x = _quantile(lngs, cut), _quantile(lngs, 1 - cut)
    lo_y, hi_y = _quantile(lats, cut), _quantile(lats, 1 - cut)
    return [(lo_x, lo_y), (hi_x, hi_y)]


def _frame(points: list[Point]) -> tuple[float, float, float, float]:
    """West, east, south, north of the frame around ``points``."""
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    pad_x = max((east - west) * PAD, MIN_SPAN / 2 - (east - west) / 2, 0.02)
    pad_y = max((north - south) * PAD, MIN_SPAN / 2 - (north - south) / 2, 0.02)
    west, east, south, north = west - pad_x, east + pad_x, south - pad_y, north + pad_y
    cosine = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * cosine, north - south
    if height > width * MAX_RATIO:
        grow = (height / MAX_RATIO / cosine - (east - west)) / 2
        west, east = west - grow, east + grow
    elif height < width * MIN_RATIO:
        grow = (width * MIN_RATIO - height) / 2
        south, north = south - grow, north + grow
    return west, east, south, north


def _scale(units_per_km: float) -> tuple[float, int]:
    fitting = [km for km in NICE_KM if km * units_per_km <= WIDTH * 0.22] or [NICE_KM[0]]
    return fitting[-1] * units_per_km, fitting[-1]


LINKED_SPOTS = 60
"""Most spots a map draws one by one, each a link with its name."""


def draw(data: MapData | None) -> Svg | None:
    """The map in SVG user units, ``WIDTH`` wide; None when there is nothing to place."""
    if data is None:
        return None
    framing = _core([*data.context, *data.area], 0.005) if data.whole else _core(data.area)
    framing += [(spot.lng, spot.lat) for spot in data.spots]
    if not framing:
        return None
    west, east, south, north = _frame(framing)
    cosine = math.cos(math.radians((south + north) / 2))
    k = WIDTH / ((east - west) * cosine)
    height = (north - south) * k

    def project(lng: float, lat: float) -> tuple[float, float]:
        return (lng - west) * cosine * k, (north - lat) * k

    def inside(point: Point) -> bool:
        return west <= point[0] <= east and south <= point[1] <= north

    def path(points: list[Point]) -> str:
        seen: set[tuple[float, float]] = set()
        parts = []
        for point in points:
            if not inside(point):
                continue
            x, y = project(*point)
            key = (round(x, 1), round(y, 1))
            if key not in seen:
                seen.add(key)
                parts.append(f"M{key[0]:g} {key[1]:g}h0")
        return "".join(parts)

    def outline(ring) -> str:
        if not any(inside(point) for point in ring):
            return ""
        parts, last = [], None
        for point in ring:
            x, y = project(*point)
            if last is None or abs(x - last[0]) + abs(y - last[1]) >= 3:
                parts.append(f"{'M' if last is None else 'L'}{x:.0f} {y:.0f}")
                last = (x, y)
        return "".join(parts) + "Z" if len(parts) > 2 else ""

    outlines = "".join(outline(ring) for ring in prefecture_outlines())
    placed = [PlacedSpot(*project(s.lng, s.lat), s.iri, s.name, s.role, s.en) for s in data.spots]
    lines = [(placed[a].x, placed[a].y, placed[b].x, placed[b].y) for a, b in data.lines]
    area = set(data.area)
    length, km = _scale(k / KM_PER_DEGREE)
    return Svg(
        WIDTH, height, path([p for p in data.context if p not in area]), path(data.area), lines,
        _ordered(placed), length, km, labelled=len(placed) <= 12, outline_path=outlines,
    )


def _ordered(spots: list[PlacedSpot]) -> list[PlacedSpot]:
    """Partners first and the subject last, so the subject is drawn on top."""
    return sorted(spots, key=lambda spot: spot.role == "subject")


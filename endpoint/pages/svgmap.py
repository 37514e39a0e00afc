"""Draws a :class:`~endpoint.pages.views.maps.MapData` as inline SVG: no tiles, no script, no remote file.

The projection is equirectangular, scaled by the cosine of the middle
latitude, which is faithful enough at the scale of a prefecture or of Japan.
The frame fits the area's dots, or all of Japan's for a map of the whole
country (outliers left out, so Ogasawara does not shrink Tokyo to a speck),
and every highlighted spot. A prefecture's far-off parts (Tokyo's Izu and
Ogasawara islands, Kagoshima's Amami, Okinawa's Sakishima and Daitō), found by
their distance from its main body, are framed apart in insets under the main
frame, each with its own scale and a label of where it lies. Background dots are one
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
from dataclasses import dataclass, field

from endpoint.pages.outlines import island_outlines, prefecture_outlines
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
    """Prefecture and island outlines in the frame (:mod:`endpoint.pages.outlines`), one closed ring each."""
    main_height: float = 0.0
    """Of the main frame; the insets' row lies under it."""
    insets: list[Inset] = field(default_factory=list)
    main: _View | None = None

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


def _scale(units_per_km: float, longest: float = WIDTH * 0.22) -> tuple[float, int]:
    fitting = [km for km in NICE_KM if km * units_per_km <= longest] or [NICE_KM[0]]
    return fitting[-1] * units_per_km, fitting[-1]


LINKED_SPOTS = 60
"""Most spots a map draws one by one, each a link with its name."""

FAR_KM = 80.0
"""A part of the area (its governments' points) farther than this from the rest of it is far-off."""
INSET_KM = 250.0
"""Far-off parts this close to one another share an inset."""
INSET_GAP = 10.0
"""Room, in SVG units, around and between the insets under the main frame."""
INSET_HEIGHT = (140.0, 230.0)
"""Lowest and highest row of insets."""
INSET_BANDS = (22.0, 20.0)
"""Bands at the top and bottom of an inset, for its label and its scale, kept clear of dots."""
COMPASS = (("東", "east"), ("北東", "northeast"), ("北", "north"), ("北西", "northwest"),
           ("西", "west"), ("南西", "southwest"), ("南", "south"), ("南東", "southeast"))


def _km(a: Point, b: Point) -> float:
    cosine = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * cosine, a[1] - b[1]) * KM_PER_DEGREE


def _groups(points: list[Point], link_km: float) -> list[list[Point]]:
    """``points`` in groups joined by steps of at most ``link_km`` (single linkage), the most populous
    first, then from west to east."""
    parent = list(range(len(points)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(points):
        for j in range(i + 1, len(points)):
            if _km(a, points[j]) <= link_km:
                parent[root(i)] = root(j)
    found: dict[int, list[Point]] = {}
    for i, point in enumerate(points):
        found.setdefault(root(i), []).append(point)
    return sorted(found.values(), key=lambda group: (-len(group), min(group)))


def _far_parts(area: list[Point]) -> tuple[list[Point], list[list[Point]]]:
    """The main body of an area (its most populous part, its points joined by steps of at most
    ``FAR_KM``) and its far-off parts, those close to one another (``INSET_KM``) together, from
    west to east."""
    parts = _groups(sorted(set(area)), FAR_KM)
    if len(parts) < 2:
        return list(area), []
    far = _groups([point for part in parts[1:] for point in part], INSET_KM)
    return parts[0], sorted(far, key=min)


@dataclass(frozen=True, slots=True)
class _View:
    """A geographic frame drawn into a box of the SVG."""

    west: float
    east: float
    south: float
    north: float
    width: float
    """Of the box, in SVG units; its height follows from the frame."""
    x: float = 0.0
    y: float = 0.0

    @property
    def cosine(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def k(self) -> float:
        return self.width / ((self.east - self.west) * self.cosine)

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.k

    def local(self, lng: float, lat: float) -> tuple[float, float]:
        """Where a point falls inside the box, from its top left corner."""
        return (lng - self.west) * self.cosine * self.k, (self.north - lat) * self.k

    def project(self, lng: float, lat: float) -> tuple[float, float]:
        """Where a point falls in the whole SVG."""
        x, y = self.local(lng, lat)
        return self.x + x, self.y + y

    def inside(self, point: Point) -> bool:
        return self.west <= point[0] <= self.east and self.south <= point[1] <= self.north

    def dots(self, points: list[Point]) -> str:
        seen: set[tuple[float, float]] = set()
        parts = []
        for point in points:
            if not self.inside(point):
                continue
            x, y = self.local(*point)
            key = (round(x, 1), round(y, 1))
            if key not in seen:
                seen.add(key)
                parts.append(f"M{key[0]:g} {key[1]:g}h0")
        return "".join(parts)

    def outlines(self, rings) -> str:
        """The rings with a point in the frame (the box clips the rest), vertices 3 units apart."""
        drawn = []
        for ring in rings:
            if not any(self.inside(point) for point in ring):
                continue
            parts, last = [], None
            for point in ring:
                x, y = self.local(*point)
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= 3:
                    parts.append(f"{'M' if last is None else 'L'}{x:.0f} {y:.0f}")
                    last = (x, y)
            if len(parts) > 2:
                drawn.append("".join(parts) + "Z")
        return "".join(drawn)


@dataclass(frozen=True, slots=True)
class Inset:
    """A far-off part of the area in a box of its own under the main frame, at its own scale."""

    x: float
    y: float
    width: float
    height: float
    outline_path: str
    context_path: str
    area_path: str
    scale_length: float
    scale_km: int
    label: str
    """Where the part lies from the main frame, e.g. ``南へ約 1,000 km``."""
    label_en: str
    view: _View


def _direction(origin: Point, target: Point) -> tuple[str, str]:
    cosine = math.cos(math.radians((origin[1] + target[1]) / 2))
    angle = math.degrees(math.atan2(target[1] - origin[1], (target[0] - origin[0]) * cosine))
    ja, en = COMPASS[round(angle / 45) % 8]
    km = _km(origin, target)
    rounded = round(km, -1 if km < 1000 else -2)
    return f"{ja}へ約 {rounded:,.0f} km", f"about {rounded:,.0f} km {en}"


def _inset_views(frames: list[tuple[float, float, float, float]], top: float) -> list[_View]:
    """Boxes side by side in a row under the main frame, each frame widened or heightened to its box."""
    room = (WIDTH - INSET_GAP * (len(frames) + 1)) / len(frames)

    def aspect(frame) -> float:
        west, east, south, north = frame
        return (north - south) / ((east - west) * math.cos(math.radians((south + north) / 2)))

    height = min(max(INSET_HEIGHT[0], max(room * aspect(f) for f in frames)), INSET_HEIGHT[1])
    views, x = [], INSET_GAP
    inner = height - INSET_BANDS[0] - INSET_BANDS[1]
    for west, east, south, north in frames:
        width = min(room, inner / aspect((west, east, south, north)))
        cosine = math.cos(math.radians((south + north) / 2))
        # Widen the frame to fill the box (the box is as high as the row), leaving its label's band
        # at the top and its scale's at the bottom clear of dots.
        wanted = (inner / width) * (east - west) * cosine
        if wanted > north - south:
            grow = (wanted - (north - south)) / 2
            south, north = south - grow, north + grow
        else:
            grow = ((north - south) / (inner / width) / cosine - (east - west)) / 2
            west, east = west - grow, east + grow
        degrees = (north - south) / inner
        north, south = north + INSET_BANDS[0] * degrees, south - INSET_BANDS[1] * degrees
        views.append(_View(west, east, south, north, width, x, top))
        x += width + INSET_GAP
    return views


def draw(data: MapData | None) -> Svg | None:
    """The map in SVG user units, ``WIDTH`` wide; None when there is nothing to place.

    A prefecture's far-off parts (:func:`_far_parts`) are framed apart, in insets under the main
    frame, unless the main frame holds them anyway; a map of all Japan has none."""
    if data is None:
        return None
    main_area, far = ([*data.area], []) if data.whole or not data.area else _far_parts(data.area)
    spot_points = [(spot.lng, spot.lat) for spot in data.spots]

    def part_of(point: Point) -> int | None:
        """The far-off part a spot belongs to: nearer to it than to the main body, and within ``FAR_KM``."""
        if not far:
            return None
        near_main = min(_km(point, other) for other in main_area)
        best = min(range(len(far)), key=lambda i: min(_km(point, other) for other in far[i]))
        distance = min(_km(point, other) for other in far[best])
        return best if distance < near_main and distance <= FAR_KM else None

    spot_parts = [part_of(point) for point in spot_points]
    framing = _core([*data.context, *data.area], 0.005) if data.whole else _core(main_area)
    framing += [point for point, part in zip(spot_points, spot_parts) if part is None]
    if not framing:
        return None
    west, east, south, north = _frame(framing)
    main = _View(west, east, south, north, WIDTH)
    # A far-off part the main frame holds anyway (a partner further off widened it) stays in it. On a
    # government's map (one with a subject) the area is a background: a far-off part without any
    # highlighted government is left out, as is any place beyond the frame.
    about_area = not any(spot.role == "subject" for spot in data.spots)
    kept = [i for i, part in enumerate(far)
            if not all(main.inside(p) for p in [*part, *(s for s, k in zip(spot_points, spot_parts) if k == i)])
            and (about_area or i in spot_parts)]
    renumber = {old: new for new, old in enumerate(kept)}
    far = [far[i] for i in kept]
    spot_parts = [renumber.get(part) if part is not None else None for part in spot_parts]
    frames = [_frame([*part, *(s for s, k in zip(spot_points, spot_parts) if k == i)]) for i, part in enumerate(far)]
    views = _inset_views(frames, main.height + INSET_GAP) if frames else []
    height = main.height + (max(view.height for view in views) + 2 * INSET_GAP if views else 0)

    # A map of all Japan stays as it was drawn: prefectures' outlines alone.
    rings = prefecture_outlines() if data.whole else (*prefecture_outlines(), *island_outlines())
    area = set(data.area)
    context = [p for p in data.context if p not in area]
    apart = {point for part in far for point in part}
    # Insets are placed by their distance from the middle of the area's main body.
    centre = ((min(p[0] for p in main_area) + max(p[0] for p in main_area)) / 2,
              (min(p[1] for p in main_area) + max(p[1] for p in main_area)) / 2) if far else (0.0, 0.0)
    insets = []
    for view, part in zip(views, far):
        length, km = _scale(view.k / KM_PER_DEGREE, view.width * 0.4)
        label, label_en = _direction(centre, ((min(p[0] for p in part) + max(p[0] for p in part)) / 2,
                                              (min(p[1] for p in part) + max(p[1] for p in part)) / 2))
        insets.append(Inset(view.x, view.y, view.width, view.height, view.outlines(rings), view.dots(context),
                            view.dots(part), length, km, label, label_en, view))
    placed = []
    for s, part in zip(data.spots, spot_parts):
        x, y = (main if part is None else views[part]).project(s.lng, s.lat)
        placed.append(PlacedSpot(x, y, s.iri, s.name, s.role, s.en))
    lines = [(placed[a].x, placed[a].y, placed[b].x, placed[b].y) for a, b in data.lines]
    length, km = _scale(main.k / KM_PER_DEGREE)
    return Svg(
        WIDTH, height, main.dots(context), main.dots([p for p in data.area if p not in apart]),
        lines, _ordered(placed), length, km, labelled=len(placed) <= 12, outline_path=main.outlines(rings),
        main_height=main.height, insets=insets, main=main,
    )


def _ordered(spots: list[PlacedSpot]) -> list[PlacedSpot]:
    """Partners first and the subject last, so the subject is drawn on top."""
    return sorted(spots, key=lambda spot: spot.role == "subject")


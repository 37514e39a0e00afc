"""Where things are: the points of Japanese local governments, gathered for a small map.

The graph gives each Japanese local government a point
(``geo:hasGeometry/geo:asWKT "POINT(lng lat)"``); a prefecture has none and is
placed at the median of its municipalities' points. A map is data here: faint
background dots, the spots to highlight and the lines between them, all in
longitude and latitude. :mod:`endpoint.pages.svgmap` draws it; nothing is fetched
from elsewhere, so maps work offline.

>>> parse_wkt("POINT(138.99 36.67)"), parse_wkt("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(1 2)")
((138.99, 36.67), (1.0, 2.0))
>>> parse_wkt("LINESTRING(1 2, 3 4)") is None
True
"""

from __future__ import annotations

import re
import statistics
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from endpoint.pages.views.common import Ref, chunks, select, values
from endpoint.store.backends import Backend
from kg.iris import Iris

_POINT = re.compile(r"POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)", re.IGNORECASE)
MAX_PAIRS = 6
"""Parties of a partnership joined pairwise by lines; more would only draw a mesh."""

Point = tuple[float, float]
"""Longitude and latitude, in degrees."""


def parse_wkt(wkt: str) -> Point | None:
    """The longitude and latitude of a WKT point, or None for anything else."""
    found = _POINT.search(wkt)
    return (float(found.group(1)), float(found.group(2))) if found else None


@dataclass(frozen=True, slots=True)
class Spot:
    """A resource highlighted on the map."""

    iri: str
    name: str
    lng: float
    lat: float
    role: str
    """``subject`` (the page's resource), ``partner`` or ``party``."""
    en: str | None = None
    """Its English name, where it has one."""


@dataclass(frozen=True, slots=True)
class MapData:
    """A map's content, in degrees; drawn by :func:`endpoint.pages.svgmap.draw`."""

    caption: str
    caption_en: str
    area: list[Point] = field(default_factory=list)
    """Faint dots of the area the page is about (the prefecture)."""
    context: list[Point] = field(default_factory=list)
    """Fainter dots of the rest of Japan, which give the coast its shape."""
    spots: list[Spot] = field(default_factory=list)
    lines: list[tuple[int, int]] = field(default_factory=list)
    """Pairs of indexes into ``spots`` joined by a line."""
    unplaced: int = 0
    """Highlighted resources without a point (foreign authorities, other bodies)."""
    whole: bool = False
    """Frame all of Japan, not only the area and the spots."""


def _points(rows) -> dict[str, list[Point]]:
    """Points by IRI, in the order of the IRIs (a store answers in an order of its own)."""
    found: dict[str, list[Point]] = {}
    for row in rows:
        point = parse_wkt(row["wkt"].value)
        if point is not None:
            found.setdefault(row["x"].value, []).append(point)
    return {iri: sorted(found[iri]) for iri in sorted(found)}


def japan(backend: Backend, vocab: Iris, cancelled: threading.Event | None = None) -> dict[str, Point]:
    """Every point the graph has, by IRI."""
    rows = select(backend, vocab, "SELECT ?x ?wkt WHERE { ?x geo:hasGeometry/geo:asWKT ?wkt }", cancelled)
    return {iri: points[0] for iri, points in _points(rows).items()}


def in_prefecture(
    backend: Backend, vocab: Iris, prefecture: str, cancelled: threading.Event | None = None
) -> dict[str, Point]:
    """The points of a prefecture's municipalities and wards, by IRI."""
    query = f"SELECT ?x ?wkt WHERE {{ ?x lgp:prefecture <{prefecture}> ; geo:hasGeometry/geo:asWKT ?wkt }}"
    return {iri: points[0] for iri, points in _points(select(backend, vocab, query, cancelled)).items()}


def locate(
    backend: Backend, vocab: Iris, iris: Iterable[str], cancelled: threading.Event | None = None
) -> dict[str, Point]:
    """Where each IRI lies: its own point, or for a prefecture the median of its municipalities'."""
    wanted = sorted(set(iris))
    found: dict[str, list[Point]] = {}
    for chunk in chunks(wanted):
        query = f"""SELECT ?x ?wkt WHERE {{
  VALUES ?x {{ {values(chunk)} }}
  {{ ?x geo:hasGeometry/geo:asWKT ?wkt }}
  UNION {{ ?x a lgp:Prefecture . ?member lgp:prefecture ?x ; geo:hasGeometry/geo:asWKT ?wkt }}
}}"""
        for iri, points in _points(select(backend, vocab, query, cancelled)).items():
            found.setdefault(iri, []).extend(points)
    return {
        iri: (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
        for iri, points in found.items()
    }


def _spots(refs: Iterable[Ref], located: dict[str, Point], role: str) -> tuple[list[Spot], int]:
    spots, unplaced = [], 0
    for ref in refs:
        point = located.get(ref.iri)
        if point is None:
            unplaced += 1
        else:
            spots.append(Spot(ref.iri, ref.name, point[0], point[1], role, getattr(ref, "en", None)))
    return spots, unplaced


def around(
    backend: Backend,
    vocab: Iris,
    subject: Ref,
    partners: list[Ref],
    *,
    prefecture: str | None,
    cancelled: threading.Event | None = None,
) -> MapData | None:
    """A government and its partners: its prefecture's dots, lines to every partner with a point."""
    located = locate(backend, vocab, [subject.iri, *(p.iri for p in partners)], cancelled)
    area = list(in_prefecture(backend, vocab, prefecture, cancelled).values()) if prefecture else []
    own, _ = _spots([subject], located, "subject")
    others, unplaced = _spots([p for p in partners if p.iri != subject.iri], located, "partner")
    if not own and not others and not area:
        return None
    spots = own + others
    lines = [(0, index) for index in range(1, len(spots))] if own else []
    return MapData(
        "同じ都道府県の団体(薄い点)と連携相手(線で結ぶ)",
        "Governments of the same prefecture (faint dots) and partners (joined by lines)",
        area, list(japan(backend, vocab, cancelled).values()), spots, lines, unplaced,
    )


def of_parties(
    backend: Backend,
    vocab: Iris,
    parties: list[Ref],
    *,
    subject: Ref | None = None,
    cancelled: threading.Event | None = None,
) -> MapData | None:
    """Parties on a map of all Japan, joined to ``subject`` or, when few, to each other."""
    everyone = [subject, *parties] if subject else parties
    located = locate(backend, vocab, [ref.iri for ref in everyone], cancelled)
    own, _ = _spots([subject] if subject else [], located, "subject")
    others, unplaced = _spots([p for p in parties if not subject or p.iri != subject.iri], located, "party")
    spots = own + others
    if not spots:
        return None
    if own:
        lines = [(0, index) for index in range(1, len(spots))]
    elif len(spots) <= MAX_PAIRS:
        lines = [(a, b) for a in range(len(spots)) for b in range(a + 1, len(spots))]
    else:
        lines = []
    return MapData(
        "日本の地方公共団体(薄い点)と当事者", "Japanese local governments (faint dots) and the parties",
        [], list(japan(backend, vocab, cancelled).values()), spots, lines, unplaced, whole=True,
    )


def highlighted(
    backend: Backend,
    vocab: Iris,
    refs: list[Ref],
    *,
    area: list[Point] | None = None,
    caption: tuple[str, str],
    cancelled: threading.Event | None = None,
) -> MapData | None:
    """Some governments highlighted without lines (the Japanese partners of a country, a prefecture's tied members)."""
    located = locate(backend, vocab, [ref.iri for ref in refs], cancelled)
    spots, unplaced = _spots(refs, located, "party")
    if not spots and not area:
        return None
    context = list(japan(backend, vocab, cancelled).values())
    return MapData(caption[0], caption[1], area or [], context, spots, [], unplaced, whole=not area)

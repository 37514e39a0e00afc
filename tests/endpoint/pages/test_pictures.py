"""The pictures' geography on the vendored sources: where foreign partners are placed, the
outlines the maps draw, and what drawing them loads."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest
import shapely

from endpoint.pages import worldmap
from endpoint.pages.outlines import country_parts, natural_earth, prefecture_outlines
from endpoint.store.backends import EmbeddedStore

NEAR_ITS_COUNTRY = 0.5
"""Degrees (about 50 km) a placed partner may lie from its country's simplified outline (coasts, islands)."""


@pytest.fixture(scope="module")
def foreign_parties(built, settings):
    store = EmbeddedStore.from_files(settings.dist / "kg.nt")
    query = """PREFIX lgp: <http://localhost:8000/def/lgp#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?m (SAMPLE(?ja) AS ?name) (SAMPLE(?e) AS ?en) ?country (MIN(?code) AS ?region) WHERE {
  ?m a lgp:ForeignLocalAuthority ; lgp:country/skos:notation ?country .
  OPTIONAL { ?m rdfs:label ?ja FILTER(LANG(?ja) != "en") }
  OPTIONAL { ?m rdfs:label ?e FILTER(LANG(?e) = "en") }
  OPTIONAL { ?m lgp:region/skos:notation ?code }
} GROUP BY ?m ?country"""
    solutions = store.query(query)
    names = [variable.value for variable in solutions.variables]
    return [{name: (row[name].value if row[name] is not None else None) for name in names} for row in solutions]


def test_every_foreign_partner_is_placed_in_its_own_country(foreign_parties):
    outlines = defaultdict(list)
    for code, geometry in zip(natural_earth().codes, natural_earth().geometries):
        outlines[code].append(geometry)
    placed, far = defaultdict(int), []
    for party in foreign_parties:
        found = worldmap.place(party["name"], party["en"], party["country"], party["region"])
        assert found is not None, party
        (lng, lat), by = found
        placed[by] += 1
        distance = min(geometry.distance(shapely.Point(lng, lat)) for geometry in outlines[party["country"]])
        if distance > NEAR_ITS_COUNTRY:
            far.append((party["name"], party["country"], by, round(distance, 2)))
    assert len(foreign_parties) > 400
    assert not far, far
    # Most are placed finer than their country: by their city or their region.
    assert placed["city"] + placed["region"] > 0.9 * len(foreign_parties), dict(placed)


def test_a_city_far_from_its_region_yields_to_the_region():
    # GeoNames' most populous Portland (Oregon) is no place for a partner in Maine.
    (lng, lat), by = worldmap.place("ポートランド市", "Portland", "US", "US-ME")
    assert by == "region" and lng > -72
    (lng, _), by = worldmap.place("ポートランド市", "Portland", "US", "US-OR")
    assert by == "city" and lng < -120


def test_the_world_frame_is_seamed_in_the_atlantic_and_stays_small():
    land, japan = worldmap._outlines(worldmap.WORLD)
    # The whole world's land in a few tens of kilobytes, and Japan apart from it.
    assert 5_000 < len(land) < 40_000 and 100 < len(japan) < 5_000
    # Every vertex lies within the frame (a ring that crossed the seam would span it).
    projection = worldmap._Projection(worldmap.WORLD)
    vertices = list(_vertices(land + japan))
    assert len(vertices) > 1000
    assert all(0 <= x <= worldmap.WIDTH + 1 and 0 <= y <= projection.height + 1 for x, y in vertices)


def _vertices(path: str):
    """The points of a path of ``M x y`` moves and ``l dx dy …`` relative lines."""
    tokens = re.findall(r"[Mlz]|-?\d+", path)
    command, numbers, x, y = None, [], 0, 0
    for token in tokens:
        if token in "Mlz":
            command, numbers = token, []
            continue
        numbers.append(int(token))
        if len(numbers) == 2:
            dx, dy = numbers
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
            numbers = []
            yield x, y


def test_a_regional_frame_keeps_japan_whole_and_every_partner_inside():
    taiwan = worldmap.place("台南市", "Tainan", "TW", "TW-TNN")[0]
    frame = worldmap._frame([worldmap.TOKYO, *worldmap.JAPAN, taiwan])
    west, east, south, north = frame
    assert frame != worldmap.WORLD
    assert west < 120 and east > 146 and south < 22.5 and north > 45.5
    assert east - west < 60


def test_country_outlines_are_clipped_to_the_box():
    parts = country_parts((120.0, 20.0, 150.0, 46.0), 0.1)
    assert {"JP", "KR", "TW"} <= {code for code, _ in parts}
    assert all(120 - 1e-9 <= x <= 150 + 1e-9 and 20 - 1e-9 <= y <= 46 + 1e-9
               for _, polygon in parts for x, y in polygon.exterior.coords)


def test_prefecture_outlines_do_not_load_japanmaps_drawing_libraries():
    # japanmap draws with OpenCV and Pillow; the maps only read its geometry file.
    code = ("import sys; from endpoint.pages.outlines import prefecture_outlines; "
            "assert len(prefecture_outlines()) == 47; "
            "print(sorted(m for m in ('cv2', 'PIL', 'japanmap') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
    assert len(prefecture_outlines()) == 47

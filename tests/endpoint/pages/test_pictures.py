"""The pictures' geography on the vendored sources: where foreign partners are placed, the
outlines the maps draw, prefectures' far-off islands in insets, and what drawing them loads."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest
import shapely

from endpoint.pages import svgmap, worldmap
from endpoint.pages.outlines import country_parts, island_outlines, natural_earth, prefecture_outlines
from endpoint.pages.views.maps import MapData, Spot, parse_wkt
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


@pytest.fixture(scope="module")
def prefectures(built, settings):
    """Every prefecture's governments, as (IRI, name, point), by the prefecture's code (its IRI's last part)."""
    store = EmbeddedStore.from_files(settings.dist / "kg.nt")
    query = """PREFIX lgp: <http://localhost:8000/def/lgp#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?x (SAMPLE(?label) AS ?name) (SAMPLE(?wkt) AS ?point) WHERE {
  ?x lgp:prefecture ?p ; geo:hasGeometry/geo:asWKT ?wkt ; rdfs:label ?label FILTER(LANG(?label) != "en")
} GROUP BY ?p ?x"""
    found = defaultdict(list)
    for row in store.query(query):
        found[row["p"].value.rsplit("/", 1)[-1]].append((row["x"].value, row["name"].value, parse_wkt(row["point"].value)))
    return {code: sorted(rows) for code, rows in found.items()}


def _prefecture_map(rows) -> tuple[MapData, svgmap.Svg]:
    data = MapData("c", "c", area=[point for _, _, point in rows],
                   spots=[Spot(iri, name, *point, "party") for iri, name, point in rows])
    return data, svgmap.draw(data)


def _dots(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"M(-?[\d.]+) (-?[\d.]+)h0", path)]


def _in_box(x: float, y: float, left: float, top: float, width: float, height: float) -> bool:
    return left - 0.5 <= x <= left + width + 0.5 and top - 0.5 <= y <= top + height + 0.5


def test_every_government_of_a_prefecture_is_drawn_in_its_frame_or_an_inset(prefectures):
    assert len(prefectures) == 47
    for code, rows in prefectures.items():
        data, svg = _prefecture_map(rows)
        # Each government's point lies in the main frame or in exactly one inset, and is drawn there.
        for _, name, point in rows:
            holders = [view for view in [svg.main, *(inset.view for inset in svg.insets)] if view.inside(point)]
            assert len(holders) == 1, (code, name, len(holders))
        drawn = len({(round(x, 1), round(y, 1)) for x, y in _dots(svg.area_path)})
        drawn += sum(len(_dots(inset.area_path)) for inset in svg.insets)
        assert drawn >= 0.9 * len(set(data.area)), code
        # Every dot and every spot stands inside its box; the insets under the main frame, inside the SVG.
        assert all(_in_box(x, y, 0, 0, svg.width, svg.main_height) for x, y in _dots(svg.area_path)), code
        for inset in svg.insets:
            assert inset.y >= svg.main_height and inset.x + inset.width <= svg.width + 0.5
            assert inset.y + inset.height <= svg.height + 0.5
            assert all(_in_box(x, y, 0, 0, inset.width, inset.height) for x, y in _dots(inset.area_path)), code
        boxes = [(0, 0, svg.width, svg.main_height), *((i.x, i.y, i.width, i.height) for i in svg.insets)]
        for spot in svg.spots:
            assert sum(_in_box(spot.x, spot.y, *box) for box in boxes) == 1, (code, spot.name)


def test_the_main_body_takes_a_sensible_share_of_the_frame(prefectures):
    for code, rows in prefectures.items():
        data, svg = _prefecture_map(rows)
        held = [point for point in data.area if svg.main.inside(point)]
        xs, ys = zip(*(svg.main.local(*point) for point in held))
        width, height = (max(xs) - min(xs)) / svg.width, (max(ys) - min(ys)) / svg.main_height
        # The main body's dots span most of the frame one way, and a good part of it either way.
        assert max(width, height) > 0.6 and width * height > 0.25, (code, round(width, 2), round(height, 2))


def test_far_off_islands_are_found_by_distance_and_drawn_in_insets(prefectures):
    def names(code):
        _, svg = _prefecture_map(prefectures[code])
        inset_of = {spot.name: index for index, inset in enumerate(svg.insets)
                    for spot in svg.spots if _in_box(spot.x, spot.y, inset.x, inset.y, inset.width, inset.height)}
        return svg, inset_of

    tokyo, inset_of = names("130001")
    # The Izu islands share one inset, Ogasawara (a thousand kilometres south) has its own.
    assert len(tokyo.insets) == 2
    assert {inset_of[name] for name in ("大島町", "三宅村", "八丈町", "青ヶ島村")} == {0}
    assert inset_of["小笠原村"] == 1 and "八王子市" not in inset_of
    assert [inset.label for inset in tokyo.insets] == ["南へ約 230 km", "南へ約 990 km"]
    assert [inset.label_en for inset in tokyo.insets][1] == "about 990 km south"
    # The mainland is framed alone: Tama and the wards fill its width.
    assert tokyo.main.south > 35.3 and tokyo.main_height < 0.6 * tokyo.width
    # The islands are drawn as land (Natural Earth), not only as dots in the sea.
    assert all(inset.outline_path.count("Z") >= 1 for inset in tokyo.insets)
    kagoshima, inset_of = names("460001")
    assert len(kagoshima.insets) == 1 and {"奄美市", "与論町"} <= set(inset_of) and "屋久島町" not in inset_of
    okinawa, inset_of = names("470007")
    assert len(okinawa.insets) == 2
    assert inset_of["石垣市"] == inset_of["宮古島市"] == inset_of["与那国町"] != inset_of["南大東村"]
    assert "久米島町" not in inset_of
    # Islands near their prefecture stay in its frame.
    for code in ("150002", "320005", "420000", "010006"):
        assert not _prefecture_map(prefectures[code])[1].insets, code


def test_a_map_of_all_japan_has_no_insets(prefectures):
    points = [point for rows in prefectures.values() for _, _, point in rows]
    ogasawara = next(point for _, name, point in prefectures["130001"] if name == "小笠原村")
    svg = svgmap.draw(MapData("c", "c", context=points, spots=[Spot("x", "小笠原村", *ogasawara, "party")], whole=True))
    assert not svg.insets and svg.main_height == svg.height
    west, east, south, north = svg.main.west, svg.main.east, svg.main.south, svg.main.north
    assert west < 129 and east > 145 and south < 27 and north > 45
    # Drawn as before: the prefectures' outlines alone, one ring each.
    assert svg.outline_path.count("Z") <= len(prefecture_outlines())


def test_a_far_off_part_stays_in_a_frame_that_holds_it():
    # Partners across Japan widen the frame over the islands: no inset is needed then.
    area = [(139.7 + i * 0.01, 35.7) for i in range(30)] + [(139.78, 33.1), (142.19, 27.09)]
    far_partners = [Spot("a", "A", 141.35, 43.06, "partner"), Spot("b", "B", 127.68, 26.21, "partner")]
    wide = svgmap.draw(MapData("c", "c", area=area, spots=far_partners))
    assert not wide.insets and all(wide.main.inside(point) for point in area)
    near = svgmap.draw(MapData("c", "c", area=area, spots=[Spot("s", "S", 139.7, 35.7, "subject"),
                                                            Spot("i", "I", 142.19, 27.09, "partner")], lines=[(0, 1)]))
    # A government's map insets the far-off part holding its partner; the empty one is left out.
    assert len(near.insets) == 1 and near.insets[0].view.inside((142.19, 27.09))
    assert len(svgmap.draw(MapData("c", "c", area=area)).insets) == 2
    # The tie to the island's government is drawn to its dot in the inset.
    (x1, y1, x2, y2), = near.lines
    island = next(spot for spot in near.spots if spot.name == "I")
    assert (x2, y2) == (island.x, island.y) and y2 > near.main_height


def test_island_outlines_are_those_japanmap_leaves_out():
    islands = island_outlines()
    assert len(islands) > 50
    # Hachijō-jima and Chichi-jima among them; Honshū is not.
    assert any(min(x for x, _ in ring) < 139.8 < max(x for x, _ in ring) and min(y for _, y in ring) < 33.1 < max(y for _, y in ring) for ring in islands)
    assert any(min(y for _, y in ring) < 27.08 < max(y for _, y in ring) and min(x for x, _ in ring) < 142.2 < max(x for x, _ in ring) for ring in islands)
    assert max(len(ring) for ring in islands) < 5000

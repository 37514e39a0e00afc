"""Partner typing on the hard lines of the vendored sources and on small inputs."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from kg.model import JapaneseGovernment, NationalGovernment, Organisation
from kg.resolve.foreign import ForeignGazetteer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gaz():
    return ForeignGazetteer.load(ROOT / "data" / "curated")


def at(resolved, source: str, line: int, foreign: bool | None = None):
    found = [r for r in resolved.resolutions() if (r.source, r.line) == (source, line)
             and (foreign is None or r.mention.foreign == foreign)]
    assert found, (source, line)
    return found


def parties(resolved, source, line, foreign=None):
    return [r.party for r in at(resolved, source, line, foreign)]


# --- small inputs ---------------------------------------------------------------------------------

def test_a_body_keeps_its_name_and_lies_in_its_region(gaz):
    place = gaz.read("福建博物院", "中国", None, None)
    assert (place.organisation, place.name, place.region.code) == ("Museum", "福建博物院", "CN-FJ")


def test_a_province_is_no_ministry_and_a_katakana_province_neither(gaz):
    assert gaz.read("湖北省", "中国", None, None).is_region
    place = gaz.read("フニン省", "ベトナム", None, None)
    assert place.organisation is None and not place.is_region
    assert gaz.read("カンボジア鉱工業エネルギー省", None, None, None).organisation == "NationalBody"


def test_a_country_alone_is_its_national_government(gaz):
    place = gaz.read("ベトナム", "ベトナム", None, None)
    assert place.is_country and place.country == "VN"
    # A place the row puts in another country is no state of its own: 中国/香港 is Hong Kong in China.
    place = gaz.read("香港", "中国", None, None)
    assert not place.is_country and (place.country, place.region.code) == ("CN", "CN-HK")


def test_a_city_suffix_names_a_division_only_where_the_division_is_a_city(gaz):
    assert gaz.read("釜山市", "韓国", None, None).is_region  # Busan is a metropolitan city, KR-26
    plzen = gaz.read("プルゼニ市", "チェコ共和国", None, None)
    assert not plzen.is_region and plzen.region.code == "CZ-32" and plzen.key == "CZ/CZ-32/プルゼニ市"
    hawaii = gaz.read("ハワイ郡", "アメリカ合衆国ハワイ州", None, None)
    assert not hawaii.is_region and hawaii.key == "US/US-HI/ハワイ郡"
    assert gaz.read("ヤンゴン市", "ミャンマー", None, None).key == "MM/MM-06/ヤンゴン市"


def test_indonesian_provinces_not_island_groups(gaz):
    region, rest = gaz.region("ID", "東ジャワ州")
    assert (region.code, rest) == ("ID-JI", "")


def test_a_name_that_is_a_division_is_that_division(gaz):
    place = gaz.read("嘉義縣嘉義市", "台湾", None, None)
    assert place.is_region and place.region.code == "TW-CYI"


def test_a_country_written_inside_a_name(gaz):
    assert gaz.country_in("王立ブータン研究所") == "BT"
    assert gaz.country_in("研究所") is None


# --- the vendored sources -------------------------------------------------------------------------

def test_fujian_museum_is_a_museum_not_a_place(resolved):
    [party] = parties(resolved, "agreements-2016", 247, foreign=True)
    assert isinstance(party, Organisation)
    assert (party.name, party.type, party.country, party.within) == ("福建博物院", "Museum", "CN", "place/CN/CN-FJ")


def test_plzen_is_the_city(resolved):
    plzen = [p for p in parties(resolved, "gunma-2021", 85, foreign=True) if "プルゼニ" in p.label]
    assert [(p.key, p.is_region) for p in plzen] == [("place/CZ/CZ-32/プルゼニ市", False)]


def test_ministries_and_countries(resolved):
    [ministry] = parties(resolved, "agreements-2016", 90, foreign=True)
    assert (ministry.type, ministry.country, ministry.name) == ("NationalBody", "TH", "タイ王国工業省")
    [vietnam] = parties(resolved, "agreements-2016", 67, foreign=True)
    assert isinstance(vietnam, NationalGovernment) and vietnam.key == "national/VN"
    [peza] = parties(resolved, "agreements-2016", 166, foreign=True)
    assert (peza.type, peza.country) == ("NationalBody", "PH")  # a curated decision: an acronym


def test_three_museums_in_one_cell_are_three(resolved):
    museums = parties(resolved, "agreements-2016", 262, foreign=True)
    assert [(m.name, m.type) for m in museums] == [
        ("武昌起義記念館", "Museum"), ("辛亥革命博物館", "Museum"), ("武漢市中山艦博物館", "Museum")]
    assert museums[2].within == "place/CN/CN-HB/武漢市"  # the city its name names


def test_a_university_lies_in_the_city_it_is_named_after(resolved):
    [university] = parties(resolved, "agreements-2016", 17, foreign=True)
    assert (university.type, university.within) == ("University", "place/CN/CN-LN/大連市")


def test_countries_evident_from_a_name_or_another_row(resolved):
    [busan] = parties(resolved, "agreements-2016", 159, foreign=True)
    assert busan.key == "place/KR/KR-26"
    oulu = parties(resolved, "agreements-2016", 30, foreign=True)
    assert {(p.name, p.country) for p in oulu if p.country != "JP"} == {("オウル応用科学大学", "FI"), ("ビジネスオウル", "FI")}
    [bhutan] = parties(resolved, "agreements-2016", 87, foreign=True)
    assert (bhutan.country, bhutan.type) == ("BT", "ResearchInstitute")


def test_yuanlin_township_and_city_are_one_node(resolved):
    gunma = [p for p in parties(resolved, "gunma-2021", 91, foreign=True) if "員林" in p.label]
    taiwan = [p for p in parties(resolved, "taiwan-japan", 171, foreign=True)]
    assert {p.key for p in gunma} == {p.key for p in taiwan} == {"place/TW/TW-CHA/員林市"}


def test_wards_listed_in_one_cell_are_four_governments(resolved):
    partners = [p for p in parties(resolved, "tokyo-wards-2026", 937, foreign=False)
                if isinstance(p, JapaneseGovernment)]
    assert {p.label for p in partners} >= {"目黒区", "大田区", "世田谷区", "渋谷区"}
    assert not [p for p in parties(resolved, "tokyo-wards-2026", 937) if isinstance(p, Organisation)]


@pytest.mark.parametrize("line, label", [(268, "登米市"), (178, "長崎市"), (247, "奈良県")])
def test_remarks_are_read_off_a_government(resolved, line, label):
    found = [r for r in at(resolved, "tokyo-wards-2026", line) if r.method == "remark"]
    assert [r.party.label for r in found] == [label] and found[0].rules == ("remark",)


def test_a_former_town_in_a_remark_is_that_town_when_the_tie_predates_the_merger(resolved):
    # 長野県伊那市（旧高遠町）: the remark names 高遠町, which merged into 伊那市 in 2006; the tie is of 1986.
    [found] = [r for r in at(resolved, "tokyo-wards-2026", 376) if "remark" in r.rules]
    assert (found.party.label, found.method) == ("高遠町", "predecessor")


def test_panelists_are_governments(resolved):
    found = [r.party.label for r in at(resolved, "tokyo-wards-2026", 1068) if r.method == "remark"]
    assert found == ["久慈市", "喜多方市", "中央区"]


def test_every_region_code_is_iso_3166_2_and_in_its_country(resolved):
    for r in resolved.resolutions():
        party = r.party
        region = getattr(party, "region", None) or (
            party.within.split("/")[2] if isinstance(party, Organisation) and party.within
            and party.within.startswith("place/") and party.within.split("/")[2] != "-" else None)
        if region:
            assert pycountry.subdivisions.get(code=region) is not None, r
            assert region.startswith(party.country + "-"), r


def test_a_misprinted_prefecture_in_a_list_is_still_a_government(resolved):
    # tokyo-wards-2026 line 163: 鳥取県智頭町 鳥根県隠岐の島町 (鳥根県 for 島根県).
    found = {r.party.label: r for r in at(resolved, "tokyo-wards-2026", 163)}
    assert isinstance(found["智頭町"].party, JapaneseGovernment)
    assert isinstance(found["隠岐の島町"].party, JapaneseGovernment) and found["隠岐の島町"].method == "alias"

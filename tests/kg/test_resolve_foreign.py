"""Foreign parties: ISO 3166 countries and regions, and one key per authority across spellings and sources."""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
import pytest

from kg.model import ForeignAuthority, Organisation, Unresolved
from kg.resolve.foreign import ForeignGazetteer, Place, Region
from kg.resolve.resolver import Resolver
from mapping.records import Mention

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"


@pytest.fixture(scope="module")
def gaz() -> ForeignGazetteer:
    return ForeignGazetteer.load(CURATED)


def rows(name: str) -> list[dict[str, str]]:
    with (CURATED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- the curated tables ---------------------------------------------------------


def test_every_curated_country_code_exists():
    table = rows("countries.csv")
    assert table
    for row in table:
        assert pycountry.countries.get(alpha_2=row["alpha2"]) is not None, row
        assert row["reason"].strip(), row


def test_every_curated_region_code_exists_and_is_first_level():
    table = rows("regions.csv")
    assert len(table) > 50
    for row in table:
        subdivision = pycountry.subdivisions.get(code=row["code"])
        assert subdivision is not None, row
        # A first-level region: no parent, or only an island group (ID-JW) that administers nothing.
        parent = pycountry.subdivisions.get(code=subdivision.parent_code) if subdivision.parent_code else None
        assert parent is None or parent.type == "Geographical unit", row
        assert row["reason"].strip(), row
    for row in rows("place-regions.csv"):
        subdivision = pycountry.subdivisions.get(code=row["region"])
        assert subdivision is not None and subdivision.country_code == row["country"], row
    names = [row["name"] for row in table]
    assert len(names) == len(set(names)), "a region name is listed twice"


def test_every_curated_name_reads_back_to_its_code(gaz):
    for row in rows("countries.csv"):
        assert gaz.country(row["name"]) == (row["alpha2"], ""), row
    for row in rows("regions.csv"):
        country = row["code"].split("-")[0]
        region, rest = gaz.region(country, row["name"])
        assert (region.code, rest) == (row["code"], ""), row


# --- countries ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, alpha2",
    [
        ("アメリカ合衆国", "US"),
        ("アメリカ", "US"),
        ("韓国", "KR"),
        ("大韓民国", "KR"),
        ("台灣", "TW"),
        ("台湾", "TW"),
        ("中華民國", "TW"),
        ("中華人民共和国", "CN"),
        ("中国", "CN"),
        ("オーストラリア連邦", "AU"),
        ("オーストラリア", "AU"),
        ("ブラジル連邦共和国", "BR"),
        ("チェコ共和国", "CZ"),
        ("フィリピン共和国", "PH"),
        ("イタリア共和国", "IT"),
        ("ニュージーランド", "NZ"),
        ("ベトナム社会主義共和国", "VN"),
        ("タイ王国", "TH"),
        ("インドネシア共和国", "ID"),
        ("ラオス", "LA"),
        ("ブータン", "BT"),
        ("香港", "HK"),
    ],
)
def test_country_names(gaz, name, alpha2):
    assert gaz.country(name) == (alpha2, "")


@pytest.mark.parametrize(
    "text, alpha2, rest",
    [
        ("アメリカ合衆国ミシガン州", "US", "ミシガン州"),
        ("台湾・彰化県", "TW", "彰化県"),
        ("オーストラリア・クイーンズランド州", "AU", "クイーンズランド州"),
        ("中華人民共和国河北省", "CN", "河北省"),
        ("韓国 釜山広域市", "KR", "釜山広域市"),
        ("アメリカ合衆国", "US", ""),  # the longest name wins over アメリカ
    ],
)
def test_country_is_split_off(gaz, text, alpha2, rest):
    assert gaz.country(text) == (alpha2, rest)


def test_unknown_country(gaz):
    assert gaz.country("釜山") == (None, "釜山")
    assert gaz.country("") == (None, "")


# --- regions --------------------------------------------------------------------


@pytest.mark.parametrize(
    "country, text, code",
    [
        ("CN", "河北省", "CN-HE"),
        ("CN", "遼寧省", "CN-LN"),
        ("CN", "黑龍江省", "CN-HL"),  # traditional 黑 folded
        ("TW", "彰化縣", "TW-CHA"),
        ("TW", "彰化県", "TW-CHA"),
        ("TW", "高雄市", "TW-KHH"),
        ("US", "ミシガン州", "US-MI"),
        ("US", "カリフォルニア州", "US-CA"),
        ("US", "インディアナ州", "US-IN"),
        ("BR", "サンパウロ州", "BR-SP"),
        ("KR", "釜山広域市", "KR-26"),
    ],
)
def test_regions(gaz, country, text, code):
    region, rest = gaz.region(country, text)
    assert (region.code, rest) == (code, "")


def test_region_by_close_match(gaz):
    # pycountry writes クインズランド; the sources write クイーンズランド.
    assert gaz._regions["AU"].get("クイーンズランド") is None
    region, rest = gaz.region("AU", "クイーンズランド州")
    assert (region.code, rest) == ("AU-QLD", "")
    region, rest = gaz.region("AU", "クイーンズランド州ブリスベン市")
    assert (region.code, rest) == ("AU-QLD", "ブリスベン市")


def test_region_keeps_what_follows(gaz):
    region, rest = gaz.region("IT", "ウンブリア州ペルージャ県")
    assert (region.code, rest) == ("IT-55", "ペルージャ県")


def test_no_region(gaz):
    assert gaz.region(None, "河北省") == (None, "河北省")
    assert gaz.region("CN", "ハルビン市")[0] is None
    assert gaz.region("US", "バトルクリーク市")[0] is None
    assert gaz.region("XX", "河北省") == (None, "河北省")


# --- reading a mention ----------------------------------------------------------


def test_keys_unify_traditional_and_japanese_forms(gaz):
    # As the Japan–China list writes them (region cell) and as the Gunma list does (location text).
    a = gaz.read("承德市", None, "河北省", "CN")
    b = gaz.read("承徳市", "中華人民共和国河北省", None, None)
    assert a.key == b.key == "CN/CN-HE/承徳市"
    assert a.name == "承德市" and b.name == "承徳市"  # names keep the source's characters
    a = gaz.read("營口市", None, "遼寧省", "CN")
    b = gaz.read("営口市", "中華人民共和国遼寧省", None, None)
    assert a.key == b.key == "CN/CN-LN/営口市"


def test_read_a_city_with_country_and_region(gaz):
    place = gaz.read("バトルクリーク市", "アメリカ合衆国ミシガン州", None, None)
    assert place == Place("US", Region("US-MI", "ミシガン"), "バトルクリーク市", False, None)
    place = gaz.read("サンシャインコースト市", "オーストラリア・クイーンズランド州", None, None)
    assert (place.country, place.region.code, place.key) == ("AU", "AU-QLD", "AU/AU-QLD/サンシャインコースト市")


def test_read_a_region_itself(gaz):
    place = gaz.read("河北省", "中国", None, None)
    assert (place.is_region, place.key) == (True, "CN/CN-HE")
    place = gaz.read("台湾台南市", None, None, None)  # country and region in the name
    assert (place.country, place.is_region, place.key) == ("TW", True, "TW/TW-TNN")


def test_read_a_name_beginning_with_its_region(gaz):
    place = gaz.read("彰化縣彰化市", None, None, "TW")
    assert (place.region.code, place.name, place.is_region) == ("TW-CHA", "彰化市", False)


def test_read_an_organisation(gaz):
    place = gaz.read("ハルビン市教育局", "中華人民共和国黒龍江省", None, None)
    assert place.organisation and place.region.code == "CN-HL"
    assert gaz.read("大連理工大学", "中国", None, None).organisation


def test_read_keeps_a_location_it_cannot_use(gaz):
    place = gaz.read("フォーリーニョ市", "イタリア共和国ウンブリア州ペルージャ県", None, None)
    assert (place.region.code, place.rest) == ("IT-55", "ペルージャ県")


def test_read_without_a_country(gaz):
    place = gaz.read("釜山", None, None, None)
    assert place.country is None
    assert gaz.read("釜山", None, None, "KR").country == "KR"


# --- the resolver on foreign mentions ----------------------------------------------


def test_foreign_mentions_resolve_to_places_organisations_or_a_reason():
    resolver = Resolver.load(CURATED)
    [place] = resolver.mention(Mention("承德市", country="中華人民共和国", region="河北省", foreign=True), "t", 1)
    assert (place.method, place.party.key, place.party.region_name) == ("place", "place/CN/CN-HE/承徳市", "河北省")
    [body] = resolver.mention(Mention("大連理工大学", country="中国", foreign=True), "t", 1)
    assert isinstance(body.party, Organisation) and body.party.country == "CN"
    [lost] = resolver.mention(Mention("釜山", foreign=True), "t", 1)
    assert isinstance(lost.party, Unresolved) and lost.party.reason == "country not stated"
    [kept] = resolver.mention(Mention("釜山", foreign=True), "t", 1, default_country="KR")
    assert kept.party.key == "place/KR/KR-26"  # 釜山 is 釜山広域市, a region itself


# --- the real sources -----------------------------------------------------------


def sources_of(resolved, key: str) -> set[str]:
    return {r.source for r in resolved.resolutions() if r.party.key == key}


@pytest.mark.parametrize(
    "key, names",
    [("place/CN/CN-HE/承徳市", {"承德市"}), ("place/CN/CN-LN/営口市", {"營口市", "営口市"})],
)
def test_real_sources_share_one_key(resolved, key, names):
    assert sources_of(resolved, key) == {"gunma-2021", "japan-china-2024"}
    using = [r for r in resolved.resolutions() if r.party.key == key]
    assert {r.mention.name for r in using} == names
    # No other node for the same city.
    stem = key.rsplit("/", 1)[1][:2]
    others = {r.party.key for r in resolved.resolutions()
              if isinstance(r.party, ForeignAuthority) and r.party.key != key and stem in r.party.name.translate(
                  {ord("德"): "徳", ord("營"): "営"})}
    assert others == set()


def test_real_foreign_mentions(resolved):
    foreign = [r for r in resolved.resolutions() if r.mention.foreign]
    assert len(foreign) > 700
    places = [r for r in foreign if isinstance(r.party, ForeignAuthority)]
    assert len(places) / len(foreign) > 0.9
    for r in places:
        assert pycountry.countries.get(alpha_2=r.party.country) is not None, r
        if r.party.region:
            assert r.party.region.startswith(r.party.country + "-"), r
            assert pycountry.subdivisions.get(code=r.party.region) is not None, r
    # Every foreign mention without a country found one in its name or in another row.
    assert [r for r in foreign if isinstance(r.party, Unresolved)] == []


def test_real_regions_of_some_well_known_partners(resolved):
    by_name = {}
    for r in resolved.resolutions():
        if isinstance(r.party, ForeignAuthority):
            by_name.setdefault(r.mention.name, set()).add(r.party.key)
    assert by_name["バトルクリーク市"] == {"place/US/US-MI/バトルクリーク市"}
    assert by_name["サンシャインコースト市"] == {"place/AU/AU-QLD/サンシャインコースト市"}
    assert by_name["ローガン市"] == {"place/AU/AU-QLD/ローガン市"}
    assert by_name["瀋陽市"] == {"place/CN/CN-LN/瀋陽市"}

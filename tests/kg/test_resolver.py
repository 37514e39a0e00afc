"""The resolver over records: hints, decisions, names run together, and foreign places joined across sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.model import ForeignAuthority, JapaneseGovernment, Organisation, Resolution, Unresolved
from kg.predecessors import FormerGovernment
from kg.resolve.resolver import Resolver, ResolvedRecord, _unify_places
from mapping.ingest import Ingestion, ingest
from mapping.manifest import Source
from mapping.records import Mention, ParseResult, PartnershipRecord, ProjectPartner, ProjectRecord, Provenance

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"
MANIFEST = ROOT / "data" / "sources" / "manifest.toml"


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.load(CURATED)


def record(*parties: Mention, source: str = "t", line: int = 1) -> PartnershipRecord:
    return PartnershipRecord(Provenance(source, (line,), "…"), parties, wording=None)


def ingestion(*records) -> Ingestion:
    source = Source("t", "t.txt", "japan-china-tsv", "t", "ja")
    return Ingestion([source], [ParseResult("t", list(records))], {"t": []})


def keys(resolutions) -> list[str]:
    return [r.party.key for r in resolutions]


# --- names run together ---------------------------------------------------------


@pytest.mark.parametrize(
    "mention",
    [Mention("高知県土佐町中土佐町"), Mention("土佐町中土佐町", prefecture="高知県"), Mention("土佐町中土佐町")],
)
def test_two_names_run_together_are_two_parties(resolver, mention):
    found = resolver.mention(mention, "t", 7)
    assert keys(found) == ["lg/393631", "lg/394017"]  # 土佐町, 中土佐町
    assert [r.mention for r in found] == [Mention("土佐町", "高知県"), Mention("中土佐町", "高知県")]
    assert all(r.method == "exact" and (r.source, r.line) == ("t", 7) for r in found)


def test_special_wards_run_together(resolver):
    assert keys(resolver.mention(Mention("目黒区大田区"), "t", 1)) == ["lg/131105", "lg/131113"]


def test_a_split_makes_two_parties_of_one_record(resolver):
    partner = Mention("承德市", country="中華人民共和国", region="河北省", foreign=True)
    resolved = resolver.records(ingestion(record(Mention("高知県土佐町中土佐町"), partner)))
    [item] = resolved.records
    assert keys(item.parties) == ["lg/393631", "lg/394017", "place/CN/CN-HE/承徳市"]


@pytest.mark.parametrize(
    "mention, key, method",
    [
        (Mention("長岡市寺泊地域"), "lg/152021", "containing"),  # a part of one municipality, not two names
        (Mention("山形県東根市スポーツ少年団本部"), "org/JP/山形県東根市スポーツ少年団本部", "organisation"),
        (Mention("中土佐町"), "lg/394017", "exact"),
    ],
)
def test_no_split_where_there_are_not_two_names(resolver, mention, key, method):
    [found] = resolver.mention(mention, "t", 1)
    assert (found.party.key, found.method) == (key, method)


# --- hints, decisions and bodies ------------------------------------------------


def test_the_reporting_government_gives_the_hint(resolver):
    items = resolver.records(ingestion(
        record(Mention("明和町", "三重県"), Mention("伊達市")),  # no 伊達市 in 三重県: still ambiguous
        record(Mention("伊達市", "福島県"), Mention("明和町")),  # 福島県 helps neither 明和町
        record(Mention("府中市", "広島県"), Mention("府中市", "東京都")),
        record(Mention("福島県伊達市"), Mention("北海道伊達市")),
    )).records
    assert [keys(item.parties) for item in items] == [
        ["lg/244422", "unresolved/jp/伊達市"],
        ["lg/072133", "unresolved/jp/明和町"],
        ["lg/342084", "lg/132063"],
        ["lg/072133", "lg/012335"],
    ]
    assert items[0].parties[1].party.reason.startswith("ambiguous: 伊達市 is ")
    items = resolver.records(ingestion(record(Mention("明和町", "群馬県"), Mention("伊達市"), Mention("明和町")))).records
    assert keys(items[0].parties) == ["lg/105228", "unresolved/jp/伊達市", "lg/105228"]
    assert items[0].parties[2].note.startswith("prefecture 群馬県 taken from the reporting government")
    assert items[0].parties[2].rules == ("homonym-reporting-prefecture",)  # reported, not picked silently


def test_a_project_partner_is_read_in_tokyo_first(resolver):
    project = ProjectRecord(
        Provenance("t", (3, 4), "…"), Mention("北区", "東京都"), "交流", "事業", "区",
        (ProjectPartner(Mention("府中市"), (3,)), ProjectPartner(Mention("高知県土佐町中土佐町"), (4,))),
        "", None, "",
    )
    [item] = resolver.records(ingestion(project)).records
    assert keys(item.parties) == ["lg/131172", "lg/132063", "lg/393631", "lg/394017"]
    assert item.partner_index == (0, 1, 1)  # both halves belong to the second partner
    assert [r.line for r in item.parties] == [3, 3, 4, 4]


def test_a_curated_decision_applies_to_its_line_only(resolver):
    [decided] = resolver.mention(Mention("府中市"), "gunma-2021", 42, hint="群馬県")
    assert (decided.party.key, decided.method) == ("lg/132063", "decision")
    [elsewhere] = resolver.mention(Mention("府中市"), "gunma-2021", 43, hint="群馬県")
    assert isinstance(elsewhere.party, Unresolved) and elsewhere.method == "unresolved"
    assert elsewhere.party.reason.startswith("ambiguous: 府中市")


def test_bodies_are_organisations_within_what_the_text_shows(resolver):
    [body] = resolver.mention(Mention("三観広域行政組合", "香川県"), "t", 1)
    assert isinstance(body.party, Organisation)
    assert (body.party.within, body.method) == ("lg/370002", "organisation")  # 香川県
    [body] = resolver.mention(Mention("群馬東部水道企業団"), "t", 1)
    assert isinstance(body.party, Organisation) and body.party.within is None
    [lost] = resolver.mention(Mention("ああ市"), "t", 1)
    assert isinstance(lost.party, Unresolved) and lost.note == "no local government named ああ市"


# --- foreign places joined across sources -----------------------------------------


def place(name: str, region: str | None, country: str = "CN", is_region: bool = False) -> ForeignAuthority:
    key = f"{country}/{region or '-'}/{name}"
    return ForeignAuthority(key, name, country, region, None, is_region)


def resolved_record(*parties, note: str = "") -> ResolvedRecord:
    resolutions = tuple(Resolution("t", n, Mention(p.name, foreign=True), p, "place", note)
                        for n, p in enumerate(parties, start=1))
    return ResolvedRecord(record(*(r.mention for r in resolutions)), resolutions)


def test_a_place_without_region_joins_the_one_with_it():
    with_region = place("大連市", "CN-LN")
    records = _unify_places([resolved_record(with_region), resolved_record(place("大連市", None), note="seen")])
    [joined] = records[1].parties
    assert joined.party is with_region
    assert joined.party.key == "place/CN/CN-LN/大連市"
    assert joined.note == "seen; region from another source"
    assert records[0].parties[0].note == ""


def test_a_place_with_two_candidate_regions_is_not_joined():
    records = _unify_places([
        resolved_record(place("朝陽区", "CN-BJ")),
        resolved_record(place("朝陽区", "CN-JL")),
        resolved_record(place("朝陽区", None)),
    ])
    assert records[2].parties[0].party.key == "place/CN/-/朝陽区"
    assert records[2].parties[0].note == ""


def test_only_the_same_country_and_a_real_city_give_a_region():
    records = _unify_places([
        resolved_record(place("大連市", "CN-LN")),
        resolved_record(place("大連市", None, country="TW")),  # another country
        resolved_record(place("河北省", "CN-HE", is_region=True)),  # a region node gives no region to others
        resolved_record(place("河北省", None)),
    ])
    assert records[1].parties[0].party.key == "place/TW/-/大連市"
    assert records[3].parties[0].party.key == "place/CN/-/河北省"


def test_joining_uses_the_folded_name():
    records = _unify_places([resolved_record(place("營口市", "CN-LN")), resolved_record(place("営口市", None))])
    assert records[1].parties[0].party.region == "CN-LN"


def test_joining_through_the_resolver(resolver):
    with_region = Mention("大連市", country="中華人民共和国", region="遼寧省", foreign=True)
    without = Mention("大連市", country="中国", foreign=True)
    items = resolver.records(ingestion(record(Mention("北九州市"), with_region), record(Mention("福岡市"), without))).records
    assert [item.parties[1].party.key for item in items] == ["place/CN/CN-LN/大連市"] * 2
    assert items[1].parties[1].note == "region from another source"


def test_real_sources_join_places_across_sources():
    resolved = Resolver.load(CURATED).records(ingest(MANIFEST))
    joined = [r for r in resolved.resolutions() if "region from another source" in r.note]
    assert joined
    assert {r.party.key for r in joined if r.mention.name == "大連市"} == {"place/CN/CN-LN/大連市"}
    # After joining, no city is both with and without a region under the same name.
    regions: dict[tuple[str, str], set[str | None]] = {}
    for r in resolved.resolutions():
        if isinstance(r.party, ForeignAuthority) and not r.party.is_region:
            regions.setdefault((r.party.country, r.party.place_key.rsplit("/", 1)[1]), set()).add(r.party.region)
    mixed = {name: found for name, found in regions.items() if None in found and len(found - {None}) == 1}
    assert mixed == {}
    # Japanese parties are untouched by the joining (former governments come from lg-predecessors.csv).
    assert all(isinstance(r.party, (JapaneseGovernment, Organisation, Unresolved, FormerGovernment))
               for r in resolved.resolutions() if not r.mention.foreign)


# --- homonyms decided by the row's evidence ------------------------------------------


def test_a_homonym_is_decided_by_the_order_of_the_list(resolver):
    # Boards of education listed in code order: 府中市's between 広島県呉市's and 高知県's is 広島県府中市's,
    # though the reporting ward is in 東京都.
    cell = "札幌市教育委員会 松江市教育委員会 呉市教育委員会 府中市教育委員会 栲原町教育委員会 飯塚市教育委員会"
    project = ProjectRecord(Provenance("t", (1,), "…"), Mention("品川区", "東京都"), "その他", "協議会", "区",
                            (ProjectPartner(Mention(cell), (1,)),), "", None, "")
    [item] = resolver.records(ingestion(project)).records
    fuchu = next(r for r in item.parties if r.party.label == "府中市教育委員会")
    assert fuchu.party.within == "lg/342084" and fuchu.rules == ("list-in-cell", "homonym-list-order")
    yusuhara = next(r for r in item.parties if r.party.label == "栲原町教育委員会")
    assert yusuhara.party.within == "lg/394050"  # 檮原町, the alias of its misprint


def test_a_homonym_is_decided_by_the_other_governments_of_the_row(resolver):
    items = resolver.records(ingestion(
        record(Mention("台東区", "東京都"), Mention("広島県呉市"), Mention("府中市"), Mention("広島県三次市")),
        record(Mention("台東区", "東京都"), Mention("府中市"), Mention("高知県土佐町")),
    )).records
    assert keys(items[0].parties)[2] == "lg/342084" and items[0].parties[2].rules == ("homonym-row-prefecture",)
    # Nothing in the second row says which: the reporting government's prefecture decides, and it is reported.
    assert keys(items[1].parties)[1] == "lg/132063"
    assert items[1].parties[1].rules == ("homonym-reporting-prefecture",)


def test_bodies_written_back_to_back_are_split(resolver):
    found = resolver.mention(Mention("呉市教育委員会檮原町教育委員会"), "t", 1)
    assert [(r.party.label, r.party.within) for r in found] == [
        ("呉市教育委員会", "lg/342025"), ("檮原町教育委員会", "lg/394050")]
    [one] = resolver.mention(Mention("呉市教育委員会事務局"), "t", 1)  # one body, not two
    assert one.party.label == "呉市教育委員会事務局"


def test_a_body_located_in_brackets(resolver):
    [found] = resolver.mention(Mention("美郷町立千畑小学校（秋田県仙北郡美郷 町）"), "t", 1, "東京都")
    assert found.party.within == "lg/054348" and found.rules == ("location-in-brackets",)


def test_the_homonyms_of_the_vendored_sources(resolved):
    decided = {(r.source, r.line, r.party.label): (getattr(r.party, "within", None) or r.party.key, rule)
               for r in resolved.resolutions() for rule in r.rules if rule.startswith("homonym")}
    assert decided == {
        ("tokyo-wards-2026", 869, "府中市教育委員会"): ("lg/342084", "homonym-list-order"),
        # 港区 and 中央区 are also wards of designated cities: their lists, in code order, put them in 東京都.
        ("gunma-2021", 48, "港区"): ("lg/131032", "homonym-list-order"),
        ("tokyo-wards-2026", 996, "中央区"): ("lg/131024", "homonym-list-order"),
    }
    glued = [r for r in resolved.resolutions() if "栲原町" in r.party.label]
    assert [(r.line, r.party.label, r.party.within) for r in glued] == [(869, "栲原町教育委員会", "lg/394050")]


# --- regions of foreign places no source locates ---------------------------------------


def test_a_place_no_source_locates_takes_its_region_from_the_table(resolver):
    [found] = resolver.mention(Mention("埔心郷", country="台湾", foreign=True), "t", 1)
    assert (found.party.key, found.party.region) == ("place/TW/TW-CHA/埔心郷", "TW-CHA")
    assert "region-from-table" in found.rules
    # A division written in Japanese is itself the region (regions.csv).
    [state] = resolver.mention(Mention("カルナタカ州", country="インド", foreign=True), "t", 1)
    assert (state.party.region, state.party.is_region) == ("IN-KA", True)


def test_a_bad_region_code_in_the_table_is_an_error(tmp_path):
    from kg.curated import PlaceRegion, read_table
    from mapping.errors import InputError

    path = tmp_path / "place-regions.csv"
    path.write_text("country,name,region,reason\nTW,埔心郷,CHA,county\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"place-regions\.csv:2: region: bad value 'CHA'"):
        read_table(path, PlaceRegion)


def test_the_foreign_places_of_the_vendored_sources_without_a_region(resolved):
    missing = sorted({r.party.name for r in resolved.resolutions()
                      if isinstance(r.party, ForeignAuthority) and r.party.region is None})
    # Neither a source nor a gazetteer says which 高崎市's モンテルバ市 and 神奈川県's フニン省 are.
    assert missing == ["フニン省", "モンテルバ市"]
    oulu = {r.party.key for r in resolved.resolutions() if r.party.label == "オウル市"}
    assert oulu == {"place/FI/FI-14/オウル市"}


def test_a_note_after_a_body_is_read_off(resolver):
    [found] = resolver.mention(Mention("北海道渡島地域・東京特別区交流推進協議会 ※令和元年度より北海道木古内町として参加"), "t", 1)
    assert (found.party.label, found.party.type, found.rules) == ("北海道渡島地域・東京特別区交流推進協議会", "Council", ("remark",))


def test_one_foreign_body_written_several_ways_is_one_node(resolved):
    ministries = {(r.line, r.party.key) for r in resolved.resolutions()
                  if r.source == "agreements-2016" and r.line in (55, 56, 90, 108, 111, 121, 129) and r.mention.foreign}
    assert ministries == {(55, "org/VN/ベトナム計画投資省"), (108, "org/VN/ベトナム計画投資省"),
                          (111, "org/VN/ベトナム計画投資省"), (56, "org/TH/タイ王国工業省"), (90, "org/TH/タイ王国工業省"),
                          (121, "org/TH/タイ王国工業省"), (129, "org/TH/工業省産業振興局")}  # a department stays its own


def test_a_municipality_over_the_wards_of_its_name_is_reported(resolver):
    [item] = resolver.records(ingestion(record(Mention("前橋市", "群馬県"), Mention("港区")))).records
    assert keys(item.parties) == ["lg/102016", "lg/131032"]
    assert item.parties[1].rules == ("homonym-municipality-over-ward",)


def test_one_collective_written_several_ways_is_one_node(resolved):
    collective = {(r.line, r.party.key, r.party.within) for r in resolved.resolutions()
                  if r.source == "tokyo-wards-2026" and r.line in (495, 509, 1300, 1450)
                  and "23" in r.mention.name}
    assert collective == {(line, "org/JP/都内23特別区", "lg/130001") for line in (495, 509, 1300, 1450)}


def test_no_homonym_of_the_vendored_sources_is_picked_silently(resolver, resolved):
    from collections import defaultdict

    from mapping.places import split_prefecture
    from mapping.text import clean, match_key

    by_name = defaultdict(list)
    for lg in resolver.japan.by_code.values():
        if not lg.abolished and lg.kind not in ("prefecture", "designated-city-ward"):
            by_name[match_key(lg.label)].append(lg)
    homonyms = {name for name, lgs in by_name.items() if len(lgs) > 1}
    assert len(homonyms) == 25 and {"府中市", "伊達市", "美郷町", "森町"} <= homonyms
    for r in resolved.resolutions():
        party = r.party
        code = party.government.code if isinstance(party, JapaneseGovernment) else (
            party.within.removeprefix("lg/") if isinstance(party, Organisation) and party.within
            and party.country == "JP" else None)
        if code is None or match_key(resolver.japan.by_code[code].label) not in homonyms:
            continue
        written = split_prefecture(clean(r.mention.name))[0] or r.mention.prefecture
        evidence = written or r.method == "decision" or any(rule.startswith(("homonym", "location-in-brackets"))
                                                             for rule in r.rules)
        assert evidence, (r.source, r.line, r.mention.name)

"""Tests for the Gunma list parser: the real file, then one small input per rule."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mapping.ingest import read_lines, uncovered_lines
from mapping.manifest import load_manifest
from mapping.parsers import PARSERS
from mapping.parsers.gunma import parse
from mapping.records import Mention, PartnershipRecord

MANIFEST = Path(__file__).resolve().parents[2] / "data" / "sources" / "manifest.toml"
HEADINGS = {
    "domestic": "(1) 姉妹都市・友好都市等提携(国内)",
    "disaster": "(2)災害・防災等に関する提携",
    "international": "(3) 姉妹都市等提携(国外)",
}


@pytest.fixture(scope="module")
def real():
    """The vendored file decoded as ingestion does, and what the parser makes of it."""
    source = next(s for s in load_manifest(MANIFEST, frozenset(PARSERS)) if s.id == "gunma-2021")
    text = read_lines(source, MANIFEST.parent)
    assert text.problems == []
    return text.lines, parse(text.lines, source.id)


def run(section: str, *rows: str):
    """Parse a few rows under one section heading (heading is line 1, rows from line 2)."""
    return parse([HEADINGS[section], *rows], "t")


def names(record: PartnershipRecord) -> list[str]:
    return [p.name for p in record.parties]


def find(result, line: int, partner: str) -> PartnershipRecord:
    """The one record of ``line`` whose parties include ``partner``."""
    [record] = [r for r in result.records if r.provenance.lines == (line,) and partner in names(r)]
    return record


# --- the real file -------------------------------------------------------------------------


def test_real_file_counts(real):
    lines, result = real
    assert Counter(r.section for r in result.records) == {"domestic": 55, "disaster": 127, "international": 45}
    multilateral = Counter(r.section for r in result.records if len(r.parties) > 2)
    assert multilateral == {"domestic": 2, "disaster": 34, "international": 1}
    assert [(p.lines, p.reason) for p in result.problems] == [((21,), "no partner listed for 榛東村")]


def test_real_file_every_line_is_accounted_for(real):
    lines, result = real
    assert uncovered_lines(lines, result) == []
    assert result.structural == {
        3: "title", 5: "as-of", 7: "section", 9: "header",
        37: "section", 39: "header", 81: "section", 83: "header",
    }


def test_real_file_records_are_well_formed(real):
    _, result = real
    for record in result.records:
        assert record.parties[0] == Mention(record.parties[0].name, prefecture="群馬県")
        assert len(record.parties) >= 2
        assert record.provenance.raw and record.provenance.raw in Path(MANIFEST.parent / "gunma-2021.txt").read_text()
        assert all(p.foreign for p in record.parties[1:]) == (record.section == "international")


@pytest.mark.parametrize(
    ("line", "partner", "prefecture", "iso", "wording"),
    [
        (10, "萩市", "山口県", "2002-12-18", "友好都市提携"),
        (13, "長岡市寺泊地域", "新潟県", "1986-11-15", "友好親善都市提携"),  # no separator after the prefecture
        (25, "いすみ市", "千葉県", None, "友好都市"),  # no date
        (32, "川口市", "埼玉県", None, "「水上少年自然の家」"),  # no date, a facility
        (35, "掛川市", "静岡県", "2019-02-12", "特産品による健康増進と交流に関する協定"),  # date・wording
        (44, "所沢市", "埼玉県", "1997-04-18", "大規模災害の相互援助に関する協定"),  # date before prefecture
        (61, "日光市", "栃木県", "2008-04-01", "災害時における片品村と日光市との相互応援に関する協定"),  # date、wording
        (61, "南相馬市", "福島県", "2013-08-28", "災害時相互援助に関する協定"),  # space-separated item
        (42, "大田区", "東京都", "2018-03-06", "災害時における相互援助に関する協定"),  # 平成30.3.6
        (53, "前橋市", None, "1997-03-28", "災害時における相互援助に関する協定"),  # no prefecture
    ],
)
def test_real_file_bilateral_records(real, line, partner, prefecture, iso, wording):
    _, result = real
    record = find(result, line, partner)
    assert len(record.parties) == 2
    assert record.parties[1] == Mention(partner, prefecture=prefecture)
    assert (record.date.iso if record.date else None, record.wording) == (iso, wording)


@pytest.mark.parametrize(
    ("line", "reporter"),
    [(22, "吉岡町"), (50, "安中市"), (51, "みどり市"), (52, "榛東村"), (53, "吉岡町"), (94, "安中市"), (58, "嬭恋村")],
)
def test_real_file_shifted_and_merged_columns(real, line, reporter):
    _, result = real
    records = [r for r in result.records if r.provenance.lines == (line,)]
    assert records and {r.parties[0].name for r in records} == {reporter}


def test_real_file_typos_are_kept(real):
    _, result = real
    mentioned = {p.name for r in result.records for p in r.parties}
    assert {"本巢市", "蒲都市", "橘川市", "嬭恋村", "龍ヶ崎町", "大綱白里市", "大網白里市"} <= mentioned


def test_real_file_several_prefectures_in_order(real):
    _, result = real
    record = find(result, 11, "斑鳩町")
    assert [(p.name, p.prefecture) for p in record.parties[1:]] == [
        ("姫路市", "兵庫県"), ("朝来市", "兵庫県"), ("小田原市", "神奈川県"), ("斑鳩町", "奈良県"),
    ]
    assert record.provenance.raw == "姫路市・朝来市・小田原市・斑鳩町(兵庫県・兵庫県・神奈川県・奈良県・H29.7.22 法隆寺ゆかりの都市文化交流協定)"
    assert record.wording == "法隆寺ゆかりの都市文化交流協定"


def test_real_file_one_prefecture_for_several_names(real):
    _, result = real
    record = find(result, 43, "深谷市")
    assert [(p.name, p.prefecture) for p in record.parties] == [("伊勢崎市", "群馬県"), ("本庄市", "埼玉県"), ("深谷市", "埼玉県")]


def test_real_file_several_events_in_one_parenthesis(real):
    _, result = real
    records = [r for r in result.records if r.provenance.lines == (23,)]
    assert [(r.date.iso, r.wording) for r in records] == [
        ("1986-04-12", "自然休暇村事業協定締結"),
        ("1988-04-27", "「甘楽ふるさと館」(北区宿泊施設・甘楽町農林漁業体験実習館)"),
        ("1997-04-19", "友好都市交流協定"),
    ]
    assert {r.parties for r in records} == {(Mention("甘楽町", "群馬県"), Mention("北区", "東京都"))}


def test_real_file_extra_dates_and_remarks(real):
    _, result = real
    kyotei = find(result, 42, "伊丹市")
    assert len(kyotei.parties) == 17 and kyotei.parties[-1] == Mention("坂井市")
    assert kyotei.summary == "競艇事業関係自治体16市; H9.4.1施行"
    assert (kyotei.date.iso, kyotei.wording, [d.iso for d in kyotei.other_dates]) == (
        "1997-03-27", "大規模災害時の相互援助に関する協定", ["1997-04-01"],
    )
    midori = find(result, 42, "みどり市")
    assert (midori.wording, midori.summary, [d.iso for d in midori.other_dates]) == (
        "災害時における相互援助に関する協定", "R3.3.23再結成", ["2021-03-23"],
    )
    suginami = find(result, 28, "杉並区")
    assert (suginami.wording, suginami.summary) == ("友好都市提携", "杉並区民営化宿泊施設「コニファーいわびつ」")


def test_real_file_cell_prefix_wording(real):
    _, result = real
    records = [r for r in result.records if r.provenance.lines == (17,)]
    assert [(names(r), r.parties[1].prefecture, r.wording, r.date) for r in records] == [
        (["渋川市", "逗子市"], "神奈川県", "地域間交流", None),
        (["渋川市", "世田谷区"], "東京都", "地域間交流", None),
    ]


def test_real_file_groups_split_by_prefecture_are_merged(real):
    _, result = real
    record = find(result, 47, "加茂市")
    assert record.date.iso == "2006-10-14" and record.wording == "災害時相互援助協定"
    assert len(record.parties) == 21
    assert (record.parties[1], record.parties[7], record.parties[-1]) == (
        Mention("新潟市", "新潟県"), Mention("足利市", "栃木県"), Mention("みなかみ町", "群馬県"),
    )
    assert record.provenance.raw.startswith("新潟市・加茂市") and record.provenance.raw.endswith("みなかみ町(群馬県・H18.10.14 災害時相互援助協定)")
    later = find(result, 47, "板橋区")
    assert len(later.parties) == 13 and later.date.iso == "2008-08-27"
    # Same date but the first group has no prefecture: two agreements, not one.
    assert len(find(result, 51, "桐生市").parties) == 2 and len(find(result, 51, "高島町").parties) == 2


def test_real_file_common_rows(real):
    _, result = real
    water = [r for r in result.records if r.provenance.lines == (73,)]
    assert len(water) == 1
    [record] = water
    assert names(record) == ["桐生市", "太田市", "館林市", "板倉町", "明和町", "千代田町", "大泉町", "足利市", "佐野市", "群馬東部水道企業団"]
    assert all(p.prefecture == "群馬県" for p in record.parties[:7]) and record.parties[7].prefecture is None
    assert record.provenance.raw == "足利市、佐野市、桐生市、群馬東部水道企業団(H28.4.1 水道災害相互応援に関する協定)"
    assert (record.date.iso, record.wording, record.summary) == ("2016-04-01", "水道災害相互応援に関する協定", "4市5町共通")
    five = find(result, 71, "新潟市")
    assert len(five.parties) == 19 and five.wording == "北関東・新潟地域連携推進協議会 災害時における相互応援に関する要綱"
    eight = find(result, 77, "下仁田町")
    assert len(eight.parties) == 8 and eight.parties[0].name == "榛東村"


@pytest.mark.parametrize(
    ("line", "partner", "country", "region", "iso", "wording"),
    [
        (84, "オルビエート市", "イタリア共和国ウンブリア州", None, "1997-12-12", "友好都市提携"),
        (91, "ローガン市", "オーストラリア連邦", "クイーンズランド州", "1996-04-17", "友好都市提携"),
        (91, "社頭郷", "台湾", "彰化県", "2014-11-07", "友好協力協定"),
        (93, "プール・ド・ペアーシュ市", "フランス", "オーヴェルニュ・ローヌ・アルプ州", "2015-11-04", "友好都市提携"),
        (97, "ピーティヒハイム・ピッシンゲン市", "ドイツ連邦共和国バーデン・ヴェルテンベルグ州", None, "1962-10-11", "姉妹都市提携"),
        (98, "埔心郷", "台湾", None, "2018-11-08", "友好都市"),
        (100, "台湾台南市", None, None, "2013-12-13", "友好都市提携"),
        (101, "エレンズバーグ市", "アメリカ合衆国ワシントン州", None, None, "国際交流都市相互交流"),
        (95, "ハルビン市教育局", "中華人民共和国黒龍江省", None, "1991-08-29", "H1~3両市町視察を経てH3.8.29覚書により友好交流開始"),
    ],
)
def test_real_file_foreign_records(real, line, partner, country, region, iso, wording):
    _, result = real
    record = find(result, line, partner)
    assert record.parties[1] == Mention(partner, country=country, region=region, foreign=True)
    assert (record.date.iso if record.date else None, record.wording) == (iso, wording)


def test_real_file_foreign_grouping_and_two_events(real):
    _, result = real
    lafayette = find(result, 88, "ティピカヌー郡")
    assert names(lafayette) == ["太田市", "ラファイエット市", "西ラファイエット市", "ティピカヌー郡"]
    assert {p.country for p in lafayette.parties[1:]} == {"アメリカ合衆国インディアナ州"}
    assert (lafayette.summary, lafayette.date.iso, lafayette.wording) == ("グレイターラファイエット", "1993-10-07", "提携")
    regina = [r for r in result.records if "リジャイナ市" in names(r)]
    assert [(r.date.iso, r.date.precision, r.wording) for r in regina] == [
        ("1991", "year", "交流都市/中学生交流事業"), ("2019-08-03", "day", "フレンドシップ協定"),
    ]
    assert regina[0].parties[1] == Mention("リジャイナ市", country="カナダ", region="サスカチュワン州", foreign=True)


# --- small inputs, one rule each ------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        "市\t前橋市\t萩市(山口県・H14.12.18 友好都市提携)",
        "前橋市\t\t萩市(山口県・H14.12.18 友好都市提携)",
        "前橋市\t萩市(山口県・H14.12.18 友好都市提携)\t",
        "北群馬郡\t前橋市 萩市(山口県・H14.12.18 友好都市提携)\t",
        "\t前橋市\t萩市(山口県H14.12.18友好都市提携)",
        "\t前橋市\t萩市(H14.12.18 山口県・友好都市提携)",
    ],
)
def test_row_shapes(row):
    result = run("domestic", row)
    assert result.problems == []
    [record] = result.records
    assert record.parties == (Mention("前橋市", "群馬県"), Mention("萩市", "山口県"))
    assert (record.date.iso, record.date.text, record.wording, record.section) == ("2002-12-18", "H14.12.18", "友好都市提携", "domestic")
    assert record.provenance.lines == (2,) and record.provenance.raw.startswith("萩市(")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("A市(B県・H1.4.1 協定)、C町(D県・H2.5.1 協定)", [["A市"], ["C町"]]),
        ("A市(B県・H1.4.1 協定) C町(D県・H2.5.1 協定)", [["A市"], ["C町"]]),
        ("A市・C町(B県・H1.4.1 協定(H3.1.1改定))", [["A市", "C町"]]),
        ("X会【A市・C町】(H1.4.1 協定)", [["A市", "C町"]]),
    ],
)
def test_partner_items(cell, expected):
    result = run("disaster", f"\t前橋市\t{cell}")
    assert result.problems == []
    assert [names(r)[1:] for r in result.records] == expected


def test_label_list_keeps_label_in_summary():
    [record] = run("disaster", "\t前橋市\tX会16市【A市・C町】(H1.4.1 協定)").records
    assert record.summary == "X会16市" and record.parties[1] == Mention("A市")


def test_several_events_and_other_dates():
    result = run("domestic", "\t甘楽町\t北区(東京都・S61.4.12 協定締結・H9.4.19 交流協定 H9.5.1施行)")
    assert [(r.date.iso, r.wording, r.summary, [d.iso for d in r.other_dates]) for r in result.records] == [
        ("1986-04-12", "協定締結", None, []),
        ("1997-04-19", "交流協定", "H9.5.1施行", ["1997-05-01"]),
    ]


@pytest.mark.parametrize(
    ("cell", "merged"),
    [
        ("A市・B市(新潟県・H18.10.14 協定)、C市(栃木県・H18.10.14 協定)", [["A市", "B市", "C市"]]),
        ("A市(新潟県・H18.10.14 協定)、C市(栃木県・H18.10.15 協定)", [["A市"], ["C市"]]),  # other date
        ("A市(新潟県・H18.10.14 協定)、C市(栃木県・H18.10.14 覚書)", [["A市"], ["C市"]]),  # other wording
        ("A市(H18.10.14 協定)、C市(栃木県・H18.10.14 協定)", [["A市"], ["C市"]]),  # no prefecture
        ("A市(新潟県・H18.10.14 協定)、C市(新潟県・H18.10.14 協定)", [["A市"], ["C市"]]),  # same prefecture
    ],
)
def test_merge_of_groups_split_by_prefecture(cell, merged):
    result = run("disaster", f"\t渋川市\t{cell}")
    assert [names(r)[1:] for r in result.records] == merged
    if len(merged) == 1:
        assert result.records[0].provenance.raw == cell
        assert [p.prefecture for p in result.records[0].parties] == ["群馬県", "新潟県", "新潟県", "栃木県"]


def test_prefix_wording():
    result = run("domestic", "\t渋川市\t地域間交流 逗子市(神奈川県)、世田谷区(東京都)")
    assert [(names(r), r.wording, r.date) for r in result.records] == [
        (["渋川市", "逗子市"], "地域間交流", None), (["渋川市", "世田谷区"], "地域間交流", None),
    ]


def test_common_row_deduplicates_members():
    result = run("disaster", "2町共通\t千代田町 大泉町\t千代田町・熊谷市、大泉町(H31.3.25 協定)")
    [record] = result.records
    assert record.parties == (Mention("千代田町", "群馬県"), Mention("大泉町", "群馬県"), Mention("熊谷市"))
    assert record.provenance.raw == "千代田町・熊谷市、大泉町(H31.3.25 協定)" and record.summary == "2町共通"


@pytest.mark.parametrize(
    ("cell", "partners", "iso", "wording"),
    [
        ("A市(カナダ・B州・H17.12.16姉妹都市提携)", [("A市", "カナダ", "B州")], "2005-12-16", "姉妹都市提携"),
        ("A市(イタリア共和国B州・H9.12.12友好都市提携)", [("A市", "イタリア共和国B州", None)], "1997-12-12", "友好都市提携"),
        ("台湾A市(H25.12.13友好都市提携)", [("台湾A市", None, None)], "2013-12-13", "友好都市提携"),
        ("スノーイ・リバー町(オーストラリア・C州・H3.7.10提携)", [("スノーイ・リバー町", "オーストラリア", "C州")], "1991-07-10", "提携"),
        ("G(A市、B市・アメリカ合衆国C州・H5.10.7提携)", [("A市", "アメリカ合衆国C州", None), ("B市", "アメリカ合衆国C州", None)], "1993-10-07", "提携"),
        ("A市(アメリカ合衆国B州・国際交流)", [("A市", "アメリカ合衆国B州", None)], None, "国際交流"),
    ],
)
def test_foreign_partners(cell, partners, iso, wording):
    [record] = run("international", f"\t前橋市\t{cell}").records
    assert [(p.name, p.country, p.region, p.foreign) for p in record.parties[1:]] == [(*p, True) for p in partners]
    assert (record.date.iso if record.date else None, record.wording) == (iso, wording)


def test_foreign_wording_then_date_pairs():
    records = run("international", "\t藤岡市\tA市(カナダ・B州・交流事業、H3~/協定、R1.8.3)").records
    assert [(r.date.iso, r.wording) for r in records] == [("1991", "交流事業"), ("2019-08-03", "協定")]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("市\t(山口県・H14.12.18 友好都市提携)", "no reporting municipality"),
        ("\t北群馬郡\t榛東村", "no partner listed for 榛東村"),
        ("市", "no municipality after 市"),
        ("3市共通\t高崎市 藤岡市", "row needs its members and a partner cell"),
    ],
)
def test_bad_rows_become_problems(row, reason):
    result = parse([HEADINGS["domestic"], "市\t前橋市\t萩市(山口県・H14.12.18 友好都市提携)", row], "t")
    assert len(result.records) == 1
    [problem] = result.problems
    assert problem.lines == (3,) and problem.source == "t" and reason in problem.reason
    assert uncovered_lines(["x", "x", row], result) == []


@pytest.mark.parametrize(
    ("fragment", "reason"),
    [
        ("(H9.1.1 協定)", "no partner name"),
        ("萩市(山口県・H14.12.18 協定)余分", "text after the closing parenthesis"),
        ("A市・B市・C市(兵庫県・奈良県・H1.1.1 協定)", "3 names but 2 prefectures"),
        ("A市・・B市(H1.1.1 協定)", "empty name"),
        ("萩市】(H1.1.1 協定)", "closing bracket without an opening one"),
    ],
)
def test_bad_fragment_keeps_the_other_fragments(fragment, reason):
    result = run("disaster", f"\t前橋市\t金沢市(石川県・H20.2.6 協定)、{fragment}、羽咋市(石川県・S61.3.3 提携)")
    assert [names(r)[1] for r in result.records] == ["金沢市", "羽咋市"]
    [problem] = result.problems
    assert (problem.lines, problem.raw) == ((2,), fragment) and reason in problem.reason


def test_unbalanced_parenthesis_is_a_problem():
    result = run("disaster", "\t前橋市\t萩市(山口県・H14.12.18 協定", "\t高崎市\t金沢市(石川県・H20.2.6 協定)")
    assert [names(r) for r in result.records] == [["高崎市", "金沢市"]]
    [problem] = result.problems
    assert problem.lines == (2,) and "unbalanced" in problem.reason


def test_lines_outside_sections_and_unknown_headings():
    lines = ["姉妹都市等提携状況一覧表", "令和3年6月1日現在", "\t前橋市\t萩市(山口県・H14.12.18 協定)", "前橋市 萩市", "(9) その他", ""]
    result = parse(lines, "t")
    assert result.records == []
    assert result.structural == {1: "title", 2: "as-of"}
    assert [(p.lines, p.reason) for p in result.problems] == [
        ((3,), "row before any section heading"),
        ((4,), "row before any section heading"),
        ((5,), "section heading not recognised"),
    ]
    assert uncovered_lines(lines, result) == []


def test_never_raises_on_odd_text():
    lines = [HEADINGS["international"], "\t前橋市\t()、(、)、【】、・・・、A(、、・)、B(~)", "\t\t\t", "\x00\t\u3000"]
    result = parse(lines, "t")
    assert uncovered_lines(lines, result) == []
    assert [names(r)[1] for r in result.records] == ["B"]
    assert [p.lines for p in result.problems] == [(2,)] * 5 + [(4,)]

"""The taiwan-japan parser: the real file, then each rule on a small input."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapping.ingest import uncovered_lines
from mapping.parsers import taiwan_japan
from mapping.records import Mention
from tests.mapping.sources import source_lines

SOURCE_ID = "taiwan-japan"
HEADER = " 台灣地方政府 日本地方政府 合作型態 締結年月日"


@pytest.fixture(scope="module")
def real():
    lines = source_lines(SOURCE_ID)
    return lines, taiwan_japan.parse(lines, SOURCE_ID)


def row_numbered(result, number: int):
    return next(r for r in result.records if r.provenance.raw.split()[0] == str(number))


def taiwan(name: str) -> Mention:
    return Mention(name, country="台灣", foreign=True)


# --- the real file -------------------------------------------------------------


def test_real_file_counts(real):
    lines, result = real
    assert len(result.records) == 157
    assert [r.provenance.raw.split()[0] for r in result.records] == [str(n) for n in range(1, 158)]
    assert sum(len(r.parties) > 2 for r in result.records) == 7
    assert result.problems == []
    assert Counter(result.structural.values()) == {"header": 3, "region": 3, "footnote": 2}
    assert {n: k for n, k in result.structural.items() if k != "header"} == {
        257: "region", 335: "footnote", 336: "footnote", 338: "region", 340: "region"
    }


def test_real_file_every_line_is_accounted_for(real):
    lines, result = real
    assert uncovered_lines(lines, result) == []


def test_real_file_records_start_with_the_taiwan_party(real):
    for record in real[1].records:
        assert record.parties[0].foreign and record.parties[0].country == "台灣"
        assert all(not p.foreign for p in record.parties[1:])
        assert record.wording and record.date is not None


@pytest.mark.parametrize(
    ("number", "parties", "wording", "iso"),
    [
        (1, [taiwan("台北市"), Mention("神奈川縣橫濱市", prefecture="神奈川縣")], "友好夥伴城市", "2006-05-22"),
        (4, [taiwan("台北市"), Mention("愛媛縣", prefecture="愛媛縣")], "友好交流協定", "2016-05-18"),
        (29, [taiwan("宜蘭縣三星鄉"), Mention("岐阜縣岐南町", prefecture="岐阜縣")], "友好交流備忘錄", "2016-10-01"),
        (81, [taiwan("彰化縣員林鄉"), Mention("群馬縣涉川市", prefecture="群馬縣")], "友好合作協定", "2015-04-16"),
        (95, [taiwan("台南市"), Mention("宮城縣仙台市", prefecture="宮城縣")], "友誼市", "2006-01-20"),
        (97, [taiwan("台南市"), Mention("群馬縣水上町", prefecture="群馬縣")], "友誼市", "2013-12-13"),
        (103, [taiwan("台南市"), Mention("京都市")], "推動交流協定書", "2021-06-30"),
        (15, [taiwan("新北市石門區"), Mention("福井縣美浜町", prefecture="福井縣")], "姊妹市", "1988-08-10"),
        (61, [taiwan("台中市"), Mention("長野縣", prefecture="長野縣"), Mention("駒根市", prefecture="長野縣")], "國際交流促進備忘錄", "2018-11-04"),
        (101, [taiwan("台南市"), Mention("青森縣", prefecture="青森縣"), Mention("弘前市", prefecture="青森縣")], "友誼市", "2017-12-04"),
        (123, [taiwan("高雄市"), Mention("熊本縣", prefecture="熊本縣"), Mention("熊本市", prefecture="熊本縣")], "共同友好城市", "2017-01-11"),
        (129, [taiwan("高雄市"), Mention("青森縣", prefecture="青森縣"), Mention("陸奧市", prefecture="青森縣")], "國際交流促進備忘錄", "2024-12-16"),
        (156, [taiwan("台東縣"), Mention("三重縣伊賀市", prefecture="三重縣"), Mention("志摩市", prefecture="三重縣")], "合作交流備忘錄", "2016-01-21"),
    ],
)
def test_real_file_rows(real, number, parties, wording, iso):
    record = row_numbered(real[1], number)
    assert list(record.parties) == parties
    assert record.wording == wording
    assert record.date.iso == iso and record.date.precision == "day"
    assert record.summary is None


def test_real_file_row_8_spans_lines_17_to_25(real):
    record = row_numbered(real[1], 8)
    assert record.provenance.lines == tuple(range(17, 26))
    assert record.parties == (
        taiwan("台北市"),
        Mention("鳥取縣米子市", prefecture="鳥取縣"),
        Mention("境港市", prefecture="鳥取縣"),
        Mention("島根縣松江市", prefecture="島根縣"),
        Mention("出雲市", prefecture="島根縣"),
        Mention("安來市", prefecture="島根縣"),
    )
    assert record.summary == "中海・宍道湖・大山圈域市長會"
    assert record.wording == "交流促進備忘錄"
    assert record.date.iso == "2022-10-20"


def test_real_file_row_111_spans_lines_231_to_235(real):
    record = row_numbered(real[1], 111)
    assert record.provenance.lines == tuple(range(231, 236))
    assert [(p.name, p.prefecture) for p in record.parties[1:]] == [
        ("熊本縣宇土市", "熊本縣"), ("宇城市", "熊本縣"), ("美里町", "熊本縣")
    ]
    assert record.summary == "宇城地域"
    assert (record.wording, record.date.iso) == ("友好交流協定書", "2025-03-13")


# --- each rule on its own ------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "taiwan_name", "japanese"),
    [
        ("1 台北市 神奈川縣橫濱市 姊妹市 2006年5月22日", "台北市", [("神奈川縣橫濱市", "神奈川縣")]),
        (" 81 彰化縣員林鄉 群馬縣涉川市 友好合作協定 2015年4月16日", "彰化縣員林鄉", [("群馬縣涉川市", "群馬縣")]),
        ("29 \u00a0宜蘭縣三星鄉 岐阜縣岐南町 友好交流備忘錄 2016年10月1日", "宜蘭縣三星鄉", [("岐阜縣岐南町", "岐阜縣")]),
        ("1 台南市 京都市 協定書 2021年6月30日", "台南市", [("京都市", None)]),
        ("1 高雄市 熊本縣・熊本市 共同友好城市 2017年1月11日", "高雄市", [("熊本縣", "熊本縣"), ("熊本市", "熊本縣")]),
        ("1 台東縣 三重縣伊賀市・志摩市 備忘錄 2016年1月21日", "台東縣", [("三重縣伊賀市", "三重縣"), ("志摩市", "三重縣")]),
    ],
)
def test_single_line_rows(line, taiwan_name, japanese):
    [record] = taiwan_japan.parse([line], "t").records
    assert record.parties[0] == taiwan(taiwan_name)
    assert [(p.name, p.prefecture) for p in record.parties[1:]] == japanese


def test_wrapped_japanese_cell_joins_without_spaces():
    lines = ["1 台南市", "", "甲地域（熊本縣宇土", "市、宇城市）", "", "協定書 2025年3月13日", "2 台南市 京都市 協定書 2021年6月30日"]
    result = taiwan_japan.parse(lines, "t")
    first, second = result.records
    assert first.provenance.lines == (1, 2, 3, 4, 5, 6)
    assert first.provenance.raw == "\n".join(lines[:6])
    assert first.summary == "甲地域"
    assert [p.name for p in first.parties[1:]] == ["熊本縣宇土市", "宇城市"]
    assert second.provenance.lines == (7,)
    assert result.problems == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (HEADER, "header"),
        ("台灣地方政府 日本地方政府 合作型態 締結年月日", "header"),
        ("【南部】", "region"),
        ("【注意事項】\u3000本資料以本協會…", "footnote"),
    ],
)
def test_structural_lines(line, kind):
    result = taiwan_japan.parse([line], "t")
    assert result.structural == {1: kind}
    assert result.records == [] and result.problems == []


def test_footnote_continues_to_the_next_blank_line():
    lines = ["【注意事項】 本資料…", "及自治體官網等完成確認的範圍進行登載。", "", "迷子の行"]
    result = taiwan_japan.parse(lines, "t")
    assert result.structural == {1: "footnote", 2: "footnote"}
    assert [(p.lines, p.reason) for p in result.problems] == [((4,), "t:4: line is neither a row nor a heading")]


def test_region_headings_are_not_assigned_to_rows():
    result = taiwan_japan.parse(["【南部】", "1 高雄市 群馬縣 友好交流協定 2013年3月4日"], "t")
    assert all(p.region is None for p in result.records[0].parties)


# --- bad input -----------------------------------------------------------------


def test_row_with_too_many_cells_is_a_problem_and_others_are_kept():
    lines = ["1 台北市 愛媛縣 友好 交流 協定 2016年5月18日", "2 台北市 愛媛縣松山市 友好交流協定 2014年10月13日"]
    result = taiwan_japan.parse(lines, "t")
    assert [r.provenance.lines for r in result.records] == [(2,)]
    assert [(p.lines, p.raw, p.reason) for p in result.problems] == [
        ((1,), lines[0], "t:1: row 1: expected 5 space-separated cells, found 7")
    ]


def test_row_without_date_is_a_problem_and_others_are_kept():
    lines = ["1 台北市 愛媛縣 友好交流協定 2016年13月", "", "2 台北市 愛媛縣松山市 友好交流協定 2014年10月13日"]
    result = taiwan_japan.parse(lines, "t")
    assert [r.provenance.lines for r in result.records] == [(3,)]
    assert [(p.lines, p.reason) for p in result.problems] == [((1,), "t:1: row has no date at its end (incomplete row)")]
    assert uncovered_lines(lines, result) == []


def test_numbering_gap_and_repeat_are_reported():
    lines = [f"{n} 台北市 愛媛縣 友好交流協定 2016年5月18日" for n in (1, 2, 4, 4)]
    result = taiwan_japan.parse(lines, "t")
    assert len(result.records) == 4
    assert [p.reason for p in result.problems] == [
        "t:3: row number 4 follows 2: row 3 missing",
        "t:4: row number 4 repeated (first at line 3)",
    ]


@given(st.lists(st.one_of(st.just(HEADER), st.text(alphabet=" \u3000\xa00123456789年月日【】（）・、台灣縣市注意事項", max_size=30)), max_size=8))
def test_never_raises_and_accounts_for_every_line(lines):
    result = taiwan_japan.parse(lines, "t")
    assert uncovered_lines(lines, result) == []

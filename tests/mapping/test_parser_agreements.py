"""The agreements-2016 parser: the real file, then each rule on a small input."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapping.ingest import uncovered_lines
from mapping.parsers import agreements
from tests.mapping.sources import at, source_lines

SOURCE_ID = "agreements-2016"
HEADER = "自治体名\t協定名\t協定締結先(国・地域名/都市名)\t分野\t概要(骨子、締結年等)\tURL"


@pytest.fixture(scope="module")
def real():
    lines = source_lines(SOURCE_ID)
    return lines, agreements.parse(lines, SOURCE_ID)


def row(*cells: str) -> str:
    return "\t".join(cells)


def parse_rows(*rows: str):
    return agreements.parse([HEADER, *rows], "t")


def partners(record):
    return [(p.name, p.country) for p in record.parties if p.foreign]


def japanese(record):
    return [p.name for p in record.parties if not p.foreign]


# --- the real file -------------------------------------------------------------


def test_real_file_counts(real):
    lines, result = real
    assert len(result.records) == 174
    assert sum(len(r.parties) > 2 for r in result.records) == 10
    assert result.problems == []
    assert Counter(result.structural.values()) == {"title": 15, "as-of": 15, "header": 15}


def test_real_file_every_line_is_accounted_for(real):
    lines, result = real
    assert uncovered_lines(lines, result) == []


def test_real_file_every_partner_is_foreign_and_every_record_has_both_sides(real):
    _, result = real
    for record in result.records:
        assert not record.parties[0].foreign
        assert record.parties[-1].foreign
        assert all(p.prefecture is None for p in record.parties)


@pytest.mark.parametrize(
    ("line", "names", "partner_list"),
    [
        (8, ["北海道"], [("釜山広域市", "韓国")]),
        (34, ["秋田県"], [("吉林省 延辺朝鮮族自治州", "中国")]),
        (48, ["山形県庄内町"], [("濰坊市寒亭区", "中華人民共和国")]),
        (51, ["茨城県行方市"], [("亜州大学", "韓国")]),
        (66, ["神奈川県", "山梨県", "静岡県"], [("上海市", "中国")]),
        (265, ["熊本県", "熊本県熊本市"], [("高雄市", "台湾")]),
        (158, ["大阪府"], [("ホーチミン市", "ベトナム")]),
        (160, ["大阪府"], [("大連市", "中国")]),
        (159, ["大阪府"], [("釜山", None)]),
        (29, ["仙台市"], [("タイ国政府観光庁", None)]),
        (183, ["和歌山県"], [("農業農村開発省", "ベトナム社会主義共和国")]),
        (181, ["和歌山県"], [("香港貿易発展局", "香港")]),
        (67, ["神奈川県"], [("ベトナム", "ベトナム")]),
        (101, ["静岡県"], [("高雄市", "台湾"), ("台北縣", "台湾"), ("高雄縣", "台湾"), ("嘉義市", "台湾")]),
        (124, ["名古屋市"], [("世界85カ国、1,000以上の自治体 (2014年4月現在)", None)]),
        (262, ["長崎県"], [("湖北省3館(武昌起義記念館、辛亥革命博物館、武漢市中山艦博物館)", "中国")]),
        (
            71,
            ["神奈川県"],
            [(n, "シンガポール") for n in ("シンガポール科学技術研究庁", "シンガポール国立大学", "シンガポール国立大学保健機構")],
        ),
    ],
)
def test_real_file_parties(real, line, names, partner_list):
    record = at(real[1], line)
    assert japanese(record) == names
    assert partners(record) == partner_list


def test_real_file_partners_in_several_countries(real):
    record = at(real[1], 175)
    assert partners(record)[:4] == [("香港", "中国"), ("シンガポール", "シンガポール"), ("バンコク", "タイ"), ("クアラルンプール", "マレーシア")]
    assert partners(record)[-1] == ("オークランド", "ニュージーランド")
    assert len(record.parties) == 14


@pytest.mark.parametrize(
    ("line", "iso", "precision", "others"),
    [
        (8, "2005-12", "month", []),
        (9, "2006-06", "month", ["2005"]),
        (10, "2010-10", "month", ["2010"]),  # 同年10月 after 2010年
        (11, "2016-01", "month", ["2012-04", "2013-07", "2013"]),
        (13, "2008", "year", []),
        (16, "2004", "year", []),
        (29, "2006-08-31", "day", ["2009-10-27", "2012-01-27"]),
        (31, "2005", "year", ["2014-03", "2015-03"]),
        (104, "2010-08-28", "day", []),
        (140, "2005-11-02", "day", ["2005-11-04"]),
        (158, "1995-06-13", "day", []),
        (168, "2008", "year", []),
        (181, "2013-07-05", "day", []),
        (194, "2011", "year", ["2011-06"]),
        (214, "2014-04", "month", ["2013-05"]),
        (235, "2007-05-03", "day", ["1996-08-28", "2006-03-01", "2003-02-12"]),
        (252, "2002-07", "month", ["1985-05-21"]),
        (253, "2000-11", "month", ["2000-04"]),
        (19, None, None, []),
    ],
)
def test_real_file_dates(real, line, iso, precision, others):
    record = at(real[1], line)
    assert (record.date.iso if record.date else None) == iso
    assert (record.date.precision if record.date else None) == precision
    assert [d.iso for d in record.other_dates] == others


def test_real_file_dates_keep_their_text(real):
    assert at(real[1], 252).date.text == "平成14年7月"
    assert at(real[1], 158).date.text == "1995.6.13"


def test_real_file_cells_verbatim(real):
    record = at(real[1], 72)
    assert record.title == record.wording == "「横浜・北京 都市間交流覚書」"
    assert record.field == "経済、観光、スポーツ、文化等"
    assert record.summary == "[2006年5月17日提携]"
    assert record.url == "http://www.city.yokohama.lg.jp/kokusai/exchange/"
    empty = at(real[1], 140)
    assert empty.title is None and empty.wording is None and empty.url is None
    assert at(real[1], 146).field is None
    assert at(real[1], 93).url is None  # 無し
    assert at(real[1], 193).url is None  # -


# --- each rule on its own ------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("北海道", ["北海道"]),
        ("山形県庄内町", ["山形県庄内町"]),
        ("神奈川県・山梨県・静岡県", ["神奈川県", "山梨県", "静岡県"]),
        ("熊本県 熊本県熊本市", ["熊本県", "熊本県熊本市"]),
    ],
)
def test_japanese_parties(cell, expected):
    record = parse_rows(row(cell, "覚書", "韓国/釜山広域市", "", "", "")).records[0]
    assert japanese(record) == expected
    assert all(p.prefecture is None and not p.foreign for p in record.parties[: len(expected)])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("韓国/釜山広域市", [("釜山広域市", "韓国")]),
        ("中国/吉林省 延辺朝鮮族自治州", [("吉林省 延辺朝鮮族自治州", "中国")]),
        ("韓国/ 社団法人韓国陶磁文化協会", [("社団法人韓国陶磁文化協会", "韓国")]),
        ("ベトナム ホーチミン市", [("ホーチミン市", "ベトナム")]),
        ("釜山", [("釜山", None)]),
        ("タイ国政府観光庁", [("タイ国政府観光庁", None)]),
        ("香港(香港貿易発展局)", [("香港貿易発展局", "香港")]),
        ("フィリピン", [("フィリピン", "フィリピン")]),
        ("台湾/高雄市、台北縣", [("高雄市", "台湾"), ("台北縣", "台湾")]),
        ("中国/香港、シンガポール、タイ/バンコク", [("香港", "中国"), ("シンガポール", "シンガポール"), ("バンコク", "タイ")]),
        ("A大学、B市", [("A大学", None), ("B市", None)]),
        ("世界85カ国、1,000以上の自治体", [("世界85カ国、1,000以上の自治体", None)]),
        ("中国/湖北省3館(A館、B館)", [("湖北省3館(A館、B館)", "中国")]),
    ],
)
def test_partner_cell(cell, expected):
    record = parse_rows(row("札幌市", "覚書", cell, "", "", "")).records[0]
    assert partners(record) == expected
    assert all(p.foreign and p.region is None for p in record.parties[1:])


@pytest.mark.parametrize(
    ("summary", "iso", "others"),
    [
        ("相互協力[2008年]", "2008", []),
        ("[2004年締結]", "2004", []),
        ("2013年7月5日", "2013-07-05", []),
        ("1995.6.13", "1995-06-13", []),
        ("昭和60年5月21日", "1985-05-21", []),
        ("・2010年8月28日締結 ・観光", "2010-08-28", []),
        # a date closely followed by a concluding word beats the first date
        ("2005年に開業し、2006年6月に交流趣意書に調印した", "2006-06", ["2005"]),
        # the closest of several concluding words wins
        ("平成18年8月31日締結、平成21年10月27日協定締結期間延長のため再度締結", "2006-08-31", ["2009-10-27"]),
        # a bracketed date beats a plain one when no concluding word is near
        ("2010年に交流開始 [2012年7月]", "2012-07", ["2010"]),
        # a label in front of the date counts as a concluding word
        ("1996年に交流開始。[調印日 2007年5月3日]", "2007-05-03", ["1996"]),
        ("締結年:2008年", "2008", []),
        # 同年N月 takes the year of the date before it
        ("2010年に相互訪問を行い、同年10月に協定書を締結した。", "2010-10", ["2010"]),
        ("[2005年11月2日、2005年11月4日]", "2005-11-02", ["2005-11-04"]),
        ("日付のない概要", None, []),
    ],
)
def test_agreement_date(summary, iso, others):
    date, other_dates = agreements.agreement_date(summary)
    assert (date.iso if date else None) == iso
    assert [d.iso for d in other_dates] == others


def test_date_in_the_sentence_quoting_the_agreement_name():
    summary = "昭和60年5月21日に、「試験場協議書」を調印した。 平成14年7月に、範囲を拡大し、「水産部と漁業局との交流協議書」の調印を行い"
    date, others = agreements.agreement_date(summary, "水産部と漁業局との交流協議書 現在は「庁」")
    assert date.iso == "2002-07"
    assert [d.iso for d in others] == ["1985-05-21"]


@pytest.mark.parametrize(("cell", "url"), [("", None), ("-", None), ("無し", None), ("http://x.jp/", "http://x.jp/")])
def test_url(cell, url):
    assert parse_rows(row("札幌市", "覚書", "韓国/釜山広域市", "", "", cell)).records[0].url == url


def test_structural_lines_repeat():
    lines = ["", "提携リスト", "平成28年9月現在 (地方自治体からの提供)", HEADER, row("札幌市", "覚書", "韓国/釜山広域市", "", "", ""),
             "提携リスト", "平成28年9月現在 (地方自治体からの提供)", HEADER]
    result = agreements.parse(lines, "t")
    assert result.structural == {2: "title", 3: "as-of", 4: "header", 6: "title", 7: "as-of", 8: "header"}
    assert len(result.records) == 1


# --- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (row("札幌市", "覚書", "韓国/釜山広域市", "経済"), "expected 6 tab-separated cells, found 4"),
        (row("", "覚書", "韓国/釜山広域市", "", "", ""), "empty 自治体名"),
        (row("札幌市", "覚書", "", "", "", ""), "empty 協定締結先"),
        ("迷子の行", "line without tab-separated cells"),
    ],
)
def test_bad_row_is_a_problem_naming_its_line(bad, reason):
    good = row("札幌市", "覚書", "韓国/釜山広域市", "", "[2008年]", "")
    result = parse_rows(good, bad, good)
    assert [r.provenance.lines for r in result.records] == [(2,), (4,)]
    [problem] = result.problems
    assert problem.lines == (3,)
    assert problem.raw == bad
    assert problem.reason == f"t:3: {reason}"
    assert uncovered_lines([HEADER, good, bad, good], result) == []


@given(st.lists(st.one_of(st.just(HEADER), st.text(alphabet="\t /、・()「」[]0123456789年月日締結同現在韓国/釜山", max_size=30)), max_size=8))
def test_never_raises_and_accounts_for_every_line(lines):
    result = agreements.parse(lines, "t")
    assert uncovered_lines(lines, result) == []

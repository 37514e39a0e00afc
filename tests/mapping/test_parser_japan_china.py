"""The japan-china-2024 parser: the real file, then each rule on a small input."""

from __future__ import annotations


import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapping.ingest import uncovered_lines
from mapping.parsers import japan_china
from mapping.records import Mention
from tests.mapping.sources import source_lines

SOURCE_ID = "japan-china-2024"
HEADER = "No.\t都道府県名\t自治体名\t州・省・県等\t提携自治体名\t提携年月日"
CHINA = "中華人民共和国"


@pytest.fixture(scope="module")
def real():
    lines = source_lines(SOURCE_ID)
    return lines, japan_china.parse(lines, SOURCE_ID)


def row_numbered(result, number: int):
    """The record of row ``number`` (its raw text starts with the number)."""
    return next(r for r in result.records if r.provenance.raw.split("\t")[0] == str(number))


def parse_rows(*rows: str):
    return japan_china.parse([HEADER, *rows], "t")


# --- the real file -------------------------------------------------------------


def test_real_file_counts(real):
    lines, result = real
    assert len(result.records) == 381
    assert [r.provenance.raw.split("\t")[0] for r in result.records] == [str(n) for n in range(1, 382)]
    assert sum(len(r.parties) > 2 for r in result.records) == 1
    assert result.problems == []
    assert sorted(n for n, kind in result.structural.items() if kind == "header") == [3, 57, 111, 165, 219, 273, 327, 381]
    assert result.structural[400] == "footnote"


def test_real_file_every_line_is_accounted_for(real):
    lines, result = real
    assert uncovered_lines(lines, result) == []


def test_real_file_every_record_is_japanese_then_chinese(real):
    for record in real[1].records:
        *japanese, partner = record.parties
        assert all(not p.foreign and p.prefecture for p in japanese)
        assert partner.foreign and partner.country == CHINA
        assert record.wording is None
        assert record.date is not None and record.date.precision == "day"


@pytest.mark.parametrize(
    ("number", "japanese", "partner", "iso"),
    [
        (1, [Mention("北海道", prefecture="北海道")], Mention("黒龍江省", country=CHINA, foreign=True), "1986-06-13"),
        (2, [Mention("札幌市", prefecture="北海道")], Mention("瀋陽市", country=CHINA, region="遼寧省", foreign=True), "1980-11-18"),
        (6, [Mention("帶広市", prefecture="北海道")], Mention("朝陽市", country=CHINA, region="遼寧省", foreign=True), "2000-11-17"),
        (194, [Mention("常滑市", prefecture="愛知県")], Mention("宜興市", country=CHINA, region="江蘇省無錫市", foreign=True), "2019-10-17"),
        (378, [Mention("那霸市", prefecture="沖縄県")], Mention("福州市", country=CHINA, region="福建省", foreign=True), "1981-05-20"),
        (
            162,
            [Mention(name, prefecture="山梨県") for name in ("南アルプス市", "甲斐市", "中央市", "昭和町")],
            Mention("都江堰市", country=CHINA, region="四川省", foreign=True),
            "2006-08-17",
        ),
        (
            366,
            [Mention("延岡市", prefecture="宮崎県")],
            Mention("大連金普州新区(現 大連金普新区)", country=CHINA, region="遼寧省", foreign=True),
            "2012-05-31",
        ),
    ],
)
def test_real_file_rows(real, number, japanese, partner, iso):
    record = row_numbered(real[1], number)
    assert list(record.parties) == [*japanese, partner]
    assert record.date.iso == iso
    assert record.date.text == record.provenance.raw.split("\t")[-1]


# --- each rule on its own ------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "japanese", "region"),
    [
        (("1", "北海道", "北海道", "", "黒龍江省", "1986/6/13"), [("北海道", "北海道")], None),
        (("1", "富山県", "氷見市", "浙江省寧波市", "寧海縣", "2020/10/14"), [("氷見市", "富山県")], "浙江省寧波市"),
        (("1", "山梨県", "甲斐市, 中央市", "四川省", "都江堰市", "2006/8/17"), [("甲斐市", "山梨県"), ("中央市", "山梨県")], "四川省"),
    ],
)
def test_row_cells(cells, japanese, region):
    [record] = parse_rows("\t".join(cells)).records
    assert [(p.name, p.prefecture) for p in record.parties[:-1]] == japanese
    assert record.parties[-1].region == region
    assert record.parties[-1].name == cells[4]


def test_header_and_footnote_are_structural():
    result = japan_china.parse(["", HEADER, "1\t北海道\t北海道\t\t黒龍江省\t1986/6/13", "", HEADER, "※2024年3月末現在"], "t")
    assert result.structural == {2: "header", 5: "header", 6: "footnote"}
    assert len(result.records) == 1


# --- bad input -----------------------------------------------------------------


GOOD_1 = "1\t北海道\t札幌市\t遼寧省\t瀋陽市\t1980/11/18"
GOOD_3 = "3\t北海道\t函館市\t\t天津市\t2001/10/18"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("2\t北海道\t旭川市\t黒龍江省\t1995/11/21", "expected 6 tab-separated cells, found 5"),
        ("二\t北海道\t旭川市\t黒龍江省\t哈爾濱市\t1995/11/21", "row number '二' is not a number"),
        ("2\t北海道\t\t黒龍江省\t哈爾濱市\t1995/11/21", "row 2: empty 自治体名"),
        ("2\t北海道\t旭川市\t黒龍江省\t\t1995/11/21", "row 2: empty 提携自治体名"),
    ],
)
def test_bad_row_is_a_problem_naming_its_line(bad, reason):
    result = parse_rows(GOOD_1, bad, GOOD_3)
    assert [r.provenance.lines for r in result.records] == [(2,), (4,)]
    assert [(p.lines, p.raw) for p in result.problems][0] == ((3,), bad)
    assert result.problems[0].reason == f"t:3: {reason}"
    assert uncovered_lines([HEADER, GOOD_1, bad, GOOD_3], result) == []


def test_bad_date_keeps_the_record_and_reports_it():
    result = parse_rows("1\t北海道\t札幌市\t遼寧省\t瀋陽市\t1980/13/45")
    assert result.records[0].date is None
    assert [p.reason for p in result.problems] == ["t:2: row 1: date '1980/13/45' not understood"]


@pytest.mark.parametrize(
    ("numbers", "reasons"),
    [
        ([1, 2, 3], []),
        ([1, 3], ["t:3: row number 3 follows 1: row 2 missing"]),
        ([1, 4], ["t:3: row number 4 follows 1: rows 2–3 missing"]),
        ([2, 3], ["t:2: row number 2 starts the numbering: row 1 missing"]),
        ([1, 2, 2, 3], ["t:4: row number 2 repeated (first at line 3)"]),
        ([1, 3, 2], ["t:3: row number 3 follows 1: row 2 missing", "t:4: row number 2 out of order (after 3)"]),
    ],
)
def test_numbering_is_checked(numbers, reasons):
    result = parse_rows(*(f"{n}\t北海道\t札幌市\t遼寧省\t瀋陽市\t1980/11/18" for n in numbers))
    assert [p.reason for p in result.problems] == reasons
    assert len(result.records) == len(numbers)  # rows are kept; only the numbering is reported


@given(st.lists(st.one_of(st.just(HEADER), st.text(alphabet="\t ,、0123456789/No.※北海道市省", max_size=30)), max_size=8))
def test_never_raises_and_accounts_for_every_line(lines):
    result = japan_china.parse(lines, "t")
    assert uncovered_lines(lines, result) == []

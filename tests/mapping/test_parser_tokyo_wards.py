"""Tests for the parser of the Tokyo special wards' project table (tokyo-wards-2026)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mapping.ingest import read_lines, uncovered_lines
from mapping.manifest import Source
from mapping.parsers.tokyo_wards import parse, split_partners, start_entries
from mapping.records import Mention, ProjectRecord

SOURCES = Path(__file__).resolve().parents[2] / "data" / "sources"
SOURCE = Source(
    id="tokyo-wards-2026",
    file="tokyo-wards-2026.txt",
    format="tokyo-wards-projects",
    title="各特別区と全国市町村等連携事業一覧",
    language="ja",
)
HEADER = "各特別区名\t連携カテゴリ\t事業名称等\t事業主体\t連携相手方\t事業内容\t事業開始年度"
SPACED_HEADER = "各特別 区名\t連携カテ ゴリ\t事業名称等\t事業 主体\t連携相手方\t事業内容\t事業開始 年度"


def row(*cells: str) -> str:
    """A 7-cell table line; missing trailing cells are empty."""
    return "\t".join([*cells, *[""] * (7 - len(cells))])


def partner_line(partner: str, start: str = "", description: str = "") -> str:
    return row("", "", "", "", partner, description, start)


def names(record: ProjectRecord) -> list[str]:
    return [partner.mention.name for partner in record.partners]


def years(record: ProjectRecord) -> list[int | None]:
    return [partner.start.year if partner.start else None for partner in record.partners]


# --- the real file -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source_lines() -> list[str]:
    text = read_lines(SOURCE, SOURCES)
    assert text.problems == []
    return text.lines


@pytest.fixture(scope="module")
def result(source_lines):
    return parse(source_lines, SOURCE.id)


@pytest.fixture(scope="module")
def by_line(result) -> dict[int, ProjectRecord]:
    """Each record under its first line."""
    return {record.provenance.first_line: record for record in result.records}


def test_real_file_every_line_is_accounted_for(source_lines, result):
    assert len(source_lines) == 1870  # 1,869 line ends, no line end after the last line
    assert uncovered_lines(source_lines, result) == []


def test_real_file_counts(result):
    records = result.records
    assert len(records) == 891
    assert all(isinstance(record, ProjectRecord) for record in records)
    # Line 1245 repeats line 1246 and adds nothing: its two partners are not counted.
    # Lists of governments without prefectures (lines 163, 937, 996, 1174) are 21 more partners.
    assert sum(len(record.partners) for record in records) == 3374
    # Line 1083 (北海道中川町) joins the forum of line 1086: 世田谷区's 包括協定 with 川崎市 keeps one partner.
    assert sum(len(record.partners) > 1 for record in records) == 287
    assert sum(partner.start is not None for record in records for partner in record.partners) == 202
    assert [record.provenance.first_line for record in records if not record.partners] == [437]


def test_real_file_projects_per_ward(result):
    wards = Counter(record.ward.name for record in result.records)
    assert len(wards) == 23
    assert wards["千代田区"] == 28
    assert wards["中央区"] == 12
    assert wards["港区"] == 90
    assert wards["台東区"] == 92
    assert wards["北区"] == 23
    assert wards["江戸川区"] == 43
    assert {record.ward.prefecture for record in result.records} == {"東京都"}


def test_real_file_structural_lines(result):
    assert result.structural[3] == "title"
    assert result.structural[5] == "as-of"
    assert Counter(result.structural.values()) == {"header": 76, "title": 1, "as-of": 1}
    assert result.structural[7] == result.structural[29] == result.structural[506] == "header"


def test_real_file_problems(result):
    assert [(problem.lines, problem.reason) for problem in result.problems] == [
        (
            (139,),
            "line 139: page header carries extra text '産業' (a cell of a row split by the page break);"
            " not attached to a project",
        ),
        ((1245,), "line 1245: repeats line 1246 (a PDF duplicate); not attached to a project"),
    ]
    assert 139 in result.structural


def test_real_file_chiyoda_partner_list_over_lines_37_to_63(by_line):
    record = by_line[37]  # line 37, the last of its page, opens the network's partner list
    assert record.ward == Mention("千代田区", prefecture="東京都")
    assert record.provenance.lines == (37, *range(40, 64))
    assert record.title == "ちよだ地方連携ネット ワーク"
    assert record.organizer == "株式会社ブ ラット フォーム サービス ちよだ地域 連携プロ ジェクト"
    assert record.start_text == "令和4年度"
    assert (record.start.year, record.start.fiscal) == (2022, True)
    assert len(record.partners) == 35
    assert [p.lines for p in record.partners[:11]] == [(37,)] * 11
    assert record.partners[2].mention.name == "長野県長野市（信州おやき協議会）"
    partners = record.partners[11:]  # the network's own row
    assert partners[0].mention == Mention("宮城県亘理町(亘理 町のいちご復興連携 協議会)")
    assert partners[8].mention.name == "岩手県 公益財団法人 釜石・大槌地域産 業育成センター"
    assert partners[10].mention.name == "(一社)日本わさび協 会"
    # Lines 57-63 hold only the first cell: partners pushed out of their column.
    assert [(partner.mention.name, partner.lines) for partner in partners[-2:]] == [
        ("長野県高森町", (62,)),
        ("静岡県伊豆市", (63,)),
    ]
    assert years(record) == [None] * 35


def test_real_file_chuo_per_partner_start_years(by_line):
    record = by_line[67]
    assert record.ward.name == "中央区"
    assert names(record) == ["山形県東根市", "岡山県玉野市", "千葉県銚子市", "宮城県石巻市", "山梨県富士河口湖町"]
    assert [partner.lines for partner in record.partners] == [(67,), (68,), (69,), (70,), (71,)]
    assert years(record) == [1995, 1996, 2006, 2012, 2014]
    assert record.start.year == 1995
    assert record.start_text == "平成7年度"


def test_real_file_simple_rows(by_line):
    welfare = by_line[16]
    assert welfare.organizer == "区 社会福祉協"
    assert welfare.category == "産業"
    assert welfare.title == "福祉まつり"
    assert names(welfare) == ["群馬県嬭恋村", "秋田県五城目町"]
    assert (welfare.start.year, welfare.start_text) == (2003, "平成15年度")
    baseball = by_line[9]
    assert baseball.start_text == "昭和63年"
    assert (baseball.start.year, baseball.start.fiscal) == (1988, False)
    assert by_line[8].start is None and by_line[8].start_text == "—"
    assert names(by_line[82]) == ["都道府県等アンテナショップ"]
    assert names(by_line[115]) == ["和歌山市立加太中 学校"]


def test_real_file_partner_lists_split_on_prefectures(by_line):
    tama = names(by_line[31])
    assert len(tama) == 14
    assert tama[:3] == ["東京都", "東京都中央区", "東京都台東区"]
    overflow = [p.mention.name for p in by_line[274].partners if p.lines == (308,)]
    assert overflow == ["高知県土佐町中土佐 町"]
    # Without prefecture names, a list of governments is split into them; a collective stays one name.
    assert names(by_line[937]) == ["目黒区", "大田区", "世田谷区", "渋谷区"]
    assert names(by_line[1174]) == ["品川区", "目黒区", "大田区", "世田谷区", "渋谷区"]
    assert names(by_line[509]) == ["東京都、都内23特別区、都内26市、都内13町村"]
    assert names(by_line[163])[4:6] == ["鳥取県智頭町", "鳥根県隠岐の島町"]
    assert names(by_line[1197]) == ["長野県茅野市", "宮城県石巻市", "福島県郡山市"]


def test_real_file_start_notes(by_line):
    aligned = by_line[81]
    assert aligned.start_text == "平成6年度 昭和54年度"
    assert years(aligned) == [1994, 1979]
    assert aligned.start.year == 1994
    note = by_line[1058]
    assert note.start_text == "平成25年度 （大田区は平成27年度より参加）"
    assert note.start.year == 2013 and years(note) == [None] * 4
    assert by_line[1319].start_text == "平成23年度 検討開始 平成29年度 開設"
    assert by_line[1319].start.year == 2011
    assert by_line[318].start is None and by_line[318].start_text == "不明 （44回目）"
    partly = by_line[427]
    assert names(partly) == ["茨城県石岡市", "新潟県魚沼市", "岩手県盛岡市"]
    assert years(partly) == [2013, 2006, None]


def test_real_file_overflow_start_years(by_line):
    sumida = by_line[1571]
    # Years pushed into the first column (lines 1584-1586) stay notes of the project.
    assert sumida.start_text == "昭和53年度 昭和55年度 昭和57年度 平成8年度"
    assert {1584, 1585, 1586, 1589} <= set(sumida.provenance.lines)
    assert len(sumida.partners) == 20
    soseki = by_line[337]
    assert (soseki.partners[-1].mention.name, soseki.partners[-1].lines) == ("広島県安芸太田町", (345,))
    assert soseki.partners[-1].start.year == 2017


def test_real_file_rows_split_by_a_page_break(by_line):
    soseki = by_line[337]  # top half on line 337, before the page header of line 339
    assert soseki.ward.name == "新宿区"
    assert soseki.provenance.lines[:2] == (337, 340)
    assert names(soseki)[:5] == ["東京都教育委員会", "東京都千代田区", "東京都文京区", "熊本県", "熊本県熊本市"]
    assert "全国の小学生～高校生から作 品を募集する。" in soseki.description
    nakano = by_line[1220]
    assert nakano.ward.name == "中野区"
    assert nakano.title == "なかの里・まち連携事 業（体験交流モデル支 援事業）"
    assert len(nakano.partners) == 5
    # Below a page header, a continuation line belongs to the row above.
    assert 1438 in by_line[1432].provenance.lines
    assert 941 in by_line[938].provenance.lines


def test_real_file_text_is_verbatim(source_lines, result):
    for record in result.records:
        assert record.provenance.raw == "\n".join(source_lines[n - 1] for n in record.provenance.lines)
        cells = source_lines[record.provenance.first_line - 1].split("\t")
        if cells[0].strip():
            assert record.title.startswith(cells[2].strip())


# --- small inputs, one rule each -----------------------------------------------------------


def test_title_as_of_and_headers_are_structural():
    lines = ["", "各特別区と全国市町村等連携事業一覧", "令和8年3月31日現在", HEADER, SPACED_HEADER]
    result = parse(lines, "t")
    assert result.structural == {2: "title", 3: "as-of", 4: "header", 5: "header"}
    assert result.records == [] and result.problems == []


def test_one_row_one_project():
    [record] = parse([row("港", "産業", "桜まつり", "三田台町会", "茨城県鉾田市", "産地直売。", "平成29年度")], "t").records
    assert record.ward == Mention("港区", prefecture="東京都")
    assert (record.category, record.title, record.organizer, record.description) == (
        "産業",
        "桜まつり",
        "三田台町会",
        "産地直売。",
    )
    assert [(p.mention, p.lines, p.start) for p in record.partners] == [(Mention("茨城県鉾田市"), (1,), None)]
    assert record.start.year == 2017 and record.start_text == "平成29年度"
    assert record.provenance.lines == (1,)


def test_continuation_adds_a_partner_with_its_own_start():
    lines = [
        row("中央", "災害協定", "災害相互援助協定", "区", "山形県東根市", "協定を締結。", "平成7年度"),
        partner_line("岡山県玉野市", "平成8年度"),
    ]
    [record] = parse(lines, "t").records
    assert names(record) == ["山形県東根市", "岡山県玉野市"]
    assert years(record) == [1995, 1996]
    assert record.start.year == 1995 and record.start_text == "平成7年度"


def test_continuation_without_years_shares_the_project_start():
    lines = [row("中央", "文化交流", "盆おどり", "区", "山形県東根市", "交流。", "平成2年度"), partner_line("岡山県玉野市")]
    [record] = parse(lines, "t").records
    assert years(record) == [None, None]
    assert record.start.year == 1990


def test_description_continued_over_lines_is_joined_with_a_space():
    lines = [
        row("港", "環境", "交流事業", "区", "福島県白河市", "相互の自然環境に", "令和元年度"),
        row("", "", "", "", "", "ついての理解を促進する。"),
        row("", "", "", "", "", "環境学習を実施する。"),
    ]
    [record] = parse(lines, "t").records
    assert record.description == "相互の自然環境に ついての理解を促進する。 環境学習を実施する。"
    assert record.provenance.lines == (1, 2, 3)
    assert names(record) == ["福島県白河市"]


def test_first_cell_overflow_is_a_partner_of_the_project_above():
    lines = [
        row("千代田", "産業", "連携ネットワーク", "区", "静岡県松崎町", "振興。", "令和4年度"),
        row("東京都神津島村"),
        row("茨城県筑西市", "令和4年度"),
        row("昭和55年度"),
    ]
    [record] = parse(lines, "t").records
    assert [(p.mention.name, p.lines) for p in record.partners] == [
        ("静岡県松崎町", (1,)),
        ("東京都神津島村", (2,)),
        ("茨城県筑西市", (3,)),
    ]
    assert years(record) == [2022, None, 2022]
    assert record.start_text == "令和4年度 昭和55年度"  # a year alone in the first cell is a note
    assert record.description == "振興。"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("群馬県嬭恋村 秋田県五城目町", ["群馬県嬭恋村", "秋田県五城目町"]),
        ("東京都 東京都中央区 東京都台東区", ["東京都", "東京都中央区", "東京都台東区"]),
        ("高知県土佐町中土佐 町", ["高知県土佐町中土佐 町"]),
        ("(一社)日本わさび協 会", ["(一社)日本わさび協 会"]),
        ("宮城県亘理町(亘理 町のいちご復興連携 協議会)", ["宮城県亘理町(亘理 町のいちご復興連携 協議会)"]),
        ("山形県東根市 果樹研究連合会", ["山形県東根市 果樹研究連合会"]),
        ("広島県広島市 長崎県長崎市 等", ["広島県広島市", "長崎県長崎市 等"]),
        ("JAふくしま未来 福島県福島市", ["JAふくしま未来", "福島県福島市"]),
        ("神奈川県横浜市、兵庫県神戸市", ["神奈川県横浜市", "兵庫県神戸市"]),
        ("東京都、23区、都内 26市", ["東京都、23区、都内 26市"]),
        ("金沢・富山県西部広 域観光推進協議会", ["金沢・富山県西部広 域観光推進協議会"]),
        ("都道府県等アンテナショップ", ["都道府県等アンテナショップ"]),
        ("群馬縣水上町 北海道宗谷町村会", ["群馬縣水上町", "北海道宗谷町村会"]),
    ],
)
def test_split_partners(cell, expected):
    assert split_partners(cell) == expected


@pytest.mark.parametrize(
    ("partners", "start", "own", "project_start"),
    [
        ("群馬県嬭恋村 秋田県五城目町", "平成7年度 平成8年度", [1995, 1996], 1995),
        ("群馬県嬭恋村 秋田県五城目町", "平成7年度", [None, None], 1995),
        ("群馬県嬭恋村 秋田県五城目町 岐阜県高山市", "令和4年度 令和5年度", [None, None, None], 2022),
        ("群馬県嬭恋村 秋田県五城目町", "— 令和元年度", [None, 2019], 2019),
        ("群馬県嬭恋村 秋田県五城目町", "平成21年度から参加 平成25年度から参加", [2009, 2013], 2009),
        ("群馬県嬭恋村 秋田県五城目町", "平成23年度 検討開始", [None, None], 2011),
        ("群馬県嬭恋村", "平成25年度 （大田区は平成27年度より参加）", [None], 2013),
        ("群馬県嬭恋村", "—", [None], None),
        ("群馬県嬭恋村", "-", [None], None),
        ("群馬県嬭恋村", "不明", [None], None),
        ("群馬県嬭恋村", "", [None], None),
    ],
)
def test_start_cell_of_a_row(partners, start, own, project_start):
    [record] = parse([row("文京", "観光", "まつり", "区", partners, "物産展。", start)], "t").records
    assert years(record) == own
    assert (record.start.year if record.start else None) == project_start
    assert record.start_text == start


def test_start_entries_reads_lists_not_notes():
    assert [d.year for d in start_entries("平成7年度 平成8年度 平成13年度")] == [1995, 1996, 2001]
    assert start_entries("平成27年度 (区事業に 変更)") is None
    assert start_entries("- —") == [None, None]


def test_several_continuation_lines_in_a_row():
    lines = [
        row("文京", "産業", "文京博覧会", "区", "茨城県石岡市", "物産展。", "平成22年度"),
        partner_line("山梨県甲州市", "平成19年度"),
        partner_line("熊本県 熊本県熊本市", "平成31年度"),  # one year for the line's partners
        partner_line("", "平成20年度"),  # a year without a partner: a note
        row("", "", "", "", "", "続き。"),
    ]
    [record] = parse(lines, "t").records
    assert names(record) == ["茨城県石岡市", "山梨県甲州市", "熊本県", "熊本県熊本市"]
    assert years(record) == [2010, 2007, 2019, 2019]
    assert [p.lines for p in record.partners] == [(1,), (2,), (3,), (3,)]
    assert record.start_text == "平成22年度 平成20年度"
    assert record.description == "物産展。 続き。"


def test_continuation_with_organizer_and_title_pieces():
    lines = [
        row("北", "スポーツ", "都市間スポーツ", "区体育協会", "甘楽町サッカー協会", "交流。", "昭和62年度"),
        row("", "", "交流事業", "区剣道連盟", "甘楽町剣道連盟", "", "平成29年度"),
    ]
    [record] = parse(lines, "t").records
    assert record.title == "都市間スポーツ 交流事業"
    assert record.organizer == "区体育協会 区剣道連盟"
    assert years(record) == [1987, 2017]


def test_top_half_of_a_row_split_by_a_page_break_joins_the_row_below():
    lines = [
        row("港", "その他", "情報発信", "区", "千葉県君津市", "発信事業。", "令和6年度"),
        row("", "", "", "", "東京都文京区 熊本県", "コンクールを開催し、作"),
        "",
        SPACED_HEADER,
        row("新宿", "文化交流", "漱石コンクール", "区", "熊本県阿蘇市", "品を募集する。", "平成26年度"),
    ]
    result = parse(lines, "t")
    minato, shinjuku = result.records
    assert minato.provenance.lines == (1,) and names(minato) == ["千葉県君津市"]
    assert shinjuku.provenance.lines == (2, 5)
    assert names(shinjuku) == ["東京都文京区", "熊本県", "熊本県阿蘇市"]
    assert shinjuku.description == "コンクールを開催し、作 品を募集する。"
    assert result.structural == {4: "header"}


def test_continuation_below_a_page_header_stays_with_the_row_above():
    lines = [
        row("板橋", "イベント", "防災フェア", "区", "栃木県日光市", "出店する。", "令和3年度"),
        SPACED_HEADER,
        row("", "", "", "", "埼玉県和光市", "特産品の販売などを行う。"),
        row("練馬", "その他", "区界パトロール", "区", "東京都杉並区", "合同パトロール。", "平成30年"),
    ]
    itabashi, nerima = parse(lines, "t").records
    assert itabashi.provenance.lines == (1, 3)
    assert names(itabashi) == ["栃木県日光市", "埼玉県和光市"]
    assert nerima.provenance.lines == (4,)


def test_header_with_extra_text_is_structural_and_a_problem():
    header = SPACED_HEADER.replace("連携カテ ゴリ", "連携カテ ゴリ 産業")
    result = parse([row("港", "産業", "物産展", "区", "福島県いわき市", "開催。", "平成21年度"), header], "t")
    assert result.structural == {2: "header"}
    [problem] = result.problems
    assert problem.lines == (2,) and "'産業'" in problem.reason
    assert len(result.records) == 1


# --- bad input -----------------------------------------------------------------------------


def test_malformed_lines_become_problems_and_other_projects_are_kept():
    lines = [
        partner_line("岡山県玉野市", "平成8年度"),  # no project above
        row("千代田", "文化交流", "つまごい祭り", "区", "群馬県嬭恋村", "参加する。", "—"),
        "千代田\t文化交流\t壊れた行",  # 3 cells
        row("横浜", "観光", "まつり", "区", "神奈川県横浜市", "出展。", "令和元年度"),  # not a ward
        "ただの文",  # one cell, neither title nor as-of
        row("中央", "その他", "研修", "区", "山形県東根市", "研究。", "平成6年度"),
    ]
    result = parse(lines, "t")
    assert [record.title for record in result.records] == ["つまごい祭り", "研修"]
    assert [problem.lines for problem in result.problems] == [(1,), (3,), (4,), (5,)]
    reasons = [problem.reason for problem in result.problems]
    assert reasons[0] == "line 1: continuation line with no project above"
    assert reasons[1] == "line 3: 3 tab-separated cells, expected 7"
    assert reasons[2].startswith("line 4: first cell '横浜' is not a special ward")
    assert reasons[3] == "line 5: 1 tab-separated cells, expected 7"
    assert result.problems[1].raw == "千代田\t文化交流\t壊れた行"
    assert uncovered_lines(lines, result) == []


@pytest.mark.parametrize(
    "lines",
    [[], [""], ["\t\t\t\t\t\t"], ["\t"], ["港"], [row("港")], [row("", "", "", "", "", "", "平成8年度")]],
)
def test_never_raises(lines):
    result = parse(lines, "t")
    assert uncovered_lines(lines, result) == []


def test_a_continuation_repeating_the_next_row_is_reported_not_attached():
    lines = [
        "\t".join(("中野", "産業", "絆まつり", "実行委員会", "青森県青森市", "復興支援", "平成29年度")),
        "\t".join(("", "", "", "実行委員会・区", "福島県田村市", "花と緑の祭典に出展", "令和元年度")),
        "\t".join(("中野", "産業", "花と緑の祭典", "実行委員会・区", "福島県田村市", "花と緑の祭典に出展", "—")),
    ]
    result = parse(lines, "t")
    assert [r.title for r in result.records] == ["絆まつり", "花と緑の祭典"]
    assert [p.mention.name for p in result.records[0].partners] == ["青森県青森市"]
    assert [(p.lines, p.reason) for p in result.problems] == [
        ((2,), "line 2: repeats line 3 (a PDF duplicate); not attached to a project")]


# --- cells the PDF prints again after a page break ---------------------------------------


def test_a_cell_repeated_below_a_page_header_is_dropped():
    lines = [
        HEADER,
        row("品川", "災害協定", "東海道53次市区町災害 時相互応援に関する協 定", "区", "東京都大田区 神奈川県箱根町",
            "・ 資機材お よび物資の提供", "平成9年度"),
        "",
        SPACED_HEADER,
        row("", "", "定", "", "神奈川県箱根町 静岡県藤枝市", "・よび物資の提供。 ・職員の派遣。"),
        row("品川", "環境", "協定", "区", "高知県"),
    ]
    result = parse(lines, "t")
    record = result.records[0]
    assert record.title == "東海道53次市区町災害 時相互応援に関する協 定"  # no 協定定
    assert record.description == "・ 資機材お よび物資の提供 。 ・職員の派遣。"
    assert names(record) == ["東京都大田区", "神奈川県箱根町", "静岡県藤枝市"]  # the last partner above, once
    [decision] = [d for d in result.decisions if d.rule == "page-repeat"]
    assert decision.lines == (5,) and "'定'" in decision.outcome and "'神奈川県箱根町'" in decision.outcome


def test_a_cell_continuing_below_a_page_header_is_kept():
    lines = [
        HEADER,
        row("品川", "災害協定", "災害時における相互援 助に関する", "区", "富山県", "物資の", "平成9年度"),
        "",
        SPACED_HEADER,
        row("", "", "協定", "", "富山県高岡市", "提供。"),  # a prefecture, then a city of it: two partners
    ]
    result = parse(lines, "t")
    record = result.records[0]
    assert record.title == "災害時における相互援 助に関する 協定"
    assert names(record) == ["富山県", "富山県高岡市"]
    assert not [d for d in result.decisions if d.rule == "page-repeat"]


def test_the_page_repeats_of_the_vendored_list(result, by_line):
    repeated = {d.lines[0]: d.outcome for d in result.decisions if d.rule == "page-repeat"}
    assert sorted(repeated) == [194, 941, 1238]
    assert "".join(by_line[938].title.split()) == "東海道53次市区町災害時相互応援に関する協定"
    assert "".join(by_line[938].description.split()).count("よび物資の提供") == 1
    assert "".join(by_line[191].description.split()).count("日本全体の底上げを目指す") == 1
    assert "".join(by_line[1235].description.split()).count("継続的な交流連携を行う") == 1

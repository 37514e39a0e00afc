"""The agreements the Tokyo wards' rows state or name, and how page ends are attributed.

On the real file (the hard lines) and on small tables, one rule each.
"""

from __future__ import annotations

import pytest

from mapping.parsers.tokyo_agreements import group_key, group_name, is_agreement_title
from mapping.parsers.tokyo_wards import parse
from tests.mapping.sources import source_lines

SOURCE = "tokyo-wards-2026"


def row(*cells: str) -> str:
    return "\t".join([*cells, *[""] * (7 - len(cells))])


def partner_line(partner: str, start: str = "") -> str:
    return row("", "", "", "", partner, "", start)


HEADER = "各特別 区名\t連携カテ ゴリ\t事業名称等\t事業 主体\t連携相手方\t事業内容\t事業開始 年度"


@pytest.fixture(scope="module")
def result():
    return parse(source_lines(SOURCE), SOURCE)


@pytest.fixture(scope="module")
def at(result):
    """Each record under its first line."""
    return {record.provenance.first_line: record for record in result.records}


def names(record, agreement) -> list[str]:
    return [record.partners[i].mention.name for i in agreement.partners]


def year(agreement) -> int | None:
    return agreement.date.year if agreement.date else None


# --- the hard lines of the real file ---------------------------------------------------------


def test_line_1440_is_thirteen_agreements_each_with_its_own_date(at):
    record = at[1440]
    assert len(record.agreements) == 13
    assert all(a.rule == "title-lists-agreements" for a in record.agreements)
    by_name = {a.name: a for a in record.agreements}
    assert names(record, by_name["前橋市との災害協定"]) == ["群馬県前橋市"]
    assert year(by_name["前橋市との災害協定"]) == 2010  # 平成22年度 on line 1441, not the row's 1995
    assert by_name["前橋市との災害協定"].lines == (1441,)
    assert year(by_name["塙町との災害協定"]) == 1995
    assert year(by_name["南房総市との災害協定"]) == 2012  # pushed into the first column on line 1452
    assert by_name["下仁田町との災害協定"].date is None  # its line gives no year
    bilateral = [a for a in record.agreements if a.group is None]
    assert len(bilateral) == 11 and all(len(a.partners) == 1 for a in bilateral)
    # Two of the thirteen are group agreements shared with other wards' rows.
    assert {a.group for a in record.agreements if a.group} == {"特別区", "東京都及び区市町村"}


def test_line_37_belongs_to_the_network_not_to_the_22_member_agreement(at, result):
    disaster = at[36]
    [agreement] = disaster.agreements
    assert agreement.rule == "group:member-count" and agreement.group == "義士親善友好都市"
    assert disaster.provenance.lines == (36,)
    assert len(disaster.partners) == 22 and len(agreement.partners) == 22
    network = at[37]
    assert network.title == "ちよだ地方連携ネット ワーク" and network.agreements == ()
    [decision] = [d for d in result.decisions if d.lines == (37,)]
    assert (decision.rule, decision.certain) == ("member-count-full", True)
    assert "line 40" in decision.outcome


def test_other_page_ends_decided_on_evidence(at, result):
    page = {"member-count-full", "title-names-its-partners", "dated-list-ends", "same-title-both-pages",
            "list-continues", "start-note", "own-start-year", "tail-kept-above", "below-page-header",
            "top-half-of-next-ward"}
    decided = {d.lines[0]: d for d in result.decisions if d.rule in page}
    # 950: the list above dates every partner's line, this one does not: the next row's (相互間 agreement).
    assert decided[950].rule == "dated-list-ends" and 950 in at[950].provenance.lines
    assert at[950].title.startswith("東京都及び区市町村相互間")
    assert len(at[946].partners) == 4
    # 1083: 世田谷区's 包括協定 names 川崎市 in its title; 北海道中川町 joins the forum below.
    assert decided[1083].rule == "title-names-its-partners"
    assert [p.mention.name for p in at[1083].partners][:2] == ["北海道中川町", "北海道厚真町"]
    assert [p.mention.name for p in at[1082].partners] == ["神奈川県川崎市"]
    # Same title on both pages, or one more line of a one-partner-a-line list: the row above.
    assert decided[159].rule == decided[1644].rule == "same-title-both-pages"
    assert decided[271].rule == "list-continues"
    # Below a page header: the bottom half of the row above.
    assert decided[1438].rule == "below-page-header" and 1438 in at[1432].provenance.lines


def test_the_lines_no_rule_settles_are_reported_as_uncertain(result):
    tails = sorted(d.lines[0] for d in result.decisions
                   if not d.certain and d.rule in ("tail-kept-above", "own-start-year"))
    assert tails == [476, 573, 874, 1135, 1509]
    assert all("could be the row of line" in d.outcome for d in result.decisions if d.rule == "tail-kept-above")


def test_shibuya_events_rest_on_the_agreements_they_name(at):
    """Lines 1187-1218: markets, drills, inspections, trainings, a band camp: projects, no new tie."""
    events = [record for line, record in at.items() if 1187 <= line <= 1218 and line not in (1191,)]
    assert len(events) == 29
    for record in events:
        assert all(a.refers_to is not None for a in record.agreements), record.title
    # No event of these lines states an agreement of its own; 23 rest on the agreement rows of 渋谷区.
    assert sum(bool(record.agreements) for record in events) == 23
    assert [(a.refers_to, names(at[1187], a)) for a in at[1187].agreements] == [(1170, ["栃木県宇都宮市"])]
    assert at[1170].title == "災害時相互応援協定" and at[1170].agreements[0].rule == "agreement-title"
    # 観光協定 rows rest on the tourism agreement, not the disaster one.
    assert [a.refers_to for a in at[1210].agreements] == [1177]
    # The drill of line 1196 names no agreement in its text; its 災害協定 category points to one.
    assert [a.refers_to for a in at[1196].agreements] == [1170]
    # A market with no partner agreement row would make no tie from collective wording.
    assert at[1191].agreements[0].rule == "agreement-title"  # 学校給食用米穀供給協定 is an agreement


def test_an_anniversary_event_is_one_undated_tie(at):
    [agreement] = at[596].agreements  # 友好都市提携40周年記念事業 (an event in 令和7年度)
    assert (agreement.rule, agreement.name, agreement.date, agreement.refers_to) == (
        "anniversary", "友好都市提携", None, None)
    [gateball] = at[524].agreements  # 姉妹区提携交流ゲートボール大会
    assert (gateball.rule, gateball.date) == ("named-evidence", None)


def test_group_agreements_across_wards(at, result):
    gishi = [line for line, r in at.items() for a in r.agreements if a.group == "義士親善友好都市"]
    assert gishi == [36, 156, 157, 356, 372, 1571, 1590]
    # 墨田区's rows do not name the group, but 千代田区's lists 墨田区 and they list 22 of its members.
    assert {a.rule for line in (1571, 1590) for a in at[line].agreements if a.group} == {"group:members-listed"}
    assert {names(at[1571], a)[0] for a in at[1571].agreements if a.group is None} == {
        "東京都台東区", "栃木県鹿沼市", "東京都江東区"}
    assert {year(a) for line in gishi for a in at[line].agreements if a.group} == {1996}
    [decision] = [d for d in result.decisions if d.rule == "group-date" and 36 in d.lines]
    assert "平成25年度 (line 156)" in decision.outcome and not decision.certain
    johnan = sorted(line for line, r in at.items() for a in r.agreements if a.group == "城南5区")
    assert johnan == [937, 1105, 1174]
    mutual = sorted(line for line, r in at.items() for a in r.agreements if a.group == "東京都及び区市町村")
    assert mutual == [509, 950, 1121, 1300, 1440, 1848]
    # 杉並区's row lists the collective 東京都、23区、都内26市及び都内13町村 among nine bilateral partners:
    # that partner is the mutual agreement of Tokyo's governments, the others keep their own ties and years.
    [collective] = [a for a in at[1300].agreements if a.group]
    assert (collective.rule, collective.partners, year(collective)) == ("group:collective-partner", (9,), 2021)
    bilateral = [a for a in at[1300].agreements if not a.group]
    assert len(bilateral) == 9 and {a.rule for a in bilateral} == {"agreement-title"}
    assert [year(a) for a in bilateral] == [2012, 2012, 2006, 2006, 2004, 2011, 2006, 2011, 2011]
    # 都内23特別区 with the wards' waste-disposal association: no row states that collective's agreement,
    # so it is a group agreement of its own.
    assert [(a.rule, a.group) for a in at[511].agreements] == [
        ("group:collective-partner", "23特別区・東京23区清掃一部事務組合")]
    assert any(d.rule == "group:collective-partner" and d.lines == (1300,) and "another row states" in d.outcome
               for d in result.decisions)
    chichibu = [line for line, r in at.items() for a in r.agreements if a.group == "秩父地域自治体"]
    assert chichibu == [1773, 1774, 1777, 1778, 1779]
    # A title naming every partner with the ward: one agreement of the three.
    assert [(a.rule, a.partners) for a in at[421].agreements] == [("group:parties-in-title", (0, 1))]
    # Two wards each listing the other under one memorandum: one agreement of the four.
    assert [a.rule for a in at[348].agreements] == [a.rule for a in at[416].agreements] == ["group:reciprocal"]


def test_lumped_rows_without_a_group_name_are_bilateral(at, result):
    [kinds] = [{a.rule for a in at[1790].agreements}]
    assert kinds == {"agreement-title"} and len(at[1790].agreements) == 13
    # Seven start years for thirteen partners: which is whose is unknown, so none is dated.
    assert all(a.date is None for a in at[1790].agreements)
    assert any(d.rule == "start-years-not-aligned" and d.lines[0] == 1790 for d in result.decisions)
    assert [year(a) for a in at[67].agreements] == [1995, 1996, 2006, 2012, 2014]
    assert [year(a) for a in at[1039].agreements] == [2004, 2005, 2011, 2015, 2016, 2017, 2018]


def test_a_project_naming_no_agreement_has_none(at):
    assert at[8].agreements == ()  # つまごい祭り
    assert at[152].agreements == ()  # 温泉所在都市協議会: a council's activities, no agreement named


# --- small inputs, one rule each -----------------------------------------------------------------


@pytest.mark.parametrize(("title", "expected"), [
    ("災害時相互応援協定", True),
    ("北区と酒田市との災害時における相互援助協定", True),
    ("友好交流都市協定締結に向けた覚書", True),
    ("災害時相互協力協定義士親善友好都市", True),
    ("江戸川区・安曇野市友好都市盟約締結", True),
    ("姉妹区提携交流ゲートボール大会", False),
    ("災害時相互応援協定に関しての連携自治体との交流事業", False),
    ("茅野市防災協定都市交歓研修", False),
    ("災害時協力協定締結自治体意見交換会", False),
    ("台東区・日光市友好都市提携40周年記念事業", False),
    ("防災フェスタ", False),
])
def test_agreement_or_event_title(title, expected):
    assert is_agreement_title(title) is expected


def test_group_names_and_their_keys():
    assert group_name("東京都及び区市町村相互間の災害時等協力協定") == ("東京都及び区市町村", "group:mutual")
    assert group_name("東京都及び都内区市町村との災害協定") == ("東京都及び区市町村", "group:collective")
    assert group_name("東海道五十三次市区町との災害協定")[0] == group_name("東海道53次市区町災害時相互応援に関する協定")[0]
    assert group_name("特別区との災害協定") == ("特別区", "group:collective")
    assert group_name("協定", "熊本県五木村・熊本県及び文京区の3者において協定を締結した")[1] == "group:member-count"
    assert group_name("北杜市との災害協定") is None
    assert group_key("城南５区") == "城南5区"


def test_partners_of_one_cell_are_one_agreement_each_with_the_row_start_when_alone():
    [record] = parse([row("港", "災害協定", "災害時相互協力協定", "区", "福島県いわき市 岐阜県郡上市",
                          "協力して行う。", "平成25年度")], "t").records
    assert [(a.rule, a.partners, year(a), a.group) for a in record.agreements] == [
        ("agreement-title", (0,), 2013, None), ("agreement-title", (1,), 2013, None)]


def test_a_title_listing_agreements_gives_each_its_partners_own_year():
    lines = [row("大田", "災害協定", "東御市との災害協定 美郷町との災害協定", "区", "長野県東御市", "締結。", "平成16年度"),
             partner_line("秋田県美郷町", "平成17年度")]
    [record] = parse(lines, "t").records
    assert [(a.name, names(record, a), year(a)) for a in record.agreements] == [
        ("東御市との災害協定", ["長野県東御市"], 2004), ("美郷町との災害協定", ["秋田県美郷町"], 2005)]


def test_a_member_count_makes_one_group_agreement_shared_by_the_rows_naming_it():
    lines = [
        row("品川", "災害協定", "災害時における城南5区相互応援協定", "区", "東京都目黒区 東京都大田区", "派遣。", "平成7年度"),
        row("世田谷", "災害協定", "災害時における城南5区相互応援協定書", "区", "東京都品川区", "派遣。", "平成8年度"),
    ]
    result = parse(lines, "t")
    shinagawa, setagaya = result.records
    assert [(a.group, a.partners, a.rule) for a in shinagawa.agreements] == [("城南5区", (0, 1), "group:member-count")]
    assert [a.group for a in setagaya.agreements] == ["城南5区"]
    # The two wards disagree on the year: one date for the group, the other reported.
    assert year(shinagawa.agreements[0]) == year(setagaya.agreements[0]) == 1995
    [decision] = [d for d in result.decisions if d.rule == "group-date"]
    assert decision.lines == (1, 2) and not decision.certain


def test_an_event_rests_on_the_agreement_row_of_its_partner():
    lines = [
        row("渋谷", "災害協定", "災害時相互応援協定", "区", "栃木県宇都宮市", "協定を締結している。", "令和6年度"),
        row("渋谷", "災害協定", "交流事業", "区", "栃木県宇都宮市", "防災協定を締結している宇都宮市とマルシェを開催。", "令和7年度"),
    ]
    agreement_row, market = parse(lines, "t").records
    [refers] = market.agreements
    assert (refers.rule, refers.refers_to, refers.date) == ("refers-to-agreement", 1, None)


def test_an_event_naming_an_agreement_no_row_states_is_one_undated_tie():
    [market] = parse([row("中野", "スポーツ", "交流大会", "区", "福島県田村市",
                          "姉妹提携をしている田村市とスポーツ交流を行う。", "昭和58年度")], "t").records
    [agreement] = market.agreements
    assert (agreement.rule, agreement.name, agreement.date, agreement.refers_to) == (
        "named-evidence", "姉妹提携", None, None)


def test_collective_wording_without_an_agreement_row_makes_no_tie_and_is_reported():
    result = parse([row("板橋", "イベント", "防災フェア", "区", "埼玉県和光市 和歌山県みなべ町",
                        "区と災害時相互援助協定を結ぶ自治体が参加する。", "平成17年度")], "t")
    assert result.records[0].agreements == ()
    assert [d.rule for d in result.decisions] == ["collective-evidence-unmatched"] * 2


def test_an_event_with_no_agreement_words_makes_nothing():
    [record] = parse([row("千代田", "文化交流", "つまごい祭り", "区", "群馬県嬬恋村", "参加する。", "—")], "t").records
    assert record.agreements == ()


def test_page_end_after_a_full_member_list_joins_the_next_row():
    lines = [
        row("千代田", "災害協定", "相互応援協定（友好都市（2団体））", "区", "北海道砂川市 岩手県一関市", "援助。", "平成8年度"),
        partner_line("新潟県糸魚川市"),
        "",
        HEADER,
        row("千代田", "産業", "連携ネットワーク", "区", "宮城県亘理町", "交流。", "令和4年度"),
    ]
    result = parse(lines, "t")
    agreement_row, network = result.records
    assert agreement_row.provenance.lines == (1,)
    assert network.provenance.lines == (2, 5)
    assert [d.rule for d in result.decisions] == ["member-count-full"]


def test_page_end_without_evidence_stays_above_and_is_uncertain():
    lines = [
        row("台東", "文化交流", "産業フェア", "区", "宮城県大崎市", "出展。", "—"),
        partner_line("東京都墨田区 長野県諏訪市"),
        "",
        HEADER,
        row("台東", "文化交流", "ふるさとPRフェスタ", "区", "福島県南会津町", "PR。", "平成28年度"),
    ]
    result = parse(lines, "t")
    assert result.records[0].provenance.lines == (1, 2)
    [decision] = result.decisions
    assert (decision.rule, decision.certain) == ("tail-kept-above", False)


def test_a_collective_partner_is_the_group_agreement_another_row_states():
    lines = [
        HEADER,
        row("台東", "災害協定", "東京都及び区市町村相互間の災害時等協力協定", "区", "東京都、都内23特別区、都内26市", "", "令和3年度"),
        row("杉並", "災害協定", "災害時相互援助に関する協定", "区", "山梨県忍野村 東京都、23区、都内 26市", "", "平成24年度 令和3年度"),
        row("中野", "災害協定", "災害時相互援助に関する協定", "区", "長野県中野市 全国市町村", "", "平成17年度"),
    ]
    result = parse(lines, "t")
    taito, suginami, nakano = result.records
    assert [(a.rule, a.group) for a in taito.agreements] == [("group:mutual", "東京都及び区市町村")]
    assert [(a.rule, a.group, a.partners, year(a)) for a in suginami.agreements] == [
        ("agreement-title", None, (0,), 2012), ("group:collective-partner", "東京都及び区市町村", (1,), 2021)]
    # A collective no group row names: a group agreement of its own, never a bilateral tie.
    assert [(a.rule, a.group) for a in nakano.agreements] == [
        ("agreement-title", None), ("group:collective-partner", "全国市町村")]
    assert sum(d.rule == "group:collective-partner" for d in result.decisions) == 2

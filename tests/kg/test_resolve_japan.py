"""Japanese local governments: the code table and the resolution cascade, on small cases and the real sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.model import JapaneseGovernment, Organisation, Unresolved
from kg.predecessors import FormerGovernment
from kg.resolve.japan import Gazetteer, Match, NoMatch, check_digit, valid_code
from mapping.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
CURATED = ROOT / "data" / "curated"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load(CURATED)


def code_of(found: Match | NoMatch) -> str | None:
    return found.government.code if isinstance(found, Match) else None


# --- codes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "code5, digit", [("13101", "6"), ("01100", "2"), ("13117", "2"), ("47201", "8"), ("22138", "4"), ("08208", "2")]
)
def test_check_digit(code5, digit):
    assert check_digit(code5) == digit


def test_valid_code_keeps_leading_zeros():
    assert valid_code("011002")  # 札幌市
    assert not valid_code("11002")  # the same code read as a number loses its zero
    assert not valid_code("011003")
    assert not valid_code("01100a")
    assert not valid_code("0110020")
    assert not valid_code("")


def test_every_code_of_the_table_is_valid(gaz):
    assert all(valid_code(code) for code in gaz.by_code)
    assert gaz.by_code["011002"].name == "札幌市"
    assert gaz.by_code["011002"].prefecture == "北海道"
    assert len(gaz.prefectures) == 47
    assert gaz.prefectures["北海道"].code == "010006"
    assert gaz.prefectures["沖縄県"].code == "470007"


def test_a_wrong_check_digit_in_the_curated_changes_stops_loading(tmp_path):
    for path in CURATED.glob("*.csv*"):  # the tables and their schemas
        shutil.copy(path, tmp_path / path.name)
    with (tmp_path / "lg-changes.csv").open("a", encoding="utf-8") as handle:
        handle.write("221385,浜松市 新区,,静岡県,designated-city-ward,221309,added,2024-01-01,,test\n")
    with pytest.raises(InputError, match="221385"):
        Gazetteer.load(tmp_path)


def test_table_kinds_and_parents(gaz):
    assert gaz.by_code["131172"].kind == "special-ward"
    assert gaz.by_code["011029"].kind == "designated-city-ward"  # 札幌市北区
    assert gaz.by_code["011029"].parent == "011002"
    assert gaz.by_code["011029"].label == "札幌市北区"
    assert gaz.by_code["104493"].full_label == "群馬県みなかみ町"
    assert gaz.by_code["100005"].kind == "prefecture"
    assert gaz.by_code["100005"].full_label == "群馬県"


# --- 浜松市's wards of 2024 (lg-changes.csv) --------------------------------------


def test_hamamatsu_new_wards_resolve(gaz):
    for text in ("浜松市中央区", "浜松市 中央区", "静岡県浜松市中央区"):
        assert code_of(gaz.resolve(text)) == "221384", text
    assert code_of(gaz.resolve("中央区", "静岡県")) == "221384"
    assert code_of(gaz.resolve("浜名区", "静岡県")) == "221392"
    assert code_of(gaz.resolve("浜松市天竜区")) == "221406"  # renumbered, not the abolished 221376


def test_hamamatsu_abolished_wards_do_not_resolve(gaz):
    old = gaz.by_code["221317"]
    assert (old.abolished, old.successor) == ("2024-01-01", "221384")
    assert isinstance(gaz.resolve("中区", "静岡県"), NoMatch)
    for text in ("浜松市中区", "浜松市浜北区", "浜松市東区"):
        found = gaz.resolve(text)
        # At most the city the old ward lay in; never the abolished code.
        assert code_of(found) == "221309", text
        assert found.method == "containing"
    abolished = {code for code, lg in gaz.by_code.items() if lg.abolished}
    assert abolished == {"221317", "221325", "221333", "221341", "221350", "221368", "221376"}


# --- the cascade ----------------------------------------------------------------


def test_exact_and_variant_spellings(gaz):
    assert (code_of(gaz.resolve("帶広市")), gaz.resolve("帶広市").method) == ("012076", "exact")
    assert code_of(gaz.resolve("那霸市")) == "472018"
    assert code_of(gaz.resolve("札幌市")) == "011002"
    assert code_of(gaz.resolve("秩父郡小鹿野町", "埼玉県")) == "113654"  # district dropped
    assert code_of(gaz.resolve("群馬県")) == "100005"
    assert code_of(gaz.resolve("群馬縣")) == "100005"
    assert code_of(gaz.resolve("東京")) == "130001"


@pytest.mark.parametrize(
    "name, prefecture, hint, code",
    [
        ("明和町", "群馬県", None, "105228"),
        ("明和町", "三重県", None, "244422"),
        ("明和町", None, "三重県", "244422"),
        ("明和町", None, "群馬県", "105228"),
        ("府中市", "東京都", None, "132063"),
        ("府中市", None, "広島県", "342084"),
        ("伊達市", "北海道", None, "012335"),
        ("伊達市", "福島県", None, "072133"),
        ("伊達市", None, "福島県", "072133"),
        ("北区", "東京都", None, "131172"),
        ("北区", "北海道", None, "011029"),  # 札幌市北区
    ],
)
def test_homonyms_decided_by_prefecture(gaz, name, prefecture, hint, code):
    found = gaz.resolve(name, prefecture, hint)
    assert code_of(found) == code
    assert found.method == "exact"
    if hint:
        assert found.note == f"prefecture {hint} taken from the reporting government"


@pytest.mark.parametrize(
    "name, hint, listed",
    [
        ("府中市", None, "東京都府中市 (132063) or 広島県府中市 (342084)"),
        ("明和町", None, "群馬県明和町 (105228) or 三重県明和町 (244422)"),
        ("伊達市", None, "北海道伊達市 (012335) or 福島県伊達市 (072133)"),
        ("伊達市", "群馬県", "北海道伊達市 (012335) or 福島県伊達市 (072133)"),  # a hint that helps neither
        ("清水町", None, "北海道清水町 (016365) or 静岡県清水町 (223417)"),
    ],
)
def test_homonyms_without_context_are_ambiguous(gaz, name, hint, listed):
    found = gaz.resolve(name, None, hint)
    assert isinstance(found, NoMatch)
    assert found.reason == f"ambiguous: {name} is {listed}"


def test_a_ward_of_a_designated_city_loses_to_a_municipality_of_the_same_name(gaz):
    assert code_of(gaz.resolve("北区")) == "131172"  # 東京都北区, not 札幌市北区 and the others
    assert code_of(gaz.resolve("中央区")) == "131024"
    assert isinstance(gaz.resolve("大阪府北区"), NoMatch)  # two wards in 大阪府: 大阪市北区, 堺市北区


def test_prefecture_written_in_the_name_is_trusted_over_the_context(gaz):
    assert code_of(gaz.resolve("北海道伊達市", hint="福島県")) == "012335"
    assert code_of(gaz.resolve("福島県伊達市", hint="東京都")) == "072133"
    assert code_of(gaz.resolve("三重県明和町", hint="群馬県")) == "244422"
    found = gaz.resolve("鹿兒島縣南薩摩市", hint="東京都")
    assert (code_of(found), found.method) == ("462209", "reading")


def test_a_name_not_in_its_written_prefecture_but_unique_nationwide(gaz):
    found = gaz.resolve("鳥取県隠岐の島町")
    assert code_of(found) == "325287"  # 島根県
    assert found.method == "exact"
    assert found.note == "not in 鳥取県 as written; the only 隠岐の島町 nationwide"


def test_alias(gaz):
    found = gaz.resolve("群馬縣水上町")
    assert (code_of(found), found.method) == ("104493", "alias")
    assert "みなかみ町" in found.note
    assert code_of(gaz.resolve("水上町", "群馬県")) == "104493"
    assert code_of(gaz.resolve("嬭恋村", "群馬県")) == "104256"
    assert code_of(gaz.resolve("檜葉町", "福島県")) == "075426"
    assert code_of(gaz.resolve("十勝清水町")) == "016365"


def test_misprint_aliases_exist_because_the_spelling_alone_cannot_decide(gaz):
    bare = Gazetteer(list(gaz.by_code.values()), {})  # the same table without curated aliases
    assert isinstance(bare.resolve("檜葉町", "福島県"), NoMatch)  # 楢葉町 and 双葉町 are both one off
    assert isinstance(bare.resolve("橘川市", "埼玉県"), NoMatch)  # 桶川市 and 吉川市
    assert isinstance(bare.resolve("水上町", "群馬県"), NoMatch)
    assert code_of(bare.resolve("帶広市")) == "012076"  # exact spellings need no alias


def test_containing(gaz):
    found = gaz.resolve("長岡市寺泊地域")
    assert (code_of(found), found.method) == ("152021", "containing")
    assert found.note == "寺泊地域 is part of 長岡市"
    assert code_of(gaz.resolve("長野市松代町")) == "202011"


def test_a_body_inside_a_government(gaz):
    found = gaz.resolve("山形県東根市スポーツ少年団本部")
    assert isinstance(found, NoMatch)
    assert found.within is not None and found.within.code == "062111"
    assert found.reason == "東根市スポーツ少年団本部 is a body in 山形県東根市, not a local government"


def test_reading(gaz):
    found = gaz.resolve("筑波未來市")
    assert (code_of(found), found.method) == ("082350", "reading")  # つくばみらい市
    assert found.note == "筑波未來市 read as the kana name"
    assert code_of(gaz.resolve("筑波未来市", "茨城県")) == "082350"
    assert code_of(gaz.resolve("南薩摩市")) == "462209"  # 南さつま市
    assert code_of(gaz.resolve("大飯町", "福井県")) == "184837"  # おおい町
    assert code_of(gaz.resolve("北海道二セコ町")) == "013951"  # kanji 二 for katakana ニ
    assert isinstance(gaz.resolve("筑波未來町"), NoMatch)  # the suffix must agree


def test_suffix(gaz):
    found = gaz.resolve("龍ヶ崎町", "茨城県")
    assert (code_of(found), found.method, found.note) == ("082082", "suffix", "written with 町")
    found = gaz.resolve("東京都八王子")
    assert (code_of(found), found.method, found.note) == ("132012", "suffix", "written with no suffix")


def test_misprint(gaz):
    found = gaz.resolve("駒根市", "長野県")
    assert (code_of(found), found.method) == ("202100", "misprint")  # 駒ヶ根市
    assert found.note == "駒根市 differs from 駒ヶ根市 by one character"
    assert code_of(gaz.resolve("韋崎市", "山梨県")) == "192074"  # 韮崎市
    # Only inside a prefecture: nationwide, one character is too little to go on.
    assert isinstance(gaz.resolve("駒根市"), NoMatch)
    # Not across suffixes: 駒ヶ根町 does not exist, and 駒根町 is not 駒ヶ根市.
    assert isinstance(gaz.resolve("駒根町", "長野県"), NoMatch)


def test_unknown_names(gaz):
    assert gaz.resolve("ああ市").reason == "no local government named ああ市"
    assert gaz.resolve("ああ市", "群馬県").reason == "no local government named ああ市 in 群馬県"
    assert isinstance(gaz.resolve(""), NoMatch)


# --- the real sources -----------------------------------------------------------


def japanese(resolved):
    return [r for r in resolved.resolutions() if not r.mention.foreign]


def find(resolved, name: str, source: str | None = None, prefecture: str | None = None):
    found = [r for r in japanese(resolved) if r.mention.name == name and (source is None or r.source == source)
             and (prefecture is None or r.mention.prefecture == prefecture)]
    assert found, name
    return found


@pytest.mark.parametrize(
    "name, prefecture, code, method",
    [
        ("嬭恋村", "群馬県", "104256", "alias"),
        ("群馬県嬭恋村", None, "104256", "alias"),
        ("檜葉町", "福島県", "075426", "alias"),
        ("帶広市", "北海道", "012076", "exact"),
        ("那霸市", "沖縄県", "472018", "exact"),
        ("龍ヶ崎町", "茨城県", "082082", "suffix"),
        ("群馬縣水上町", "群馬縣", "104493", "successor"),  # a tie of 2013, after 水上町 merged away
        ("北区", "東京都", "131172", "exact"),
        ("鹿兒島縣南薩摩市", "鹿兒島縣", "462209", "reading"),
        ("茨城縣筑波未來市", "茨城縣", "082350", "reading"),
        ("駒根市", "長野縣", "202100", "misprint"),
        ("東京都八王子", None, "132012", "suffix"),
        ("福島県伊達市", None, "072133", "exact"),  # in a Tokyo ward's list: its prefecture is written
        ("伊達市", "北海道", "012335", "exact"),
    ],
)
def test_real_mentions(resolved, name, prefecture, code, method):
    for resolution in find(resolved, name, prefecture=prefecture):
        assert isinstance(resolution.party, JapaneseGovernment), resolution
        assert (resolution.party.government.code, resolution.method) == (code, method), resolution


def test_real_homonyms_in_the_gunma_list(resolved):
    line35 = [r for r in japanese(resolved) if r.source == "gunma-2021" and r.line == 35 and r.mention.name == "明和町"]
    assert {(r.mention.prefecture, r.party.key) for r in line35} == {
        ("群馬県", "lg/105228"), ("三重県", "lg/244422")}  # the reporting town and its partner
    # 明和町 listed without a prefecture among Gunma's towns is Gunma's.
    line72 = [r for r in japanese(resolved) if r.source == "gunma-2021" and r.line == 72 and r.mention.name == "明和町"]
    assert line72 and all(r.party.key == "lg/105228" for r in line72)


def test_real_fuchu_in_the_boat_racing_list_is_a_curated_decision(resolved):
    [fuchu] = [r for r in find(resolved, "府中市", "gunma-2021")]
    assert fuchu.line == 42
    assert (fuchu.party.key, fuchu.method) == ("lg/132063", "decision")
    assert "競艇" in fuchu.note
    # Without the decision, the hint (Gunma) cannot decide between the two.
    gaz = Gazetteer.load(CURATED)
    assert isinstance(gaz.resolve("府中市", None, "群馬県"), NoMatch)


def test_real_body_is_an_organisation_in_its_government(resolved):
    [body] = find(resolved, "山形県東根市スポーツ少年団本部")
    assert isinstance(body.party, Organisation)
    assert (body.method, body.party.country, body.party.within) == ("organisation", "JP", "lg/062111")


# The Japanese mentions no step resolves, as they are now: a regression shows as a change here.
# Groups such as 東京都・市区町村 (Tokyo and all its municipalities) are bodies, not unresolved.
UNRESOLVED: list[tuple[int, str, str, str]] = []


def test_groups_of_governments_are_bodies(resolved):
    [group] = find(resolved, "東京都・市区町村")
    assert isinstance(group.party, Organisation) and group.party.within == "lg/130001"
    assert group.party.type == "GroupOfGovernments"
    # A list naming the prefecture and groups of its municipalities: the prefecture, and each group.
    listed = [r for r in japanese(resolved) if (r.source, r.line) == ("tokyo-wards-2026", 1300) and r.rules]
    assert all("one cell names 4 parties" in r.note and r.rules[0] == "list-in-cell" for r in listed)
    # 23区 and 都内 26市 are the collectives other rows write 都内23特別区 and 都内26市: one node each.
    assert [r.party.label for r in listed] == ["東京都", "都内23特別区", "都内26市", "都内13町村"]
    assert [r.rules[1:] for r in listed] == [(), ("collective-name",), ("collective-name",), ()]
    assert [getattr(r.party, "type", None) for r in listed[1:]] == ["GroupOfGovernments"] * 3


def test_every_real_japanese_mention_is_accounted_for(resolved):
    mentions = japanese(resolved)
    assert len(mentions) > 5000
    unresolved = []
    for r in mentions:
        if isinstance(r.party, JapaneseGovernment):
            assert r.method in ("exact", "alias", "containing", "reading", "suffix", "misprint", "decision",
                                "remark", "successor"), r
            assert not r.party.government.abolished, r
            assert r.party.government.kind != "prefecture" or r.method in ("exact", "remark"), r
        elif isinstance(r.party, Organisation):
            assert r.method == "organisation" and r.note, r
            assert r.party.country == "JP"
        elif isinstance(r.party, FormerGovernment):
            assert r.method == "predecessor" and r.note, r
        else:
            assert isinstance(r.party, Unresolved) and r.method == "unresolved"
            assert r.party.reason and r.note == r.party.reason
            assert not r.party.foreign
            unresolved.append((r.source, r.line, r.mention.name, r.party.reason))
    assert unresolved == UNRESOLVED


def test_methods_other_than_exact_are_few_and_explained(resolved):
    mentions = japanese(resolved)
    exact = [r for r in mentions if r.method == "exact"]
    assert len(exact) / len(mentions) > 0.9
    for r in mentions:
        if r.method in ("alias", "containing", "reading", "suffix", "misprint", "decision", "predecessor", "successor"):
            assert r.note, r  # every guess says why


def test_a_prefecture_shared_by_a_whole_list_does_not_override_an_exact_name(resolved):
    """前橋市's row lists sixty 中核市 with one (福岡県) that belongs to 久留米市 alone."""
    kawasaki = find(resolved, "川崎市", "gunma-2021")
    assert {r.party.government.code for r in kawasaki} == {"141305"}
    kurume = find(resolved, "久留米市", "gunma-2021")
    assert {r.party.government.code for r in kurume} == {"402036"}


def test_a_prefecture_written_in_the_name_keeps_approximations_inside_it(resolved):
    [kashima] = find(resolved, "佐賀県鹿嶋市", "tokyo-wards-2026")
    assert (kashima.party.government.code, kashima.method) == ("412074", "misprint")


def test_parties_joined_by_a_middle_dot_are_split_only_beside_a_government_or_counted_collective(resolved):
    # 511: the 23 wards and their joint waste association, two parties of one agreement.
    cell = [r for r in japanese(resolved) if (r.source, r.line) == ("tokyo-wards-2026", 511) and "list-in-cell" in r.rules]
    assert [r.party.label for r in cell] == ["都内23特別区", "東京二十三区清掃一部事務組合"]
    assert [r.party.type for r in cell] == ["GroupOfGovernments", "Council"]
    # 1819: one council named after the two sides it joins stays one body.
    [council] = [r for r in japanese(resolved) if (r.source, r.line) == ("tokyo-wards-2026", 1819)]
    assert council.party.label.startswith("北海道渡島地域・東京特別区交流推進協議会")

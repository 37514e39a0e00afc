"""The kind classifier: columns read in order of evidence, under the document's premise."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg.kinds import KindScheme

ROOT = Path(__file__).resolve().parents[2]
SCHEME = KindScheme.load(ROOT / "ontology", ROOT / "data" / "curated")


def claims_at(built, source: str, line: int):
    found = [(p, c) for p in built.merged.partnerships for c in p.claims if c.source == source and c.lines[0] == line]
    assert found, (source, line)
    return found


# --- small inputs ---------------------------------------------------------------------------------

def test_a_list_of_ties_other_than_twinning_gives_no_twinning_kind():
    evidence = SCHEME.classify("agreements-2016", None, [("field", None), ("wording", "姉妹都市提携に関する覚書")])
    assert evidence.kind == "exchange-cooperation" and evidence.column == "wording"
    assert evidence.set_aside == "wording 姉妹都市提携に関する覚書 → sister-city"


def test_exchange_wording_is_a_twinning_only_in_a_twinning_list():
    twinning = SCHEME.classify("gunma-2021", "domestic", [("wording", "地域間交流")])
    elsewhere = SCHEME.classify("taiwan-japan", None, [("wording", "交流促進備忘錄")])
    assert (twinning.kind, elsewhere.kind) == ("friendship-exchange", "exchange-cooperation")


def test_friendship_is_a_twinning_word_anywhere_but_in_a_list_of_other_ties():
    assert SCHEME.classify("taiwan-japan", None, [("wording", "友好交流協定")]).kind == "friendship-exchange"
    assert SCHEME.classify("agreements-2016", None, [("field", "友好交流")]).kind == "exchange-cooperation"


def test_partnership_alone_is_no_twinning():
    evidence = SCHEME.classify("tokyo-wards-2026", None, [("category", "その他"), ("title", "パートナーシップ宣誓制度に関する協定")])
    assert SCHEME.family(evidence.kind) != "twinning"
    assert SCHEME.classify("agreements-2016", None, [("wording", "パートナーシティ")]).kind == "memorandum"
    assert SCHEME.classify("tokyo-wards-2026", None, [("title", "パートナーシティ協定")]).kind == "friendship-city"


def test_the_field_column_weighs_before_the_wording():
    evidence = SCHEME.classify("agreements-2016", None, [("field", "観光"), ("wording", "観光友好都市盟約")])
    assert (evidence.kind, evidence.column) == ("tourism", "field")
    assert evidence.set_aside == "wording 観光友好都市盟約 → friendship-city"


def test_in_a_field_column_the_first_field_named_decides():
    assert SCHEME.classify("agreements-2016", None, [("field", "経済、観光等")]).kind == "economy"
    assert SCHEME.classify("agreements-2016", None, [("field", "観光、経済")]).kind == "tourism"


def test_wording_is_read_by_the_table_order():
    # 県外広域避難 is an evacuation agreement although 災害 comes first in the text.
    evidence = SCHEME.classify("gunma-2021", "disaster", [("wording", "原子力災害における県外広域避難に関する協定書")])
    assert evidence.kind == "wide-area-evacuation"


def test_without_a_known_wording_the_premise_decides():
    evidence = SCHEME.classify("gunma-2021", "disaster", [("wording", None), ("summary", "")])
    assert (evidence.kind, evidence.column) == ("disaster-mutual-aid", "premise")
    assert "災害・防災等に関する提携" in evidence.rule
    assert SCHEME.classify("japan-china-2024", None, []).kind == "friendship-city"


@pytest.mark.parametrize("column", ["field", "wording", "summary"])
def test_the_evidence_names_the_column_and_the_rule(column):
    evidence = SCHEME.classify("taiwan-japan", None, [(column, "觀光交流")])
    assert (evidence.column, evidence.rule, evidence.text) == (column, "観光|觀光", "觀光交流")


# --- the vendored sources -------------------------------------------------------------------------

def test_no_row_of_the_list_of_other_agreements_is_a_twinning(built):
    families = Counter(SCHEME.family(c.kind) for p in built.merged.partnerships for c in p.claims
                       if c.source == "agreements-2016")
    assert families["twinning"] == 0 and sum(families.values()) > 150


def test_a_memorandum_with_a_ministry_is_economic_cooperation(built):
    # agreements-2016 line 90: 山梨県 and Thailand's Ministry of Industry, field 経済.
    [(partnership, claim)] = claims_at(built, "agreements-2016", 90)
    assert (claim.kind, claim.evidence.column, claim.evidence.text) == ("economy", "field", "経済")
    assert partnership.family == "thematic-cooperation"


def test_a_friendship_city_wording_in_the_list_of_other_agreements_is_set_aside(built):
    # agreements-2016 line 105: 浜松市–杭州市 友好都市関係を樹立する協議書, field 観光.
    [(_, claim)] = claims_at(built, "agreements-2016", 105)
    assert claim.kind == "tourism"
    report = built.report.data
    assert any(d["source"] == "agreements-2016" and d["line"] == 105 and d["rule"] == "kind-evidence" for d in report["decisions"])


def test_a_partnership_certificate_agreement_is_no_friendship_tie(built):
    for partnership, claim in claims_at(built, "tokyo-wards-2026", 1130):
        assert SCHEME.family(claim.kind) != "twinning" and partnership.family != "twinning"


def test_every_claim_in_the_graph_says_what_decided_its_kind(built):
    from kg.iris import namespace

    decided = set(built.graph.objects(None, URIRef(namespace("lgp") + "kindDecidedBy")))
    assert decided <= {Literal(c) for c in ("premise", "implied", "field", "category", "wording", "title", "summary")}
    assert {Literal("field"), Literal("wording"), Literal("implied"), Literal("category")} <= decided


# --- a field of activity does not outweigh wording that names the agreement's kind ---------------

def test_an_activity_category_yields_to_an_explicit_twinning_title():
    evidence = SCHEME.classify("tokyo-wards-2026", None, [("category", "スポーツ"), ("title", "姉妹区提携交流ゲートボール大会")])
    assert (evidence.kind, evidence.column) == ("sister-city", "title")
    assert evidence.set_aside == "category スポーツ → sports"  # reported, not lost


def test_a_category_naming_an_agreement_still_decides():
    evidence = SCHEME.classify("tokyo-wards-2026", None, [("category", "災害協定"), ("title", "義士親善友好都市の相互応援協定")])
    assert (evidence.kind, evidence.column) == ("disaster-mutual-aid", "category")
    assert evidence.set_aside.endswith("→ friendship-city")
    # A category naming a field and an agreement: the agreement it names decides.
    assert SCHEME.classify("tokyo-wards-2026", None, [("category", "文化交流災害協定"), ("title", "協定")]).kind == \
        "disaster-mutual-aid"


def test_explicit_disaster_wording_outweighs_an_activity_field_but_other_aid_words_do_not():
    evidence = SCHEME.classify("tokyo-wards-2026", None, [("category", "文化交流"), ("title", "相互協力及び災害応援に関する協定")])
    assert (evidence.kind, evidence.column) == ("disaster-mutual-aid", "title")
    water = SCHEME.classify("agreements-2016", None, [("field", "行政"), ("wording", "水道分野の強化に向けた協力に関する覚書")])
    assert (water.kind, water.column) == ("exchange-cooperation", "field")
    assert water.set_aside.endswith("→ water-supply-aid")


def test_the_rows_where_the_deciding_column_and_the_wording_disagree_are_reported(built):
    decided = {(c.source, c.lines[0]): c for p in built.merged.partnerships for c in p.claims}
    for line, kind in ((135, "friendship-city"), (524, "sister-city"), (1230, "sister-city"), (1315, "friendship-exchange"),
                       (1700, "sister-city")):
        claim = decided[("tokyo-wards-2026", line)]
        assert (claim.kind, claim.evidence.column) == (kind, "title"), line
        assert claim.evidence.set_aside.startswith("category "), line
    # 文化交流 災害協定: the agreement the category names decides, not the field it names first.
    claim = decided[("tokyo-wards-2026", 422)]
    assert (claim.kind, claim.evidence.column) == ("disaster-mutual-aid", "category")
    reported = {(d["source"], d["line"]) for d in built.report.data["decisions"] if d["rule"] == "kind-evidence"}
    disagreeing = {(c.source, c.lines[0]) for p in built.merged.partnerships for c in p.claims
                   if c.evidence and c.evidence.set_aside}
    assert disagreeing == reported
    assert len(reported) == 75  # every row where the deciding column and the wording or free text disagree
    assert ("agreements-2016", 64) in reported and ("tokyo-wards-2026", 36) in reported

"""Every merge rule of :mod:`kg.merge`, on small hand-made claims.

Each rule has a test that fails when the rule is dropped, and the documented
threshold (``DISTINCT_DAYS``) is pinned from both sides, so changing it fails too.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from kg import merge
from kg.kinds import KindScheme
from kg.merge import Merger, digest
from kg.model import JapaneseGovernment, Resolution
from kg.resolve.japan import LocalGovernment
from kg.resolve.resolver import Resolved, ResolvedRecord
from mapping.dates import PartialDate
from mapping.records import Mention, PartnershipRecord, Provenance

ROOT = Path(__file__).resolve().parents[2]
SCHEME = KindScheme.load(ROOT / "ontology", ROOT / "data" / "curated")
SOURCES = [SimpleNamespace(id=name, tie=None) for name in ("list-a", "list-b", "list-c")]
MAEBASHI = LocalGovernment("102016", "前橋市", "まえばしし", "群馬県", "municipality", "100005")
HAGI = LocalGovernment("352047", "萩市", "はぎし", "山口県", "municipality", "350001")
MITO = LocalGovernment("082015", "水戸市", "みとし", "茨城県", "municipality", "080004")


def record(source: str, line: int, wording: str | None, date: PartialDate | None, *governments: LocalGovernment,
           field: str | None = None, summary: str | None = None, lines: tuple[int, ...] | None = None):
    provenance = Provenance(source, lines or (line,), f"{source} line {line}")
    mentions = tuple(Mention(g.name) for g in governments)
    parsed = PartnershipRecord(provenance, mentions, wording, date, title=wording, field=field, summary=summary)
    parties = tuple(Resolution(source, line, m, JapaneseGovernment(g), "exact") for m, g in zip(mentions, governments))
    return ResolvedRecord(parsed, parties)


def merged(*records: ResolvedRecord):
    return Merger(SCHEME, SOURCES).merge(Resolved(list(records)))


def day(iso: str) -> PartialDate:
    year, month, dd = (int(part) for part in iso.split("-"))
    return PartialDate(year, month, dd)


# --- rule 1: dates more than DISTINCT_DAYS apart are two agreements -------------------------------

def test_the_threshold_is_a_year():
    assert merge.DISTINCT_DAYS == 366


def test_claims_a_year_apart_are_one_tie_with_a_date_conflict():
    # 2002-12-18 and 2003-12-19 are 366 days apart: still one tie (the threshold is inclusive).
    result = merged(record("list-a", 1, "友好都市提携", day("2002-12-18"), MAEBASHI, HAGI),
                    record("list-b", 7, "友好都市提携", day("2003-12-19"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert [c.field for c in tie.conflicts] == ["date"]
    assert tie.conflicts[0].values == ("2002-12-18 (day)", "2003-12-19 (day)")


def test_claims_more_than_a_year_apart_are_two_agreements():
    # 367 days: two agreements, each with its own date and no conflict.
    result = merged(record("list-a", 1, "友好都市提携", day("2002-12-18"), MAEBASHI, HAGI),
                    record("list-b", 7, "友好都市提携", day("2003-12-20"), HAGI, MAEBASHI))
    assert len(result.partnerships) == 2
    assert sorted(p.date.iso for p in result.partnerships) == ["2002-12-18", "2003-12-20"]
    assert all(not p.conflicts for p in result.partnerships)


def test_a_year_agrees_with_a_day_inside_it():
    result = merged(record("list-a", 1, "友好都市提携", PartialDate(2002), MAEBASHI, HAGI),
                    record("list-b", 7, "友好都市提携", day("2002-12-18"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert tie.date.iso == "2002-12-18" and tie.conflicts == []  # the finest precision stated


# --- rule 2: two claims of one cell are two agreements ---------------------------------------------

def test_two_claims_of_one_cell_are_two_agreements():
    result = merged(record("list-a", 4, "災害時相互応援協定", None, MAEBASHI, MITO),
                    record("list-a", 4, "災害時相互応援協定", None, MAEBASHI, MITO))
    assert len(result.partnerships) == 2
    assert len({p.id for p in result.partnerships}) == 2


# --- rule 3: one source's claims of different families are two agreements -------------------------

def test_one_source_stating_two_families_states_two_agreements():
    result = merged(record("list-a", 4, "姉妹都市提携", None, MAEBASHI, MITO),
                    record("list-a", 9, "災害時相互応援協定", None, MITO, MAEBASHI))
    assert sorted(p.kind for p in result.partnerships) == ["disaster-mutual-aid", "sister-city"]


# --- rule 5: one reporter, two names -----------------------------------------------------------------

def test_one_reporter_naming_two_agreements_states_two():
    result = merged(record("list-a", 4, "観光交流協定", None, MAEBASHI, MITO),
                    record("list-a", 9, "経済交流協定", None, MAEBASHI, MITO))
    assert len(result.partnerships) == 2


def test_both_sides_of_one_list_reporting_one_tie_is_one():
    result = merged(record("list-a", 4, "観光交流協定", None, MAEBASHI, MITO),
                    record("list-a", 9, "観光交流協定", None, MITO, MAEBASHI))
    [tie] = result.partnerships
    assert len(tie.claims) == 2


# --- rules 4 and 6: other sources merge on parties and date evidence --------------------------------------------------

def test_sources_disagreeing_on_the_kind_make_one_tie_with_a_kind_conflict():
    result = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI),
                    record("list-b", 3, "観光交流", day("2012-04-06"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert [(c.field, c.values) for c in tie.conflicts] == [("kind", ("friendship-city", "tourism"))]
    # On a tie in counts, the kind first in the scheme's preference order (twinning before themes).
    assert tie.kind == "friendship-city" and tie.family == "twinning"


def test_the_kind_most_claims_state_wins():
    result = merged(record("list-a", 1, "観光交流", day("2012-04-06"), MAEBASHI, HAGI),
                    record("list-b", 3, "観光協定", day("2012-04-06"), HAGI, MAEBASHI),
                    record("list-c", 5, "友好都市", day("2012-04-06"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert tie.kind == "tourism" and tie.family == "thematic-cooperation"


@pytest.mark.parametrize("date", [None, PartialDate(2012)])
def test_without_a_precise_agreeing_date_claims_of_two_families_are_two_ties(date):
    # A friendship city of 2012-04-06 and a disaster agreement another source dates only to 2012 (or not at all).
    result = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI),
                    record("list-b", 3, "災害時相互応援協定", date, HAGI, MAEBASHI))
    assert sorted(p.kind for p in result.partnerships) == ["disaster-mutual-aid", "friendship-city"]


def test_the_precise_dates_are_day_and_month():
    assert merge.PRECISE == {"day", "month"}
    result = merged(record("list-a", 1, "友好都市提携", PartialDate(2012, 4), MAEBASHI, HAGI),
                    record("list-b", 3, "観光交流", day("2012-04-06"), HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert [c.field for c in tie.conflicts] == ["kind"]


def test_undated_claims_of_one_family_from_two_sources_are_one_tie():
    result = merged(record("list-a", 1, "友好都市提携", None, MAEBASHI, HAGI),
                    record("list-b", 3, "姉妹都市", None, HAGI, MAEBASHI))
    [tie] = result.partnerships
    assert [(c.field, c.values) for c in tie.conflicts] == [("kind", ("friendship-city", "sister-city"))]


def test_a_claim_joins_the_agreement_its_date_agrees_with():
    result = merged(record("list-a", 1, "友好都市提携", day("1990-05-01"), MAEBASHI, HAGI),
                    record("list-a", 2, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI, lines=(2, 3)),
                    record("list-b", 3, "友好都市", day("2012-04-06"), HAGI, MAEBASHI))
    dated = {p.date.iso: sorted(c.source for c in p.claims) for p in result.partnerships}
    assert dated == {"1990-05-01": ["list-a"], "2012-04-06": ["list-a", "list-b"]}


# --- identifiers -----------------------------------------------------------------------------------

def test_the_identifier_is_the_parties_not_the_kind():
    alone = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI))
    with_theme = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI),
                        record("list-b", 3, "観光交流", day("2012-04-06"), HAGI, MAEBASHI))
    assert len(with_theme.partnerships) == 1
    assert alone.partnerships[0].id == with_theme.partnerships[0].id == digest("partnership", "lg/102016", "lg/352047")


def test_agreements_sharing_their_parties_are_told_apart_by_date_and_name():
    result = merged(record("list-a", 1, "友好都市提携", day("1990-05-01"), MAEBASHI, HAGI),
                    record("list-a", 2, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI))
    ids = sorted(p.id for p in result.partnerships)
    assert ids == sorted([digest("partnership", "lg/102016", "lg/352047", "1990-05-01|友好都市提携"),
                          digest("partnership", "lg/102016", "lg/352047", "2012-04-06|友好都市提携")])


def test_source_order_does_not_change_the_result():
    a = record("list-a", 1, "友好都市提携", day("2002-12-18"), MAEBASHI, HAGI)
    b = record("list-b", 7, "観光交流", day("2003-01-10"), HAGI, MAEBASHI)
    assert [(p.id, p.kind, p.date) for p in merged(a, b).partnerships] == \
        [(p.id, p.kind, p.date) for p in merged(b, a).partnerships]


# --- claims that are no tie ----------------------------------------------------------------------------

def test_a_claim_with_one_party_is_a_problem_not_a_tie():
    result = merged(record("list-a", 1, "友好都市提携", None, MAEBASHI, MAEBASHI))
    assert result.partnerships == []
    assert [p.reason for p in result.problems] == ["a tie needs two distinct parties; only one was found"]


def test_statuses_come_from_lists():
    result = merged(record("list-a", 1, "友好都市提携", None, MAEBASHI, HAGI, summary="交流休止中"))
    assert result.partnerships[0].statuses == ("suspended",)


@pytest.mark.parametrize("source, expected", [("agreements-2016", "exchange-cooperation"), ("list-a", "friendship-exchange")])
def test_the_kind_of_a_claim_keeps_its_evidence(source, expected):
    scheme_sources = [*SOURCES, SimpleNamespace(id="agreements-2016", tie=None)]
    item = record(source, 1, "交流趣意書", None, MAEBASHI, HAGI, field="友好交流")
    [claim], _ = Merger(SCHEME, scheme_sources).claims(Resolved([item]))
    assert (claim.kind, claim.evidence.column, claim.evidence.text) == (expected, "field", "友好交流")


def test_of_two_fitting_agreements_a_claim_joins_the_one_whose_date_agrees():
    # Two agreements of one reporter in one year (rule 4); another source's claim dated like the second joins it.
    result = merged(record("list-a", 1, "観光交流協定", day("2012-01-10"), MAEBASHI, HAGI),
                    record("list-a", 2, "経済交流協定", day("2012-09-01"), MAEBASHI, HAGI),
                    record("list-b", 3, "経済交流", day("2012-09-01"), HAGI, MAEBASHI))
    joined = {p.date.iso: sorted(c.source for c in p.claims) for p in result.partnerships}
    assert joined == {"2012-01-10": ["list-a"], "2012-09-01": ["list-a", "list-b"]}


def test_precise_dates_that_disagree_keep_two_families_apart():
    result = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI),
                    record("list-b", 3, "災害時相互応援協定", day("2012-09-01"), HAGI, MAEBASHI))
    assert len(result.partnerships) == 2


def test_another_source_naming_the_tie_otherwise_is_the_same_tie():
    # The same reporter in two sources, two names for one tie: rule 5 is for one source only.
    result = merged(record("list-a", 1, "友好都市提携", day("2012-04-06"), MAEBASHI, HAGI),
                    record("list-b", 3, "友誼市", day("2012-04-06"), MAEBASHI, HAGI))
    [tie] = result.partnerships
    assert len(tie.claims) == 2 and tie.conflicts == []

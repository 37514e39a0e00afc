"""Ties from the Tokyo wards' projects: only agreements make them, one real agreement each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import given, settings as hypothesis_settings, strategies as st
from rdflib import URIRef

from kg.iris import Iris
from kg.kinds import KindScheme
from kg.merge import Merger
from kg.model import Organisation, Resolution
from kg.resolve.resolver import Resolved, ResolvedRecord
from mapping.parsers.tokyo_wards import parse
from mapping.records import ProjectRecord
from mapping.text import clean

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "tokyo-wards-2026"


def _event_only(record: ProjectRecord) -> bool:
    """A row that states no agreement of its own (it may rest on another row's)."""
    return all(agreement.refers_to is not None for agreement in record.agreements)


def test_no_partnership_rests_on_an_event_only_row(built):
    for partnership in built.merged.partnerships:
        for claim in partnership.claims:
            if isinstance(claim.record, ProjectRecord):
                assert not _event_only(claim.record), (claim.lines, claim.record.title)
                assert claim.agreement is not None and claim.agreement.refers_to is None


def test_no_partner_of_pair_rests_on_an_event_row(built, settings):
    """Every partnerOf pair has a partnership with a claim that is not an event row, or one tie an event states."""
    evidence = {"named-evidence", "quoted-agreement", "anniversary"}
    lgp = Iris(settings.base).lgp
    backing: dict[frozenset[URIRef], list] = {}
    iris = Iris(settings.base)
    for partnership in built.merged.partnerships:
        nodes = [iris.party(party.key) for party in partnership.parties]
        for a in nodes:
            for b in nodes:
                if a != b:
                    backing.setdefault(frozenset((a, b)), []).append(partnership)
    pairs = {frozenset((a, b)) for a, _, b in built.graph.triples((None, lgp.partnerOf, None))}
    assert pairs and pairs <= set(backing)
    for pair in pairs:
        claims = [claim for partnership in backing[pair] for claim in partnership.claims]
        from_events = [c for c in claims if c.agreement is not None and c.agreement.rule in evidence]
        if len(from_events) == len(claims):
            # An event row is evidence of at most that one tie, and never dates it.
            assert all(len(c.parties) == 2 and c.date is None for c in from_events), pair
    # The events of 渋谷区 (lines 1187-1218) add no tie: 渋谷区–宇都宮市 is one disaster agreement.
    shibuya_utsunomiya = [p for p in built.merged.partnerships
                          if {party.label for party in p.parties} == {"渋谷区", "宇都宮市"}]
    assert [(p.kind, p.date.iso, [c.lines for c in p.claims]) for p in shibuya_utsunomiya] == [
        ("disaster-mutual-aid", "2024", [(1170,)])]
    events = [claim for p in built.merged.partnerships for claim in p.claims
              if claim.source == SOURCE and 1187 <= claim.record.provenance.first_line <= 1218]
    assert [claim.lines for claim in events] == [(1191,)]  # 学校給食用米穀供給協定, an agreement row


def test_the_lumped_row_of_line_1440_is_thirteen_ties(built):
    ties = [p for p in built.merged.partnerships for c in p.claims if c.source == SOURCE and 1440 in c.lines]
    assert len(ties) == 13
    maebashi = [p for p in ties if "前橋市" in {party.label for party in p.parties}]
    assert [(len(p.parties), p.date.iso) for p in maebashi] == [(2, "2011-01-06")]  # gunma-2021's day; 平成22年度 agrees
    groups = sorted(len(p.parties) for p in ties if len(p.parties) > 2)
    assert len(groups) == 2  # 特別区 and 東京都及び区市町村, shared with other wards' rows


def test_one_group_agreement_reported_by_several_wards_is_one_partnership(built):
    gishi = [p for p in built.merged.partnerships
             if any(c.agreement is not None and c.agreement.group == "義士親善友好都市" for c in p.claims)]
    assert len(gishi) == 1
    [partnership] = gishi
    assert {c.record.ward.name for c in partnership.claims} == {"千代田区", "港区", "新宿区", "墨田区"}
    assert partnership.date.year == 1996


def test_a_group_agreement_row_states_only_its_own_parties(built):
    """Each row of a group agreement is a claim of the ward and the partners that row names; the
    partnership is between every party of every such row (so claims grow with rows, not rows × members)."""
    resolved = {(item.record.provenance.source, item.record.provenance.lines): item for item in built.resolved.records}
    checked = 0
    for partnership in built.merged.partnerships:
        claims = [c for c in partnership.claims if c.agreement is not None and c.agreement.group is not None]
        if not claims:
            continue
        stated: set[str] = set()
        for claim in claims:
            item = resolved[(claim.record.provenance.source, claim.record.provenance.lines)]
            own = {item.parties[0].party.key,
                   *(r.party.key for r, n in zip(item.parties[1:], item.partner_index) if n in claim.agreement.partners)}
            assert claim.party_keys == own, claim.lines
            stated |= own
            checked += 1
        assert stated == {party.key for party in partnership.parties}
    assert checked > 20


def test_projects_rest_on_the_agreements_they_name(built):
    projects = {p.record.provenance.first_line: p for p in built.merged.projects if p.record.provenance.source == SOURCE}
    by_id = {p.id: p for p in built.merged.partnerships}
    [tie] = projects[1187].rests_on  # a market under the 宇都宮市 disaster agreement of line 1170
    assert [c.lines for c in by_id[tie].claims] == [(1170,)]
    assert projects[8].rests_on == []  # つまごい祭り names no agreement


# --- property: a partnership's parties come from one agreement -----------------------------------

WARDS = ("港", "品川", "渋谷")
PARTNERS = ("群馬県前橋市", "栃木県日光市", "長野県上田市", "秋田県大館市", "東京都八王子市")
TITLES = (
    "災害時相互応援協定",
    "前橋市との災害協定 日光市との災害協定",
    "災害時における城南5区相互応援協定",
    "東京都及び区市町村相互間の災害時等協力協定",
    "観光・文化交流協定",
    "防災フェア",
    "交流マルシェ",
)
DESCRIPTIONS = (
    "協定を締結している。",
    "災害時相互応援協定を締結している自治体と交流する。",
    "防災協定を締結している前橋市と交流する。",
    "物産展を開催。",
)
YEARS = ("平成7年度", "平成22年度", "令和3年度", "—")

rows = st.lists(st.tuples(st.sampled_from(WARDS), st.sampled_from(TITLES),
                          st.lists(st.sampled_from(PARTNERS), min_size=1, max_size=3, unique=True),
                          st.sampled_from(DESCRIPTIONS), st.sampled_from(YEARS),
                          st.sampled_from(("災害協定", "観光協定", "イベント"))),
                min_size=1, max_size=8)


@cache
def _merger() -> Merger:
    return Merger(KindScheme.load(ROOT / "ontology", ROOT / "data" / "curated"), [])


def _resolved(records: list[ProjectRecord]) -> Resolved:
    """Each mention as a party of its own name (no gazetteer): the property is about structure."""
    items = []
    for record in records:
        line = record.provenance.first_line

        def party(mention):
            return Resolution("t", line, mention, Organisation(clean(mention.name), "JP"), "organisation")

        parties = (party(record.ward), *(party(p.mention) for p in record.partners))
        items.append(ResolvedRecord(record, parties, tuple(range(len(record.partners)))))
    return Resolved(items)


def _own_parties(claim, resolved: Resolved) -> set[str]:
    """The parties one claim's own agreement names: its row's ward and partners, or for a group every row naming it."""
    agreement = claim.agreement
    if agreement.group is None:
        item = next(i for i in resolved.records if i.record is claim.record)
        return {item.parties[0].party.key, *(item.parties[1 + n].party.key for n in agreement.partners)}
    keys: set[str] = set()
    for item in resolved.records:
        for other in item.record.agreements:
            if other.group == agreement.group and other.refers_to is None:
                keys |= {item.parties[0].party.key, *(item.parties[1 + n].party.key for n in other.partners)}
    return keys


@hypothesis_settings(max_examples=60, deadline=None)
@given(rows)
def test_no_partnership_joins_parties_of_rows_naming_different_agreements(table):
    lines = ["\t".join((ward, category, title, "区", " ".join(partners), description, year))
             for ward, title, partners, description, year, category in table]
    records = parse(lines, "t").records
    resolved = _resolved(records)
    merged = _merger().merge(resolved)
    for partnership in merged.partnerships:
        keys = {party.key for party in partnership.parties}
        groups = {c.agreement.group for c in partnership.claims}
        # One group at most, and never a group's claim beside a bilateral one among more than two parties.
        assert len(groups) == 1 or len(keys) == 2, groups
        for claim in partnership.claims:
            assert not _event_only(claim.record)
            assert _own_parties(claim, resolved) == keys, (claim.lines, claim.agreement)


def test_curated_group_agreements_are_one_partnership_each(built):
    ryoma = [p for p in built.merged.partnerships
             if any(c.agreement is not None and c.agreement.rule == "curated:group" and 945 in c.lines for c in p.claims)]
    assert [(len(p.parties), p.date.year) for p in ryoma] == [(8, 2014)]
    tama = [p for p in built.merged.partnerships
            if any(c.agreement is not None and c.agreement.group == "多摩の森" for c in p.claims)]
    assert len(tama) == 1
    assert sorted(c.record.provenance.first_line for c in tama[0].claims) == [31, 84, 996, 1803]


def test_a_curated_group_decision_naming_no_project_row_is_an_error(tmp_path):
    import pytest

    from kg.merge import apply_group_decisions, load_group_decisions
    from mapping.errors import InputError

    (tmp_path / "tokyo-group-agreements.csv").write_text(
        "source,line,group,reason\ntokyo-wards-2026,2,g,because\n", encoding="utf-8")
    decisions = load_group_decisions(tmp_path)
    records = parse([row_line("港", "災害協定", "災害時相互協力協定", "区", "福島県いわき市", "協力。", "平成25年度")], "t").records
    with pytest.raises(InputError, match=r"tokyo-group-agreements\.csv:2: tokyo-wards-2026:2 is not the first line"):
        apply_group_decisions(_resolved(records), decisions)


def row_line(*cells: str) -> str:
    return "\t".join(cells)

"""Resolution: every mention of every record to a party (or kept unresolved, with why)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from kg.curated import MentionDecision, read_table
from kg.model import ForeignAuthority, JapaneseGovernment, Organisation, Party, Resolution, Unresolved
from kg.resolve.foreign import ForeignGazetteer, Place
from kg.resolve.japan import Gazetteer, Match, NoMatch
from mapping.ingest import Ingestion
from mapping.places import split_prefecture
from mapping.records import Mention, PartnershipRecord, ProjectRecord
from mapping.text import clean, match_key

# Japanese bodies that are not local governments.
JAPANESE_BODY = re.compile(
    r"協議会|企業団|事務組合|広域連合|組合|協会|センター|財団|社団|\(一社\)|\(公財\)|学校|中学|小学|高校|大学|"
    r"本部|連合会|研究会|自治体|アンテナショップ|株式会社|㈱|商店街|実行委員会|観光協会|連盟|団体|"
    r"JA|NPO|施設|事務所|委員会|会議所|青年部|町村会|地域|地区|都市$|特別区|市町村|区市町村|市区町村|植物園|ふくしま|等$|"
    r"\d+(?:区|市|町村)"
)


LIST_SEPARATOR = re.compile(r"[ 、，,]+")
# Legal-form prefixes of Japanese bodies: (公財) 公益財団法人, (一社) 一般社団法人 …
LEGAL_FORM = re.compile(r"^\((?:公財|一財|公社|一社|株|有|特非)\)|^㈱")


@dataclass(slots=True)
class ResolvedRecord:
    """A parsed record with the resolution of each of its mentions, in order."""

    record: PartnershipRecord | ProjectRecord
    parties: tuple[Resolution, ...]
    """For a project: the ward first, then each partner (in ``partner_index`` order)."""
    partner_index: tuple[int, ...] = ()
    """For a project: which ``record.partners`` entry each resolution after the ward belongs to."""


@dataclass(slots=True)
class Resolved:
    records: list[ResolvedRecord]

    def resolutions(self) -> list[Resolution]:
        return [resolution for record in self.records for resolution in record.parties]


class Resolver:
    """Resolves mentions with the Japanese and foreign gazetteers and curated decisions."""

    def __init__(self, japan: Gazetteer, foreign: ForeignGazetteer, decisions: dict[tuple[str, int, str], tuple[str, str]]):
        self.japan = japan
        self.foreign = foreign
        self._decisions = decisions

    @classmethod
    def load(cls, curated: Path) -> Resolver:
        decisions = {
            (row.source, row.line, match_key(row.mention)): (row.code, row.reason)
            for row in read_table(curated / "mention-decisions.csv", MentionDecision)
        }
        return cls(Gazetteer.load(curated), ForeignGazetteer.load(curated), decisions)

    def mention(self, mention: Mention, source: str, line: int, hint: str | None = None,
                default_country: str | None = None) -> tuple[Resolution, ...]:
        """Resolve one mention; a Japanese mention running two names together gives two."""
        if mention.foreign:
            return (self._foreign(mention, source, line, default_country),)
        decided = self._decisions.get((source, line, match_key(mention.name)))
        if decided:
            code, reason = decided
            party = JapaneseGovernment(self.japan.by_code[code])
            return (Resolution(source, line, mention, party, "decision", reason),)
        found = self.japan.resolve(mention.name, mention.prefecture, hint)
        if isinstance(found, NoMatch):
            listed = self._listed(mention, hint)
            if listed:
                return tuple(r for part in listed for r in self.mention(part, source, line, hint))
        if isinstance(found, NoMatch) and found.within is None:
            parts = self._joined(mention)
            if parts:
                return tuple(r for part in parts for r in self.mention(part, source, line, hint))
        return (self._japanese(mention, found, source, line),)

    def _japanese(self, mention: Mention, found: Match | NoMatch, source: str, line: int) -> Resolution:
        if isinstance(found, Match):
            return Resolution(source, line, mention, JapaneseGovernment(found.government), found.method, found.note)
        name = clean(mention.name)
        if found.within is not None:
            party: Party = Organisation(name, "JP", f"lg/{found.within.code}")
            return Resolution(source, line, mention, party, "organisation", found.reason)
        if JAPANESE_BODY.search(name):
            prefecture = self.japan.prefecture_of(split_prefecture(name)[0] or mention.prefecture)
            within = f"lg/{prefecture.code}" if prefecture else None
            return Resolution(source, line, mention, Organisation(name, "JP", within), "organisation",
                              "a body or a group, not one local government")
        return Resolution(source, line, mention, Unresolved(name, found.reason, False), "unresolved", found.reason)

    def _listed(self, mention: Mention, hint: str | None) -> list[Mention] | None:
        """``目黒区 大田区 世田谷区``: a list in one cell, kept only if every name resolves."""
        pieces = [piece for piece in LIST_SEPARATOR.split(clean(mention.name)) if piece]
        if len(pieces) < 2:
            return None
        parts, prefecture = [], mention.prefecture
        for piece in pieces:
            written, _ = split_prefecture(piece)
            prefecture = written or prefecture
            if not isinstance(self.japan.resolve(piece, prefecture, hint), Match):
                return None
            parts.append(Mention(piece, prefecture))
        return parts

    def _joined(self, mention: Mention) -> list[Mention] | None:
        """``土佐町中土佐町``: two exact names run together by PDF extraction."""
        written_pref, rest = split_prefecture(clean(mention.name))
        text = rest.replace(" ", "")
        prefecture = mention.prefecture or written_pref
        for cut in range(2, len(text) - 1):
            head, tail = text[:cut], text[cut:]
            if not head.endswith(("市", "町", "村", "区")):
                continue
            first = self.japan.resolve(head, prefecture)
            second = self.japan.resolve(tail, prefecture or (first.government.prefecture if isinstance(first, Match) else None))
            if isinstance(first, Match) and isinstance(second, Match) and first.method == second.method == "exact":
                pref = prefecture or first.government.prefecture
                return [Mention(head, pref), Mention(tail, pref)]
        return None

    def _foreign(self, mention: Mention, source: str, line: int, default_country: str | None) -> Resolution:
        place: Place = self.foreign.read(mention.name, mention.country, mention.region, default_country)
        name = clean(mention.name) if place.organisation else place.name
        if place.country is None:
            # A Japanese body listed among foreign partners ((公財)仙台市産業振興事業団).
            found = self.japan.resolve(LEGAL_FORM.sub("", clean(mention.name)))
            if isinstance(found, NoMatch) and found.within is not None:
                party = Organisation(clean(mention.name), "JP", f"lg/{found.within.code}")
                return Resolution(source, line, mention, party, "organisation", found.reason)
            reason = "country not stated"
            return Resolution(source, line, mention, Unresolved(clean(mention.name), reason, True), "unresolved", reason)
        if place.organisation:
            within = f"place/{place.country}/{place.region.code}" if place.region else None
            return Resolution(source, line, mention, Organisation(name, place.country, within), "organisation",
                              "a body, not a local authority")
        region = place.region
        party = ForeignAuthority(place.key, clean(place.name), place.country, region.code if region else None,
                                 region.name if region else None, place.is_region)
        note = f"location not read: {place.rest}" if place.rest else ""
        return Resolution(source, line, mention, party, "place", note)

    def records(self, ingestion: Ingestion) -> Resolved:
        """Resolve every mention of every record, then unify foreign places."""
        resolved: list[ResolvedRecord] = []
        for result in ingestion.results:
            for record in result.records:
                line = record.provenance.first_line
                if isinstance(record, ProjectRecord):
                    ward = self.mention(record.ward, result.source, line)
                    hint = "東京都"
                    parties, index = list(ward[:1]), []
                    for number, partner in enumerate(record.partners):
                        for resolution in self.mention(partner.mention, result.source, partner.lines[0], hint):
                            parties.append(resolution)
                            index.append(number)
                    resolved.append(ResolvedRecord(record, tuple(parties), tuple(index)))
                    continue
                first = self.mention(record.parties[0], result.source, line)
                hint = None
                if isinstance(first[0].party, JapaneseGovernment):
                    hint = first[0].party.government.prefecture
                parties = list(first)
                for mention in record.parties[1:]:
                    parties.extend(self.mention(mention, result.source, line, hint))
                resolved.append(ResolvedRecord(record, tuple(parties)))
        return Resolved(_unify_places(resolved))


def _unify_places(records: list[ResolvedRecord]) -> list[ResolvedRecord]:
    """A place written without its region joins the one node of that name that has one."""
    regions: dict[tuple[str, str], set[str]] = defaultdict(set)
    nodes: dict[tuple[str, str, str], ForeignAuthority] = {}
    for record in records:
        for resolution in record.parties:
            party = resolution.party
            if isinstance(party, ForeignAuthority) and party.region and not party.is_region:
                regions[(party.country, match_key(party.name))].add(party.region)
                nodes.setdefault((party.country, match_key(party.name), party.region), party)
    for record in records:
        updated = []
        for resolution in record.parties:
            party = resolution.party
            if isinstance(party, ForeignAuthority) and party.region is None:
                known = regions.get((party.country, match_key(party.name)), set())
                if len(known) == 1:
                    region = next(iter(known))
                    resolution = replace(resolution, party=nodes[(party.country, match_key(party.name), region)],
                                         note=(resolution.note + "; " if resolution.note else "") + "region from another source")
            updated.append(resolution)
        record.parties = tuple(updated)
    return records

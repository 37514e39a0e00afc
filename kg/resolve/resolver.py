"""Resolution: every mention of every record to a party (or kept unresolved, with why).

A Japanese mention is looked up in the code table; one that is not a government is
taken apart by rules before it is typed as a body: a remark written into it
(``…等``, ``(旧X町)``, ``(パネリスト自治体)``, a doubled ``市市``: ``mention-remarks.csv``),
a list in one cell (``目黒区 大田区 世田谷区``; PDF extraction also puts spaces inside
names, so a space splits only where every piece is a government or a body in one),
two names run together. What remains is a body typed by ``party-words.csv``.

A foreign mention is read into country, region and name (:mod:`kg.resolve.foreign`):
a country named alone is its national government, a name with a body's word a
body of that type in its country, region and city where the text shows them.
After every record is read, what other rows know completes each party: the region
of a place written without it, the country of a place or body whose name is a
place another row locates (``釜山``, ``ビジネスオウル``), the city a body is named
after (``大連理工大学`` in 大連市), and one node for a Taiwanese township whose
status changed (員林鄉 and 員林市: ``place-statuses.csv``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kg.curated import (MentionDecision, MentionRemark, PartyDecision, PlaceRegion, PlaceStatus, PlaceVariant,
                        read_table)
from kg.model import (ForeignAuthority, JapaneseGovernment, NationalGovernment, Organisation, Party, Resolution,
                      Unresolved)
from kg.resolve.foreign import ForeignGazetteer, Place, PartyWords
from kg.predecessors import Predecessors
from kg.resolve.japan import WARD_RULE, Gazetteer, Match, NoMatch
from mapping.ingest import Ingestion
from mapping.parsers.tokyo_agreements import collective_key
from mapping.places import split_prefecture
from mapping.records import Mention, PartnershipRecord, ProjectRecord
from mapping.text import clean, match_key, nfkc

LIST_SEPARATOR = re.compile(r"\s*[、，,]\s*|\s*及び\s*")
MIDDLE_DOT = re.compile(r"\s*[・･]\s*")
# A collective that counts its members (都内23特別区, 都内26市): a party a ``・`` can set beside another.
COUNTED_COLLECTIVE = re.compile(r"[0-9一二三四五六七八九十]+(?:特別区|区|市|町|村)")
# Legal-form prefixes of Japanese bodies: (公財) 公益財団法人, (一社) 一般社団法人 …
LEGAL_FORM = re.compile(r"^\((?:公財|一財|公社|一社|株|有|特非)\)|^㈱")
# ``湖北省3館(武昌起義記念館、辛亥革命博物館、武漢市中山艦博物館)``: N bodies of one place, named in brackets.
COUNTED = re.compile(r"^(?P<where>.*?)(?P<count>\d+)(?:館|校|機関|団体)[(（](?P<items>.+)[)）]$")
NOT_STATED = "country not stated"
BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]\s*$")
# A list ordered by the code table: most neighbouring governments in non-decreasing prefecture order.
ORDERED_SHARE = 0.8
ORDERED_MINIMUM = 5


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

    predecessors: Predecessors | None = None
    """Governments that merged away (``lg-predecessors.csv``), found after the other steps."""

    def __init__(self, japan: Gazetteer, foreign: ForeignGazetteer, decisions: dict[tuple[str, int, str], tuple[str, str]],
                 remarks: list[tuple[re.Pattern[str], str, str]] | None = None,
                 parties: dict[str, PartyDecision] | None = None,
                 variants: dict[tuple[str, str], tuple[str, str]] | None = None,
                 statuses: dict[str, dict[str, int]] | None = None,
                 place_regions: dict[tuple[str, str], tuple[str, str]] | None = None):
        self.japan = japan
        self._place_regions = place_regions or {}
        """(country, folded name) → (ISO 3166-2 region, reason): places no source locates (``place-regions.csv``)."""
        self.foreign = foreign
        self._decisions = decisions
        self._remarks = remarks or []
        self._parties = parties or {}
        self._variants = variants or {}
        self._statuses = statuses or {}

    @property
    def words(self) -> PartyWords:
        return self.foreign.words

    @classmethod
    def load(cls, curated: Path) -> Resolver:
        decisions = {
            (row.source, row.line, match_key(row.mention)): (row.code, row.reason)
            for row in read_table(curated / "mention-decisions.csv", MentionDecision)
        }
        remarks = [(re.compile(row.pattern), row.replacement, row.reason)
                   for row in read_table(curated / "mention-remarks.csv", MentionRemark)]
        parties = {match_key(row.mention): row for row in read_table(curated / "party-decisions.csv", PartyDecision)}
        variants = {(row.country, match_key(row.variant)): (row.name, row.reason)
                    for row in read_table(curated / "place-variants.csv", PlaceVariant)}
        statuses: dict[str, dict[str, int]] = defaultdict(dict)
        for row in read_table(curated / "place-statuses.csv", PlaceStatus):
            statuses[row.country][row.suffix] = row.rank
        place_regions = {(row.country, match_key(row.name)): (row.region, row.reason)
                         for row in read_table(curated / "place-regions.csv", PlaceRegion)}
        resolver = cls(Gazetteer.load(curated), ForeignGazetteer.load(curated), decisions, remarks, parties, variants,
                       dict(statuses), place_regions)
        resolver.predecessors = Predecessors.load(curated, resolver.japan)
        return resolver

    def mention(self, mention: Mention, source: str, line: int, hint: str | None = None,
                default_country: str | None = None) -> tuple[Resolution, ...]:
        """Resolve one mention; a mention naming several parties gives one resolution each."""
        if mention.foreign:
            counted = COUNTED.match(clean(mention.name))
            if counted and len(items := [i for i in re.split(r"[、,]", counted["items"]) if i.strip()]) == int(counted["count"]):
                where = counted["where"] or mention.region
                return tuple(_ruled(r, "counted-bodies", f"one of the {counted['count']} bodies {clean(mention.name)} names")
                             for item in items for r in self.mention(
                                 Mention(item.strip(), country=mention.country, region=where, foreign=True), source,
                                 line, default_country=default_country))
            return (self._foreign(mention, source, line, default_country),)
        decided = self._decisions.get((source, line, match_key(mention.name)))
        if decided:
            code, reason = decided
            party = JapaneseGovernment(self.japan.by_code[code])
            return (Resolution(source, line, mention, party, "decision", reason),)
        found = self.japan.resolve(mention.name, mention.prefecture, hint)
        if isinstance(found, NoMatch):
            remarked = self._remarked(mention, source, line, hint)
            if remarked:
                return remarked
            parts = self._listed(mention, hint) or (self._joined(mention) if found.within is None
                                                    else self._glued_bodies(mention, hint))
            if parts:
                resolutions = tuple(r for part in parts for r in self.mention(part, source, line, hint))
                how = f"one cell names {len(parts)} parties: " + " | ".join(clean(p.name) for p in parts)
                return tuple(_ruled(r, "list-in-cell", how) for r in resolutions)
        return (self._japanese(mention, found, source, line),)

    def _remarked(self, mention: Mention, source: str, line: int, hint: str | None) -> tuple[Resolution, ...] | None:
        """A government with a remark written into its name (``長崎県長崎市 等``, ``伊那市(旧高遠町)``)."""
        name = clean(mention.name)
        for pattern, replacement, reason in self._remarks:
            core = pattern.sub(replacement, name).strip()
            if core == name or not core:
                continue
            found = self.japan.resolve(core, mention.prefecture, hint)
            if isinstance(found, Match):
                party = JapaneseGovernment(found.government)
                note = _join(found.note, f"remark read off {name}: {reason}")
                return (Resolution(source, line, mention, party, "remark", note, ("remark",)),)
            parts = self._listed(Mention(core, mention.prefecture), hint)
            if parts:
                return tuple(_ruled(r, "remark", f"remark read off {name}: {reason}", method="remark")
                             for part in parts for r in self.mention(part, source, line, hint))
            if "※" in name and not core.endswith(("等", "など", "ほか")):
                # A body with a note after ※: the body as named, without the note.
                body = self._japanese(replace(mention, name=core), found, source, line)
                if isinstance(body.party, Organisation):
                    return (_ruled(replace(body, mention=mention), "remark", f"remark read off {name}: {reason}"),)
        return None

    def _japanese(self, mention: Mention, found: Match | NoMatch, source: str, line: int) -> Resolution:
        if isinstance(found, Match):
            return Resolution(source, line, mention, JapaneseGovernment(found.government), found.method, found.note,
                              homonyms=found.homonyms)
        name = clean(mention.name)
        kind = self.words.type_of(LEGAL_FORM.sub("", name), "japan")
        if found.within is not None:
            party: Party = Organisation(name, "JP", f"lg/{found.within.code}", kind or "Organisation")
            return Resolution(source, line, mention, party, "organisation", found.reason, homonyms=found.homonyms)
        located = self._bracketed_location(name)
        if kind and located is not None:
            party = Organisation(name, "JP", f"lg/{located.code}", kind)
            return Resolution(source, line, mention, party, "organisation",
                              f"a body in {located.full_label}, as the brackets of its name say", ("location-in-brackets",))
        if kind and found.homonyms:
            return Resolution(source, line, mention, Organisation(name, "JP", None, kind), "organisation", found.reason,
                              homonyms=found.homonyms)
        if kind:
            prefecture = self.japan.prefecture_of(split_prefecture(name)[0] or mention.prefecture)
            within = f"lg/{prefecture.code}" if prefecture else None
            return Resolution(source, line, mention, Organisation(name, "JP", within, kind), "organisation",
                              "a body or a group, not one local government")
        return Resolution(source, line, mention, Unresolved(name, found.reason, False), "unresolved", found.reason)

    def _bracketed_location(self, name: str):
        """The government a body's name locates in brackets (``美郷町立千畑小学校(秋田県仙北郡美郷町)``), or None."""
        found = BRACKETED.search(nfkc(name))
        if not found:
            return None
        located = self.japan.resolve(found.group(1))
        return located.government if isinstance(located, Match) and located.government.kind != "prefecture" else None

    def _piece(self, text: str, prefecture: str | None, hint: str | None, groups: bool) -> bool:
        """Whether one piece of a list names a party on its own: a government, a body in one, or a group."""
        found = self.japan.resolve(text, prefecture, hint)
        if isinstance(found, Match) or found.within is not None:
            return True
        return groups and self.words.type_of(text, "japan") == "GroupOfGovernments"

    def _listed(self, mention: Mention, hint: str | None) -> list[Mention] | None:
        """Several parties in one cell: ``A、B及びC``, or ``目黒区 大田区 世田谷区`` split at spaces.

        Kept only when every piece is a government, a body in a named government, or (in a
        ``、`` list) a group, and at least one piece is a government or a body in one.
        """
        text = nfkc(mention.name).strip()
        pieces = [clean(piece) for piece in LIST_SEPARATOR.split(text) if piece.strip()]
        if len(pieces) > 1:
            found = self._pieces(pieces, mention.prefecture, hint, groups=True)
            if found:
                return found
        dotted = [clean(piece) for piece in MIDDLE_DOT.split(text) if piece.strip()]
        if len(dotted) > 1:
            found = self._dotted(dotted, mention.prefecture, hint)
            if found:
                return found
        tokens = text.split()
        if len(tokens) < 2:
            return None
        # PDF extraction puts spaces inside names too (日本わさび協 会): see _segment.
        return self._segment(tokens, mention.prefecture, hint)

    def _pieces(self, pieces: list[str], prefecture: str | None, hint: str | None, groups: bool) -> list[Mention] | None:
        parts, governments = [], 0
        for piece in pieces:
            written, _ = split_prefecture(piece)
            prefecture = written or prefecture
            if not self._piece(piece, prefecture, hint, groups):
                return None
            governments += self._piece(piece, prefecture, hint, False)
            parts.append(Mention(piece, prefecture))
        return parts if governments else None

    def _dotted(self, pieces: list[str], prefecture: str | None, hint: str | None) -> list[Mention] | None:
        """``都内23特別区・東京二十三区清掃一部事務組合``: parties joined by ``・``.

        A middle dot also joins words inside one name (``北海道渡島地域・東京特別区交流推進協議会``,
        ``湯西川・川俣・奥鬼怒温泉観光協会``), so the cut is kept only when one piece is a government by
        its exact name or a counted collective (``都内23特別区``), and every piece names a party on its own: a government, a body in
        one, a group, or a body by its words (``party-words.csv``). A group after its prefecture
        (``東京都・市区町村``) is that prefecture's group, one party.

        >>> resolver = Resolver.load(Path("data/curated"))
        >>> [m.name for m in resolver._dotted(["都内23特別区", "東京二十三区清掃一部事務組合"], None, None)]
        ['都内23特別区', '東京二十三区清掃一部事務組合']
        >>> resolver._dotted(["北海道渡島地域", "東京特別区交流推進協議会"], None, None) is None
        True
        >>> resolver._dotted(["東京都", "市区町村"], None, None) is None
        True
        """
        parts, anchored, after_prefecture = [], False, False
        for piece in pieces:
            written, _ = split_prefecture(piece)
            prefecture = written or prefecture
            found = self.japan.resolve(piece, prefecture, hint)
            kind = self.words.type_of(piece, "japan")
            if after_prefecture and kind == "GroupOfGovernments":
                return None  # 東京都・市区町村: the prefecture's own municipalities, one group within it
            after_prefecture = isinstance(found, Match) and found.government.kind == "prefecture"
            anchored |= (isinstance(found, Match) and found.method == "exact") or (
                kind == "GroupOfGovernments" and COUNTED_COLLECTIVE.search(piece) is not None)
            if not (isinstance(found, Match) or found.within is not None or kind):
                return None
            parts.append(Mention(piece, prefecture))
        return parts if anchored else None

    def _segment(self, tokens: list[str], prefecture: str | None, hint: str | None) -> list[Mention] | None:
        """Pieces of a space-separated cell: a token that begins with a government's name starts a
        piece, any other token continues the one before (a name PDF extraction broke at a line
        end), and a prefecture alone prefixes the next piece (東京都 中央区). Every piece must name
        a party on its own."""
        pieces: list[str] = []
        prefix = ""
        for token in tokens:
            written, remainder = split_prefecture(clean(token))
            if written and not remainder:
                prefix += token
                continue
            if pieces and not prefix and not self.japan.begins_with_name(token):
                pieces[-1] += token
            else:
                pieces.append(prefix + token)
            prefix = ""
        if prefix:
            pieces.append(prefix) if not pieces else None
        if len(pieces) < 2:
            return None
        parts: list[Mention] = []
        for piece in (clean(p) for p in pieces):
            written, _ = split_prefecture(piece)
            prefecture = written or prefecture
            if self._piece(piece, prefecture, hint, False):
                parts.append(Mention(piece, prefecture))
                continue
            # A piece that names no party continues the one before, if together they name one.
            joined = parts[-1].name + piece if parts else None
            if joined is None or not self._piece(joined, parts[-1].prefecture, hint, False):
                return None
            parts[-1] = Mention(joined, parts[-1].prefecture)
        return parts if len(parts) > 1 else None

    def _glued_bodies(self, mention: Mention, hint: str | None) -> list[Mention] | None:
        """``府中市教育委員会栲原町教育委員会``: bodies of two governments written back to back without a separator.

        Cut after a body's word (``party-words.csv``) where what follows begins with a
        government's name and both halves name a party on their own.

        >>> resolver = Resolver.load(Path("data/curated"))
        >>> [m.name for m in resolver._glued_bodies(Mention("呉市教育委員会檮原町教育委員会"), None)]
        ['呉市教育委員会', '檮原町教育委員会']
        """
        text = clean(mention.name).replace(" ", "")
        for pattern, _, scope in self.words.rules:
            if scope not in ("japan", "both"):
                continue
            for word in pattern.finditer(text):
                head, tail = text[: word.end()], text[word.end():]
                if not tail or not self.japan.begins_with_name(tail):
                    continue
                written, _ = split_prefecture(tail)
                if self._piece(head, mention.prefecture, hint, False) and self._piece(tail, written or mention.prefecture,
                                                                                       hint, False):
                    rest = self._glued_bodies(Mention(tail, written or mention.prefecture), hint)
                    return [Mention(head, mention.prefecture), *(rest or [Mention(tail, written or mention.prefecture)])]
        return None

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
        decided = self._parties.get(match_key(mention.name))
        if decided:
            return Resolution(source, line, mention, self._decided(decided), "decision", decided.reason)
        place: Place = self.foreign.read(mention.name, mention.country, mention.region, default_country)
        name = clean(mention.name) if place.organisation else place.name
        if place.country is None:
            # A Japanese body listed among foreign partners ((公財)仙台市産業振興事業団).
            found = self.japan.resolve(LEGAL_FORM.sub("", clean(mention.name)))
            if isinstance(found, NoMatch) and found.within is not None:
                kind = self.words.type_of(clean(mention.name), "japan") or "Organisation"
                party = Organisation(clean(mention.name), "JP", f"lg/{found.within.code}", kind)
                return Resolution(source, line, mention, party, "organisation", found.reason)
            named = self.foreign.country_in(mention.name)
            if named:
                resolution = self._foreign(mention, source, line, named)
                return _ruled(resolution, "country-in-name", f"country {named} named in the name")
            kind = self.words.type_of(clean(mention.name), "abroad")
            if kind == "GroupOfGovernments":
                party = Organisation(clean(mention.name), None, None, kind)
                return Resolution(source, line, mention, party, "organisation",
                                  "governments of several countries (a network's members), not one party")
            return Resolution(source, line, mention, Unresolved(clean(mention.name), NOT_STATED, True), "unresolved",
                              NOT_STATED)
        if place.is_country:
            return Resolution(source, line, mention, NationalGovernment(place.country, name), "country",
                              "a country named as the partner: its national government", ("country-as-partner",))
        if place.organisation:
            within = f"place/{place.country}/{place.region.code}" if place.region else None
            variant = self._variants.get((place.country, match_key(name)))
            if variant:
                # One body written several ways (タイ工業省, 工業省, タイ王国工業省): one node.
                return Resolution(source, line, mention, Organisation(variant[0], place.country, within,
                                                                      place.organisation),
                                  "organisation", f"a body, not a local authority; {name} is {variant[0]}: {variant[1]}",
                                  ("place-variant",))
            return Resolution(source, line, mention, Organisation(name, place.country, within, place.organisation),
                              "organisation", "a body, not a local authority")
        variant = self._variants.get((place.country, match_key(place.name)))
        note = f"location not read: {place.rest}" if place.rest else ""
        rules: tuple[str, ...] = ()
        if variant:
            place = replace(place, name=variant[0])
            note = _join(note, f"{name} is {variant[0]}: {variant[1]}")
            rules = ("place-variant",)
        located = self._place_regions.get((place.country, match_key(place.name)))
        if located and place.region is None and not place.is_region:
            place = replace(place, region=self.foreign.region_of_code(located[0]))
            note = _join(note, f"in {place.region.name} ({located[0]}): {located[1]}")
            rules = (*rules, "region-from-table")
        region = place.region
        party = ForeignAuthority(place.key, clean(place.name), place.country, region.code if region else None,
                                 region.name if region else None, place.is_region)
        return Resolution(source, line, mention, party, "place", note, rules)

    def _decided(self, row: PartyDecision) -> Party:
        if row.type == "ForeignLocalAuthority":
            located = self._place_regions.get((row.country, match_key(row.name)))
            region = self.foreign.region_of_code(located[0]) if located else None
            place = Place(row.country, region, row.name, False, None)
            return ForeignAuthority(place.key, row.name, row.country, region and region.code, region and region.name,
                                    False)
        return Organisation(row.name, row.country, row.within or None, row.type)

    def records(self, ingestion: Ingestion) -> Resolved:
        """Resolve every mention of every record, then complete foreign parties from the other rows."""
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
                    resolved.append(ResolvedRecord(record, decide_homonyms(tuple(parties)), tuple(index)))
                    continue
                first = self.mention(record.parties[0], result.source, line)
                hint = None
                if isinstance(first[0].party, JapaneseGovernment):
                    hint = first[0].party.government.prefecture
                parties = list(first)
                for mention in record.parties[1:]:
                    parties.extend(self.mention(mention, result.source, line, hint))
                resolved.append(ResolvedRecord(record, tuple(parties)))
        for item in resolved:
            item.parties = decide_homonyms(item.parties)
        records = _fold_collectives(_unify_places(resolved))
        records = self._countries_from_other_rows(records)
        records = _fold_statuses(records, self._statuses)
        records = _locate_bodies(records)
        return Resolved(self.predecessors.apply(records) if self.predecessors else records)

    def _countries_from_other_rows(self, records: list[ResolvedRecord]) -> list[ResolvedRecord]:
        """A foreign place or body written without a country takes the one other rows give a place of its name."""
        known: dict[str, set[str]] = defaultdict(set)
        for record in records:
            for resolution in record.parties:
                party = resolution.party
                if isinstance(party, ForeignAuthority):
                    for name in (party.name, party.region_name if party.is_region else None):
                        if name:
                            known[_stem(name)].add(party.country)

        def change(resolution: Resolution) -> Resolution:
            party = resolution.party
            if isinstance(party, Unresolved) and party.foreign and party.reason == NOT_STATED:
                stem = _stem(party.name)
                countries = known.get(stem) or {c for name, cs in known.items() if len(name) >= 2
                                                and name in match_key(party.name) for c in cs}
                if len(countries) == 1:
                    country = next(iter(countries))
                    again = self._foreign(resolution.mention, resolution.source, resolution.line, country)
                    return _ruled(again, "country-from-other-row",
                                  f"country {country} from another row naming a place {stem} there")
            return resolution

        return _rewrite(records, change)


def _rewrite(records: list[ResolvedRecord], change: Callable[[Resolution], Resolution]) -> list[ResolvedRecord]:
    """Every party of every record through ``change``: a pass deciding some of them by what other rows say."""
    for record in records:
        record.parties = tuple(change(resolution) for resolution in record.parties)
    return records


def _ruled(resolution: Resolution, rule: str, note: str, **changes) -> Resolution:
    """``resolution`` decided by a named rule, with the note saying how."""
    return replace(resolution, note=_join(resolution.note, note), rules=(*resolution.rules, rule), **changes)


def _join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)


def _stem(name: str) -> str:
    """A place name without its status suffix, for matching a name written without it (釜山 and 釜山市)."""
    key = match_key(name)
    for suffix in ("広域市", "特別市", "市", "県", "省", "州", "道"):
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


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

    def change(resolution: Resolution) -> Resolution:
        party = resolution.party
        if isinstance(party, ForeignAuthority) and party.region is None:
            known = regions.get((party.country, match_key(party.name)), set())
            if len(known) == 1:
                region = next(iter(known))
                return _ruled(resolution, "region-from-other-row", "region from another source",
                              party=nodes[(party.country, match_key(party.name), region)])
        return resolution

    return _rewrite(records, change)


def _fold_statuses(records: list[ResolvedRecord], statuses: dict[str, dict[str, int]]) -> list[ResolvedRecord]:
    """Places of one region whose names differ only by a status suffix are one place, under its highest status."""
    def stem(party: ForeignAuthority) -> tuple[str, str, str] | None:
        suffixes = statuses.get(party.country, {})
        key = match_key(party.name)
        if party.is_region or not party.region or len(key) < 3 or key[-1] not in suffixes:
            return None
        return party.country, party.region, key[:-1]

    best: dict[tuple[str, str, str], ForeignAuthority] = {}
    for record in records:
        for resolution in record.parties:
            party = resolution.party
            if isinstance(party, ForeignAuthority) and (key := stem(party)):
                rank = statuses[party.country][match_key(party.name)[-1]]
                current = best.get(key)
                if current is None or (rank, party.key) > (statuses[party.country][match_key(current.name)[-1]], current.key):
                    best[key] = party

    def change(resolution: Resolution) -> Resolution:
        party = resolution.party
        if isinstance(party, ForeignAuthority) and (key := stem(party)) and best[key].key != party.key:
            return _ruled(resolution, "place-status",
                          f"{party.name} is {best[key].name}: the same place under another status", party=best[key])
        return resolution

    return _rewrite(records, change)


def _locate_bodies(records: list[ResolvedRecord]) -> list[ResolvedRecord]:
    """A foreign body named after a city another row locates lies in that city (大連理工大学 in 大連市);
    an agency abroad that the text places in no region or city is a national body."""
    cities: dict[str, dict[ForeignAuthority, None]] = defaultdict(dict)  # each country's cities, in order met
    for record in records:
        for resolution in record.parties:
            party = resolution.party
            if isinstance(party, ForeignAuthority) and not party.is_region:
                cities[party.country].setdefault(party, None)
    # (city, its stem, its whole name) for each country, worked out once.
    stems = {country: [(city, stem, match_key(city.name)) for city in found if len(stem := _stem(city.name)) >= 2]
             for country, found in cities.items()}

    def change(resolution: Resolution) -> Resolution:
        party = resolution.party
        if isinstance(party, Organisation) and party.country and party.country != "JP":
            key = match_key(party.name)
            named = sorted(((city, stem) for city, stem, whole in stems.get(party.country, ())
                            if stem in key and key != whole),
                           key=lambda pair: (not key.startswith(pair[1]), -len(pair[1]), pair[0].key))
            city = named[0][0] if named else None
            if city and (party.within is None or party.within == f"place/{party.country}/{city.region}"):
                return _ruled(resolution, "body-in-city", f"in {city.name}, which its name names",
                              party=replace(party, within=city.key))
            if party.within is None and party.type == "Agency":
                return _ruled(resolution, "national-agency", "an agency placed in no region or city: a national body",
                              party=replace(party, type="NationalBody"))
        return resolution

    return _rewrite(records, change)


def _prefecture_code(resolution: Resolution) -> str | None:
    """The prefecture code (two digits) of a Japanese party whose government is certain, or None."""
    party = resolution.party
    if resolution.homonyms:
        return None
    if isinstance(party, JapaneseGovernment):
        return party.government.code[:2]
    if isinstance(party, Organisation) and party.country == "JP" and party.within:
        return party.within.removeprefix("lg/")[:2]
    return None


def _decided(resolution: Resolution, chosen, rule: str, note: str) -> Resolution:
    """``resolution`` with its homonym decided: the government ``chosen`` (or left undecided, ``chosen=None``)."""
    party = resolution.party
    if chosen is None:
        return _ruled(resolution, rule, note, homonyms=())
    if isinstance(party, JapaneseGovernment):
        party = JapaneseGovernment(chosen)
    elif isinstance(party, Organisation):
        party = replace(party, within=f"lg/{chosen.code}")
    return _ruled(resolution, rule, note, party=party, homonyms=())


def decide_homonyms(parties: tuple[Resolution, ...]) -> tuple[Resolution, ...]:
    """Each mention of a name several prefectures have (府中市, 伊達市, 美郷町 …), decided by the row's evidence.

    In order: (1) the row lists its governments in the code table's order (most neighbours
    in non-decreasing prefecture order) and exactly one candidate's prefecture lies between
    the neighbours before and after it (``homonym-list-order``: 府中市教育委員会 between
    広島県呉市's and 高知県檮原町's boards is 広島県府中市's); (2) every other government of the
    row lies in one prefecture, a candidate's (``homonym-row-prefecture``); (3) the reporting
    government's prefecture, which chose it first, is kept, and the choice reported
    (``homonym-reporting-prefecture``); (4) otherwise it stays undecided, reported
    (``homonym-undecided``). The first party (the reporting government) is never weighed.
    """
    if not any(r.homonyms for r in parties):
        return parties
    codes = [_prefecture_code(r) for r in parties]
    known = [(index, code) for index, code in enumerate(codes) if code and index > 0]
    steps = list(zip(known, known[1:]))
    ordered = (len(known) >= ORDERED_MINIMUM
               and sum(a[1] <= b[1] for a, b in steps) >= ORDERED_SHARE * len(steps))
    others = {code for _, code in known}
    out = list(parties)
    for index, resolution in enumerate(parties):
        if not resolution.homonyms:
            continue
        candidates = resolution.homonyms
        listed = " or ".join(f"{lg.full_label} ({lg.code})" for lg in candidates)
        if ordered:
            before = next((code for i, code in reversed(known) if i < index), None)
            after = next((code for i, code in known if i > index), None)
            fitting = [lg for lg in candidates if (before or "00") <= lg.code[:2] <= (after or "99")]
            if before and after and len(fitting) == 1:
                out[index] = _decided(resolution, fitting[0], "homonym-list-order",
                                      f"{listed}: the row lists its governments in code order, and only "
                                      f"{fitting[0].full_label} lies between its neighbours")
                continue
        local = [lg for lg in candidates if {lg.code[:2]} == others]
        if len(local) == 1:
            out[index] = _decided(resolution, local[0], "homonym-row-prefecture",
                                  f"{listed}: every other government of the row is in {local[0].prefecture}")
            continue
        party = resolution.party
        chosen = party.government.code if isinstance(party, JapaneseGovernment) else (
            party.within.removeprefix("lg/") if isinstance(party, Organisation) and party.within else None)
        if chosen and WARD_RULE in resolution.note:
            out[index] = _ruled(resolution, "homonym-municipality-over-ward",
                                f"{listed}: no other evidence in the row; the municipality of the name, not a "
                                "designated city's ward", homonyms=())
        elif chosen:
            out[index] = _ruled(resolution, "homonym-reporting-prefecture",
                                f"{listed}: no other evidence in the row; the reporting government's prefecture "
                                "decides", homonyms=())
        else:
            out[index] = _decided(resolution, None, "homonym-undecided",
                                  f"{listed}: nothing in the row tells which; left undecided")
    return tuple(out)


def _fold_collectives(records: list[ResolvedRecord]) -> list[ResolvedRecord]:
    """A collective of governments written several ways (都内23特別区, 23区, 東京23区(特別区)) is one node:
    the spelling most mentions use (then the shortest), located where any of them is (rule ``collective-name``)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    within: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for resolution in record.parties:
            party = resolution.party
            if isinstance(party, Organisation) and party.country == "JP" and party.type == "GroupOfGovernments":
                key = collective_key(party.name)
                if key and "+" not in key:
                    spellings[key][party.name] += 1
                    if party.within:
                        within[key].add(party.within)
    canonical = {}
    for key, counts in spellings.items():
        if len(counts) > 1:
            name = min(counts, key=lambda n: (-counts[n], len(n), n))
            place = next(iter(within[key])) if len(within[key]) == 1 else None
            canonical[key] = Organisation(name, "JP", place, "GroupOfGovernments")
    if not canonical:
        return records

    def change(resolution: Resolution) -> Resolution:
        party = resolution.party
        key = collective_key(party.name) if isinstance(party, Organisation) and party.country == "JP" \
            and party.type == "GroupOfGovernments" else None
        if key in canonical and party != canonical[key]:
            return _ruled(resolution, "collective-name",
                          f"{party.name} and {canonical[key].name} name one collective of governments",
                          party=canonical[key])
        return resolution

    return _rewrite(records, change)

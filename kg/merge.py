"""Merge: claims about the same tie, from any source, become one partnership.

Claims are grouped by the set of their parties, then split into agreements on
evidence (:func:`_clusters`, whose rules are numbered in :func:`_distinct_agreements`):

1. claims dated more than ``DISTINCT_DAYS`` (a year) apart are two agreements;
2. two claims of one cell (the same lines of one source) are two agreements;
3. two claims of one source whose kinds are of different families (a sister-city
   row and a disaster-agreement row of Gunma's list) are two agreements;
4. two claims of different sources whose kinds are of different families are one
   tie only on date evidence: both dated to the month or the day (``PRECISE``), and
   agreeing (友好城市 and 経済交流 both on 2016-08-24); a year alone, or no date, does
   not make a friendship tie and a disaster agreement one;
5. two claims one government reports under different names are two agreements
   (福岡市's several memoranda with 釜山広域市);
6. anything else between the same parties is one tie: claims of different sources
   merge, and a kind or date they disagree on is a reported conflict
   (``lgp:conflictingField``). A claim joins the agreement whose date agrees with
   its own, else the first that fits.

The kind family is not part of the key: 友好都市 in one list and 観光交流 in another
for the same pair and year are one tie with a kind conflict, not two ties.

Identifiers are hashes of content: the sorted party keys, and for agreements that
share their parties a distinguishing date and name (:func:`_distinguish`), never
of row order or of the kind, so a tie keeps its IRI when a source adds a claim of
another kind.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.curated import TokyoGroupAgreement, read_table
from kg.kinds import NO_PREMISE, KindEvidence, KindScheme
from kg.model import Claim, Conflict, Partnership, Project, Resolution
from kg.resolve.resolver import Resolved, ResolvedRecord
from mapping.dates import PartialDate
from mapping.errors import InputError
from mapping.manifest import Source
from mapping.records import AgreementRecord, PartnershipRecord, Problem, ProjectRecord, Provenance
from mapping.text import clean

# Rule 1: claims dated further apart than this (in days) are different agreements.
DISTINCT_DAYS = 366
# Rule 4: the precisions at which agreeing dates are evidence that claims of different families are one tie.
PRECISE = frozenset({"day", "month"})
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "fiscal-year": 3}


@dataclass(slots=True)
class Merged:
    partnerships: list[Partnership]
    projects: list[Project]
    problems: list[Problem] = field(default_factory=list)
    unknown_wordings: list[Problem] = field(default_factory=list)
    """Claims whose wording no row of ``wording-kinds.csv`` matches: kept as ``memorandum``, and reported."""

    @property
    def conflicts(self) -> list[Conflict]:
        return [conflict for partnership in self.partnerships for conflict in partnership.conflicts]


def digest(*parts: str) -> str:
    """Short stable identifier from content.

    >>> digest("twinning", "lg/104493", "place/TW/TW-TNN")
    '24d7bd54e8d7'
    """
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]


def _distinct(resolutions: list[Resolution]) -> tuple[Resolution, ...]:
    seen: dict[str, Resolution] = {}
    for resolution in resolutions:
        seen.setdefault(resolution.party.key, resolution)
    return tuple(seen.values())


GROUP_DECISIONS = "tokyo-group-agreements.csv"


@dataclass(frozen=True, slots=True)
class GroupDecision:
    """A project row whose agreement is one group agreement though no rule can tell (a curated row)."""

    source: str
    line: int
    group: str
    reason: str
    where: str
    """``FILE:LINE`` of the curated row, for errors."""


def load_group_decisions(curated: Path) -> dict[tuple[str, int], GroupDecision]:
    """The curated group agreements, by source and first line of the project row."""
    path = curated / GROUP_DECISIONS
    decisions = {}
    for number, row in enumerate(read_table(path, TokyoGroupAgreement), start=2):
        decision = GroupDecision(row.source, row.line, row.group, row.reason, f"{path}:{number}")
        decisions[(decision.source, decision.line)] = decision
    return decisions


def apply_group_decisions(resolved: Resolved, decisions: dict[tuple[str, int], GroupDecision]) -> Resolved:
    """Rows a curated decision names: their partners are one group agreement (rule ``curated:group``).

    The row's own bilateral agreements give way to it; an agreement it only
    refers to is kept. A decision naming no project row is an error.
    """
    seen: set[tuple[str, int]] = set()
    records = []
    for item in resolved.records:
        record = item.record
        key = (record.provenance.source, record.provenance.first_line)
        if isinstance(record, ProjectRecord) and key in decisions:
            seen.add(key)
            group = AgreementRecord(clean(record.title), tuple(range(len(record.partners))), record.start,
                                    record.provenance.lines, "curated:group", decisions[key].group)
            kept = tuple(a for a in record.agreements if a.refers_to is not None and a.group is None)
            item = replace(item, record=replace(record, agreements=(*kept, group)))
        records.append(item)
    for key in decisions.keys() - seen:
        raise InputError(f"{decisions[key].where}: {key[0]}:{key[1]} is not the first line of a project row")
    return Resolved(records)


def _agreement_provenance(record: ProjectRecord, agreement: AgreementRecord) -> Provenance:
    """Where a project row states one agreement: the row's first line and the agreement's own lines."""
    provenance = record.provenance
    lines = tuple(sorted(set(agreement.lines) | {provenance.first_line}))
    return Provenance(provenance.source, lines, provenance.raw)


class Merger:
    def __init__(self, scheme: KindScheme, sources: list[Source],
                 group_decisions: dict[tuple[str, int], GroupDecision] | None = None):
        self.scheme = scheme
        self.ties = {source.id: source.tie for source in sources}
        self.unknown: list[Problem] = []
        self.group_decisions = group_decisions or {}

    def _unknown(self, provenance, wording: str | None, fallback: str, *, stated: bool = True) -> str:
        """Report a wording that maps to no kind, or a tie no wording states (unless ``stated`` is false:
        the section the row is in states it); the claim keeps ``fallback``."""
        if wording:
            reason = f"wording {clean(wording)!r} matches no row of wording-kinds.csv (kept as {fallback})"
        elif stated:
            reason = f"no wording states the kind of tie (kept as {fallback})"
        else:
            return fallback
        self.unknown.append(Problem(provenance.source, provenance.lines, provenance.raw, reason))
        return fallback

    def claims(self, resolved: Resolved) -> tuple[list[Claim], list[Problem]]:
        self.unknown = []
        claims: list[Claim] = []
        groups = _group_parties(resolved)
        for item in resolved.records:
            if isinstance(item.record, PartnershipRecord):
                claims.append(self._record_claim(item))
            else:
                claims.extend(self._project_claims(item, groups))
        kept, problems = [], []
        for claim in claims:
            if len(claim.merge_keys) < 2:
                problems.append(Problem(claim.source, claim.lines, claim.raw,
                                        "a tie needs two distinct parties; only one was found"))
            else:
                kept.append(claim)
        return kept, problems

    def _record_claim(self, item: ResolvedRecord) -> Claim:
        record: PartnershipRecord = item.record
        source = record.provenance.source
        implied = (self.ties.get(source) or None) if not record.wording else None
        columns = [("implied", implied), ("field", record.field), ("wording", record.wording),
                   ("title", record.title if record.title != record.wording else None), ("summary", record.summary)]
        evidence = self._classify(record.provenance, source, record.section, columns)
        return Claim(source, record.provenance.lines, record.provenance.raw, _distinct(list(item.parties)),
                     evidence.kind, record.wording, record.title, record.date, record,
                     implied_wording=implied, summary=record.summary, evidence=evidence)

    def _classify(self, provenance: Provenance, source: str, section: str | None,
                  columns: list[tuple[str, str | None]]) -> KindEvidence:
        """The kind of a claim by :meth:`KindScheme.classify`; one that only the document's default gives, while
        a column has wording or no premise is stated, is reported as an unknown wording."""
        evidence = self.scheme.classify(source, section, columns)
        if evidence.column == "premise":
            wording = next((text for _, text in columns if text), None)
            self._unknown(provenance, wording, evidence.kind, stated=evidence.rule == NO_PREMISE.reason)
        return evidence

    def _project_claims(self, item: ResolvedRecord,
                        groups: dict[str, tuple[str, tuple[Resolution, ...]]]) -> list[Claim]:
        """One claim for each agreement a ward's row states (see :mod:`mapping.parsers.tokyo_agreements`).

        A bilateral agreement is the ward and its one partner; a group agreement
        is every party of every row naming the group (``groups``), so all those
        rows make one partnership. An agreement the row only refers to (an
        event held under another row's agreement) makes no claim.
        """
        record: ProjectRecord = item.record
        claims: list[Claim] = []
        for agreement in record.agreements:
            if agreement.refers_to is not None:
                continue
            parties = (item.parties[0], *_partners_of(item, agreement))
            group: tuple[Resolution, ...] = ()
            if agreement.group is not None:
                # The group's name as its first row writes it, so that every row of the group names one agreement.
                names, members = groups[agreement.group]
                group = _distinct([item.parties[0], *members])
                name = clean(names)
            else:
                name = clean(agreement.name)
            evidence = self._classify(_agreement_provenance(record, agreement), record.provenance.source, None,
                                      [("category", clean(record.category)), ("title", name)])
            claims.append(self._project_claim(record, parties, evidence, name, agreement, group))
        return claims

    def _project_claim(self, record: ProjectRecord, parties, evidence: KindEvidence, title: str,
                       agreement: AgreementRecord, group: tuple[Resolution, ...] = ()) -> Claim:
        provenance = _agreement_provenance(record, agreement)
        return Claim(provenance.source, provenance.lines, provenance.raw, _distinct(list(parties)), evidence.kind,
                     title, title, agreement.date, record, summary=clean(record.description) or None,
                     agreement=agreement, evidence=evidence, group=group)

    def merge(self, resolved: Resolved) -> Merged:
        if self.group_decisions:
            resolved = apply_group_decisions(resolved, self.group_decisions)
        claims, problems = self.claims(resolved)
        groups: dict[frozenset[str], list[Claim]] = defaultdict(list)
        for claim in claims:
            groups[claim.merge_keys].append(claim)
        partnerships: list[Partnership] = []
        for keys, members in groups.items():
            # Source id, not manifest position: adding or reordering sources keeps choices stable.
            members.sort(key=lambda c: (c.source, c.lines))
            clusters = _clusters(members, self.scheme.family)
            seen: Counter[str] = Counter()
            for cluster in clusters:
                discriminator: tuple[str, ...] = ()
                if len(clusters) > 1:
                    label = _distinguish(cluster)
                    seen[label] += 1
                    discriminator = (label,) if seen[label] == 1 else (label, str(seen[label]))
                partnerships.append(self._partnership(keys, cluster, discriminator))
        partnerships.sort(key=lambda p: p.id)
        projects = self._projects(resolved, partnerships)
        return Merged(partnerships, projects, problems, sorted(self.unknown, key=lambda p: (p.source, p.lines)))

    def _partnership(self, keys: frozenset[str], claims: list[Claim], discriminator: tuple[str, ...]) -> Partnership:
        identifier = digest("partnership", *sorted(keys), *discriminator)
        counts = Counter(claim.kind for claim in claims)
        # The kind most claims state; on a tie, the one first in the scheme's preference order.
        kind = min(counts, key=lambda k: (-counts[k], self.scheme.order.index(k)))
        family = self.scheme.family(kind)
        parties = {}
        for claim in claims:
            for resolution in claim.group or claim.parties:
                parties.setdefault(resolution.party.key, resolution.party)
        conflicts = []
        if len(counts) > 1:
            conflicts.append(Conflict(identifier, "kind", tuple(sorted(counts))))
        date, disagreeing = _choose_date([claim.date for claim in claims if claim.date])
        if disagreeing:
            conflicts.append(Conflict(identifier, "date", tuple(sorted({d.iso + f" ({d.precision})" for d in disagreeing}))))
        title = next((claim.title for claim in claims if claim.title), None) or next(
            (claim.wording or claim.implied_wording for claim in claims if claim.wording or claim.implied_wording), None)
        ordered = tuple(parties[key] for key in sorted(parties))
        # Project descriptions speak of the project, not of the agreement: only lists' claims state a status.
        statuses = tuple(dict.fromkeys(status for claim in claims if isinstance(claim.record, PartnershipRecord)
                                       for status in self.scheme.status_of(claim.wording, claim.summary)))
        return Partnership(identifier, kind, family, ordered, claims, date, title and clean(title), conflicts, statuses)

    def _projects(self, resolved: Resolved, partnerships: list[Partnership]) -> list[Project]:
        by_record: dict[int, list[str]] = defaultdict(list)
        # (source, first line of the stating row, agreement name, partner key) → partnership
        stated: dict[tuple[str, int, str, str], str] = {}
        for partnership in partnerships:
            for claim in partnership.claims:
                if isinstance(claim.record, ProjectRecord):
                    by_record[id(claim.record)].append(partnership.id)
                    if claim.agreement is not None:
                        where = (claim.source, claim.record.provenance.first_line, claim.agreement.name)
                        for key in claim.merge_keys:
                            stated[(*where, key)] = partnership.id
        for item in resolved.records:
            record = item.record
            if not isinstance(record, ProjectRecord):
                continue
            for agreement in record.agreements:
                if agreement.refers_to is None:
                    continue
                for resolution in _partners_of(item, agreement):
                    found = stated.get((record.provenance.source, agreement.refers_to, agreement.name,
                                        resolution.party.key))
                    if found:
                        by_record[id(record)].append(found)
        projects: dict[str, Project] = {}
        for item in resolved.records:
            record = item.record
            if not isinstance(record, ProjectRecord):
                continue
            ward = item.parties[0]
            identifier = digest("project", ward.party.key, clean(record.category), clean(record.title),
                                clean(record.organizer), *sorted(r.party.key for r in item.parties[1:]))
            partners = tuple((resolution, record.partners[index].start)
                             for resolution, index in zip(item.parties[1:], item.partner_index))
            project = Project(identifier, record, ward, partners, sorted(set(by_record.get(id(record), []))),
                              self.scheme.status_of(record.description, record.start_text))
            if identifier in projects:
                # The same project listed twice: keep one, with the agreements of both.
                projects[identifier].rests_on = sorted(set(projects[identifier].rests_on) | set(project.rests_on))
            else:
                projects[identifier] = project
        return sorted(projects.values(), key=lambda p: p.id)


def _partners_of(item: ResolvedRecord, agreement: AgreementRecord) -> list[Resolution]:
    """The resolutions of the partners an agreement names (a partner may resolve to several parties)."""
    wanted = set(agreement.partners)
    return [resolution for resolution, index in zip(item.parties[1:], item.partner_index) if index in wanted]


def _group_parties(resolved: Resolved) -> dict[str, tuple[str, tuple[Resolution, ...]]]:
    """For each group agreement: its name as the first row naming it writes it, and every party of every such row."""
    groups: dict[str, list[Resolution]] = defaultdict(list)
    names: dict[str, tuple[int, str]] = {}
    for item in resolved.records:
        if not isinstance(item.record, ProjectRecord):
            continue
        for agreement in item.record.agreements:
            if agreement.group is not None and agreement.refers_to is None:
                groups[agreement.group] += [item.parties[0], *_partners_of(item, agreement)]
                line = item.record.provenance.first_line
                if agreement.group not in names or line < names[agreement.group][0]:
                    names[agreement.group] = (line, agreement.name)
    return {group: (names[group][1], _distinct(parties)) for group, parties in groups.items()}


def _clusters(claims: list[Claim], family=lambda kind: kind) -> list[list[Claim]]:
    """Split the claims about one set of parties into distinct agreements (rules in the module docstring).

    The same tie reported from both sides (前橋市's row and 吉岡町's row) is one.
    Claims dated more than a year apart are different agreements (a 2012
    memorandum between two friendship cities of 1994); closer dates that disagree
    are one tie with a date conflict. A claim joins the agreement whose date
    agrees with its own, else the first that fits.
    """
    clusters: list[list[Claim]] = []
    for claim in claims:
        fitting = [c for c in clusters if not any(_distinct_agreements(claim, other, family) for other in c)]
        if claim.date:
            agreeing = [c for c in fitting if any(o.date and o.date.agrees_with(claim.date) for o in c)]
            fitting = agreeing or fitting
        if fitting:
            fitting[0].append(claim)
        else:
            clusters.append([claim])
    return clusters


def _distinct_agreements(a: Claim, b: Claim, family=lambda kind: kind) -> bool:
    """Whether two claims about the same parties are two agreements (rules 1–5)."""
    if a.date and b.date and _days_apart(a.date, b.date) > DISTINCT_DAYS:
        return True  # rule 1
    if a.source != b.source:
        if family(a.kind) != family(b.kind):
            precise = a.date and b.date and a.date.precision in PRECISE and b.date.precision in PRECISE
            return not (precise and a.date.agrees_with(b.date))  # rule 4
        return False  # rule 6: another source's claim of the same tie
    if a.lines == b.lines:
        return True  # rule 2
    if family(a.kind) != family(b.kind):
        return True  # rule 3
    same_reporter = a.parties[0].party.key == b.parties[0].party.key
    return same_reporter and _name(a) != _name(b)  # rule 5


def _days_apart(a: PartialDate, b: PartialDate) -> int:
    (a_first, a_last), (b_first, b_last) = a.interval(), b.interval()
    return max((b_first - a_last).days, (a_first - b_last).days, 0)


def _name(claim: Claim) -> str:
    return clean(claim.title or claim.wording or "")


def _distinguish(claims: list[Claim]) -> str:
    """What tells one agreement from another between the same parties: its date and name."""
    dates = sorted(claim.date.iso for claim in claims if claim.date)
    name = next((_name(claim) for claim in claims if _name(claim)), "")
    return f"{dates[0] if dates else ''}|{name}"


def _choose_date(dates: list[PartialDate]) -> tuple[PartialDate | None, list[PartialDate]]:
    """The date most claims agree with, at the finest precision stated; all dates if they disagree."""
    if not dates:
        return None, []
    support = [sum(other.agrees_with(date) for other in dates) for date in dates]
    best = max(range(len(dates)), key=lambda i: (support[i], -PRECISION_RANK[dates[i].precision], -i))
    chosen = dates[best]
    disagreeing = [date for date in dates if not date.agrees_with(chosen)]
    return chosen, ([chosen, *disagreeing] if disagreeing else [])

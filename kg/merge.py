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
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kg.kinds import KindEvidence, KindScheme
from kg.model import Claim, Conflict, Partnership, Project, Resolution
from kg.resolve.resolver import Resolved, ResolvedRecord
from mapping.dates import PartialDate
from mapping.manifest import Source
from mapping.records import PartnershipRecord, Problem, ProjectRecord
from mapping.text import clean

# Rule 1: claims dated further apart than this (in days) are different agreements.
DISTINCT_DAYS = 366
# Rule 4: the precisions at which agreeing dates are evidence that claims of different families are one tie.
PRECISE = frozenset({"day", "month"})
AGREEMENT_TITLE = re.compile(r"協定|覚書|盟約|提携")
NAMED_AGREEMENT = re.compile(r"「([^」]*(?:協定|覚書)[^」]*)」")
PRECISION_RANK = {"day": 0, "month": 1, "year": 2, "fiscal-year": 3}


@dataclass(slots=True)
class Merged:
    partnerships: list[Partnership]
    projects: list[Project]
    problems: list[Problem] = field(default_factory=list)

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


class Merger:
    def __init__(self, scheme: KindScheme, sources: list[Source]):
        self.scheme = scheme
        self.ties = {source.id: source.tie for source in sources}

    def claims(self, resolved: Resolved) -> tuple[list[Claim], list[Problem]]:
        claims: list[Claim] = []
        for item in resolved.records:
            if isinstance(item.record, PartnershipRecord):
                claims.append(self._record_claim(item))
            else:
                claims.extend(self._project_claims(item))
        kept, problems = [], []
        for claim in claims:
            if len(claim.party_keys) < 2:
                problems.append(Problem(claim.source, claim.lines, claim.raw,
                                        "a tie needs two distinct parties; only one was found"))
            else:
                kept.append(claim)
        return kept, problems

    def _record_claim(self, item: ResolvedRecord) -> Claim:
        record: PartnershipRecord = item.record
        source = record.provenance.source
        implied = (self.ties.get(source) or None) if not record.wording else None
        evidence = self.scheme.classify(source, record.section, [
            ("implied", implied), ("field", record.field), ("wording", record.wording),
            ("title", record.title if record.title != record.wording else None), ("summary", record.summary)])
        return Claim(source, record.provenance.lines, record.provenance.raw, _distinct(list(item.parties)),
                     evidence.kind, record.wording, record.title, record.date, record,
                     implied_wording=implied, summary=record.summary, evidence=evidence)

    def _project_claims(self, item: ResolvedRecord) -> list[Claim]:
        """Agreements a ward's project list states: 災害協定 rows, agreement titles, agreements named in the text."""
        record: ProjectRecord = item.record
        ward, partners = item.parties[0], item.parties[1:]
        title = clean(record.title)
        claims: list[Claim] = []
        if "協定" in record.category or AGREEMENT_TITLE.search(title):
            evidence = self.scheme.classify(record.provenance.source, None,
                                            [("category", clean(record.category)), ("title", title)])
            kind = evidence.kind
            own_dates = [record.partners[index].start for index in item.partner_index]
            if len(partners) > 1 and all(own_dates):
                for resolution, date in zip(partners, own_dates):
                    claims.append(self._project_claim(record, (ward, resolution), kind, title, date, evidence))
            else:
                claims.append(self._project_claim(record, (ward, *partners), kind, title, record.start, evidence))
        for name in dict.fromkeys(NAMED_AGREEMENT.findall(clean(record.description))):
            evidence = self.scheme.classify(record.provenance.source, None, [("summary", name)])
            claims.append(self._project_claim(record, (ward, *partners), evidence.kind, name, None, evidence))
        return claims

    def _project_claim(self, record: ProjectRecord, parties, kind: str, title: str, date: PartialDate | None,
                       evidence: KindEvidence | None = None) -> Claim:
        provenance = record.provenance
        return Claim(provenance.source, provenance.lines, provenance.raw, _distinct(list(parties)), kind,
                     title, title, date, record, summary=clean(record.description) or None, evidence=evidence)

    def merge(self, resolved: Resolved) -> Merged:
        claims, problems = self.claims(resolved)
        groups: dict[frozenset[str], list[Claim]] = defaultdict(list)
        for claim in claims:
            groups[claim.party_keys].append(claim)
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
        return Merged(partnerships, projects, problems)

    def _partnership(self, keys: frozenset[str], claims: list[Claim], discriminator: tuple[str, ...]) -> Partnership:
        identifier = digest("partnership", *sorted(keys), *discriminator)
        counts = Counter(claim.kind for claim in claims)
        # The kind most claims state; on a tie, the one first in the scheme's preference order.
        kind = min(counts, key=lambda k: (-counts[k], self.scheme.order.index(k)))
        family = self.scheme.family(kind)
        parties = {}
        for claim in claims:
            for resolution in claim.parties:
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
        for partnership in partnerships:
            for claim in partnership.claims:
                if isinstance(claim.record, ProjectRecord):
                    by_record[id(claim.record)].append(partnership.id)
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

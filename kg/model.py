"""The entities the pipeline hands from stage to stage after parsing.

Parties are what mentions resolve to; claims are records with resolved parties
and a kind; partnerships merge the claims about one real-world tie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from kg.government import LocalGovernment
from kg.kinds import KindEvidence
from mapping.dates import PartialDate
from mapping.records import AgreementRecord, Mention, PartnershipRecord, ProjectRecord
from mapping.text import match_key


@dataclass(frozen=True, slots=True)
class JapaneseGovernment:
    """A Japanese local government with its 全国地方公共団体コード."""

    government: LocalGovernment

    @property
    def key(self) -> str:
        return f"lg/{self.government.code}"

    @property
    def label(self) -> str:
        return self.government.label


@dataclass(frozen=True, slots=True)
class ForeignAuthority:
    """A local authority abroad: country (ISO 3166-1), region (ISO 3166-2) and name."""

    place_key: str
    name: str
    country: str
    region: str | None
    region_name: str | None
    is_region: bool

    @property
    def key(self) -> str:
        return f"place/{self.place_key}"

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class NationalGovernment:
    """A country that is itself a party (``ベトナム``, ``中国`` named as the partner): its national government."""

    country: str
    name: str

    @property
    def key(self) -> str:
        return f"national/{self.country}"

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Organisation:
    """A body that is a party but not a local government, named as the source names it.

    ``type`` is one of the body classes of the ontology (``NationalBody``, ``University``,
    ``Museum``, ``Company``, ``Association``, ``Office``, ``Council``, ``Agency``,
    ``GroupOfGovernments`` …; ``Organisation`` when no word tells), read from
    ``data/curated/party-words.csv``.
    """

    name: str
    country: str | None
    within: str | None = None
    """Key of the government, city or region the body lies in, when the text shows it."""
    type: str = "Organisation"

    @property
    def key(self) -> str:
        return f"org/{self.country or '-'}/{match_key(self.name)}"

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A mention that could not be resolved with confidence, kept with its text and why."""

    name: str
    reason: str
    foreign: bool

    @property
    def key(self) -> str:
        return f"unresolved/{'foreign' if self.foreign else 'jp'}/{match_key(self.name)}"

    @property
    def label(self) -> str:
        return self.name


Party = Union[JapaneseGovernment, ForeignAuthority, NationalGovernment, Organisation, Unresolved]


@dataclass(frozen=True, slots=True)
class Resolution:
    """One mention and the party it resolved to, with how and any note."""

    source: str
    line: int
    mention: Mention
    party: Party
    method: str
    note: str = ""
    rules: tuple[str, ...] = ()
    """Rules that decided an ambiguous mention (``remark``, ``list-in-cell``, ``country-from-other-row`` …), for the report."""
    homonyms: tuple[LocalGovernment, ...] = ()
    """Governments of the same name in other prefectures the mention may also mean (府中市: 東京都 or 広島県),
    until the row's evidence decides (:meth:`kg.resolve.resolver.Resolver.records`)."""

    @property
    def resolved(self) -> bool:
        return not isinstance(self.party, Unresolved)


@dataclass(frozen=True, slots=True)
class Claim:
    """What one source says about one tie: its record, resolved parties and kind."""

    source: str
    lines: tuple[int, ...]
    raw: str
    parties: tuple[Resolution, ...]
    kind: str
    wording: str | None
    title: str | None
    date: PartialDate | None
    record: PartnershipRecord | ProjectRecord
    implied_wording: str | None = None
    """The wording the document implies for every row, when the row has none."""
    summary: str | None = None
    agreement: AgreementRecord | None = None
    """For a project row: the agreement the claim states (with the rule that found it)."""
    evidence: KindEvidence | None = None
    """Which column (and rule) decided ``kind``."""
    group: tuple[Resolution, ...] = ()
    """For a row joining a group agreement: every party of every row naming the group. ``parties`` are
    the ones this row states; the claim is merged with the group's other rows under these."""

    @property
    def party_keys(self) -> frozenset[str]:
        return frozenset(resolution.party.key for resolution in self.parties)

    @property
    def merge_keys(self) -> frozenset[str]:
        """The parties the claim's tie is between: the group's for a row of a group agreement, else its own."""
        if self.group:
            return frozenset(resolution.party.key for resolution in self.group)
        return self.party_keys


@dataclass(frozen=True, slots=True)
class Conflict:
    """Claims about one partnership that disagree on a field."""

    partnership: str
    field: str
    values: tuple[str, ...]


@dataclass(slots=True)
class Partnership:
    """One real-world tie with every claim made about it."""

    id: str
    kind: str
    family: str
    parties: tuple[Party, ...]
    claims: list[Claim]
    date: PartialDate | None
    title: str | None
    conflicts: list[Conflict] = field(default_factory=list)
    statuses: tuple[str, ...] = ()


@dataclass(slots=True)
class Project:
    """A cooperation project (事業) with its parties and the agreements it rests on.

    ``rests_on`` lists the partnerships of the agreements the row states or
    names; a project naming no agreement rests on none (and makes no tie).
    """

    id: str
    record: ProjectRecord
    ward: Resolution
    partners: tuple[tuple[Resolution, PartialDate | None], ...]
    rests_on: list[str] = field(default_factory=list)
    statuses: tuple[str, ...] = ()

"""Typed records that parsers produce: what a source says, with where it says it.

Every record carries its provenance (source id, 1-based line numbers, raw text).
Names and wording are kept exactly as written; normalisation and resolution
happen in later stages, which keep the original next to what they derive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from mapping.dates import PartialDate


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record comes from: source id, 1-based line numbers, raw text."""

    source: str
    lines: tuple[int, ...]
    raw: str

    @property
    def first_line(self) -> int:
        return self.lines[0]

    def ref(self) -> str:
        """``SOURCE_ID:LINE`` as used in reports and CSV dumps.

        >>> Provenance("gunma-2021", (10, 11), "…").ref()
        'gunma-2021:10'
        """
        return f"{self.source}:{self.lines[0]}"


@dataclass(frozen=True, slots=True)
class Mention:
    """A party exactly as a source writes it, before any clean-up or resolution.

    ``name`` is the text naming the party, verbatim (it may carry a prefecture
    or country prefix, as in ``群馬縣水上町`` or ``台湾台南市``, and stray spaces
    from PDF extraction). ``prefecture`` is the Japanese prefecture the source
    gives next to it; for a foreign party (``foreign=True``) ``country`` is the
    location the source gives, country first, possibly followed by a region
    (``アメリカ合衆国ミシガン州``), and ``region`` a first-level region the source
    gives in a separate cell or after a separator. All as written.
    """

    name: str
    prefecture: str | None = None
    country: str | None = None
    region: str | None = None
    foreign: bool = False


Section = Literal["domestic", "disaster", "international"]


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    """One tie as one source states it: parties, wording, date.

    ``parties`` lists every party, the reporting government first. Two parties
    make a bilateral tie; more make a multilateral agreement.
    ``wording`` is the source's own words for the tie (``姉妹都市提携``,
    ``姊妹市``, an agreement's name) and is kept verbatim; ``title`` is the
    agreement's name where the source has a column or quotation for it.
    """

    provenance: Provenance
    parties: tuple[Mention, ...]
    wording: str | None
    date: PartialDate | None = None
    title: str | None = None
    field: str | None = None
    summary: str | None = None
    url: str | None = None
    section: Section | None = None
    other_dates: tuple[PartialDate, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectPartner:
    """A partner of a cooperation project, with the lines naming it."""

    mention: Mention
    lines: tuple[int, ...]
    start: PartialDate | None = None


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    """An agreement a project row rests on, as the row states or names it.

    The reporting ward is always a party. ``partners`` are indexes into the
    project's ``partners``: for a bilateral agreement (``group`` is ``None``)
    exactly one; for a group agreement (a member count, a collective of
    governments, ``相互間``) every listed member, and ``group`` is the group's
    name as written, so that rows of several wards naming it can be one tie.
    ``date`` is the agreement's own date where the row gives one (a partner's
    own start year, or the row's start on an agreement row), never the date of
    an event. ``rule`` names the rule that found it, ``lines`` where it is
    stated. ``refers_to`` is the first line of another row that states the same
    agreement, when this row only speaks of it (an event held under it): the
    project then rests on that row's agreement and adds no tie of its own.
    """

    name: str
    partners: tuple[int, ...]
    date: PartialDate | None
    lines: tuple[int, ...]
    rule: str
    group: str | None = None
    refers_to: int | None = None


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    """A cooperation project (事業) of a Tokyo special ward with its partners.

    ``agreements`` are the agreements the row states or names (see
    :class:`AgreementRecord`); a project naming none rests on no agreement and
    yields no tie.
    """

    provenance: Provenance
    ward: Mention
    category: str
    title: str
    organizer: str
    partners: tuple[ProjectPartner, ...]
    description: str
    start: PartialDate | None
    start_text: str
    agreements: tuple[AgreementRecord, ...] = ()


Record = Union[PartnershipRecord, ProjectRecord]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a source that could not be parsed, or only in part.

    Problems are never fatal: the rest of the file is still read, and every
    problem is listed in the ingestion report with its source, lines and text.
    """

    source: str
    lines: tuple[int, ...]
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A choice a parser made by rule where the layout allows more than one reading.

    ``certain`` is false where no evidence settled it and the rule's default was
    taken; the report lists every decision with its line, rule and outcome.
    """

    source: str
    lines: tuple[int, ...]
    rule: str
    outcome: str
    certain: bool = True


StructuralKind = Literal["title", "as-of", "header", "section", "region", "footnote"]


@dataclass(slots=True)
class ParseResult:
    """What a parser makes of one source file.

    ``structural`` maps lines that carry no record (titles, repeated page
    headers, section headings, footnotes) to what they are, so the coverage
    check can tell them from lines that were lost. ``decisions`` are the choices
    taken by rule where the layout allows several readings (the report lists them).
    """

    source: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    structural: dict[int, StructuralKind] = field(default_factory=dict)
    decisions: list[Decision] = field(default_factory=list)

    def covered_lines(self) -> set[int]:
        """Lines accounted for by a record, a problem or a structural role."""
        covered: set[int] = set(self.structural)
        for record in self.records:
            covered.update(record.provenance.lines)
            if isinstance(record, ProjectRecord):
                for partner in record.partners:
                    covered.update(partner.lines)
        for problem in self.problems:
            covered.update(problem.lines)
        return covered

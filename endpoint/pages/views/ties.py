"""Ties and projects as pages list them, and the details of partnership, claim and project pages.

A list of ties is gathered for a set of parties given as a SPARQL pattern that
binds ``?party`` (``VALUES ?party { <…> }``, or ``?party lgp:prefecture <…>``),
so a government's page, a prefecture's page and a country's page share one
query.

>>> from endpoint.store.backends import EmbeddedStore
>>> store = EmbeddedStore.from_text(
...     '<http://x/id/partnership/1> <http://x/def/lgp#party> <http://x/id/lg/1> .\\n'
...     '<http://x/id/partnership/1> <http://x/def/lgp#party> <http://x/id/lg/2> .')
>>> ties = ties_for(store, Iris("http://x/"), "VALUES ?party { <http://x/id/lg/1> }")
>>> [(tie.party, [p.iri for p in tie.partners]) for tie in ties]
[('http://x/id/lg/1', ['http://x/id/lg/2'])]
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from endpoint.pages.views.common import (
    DCTERMS,
    PROV,
    Labelled,
    Ref,
    When,
    labelled,
    number,
    precision_of,
    ref_list,
    refs_of,
    select,
    text,
    values,
)
from endpoint.pages.views.facts import Facts
from endpoint.pages.views.maps import MapData, of_parties
from endpoint.store.backends import Backend
from kg.iris import Iris

SHOWN_PARTNERS = 6
"""Partners a row of a list names; a larger partnership shows its count instead."""


@dataclass(frozen=True, slots=True)
class Tie:
    """One partnership as a list shows it, from the side of one of its parties."""

    party: str
    """The IRI of the party whose list this row is in."""
    partnership: Ref
    kind: Ref | None
    date: When | None
    title: str | None
    partners: list[Ref]
    """The other parties, at most :data:`SHOWN_PARTNERS` of them."""
    partner_count: int
    """How many other parties there are."""
    countries: list[Ref] = ()
    """Countries of the other parties (foreign ones; none for ties within Japan)."""
    sources: list[Ref] = ()
    """The sources the partnership is derived from."""
    regions: tuple[tuple[str, str], ...] = ()
    """``(partner IRI, ISO 3166-2 code)`` of the other parties that lie in a known region."""
    title_lang: str | None = None
    """The language of ``title`` (the source's)."""


@dataclass(frozen=True, slots=True)
class KindGroup:
    """Ties of one kind."""

    kind: Ref | None
    family: Ref | None
    ties: list[Tie]


def ties_for(
    backend: Backend, vocab: Iris, pattern: str, cancelled: threading.Event | None = None
) -> list[Tie]:
    """Every partnership of the parties ``pattern`` binds to ``?party``."""
    facts = select(backend, vocab, f"""SELECT ?party ?p ?kind (SAMPLE(?d) AS ?date) (SAMPLE(?pr) AS ?precision)
       (SAMPLE(?t) AS ?title) WHERE {{
  {pattern}
  ?p lgp:party ?party .
  OPTIONAL {{ ?p lgp:kind ?kind }}
  OPTIONAL {{ ?p lgp:date ?d }}
  OPTIONAL {{ ?p lgp:datePrecision ?pr }}
  OPTIONAL {{ ?p dcterms:title ?t }}
}} GROUP BY ?party ?p ?kind""", cancelled)
    members = select(backend, vocab, f"""SELECT DISTINCT ?p ?member ?country ?region WHERE {{
  {{ SELECT DISTINCT ?p WHERE {{ {pattern} ?p lgp:party ?party }} }}
  ?p lgp:party ?member .
  OPTIONAL {{ ?member lgp:country ?country }}
  OPTIONAL {{ ?member lgp:region/skos:notation ?region }}
}}""", cancelled)
    derived = select(backend, vocab, f"""SELECT DISTINCT ?p ?source WHERE {{
  {{ SELECT DISTINCT ?p WHERE {{ {pattern} ?p lgp:party ?party }} }}
  ?p prov:wasDerivedFrom ?source .
}}""", cancelled)
    parties_of: dict[str, list[str]] = {}
    country_of: dict[str, str] = {}
    region_of: dict[str, str] = {}
    for row in members:
        parties_of.setdefault(row["p"].value, []).append(row["member"].value)
        if row["country"] is not None:
            country_of[row["member"].value] = row["country"].value
        if row["region"] is not None:
            member, region = row["member"].value, row["region"].value
            region_of[member] = min(region_of.get(member, region), region)
    sources_of: dict[str, list[str]] = {}
    for row in derived:
        sources_of.setdefault(row["p"].value, []).append(row["source"].value)
    for parties in parties_of.values():
        parties.sort()
    rows, wanted = [], set()
    for row in facts:
        party, partnership = row["party"].value, row["p"].value
        others = [member for member in parties_of.get(partnership, []) if member != party]
        shown = others if len(others) <= SHOWN_PARTNERS else []
        rows.append((row, party, partnership, others, shown))
        wanted.update([partnership, text(row["kind"]), *shown])
    wanted.update(country_of.values())
    wanted.update(source for found in sources_of.values() for source in found)
    refs = refs_of(backend, vocab, wanted, cancelled)
    ties = [
        Tie(
            party, refs[partnership], refs.get(text(row["kind"])),
            When.of(row["date"], precision_of(row["precision"])), text(row["title"]),
            ref_list(refs, shown), len(others),
            ref_list(refs, sorted({country_of[m] for m in others if m in country_of})),
            ref_list(refs, sorted(set(sources_of.get(partnership, ())))),
            tuple((m, region_of[m]) for m in shown if m in region_of),
            getattr(row["title"], "language", None) or None,
        )
        for row, party, partnership, others, shown in rows
    ]
    return sorted(ties, key=_tie_order)


def _tie_order(tie: Tie):
    return (tie.date is None, tie.date.value if tie.date else "", tie.partnership.name)


def group_by_kind(
    backend: Backend, vocab: Iris, ties: list[Tie], cancelled: threading.Event | None = None
) -> list[KindGroup]:
    """Ties grouped by kind: twinning first, then disaster cooperation, then thematic ties."""
    kinds = sorted({tie.kind.iri for tie in ties if tie.kind})
    family_of: dict[str, str] = {}
    position: dict[str, int] = {}
    if kinds:
        rows = select(backend, vocab, f"""SELECT ?kind ?family ?position WHERE {{
  VALUES ?kind {{ {values(kinds)} }} ?kind skos:broader ?family .
  OPTIONAL {{ ?family <https://schema.org/position> ?position }} }}""", cancelled)
        family_of = {row["kind"].value: row["family"].value for row in rows}
        # The scheme's own order of families (schema:position in ontology/kinds.ttl).
        position = {row["family"].value: int(row["position"].value) for row in rows if row.get("position")}
    families = refs_of(backend, vocab, family_of.values(), cancelled)
    groups: dict[str | None, list[Tie]] = {}
    kind_refs: dict[str | None, Ref | None] = {}
    for tie in ties:
        key = tie.kind.iri if tie.kind else None
        groups.setdefault(key, []).append(tie)
        kind_refs[key] = tie.kind

    def order(key: str | None):
        family = family_of.get(key or "", key or "")
        return (key is None, position.get(family, len(position) + 1), -len(groups[key]), key or "")

    return [
        KindGroup(kind_refs[key], families.get(family_of.get(key or "", "")), groups[key])
        for key in sorted(groups, key=order)
    ]


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One cooperation project as a list shows it."""

    project: Ref
    ward: Ref | None
    partners: list[Ref]
    field: str | None
    start: When | None


def projects_for(
    backend: Backend, vocab: Iris, pattern: str, cancelled: threading.Event | None = None
) -> list[ProjectRow]:
    """The projects ``pattern`` binds to ``?project``."""
    rows = select(backend, vocab, f"""SELECT ?project ?ward ?partner ?field ?start WHERE {{
  {{ SELECT DISTINCT ?project WHERE {{ {pattern} }} }}
  OPTIONAL {{ ?project lgp:ward ?ward }}
  OPTIONAL {{ ?project lgp:partner ?partner }}
  OPTIONAL {{ ?project lgp:field ?field }}
  OPTIONAL {{ ?project lgp:startFiscalYear ?start }}
}}""", cancelled)
    by_project: dict[str, dict] = {}
    for row in rows:
        entry = by_project.setdefault(row["project"].value, {"row": row, "partners": []})
        if row["partner"] is not None:
            entry["partners"].append(row["partner"].value)
    wanted = {iri for iri in by_project} | {p for e in by_project.values() for p in e["partners"]}
    wanted |= {text(e["row"]["ward"]) for e in by_project.values()}
    refs = refs_of(backend, vocab, wanted, cancelled)
    projects = [
        ProjectRow(
            refs[iri], refs.get(text(entry["row"]["ward"])), ref_list(refs, sorted(entry["partners"])),
            text(entry["row"]["field"]), When.of(entry["row"]["start"], "fiscal-year"),
        )
        for iri, entry in by_project.items()
    ]
    return sorted(projects, key=lambda p: (p.ward.name if p.ward else "", p.start.value if p.start else "", p.project.name))


@dataclass(frozen=True, slots=True)
class StatedParty:
    """A party as the source writes it, and what it was resolved to."""

    written: Labelled | None
    resolved: Ref | None
    method: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ClaimView:
    """What one line of one source says."""

    claim: Ref
    source: Ref | None
    line: int | None
    wording: str | None
    implied_wording: str | None
    raw_text: str | None
    date: When | None
    kind: Ref | None
    field: str | None
    description: str | None
    parties: list[StatedParty]
    partnership: Ref | None
    text_lang: str | None = None
    """The language of the source's text (wording, raw text, description)."""
    document: str | None = None
    """The address the source gives for the agreement itself (its URL column), when it gives one."""


def _party_number(iri: str) -> tuple[int, str]:
    found = re.search(r"(\d+)$", iri)
    return (int(found.group(1)) if found else 0, iri)


def claims(backend: Backend, vocab: Iris, iris: list[str], cancelled: threading.Event | None = None) -> list[ClaimView]:
    """The claims ``iris``, with their source, line, wording and stated parties."""
    if not iris:
        return []
    rows = select(backend, vocab, f"""SELECT ?c ?source ?line ?wording ?implied ?raw ?date ?precision ?dateText
       ?kind ?field ?description ?partnership ?document WHERE {{
  VALUES ?c {{ {values(iris)} }}
  OPTIONAL {{ ?c prov:wasDerivedFrom ?source }}
  OPTIONAL {{ ?c lgp:sourceLine ?line }}
  OPTIONAL {{ ?c lgp:wording ?wording }}
  OPTIONAL {{ ?c lgp:impliedWording ?implied }}
  OPTIONAL {{ ?c lgp:rawText ?raw }}
  OPTIONAL {{ ?c lgp:statedDate ?date }}
  OPTIONAL {{ ?c lgp:datePrecision ?precision }}
  OPTIONAL {{ ?c lgp:statedDateText ?dateText }}
  OPTIONAL {{ ?c lgp:statedKind ?kind }}
  OPTIONAL {{ ?c lgp:field ?field }}
  OPTIONAL {{ ?c dcterms:description ?description }}
  OPTIONAL {{ ?partnership lgp:claim ?c }}
  OPTIONAL {{ ?c rdfs:seeAlso ?document }}
}}""", cancelled)
    stated = select(backend, vocab, f"""SELECT ?c ?sp ?written ?resolved ?method ?note WHERE {{
  VALUES ?c {{ {values(iris)} }}
  ?c lgp:statedParty ?sp .
  OPTIONAL {{ ?sp lgp:writtenName ?written }}
  OPTIONAL {{ ?sp lgp:resolvedTo ?resolved }}
  OPTIONAL {{ ?sp lgp:resolutionMethod ?method }}
  OPTIONAL {{ ?sp lgp:resolutionNote ?note }}
}}""", cancelled)
    first: dict[str, dict] = {}
    for row in rows:
        first.setdefault(row["c"].value, row)
    wanted = set(iris)
    for row in first.values():
        wanted.update(filter(None, (text(row["source"]), text(row["kind"]), text(row["partnership"]))))
    wanted.update(text(row["resolved"]) for row in stated if row["resolved"] is not None)
    refs = refs_of(backend, vocab, wanted, cancelled)
    parties: dict[str, dict[str, StatedParty]] = {}
    for row in sorted(stated, key=lambda r: _party_number(r["sp"].value)):
        parties.setdefault(row["c"].value, {}).setdefault(row["sp"].value, StatedParty(
            labelled(row["written"]) if row["written"] is not None else None,
            refs.get(text(row["resolved"])), text(row["method"]), text(row["note"]),
        ))
    views = []
    for iri in iris:
        row = first.get(iri)
        if row is None:
            continue
        views.append(ClaimView(
            refs[iri], refs.get(text(row["source"])), number(row["line"], 0) or None, text(row["wording"]),
            text(row["implied"]), text(row["raw"]),
            When.of(row["date"], precision_of(row["precision"]), row["dateText"]),
            refs.get(text(row["kind"])), text(row["field"]), text(row["description"]),
            list(parties.get(iri, {}).values()), refs.get(text(row["partnership"])),
            getattr(row["raw"] or row["wording"], "language", None) or None, text(row["document"]),
        ))
    return sorted(views, key=lambda v: (v.source.name if v.source else "", v.line or 0))


@dataclass(frozen=True, slots=True)
class PartnershipDetails:
    kind: Ref | None
    family: Ref | None
    date: When | None
    title: str | None
    parties: list[Ref]
    conflicts: list[str]
    sources: list[Ref]
    claims: list[ClaimView]
    projects: list[ProjectRow]
    map: MapData | None
    title_lang: str | None = None
    english: str | None = None
    """The partnership's name in English, made from its parties' English names and its kind."""


def partnership(backend: Backend, vocab: Iris, facts: Facts, cancelled=None) -> PartnershipDetails:
    lgp = vocab.lgp
    kind = facts.iri(lgp + "kind")
    family = None
    if kind:
        rows = select(backend, vocab, f"SELECT ?f WHERE {{ <{kind}> skos:broader ?f }}", cancelled)
        family = text(rows[0]["f"]) if rows else None
    parties, sources = facts.iris(lgp + "party"), facts.iris(PROV + "wasDerivedFrom")
    refs = refs_of(backend, vocab, [*parties, *sources, kind, family, facts.subject], cancelled)
    party_refs = sorted(ref_list(refs, parties), key=lambda r: (not r.japanese, r.code or "", r.name))
    return PartnershipDetails(
        refs.get(kind), refs.get(family),
        When.of(facts.term(lgp + "date"), precision_of(facts.term(lgp + "datePrecision"))),
        facts.literal(DCTERMS + "title"), party_refs, facts.literals(lgp + "conflictingField"),
        ref_list(refs, sources), claims(backend, vocab, facts.iris(lgp + "claim"), cancelled),
        projects_for(backend, vocab, f"?project lgp:restsOn <{facts.subject}>", cancelled),
        of_parties(backend, vocab, party_refs, cancelled=cancelled),
        getattr(facts.term(DCTERMS + "title"), "language", None) or None,
        refs[facts.subject].en,
    )


@dataclass(frozen=True, slots=True)
class ClaimDetails:
    claim: ClaimView | None


def claim(backend: Backend, vocab: Iris, facts: Facts, cancelled=None) -> ClaimDetails:
    found = claims(backend, vocab, [facts.subject], cancelled)
    return ClaimDetails(found[0] if found else None)


@dataclass(frozen=True, slots=True)
class ProjectDetails:
    title: str | None
    ward: Ref | None
    partners: list[Ref]
    field: str | None
    organizer: str | None
    start: When | None
    description: str | None
    rests_on: list[Ref]
    source: Ref | None
    line: int | None
    map: MapData | None


def project(backend: Backend, vocab: Iris, facts: Facts, cancelled=None) -> ProjectDetails:
    lgp = vocab.lgp
    ward, partners = facts.iri(lgp + "ward"), facts.iris(lgp + "partner")
    rests_on, source = facts.iris(lgp + "restsOn"), facts.iri(PROV + "wasDerivedFrom")
    refs = refs_of(backend, vocab, [ward, *partners, *rests_on, source], cancelled)
    partner_refs = ref_list(refs, partners)
    start = facts.term(lgp + "startFiscalYear")
    line = facts.literal(lgp + "sourceLine")
    return ProjectDetails(
        facts.literal(DCTERMS + "title"), refs.get(ward), partner_refs, facts.literal(lgp + "field"),
        facts.literal(lgp + "organizer"), When.of(start, "fiscal-year", facts.literal(lgp + "startText")),
        facts.literal(DCTERMS + "description"), ref_list(refs, rests_on), refs.get(source),
        int(line) if line and line.isdigit() else None,
        of_parties(backend, vocab, partner_refs, subject=refs.get(ward), cancelled=cancelled),
    )

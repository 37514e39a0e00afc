"""Details of the pages of parties and places: governments, foreign authorities, countries, regions.

>>> from endpoint.store.backends import EmbeddedStore
>>> from pyoxigraph import NamedNode, Triple
>>> store = EmbeddedStore.from_text(
...     '<http://x/id/lg/1> <http://x/def/lgp#localGovernmentCode> "011002" .')
>>> facts = Facts("http://x/id/lg/1", list(store.query("CONSTRUCT WHERE { ?s ?p ?o }")))
>>> government(store, Iris("http://x/"), facts).code
'011002'
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from endpoint.pages.views.common import (
    DCTERMS,
    JAPANESE_CLASSES,
    SKOS,
    Labelled,
    Ref,
    labelled,
    number,
    ref_list,
    refs_of,
    select,
    text,
)
from endpoint.pages.views.facts import Facts
from endpoint.pages.views.maps import MapData, around, highlighted
from endpoint.pages.views.ties import (
    KindGroup,
    ProjectRow,
    Tie,
    group_by_kind,
    projects_for,
    ties_for,
)
from endpoint.store.backends import Backend
from kg.iris import Iris

NOT_JAPANESE = " ".join(f"FILTER NOT EXISTS {{ ?party a lgp:{name} }}" for name in JAPANESE_CLASSES)
"""Filters ``?party`` to parties that are not Japanese local governments."""


def _written(facts: Facts, lgp: str) -> list[Labelled]:
    return [labelled(term) for term in facts.language_literals(lgp + "writtenName")]


def _partners(ties: list[Tie], projects: list[ProjectRow], subject: str) -> list[Ref]:
    """Partners worth a line on the map: those of small ties and of projects."""
    found: dict[str, Ref] = {}
    for tie in ties:
        for partner in tie.partners:
            found.setdefault(partner.iri, partner)
    for project in projects:
        for ref in (project.ward, *project.partners):
            if ref is not None and ref.iri != subject:
                found.setdefault(ref.iri, ref)
    return list(found.values())


@dataclass(frozen=True, slots=True)
class GovernmentDetails:
    """A Japanese local government: its codes and names, its ties grouped by kind, its projects."""

    code: str | None
    kana: str | None
    prefecture: Ref | None
    designated_city: Ref | None
    wards: list[Ref]
    written: list[Labelled]
    groups: list[KindGroup]
    tie_count: int
    projects: list[ProjectRow]
    map: MapData | None
    is_prefecture: bool
    inherited: list[KindGroup] = field(default_factory=list)
    """Ties of the former governments it replaces (``dcterms:isReplacedBy``), by kind."""
    inherited_count: int = 0


def government(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> GovernmentDetails:
    lgp, subject = vocab.lgp, facts.subject
    prefecture, city = facts.iri(lgp + "prefecture"), facts.iri(lgp + "designatedCity")
    ward_rows = select(backend, vocab, f"SELECT ?ward WHERE {{ ?ward lgp:designatedCity <{subject}> }}", cancelled)
    wards = sorted(row["ward"].value for row in ward_rows)
    refs = refs_of(backend, vocab, [subject, prefecture, city, *wards], cancelled)
    ties = ties_for(backend, vocab, f"VALUES ?party {{ <{subject}> }}", cancelled)
    projects = projects_for(
        backend, vocab, f"{{ ?project lgp:ward <{subject}> }} UNION {{ ?project lgp:partner <{subject}> }}", cancelled
    )
    is_prefecture = refs[subject].kind == "Prefecture"
    area = subject if is_prefecture else prefecture
    inherited = ties_for(backend, vocab, f"?party dcterms:isReplacedBy <{subject}> .", cancelled)
    return GovernmentDetails(
        facts.literal(lgp + "localGovernmentCode") or facts.literal(DCTERMS + "identifier"),
        facts.literal(lgp + "kana"), refs.get(prefecture), refs.get(city), ref_list(refs, wards),
        _written(facts, lgp), group_by_kind(backend, vocab, ties, cancelled), len(ties), projects,
        around(backend, vocab, refs[subject], _partners(ties, projects, subject), prefecture=area, cancelled=cancelled),
        is_prefecture, group_by_kind(backend, vocab, inherited, cancelled), len(inherited),
    )


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """A party that is not a Japanese local government: a foreign authority, another body, an unresolved name."""

    country: Ref | None
    region: Ref | None
    located_in: Ref | None
    written: list[Labelled]
    reason: str | None
    groups: list[KindGroup]
    tie_count: int
    projects: list[ProjectRow]
    map: MapData | None


def party(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> PartyDetails:
    lgp, subject = vocab.lgp, facts.subject
    country, region, located = facts.iri(lgp + "country"), facts.iri(lgp + "region"), facts.iri(lgp + "locatedIn")
    refs = refs_of(backend, vocab, [country, region, located], cancelled)
    ties = ties_for(backend, vocab, f"VALUES ?party {{ <{subject}> }}", cancelled)
    projects = projects_for(backend, vocab, f"?project lgp:partner <{subject}>", cancelled)
    japanese = [ref for ref in _partners(ties, projects, subject) if ref.japanese]
    caption = ("連携相手の日本の団体", "Its Japanese partners")
    return PartyDetails(
        refs.get(country), refs.get(region), refs.get(located), _written(facts, lgp),
        facts.literal(lgp + "unresolvedReason"), group_by_kind(backend, vocab, ties, cancelled), len(ties), projects,
        highlighted(backend, vocab, japanese, caption=caption, cancelled=cancelled) if japanese else None,
    )


@dataclass(frozen=True, slots=True)
class Member:
    """A party in a country or region, with how many ties it has."""

    party: Ref
    region: Ref | None
    ties: int


def members(
    backend: Backend, vocab: Iris, pattern: str, cancelled: threading.Event | None = None
) -> list[Member]:
    """The parties ``pattern`` binds to ``?party`` that are not Japanese governments, with their tie counts."""
    rows = select(backend, vocab, f"""SELECT ?party (SAMPLE(?r) AS ?region) (COUNT(DISTINCT ?p) AS ?ties) WHERE {{
  {pattern} {NOT_JAPANESE}
  OPTIONAL {{ ?party lgp:region ?r }}
  OPTIONAL {{ ?p lgp:party ?party }}
}} GROUP BY ?party""", cancelled)
    refs = refs_of(backend, vocab, [text(row[name]) for row in rows for name in ("party", "region")], cancelled)
    found = [Member(refs[row["party"].value], refs.get(text(row["region"])), number(row["ties"])) for row in rows]
    return sorted(found, key=lambda m: (m.region.name if m.region else "~", -m.ties, m.party.name))


@dataclass(frozen=True, slots=True)
class CountryDetails:
    notation: str | None
    members: list[Member]
    tie_count: int


def country(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> CountryDetails:
    found = members(backend, vocab, f"?party lgp:country <{facts.subject}> .", cancelled)
    rows = select(backend, vocab, f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  ?party lgp:country <{facts.subject}> . {NOT_JAPANESE} ?p lgp:party ?party }}""", cancelled)
    return CountryDetails(
        facts.literal(SKOS + "notation"), found, number(rows[0]["n"]) if rows else 0
    )


@dataclass(frozen=True, slots=True)
class RegionDetails:
    notation: str | None
    country: Ref | None
    members: list[Member]
    groups: list[KindGroup]
    map: MapData | None


def region(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> RegionDetails:
    pattern = f"{{ ?party lgp:region <{facts.subject}> }} UNION {{ ?party lgp:locatedIn <{facts.subject}> }}"
    country_iri = facts.iri(vocab.lgp + "country")
    refs = refs_of(backend, vocab, [country_iri], cancelled)
    ties = ties_for(backend, vocab, pattern, cancelled)
    japanese = {p.iri: p for tie in ties for p in tie.partners if p.japanese}
    caption = ("この地域の団体と連携する日本の団体", "Japanese governments tied to authorities of this region")
    return RegionDetails(
        facts.literal(SKOS + "notation"), refs.get(country_iri),
        members(backend, vocab, pattern, cancelled), group_by_kind(backend, vocab, ties, cancelled),
        highlighted(backend, vocab, list(japanese.values()), caption=caption, cancelled=cancelled) if japanese else None,
    )

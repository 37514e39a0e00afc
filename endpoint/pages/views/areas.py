"""The data of the area pages: a prefecture's municipalities and their ties, a country's ties with Japan.

>>> prefecture_code("10"), prefecture_code("100005"), prefecture_code("1")
('10', '100005', None)
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from endpoint.pages.views.common import Ref, literal, refs_of, select
from endpoint.pages.views.maps import MapData, highlighted, in_prefecture
from endpoint.pages.views.parties import NOT_JAPANESE
from endpoint.pages.views.ties import ProjectRow, Tie, projects_for, ties_for
from endpoint.store.backends import Backend
from kg.iris import Iris


def prefecture_code(code: str) -> str | None:
    """The code if it can name a prefecture: two digits (JIS X 0401) or a six-digit 団体コード."""
    return code if re.fullmatch(r"[0-9]{2}|[0-9]{6}", code) else None


def find_prefecture(
    backend: Backend, vocab: Iris, code: str, cancelled: threading.Event | None = None
) -> Ref | None:
    """The prefecture with 団体コード ``code``, or whose code starts with the two digits ``code``."""
    test = f"?code = {literal(code)}" if len(code) == 6 else f"STRSTARTS(?code, {literal(code)})"
    rows = select(backend, vocab, f"""SELECT ?x WHERE {{
  ?x a lgp:Prefecture ; dcterms:identifier ?code . FILTER({test}) }} LIMIT 1""", cancelled)
    if not rows:
        return None
    return refs_of(backend, vocab, [rows[0]["x"].value], cancelled)[rows[0]["x"].value]


@dataclass(frozen=True, slots=True)
class MemberTies:
    """A municipality (or the prefecture itself) and its ties."""

    party: Ref
    ties: list[Tie]


@dataclass(frozen=True, slots=True)
class PrefectureData:
    prefecture: Ref
    members: list[MemberTies]
    """The prefecture first, then its municipalities and wards that have ties, by code."""
    tied_count: int
    """Municipalities and wards of the prefecture that have ties."""
    member_count: int
    """Municipalities and wards of the prefecture, with ties or without."""
    tie_count: int
    projects: list[ProjectRow]
    """Projects of Tokyo's special wards with the prefecture or its municipalities as partners."""
    map: MapData | None


def prefecture(
    backend: Backend, vocab: Iris, pref: Ref, cancelled: threading.Event | None = None
) -> PrefectureData:
    """Every tie of a prefecture and its municipalities."""
    node = f"<{pref.iri}>"
    # BIND, not VALUES: Virtuoso answers nothing for a union branch holding only VALUES.
    ties = ties_for(backend, vocab, f"{{ BIND({node} AS ?party) }} UNION {{ ?party lgp:prefecture {node} }}", cancelled)
    by_party: dict[str, list[Tie]] = {}
    for tie in ties:
        by_party.setdefault(tie.party, []).append(tie)
    refs = refs_of(backend, vocab, by_party, cancelled)
    order = sorted(by_party, key=lambda iri: (iri != pref.iri, refs[iri].code or "", refs[iri].name))
    area = in_prefecture(backend, vocab, pref.iri, cancelled)
    projects = projects_for(backend, vocab, f"""{{ ?project lgp:partner {node} }}
  UNION {{ ?project lgp:partner ?m . ?m lgp:prefecture {node} }}""", cancelled)
    tied = [refs[iri] for iri in order if iri != pref.iri]
    caption = ("薄い点: 県内の市区町村 · 濃い点: 連携のある団体", "Faint: the prefecture's municipalities · dark: those with ties")
    return PrefectureData(
        pref, [MemberTies(refs[iri], by_party[iri]) for iri in order], len(tied), len(area),
        len({t.partnership.iri for t in ties}),
        projects, highlighted(backend, vocab, tied, area=list(area.values()), caption=caption, cancelled=cancelled),
    )


def find_country(backend: Backend, vocab: Iris, alpha2: str, cancelled: threading.Event | None = None) -> Ref | None:
    """The country with ISO 3166-1 code ``alpha2``."""
    if not re.fullmatch(r"[A-Za-z]{2}", alpha2):
        return None
    rows = select(backend, vocab, f"""SELECT ?x WHERE {{
  ?x a lgp:Country ; skos:notation ?code . FILTER(UCASE(STR(?code)) = {literal(alpha2.upper())}) }} LIMIT 1""", cancelled)
    if not rows:
        return None
    return refs_of(backend, vocab, [rows[0]["x"].value], cancelled)[rows[0]["x"].value]


@dataclass(frozen=True, slots=True)
class RegionTies:
    """The ties of a country's authorities in one region (None: region not known)."""

    region: Ref | None
    parties: list[MemberTies]


@dataclass(frozen=True, slots=True)
class CountryData:
    country: Ref
    regions: list[RegionTies]
    tie_count: int
    party_count: int
    japanese: list[Ref]
    """The Japanese parties of those ties."""
    map: MapData | None


def country(backend: Backend, vocab: Iris, nation: Ref, cancelled: threading.Event | None = None) -> CountryData:
    """Every tie of a country's authorities and bodies (those that are not Japanese governments)."""
    pattern = f"?party lgp:country <{nation.iri}> . {NOT_JAPANESE}"
    ties = ties_for(backend, vocab, pattern, cancelled)
    region_rows = select(backend, vocab, f"SELECT ?party ?region WHERE {{ {pattern} ?party lgp:region ?region }}", cancelled)
    region_of = {row["party"].value: row["region"].value for row in region_rows}
    by_party: dict[str, list[Tie]] = {}
    for tie in ties:
        by_party.setdefault(tie.party, []).append(tie)
    refs = refs_of(backend, vocab, [*by_party, *region_of.values()], cancelled)
    regions: dict[str | None, list[MemberTies]] = {}
    for iri in sorted(by_party, key=lambda iri: refs[iri].name):
        regions.setdefault(region_of.get(iri), []).append(MemberTies(refs[iri], by_party[iri]))
    ordered = sorted(regions, key=lambda r: (r is None, refs[r].name if r else ""))
    japanese = {p.iri: p for tie in ties for p in tie.partners if p.japanese}
    japanese_refs = sorted(japanese.values(), key=lambda r: r.code or "")
    caption = ("この国の団体と連携する日本の団体", "Japanese governments tied to this country")
    return CountryData(
        nation, [RegionTies(refs.get(r) if r else None, regions[r]) for r in ordered],
        len({tie.partnership.iri for tie in ties}), len(by_party), japanese_refs,
        highlighted(backend, vocab, japanese_refs, caption=caption, cancelled=cancelled) if japanese_refs else None,
    )


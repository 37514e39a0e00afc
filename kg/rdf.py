"""RDF mapping: merged partnerships, projects and parties to one graph.

No blank nodes: every node has an IRI from :mod:`kg.iris`, so dumps are stable.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pycountry
from rdflib import Graph, URIRef, namespace
from rdflib.namespace import Namespace

from kg.dcat import describe_source
from kg.government import LocalGovernment
from kg.iris import Iris
from kg.kinds import KindScheme
from kg.merge import Merged, digest
from kg.model import (Claim, ForeignAuthority, JapaneseGovernment, NationalGovernment, Organisation, Party, Partnership,
                      Project, Unresolved)
from kg.names import english_place, romanised
from kg.resolve.japan import Gazetteer
from kg.predecessors import FormerGovernment
from mapping.dates import PartialDate
from mapping.manifest import Source
from mapping.text import clean

Triple = tuple[URIRef, URIRef, "URIRef | Written"]

JAPANESE_CLASS = {
    "prefecture": "Prefecture",
    "municipality": "Municipality",
    "special-ward": "SpecialWard",
    "designated-city-ward": "DesignatedCityWard",
}
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class _Terms:
    """Terms of a namespace made once: ``Namespace`` builds a new URIRef on every access."""

    def __init__(self, namespace: Namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


DCTERMS, PROV, RDF, RDFS, SKOS, XSD = (_Terms(ns) for ns in (namespace.DCTERMS, namespace.PROV, namespace.RDF,
                                                              namespace.RDFS, namespace.SKOS, namespace.XSD))
GEO = _Terms(Namespace("http://www.opengis.net/ont/geosparql#"))
SF = _Terms(Namespace("http://www.opengis.net/ont/sf#"))


class Written(str):
    """A literal as N-Triples writes it: the mapper makes hundreds of thousands, and an rdflib
    ``Literal`` (parsed, normalised, hashed) costs many times what writing it does."""

    __slots__ = ()


def literal(value: str | int, lang: str | None = None, datatype: URIRef | None = None) -> Written:
    r"""The literal of ``value`` in N-Triples, quoted and tagged as rdflib's N-Triples writer writes it.

    >>> print(literal('a "b"', lang="ja"), literal(7, datatype=XSD.positiveInteger))
    "a \"b\""@ja "7"^^<http://www.w3.org/2001/XMLSchema#positiveInteger>
    """
    text = str(value)
    quoted = '"' + text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r") + '"'
    if lang:
        return Written(f"{quoted}@{lang}")
    if datatype is not None:
        return Written(f"{quoted}^^<{datatype}>")
    return Written(quoted)


def date_literal(date: PartialDate) -> Written:
    """The date as a typed literal at its precision (a fiscal year as its ``xsd:gYear``)."""
    return literal(date.iso, datatype=XSD[date.xsd_type])


@dataclass
class Mapper:
    """Turns the merged partnerships into triples under one IRI base."""

    iris: Iris
    scheme: KindScheme
    gazetteer: Gazetteer
    sources: list[Source]
    country_labels: dict[str, str] = field(default_factory=dict)
    """Curated Japanese labels of countries, over pycountry's translations."""

    def __post_init__(self) -> None:
        self.language = {source.id: source.language for source in self.sources}
        self.lgp = _Terms(self.iris.lgp)

    def triples(self, merged: Merged) -> Iterator[Triple]:
        yield from self._sources()
        yield from self._japanese_table()
        parties: dict[str, Party] = {}
        names: dict[str, set[tuple[str, str]]] = {}
        for partnership in merged.partnerships:
            for party in partnership.parties:
                parties.setdefault(party.key, party)
            for claim in partnership.claims:
                for resolution in claim.parties:
                    names.setdefault(resolution.party.key, set()).add(
                        (clean(resolution.mention.name), self.language[claim.source]))
            yield from self._partnership(partnership)
        for project in merged.projects:
            for resolution in (project.ward, *(r for r, _ in project.partners)):
                parties.setdefault(resolution.party.key, resolution.party)
                names.setdefault(resolution.party.key, set()).add(
                    (clean(resolution.mention.name), self.language[project.record.provenance.source]))
            yield from self._project(project)
        countries: set[str] = set()
        regions: dict[str, str | None] = {}
        self._known = set(parties)
        for key in sorted(parties):
            party = parties[key]
            yield from self._party(party, sorted(names.get(key, ())))
            if isinstance(party, ForeignAuthority):
                countries.add(party.country)
                if party.region:
                    regions[party.region] = party.region_name
            elif isinstance(party, (Organisation, NationalGovernment)) and party.country:
                countries.add(party.country)
                within = self._within(party.within) if isinstance(party, Organisation) and party.within else None
                if within is not None and str(within).startswith(str(self.iris.region(""))):
                    regions.setdefault(str(within)[len(str(self.iris.region(""))):], None)
        yield from self._countries(countries | {"JP"})
        yield from self._regions(regions)

    # --- sources -------------------------------------------------------

    def _sources(self) -> Iterator[Triple]:
        described = Graph()
        for source in self.sources:
            describe_source(described, self.iris, source)
        yield from described

    # --- parties -------------------------------------------------------

    def _japanese_table(self) -> Iterator[Triple]:
        """Every Japanese local government of the code table, so others can link to it."""
        for government in self.gazetteer.by_code.values():
            yield from self._japanese(government)

    def _japanese(self, lg: LocalGovernment) -> Iterator[Triple]:
        node = self.iris.lg(lg.code)
        yield node, RDF.type, self.lgp[JAPANESE_CLASS[lg.kind]]
        yield node, DCTERMS.identifier, literal(lg.code)
        yield node, self.lgp.localGovernmentCode, literal(lg.code)
        yield node, RDFS.label, literal(lg.label, lang="ja")
        yield node, SKOS.prefLabel, literal(lg.label, lang="ja")
        if lg.full_label != lg.label:
            yield node, SKOS.altLabel, literal(lg.full_label, lang="ja")
        if lg.kana:
            yield node, self.lgp.kana, literal(lg.kana.replace(" ", ""), lang="ja-Hira")
        latin = romanised(lg)  # from the table's reading (kg.names)
        if latin:
            yield node, SKOS.altLabel, literal(latin[0], lang="ja-Latn")
            yield node, SKOS.prefLabel, literal(latin[1], lang="en")
        yield node, self.lgp.country, self.iris.country("JP")
        if lg.kind != "prefecture":
            prefecture = self.gazetteer.prefectures[lg.prefecture]
            yield node, self.lgp.prefecture, self.iris.lg(prefecture.code)
        if lg.kind == "designated-city-ward" and lg.parent:
            yield node, self.lgp.designatedCity, self.iris.lg(lg.parent)
        if lg.lat is not None and lg.lng is not None:
            point = self.iris.point(lg.code)
            yield node, GEO.hasGeometry, point
            yield point, RDF.type, SF.Point
            yield point, GEO.asWKT, literal(f"POINT({lg.lng} {lg.lat})", datatype=GEO.wktLiteral)
        if lg.abolished:
            yield node, DCTERMS.valid, literal(f"end={lg.abolished};")
            if lg.successor:
                yield node, DCTERMS.isReplacedBy, self.iris.lg(lg.successor)

    def _party(self, party: Party, written: list[tuple[str, str]]) -> Iterator[Triple]:
        node = self.iris.party(party.key)
        for name, language in written:
            yield node, self.lgp.writtenName, literal(name, lang=language)
        if isinstance(party, (JapaneseGovernment, FormerGovernment)):
            return  # described with the code table (and kg.links.graph for former governments)
        label_language = written[0][1] if written else "ja"
        yield node, RDFS.label, literal(party.label, lang=label_language)
        if isinstance(party, ForeignAuthority):
            yield node, RDF.type, self.lgp.ForeignLocalAuthority
            yield node, self.lgp.country, self.iris.country(party.country)
            english = english_place(party.label, party.country)  # GeoNames (kg.names)
            if english:
                yield node, SKOS.prefLabel, literal(english, lang="en")
            if party.region:
                yield node, self.lgp.region, self.iris.region(party.region)
        elif isinstance(party, NationalGovernment):
            yield node, RDF.type, self.lgp.OtherBody
            yield node, RDF.type, self.lgp.NationalGovernment
            yield node, self.lgp.country, self.iris.country(party.country)
        elif isinstance(party, Organisation):
            yield node, RDF.type, self.lgp.OtherBody
            if party.type != "Organisation":
                yield node, RDF.type, self.lgp[party.type]
            if party.country:
                yield node, self.lgp.country, self.iris.country(party.country)
            if party.within:
                yield node, self.lgp.locatedIn, self._within(party.within)
        elif isinstance(party, Unresolved):
            yield node, RDF.type, self.lgp.UnresolvedParty
            yield node, self.lgp.unresolvedReason, literal(party.reason, lang="en")

    def _within(self, key: str) -> URIRef:
        """A government or city by its party key; a region (``place/CN/CN-FJ``) as its region node."""
        parts = key.split("/")
        if parts[0] == "place" and len(parts) == 3:
            return self.iris.region(parts[2])
        if parts[0] == "place" and key not in getattr(self, "_known", {key}) and parts[2] != "-":
            return self.iris.region(parts[2])  # a city no tie names: the body's region stands for it
        return self.iris.party(key)

    def _countries(self, codes: Iterable[str]) -> Iterator[Triple]:
        japanese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"])
        for code in sorted(codes):
            country = pycountry.countries.get(alpha_2=code)
            node = self.iris.country(code)
            yield node, RDF.type, self.lgp.Country
            yield node, SKOS.notation, literal(code)
            yield node, RDFS.label, literal(getattr(country, "common_name", country.name), lang="en")
            local = self.country_labels.get(code) or re.sub(r"\s*\(.*\)$", "", japanese.gettext(country.name))
            if local != country.name:
                yield node, RDFS.label, literal(local, lang="ja")

    def _regions(self, regions: dict[str, str | None]) -> Iterator[Triple]:
        for code in sorted(regions):
            subdivision = pycountry.subdivisions.get(code=code)
            node = self.iris.region(code)
            yield node, RDF.type, self.lgp.Region
            yield node, SKOS.notation, literal(code)
            yield node, RDFS.label, literal(subdivision.name, lang="en")
            if regions[code]:
                yield node, RDFS.label, literal(regions[code], lang="ja")
            yield node, self.lgp.country, self.iris.country(code.split("-")[0])

    # --- partnerships ----------------------------------------------------

    def _partnership(self, partnership: Partnership) -> Iterator[Triple]:
        node = self.iris.partnership(partnership.id)
        lgp = self.lgp
        yield node, RDF.type, lgp.Partnership
        yield node, lgp.kind, self.iris.kind(partnership.kind)
        yield node, RDFS.label, literal(self._label(partnership), lang="ja")
        parties = [self.iris.party(party.key) for party in partnership.parties]
        for party in parties:
            yield node, lgp.party, party
        shortcut = lgp.twinnedWith if partnership.family == "twinning" else lgp.partnerOf
        for a in parties:
            for b in parties:
                if a != b:
                    yield a, shortcut, b
                    if shortcut != lgp.partnerOf:
                        yield a, lgp.partnerOf, b
        if partnership.date:
            yield node, lgp.date, date_literal(partnership.date)
            yield node, lgp.datePrecision, self.iris.precision(partnership.date.precision)
        if partnership.title:
            yield node, DCTERMS.title, literal(partnership.title, lang=self.language[partnership.claims[0].source])
        for conflict in partnership.conflicts:
            yield node, lgp.conflictingField, literal(conflict.field)
        for status in partnership.statuses:
            yield node, lgp.status, self.iris.status(status)
        for source in sorted({claim.source for claim in partnership.claims}):
            yield node, PROV.wasDerivedFrom, self.iris.source(source)
        for claim, claim_id in zip(partnership.claims, _claim_ids(partnership)):
            yield node, lgp.claim, self.iris.claim(claim_id)
            yield from self._claim(claim_id, claim)

    def _label(self, partnership: Partnership) -> str:
        names = [party.label for party in partnership.parties]
        kind = self.scheme.concepts[partnership.kind].labels.get("ja", partnership.kind)
        if len(names) <= 3:
            return f"{'・'.join(names)} {kind}"
        return f"{'・'.join(names[:2])} ほか{len(names) - 2}団体 {kind}"

    def _claim(self, claim_id: str, claim: Claim) -> Iterator[Triple]:
        node = self.iris.claim(claim_id)
        lgp = self.lgp
        language = self.language[claim.source]
        yield node, RDF.type, lgp.Claim
        yield node, PROV.wasDerivedFrom, self.iris.source(claim.source)
        for line in claim.lines:
            yield node, lgp.sourceLine, literal(line, datatype=XSD.positiveInteger)
        yield node, lgp.rawText, literal(claim.raw, lang=language)
        yield node, lgp.statedKind, self.iris.kind(claim.kind)
        if claim.evidence:
            yield node, lgp.kindDecidedBy, literal(claim.evidence.column)
            yield node, lgp.kindRule, literal(claim.evidence.rule)
            if claim.evidence.set_aside:
                yield node, lgp.kindSetAside, literal(claim.evidence.set_aside, lang=language)
        if claim.wording:
            yield node, lgp.wording, literal(claim.wording, lang=language)
        if claim.implied_wording:
            yield node, lgp.impliedWording, literal(claim.implied_wording, lang=language)
        if claim.title and claim.title != claim.wording:
            yield node, DCTERMS.title, literal(claim.title, lang=language)
        if claim.date:
            yield node, lgp.statedDate, date_literal(claim.date)
            yield node, lgp.datePrecision, self.iris.precision(claim.date.precision)
            if claim.date.text:
                yield node, lgp.statedDateText, literal(claim.date.text.strip(), lang=language)
        if claim.agreement is not None:
            yield node, lgp.evidenceRule, literal(claim.agreement.rule)
        record = claim.record
        field = getattr(record, "field", None) or getattr(record, "category", None)
        if field:
            yield node, lgp.field, literal(field, lang=language)
        if claim.summary:
            yield node, DCTERMS.description, literal(claim.summary, lang=language)
        url = getattr(record, "url", None)
        if url and URL.match(url):
            yield node, RDFS.seeAlso, URIRef(url)
        for number, resolution in enumerate(claim.parties, start=1):
            stated = self.iris.stated_party(claim_id, number)
            yield node, lgp.statedParty, stated
            yield stated, RDF.type, lgp.StatedParty
            yield stated, lgp.writtenName, literal(resolution.mention.name, lang=language)
            yield stated, lgp.resolvedTo, self.iris.party(resolution.party.key)
            yield stated, lgp.resolutionMethod, literal(resolution.method)
            if resolution.note:
                yield stated, lgp.resolutionNote, literal(resolution.note)

    # --- projects ------------------------------------------------------------

    def _project(self, project: Project) -> Iterator[Triple]:
        node = self.iris.project(project.id)
        lgp = self.lgp
        record = project.record
        yield node, RDF.type, lgp.Project
        yield node, DCTERMS.title, literal(clean(record.title), lang="ja")
        yield node, RDFS.label, literal(clean(record.title), lang="ja")
        yield node, lgp.field, literal(clean(record.category), lang="ja")
        yield node, lgp.organizer, literal(clean(record.organizer), lang="ja")
        if record.description.strip():
            yield node, DCTERMS.description, literal(clean(record.description), lang="ja")
        yield node, lgp.ward, self.iris.party(project.ward.party.key)
        for resolution, _ in project.partners:
            yield node, lgp.partner, self.iris.party(resolution.party.key)
        if record.start:
            yield node, lgp.startFiscalYear, literal(f"{record.start.year:04d}", datatype=XSD.gYear)
        if record.start_text.strip():
            yield node, lgp.startText, literal(clean(record.start_text), lang="ja")
        for partnership in project.rests_on:
            yield node, lgp.restsOn, self.iris.partnership(partnership)
        for status in project.statuses:
            yield node, lgp.status, self.iris.status(status)
        yield node, PROV.wasDerivedFrom, self.iris.source(record.provenance.source)
        for line in record.provenance.lines:
            yield node, lgp.sourceLine, literal(line, datatype=XSD.positiveInteger)


def _claim_ids(partnership: Partnership) -> list[str]:
    """One identifier per claim: its source, text, kind and title; the lines as well for claims those
    do not tell apart (one source stating the same text twice, e.g. with different dates)."""
    plain = [digest(partnership.id, claim.source, claim.raw, claim.kind, claim.title or "") for claim in partnership.claims]
    repeated = {identifier for identifier, count in Counter(plain).items() if count > 1}
    return [
        digest(identifier, *map(str, claim.lines)) if identifier in repeated else identifier
        for identifier, claim in zip(plain, partnership.claims)
    ]

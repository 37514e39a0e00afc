"""The triples the link tables and the predecessors add to the graph.

- ``lgp:standardAreaCode``: every Japanese government (and every former one whose old
  code a curated table states) to its plain e-Stat code, minted from the code;
- ``lgp:periodStandardAreaCode``: to its dated e-Stat code, where ``estat.csv`` has one
  that fits (same name, validity open or ended as the government is current or not);
- ``schema:sameAs``: to its Wikidata item, from ``wikidata.csv``;
- each former government with its name, prefecture, dates and successor, and the
  ``org:ChangeEvent`` between them (``org:originalOrganization`` /
  ``org:resultingOrganization``, as e-Stat's code change events).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD, Namespace

from kg.iris import Iris
from kg.links import ESTAT, WIKIDATA, LinkSet, Links
from kg.links.estat import plain_code
from kg.merge import digest
from kg.predecessors import FormerGovernment, Predecessors
from kg.resolve.japan import Gazetteer

SCHEMA = Namespace("https://schema.org/")


def linksets(links: Links, iris: Iris, gazetteer: Gazetteer, predecessors: Predecessors | None) -> list[LinkSet]:
    """The link sets of one build, each with its links in code order."""
    lgp = iris.lgp
    plain = LinkSet("estat-sac", "標準地域コード (e-Stat)", lgp.standardAreaCode, ESTAT, ())
    dated = LinkSet("estat-sac-period", "期間付き標準地域コード (e-Stat)", lgp.periodStandardAreaCode, ESTAT,
                    ("estat.csv",))
    items = LinkSet("wikidata", "Wikidata items", SCHEMA.sameAs, WIKIDATA, ("wikidata.csv",))
    # A ward is labelled with or without its city (浜松市中区, 中区).
    coded: list[tuple[URIRef, str, set[str], bool]] = [
        (iris.lg(lg.code), lg.code, {lg.label, lg.name.split(" ")[-1]}, bool(lg.abolished))
        for lg in gazetteer.by_code.values()]
    coded += [(iris.party(former.key), former.code, {former.name}, True)
              for former in (predecessors.formers if predecessors else []) if former.code and former.country == "JP"]
    for node, code, labels, former in sorted(coded, key=lambda row: (row[1], str(row[0]))):
        plain.links.append((node, plain_code(code)))
        period = links.dated.get(code[:5])
        if period is not None and period.fits(labels, former):
            dated.links.append((node, URIRef(period.sac)))
    for code in sorted(links.items):
        if code in gazetteer.by_code:
            items.links.append((iris.lg(code), URIRef(links.items[code])))
    return [plain, dated, items]


def link_triples(sets: list[LinkSet]) -> Iterator[tuple[URIRef, URIRef, URIRef]]:
    """The links; what the targets are is the target dataset's to say (and the predicates' ranges)."""
    for linkset in sets:
        for subject, target in linkset.links:
            yield subject, linkset.predicate, target


def change_events(predecessors: Predecessors | None) -> dict[str, list[FormerGovernment]]:
    """Former governments grouped into one change each: same successor, same date."""
    events: dict[str, list[FormerGovernment]] = defaultdict(list)
    for former in predecessors.formers if predecessors else []:
        events[digest("change", former.successor, former.end)].append(former)
    return dict(sorted(events.items()))


def predecessor_triples(iris: Iris, gazetteer: Gazetteer, predecessors: Predecessors | None) -> Iterator[tuple]:
    lgp = iris.lgp
    for identifier, formers in change_events(predecessors).items():
        event = iris.change(identifier)
        successor = iris.party(formers[0].successor)
        yield event, RDF.type, ORG.ChangeEvent
        yield event, DCTERMS.date, Literal(formers[0].end, datatype=XSD.date)
        yield event, ORG.resultingOrganization, successor
        yield successor, ORG.resultedFrom, event
        names = "・".join(former.name for former in formers)
        yield event, RDFS.label, Literal(f"{names} → {formers[0].successor_label} ({formers[0].end})", lang="ja")
        for former in formers:
            node = iris.party(former.key)
            yield event, ORG.originalOrganization, node
            yield event, DCTERMS.description, Literal(former.change, lang="en")
            yield node, ORG.changedBy, event
            yield node, RDF.type, lgp.FormerLocalGovernment
            yield node, RDFS.label, Literal(former.name, lang=former.language)
            yield node, SKOS.prefLabel, Literal(former.name, lang=former.language)
            yield node, lgp.country, iris.country(former.country)
            if former.prefecture:
                yield node, lgp.prefecture, iris.lg(gazetteer.prefecture_of(former.prefecture).code)
            if former.code:
                yield node, DCTERMS.identifier, Literal(former.code)
            if former.start:
                yield node, SCHEMA.foundingDate, Literal(former.start, datatype=XSD.date)
            yield node, SCHEMA.dissolutionDate, Literal(former.end, datatype=XSD.date)
            yield node, DCTERMS.isReplacedBy, successor
            yield successor, DCTERMS.replaces, node
            yield node, SKOS.editorialNote, Literal(former.reason, lang="en")

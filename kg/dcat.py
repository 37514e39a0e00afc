"""The one DCAT description of a source document, in the graph and in the catalog alike.

Where a source does not say something DCAT asks for (a licence, a publisher, an
as-of date), the description says it is not stated rather than inventing a
value. Languages are IRIs of the EU's language authority table, as DCAT-AP asks.

>>> language_iri("zh-Hant")
rdflib.term.URIRef('http://publications.europa.eu/resource/authority/language/ZHO')
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from kg.iris import Iris
from mapping.manifest import Source

LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language/"
LANGUAGES = {"ja": "JPN", "zh-Hant": "ZHO", "zh": "ZHO", "en": "ENG"}
"""BCP 47 tags of the sources, as codes of the language authority table (``MUL`` for others)."""


def language_iri(code: str) -> URIRef:
    """The language authority IRI of a BCP 47 tag."""
    return URIRef(LANGUAGE_AUTHORITY + LANGUAGES.get(code, "MUL"))


def typed(graph: Graph, node: URIRef, cls: URIRef, predicate: URIRef, subject: URIRef) -> None:
    """Link ``subject`` to ``node`` and say what ``node`` is, as DCAT-AP asks of ranges."""
    graph.add((subject, predicate, node))
    graph.add((node, RDF.type, cls))


def no_licence(graph: Graph, node: URIRef, iris: Iris) -> None:
    """Say that the licence is unknown instead of inventing one."""
    statement = URIRef(iris.base + "id/rights/licence-not-stated")
    typed(graph, statement, DCTERMS.RightsStatement, DCTERMS.rights, node)
    graph.add((statement, RDFS.label, Literal("The document states no licence; ask its publisher before reuse.", lang="en")))
    graph.add((statement, RDFS.label, Literal("出典に利用条件の記載なし", lang="ja")))


def date_literal(as_of: str) -> Literal:
    """An as-of date as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by how much it says."""
    datatype = XSD.date if len(as_of) == 10 else XSD.gYearMonth if len(as_of) == 7 else XSD.gYear
    return Literal(as_of, datatype=datatype)


def describe_source(graph: Graph, iris: Iris, source: Source) -> URIRef:
    """Add the DCAT description of ``source`` (without its distribution) to ``graph``; its node."""
    node = iris.source(source.id)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(source.id)))
    graph.add((node, DCTERMS.title, Literal(source.title, lang=source.language)))
    graph.add((node, DCTERMS.description, Literal(source.note, lang="en")))
    typed(graph, language_iri(source.language), DCTERMS.LinguisticSystem, DCTERMS.language, node)
    if source.publisher:
        agent = URIRef(str(node) + "/publisher")
        graph.add((node, DCTERMS.publisher, agent))
        graph.add((agent, RDF.type, FOAF.Agent))
        graph.add((agent, FOAF.name, Literal(source.publisher, lang="ja")))
    else:
        graph.add((node, RDFS.comment, Literal("The document does not name its publisher.", lang="en")))
    if source.licence:
        graph.add((node, DCTERMS.license, URIRef(source.licence)))
    else:
        no_licence(graph, node, iris)
    if source.as_of:
        period = URIRef(str(node) + "/as-of")
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        graph.add((period, DCAT.endDate, date_literal(source.as_of)))
    else:
        graph.add((node, SKOS.editorialNote, Literal("The document gives no as-of date.", lang="en")))
    # Addresses elsewhere are distributions' access URLs: nothing of another site becomes a subject here.
    if source.address:
        original_at(graph, URIRef(str(node) + "/original"), node, source.address, ORIGINAL)
    else:
        graph.add((node, SKOS.editorialNote, Literal(NO_ADDRESS, lang="en")))
    if source.based_on or source.based_on_title:
        # What the document says it was compiled from: a dataset of its own, at the address it is known by.
        upstream = URIRef(str(node) + "/based-on")
        typed(graph, upstream, DCAT.Dataset, DCTERMS.source, node)
        graph.add((upstream, DCTERMS.title, Literal(source.based_on_title or source.based_on, lang=source.language)))
        graph.add((upstream, DCTERMS.description, Literal(BASED_ON, lang="en")))
        if source.based_on:
            original_at(graph, URIRef(str(upstream) + "/web"), upstream, source.based_on, BASED_ON_AT)
    return node


def original_at(graph: Graph, distribution: URIRef, dataset: URIRef, address: str, title: str) -> None:
    """A distribution of ``dataset`` reached at ``address``, another site's."""
    typed(graph, distribution, DCAT.Distribution, DCAT.distribution, dataset)
    graph.add((distribution, DCAT.accessURL, URIRef(address)))
    graph.add((distribution, DCTERMS.title, Literal(title, lang="en")))


NO_ADDRESS = "The document states no address of its own; none is given here."
BASED_ON = "The work the source document says it was compiled from, as the document names it."
ORIGINAL = "The original document, where its publisher put it."
BASED_ON_AT = "Where that work is published, as the source document names it."


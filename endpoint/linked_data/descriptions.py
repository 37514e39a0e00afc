"""The data of a resource page: one function gathers it, every format renders it.

A resource's description is its outgoing triples. A vocabulary document says
more: ``/def/lgp`` also describes every ``/def/lgp#…`` term, and a concept
scheme such as ``/def/kind/`` also describes its concepts. Pages for people
add the labels of the IRIs they show, the links pointing at the resource, its
classes with their superclasses (most specific first: the page's template
follows them), the details of its type (:mod:`endpoint.pages.views`) and the
schema.org statements the ontology's alignments entail, which the page embeds
as JSON-LD for crawlers.

>>> from endpoint.store.backends import EmbeddedStore
>>> store = EmbeddedStore.from_text(
...     '<http://x/id/a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .\\n'
...     '<http://x/id/b> <http://x/def/p> <http://x/id/a> .')
>>> description = describe(store, "http://x/id/a", for_people=True)
>>> len(description.triples), description.label("http://x/id/a"), len(description.incoming)
(1, 'A', 1)
>>> describe(store, "http://x/id/nothing") is None
True
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from endpoint.formats.results import take
from endpoint.pages.views import gather, view_for
from endpoint.pages.views.facts import Facts
from endpoint.store.backends import Backend
from kg.iris import RDF_TYPE, namespace

LABELS = (
    namespace("skos") + "prefLabel",
    namespace("rdfs") + "label",
    namespace("dcterms") + "title",
)
_LANGUAGE_RANK = {"ja": 0, "en": 1, None: 2}
MAX_INCOMING = 50
MAX_LABELLED = 1000

_OUTGOING = "CONSTRUCT {{ {node} ?p ?o }} WHERE {{ {node} ?p ?o }}"
# A vocabulary document: the resource, its hash terms and the concepts of a scheme.
_VOCABULARY = """CONSTRUCT {{ ?s ?p ?o }} WHERE {{
  {{ VALUES ?s {{ {node} }} ?s ?p ?o }}
  UNION {{ ?s <http://www.w3.org/2004/02/skos/core#inScheme> {node} . ?s ?p ?o }}
  UNION {{ ?s a ?type . FILTER(STRSTARTS(STR(?s), {hash})) ?s ?p ?o }}
}}"""
# Ordered by text, so every store shows the same ones first (Virtuoso orders IRIs by its internal ids).
_INCOMING = "SELECT ?s ?p WHERE {{ ?s ?p {node} }} ORDER BY STR(?s) STR(?p) LIMIT {limit}"
_LABELS = "SELECT ?x ?label WHERE {{ VALUES ?x {{ {nodes} }} VALUES ?p {{ {predicates} }} ?x ?p ?label }}"
# Superclasses of the resource's classes, and schema.org terms its classes and properties align with:
# one branch per term, so each path starts from a constant (Virtuoso cannot start one from VALUES).
_ALIGNED = "SELECT ?sub ?super ?property ?schema WHERE {{ {branches} }}"
_SUPERCLASSES = "{{ {type} rdfs:subClassOf* ?sub . ?sub rdfs:subClassOf ?super }}"
_SCHEMA_PROPERTIES = """{{ {property} rdfs:subPropertyOf+ ?schema . BIND({property} AS ?property)
  FILTER(STRSTARTS(STR(?schema), "https://schema.org/")) }}"""
SCHEMA = namespace("schema")
RDFS_LABEL = namespace("rdfs") + "label"


@dataclass(frozen=True)
class Description:
    """What is said about one IRI, and what a page about it needs besides."""

    iri: str
    triples: list[Triple]
    """The description proper: what the RDF formats carry."""
    labels: dict[str, str] = field(default_factory=dict)
    """A label for IRIs the page shows, Japanese first, then English."""
    incoming: list[tuple] = field(default_factory=list)
    """``(subject, predicate)`` of triples pointing at the resource (pages only)."""
    classes: list[str] = field(default_factory=list)
    """Its classes and their superclasses, most specific first (pages only)."""
    view: str | None = None
    """The template family of its details: ``resource-{view}.html`` (pages only)."""
    details: object | None = None
    """What the page of its type shows besides its triples (pages only)."""
    entailed: list[Triple] = field(default_factory=list)
    """schema.org statements its classes and properties entail, for the embedded JSON-LD (pages only)."""
    labels_en: dict[str, str] = field(default_factory=dict)
    """The English label of those that have one (pages in English show it)."""
    label_languages: dict[str, str] = field(default_factory=dict)
    """The language of each label of ``labels`` that has one."""

    def label(self, iri: str) -> str | None:
        return self.labels.get(iri)

    def types(self) -> list[str]:
        """IRIs of the resource's classes."""
        return [
            t.object.value
            for t in self.triples
            if t.subject.value == self.iri and t.predicate.value == RDF_TYPE and type(t.object) is NamedNode
        ]


def _sort_key(iri: str):
    def key(triple: Triple):
        return (triple.subject.value != iri, str(triple.subject), str(triple.predicate), str(triple.object))

    return key


def describe(
    backend: Backend,
    iri: str,
    *,
    vocabulary: bool = False,
    for_people: bool = False,
    cancelled: threading.Event | None = None,
    limit: int = 100_000,
) -> Description | None:
    """The description of ``iri``, or None when the store says nothing about it.

    ``vocabulary`` adds hash terms and scheme members; ``for_people`` adds labels
    and incoming links, which only pages show.
    """
    try:
        node = NamedNode(iri)
    except ValueError:
        return None
    if vocabulary:
        query = _VOCABULARY.format(node=node, hash=Literal(iri + "#"))
    else:
        query = _OUTGOING.format(node=node)
    triples, _ = take(backend.query(query), limit, cancelled)
    if not triples:
        return None
    triples.sort(key=_sort_key(iri))
    if not for_people:
        return Description(iri, triples)
    incoming = [
        (row["s"], row["p"]) for row in backend.query(_INCOMING.format(node=node, limit=MAX_INCOMING))
    ]
    shown = {term.value for t in triples for term in (t.subject, t.predicate, t.object) if type(term) is NamedNode}
    shown.update(term.value for pair in incoming for term in pair if type(term) is NamedNode)
    own = [t for t in triples if t.subject == node]
    types = [t.object.value for t in own if t.predicate.value == RDF_TYPE and type(t.object) is NamedNode]
    classes, entailed = _aligned(backend, node, own, types)
    view = view_for(classes)
    details = None
    if view is not None:
        details = gather(backend, view, Facts(iri, own), cancelled)
    labels, english, languages = labels_of(backend, shown)
    return Description(
        iri, triples, labels, incoming=incoming, classes=classes,
        view=view.name if details is not None else None, details=details, entailed=entailed,
        labels_en=english, label_languages=languages,
    )


def _aligned(backend: Backend, node: NamedNode, own: list[Triple], types: list[str]) -> tuple[list[str], list[Triple]]:
    """The classes of the resource, most specific first, and the schema.org triples they and its properties entail."""
    properties = sorted({t.predicate.value for t in own})
    if not types and not properties:
        return [], []
    branches = [_SUPERCLASSES.format(type=f"<{t}>") for t in types]
    branches += [_SCHEMA_PROPERTIES.format(property=f"<{p}>") for p in properties]
    query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + _ALIGNED.format(branches=" UNION ".join(branches))
    supers: dict[str, list[str]] = {}
    schema_properties: dict[str, set[str]] = {}
    for row in backend.query(query):
        if row["sub"] is not None and type(row["super"]) is NamedNode:
            supers.setdefault(row["sub"].value, []).append(row["super"].value)
        elif row["property"] is not None:
            schema_properties.setdefault(row["property"].value, set()).add(row["schema"].value)
    classes = list(dict.fromkeys(types))
    for cls in classes:  # breadth first: nearer superclasses come first
        for parent in sorted(supers.get(cls, ())):
            if parent not in classes:
                classes.append(parent)
    entailed = [Triple(node, NamedNode(RDF_TYPE), NamedNode(cls)) for cls in classes if cls.startswith(SCHEMA)]
    for triple in own:
        if triple.predicate.value == RDFS_LABEL:
            entailed.append(Triple(node, NamedNode(SCHEMA + "name"), triple.object))
        for schema in sorted(schema_properties.get(triple.predicate.value, ())):
            entailed.append(Triple(node, NamedNode(schema), triple.object))
    return classes, entailed


def labels_of(backend: Backend, iris: Iterable[str]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """One label per IRI that has any, preferring Japanese, then English, then none; the English
    labels; the languages of the labels chosen."""
    iris = sorted(iris)[:MAX_LABELLED]
    if not iris:
        return {}, {}, {}
    query = _LABELS.format(
        nodes=" ".join(str(NamedNode(iri)) for iri in iris),
        predicates=" ".join(f"<{predicate}>" for predicate in LABELS),
    )
    return _chosen((row["x"].value, row["label"]) for row in backend.query(query))


def _chosen(pairs: Iterable[tuple[str, object]]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    best: dict[str, tuple[int, str, str]] = {}
    english: dict[str, str] = {}
    for subject, label in pairs:
        if type(label) is not Literal:
            continue
        language = label.language or None
        rank = (_LANGUAGE_RANK.get(language, 3), label.value, language or "")
        if subject not in best or rank < best[subject]:
            best[subject] = rank
        if language == "en" and (subject not in english or label.value < english[subject]):
            english[subject] = label.value
    return ({iri: text for iri, (_, text, _) in best.items()}, english,
            {iri: language for iri, (_, _, language) in best.items() if language})


def describe_in(graph: Iterable[Triple], iri: str) -> Description | None:
    """The description of ``iri`` in a graph held apart from the store (the catalog of
    ``dist/catalog.ttl``): its triples, those of the blank nodes they reach, the labels
    and titles of what they show and the links pointing at it; None when it says nothing.

    >>> a, b = NamedNode("http://x/id/catalog"), NamedNode("http://x/id/dataset")
    >>> title = NamedNode("http://purl.org/dc/terms/title")
    >>> graph = [Triple(a, NamedNode("http://www.w3.org/ns/dcat#dataset"), b), Triple(b, title, Literal("D", language="en"))]
    >>> described = describe_in(graph, "http://x/id/dataset")
    >>> len(described.triples), described.label("http://x/id/dataset"), len(described.incoming)
    (1, 'D', 1)
    """
    graph = tuple(graph)
    by_subject: dict[object, list[Triple]] = {}
    for triple in graph:
        by_subject.setdefault(triple.subject, []).append(triple)
    node = NamedNode(iri)
    if node not in by_subject:
        return None
    triples: list[Triple] = []
    todo, seen = [node], {node}
    while todo:
        for triple in by_subject.get(todo.pop(), ()):
            triples.append(triple)
            if type(triple.object) is BlankNode and triple.object not in seen:
                seen.add(triple.object)
                todo.append(triple.object)
    triples.sort(key=_sort_key(iri))
    labels, english, languages = _chosen(
        (t.subject.value, t.object) for t in graph if t.predicate.value in LABELS and type(t.subject) is NamedNode)
    incoming = [(t.subject, t.predicate) for t in graph if t.object == node][:MAX_INCOMING]
    return Description(iri, triples, labels, incoming, labels_en=english, label_languages=languages)

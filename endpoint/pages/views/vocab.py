"""Details of the pages of kinds of tie (SKOS concepts and their scheme) and of source documents."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from endpoint.pages.views.common import (
    DCTERMS,
    SKOS,
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
)
from endpoint.pages.views.facts import Facts
from endpoint.store.backends import Backend
from kg.iris import Iris

MAX_LISTED = 1000
"""Partnerships a kind's page lists, lines a source's page lists."""
_LANGUAGES = {"ja": 0, "en": 1, "zh-hant": 2}


def _by_language(terms) -> list[Labelled]:
    found = [labelled(term) for term in terms]
    return sorted(found, key=lambda item: (_LANGUAGES.get((item.lang or "").lower(), 9), item.text))


@dataclass(frozen=True, slots=True)
class Listed:
    """A partnership in a kind's list."""

    partnership: Ref
    date: When | None


@dataclass(frozen=True, slots=True)
class ConceptDetails:
    labels: list[Labelled]
    definitions: list[Labelled]
    notation: str | None
    broader: list[Ref]
    narrower: list[Ref]
    count: int
    partnerships: list[Listed]


def concept(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> ConceptDetails:
    subject = facts.subject
    narrower_rows = select(backend, vocab, f"SELECT ?n WHERE {{ ?n skos:broader <{subject}> }}", cancelled)
    narrower = sorted({row["n"].value for row in narrower_rows} | set(facts.iris(SKOS + "narrower")))
    broader = facts.iris(SKOS + "broader")
    refs = refs_of(backend, vocab, [*broader, *narrower], cancelled)
    rows = select(backend, vocab, f"""SELECT ?p ?date ?precision WHERE {{
  ?p lgp:kind/skos:broader* <{subject}> .
  OPTIONAL {{ ?p lgp:date ?date }} OPTIONAL {{ ?p lgp:datePrecision ?precision }}
}} ORDER BY ?date ?p""", cancelled)
    listed = rows
    partnerships = refs_of(backend, vocab, [row["p"].value for row in listed], cancelled)
    return ConceptDetails(
        _by_language(facts.language_literals(SKOS + "prefLabel")),
        _by_language(facts.language_literals(SKOS + "definition")),
        facts.literal(SKOS + "notation"), ref_list(refs, broader), ref_list(refs, narrower), len(rows),
        [Listed(partnerships[row["p"].value], When.of(row["date"], precision_of(row["precision"]))) for row in listed],
    )


@dataclass(frozen=True, slots=True)
class SchemeEntry:
    """A concept of a scheme, with its labels in every language and how many partnerships use it."""

    concept: Ref
    labels: list[Labelled]
    count: int
    narrower: list[SchemeEntry]


@dataclass(frozen=True, slots=True)
class SchemeDetails:
    labels: list[Labelled]
    top: list[SchemeEntry]


def scheme(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> SchemeDetails:
    subject = facts.subject
    rows = select(backend, vocab, f"""SELECT ?c ?broader ?label WHERE {{
  ?c skos:inScheme <{subject}> .
  OPTIONAL {{ ?c skos:broader ?broader }}
  OPTIONAL {{ ?c skos:prefLabel ?label }}
}}""", cancelled)
    counts = {
        row["c"].value: number(row["n"])
        for row in select(backend, vocab, f"""SELECT ?c (COUNT(?p) AS ?n) WHERE {{
  ?c skos:inScheme <{subject}> . ?p lgp:kind ?c }} GROUP BY ?c""", cancelled)
    }
    labels: dict[str, list] = {}
    parent: dict[str, str | None] = {}
    for row in rows:
        concept_iri = row["c"].value
        parent.setdefault(concept_iri, text(row["broader"]))
        if row["label"] is not None:
            labels.setdefault(concept_iri, []).append(row["label"])
    refs = refs_of(backend, vocab, parent, cancelled)

    def entry(concept_iri: str) -> SchemeEntry:
        children = sorted((c for c, p in parent.items() if p == concept_iri), key=lambda c: (-_total(c), c))
        return SchemeEntry(
            refs[concept_iri], _by_language(set(labels.get(concept_iri, []))),
            counts.get(concept_iri, 0), [entry(child) for child in children],
        )

    def _total(concept_iri: str) -> int:
        return counts.get(concept_iri, 0) + sum(_total(c) for c, p in parent.items() if p == concept_iri)

    tops = sorted((c for c, p in parent.items() if p is None or p not in parent), key=lambda c: (-_total(c), c))
    return SchemeDetails(
        _by_language(facts.language_literals(SKOS + "prefLabel")), [entry(top) for top in tops]
    )


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a source document the graph has read: a claim or a project."""

    line: int
    record: Ref
    wording: str | None
    partnership: Ref | None
    wording_lang: str | None = None
    """The language of ``wording``, the source's."""


@dataclass(frozen=True, slots=True)
class SourceDetails:
    identifier: str | None
    title: str | None
    description: list[Labelled]
    language: str | None
    as_of: str | None
    claims: int
    partnerships: int
    projects: int
    lines: list[SourceLine]


def source(backend: Backend, vocab: Iris, facts: Facts, cancelled: threading.Event | None = None) -> SourceDetails:
    subject = facts.subject
    counts = select(backend, vocab, f"""SELECT
  (COUNT(DISTINCT ?claim) AS ?claims) (COUNT(DISTINCT ?p) AS ?partnerships) (COUNT(DISTINCT ?project) AS ?projects)
WHERE {{
  {{ ?claim a lgp:Claim ; prov:wasDerivedFrom <{subject}> . OPTIONAL {{ ?p lgp:claim ?claim }} }}
  UNION {{ ?project a lgp:Project ; prov:wasDerivedFrom <{subject}> }}
}}""", cancelled)[0]
    rows = select(backend, vocab, f"""SELECT ?x ?line (SAMPLE(?w) AS ?wording) (SAMPLE(?p) AS ?partnership) WHERE {{
  ?x prov:wasDerivedFrom <{subject}> ; lgp:sourceLine ?line .
  OPTIONAL {{ ?x lgp:wording|dcterms:title ?w }}
  OPTIONAL {{ ?p lgp:claim ?x }}
}} GROUP BY ?x ?line ORDER BY ?line ?x""", cancelled)
    refs = refs_of(backend, vocab, [text(row[name]) for row in rows for name in ("x", "partnership")], cancelled)
    as_of = select(backend, vocab, f"SELECT ?t WHERE {{ <{subject}> dcterms:temporal/dcat:endDate ?t }}", cancelled)
    language = facts.iri(DCTERMS + "language")
    return SourceDetails(
        facts.literal(DCTERMS + "identifier"), facts.literal(DCTERMS + "title"),
        _by_language(facts.language_literals(DCTERMS + "description")),
        language.rsplit("/", 1)[-1] if language else None,  # the language authority's code (JPN, ZHO)
        text(as_of[0]["t"]) if as_of else None, number(counts["claims"]), number(counts["partnerships"]),
        number(counts["projects"]),
        [
            SourceLine(number(row["line"]), refs[row["x"].value], text(row["wording"]), refs.get(text(row["partnership"])),
                       getattr(row["wording"], "language", None) or None)
            for row in rows
        ],
    )

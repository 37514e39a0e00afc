"""Who to credit and how: the dataset's licence and citation, and each source's title, publisher and date.

Every page states the licence and how to cite the dataset; a claim names its
source with its title, publisher (or that the document names none), as-of date,
licence and, where the catalog knows it, the original document's address. All of
it is read from the build's catalog (``dist/catalog.ttl``), the one place the
build states it, so a page never says more than the catalog does.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> base = "http://x/"
>>> def t(s, p, o): return Triple(NamedNode(base + s), NamedNode(p), o)
>>> graph = [
...     t("id/dataset", DCTERMS + "title", Literal("KG", language="en")),
...     t("id/dataset", DCTERMS + "license", NamedNode("https://creativecommons.org/licenses/by/4.0/")),
...     t("id/dataset", DCTERMS + "publisher", NamedNode(base + "id/publisher")),
...     t("id/dataset", DCTERMS + "modified", Literal("2026-03-31")),
...     t("id/publisher", FOAF + "name", Literal("Team")),
...     t("id/source/s", DCTERMS + "title", Literal("一覧", language="ja")),
...     t("id/source/s", DCTERMS + "temporal", NamedNode(base + "id/source/s/as-of")),
...     t("id/source/s/as-of", DCAT + "endDate", Literal("2021-06-01")),
... ]
>>> credit = attribution_of(graph, base)
>>> credit.licence_name, credit.citation("en")
('CC BY 4.0', 'Team (2026). KG. http://x/ (version of 2026-03-31). Licence: CC BY 4.0.')
>>> credit.sources[base + "id/source/s"].as_of, credit.sources[base + "id/source/s"].publisher
('2021-06-01', None)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
}


@dataclass(frozen=True, slots=True)
class SourceNote:
    """What a page says about a source document next to a claim from it."""

    iri: str
    title: str | None
    publisher: str | None
    """None when the document names no publisher."""
    as_of: str | None
    licence: str | None
    """The licence's IRI, None when the document states none."""
    licence_name: str | None
    address: str | None
    """Where the original document was published, when the catalog knows it."""
    based_on: str | None = None
    """The work the document says it was compiled from, as it names it."""
    based_on_address: str | None = None
    """That work's address, when known."""
    based_on_lang: str | None = None
    """The language of ``based_on``."""


@dataclass(frozen=True)
class Attribution:
    """The dataset's licence and citation, and a note per source."""

    base: str
    title: dict[str, str] = field(default_factory=dict)
    """The dataset's title by language."""
    licence: str | None = None
    licence_name: str | None = None
    publisher: str | None = None
    modified: str | None = None
    sources: dict[str, SourceNote] = field(default_factory=dict)

    def citation(self, lang: str = "ja") -> str:
        """How to cite the dataset, in ``lang`` (its title in that language when it has one)."""
        title = self.title.get(lang) or self.title.get("en") or next(iter(self.title.values()), self.base)
        year = (self.modified or "")[:4]
        version = {"ja": f"{self.modified}版", "en": f"version of {self.modified}"}.get(lang, self.modified)
        licence = {"ja": "ライセンス", "en": "Licence"}.get(lang, "Licence")
        parts = [f"{self.publisher or ''} ({year}). " if year else f"{self.publisher or ''}. ", f"{title}. {self.base}"]
        if self.modified:
            parts.append(f" ({version})")
        parts.append(f". {licence}: {self.licence_name or self.licence or '—'}.")
        return "".join(parts).lstrip()


def _value(graph_index, subject: str, predicate: str) -> list:
    return graph_index.get((subject, predicate), [])


def attribution_of(graph: Iterable[Triple], base: str) -> Attribution:
    """The attribution the catalog ``graph`` states for the dataset under ``base``."""
    index: dict[tuple[str, str], list] = {}
    for triple in graph:
        index.setdefault((triple.subject.value, triple.predicate.value), []).append(triple.object)

    def texts(subject: str, predicate: str) -> dict[str, str]:
        return {term.language or "": term.value for term in _value(index, subject, predicate) if type(term) is Literal}

    def first_text(subject: str, predicate: str, *languages: str) -> str | None:
        found = texts(subject, predicate)
        return next((found[lang] for lang in (*languages, "") if lang in found), next(iter(found.values()), None))

    def first_iri(subject: str, predicate: str) -> str | None:
        return next((term.value for term in _value(index, subject, predicate) if type(term) is NamedNode), None)

    dataset = base + "id/dataset"
    licence = first_iri(dataset, DCTERMS + "license")
    publisher = first_iri(dataset, DCTERMS + "publisher")
    sources = {}
    for (subject, predicate), _ in list(index.items()):
        if predicate != DCTERMS + "title" or not subject.startswith(base + "id/source/") or subject.count("/") != base.count("/") + 2:
            continue
        agent = first_iri(subject, DCTERMS + "publisher")
        period = first_iri(subject, DCTERMS + "temporal")
        source_licence = first_iri(subject, DCTERMS + "license")
        stated = source_licence and not source_licence.startswith(base)
        upstream = first_iri(subject, DCTERMS + "source")
        sources[subject] = SourceNote(
            subject, first_text(subject, DCTERMS + "title", "ja", "zh-Hant", "en"),
            first_text(agent, FOAF + "name", "ja", "en") if agent else None,
            first_text(period, DCAT + "endDate") if period else None,
            source_licence if stated else None,
            LICENCE_NAMES.get(source_licence or "", source_licence) if stated else None,
            first_iri(subject + "/original", DCAT + "accessURL"),
            first_text(upstream, DCTERMS + "title") if upstream else None,
            first_iri(upstream + "/web", DCAT + "accessURL") if upstream else None,
            next(iter(texts(upstream, DCTERMS + "title")), None) or None if upstream else None,
        )
    return Attribution(
        base, texts(dataset, DCTERMS + "title"), licence, LICENCE_NAMES.get(licence or "", licence),
        first_text(publisher, FOAF + "name", "ja", "en") if publisher else None,
        first_text(dataset, DCTERMS + "modified"), dict(sorted(sources.items())),
    )

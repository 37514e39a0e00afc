"""Formats the server speaks, as values that know their media type and file extension.

A format is found again from a media type, a file extension or the short word of
the ``format`` parameter, always among the formats a response can offer:

>>> Format.parse("text/turtle", GRAPHS) is TURTLE
True
>>> Format.parse("json", GRAPHS) is JSON_LD, Format.parse("json", RESULTS) is JSON
(True, True)
>>> Format.from_extension("rdf") is RDF_XML, Format.from_extension("csv") is TRIPLES_CSV
(True, True)
>>> TSV.content_type
'text/tab-separated-values; charset=utf-8'
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class Kind(enum.Enum):
    """What a format can carry."""

    RESULTS = "results"
    """Solutions of SELECT and the boolean of ASK."""
    GRAPH = "graph"
    """Triples: CONSTRUCT, DESCRIBE, resource descriptions."""
    PAGE = "page"
    """A page for people."""


@dataclass(frozen=True, slots=True)
class Format:
    """One serialisation: its name, media type, extension and what it can carry."""

    name: str
    """The short word of ``?format=``."""
    media_type: str
    extension: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    """Other media types a client may ask this format by."""
    words: tuple[str, ...] = ()
    """Other words of ``?format=`` for it (SPARQLWrapper sends ``turtle``, ``rdf+xml``…)."""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header, with a charset for textual types."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    def names(self) -> tuple[str, ...]:
        """Every media type this format answers to, the primary one first."""
        return (self.media_type, *self.aliases)

    @staticmethod
    def parse(text: str, offered: Sequence[Format]) -> Format | None:
        """The format among ``offered`` meant by a word, an extension or a media type."""
        text = text.strip().lower()
        # Words first, so that "json" means the offered JSON (results or JSON-LD).
        for fmt in offered:
            if text in (fmt.name, fmt.extension, *fmt.words):
                return fmt
        media_type = text.split(";", 1)[0].strip()
        for fmt in offered:
            if media_type in fmt.names():
                return fmt
        return None

    @staticmethod
    def from_extension(extension: str) -> Format | None:
        """The description format of a file suffix (``ttl``, ``nt``, ``jsonld``, ``rdf``, ``csv``, ``html``)."""
        extension = extension.lstrip(".").lower()
        return next((fmt for fmt in DESCRIPTIONS if fmt.extension == extension), None)


JSON = Format("json", "application/sparql-results+json", "srj", Kind.RESULTS, ("application/json",))
XML = Format("xml", "application/sparql-results+xml", "srx", Kind.RESULTS, ("application/xml", "text/xml"))
CSV = Format("csv", "text/csv", "csv", Kind.RESULTS)
TSV = Format("tsv", "text/tab-separated-values", "tsv", Kind.RESULTS)

TURTLE = Format(
    "ttl", "text/turtle", "ttl", Kind.GRAPH,
    ("application/x-turtle", "text/n3", "text/rdf+n3"), ("turtle", "n3"),
)
N_TRIPLES = Format("nt", "application/n-triples", "nt", Kind.GRAPH, ("text/plain",), ("ntriples", "n-triples"))
JSON_LD = Format("jsonld", "application/ld+json", "jsonld", Kind.GRAPH, ("application/json",), ("json-ld", "json"))
RDF_XML = Format(
    "rdfxml", "application/rdf+xml", "rdf", Kind.GRAPH,
    ("application/xml", "text/xml"), ("rdf", "rdf+xml", "xml"),
)

TRIPLES_CSV = Format("csv", "text/csv", "csv", Kind.GRAPH)
"""A description as a table: one row per triple, ``subject,predicate,object,datatype,language``."""

HTML = Format("html", "text/html", "html", Kind.PAGE, ("application/xhtml+xml",))

RESULTS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
"""Formats of SELECT and ASK results, the default first."""
GRAPHS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""Formats of triples, the default first."""
DESCRIPTIONS: tuple[Format, ...] = (*GRAPHS, TRIPLES_CSV, HTML)
"""Formats a description (a resource, the catalog, a report) can take, each with its file suffix."""

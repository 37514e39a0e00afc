"""The one table of formats: values that know their media type, file extension and format IRI.

Formats of RDF and of SPARQL results are pyoxigraph's own (``RdfFormat``,
``QueryResultsFormat``), which give the media type, extension and IRI; the
table adds what a server needs besides: the short word of ``?format=``, other
media types a client may ask by, and what a format can carry. Pages, tables
and the files of ``dist/`` (gzip, Markdown…) are in the same table.

A format is found again from a media type, a file extension or the short word of
the ``format`` parameter, always among the formats a response can offer:

>>> Format.parse("text/turtle", GRAPHS) is TURTLE
True
>>> Format.parse("json", GRAPHS) is JSON_LD, Format.parse("json", RESULTS) is JSON
(True, True)
>>> by_extension("rdf", DESCRIPTIONS) is RDF_XML, by_extension("csv", DESCRIPTIONS) is TABLE
(True, True)
>>> TSV.content_type, TURTLE.iri
('text/tab-separated-values; charset=utf-8', 'http://www.w3.org/ns/formats/Turtle')
>>> file_type("kg.nt"), file_type("kg.ttl.gz"), file_type("csv/partnerships.csv")
('application/n-triples', 'application/gzip', 'text/csv; charset=utf-8')
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from pyoxigraph import QueryResultsFormat, RdfFormat


class Kind(enum.Enum):
    """What a format can carry."""

    RESULTS = "results"
    """Solutions of SELECT and the boolean of ASK."""
    GRAPH = "graph"
    """Triples: CONSTRUCT, DESCRIBE, resource descriptions."""
    PAGE = "page"
    """What a page shows, for people or programs: HTML, JSON, a CSV table, plain text."""
    FILE = "file"
    """A file of ``dist/`` that is none of the above (an archive, a query, Markdown)."""


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
    native: RdfFormat | QueryResultsFormat | None = field(default=None, compare=False)
    """pyoxigraph's format, which parses and writes it, when it has one."""

    @classmethod
    def of(
        cls, native: RdfFormat | QueryResultsFormat, name: str, kind: Kind,
        aliases: tuple[str, ...] = (), words: tuple[str, ...] = (),
    ) -> Format:
        """The format of pyoxigraph's ``native``, its media type and extension taken from it."""
        media_type = native.media_type.split(";", 1)[0].strip()
        return cls(name, media_type, native.file_extension, kind, aliases, words, native)

    @property
    def iri(self) -> str | None:
        """The format's IRI in the W3C's ``formats`` namespace, when it has one."""
        return self.native.iri if self.native is not None else None

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header, with a charset for textual types.

        Plain ``application/json`` takes none: JSON is UTF-8 by definition (RFC 8259).
        """
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "xml"))
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


def by_extension(extension: str, offered: Sequence[Format]) -> Format | None:
    """The format among ``offered`` whose file extension is ``extension`` (``ttl``, ``.csv``…)."""
    extension = extension.lstrip(".").lower()
    return next((fmt for fmt in offered if fmt.extension == extension), None)


JSON = Format.of(QueryResultsFormat.JSON, "json", Kind.RESULTS, ("application/json",))
XML = Format.of(QueryResultsFormat.XML, "xml", Kind.RESULTS, ("application/xml", "text/xml"))
CSV = Format.of(QueryResultsFormat.CSV, "csv", Kind.RESULTS)
TSV = Format.of(QueryResultsFormat.TSV, "tsv", Kind.RESULTS)

TURTLE = Format.of(
    RdfFormat.TURTLE, "ttl", Kind.GRAPH, ("application/x-turtle", "text/n3", "text/rdf+n3"), ("turtle", "n3"),
)
N_TRIPLES = Format.of(RdfFormat.N_TRIPLES, "nt", Kind.GRAPH, ("text/plain",), ("ntriples", "n-triples"))
JSON_LD = Format.of(RdfFormat.JSON_LD, "jsonld", Kind.GRAPH, ("application/json",), ("json-ld", "json"))
RDF_XML = Format.of(RdfFormat.RDF_XML, "rdfxml", Kind.GRAPH, ("application/xml", "text/xml"), ("rdf", "rdf+xml", "xml"))
N_QUADS = Format.of(RdfFormat.N_QUADS, "nq", Kind.GRAPH)
TRIG = Format.of(RdfFormat.TRIG, "trig", Kind.GRAPH)

HTML = Format("html", "text/html", "html", Kind.PAGE, ("application/xhtml+xml",))
PAGE_JSON = Format("json", "application/json", "json", Kind.PAGE)
"""A page's data as plain JSON."""
TABLE = Format("csv", "text/csv", "csv", Kind.PAGE)
"""What a page shows as one CSV table: a description one row per triple
(``subject,predicate,object,datatype,language``), the conformance report one row per test and mode."""
PLAIN = Format("text", "text/plain", "txt", Kind.PAGE)

GZIP = Format("gzip", "application/gzip", "gz", Kind.FILE)
ZIP = Format("zip", "application/zip", "zip", Kind.FILE)
MARKDOWN = Format("md", "text/markdown", "md", Kind.FILE)
SPARQL_QUERY = Format("rq", "application/sparql-query", "rq", Kind.FILE)

RESULTS: tuple[Format, ...] = (JSON, XML, CSV, TSV)
"""Formats of SELECT and ASK results, the default first."""
GRAPHS: tuple[Format, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)
"""Formats of triples, the default first."""
DESCRIPTIONS: tuple[Format, ...] = (TURTLE, HTML, N_TRIPLES, JSON_LD, RDF_XML, TABLE)
"""Formats a description (a resource, the catalog, a report) can take, each with its file suffix,
in the server's preference: Turtle for ``*/*``, a page for browsers (which ask for HTML first)."""
PAGES: tuple[Format, ...] = (HTML, PAGE_JSON)
"""Formats of a page for people, the default first."""
FILES: tuple[Format, ...] = (
    N_TRIPLES, N_QUADS, TURTLE, TRIG, JSON_LD, PAGE_JSON, RDF_XML, TABLE, TSV, SPARQL_QUERY, HTML, PLAIN,
    MARKDOWN, GZIP, ZIP,
)
"""What the files of ``dist/`` are, by extension."""


def file_type(name: str) -> str:
    """The ``Content-Type`` of a file of ``dist/`` by its last suffix (``.gz`` files are gzip)."""
    fmt = by_extension(PurePath(name).suffix, FILES)
    if fmt is None:
        return "application/octet-stream"
    return fmt.content_type

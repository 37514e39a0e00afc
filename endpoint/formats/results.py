"""SPARQL results (SELECT solutions, ASK booleans) written in JSON, XML, CSV and TSV.

pyoxigraph's own writers do the work, into a sink that counts rows as they
stream by (each format marks its rows: ``<result>``, a line, ``},{``) and stops
the writer past the cap or when the query's time is up. Only when the cap is
passed are the rows taken again, one by one, and written here, exactly
``limit`` of them. A row count can only err upwards (``},{`` inside a literal),
which costs that second pass but never lets more than ``limit`` rows out.

>>> from pyoxigraph import Store
>>> store = Store()
>>> query = 'SELECT ?n WHERE { VALUES ?n { 1 2 3 } }'
>>> write_solutions(store.query(query), CSV, limit=5).body
b'n\\r\\n1\\r\\n2\\r\\n3\\r\\n'
>>> answer = write_solutions(store.query(query), CSV, limit=2, rerun=lambda: store.query(query))
>>> answer.body, answer.truncated
(b'n\\r\\n1\\r\\n2\\r\\n', True)
>>> write_boolean(True, JSON).body
b'{"head":{},"boolean":true}'
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from endpoint.formats.media import CSV, JSON, TSV, XML, Format
from kg.iris import namespace

XSD_STRING = namespace("xsd") + "string"
RDF_LANG_STRING = namespace("rdf") + "langString"
_CHECK_EVERY = 256


class Cancelled(Exception):
    """The query's time ran out while its results were being taken."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A serialised response body, and whether the result cap cut it."""

    body: bytes
    truncated: bool = False


def take(items: Iterable, limit: int, cancelled: threading.Event | None = None) -> tuple[list, bool]:
    """At most ``limit`` items, and whether more were there; stops when ``cancelled`` is set."""
    taken = []
    for index, item in enumerate(items):
        if index >= limit:
            return taken, True
        # Checking an Event is cheap, but not free: look every few hundred rows.
        if cancelled is not None and index % _CHECK_EVERY == 0 and cancelled.is_set():
            raise Cancelled
        taken.append(item)
    return taken, False


def _json_term(term) -> dict:
    if type(term) is NamedNode:
        return {"type": "uri", "value": term.value}
    if type(term) is Literal:
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        else:
            datatype = term.datatype.value
            if datatype != XSD_STRING:
                value["datatype"] = datatype
        return value
    if type(term) is BlankNode:
        return {"type": "bnode", "value": term.value}
    if type(term) is Triple:
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _json(names: list[str], rows: list) -> bytes:
    bindings = [
        {name: _json_term(term) for name, term in zip(names, row) if term is not None} for row in rows
    ]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


# Character references keep whitespace that XML parsers would otherwise normalise.
_XML_TEXT = {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}


def _text(value: str) -> str:
    return escape(value, _XML_TEXT)


def _xml_term(term) -> str:
    if type(term) is NamedNode:
        return f"<uri>{_text(term.value)}</uri>"
    if type(term) is Literal:
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_text(term.value)}</literal>"
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return f"<literal>{_text(term.value)}</literal>"
        return f"<literal datatype={quoteattr(datatype)}>{_text(term.value)}</literal>"
    if type(term) is BlankNode:
        return f"<bnode>{_text(term.value)}</bnode>"
    if type(term) is Triple:
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml(names: list[str], rows: list) -> bytes:
    parts = [_XML_HEAD, "<head>"]
    parts.extend(f"<variable name={quoteattr(name)}/>" for name in names)
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts.extend(
            f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
            for name, term in zip(names, row)
            if term is not None
        )
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts).encode()


def _csv_value(term) -> str:
    if term is None:
        return ""
    if type(term) is BlankNode:
        return f"_:{term.value}"
    if type(term) is Triple:
        return str(term)
    return term.value


def _csv(names: list[str], rows: list) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_value(term) for term in row] for row in rows)
    return buffer.getvalue().encode()


def _tsv(names: list[str], rows: list) -> bytes:
    # str() of a pyoxigraph term is its N-Triples form, escapes included: what TSV wants.
    lines = ["\t".join(f"?{name}" for name in names)]
    lines.extend("\t".join("" if term is None else str(term) for term in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()


_WRITERS = {JSON: _json, XML: _xml, CSV: _csv, TSV: _tsv}


# Per format: what marks a row in pyoxigraph's writer, and how many marks more than rows.
_ROW_MARKS = {JSON: (b"},{", -1), XML: (b"<result>", 0), CSV: (b"\r\n", 1), TSV: (b"\n", 1)}


class _OverCap(Exception):
    pass


class _CountingSink:
    """A binary sink for pyoxigraph's writers that stops them past ``most`` row marks."""

    def __init__(self, marker: bytes, most: int, cancelled: threading.Event | None):
        self.marker, self.most, self.cancelled = marker, most, cancelled
        self.parts: list[bytes] = []
        self.seen = 0
        self.tail = b""

    def write(self, chunk) -> int:
        if self.cancelled is not None and self.cancelled.is_set():
            raise Cancelled
        chunk = bytes(chunk)
        # A mark may straddle two chunks: look at the end of the last one too.
        self.seen += (self.tail + chunk).count(self.marker)
        self.tail = chunk[1 - len(self.marker):] if len(self.marker) > 1 else b""
        if self.seen > self.most:
            raise _OverCap
        self.parts.append(chunk)
        return len(chunk)

    def flush(self) -> None:
        pass


def write_solutions(
    solutions: QuerySolutions,
    fmt: Format,
    *,
    limit: int,
    cancelled: threading.Event | None = None,
    rerun: Callable[[], QuerySolutions] | None = None,
) -> Answer:
    """At most ``limit`` solutions in ``fmt``, flagged when more were there.

    ``rerun`` gives the same solutions afresh, for the second pass over the cap.
    """
    marker, extra = _ROW_MARKS[fmt]
    sink = _CountingSink(marker, limit + extra, cancelled)
    try:
        solutions.serialize(sink, fmt.native)
        return Answer(b"".join(sink.parts))
    except _OverCap:
        if rerun is None:
            raise ValueError("the results pass the cap and cannot be taken again") from None
    return write_capped(rerun(), fmt, limit=limit, cancelled=cancelled)


def write_capped(
    solutions: QuerySolutions,
    fmt: Format,
    *,
    limit: int,
    cancelled: threading.Event | None = None,
) -> Answer:
    """Exactly the first ``limit`` solutions in ``fmt``, taken one by one."""
    names = [variable.value for variable in solutions.variables]
    rows, truncated = take(solutions, limit, cancelled)
    return Answer(_WRITERS[fmt](names, [tuple(row) for row in rows]), truncated)


def write_boolean(value: bool, fmt: Format) -> Answer:
    """The answer of an ASK query in ``fmt``."""
    word = "true" if value else "false"
    if fmt is JSON:
        return Answer(f'{{"head":{{}},"boolean":{word}}}'.encode())
    if fmt is XML:
        return Answer(f"{_XML_HEAD}<head/><boolean>{word}</boolean></sparql>\n".encode())
    # CSV and TSV define no boolean; a bare word is what other stores answer.
    return Answer(f"{word}\n".encode())


def iter_rows(solutions: QuerySolutions) -> Iterator[dict]:
    """Solutions as dictionaries of variable name to term (unbound names left out)."""
    names = [variable.value for variable in solutions.variables]
    for row in solutions:
        yield {name: term for name, term in zip(names, row) if term is not None}

"""Where queries run: the embedded pyoxigraph store, or any SPARQL 1.1 endpoint.

Both backends answer with pyoxigraph's result types (``QuerySolutions``,
``QueryBoolean``, an iterable of ``Triple``), so everything above them, from
the protocol to the pages, is the same for either. Both take SPARQL Update
too; whether the server lets any through is decided above them
(:mod:`endpoint.sparql.update`).

>>> store = EmbeddedStore.from_text('<http://example.org/a> <http://example.org/p> "1" .')
>>> [row["o"].value for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['1']
>>> store.update('INSERT DATA { <http://example.org/a> <http://example.org/p> <b> }', base_iri="http://example.org/")
>>> store.triple_count()
2
"""

from __future__ import annotations

import gzip
import socket
import time
import urllib.error
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Union

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    parse_query_results,
)

from endpoint.store.paging import PagedConstruct, pages_of

QueryResult = Union[QuerySolutions, QueryBoolean, Iterable[Triple]]


class BackendError(Exception):
    """The store could not answer."""


class BackendTimeout(BackendError):
    """The remote store did not answer in time."""


class DataError(ValueError):
    """An RDF file to serve is missing, of an unknown kind or not well-formed; the message names it."""


DATA_EXTENSIONS = ("nt", "nq", "ttl", "trig", "rdf", "jsonld", "n3")
"""File extensions ``kg serve --data`` reads, each optionally followed by ``.gz``."""


def data_format(path: Path) -> tuple[RdfFormat, bool]:
    """The RDF format of a file by its extension, and whether it is gzipped.

    >>> data_format(Path("kg.nt.gz"))
    (<RdfFormat N-Triples>, True)
    """
    suffixes = [suffix.lower() for suffix in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    extension = (suffixes[-2] if gzipped and len(suffixes) > 1 else suffixes[-1] if suffixes else "").lstrip(".")
    fmt = RdfFormat.from_extension(extension) if extension in DATA_EXTENSIONS else None
    if fmt is None:
        listing = ", ".join(f".{name}" for name in DATA_EXTENSIONS)
        raise DataError(f"{path}: not an RDF file by its extension (one of {listing}, optionally .gz)")
    return fmt, gzipped


def load_file(store: Store, path: Path, *, graph: str | None = None) -> None:
    """Parse one RDF file into ``store``: into ``graph`` if given, else the default graph.

    Dataset formats (N-Quads, TriG) keep their own graphs, so they cannot go into one named graph.
    Relative IRIs in the file resolve against the file's own URL.
    """
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    fmt, gzipped = data_format(path)
    if graph is not None and fmt.supports_datasets:
        raise DataError(f"{path}: a {fmt.name} file holds graphs of its own; load it with --data")
    target = NamedNode(graph) if graph is not None else DefaultGraph()
    try:
        if gzipped:
            with gzip.open(path, "rb") as data:
                store.bulk_load(data, fmt, base_iri=path.resolve().as_uri(), to_graph=target)
        else:
            store.bulk_load(path=path, format=fmt, base_iri=path.resolve().as_uri(), to_graph=target)
    except SyntaxError as error:
        raise DataError(f"{path}: {error}") from None
    except (OSError, EOFError) as error:
        raise DataError(f"{path}: {getattr(error, 'strerror', None) or error}") from None


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset of a request (SPARQL 1.1 Protocol ``default-graph-uri``, ``named-graph-uri``).

    When either list is given, the two together replace the dataset of the query:
    a graph not listed is not there, so a request naming only named graphs queries
    an empty default graph.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class Backend(Protocol):
    """What the server needs of a store."""

    label: str
    """Says which store this is, for logs and the service description."""

    def query(self, text: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a query; raises ``SyntaxError`` when the text is not SPARQL.

        ``base_iri`` resolves relative IRIs of the text (the protocol uses the endpoint's URL).
        """
        ...

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL update, all of it or nothing; raises ``SyntaxError`` when it is not SPARQL."""
        ...

    def triple_count(self) -> int | None:
        """Triples in the store, or None when counting them would be too costly."""
        ...

    def close(self) -> None: ...


class EmbeddedStore:
    """An in-memory pyoxigraph ``Store``, loaded once at start-up."""

    label = "embedded"

    def __init__(self, store: Store, path: Path | None = None):
        self.store = store
        self.path = path
        """The folder of an on-disk store (opened read-only by query workers), None in memory."""
        self._count: int | None = None

    @classmethod
    def from_files(cls, *paths: Path) -> EmbeddedStore:
        """A store holding the RDF files at ``paths`` (format from each file's extension)."""
        store = Store()
        for path in paths:
            fmt = RdfFormat.from_extension(path.suffix.lstrip("."))
            if fmt is None:
                raise ValueError(f"{path}: not a known RDF file extension")
            # lenient: the dump was validated when built; loading is the start-up time.
            store.bulk_load(path=path, format=fmt, lenient=True)
        return cls(store)

    @classmethod
    def from_sources(cls, data: Sequence[Path] = (), graphs: Sequence[tuple[str, Path]] = ()) -> EmbeddedStore:
        """A store holding any RDF files: ``data`` in the default graph, ``graphs`` as ``(IRI, file)``.

        Files are parsed strictly, unlike the built dump: a :class:`DataError` names the file and line.
        """
        store = Store()
        for path in data:
            load_file(store, Path(path))
        for iri, path in graphs:
            load_file(store, Path(path), graph=iri)
        return cls(store)

    @classmethod
    def from_text(cls, text: str, fmt: RdfFormat = RdfFormat.N_TRIPLES) -> EmbeddedStore:
        """A store holding one serialised graph or dataset."""
        store = Store()
        store.load(text, format=fmt)
        return cls(store)

    def query(self, text: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        if not dataset:
            return self.store.query(text, base_iri=base_iri)
        return self.store.query(
            text,
            base_iri=base_iri,
            default_graph=[NamedNode(iri) for iri in dataset.default_graphs],
            named_graphs=[NamedNode(iri) for iri in dataset.named_graphs],
        )

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        try:
            self.store.update(text, base_iri=base_iri)
        finally:
            self._count = None

    def triple_count(self) -> int | None:
        if self._count is None:
            self._count = len(self.store)
        return self._count

    def close(self) -> None:
        self.store = Store()


GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
"""Graph answers as N-Triples where the store can: every IRI in full, whatever its prefixes."""
VIRTUOSO_GEOMETRY = b"http://www.openlinksw.com/schemas/virtrdf#Geometry"
WKT_LITERAL = b"http://www.opengis.net/ont/geosparql#wktLiteral"
"""Virtuoso loads ``geo:wktLiteral`` values as its own geometry type and answers them so typed:
the datatype is put back (the coordinates it prints are its own, to about 1e-6 degrees)."""


class ResultCut(BackendError):
    """The remote store cut its answer at its own row limit (Virtuoso's ``ResultSetMaxRows``)."""


class RemoteStore:
    """Any SPARQL 1.1 endpoint, queried (and, when the server allows it, updated) through SPARQLWrapper.

    ``update_url`` is where the store takes updates, when that is not ``url``
    (oxigraph serves queries at ``/query`` and updates at ``/update``).
    ``graph`` is the graph a query reads when its request names no dataset of
    its own: a store whose default graph is the union of all its graphs
    (Virtuoso, whose system graphs hold thousands of triples) is read through
    the one graph ``kg publish --graph`` put there.

    Requests are form posts with an explicit ``Accept`` (Virtuoso hangs on a
    ``application/sparql-query`` body and answers XML without ``Accept``), and
    carry ``timeout`` in milliseconds, which Virtuoso takes as its time limit.
    An answer is never passed on incomplete: Virtuoso's partial answer at its
    time limit (``X-SQL-State: S1TAT``) is :class:`BackendTimeout`, an answer
    cut at its row limit (``X-SPARQL-MaxRows``; graph answers carry no header,
    so the limit learnt from a SELECT counts for them) is :class:`ResultCut`,
    but for a CONSTRUCT, which is asked again in pages below the limit
    (:mod:`endpoint.store.paging`) and answered whole.
    """

    label = "remote"

    def __init__(self, url: str, *, timeout: float, update_url: str | None = None, graph: str | None = None):
        self.url = url
        self.update_url = update_url or url
        self.timeout = timeout
        self.graph = graph
        self.row_cap: int | None = None
        """Most rows the store answers with, once an answer has said so."""
        self._probed_below = 1
        """Answers shorter than this are known not to be cut."""

    def _client(self, text: str, base_iri: str | None):
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        # One client per request: SPARQLWrapper objects hold per-query state.
        client = SPARQLWrapper(self.url, updateEndpoint=self.update_url)
        client.setOnlyConneg(True)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        # The store does not know this server's URL: relative IRIs resolve here.
        client.setQuery(f"BASE {NamedNode(base_iri)}\n{text}" if base_iri else text)
        return client

    def query(self, text: str, *, dataset: Dataset | None = None, base_iri: str | None = None) -> QueryResult:
        form, body, cap = self._send_query(text, dataset, base_iri)
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = _graph(body)
            self._learn_row_cap(len(triples))
            if self.row_cap is not None and len(triples) >= self.row_cap:
                paged = pages_of(text) if form == "CONSTRUCT" else None
                if paged is None:
                    raise self._cut(len(triples), form)
                return self._pages(paged, dataset, base_iri)
            return triples
        if cap is not None:
            # Only an answer as long as the limit was cut by it.
            rows = parse_query_results(body[0], QueryResultsFormat.JSON)
            if isinstance(rows, QuerySolutions) and sum(1 for _ in rows) >= self.row_cap:
                raise self._cut(self.row_cap, form)
        return parse_query_results(body[0], QueryResultsFormat.JSON)

    def _send_query(self, text: str, dataset: Dataset | None, base_iri: str | None):
        """The query's form, the answer's ``(body, media type)`` and the row limit it declared, if any."""
        from SPARQLWrapper import JSON, TURTLE

        client = self._client(text, base_iri)
        if client.queryType not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            # SPARQLWrapper would send an update as one: never let it.
            raise SyntaxError(f"not a query: reads as {client.queryType}")
        graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_query else JSON)
        if graph_query:
            client.addCustomHttpHeader("Accept", GRAPH_ACCEPT)
        # The store stops at the same time as this server gives up waiting for it.
        client.addParameter("timeout", str(max(1, round(self.timeout * 1000))))
        if dataset:
            default_graphs, named_graphs = dataset.default_graphs, dataset.named_graphs
        else:
            default_graphs, named_graphs = (self.graph,) if self.graph else (), ()
        for iri in default_graphs:
            client.addDefaultGraph(iri)
        for iri in named_graphs:
            client.addNamedGraph(iri)
        body, headers = _send(client, self.url)
        if headers.get("X-SQL-State", "").strip() == "S1TAT":
            raise BackendTimeout(f"the store at {self.url} did not answer in time (it stopped at its time limit)")
        cap = headers.get("X-SPARQL-MaxRows", "").strip()
        if cap.isdigit():
            self.row_cap = int(cap)
        body = body.replace(VIRTUOSO_GEOMETRY, WKT_LITERAL)
        return client.queryType, (body, headers.get("Content-Type", "").split(";")[0].strip()), (
            int(cap) if cap.isdigit() else None)

    def _pages(self, paged: PagedConstruct, dataset: Dataset | None, base_iri: str | None) -> list[Triple]:
        """Every triple of a CONSTRUCT the store cut, read in pages each below its row limit (:mod:`.paging`).

        The pages together must finish within the store's time limit for one query.
        """
        deadline = time.monotonic() + self.timeout
        _, body, _ = self._send_query(paged.count(), dataset, base_iri)
        [row] = list(parse_query_results(body[0], QueryResultsFormat.JSON))
        solutions = int(row["solutions"].value)
        size = max(1, (self.row_cap - 1) // paged.template_triples)
        triples: dict[Triple, None] = {}
        for offset in range(0, solutions, size):
            if time.monotonic() > deadline:
                raise BackendTimeout(f"the store at {self.url} did not answer in time: "
                                     f"{offset:,} of {solutions:,} solutions read in pages of {size:,}")
            _, body, _ = self._send_query(paged.page(size, offset), dataset, base_iri)
            page = _graph(body)
            if len(page) >= self.row_cap:  # the template made more triples than it shows: never pass a cut page on
                raise self._cut(len(page), "CONSTRUCT")
            triples.update(dict.fromkeys(page))
        return list(triples)

    def _cut(self, rows: int, form: str = "SELECT") -> ResultCut:
        if form == "DESCRIBE":
            return ResultCut(
                f"the store at {self.url} answered a DESCRIBE with {rows} triples, as many as its row limit "
                "(Virtuoso's [SPARQL] ResultSetMaxRows), so it may have cut it: a DESCRIBE cannot be read "
                "in pages; ask with CONSTRUCT, or raise that limit"
            )
        return ResultCut(
            f"the store at {self.url} cut its answer at {rows} rows (its row limit, Virtuoso's "
            "[SPARQL] ResultSetMaxRows): raise that limit above the server's result limit"
            + (", or drop the query's own LIMIT, OFFSET, GROUP BY, HAVING or VALUES so it can be read in pages"
               if form == "CONSTRUCT" else "")
        )

    def check_rows(self, rows: int) -> None:
        """Raise :class:`ResultCut` if the store cuts answers shorter than ``rows`` (the server's result limit and one)."""
        self._learn_row_cap(rows)
        if self.row_cap is not None and self.row_cap < rows:
            raise self._cut(self.row_cap)

    def _learn_row_cap(self, rows: int) -> None:
        """Find out whether the store cuts answers of ``rows`` rows, unless known: ``row_cap`` is then set.

        Virtuoso declares its limit (``X-SPARQL-MaxRows``) only on an answer it
        cut, and never on a graph answer, so this asks for more rows than
        ``rows`` of a query that reads no data: ``VALUES`` of ten numbers,
        joined with itself. Asked once for each power of ten.
        """
        if self.row_cap is not None or rows < self._probed_below:
            return
        digits = len(str(rows))
        self._probed_below = 10 ** digits
        ten = "{ " + " ".join(map(str, range(10))) + " }"
        probe = "SELECT ?v0 WHERE { " + " ".join(f"VALUES ?v{i} {ten}" for i in range(digits)) + " }"
        self._send_query(probe, None, None)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        client = self._client(text, base_iri)
        if not client.isSparqlUpdateRequest():
            raise SyntaxError(f"not an update: reads as {client.queryType}")
        _send(client, self.update_url)

    def triple_count(self) -> int | None:
        return None

    def close(self) -> None:
        pass


def _graph(body: tuple[bytes, str]) -> list[Triple]:
    """The triples of a graph answer ``(body, media type)``."""
    data, media_type = body
    fmt = RdfFormat.from_media_type(media_type) if media_type else None
    return [Triple(q.subject, q.predicate, q.object) for q in parse(data, fmt or RdfFormat.TURTLE)]


def _send(client, url: str) -> tuple[bytes, Mapping[str, str]]:
    """The body and headers of the store's answer; its failures as ``SyntaxError`` or :class:`BackendError`."""
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    try:
        response = client.query().response
        return response.read(), response.headers
    except QueryBadFormed as error:
        raise SyntaxError(_remote_message(error)) from None
    except SPARQLWrapperException as error:
        raise BackendError(f"the store at {url} failed: {_remote_message(error)}") from None
    except (TimeoutError, socket.timeout) as error:
        raise BackendTimeout(f"the store at {url} did not answer in time") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise BackendTimeout(f"the store at {url} did not answer in time") from error
        raise BackendError(f"the store at {url} is unreachable: {error.reason}") from error


def _remote_message(error: Exception) -> str:
    text = str(error)
    # SPARQLWrapper prefixes its own explanation; the store's words come after "Response:".
    _, _, response = text.partition("Response:")
    return (response or text).strip().removeprefix("b'").removesuffix("'").replace("\\n", " ").strip()


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
import urllib.error
from collections.abc import Iterable, Sequence
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


class RemoteStore:
    """Any SPARQL 1.1 endpoint, queried (and, when the server allows it, updated) through SPARQLWrapper.

    ``update_url`` is where the store takes updates, when that is not ``url``
    (oxigraph serves queries at ``/query`` and updates at ``/update``).
    """

    label = "remote"

    def __init__(self, url: str, *, timeout: float, update_url: str | None = None):
        self.url = url
        self.update_url = update_url or url
        self.timeout = timeout

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
        from SPARQLWrapper import JSON, TURTLE

        client = self._client(text, base_iri)
        if client.queryType not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            # SPARQLWrapper would send an update as one: never let it.
            raise SyntaxError(f"not a query: reads as {client.queryType}")
        graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_query else JSON)
        for iri in dataset.default_graphs if dataset else ():
            client.addDefaultGraph(iri)
        for iri in dataset.named_graphs if dataset else ():
            client.addNamedGraph(iri)
        body = _send(client, self.url)
        if graph_query:
            return [Triple(quad.subject, quad.predicate, quad.object) for quad in parse(body, RdfFormat.TURTLE)]
        return parse_query_results(body, QueryResultsFormat.JSON)

    def update(self, text: str, *, base_iri: str | None = None) -> None:
        client = self._client(text, base_iri)
        if not client.isSparqlUpdateRequest():
            raise SyntaxError(f"not an update: reads as {client.queryType}")
        _send(client, self.update_url)

    def triple_count(self) -> int | None:
        return None

    def close(self) -> None:
        pass


def _send(client, url: str) -> bytes:
    """The body of the store's answer; its failures as ``SyntaxError`` or :class:`BackendError`."""
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

    try:
        return client.query().response.read()
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


"""Where queries run: the embedded pyoxigraph store, or any SPARQL 1.1 endpoint.

Both backends answer with pyoxigraph's result types (``QuerySolutions``,
``QueryBoolean``, an iterable of ``Triple``), so everything above them, from
the protocol to the pages, is the same for either.

>>> store = EmbeddedStore.from_text('<http://example.org/a> <http://example.org/p> "1" .')
>>> [row["o"].value for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
['1']
>>> store.triple_count()
1
"""

from __future__ import annotations

import socket
import urllib.error
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Union

from pyoxigraph import (
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

    def query(self, text: str, *, dataset: Dataset | None = None) -> QueryResult:
        """Run a query; raises ``SyntaxError`` when the text is not SPARQL."""
        ...

    def triple_count(self) -> int | None:
        """Triples in the store, or None when counting them would be too costly."""
        ...

    def close(self) -> None: ...


class EmbeddedStore:
    """An in-memory pyoxigraph ``Store``, loaded once at start-up."""

    label = "embedded"

    def __init__(self, store: Store):
        self.store = store
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
    def from_text(cls, text: str, fmt: RdfFormat = RdfFormat.N_TRIPLES) -> EmbeddedStore:
        """A store holding one serialised graph or dataset."""
        store = Store()
        store.load(text, format=fmt)
        return cls(store)

    def query(self, text: str, *, dataset: Dataset | None = None) -> QueryResult:
        if not dataset:
            return self.store.query(text)
        return self.store.query(
            text,
            default_graph=[NamedNode(iri) for iri in dataset.default_graphs],
            named_graphs=[NamedNode(iri) for iri in dataset.named_graphs],
        )

    def triple_count(self) -> int | None:
        if self._count is None:
            self._count = len(self.store)
        return self._count

    def close(self) -> None:
        self.store = Store()


class RemoteStore:
    """Any SPARQL 1.1 endpoint, queried through SPARQLWrapper."""

    label = "remote"

    def __init__(self, url: str, *, timeout: float):
        self.url = url
        self.timeout = timeout

    def query(self, text: str, *, dataset: Dataset | None = None) -> QueryResult:
        from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        # One client per query: SPARQLWrapper objects hold per-query state.
        client = SPARQLWrapper(self.url)
        client.setOnlyConneg(True)
        client.setMethod(POST)
        client.setRequestMethod(URLENCODED)
        client.setTimeout(max(1, round(self.timeout)))
        client.setQuery(text)
        if client.queryType not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            # SPARQLWrapper would send an update as one: never let it.
            raise SyntaxError(f"not a query: reads as {client.queryType}")
        graph_query = client.queryType in ("CONSTRUCT", "DESCRIBE")
        client.setReturnFormat(TURTLE if graph_query else JSON)
        for iri in dataset.default_graphs if dataset else ():
            client.addDefaultGraph(iri)
        for iri in dataset.named_graphs if dataset else ():
            client.addNamedGraph(iri)
        try:
            body = client.query().response.read()
        except QueryBadFormed as error:
            raise SyntaxError(_remote_message(error)) from None
        except SPARQLWrapperException as error:
            raise BackendError(f"the store at {self.url} failed: {_remote_message(error)}") from None
        except (TimeoutError, socket.timeout) as error:
            raise BackendTimeout(f"the store at {self.url} did not answer in time") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (TimeoutError, socket.timeout)):
                raise BackendTimeout(f"the store at {self.url} did not answer in time") from error
            raise BackendError(f"the store at {self.url} is unreachable: {error.reason}") from error
        if graph_query:
            return [Triple(quad.subject, quad.predicate, quad.object) for quad in parse(body, RdfFormat.TURTLE)]
        return parse_query_results(body, QueryResultsFormat.JSON)

    def triple_count(self) -> int | None:
        return None

    def close(self) -> None:
        pass


def _remote_message(error: Exception) -> str:
    text = str(error)
    # SPARQLWrapper prefixes its own explanation; the store's words come after "Response:".
    _, _, response = text.partition("Response:")
    return (response or text).strip().removeprefix("b'").removesuffix("'").replace("\\n", " ").strip()


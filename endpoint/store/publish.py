"""Put the built graph into any store that speaks the SPARQL 1.1 Graph Store HTTP Protocol.

>>> graph_store_url("http://localhost:7878/store")
'http://localhost:7878/store?default'
>>> graph_store_url("http://localhost:7878/store", graph="http://example.org/g")
'http://localhost:7878/store?graph=http%3A%2F%2Fexample.org%2Fg'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
from pyoxigraph import RdfFormat

CHUNK = 1 << 20


class PublishError(Exception):
    """The store refused the graph or could not be reached."""


@dataclass(frozen=True, slots=True)
class Published:
    url: str
    status: int
    size: int


def graph_store_url(url: str, *, graph: str | None = None) -> str:
    """The URL to PUT to: ``?graph=`` for a named graph, ``?default`` otherwise.

    A URL that already names its graph is kept as it is.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {url!r}")
    params = parse_qs(parts.query, keep_blank_values=True)
    if "graph" in params or "default" in params:
        return url
    query = urlencode({"graph": graph}) if graph else "default"
    if parts.query:
        query = f"{parts.query}&{query}"
    return urlunsplit(parts._replace(query=query))


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            yield chunk


def put_graph(path: Path, url: str, *, graph: str | None = None, timeout: float = 600) -> Published:
    """Replace the default graph (or ``graph``) of the store at ``url`` with the N-Triples file ``path``.

    The file is streamed, so a dump of any size goes in one request.
    """
    target = graph_store_url(url, graph=graph)
    size = path.stat().st_size
    headers = {"Content-Type": RdfFormat.N_TRIPLES.media_type, "Content-Length": str(size)}
    try:
        response = httpx.put(target, content=_chunks(path), headers=headers, timeout=timeout)
    except httpx.HTTPError as error:
        raise PublishError(f"could not reach {target}: {error}") from None
    if response.status_code >= 400:
        detail = response.text.strip().splitlines()[0] if response.text.strip() else response.reason_phrase
        raise PublishError(f"{target} answered {response.status_code}: {detail}")
    return Published(target, response.status_code, size)

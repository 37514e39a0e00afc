"""Put the built graph into any store that speaks the SPARQL 1.1 Graph Store HTTP Protocol.

A store that asks for credentials (Virtuoso's ``/sparql-graph-crud-auth``)
gets them by HTTP digest authentication; the challenge is fetched first with an
empty request, so the dump is sent once.

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

import html
import re

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


class _Chunks:
    """The file's bytes, from the start each time they are iterated: a body an auth flow can send again."""

    def __init__(self, path: Path):
        self.path = path

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as data:
            while chunk := data.read(CHUNK):
                yield chunk


def _detail(response: httpx.Response) -> str:
    """The store's reason in one line: its text without markup (Virtuoso answers errors in HTML)."""
    text = response.text
    if "<" in text:
        text = html.unescape(re.sub(r"<(title|h1)>.*?</\1>|<[^>]+>", " ", text, flags=re.S | re.I))
    text = " ".join(text.split())
    return (text[:300] + "…" if len(text) > 300 else text) or response.reason_phrase


def put_graph(path: Path, url: str, *, graph: str | None = None, timeout: float = 600,
              auth: tuple[str, str] | None = None) -> Published:
    """Replace the default graph (or ``graph``) of the store at ``url`` with the N-Triples file ``path``.

    The file is streamed, so a dump of any size goes in one request. ``auth`` is
    ``(user, password)`` for a store behind digest authentication.
    """
    target = graph_store_url(url, graph=graph)
    size = path.stat().st_size
    headers = {"Content-Type": RdfFormat.N_TRIPLES.media_type, "Content-Length": str(size)}
    try:
        with httpx.Client(auth=httpx.DigestAuth(*auth) if auth else None, timeout=timeout) as client:
            if auth:
                # The digest challenge, learnt on a request without a body, is reused for the PUT.
                client.request("HEAD", target)
            response = client.put(target, content=_Chunks(path), headers=headers)
    except httpx.HTTPError as error:
        raise PublishError(f"could not reach {target}: {error}") from None
    if response.status_code == 401:
        raise PublishError(f"{target} answered 401: the store refused the credentials" if auth else
                           f"{target} answered 401: the store asks for credentials (--user)")
    if response.status_code >= 400:
        raise PublishError(f"{target} answered {response.status_code}: {_detail(response)}")
    return Published(target, response.status_code, size)

"""Renderers keyed by format: a view gathers its data once and never picks its own format.

A :class:`Renderers` table maps each format a kind of data can take to the
function that writes it, in the order of the server's preference (the first is
the default); :meth:`Renderers.respond` applies the one negotiation policy
(:func:`~endpoint.formats.negotiation.pick`) and answers with the chosen
renderer's output. :data:`GRAPH_RENDERERS` writes anything that has ``triples``
in every RDF format, and as a CSV table.

>>> from endpoint.formats.media import N_TRIPLES, PLAIN, TURTLE
>>> from pyoxigraph import Literal, NamedNode, Triple
>>> from types import SimpleNamespace
>>> data = SimpleNamespace(triples=[Triple(NamedNode("http://x/a"), NamedNode("http://x/p"), Literal("1"))])
>>> table = Renderers({**GRAPH_RENDERERS, PLAIN: lambda data, fmt, **context: "one triple"})
>>> table.render(data, N_TRIPLES, prefixes={}).body
b'<http://x/a> <http://x/p> "1" .\\n'
>>> table.render(data, PLAIN).body, table.offered[0] is TURTLE
(b'one triple', True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import anyio

from starlette.requests import Request
from starlette.responses import Response

from endpoint.formats.graphs import serialize_triples, triples_csv
from endpoint.formats.media import GRAPHS, TABLE, Format
from endpoint.formats.negotiation import Choice, pick_for

Renderer = Callable[..., bytes | str]
"""``renderer(data, fmt, **context)``: the body of ``data`` in ``fmt``."""


class Renderers:
    """The formats one kind of data can take, each with its renderer, the default first."""

    def __init__(self, table: Mapping[Format, Renderer]):
        self.table = dict(table)
        self.offered: tuple[Format, ...] = tuple(self.table)

    def only(self, formats: Sequence[Format]) -> Renderers:
        """The same renderers for ``formats`` alone, in that order."""
        return Renderers({fmt: self.table[fmt] for fmt in formats})

    def choose(self, request: Request, suffix: str | None = None) -> Choice:
        """The format of the answer to ``request``, by the one policy."""
        return pick_for(request, self.offered, suffix)

    def render(
        self, data, fmt: Format, *, status: int = 200, headers: Mapping[str, str] | None = None, **context
    ) -> Response:
        """``data`` written by the renderer of ``fmt``, in a worker thread when the response is sent."""
        renderer = self.table[fmt]
        return DeferredResponse(
            lambda: renderer(data, fmt, **context), status_code=status, media_type=fmt.content_type,
            headers=dict(headers or {}),
        )

    def respond(
        self, request: Request, data, *, suffix: str | None = None, status: int = 200, **context
    ) -> Response:
        """``data`` in the format ``request`` asks for (``Vary: Accept`` when negotiated)."""
        choice = self.choose(request, suffix)
        return self.render(data, choice.format, status=status, headers=choice.headers, **context)


class DeferredResponse(Response):
    """A response whose body is written when it is sent, in a worker thread, off the event loop.

    Pages and descriptions take milliseconds to render; written on the loop they
    would hold up every other request meanwhile. Headers may still be changed
    until it is sent; reading ``body`` before then writes it at once.
    """

    def __init__(self, make: Callable[[], bytes | str], status_code: int = 200, headers=None, media_type=None):
        self._make = make
        self._body: bytes | None = None
        super().__init__(b"", status_code=status_code, headers=headers, media_type=media_type)
        self.raw_headers = [(name, value) for name, value in self.raw_headers if name != b"content-length"]

    @property
    def body(self) -> bytes:
        if self._body is None:
            self._body = self.render(self._make())
        return self._body

    @body.setter
    def body(self, value: bytes) -> None:
        pass  # Response.__init__ sets the empty body; the real one is made later

    async def __call__(self, scope, receive, send) -> None:
        if self._body is None:
            self._body = self.render(await anyio.to_thread.run_sync(self._make))
        if self.status_code >= 200 and self.status_code not in (204, 304):
            self.raw_headers.append((b"content-length", str(len(self._body)).encode("latin-1")))
        await super().__call__(scope, receive, send)


def _graph(data, fmt: Format, *, prefixes: Mapping[str, str], **context) -> bytes:
    return serialize_triples(list(data.triples), fmt, prefixes)


def _table(data, fmt: Format, **context) -> bytes:
    return triples_csv(data.triples)


GRAPH_RENDERERS: dict[Format, Renderer] = {**{fmt: _graph for fmt in GRAPHS}, TABLE: _table}
"""Renderers of anything with ``triples``: Turtle, N-Triples, JSON-LD, RDF/XML and the CSV table."""

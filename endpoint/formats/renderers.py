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
        """``data`` written by the renderer of ``fmt``."""
        body = self.table[fmt](data, fmt, **context)
        return Response(body, status_code=status, media_type=fmt.content_type, headers=dict(headers or {}))

    def respond(
        self, request: Request, data, *, suffix: str | None = None, status: int = 200, **context
    ) -> Response:
        """``data`` in the format ``request`` asks for (``Vary: Accept`` when negotiated)."""
        choice = self.choose(request, suffix)
        return self.render(data, choice.format, status=status, headers=choice.headers, **context)


def _graph(data, fmt: Format, *, prefixes: Mapping[str, str], **context) -> bytes:
    return serialize_triples(list(data.triples), fmt, prefixes)


def _table(data, fmt: Format, **context) -> bytes:
    return triples_csv(data.triples)


GRAPH_RENDERERS: dict[Format, Renderer] = {**{fmt: _graph for fmt in GRAPHS}, TABLE: _table}
"""Renderers of anything with ``triples``: Turtle, N-Triples, JSON-LD, RDF/XML and the CSV table."""

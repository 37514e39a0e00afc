"""Content negotiation: pick one of an ordered list of formats from ``Accept``.

The rule (RFC 9110 §12.5.1): each offered format takes the quality of the most
specific range that matches it (``text/turtle`` over ``text/*`` over ``*/*``);
the highest quality wins and ties go to the earlier format of the list, so the
list's order is the server's preference. No header means the first format; a
header that accepts nothing offered is :class:`NotAcceptable`.

>>> from endpoint.formats import GRAPHS, HTML
>>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", (*GRAPHS, HTML)).name
'html'
>>> negotiate("text/*;q=0.5, application/n-triples", GRAPHS).name
'nt'
>>> negotiate(None, GRAPHS).name
'ttl'
>>> negotiate("image/png", GRAPHS)
Traceback (most recent call last):
...
endpoint.conneg.NotAcceptable: none of the media types in Accept is offered here; ask for one of: text/turtle, application/n-triples, application/ld+json, application/rdf+xml (for example `Accept: text/turtle` or `?format=ttl`)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from endpoint.formats import Format


class NotAcceptable(ValueError):
    """Nothing offered fits what the client accepts."""

    def __init__(self, offered: Sequence[Format], asked: str = "Accept"):
        self.offered = tuple(offered)
        listing = ", ".join(fmt.media_type for fmt in offered)
        example = offered[0]
        super().__init__(
            f"none of the media types in {asked} is offered here; ask for one of: {listing}"
            f" (for example `Accept: {example.media_type}` or `?format={example.name}`)"
        )


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an ``Accept`` header with their quality, in order.

    >>> parse_accept("text/turtle;q=0.5, */*")
    [('text/turtle', 0.5), ('*/*', 1.0)]
    """
    ranges = []
    for part in header.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if "/" not in media_range:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0  # a malformed weight is no consent
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(fmt: Format, ranges: list[tuple[str, float]]) -> float:
    best_specificity, best_quality = 0, 0.0
    names = fmt.names()
    for media_range, quality in ranges:
        kind, _, _ = media_range.partition("/")
        if media_range in names:
            specificity = 3
        elif media_range.endswith("/*") and fmt.media_type.startswith(kind + "/"):
            # Wildcards match the type actually sent, not the aliases it is also known by.
            specificity = 2
        elif media_range == "*/*":
            specificity = 1
        else:
            continue
        if specificity > best_specificity or (specificity == best_specificity and quality > best_quality):
            best_specificity, best_quality = specificity, quality
    return best_quality


@lru_cache(maxsize=512)
def _negotiate(header: str, offered: tuple[Format, ...]) -> int | None:
    # Cached, refusals included: clients send the same few headers again and again. The
    # index, not the format: two modules may define equal formats, and callers compare by
    # identity.
    ranges = parse_accept(header)
    if not ranges:
        return 0
    best, best_quality = None, 0.0
    for index, fmt in enumerate(offered):
        quality = _quality(fmt, ranges)
        if quality > best_quality:
            best, best_quality = index, quality
    return best


def negotiate(header: str | None, offered: Sequence[Format]) -> Format:
    """The format of ``offered`` the ``Accept`` header prefers (the first one if no header)."""
    if not header or not header.strip():
        return offered[0]
    index = _negotiate(header, tuple(offered))
    if index is None:
        raise NotAcceptable(offered)
    return offered[index]


def choose(requested: Sequence[str], header: str | None, offered: Sequence[Format]) -> Format:
    """The format of a response: the ``format`` parameter when given, else ``Accept``.

    The parameter serves clients that cannot set headers (links, browsers, forms),
    so it wins over ``Accept``; the first of several values that names an offered
    format counts (SPARQLWrapper sends ``format=tsv&format=text/tab-separated-values``).

    >>> from endpoint.formats import RESULTS
    >>> choose(["csv"], "application/sparql-results+json", RESULTS).name
    'csv'
    """
    if requested:
        for text in requested:
            fmt = Format.parse(text, offered)
            if fmt is not None:
                return fmt
        raise NotAcceptable(offered, asked="the format parameter")
    return negotiate(header, offered)

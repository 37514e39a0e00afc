"""The one negotiation policy: which of an ordered list of formats a response takes.

:func:`pick` is the policy every response follows: a file suffix names the
format and skips negotiation (an unknown suffix is 404); else the ``format``
parameter, else ``Accept``; a negotiated answer says ``Vary: Accept``, and one
that nothing offered fits is 406 with the list of what is offered. :func:`pick_for`
reads the three from a request.

>>> from endpoint.formats.media import DESCRIPTIONS, PAGES
>>> pick(DESCRIPTIONS, suffix="nt").format.name, pick(DESCRIPTIONS, suffix="nt").headers
('nt', {})
>>> choice = pick(PAGES, words=(), accept="application/json")
>>> choice.format.media_type, choice.headers
('application/json', {'Vary': 'Accept'})
>>> pick(PAGES, suffix="xlsx")
Traceback (most recent call last):
...
endpoint.problem.Problem: no .xlsx version here; try one of .html, .json

How ``Accept`` is read:

The rule (RFC 9110 §12.5.1): each offered format takes the quality of the most
specific range that matches it (``text/turtle`` over ``text/*`` over ``*/*``);
the highest quality wins and ties go to the earlier format of the list, so the
list's order is the server's preference. No header means the first format; a
header that accepts nothing offered is :class:`NotAcceptable`.

>>> from endpoint.formats.media import GRAPHS, HTML
>>> negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", (*GRAPHS, HTML)).name
'html'
>>> negotiate("text/*;q=0.5, application/n-triples", GRAPHS).name
'nt'
>>> negotiate(None, GRAPHS).name
'ttl'
>>> negotiate("image/png", GRAPHS)
Traceback (most recent call last):
...
endpoint.formats.negotiation.NotAcceptable: none of the media types in Accept is offered here; ask for one of: text/turtle, application/n-triples, application/ld+json, application/rdf+xml (for example `Accept: text/turtle` or `?format=ttl`)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from starlette.requests import Request

from endpoint.formats.media import Format, by_extension
from endpoint.problem import Problem


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

    >>> from endpoint.formats.media import RESULTS
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


def split_suffix(path: str, offered: Sequence[Format]) -> tuple[str, str | None]:
    """``path`` without a file suffix that names one of ``offered``, and that suffix.

    >>> from endpoint.formats.media import DESCRIPTIONS, PAGES
    >>> split_suffix("id/lg/011002.ttl", DESCRIPTIONS), split_suffix("def/kind/", DESCRIPTIONS)
    (('id/lg/011002', 'ttl'), ('def/kind/', None))
    >>> split_suffix("100005.json", PAGES), split_suffix("CN", PAGES)
    (('100005', 'json'), ('CN', None))
    """
    stem, dot, extension = path.rpartition(".")
    if dot and stem and "/" not in extension and by_extension(extension, offered) is not None:
        return stem, extension.lower()
    return path, None


@dataclass(frozen=True, slots=True)
class Choice:
    """The format of a response, and whether it was negotiated (then the answer varies by ``Accept``)."""

    format: Format
    negotiated: bool

    @property
    def headers(self) -> dict[str, str]:
        return {"Vary": "Accept"} if self.negotiated else {}


def pick(
    offered: Sequence[Format], *, suffix: str | None = None, words: Sequence[str] = (), accept: str | None = None
) -> Choice:
    """The format of a response among ``offered`` (the default first): by suffix, else ``format``, else ``Accept``.

    Raises :class:`~endpoint.problem.Problem`: 404 for a suffix not offered, 406
    (``Vary: Accept``) when neither the parameter nor the header names anything offered.
    """
    if suffix is not None:
        fmt = by_extension(suffix, offered)
        if fmt is None:
            listing = ", ".join(f".{fmt.extension}" for fmt in offered)
            raise Problem(404, f"no .{suffix} version here; try one of {listing}")
        return Choice(fmt, negotiated=False)
    try:
        return Choice(choose(words, accept, offered), negotiated=True)
    except NotAcceptable as error:
        raise Problem(406, str(error), {"Vary": "Accept"}) from None


def pick_for(request: Request, offered: Sequence[Format], suffix: str | None = None) -> Choice:
    """:func:`pick` with the ``format`` parameters and the ``Accept`` header of ``request``."""
    return pick(
        offered, suffix=suffix, words=request.query_params.getlist("format"), accept=request.headers.get("accept")
    )

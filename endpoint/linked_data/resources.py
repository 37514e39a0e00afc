"""Linked Data: every IRI under the base (``/id/…``, ``/def/…``) resolves here.

Resolution is by direct content negotiation at the IRI itself, not by a 303
redirect to a document: one round trip, and the IRI of a thing stays what
clients bookmark. The cost is that the IRI names both the thing and its
description; the answer says which document it sent with ``Content-Location``
(the suffixed URL of that format) and marks itself ``Vary: Accept`` so caches
keep one copy per format. RDF clients get Turtle (the default, also for
``*/*``), N-Triples, JSON-LD or RDF/XML; browsers, which ask for ``text/html``
first, get a page; ``text/csv`` gets the description as a table. The rule is
the one of every other negotiated answer (:mod:`endpoint.formats.negotiation`): q-values
and wildcards, the ``format`` parameter over ``Accept``, 406 with the list of
types offered. A file suffix (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``,
``.csv``, ``.html``) picks one format and skips negotiation. An IRI with no
triples is 404.

The CSV is one row per triple (:func:`endpoint.formats.graphs.triples_csv`).
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.errors import run_query
from endpoint.formats.media import DESCRIPTIONS, HTML
from endpoint.formats.negotiation import split_suffix
from endpoint.formats.renderers import GRAPH_RENDERERS, Renderers
from endpoint.linked_data.descriptions import Description, describe
from endpoint.pages.render import Pages
from endpoint.problem import Problem

router = APIRouter(tags=["Linked Data"])


def _page(description: Description, fmt, *, pages: Pages, **context) -> str:
    return pages.resource(description)


DESCRIPTION_RENDERERS = Renderers({**GRAPH_RENDERERS, HTML: _page}).only(DESCRIPTIONS)
"""A description (of a resource, the catalog, VoID) in each of its formats, Turtle first: what ``*/*`` gets."""


def _canonical(path: str) -> str:
    """The path with each segment percent-encoded the way IRIs are minted (``kg.iris``).

    >>> _canonical("id/place/CN/CN-HE/%e6%89%bf")
    'id/place/CN/CN-HE/%E6%89%BF'
    """
    return "/".join(quote(unquote(segment), safe="-_.~") for segment in path.split("/"))


def render(description: Description, fmt, pages: Pages, prefixes: dict[str, str]) -> Response:
    """One description in one format."""
    return DESCRIPTION_RENDERERS.render(description, fmt, pages=pages, prefixes=prefixes)


def _links(pages: Pages, iri: str) -> str:
    return ", ".join(
        f'<{pages.urls.alternate(iri, fmt.extension)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in DESCRIPTIONS
    )


async def _describe(runner, backend, iri: str, *, vocabulary: bool, for_people: bool) -> Description | None:
    job = partial(describe, backend, iri, vocabulary=vocabulary, for_people=for_people)
    return await run_query(runner, lambda cancelled: job(cancelled=cancelled))


async def resolve(
    request: Request, settings, backend, runner, pages: Pages, prefixes: dict[str, str]
) -> Response:
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("utf-8", "replace").split("?", 1)[0]
    local = path[len(pages.urls.root) + 1:]
    vocabulary = local.startswith("def/")
    stem, suffix = split_suffix(local, DESCRIPTION_RENDERERS.offered)
    attempts: list[tuple[str, str | None]] = []
    if suffix is not None:
        attempts.append((stem, suffix))
    attempts.append((local, None))
    for candidate, extension in attempts:
        choice = DESCRIPTION_RENDERERS.choose(request, extension)
        fmt = choice.format
        for variant in dict.fromkeys((candidate, _canonical(candidate))):
            iri = settings.base + variant
            description = await _describe(runner, backend, iri, vocabulary=vocabulary, for_people=fmt is HTML)
            if description is None:
                continue
            response = render(description, fmt, pages, prefixes)
            if choice.negotiated:
                response.headers.update(choice.headers)
                response.headers["Content-Location"] = pages.urls.alternate(iri, fmt.extension)
            response.headers["Link"] = _links(pages, iri)
            return response
    raise Problem(404, f"nothing is said about <{settings.base + local}> here", {"Vary": "Accept"})


@router.get("/id/{path:path}", summary="A thing: local government, partnership, place…", response_class=Response)
@router.get("/def/{path:path}", summary="A vocabulary: the ontology, a concept scheme, a term", response_class=Response)
async def thing(
    request: Request,
    path: str,
    settings: SettingsDep,
    backend: BackendDep,
    runner: RunnerDep,
    pages: PagesDep,
    prefixes: PrefixesDep,
) -> Response:
    return await resolve(request, settings, backend, runner, pages, prefixes)

"""Linked Data: every IRI under the base (``/id/…``, ``/def/…``) resolves here.

Resolution is by direct content negotiation at the IRI itself, not by a 303
redirect to a document: one round trip, and the IRI of a thing stays what
clients bookmark. The cost is that the IRI names both the thing and its
description; the answer says which document it sent with ``Content-Location``
(the suffixed URL of that format) and marks itself ``Vary: Accept`` so caches
keep one copy per format. RDF clients get Turtle (the default, also for
``*/*``), N-Triples, JSON-LD or RDF/XML; browsers, which ask for ``text/html``
first, get a page. A file suffix (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``,
``.html``) picks one format and skips negotiation. An IRI with no triples is
404.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from endpoint.conneg import NotAcceptable, negotiate
from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.descriptions import Description, describe
from endpoint.errors import Problem, run_query
from endpoint.formats import GRAPHS, HTML, JSON_LD, N_TRIPLES, RDF_XML, TURTLE, Format
from endpoint.graphs import serialize_triples
from endpoint.pages import Pages

router = APIRouter(tags=["Linked Data"])

RESOURCE_FORMATS = (TURTLE, HTML, N_TRIPLES, JSON_LD, RDF_XML)
"""Formats of a resource, Turtle first: what ``*/*`` gets."""


def _canonical(path: str) -> str:
    """The path with each segment percent-encoded the way IRIs are minted (``kg.iris``).

    >>> _canonical("id/place/CN/CN-HE/%e6%89%bf")
    'id/place/CN/CN-HE/%E6%89%BF'
    """
    return "/".join(quote(unquote(segment), safe="-_.~") for segment in path.split("/"))


def split_suffix(path: str) -> tuple[str, Format | None]:
    """The path without a known format suffix, and that format.

    >>> split_suffix("id/lg/011002.ttl")[0], split_suffix("id/lg/011002.ttl")[1].media_type
    ('id/lg/011002', 'text/turtle')
    >>> split_suffix("def/kind/")
    ('def/kind/', None)
    """
    stem, dot, extension = path.rpartition(".")
    if dot and stem and "/" not in extension:
        fmt = Format.from_extension(extension)
        if fmt is not None:
            return stem, fmt
    return path, None


def render(description: Description, fmt: Format, pages: Pages, prefixes: dict[str, str]) -> Response:
    """One description in one format."""
    if fmt is HTML:
        return HTMLResponse(pages.resource(description))
    return Response(serialize_triples(description.triples, fmt, prefixes), media_type=fmt.content_type)


def _links(pages: Pages, iri: str) -> str:
    return ", ".join(
        f'<{pages.urls.alternate(iri, fmt.extension)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in (*GRAPHS, HTML)
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
    stem, suffix = split_suffix(local)
    attempts: list[tuple[str, Format | None]] = []
    if suffix is not None:
        attempts.append((stem, suffix))
    attempts.append((local, None))
    negotiated: Format | None = None
    for candidate, fmt in attempts:
        if fmt is None:
            try:
                fmt = negotiated = negotiate(request.headers.get("accept"), RESOURCE_FORMATS)
            except NotAcceptable as error:
                raise Problem(406, str(error), {"Vary": "Accept"}) from None
        for variant in dict.fromkeys((candidate, _canonical(candidate))):
            iri = settings.base + variant
            description = await _describe(runner, backend, iri, vocabulary=vocabulary, for_people=fmt is HTML)
            if description is None:
                continue
            response = render(description, fmt, pages, prefixes)
            if negotiated is not None:
                response.headers["Vary"] = "Accept"
                response.headers["Content-Location"] = pages.urls.alternate(iri, fmt.extension)
            response.headers["Link"] = _links(pages, iri)
            return response
    raise Problem(404, f"nothing is said about <{settings.base + local}> here", {"Vary": "Accept"})


@router.get("/id/{path:path}", summary="A thing: local government, partnership, place…", response_class=Response)
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


@router.get("/def/{path:path}", summary="A vocabulary: the ontology, a concept scheme, a term", response_class=Response)
async def definition(
    request: Request,
    path: str,
    settings: SettingsDep,
    backend: BackendDep,
    runner: RunnerDep,
    pages: PagesDep,
    prefixes: PrefixesDep,
) -> Response:
    return await resolve(request, settings, backend, runner, pages, prefixes)

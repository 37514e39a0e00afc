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

import json
import threading
from collections import OrderedDict
from functools import partial
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pyoxigraph import NamedNode

from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.errors import run_query
from endpoint.formats.media import DESCRIPTIONS, HTML, PAGE_JSON
from endpoint.formats.negotiation import split_suffix
from endpoint.formats.renderers import GRAPH_RENDERERS, Renderers
from endpoint.dist import catalog_graph
from endpoint.linked_data.descriptions import Description, describe, describe_in
from endpoint.pages.i18n import language_of
from endpoint.pages.render import Pages, jsonable
from endpoint.problem import Problem

router = APIRouter(tags=["Linked Data"])


def _page(description: Description, fmt, *, pages: Pages, params=None, lang: str = "ja", **context) -> str:
    return pages.resource(description, params or {}, lang)


def _page_data(description: Description, fmt, **context) -> bytes:
    """What the page shows, as JSON: the resource, its label, classes and the details of its type."""
    data = {
        "iri": description.iri,
        "label": description.label(description.iri),
        "classes": description.classes or description.types(),
        "view": description.view,
        "details": jsonable(description.details),
        "labels": description.labels,
    }
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


DESCRIPTION_RENDERERS = Renderers({**GRAPH_RENDERERS, HTML: _page, PAGE_JSON: _page_data}).only((*DESCRIPTIONS, PAGE_JSON))
"""A description (of a resource, the catalog, VoID) in each of its formats, Turtle first: what ``*/*`` gets.
The ``.json`` suffix gives the page's data; ``application/json`` in ``Accept`` or ``format=json`` is JSON-LD."""
SUFFIXES = DESCRIPTION_RENDERERS.offered


def _canonical(path: str) -> str:
    """The path with each segment percent-encoded the way IRIs are minted (``kg.iris``).

    >>> _canonical("id/place/CN/CN-HE/%e6%89%bf")
    'id/place/CN/CN-HE/%E6%89%BF'
    """
    return "/".join(quote(unquote(segment), safe="-_.~") for segment in path.split("/"))


def render(description: Description, fmt, pages: Pages, prefixes: dict[str, str], params=None, lang: str = "ja") -> Response:
    """One description in one format; ``params``, the query's, pick the page of its long lists, ``lang`` its language."""
    return DESCRIPTION_RENDERERS.render(description, fmt, pages=pages, prefixes=prefixes, params=params, lang=lang)


def _links(pages: Pages, iri: str) -> str:
    return ", ".join(
        f'<{pages.urls.alternate(iri, fmt.extension)}>; rel="alternate"; type="{fmt.media_type}"'
        for fmt in DESCRIPTIONS
    )


class Recent:
    """The descriptions last asked for, kept while the data cannot change (a read-only build).

    A page, its other language and its other formats are one description: asked
    for together (a browser's page and its alternates, a harvester's formats),
    they cost one gathering. The page's description serves its formats too (it
    holds the same triples, and more).

    >>> recent = Recent(2)
    >>> recent.put(("a", False, True), "A"); recent.get(("a", False, False)), recent.get(("b", False, False))
    ('A', None)
    """

    def __init__(self, size: int = 256):
        self.size = size
        self._kept: OrderedDict[tuple, Description | None] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        iri, vocabulary, for_people = key
        with self._lock:
            for wanted in ((iri, vocabulary, True),) if for_people else ((iri, vocabulary, True), key):
                if wanted in self._kept:
                    self._kept.move_to_end(wanted)
                    return self._kept[wanted]
        return None

    def put(self, key: tuple, description) -> None:
        with self._lock:
            self._kept[key] = description
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def _recent(app) -> Recent | None:
    """The app's cache of descriptions, when what it serves does not change (its answers have validators)."""
    if getattr(app.state, "validators", None) is None:
        return None
    recent = getattr(app.state, "recent_descriptions", None)
    if recent is None:
        recent = app.state.recent_descriptions = Recent()
    return recent


async def _describe(runner, backend, iri: str, *, vocabulary: bool, for_people: bool, dist,
                    recent: Recent | None = None) -> Description | None:
    """What the store says about ``iri``; else what the build's catalog says (the catalog,
    dataset, distribution, publisher and VoID partition IRIs live in ``dist/catalog.ttl``)."""
    key = (iri, vocabulary, for_people)
    if recent is not None and (kept := recent.get(key)) is not None:
        return kept
    job = partial(describe, backend, iri, vocabulary=vocabulary, for_people=for_people)
    description = await run_query(runner, lambda cancelled: job(cancelled=cancelled))
    if description is None:
        description = describe_in(catalog_graph(dist), iri)
    if recent is not None and description is not None:
        recent.put(key, description)
    return description


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
            description = await _describe(
                runner, backend, iri, vocabulary=vocabulary, for_people=fmt in (HTML, PAGE_JSON), dist=settings.dist,
                recent=_recent(request.app))
            if description is None:
                continue
            language = language_of(request)
            response = render(description, fmt, pages, prefixes, dict(request.query_params), language)
            if fmt is HTML:
                response.headers["Content-Language"] = language
            if choice.negotiated:
                response.headers.update(choice.headers)
                response.headers["Vary"] = "Accept, Accept-Language"  # pages come in two languages
                response.headers["Content-Location"] = pages.urls.alternate(iri, fmt.extension)
            response.headers["Link"] = _links(pages, iri)
            return response
    current = await run_query(runner, lambda cancelled: _versioned(backend, settings.base + stem))
    if current is not None:
        # The version IRI of the ontology as it is now: its document, at the ontology's IRI.
        return RedirectResponse(pages.urls.resource(current) + (f".{suffix}" if suffix else ""), status_code=302)
    raise Problem(404, f"nothing is said about <{settings.base + local}> here", {"Vary": "Accept"})


def _versioned(backend, iri: str) -> str | None:
    """The ontology whose ``owl:versionIRI`` is ``iri``, if any."""
    try:
        node = NamedNode(iri)
    except ValueError:
        return None
    rows = list(backend.query(f"SELECT ?s WHERE {{ ?s <http://www.w3.org/2002/07/owl#versionIRI> {node} }} LIMIT 1"))
    return next((row["s"].value for row in rows if type(row["s"]) is NamedNode), None)


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

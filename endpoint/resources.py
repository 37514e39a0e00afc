"""Linked Data: every IRI under the base (``/id/…``, ``/def/…``) resolves here.

Resolution is by direct content negotiation at the IRI itself, not by a 303
redirect to a document: one round trip, and the IRI of a thing stays what
clients bookmark. The cost is that the IRI names both the thing and its
description; the answer says which document it sent with ``Content-Location``
(the suffixed URL of that format) and marks itself ``Vary: Accept`` so caches
keep one copy per format. RDF clients get Turtle (the default, also for
``*/*``), N-Triples, JSON-LD or RDF/XML; browsers, which ask for ``text/html``
first, get a page; ``text/csv`` gets the description as a table. The rule is
the one of every other negotiated answer (:mod:`endpoint.conneg`): q-values
and wildcards, the ``format`` parameter over ``Accept``, 406 with the list of
types offered. A file suffix (``.ttl``, ``.nt``, ``.jsonld``, ``.rdf``,
``.csv``, ``.html``) picks one format and skips negotiation. An IRI with no
triples is 404.

The CSV is one row per triple, ``subject,predicate,object,datatype,language``:
IRIs as they are, blank nodes as ``_:id``, a literal's lexical form in
``object`` with its datatype IRI (every literal has one, so an empty
``datatype`` means the object is an IRI or a blank node) and language tag.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> triples_csv([Triple(NamedNode("http://x/a"), NamedNode("http://x/p"), Literal("札幌", language="ja"))]).decode().splitlines()
['subject,predicate,object,datatype,language', 'http://x/a,http://x/p,札幌,http://www.w3.org/1999/02/22-rdf-syntax-ns#langString,ja']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from functools import partial
from urllib.parse import quote, unquote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pyoxigraph import BlankNode, Literal, Triple

from endpoint.conneg import NotAcceptable, choose
from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.descriptions import Description, describe
from endpoint.errors import Problem, run_query
from endpoint.formats import DESCRIPTIONS, HTML, JSON_LD, N_TRIPLES, RDF_XML, TRIPLES_CSV, TURTLE, Format
from endpoint.graphs import serialize_triples
from endpoint.pages import Pages

router = APIRouter(tags=["Linked Data"])

RESOURCE_FORMATS = (TURTLE, HTML, N_TRIPLES, JSON_LD, RDF_XML, TRIPLES_CSV)
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


def triples_csv(triples: Iterable[Triple]) -> bytes:
    """Triples as a CSV table, one row each: ``subject,predicate,object,datatype,language``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["subject", "predicate", "object", "datatype", "language"])
    for triple in triples:
        obj = triple.object
        if type(obj) is Literal:
            writer.writerow([_cell(triple.subject), triple.predicate.value, obj.value, obj.datatype.value, obj.language or ""])
        else:
            writer.writerow([_cell(triple.subject), triple.predicate.value, _cell(obj), "", ""])
    return out.getvalue().encode("utf-8")


def _cell(term) -> str:
    if type(term) is BlankNode:
        return f"_:{term.value}"
    if type(term) is Triple:
        return str(term)
    return term.value


def render(description: Description, fmt: Format, pages: Pages, prefixes: dict[str, str]) -> Response:
    """One description in one format."""
    if fmt is HTML:
        return HTMLResponse(pages.resource(description))
    if fmt is TRIPLES_CSV:
        return Response(triples_csv(description.triples), media_type=fmt.content_type)
    return Response(serialize_triples(description.triples, fmt, prefixes), media_type=fmt.content_type)


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
    stem, suffix = split_suffix(local)
    attempts: list[tuple[str, Format | None]] = []
    if suffix is not None:
        attempts.append((stem, suffix))
    attempts.append((local, None))
    negotiated: Format | None = None
    for candidate, fmt in attempts:
        if fmt is None:
            try:
                words = request.query_params.getlist("format")
                fmt = negotiated = choose(words, request.headers.get("accept"), RESOURCE_FORMATS)
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

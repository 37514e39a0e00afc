"""Downloads, the DCAT catalog and the VoID description, all from ``dist/``.

Each is negotiated by the one policy (:mod:`endpoint.formats.negotiation`);
a file's media type comes from the one table (:func:`endpoint.formats.media.file_type`).
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from pyoxigraph import Literal, NamedNode, Triple

from endpoint.deps import BackendDep, PagesDep, PrefixesDep, RunnerDep, SettingsDep
from endpoint.dist import DistFile, catalog_graph, list_dist
from endpoint.errors import run_query
from endpoint.formats.media import HTML, PAGE_JSON, TURTLE, file_type
from endpoint.formats.negotiation import Choice
from endpoint.formats.renderers import Renderers
from endpoint.linked_data.descriptions import Description, describe_in
from endpoint.linked_data.resources import DESCRIPTION_RENDERERS
from endpoint.pages.i18n import language_of
from endpoint.problem import Problem
from kg.iris import RDF_TYPE, namespace

router = APIRouter(tags=["Downloads"])

DCAT = namespace("dcat")
VOID = namespace("void")
XSD_INTEGER = NamedNode(namespace("xsd") + "integer")


def _listing_page(files: list[DistFile], fmt, *, pages, lang: str | None = None, **context) -> str:
    return pages.render("downloads.html", title="Downloads", files=files, lang=lang or "ja")


def _listing_json(files: list[DistFile], fmt, *, pages, **context) -> bytes:
    listing = [{"name": f.name, "url": pages.urls.download(f.name), "size": f.size, "mediaType": f.media_type} for f in files]
    return json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


LISTING_RENDERERS = Renderers({HTML: _listing_page, PAGE_JSON: _listing_json})


@router.get("/download/", summary="The files of the latest build", response_class=Response)
async def listing(request: Request, settings: SettingsDep, pages: PagesDep) -> Response:
    return LISTING_RENDERERS.respond(request, list_dist(settings.dist), pages=pages, lang=language_of(request))


@router.get("/download/{name:path}", summary="One file of the latest build", response_class=FileResponse)
async def download(name: str, settings: SettingsDep) -> Response:
    dist = settings.dist.resolve()
    try:
        path = (dist / name).resolve()
    except (ValueError, OSError):  # a NUL byte, a name too long
        raise Problem(404, f"no file {name!r} in this build; see /download/") from None
    # No way out of dist/, whatever the name says, and nothing hidden (the on-disk store).
    hidden = any(part.startswith(".") for part in path.relative_to(dist).parts) if path.is_relative_to(dist) else True
    if hidden or not path.is_file():
        raise Problem(404, f"no file {name!r} in this build; see /download/")
    return FileResponse(path, media_type=file_type(path.name))


def catalog_triples(dist: Path) -> list[Triple]:
    """The triples of ``dist/catalog.ttl``; a 404 problem when the graph was not built."""
    triples = catalog_graph(dist)
    if not triples:
        raise Problem(404, "no catalog yet: run `kg build` first")
    return list(triples)


def _main_subject(triples: list[Triple], *classes: str) -> str | None:
    for cls in classes:
        for triple in triples:
            if triple.predicate.value == RDF_TYPE and triple.object.value == cls and type(triple.subject) is NamedNode:
                return triple.subject.value
    return None


def void_triples(catalog: list[Triple], *, endpoint: str, count: int | None) -> list[Triple]:
    """The VoID the build wrote into the catalog, about the dataset this server answers for.

    Only what ``kg build`` described as a ``void:Dataset`` (the built graph, not
    its sources), its class and property partitions, and its link sets with the
    datasets they point to; the built graph's one
    ``void:sparqlEndpoint`` is the endpoint answering here, and ``void:triples``
    what the store holds now (``count``), when the store says.
    """
    typed = {(t.subject, t.object.value) for t in catalog if t.predicate.value == RDF_TYPE}
    # What the link sets point to (their subjects are in the built graph itself).
    targets = {t.object for t in catalog if t.predicate.value == VOID + "objectsTarget"}
    datasets = {subject for subject, kind in typed if kind == VOID + "Dataset"} - targets
    if not datasets:
        raise Problem(404, "the catalog has no VoID description: run `kg build` again")
    linksets = {subject for subject, kind in typed if kind == VOID + "Linkset"}
    partitions = {
        t.object for t in catalog
        if t.subject in datasets and t.predicate.value in (VOID + "classPartition", VOID + "propertyPartition")
    }
    replaced = {VOID + "sparqlEndpoint"} | ({VOID + "triples"} if count is not None else set())
    # The link sets and the datasets they point to keep what the build says of them.
    described = partitions | linksets | targets
    triples = [
        t for t in catalog
        if (t.subject in datasets and t.predicate.value not in replaced) or t.subject in described
    ]
    for dataset in sorted(datasets, key=str):
        triples.append(Triple(dataset, NamedNode(VOID + "sparqlEndpoint"), NamedNode(endpoint)))
        if count is not None:
            triples.append(Triple(dataset, NamedNode(VOID + "triples"), Literal(str(count), datatype=XSD_INTEGER)))
    return triples


PARTITIONS = (VOID + "classPartition", VOID + "propertyPartition")
SPDX_CHECKSUM = "http://spdx.org/rdf/terms#checksum"


def _answer(choice: Choice, triples: list[Triple], main: str, pages, prefixes, lang: str = "ja") -> Response:
    if choice.format is HTML:
        # The page links to each VoID partition and each distribution's checksum, which have pages of
        # their own, rather than listing them all.
        parts = {t.object for t in triples if t.predicate.value in PARTITIONS or t.predicate.value == SPDX_CHECKSUM}
        triples = [t for t in triples if t.subject not in parts]
    described = describe_in(triples, main)
    description = Description(main, triples, labels=described.labels if described else {},
                              labels_en=described.labels_en if described else {},
                              label_languages=described.label_languages if described else {})
    return DESCRIPTION_RENDERERS.render(
        description, choice.format, headers=choice.headers, pages=pages, prefixes=prefixes, lang=lang
    )


@router.get("/catalog", summary="The DCAT catalog of the dataset", response_class=Response)
@router.get("/catalog.{suffix}", include_in_schema=False, response_class=Response)
async def catalog(
    request: Request, settings: SettingsDep, pages: PagesDep, prefixes: PrefixesDep, suffix: str | None = None
) -> Response:
    choice = DESCRIPTION_RENDERERS.choose(request, suffix)
    path = settings.dist / "catalog.ttl"
    if choice.format is TURTLE and path.is_file():
        # The file as built, byte for byte, for the commonest ask.
        return FileResponse(path, media_type=TURTLE.content_type, headers=choice.headers)
    triples = catalog_triples(settings.dist)
    main = _main_subject(triples, DCAT + "Catalog", DCAT + "Dataset") or str(request.url)
    return _answer(choice, triples, main, pages, prefixes, language_of(request))


@router.get("/.well-known/void", summary="The VoID description of the dataset", response_class=Response)
async def void(
    request: Request,
    settings: SettingsDep,
    backend: BackendDep,
    runner: RunnerDep,
    pages: PagesDep,
    prefixes: PrefixesDep,
) -> Response:
    choice = DESCRIPTION_RENDERERS.choose(request)
    catalog_ = catalog_triples(settings.dist)
    count = await run_query(runner, lambda cancelled: backend.triple_count())
    endpoint = str(request.base_url) + "sparql"
    triples = void_triples(catalog_, endpoint=endpoint, count=count)
    main = _main_subject(triples, VOID + "Dataset") or endpoint
    return _answer(choice, triples, main, pages, prefixes, language_of(request))
